"""``nn-playground train`` prints the same note as the window's Hyperparameters panel when a batch is
larger than the training set (the trainer uses the whole set in each step)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "playground" / "presets"


def test_train_notes_a_batch_larger_than_the_training_set(tmp_path):
    doc = json.loads((BUNDLED_DIR / "xor.json").read_text(encoding="utf-8"))
    doc["training"].update(batch_size=512, steps=3)
    preset = tmp_path / "big-batch.json"
    preset.write_text(json.dumps(doc), encoding="utf-8")
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
    result = subprocess.run([sys.executable, "-m", "playground", "train", str(preset), "--threads", "1", "--quiet"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ("nn-playground: note: batch size 512 is larger than the 250 training samples; "
                                     "each step uses all 250")
    assert json.loads(result.stdout)["steps"] == 3
