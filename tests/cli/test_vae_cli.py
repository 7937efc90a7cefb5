"""``nn-playground train`` on a VAE preset: the pictures, the latent means and the same figures as the GUI."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
PRESET = REPO / "playground" / "presets" / "vae-digits-2d.json"


def run_cli(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "playground", *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=180)


def test_train_writes_pictures_latent_means_and_metrics(tmp_path):
    out = tmp_path / "run"
    result = run_cli("train", PRESET, "--steps", "60", "--threads", "1", "--out", out)
    assert result.returncode == 0, result.stderr
    final = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("test_loss", "test_reconstruction", "test_kl", "test_kl_dim0", "test_kl_dim1", "test_active_units",
                "test_pca_squared_error", "test_error_vs_pca"):
        assert isinstance(final[key], float), key
    assert final["test_loss"] == json.loads((out / "metrics.json").read_text())["test_loss"]
    assert "-ELBO" in result.stderr and "KL" in result.stderr
    for name, rows in (("traversal.png", 2), ("reconstructions.png", 2), ("samples.png", 4)):
        with Image.open(out / name) as picture:
            assert picture.format == "PNG" and picture.height >= rows * 32, name
    with open(out / "latent_means.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["index", "label", "class", "z0", "z1"]
    assert len(table) == 539 and {row["class"] for row in table} == {str(d) for d in range(10)}
    header = (out / "metrics.csv").read_text().splitlines()[0].split(",")
    assert {"reconstruction", "kl", "beta", "test_reconstruction"} <= set(header)
    assert "Network 'encoder'" in (out / "summary.txt").read_text() and "mean and log_var" in \
        (out / "summary.txt").read_text()

    resumed = run_cli("train", "--resume", out, "--steps", "80", "--threads", "1", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout.strip().splitlines()[-1])["steps"] == 80


def test_validate_shows_both_networks():
    result = run_cli("validate", PRESET)
    assert result.returncode == 0, result.stderr
    assert "Network 'encoder'" in result.stdout and "Network 'decoder'" in result.stdout and "valid" in result.stdout
