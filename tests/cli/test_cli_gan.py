"""``nn-playground train`` on GAN presets: progress with the mode figures, generated points as CSV for
2-D GANs, sample grids as PNG for image GANs, and the metrics in the printed JSON and metrics.json."""

from __future__ import annotations

import csv
import json

from PIL import Image

from tests.cli.test_cli import BUNDLED_DIR, assert_no_traceback, train


def test_ring8_writes_2500_generated_points_and_mode_figures(tmp_path):
    out = tmp_path / "run"
    result = train(BUNDLED_DIR / "gan-ring8.json", "--steps", "40", "--out", out)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    final = json.loads(result.stdout.strip().splitlines()[-1])
    assert final["modes_total"] == 8 and 0 <= final["modes_covered"] <= 8
    assert 0.0 <= final["high_quality"] <= 1.0 and "d_real" in final and "precision" in final
    assert "modes " in result.stderr and "high-quality" in result.stderr  # progress names the figures
    with open(out / "samples.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["x1", "x2"] and len(rows) == 2501
    assert all(len(r) == 2 and all(float(v) == float(v) for v in r) for r in rows[1:])
    assert json.loads((out / "metrics.json").read_text())["modes_covered"] == final["modes_covered"]
    summary = (out / "summary.txt").read_text()
    assert "generator" in summary and "discriminator" in summary
    header = (out / "metrics.csv").read_text().splitlines()[0]
    assert all(name in header for name in ("d_loss", "g_loss", "d_real", "d_fake", "modes_covered"))


def test_a_gan_run_folder_resumes(tmp_path):
    out = tmp_path / "run"
    assert train(BUNDLED_DIR / "gan-ring8.json", "--steps", "20", "--out", out).returncode == 0
    result = train("--resume", out, "--steps", "30")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["steps"] == 30


def test_digits_writes_sample_grids_as_png(tmp_path):
    out = tmp_path / "run"
    result = train(BUNDLED_DIR / "gan-digits.json", "--steps", "20", "--out", out)
    assert result.returncode == 0, result.stderr
    final = json.loads(result.stdout.strip().splitlines()[-1])
    assert final["classes_total"] == 10 and "classes_covered" in final
    with Image.open(out / "samples.png") as grid:
        assert grid.width == grid.height and grid.width >= 8 * 8 * 4  # 8x8 tiles of 8 px, enlarged
    with Image.open(out / "samples_history.png") as history:
        assert history.height > 0
