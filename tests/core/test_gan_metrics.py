"""Mode coverage, precision/recall and the image class metric on hand-made samples."""

import numpy as np
import pytest

from playground.core.data.distributions import grid_modes, ring_modes
from playground.core.tasks.gan.image_metrics import class_coverage
from playground.core.tasks.gan.mode_metrics import mode_coverage, precision_recall

MODES = ring_modes(8, 1.0)
SIGMA = 0.01


def test_samples_on_every_mode_cover_all_eight_with_full_quality():
    samples = np.repeat(MODES, 10, axis=0) + 0.02  # 2 sigma * sqrt(2) = 0.028 away: inside 3 sigma
    assert mode_coverage(samples, MODES, SIGMA) == {"modes_covered": 8.0, "modes_total": 8.0, "high_quality": 1.0}


def test_collapse_onto_one_mode_covers_one():
    samples = np.tile(MODES[3], (100, 1))
    result = mode_coverage(samples, MODES, SIGMA)
    assert result["modes_covered"] == 1.0 and result["high_quality"] == 1.0


def test_off_mode_points_cover_nothing_and_lower_quality():
    off = np.array([[0.0, 0.0], [1.0 + 3.5 * SIGMA, 0.0], [0.5, 0.5]])  # centre, just outside 3 sigma, between
    result = mode_coverage(off, MODES, SIGMA)
    assert result["modes_covered"] == 0.0 and result["high_quality"] == 0.0
    mixed = np.vstack([MODES[:2], off, [[np.nan, np.nan]]])  # 2 good of 6
    result = mode_coverage(mixed, MODES, SIGMA)
    assert result["modes_covered"] == 2.0
    assert result["high_quality"] == pytest.approx(2 / 6)


def test_grid_modes_are_the_issue_grid():
    assert sorted(set(grid_modes(5, 2.0)[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert len(grid_modes(5, 2.0)) == 25


def test_precision_and_recall_tell_collapse_from_spread():
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (800, 2))
    good = rng.uniform(-1, 1, (800, 2))
    collapsed = rng.uniform(-1, 0, (800, 2))  # a quarter of the square only
    far = good + 5.0
    assert precision_recall(good, real)["precision"] > 0.9 and precision_recall(good, real)["recall"] > 0.9
    shrunk = precision_recall(collapsed, real)
    assert shrunk["precision"] > 0.9 and shrunk["recall"] < 0.4
    assert precision_recall(far, real) == {"precision": 0.0, "recall": 0.0}


def test_class_coverage_by_nearest_real_images():
    real = np.repeat(np.eye(4, 16)[:, None], 5, axis=1).reshape(20, 1, 4, 4)  # 4 classes, 5 copies each
    labels = np.repeat(np.arange(4), 5)
    one_class = np.tile(real[:1], (50, 1, 1, 1))
    assert class_coverage(one_class, real, labels, 4)["classes_covered"] == 1.0
    every = np.concatenate([real[::5]] * 10)
    result = class_coverage(every, real, labels, 4)
    assert result["classes_covered"] == 4.0 and result["class_confidence"] == 1.0
