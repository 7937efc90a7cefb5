"""Train each bundled GAN preset headless with its defaults and print its figures and seconds.

    PYTHONPATH=. python benchmarks/gan_presets.py [--threads N] [--seeds S ...] [--digits-cnn] [NAME ...]

--seeds trains each preset once per seed (default: the preset's own), which shows how much a figure
depends on luck.

--digits-cnn also trains the bundled digits-cnn classifier and reports, for gan-digits, how many of the
ten digits it sees among 1,000 samples and its mean confidence (the issue's test of the image GAN).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np
import torch

from playground.core.presets import load_preset
from playground.core.training.factory import make_trainer

PRESETS = Path(__file__).resolve().parents[1] / "playground" / "presets"
NAMES = ("gan-ring8", "gan-grid25", "gan-moons", "gan-digits")
SHOWN = ("modes_covered", "modes_total", "high_quality", "precision", "recall", "classes_covered",
         "class_confidence", "d_real", "d_fake")


def cnn_judgement(gan) -> dict:
    classifier = make_trainer(load_preset(PRESETS / "digits-cnn.json"))
    classifier.run()
    classifier.task.model.eval()
    with torch.no_grad():
        probabilities = torch.softmax(classifier.task.model(torch.as_tensor(gan.task.samples(1000))), dim=1).numpy()
    counts = np.bincount(probabilities.argmax(1), minlength=10)
    return {"cnn_test_accuracy": round(classifier.evaluate()["test_accuracy"], 4),
            "cnn_digits_seen": int((counts > 0).sum()), "cnn_counts": counts.tolist(),
            "cnn_mean_confidence": round(float(probabilities.max(1).mean()), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=list(NAMES))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[None])
    parser.add_argument("--digits-cnn", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name, seed in ((n, s) for n in args.names for s in args.seeds):
        preset = load_preset(PRESETS / f"{name}.json")
        if seed is not None:
            preset = dataclasses.replace(preset, seed=seed)
        trainer = make_trainer(preset, device="cpu")
        started = time.perf_counter()
        status = trainer.run()
        seconds = time.perf_counter() - started
        scores = trainer.evaluate()
        row = {"preset": name, "seed": preset.seed, "status": status, "steps": trainer.step_count,
               "threads": args.threads,
               "seconds": round(seconds, 1), **{k: round(scores[k], 4) for k in SHOWN if k in scores}}
        target = preset.target
        value = scores[target["metric"]]
        row["target"] = (f"{target['metric']} {value:.4g} "
                         f"{'>=' if target['at_least'] is not None else '<='} "
                         f"{target['at_least'] if target['at_least'] is not None else target['at_most']}")
        row["target_met"] = bool(value >= target["at_least"] if target["at_least"] is not None
                                 else value <= target["at_most"])
        if name == "gan-digits" and args.digits_cnn:
            row.update(cnn_judgement(trainer))
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
