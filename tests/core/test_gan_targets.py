"""The GAN presets reach the figures their descriptions promise (slow: each trains its full default run).

gan-digits is also judged the way the issue asks: 1,000 samples classified by the bundled digits-cnn
preset must show at least 9 digits with mean confidence >= 0.8. Default runs are trained once per test
session and shared with the generic target test (tests/core/preset_runs.py).
"""

from pathlib import Path

import numpy as np
import pytest
import torch

from playground.core.presets import load_preset
from tests.core.preset_runs import trained

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.slow
def test_ring8_covers_all_modes_with_97_percent_high_quality():
    scores = trained("gan-ring8").evaluate()
    assert scores["modes_covered"] == 8 and scores["high_quality"] >= 0.97, scores


@pytest.mark.slow
def test_grid25_covers_all_modes_with_95_percent_high_quality():
    preset = load_preset(PRESETS / "gan-grid25.json")
    scores = trained("gan-grid25").evaluate()
    assert scores["modes_covered"] == 25 and scores["high_quality"] >= preset.target["at_least"] == 0.95, scores


@pytest.mark.slow
def test_moons_samples_lie_on_the_moons():
    preset = load_preset(PRESETS / "gan-moons.json")
    assert trained("gan-moons").evaluate()["precision"] >= preset.target["at_least"]


def digit_classifier():
    classifier = trained("digits-cnn")
    assert classifier.evaluate()["test_accuracy"] >= 0.97
    classifier.task.model.eval()
    return classifier


@pytest.mark.slow
def test_digits_gan_draws_all_ten_digits_as_a_cnn_sees_them():
    gan = trained("gan-digits")
    assert gan.evaluate()["classes_covered"] >= 9
    classifier = digit_classifier()
    samples = torch.as_tensor(gan.task.samples(1000))
    with torch.no_grad():
        probabilities = torch.softmax(classifier.task.model(samples), dim=1).numpy()
    classes = np.bincount(probabilities.argmax(1), minlength=10)
    assert (classes > 0).sum() >= 9, classes
    assert probabilities.max(1).mean() >= 0.8, probabilities.max(1).mean()
