"""The generated datasets: their shapes and rules, seeds, splits, features and preset checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.core.data import (
    DATASETS,
    FEATURE_NAMES,
    DatasetError,
    TabularData,
    check_dataset,
    make_dataset,
)

TOY = [name for name, d in DATASETS.items() if d.kind not in ("any", "image", "distribution")]


def build(name: str, seed: int = 0, kind: str | None = None, **params) -> TabularData:
    values, problems = check_dataset({"name": name, **params})
    assert problems == []
    kind = kind or DATASETS[name].kind
    return make_dataset(values, seed=seed, kind=kind)


def all_points(d: TabularData) -> tuple[np.ndarray, np.ndarray]:
    """Every point and its label, train and test together, sorted so splits do not matter."""
    p = np.concatenate([d.points_train, d.points_test])
    y = np.concatenate([d.y_train, d.y_test])
    order = np.lexsort(p.T[::-1])
    return p[order], y[order]


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# ---- every dataset ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", TOY)
def test_every_generated_dataset_has_the_promised_shapes(name):
    d = build(name)
    assert d.n_train + d.n_test == 500 and d.n_train == 250
    assert d.x_train.dtype == np.float32 and d.points_train.dtype == np.float32
    assert d.x_train.shape == (250, 2) and d.points_test.shape == (250, 2)
    assert d.extent == (-6.0, 6.0, -6.0, 6.0)
    assert np.abs(all_points(d)[0]).max() <= 6.0
    if d.kind == "classification":
        assert d.y_train.dtype == np.int64 and d.y_train.shape == (250,)
        assert set(np.unique(d.y_train)) == set(range(d.n_classes))
    else:
        assert d.y_train.dtype == np.float32 and d.y_train.shape == (250, 1)
        assert d.n_classes == 0 and d.class_names == []


@pytest.mark.parametrize("name", TOY)
def test_same_seed_same_data_and_different_seed_different_data(name):
    a, b, c = build(name, seed=3, noise=20), build(name, seed=3, noise=20), build(name, seed=4, noise=20)
    for field in ("x_train", "y_train", "x_test", "y_test", "points_train", "points_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.points_train, c.points_train)


def test_dataset_seed_overrides_the_preset_seed():
    values, _ = check_dataset({"name": "spiral", "noise": 10, "seed": 7})
    overridden = make_dataset(values, seed=1, kind="classification")
    plain = build("spiral", seed=7, noise=10)
    np.testing.assert_array_equal(overridden.points_train, plain.points_train)


# ---- TF Playground rules ------------------------------------------------------------------------

def test_circle_inner_disc_is_positive_and_outer_ring_negative_without_noise():
    d = build("circle")
    assert d.class_names == ["-1", "1"]
    p, y = all_points(d)
    r = np.hypot(p[:, 0], p[:, 1])
    assert (r[y == 1] < 2.5).all()
    assert ((r[y == 0] >= 3.5 - 1e-5) & (r[y == 0] <= 5 + 1e-5)).all()
    assert (y == 1).sum() == (y == 0).sum() == 250


def test_circle_noise_flips_labels_but_never_moves_points():
    quiet, noisy = build("circle", seed=5), build("circle", seed=5, noise=50)
    np.testing.assert_array_equal(quiet.points_train, noisy.points_train)
    flipped = (quiet.y_train != noisy.y_train).mean()
    assert 0.02 < flipped < 0.5


def test_xor_points_keep_off_the_axes_and_labels_follow_the_quadrant():
    p, y = all_points(build("xor"))
    assert (np.abs(p) >= 0.3 - 1e-6).all()
    np.testing.assert_array_equal(y, (p[:, 0] * p[:, 1] >= 0).astype(np.int64))


def test_xor_noise_only_changes_labels():
    quiet, noisy = build("xor", seed=2), build("xor", seed=2, noise=40)
    np.testing.assert_array_equal(quiet.points_test, noisy.points_test)
    assert (quiet.y_test != noisy.y_test).any()


def test_gauss_spread_grows_with_noise():
    spreads = []
    for noise in (0, 25, 50):
        p, y = all_points(build("gauss", samples=4000, noise=noise))
        centred = np.where((y == 1)[:, None], p - 2.0, p + 2.0)
        spreads.append(centred.std())
    assert spreads[0] < spreads[1] < spreads[2]
    assert spreads[0] == pytest.approx(np.sqrt(0.5), rel=0.1)
    assert spreads[2] == pytest.approx(2.0, rel=0.1)


def test_spiral_noise_moves_points_but_not_labels():
    quiet, noisy = build("spiral", seed=9), build("spiral", seed=9, noise=30)
    np.testing.assert_array_equal(quiet.y_train, noisy.y_train)
    moved = np.abs(noisy.points_train - quiet.points_train)
    assert moved.max() <= 0.3 + 1e-5 and moved.mean() > 0.05
    r = np.hypot(*quiet.points_train.T)
    assert r.max() < 5.0


def test_moons_lie_on_two_half_circles_without_noise():
    p, y = all_points(build("moons"))
    u = p / 3.3 + (0.5, 0.25)
    outer, inner = u[y == 1], u[y == 0]
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1, inner[:, 1] - 0.5), 1.0, atol=1e-5)
    assert (outer[:, 1] >= -1e-6).all() and (inner[:, 1] <= 0.5 + 1e-6).all()


@pytest.mark.parametrize("name", ["multiclass-spiral", "blobs"])
@pytest.mark.parametrize("classes", [3, 4, 5])
def test_multiclass_datasets_have_the_requested_balanced_classes(name, classes):
    d = build(name, classes=classes, samples=301)
    assert d.n_classes == classes and d.class_names == [str(k) for k in range(classes)]
    counts = np.bincount(all_points(d)[1], minlength=classes)
    assert counts.sum() == 301 and counts.max() - counts.min() <= 1


def test_blob_centres_sit_on_a_circle_of_radius_3_5():
    p, y = all_points(build("blobs", classes=4, samples=4000))
    centres = np.array([p[y == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(np.hypot(*centres.T), 3.5, atol=0.15)


def test_regression_plane_target_is_x_plus_y_over_12():
    p, y = all_points(build("regression-plane"))
    np.testing.assert_allclose(y[:, 0], (p[:, 0] + p[:, 1]) / 12, atol=1e-6)
    assert np.abs(y).max() <= 1.0


def test_regression_gauss_is_six_signed_bumps_clipped_to_one():
    p, y = all_points(build("regression-gauss", samples=2000))
    assert np.abs(y).max() <= 1.0
    near_positive = np.hypot(p[:, 0] + 4, p[:, 1] - 2.5) < 0.3
    near_negative = np.hypot(p[:, 0], p[:, 1] - 2.5) < 0.3
    assert (y[near_positive] > 0.8).all() and (y[near_negative] < -0.8).all()


@pytest.mark.parametrize("name", ["regression-plane", "regression-gauss"])
def test_regression_noise_changes_targets_not_points(name):
    quiet, noisy = build(name, seed=4), build(name, seed=4, noise=30)
    np.testing.assert_array_equal(quiet.points_train, noisy.points_train)
    assert np.abs(quiet.y_train - noisy.y_train).mean() > 0.01


def test_datasets_refuse_the_wrong_task_kind():
    with pytest.raises(DatasetError, match="regression"):
        build("regression-plane", kind="classification")
    with pytest.raises(DatasetError, match="classification"):
        build("circle", kind="regression")


# ---- split, features, standardisation -----------------------------------------------------------

@pytest.mark.parametrize(("samples", "percent", "n_train"), [(500, 50, 250), (500, 90, 450), (10, 10, 1),
                                                             (15, 90, 14), (11, 50, 6)])
def test_train_test_split_sizes(samples, percent, n_train):
    d = build("gauss", samples=samples, train_percent=percent)
    assert d.n_train == n_train and d.n_test == samples - n_train


def test_split_shuffles_so_both_classes_are_in_train_and_test():
    d = build("spiral", samples=100)
    assert set(d.y_train) == set(d.y_test) == {0, 1}


def test_features_are_computed_in_the_listed_order():
    names = ["x1*x2", "sin_x2", "x1^2", "x2", "x1", "x2^2", "sin_x1"]
    assert sorted(names) == sorted(FEATURE_NAMES)
    d = build("xor", features=names)
    assert d.feature_names == names and d.n_inputs == 7
    x1, x2 = d.points_train[:, 0].astype(np.float64), d.points_train[:, 1].astype(np.float64)
    expected = np.stack([x1 * x2, np.sin(x2), x1**2, x2, x1, x2**2, np.sin(x1)], axis=1)
    np.testing.assert_allclose(d.x_train, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("standardize", [False, True])
def test_transform_reproduces_the_network_inputs(standardize):
    d = build("circle", features=["x1", "x2", "x1^2", "sin_x2"], standardize=standardize)
    np.testing.assert_array_equal(d.transform(d.points_train), d.x_train)
    np.testing.assert_array_equal(d.transform(d.points_test), d.x_test)
    grid = np.array([[0.0, 0.0], [1.0, -2.0]], dtype=np.float32)
    out = d.transform(grid)
    assert out.dtype == np.float32 and out.shape == (2, 4)


def test_standardize_uses_training_statistics():
    d = build("gauss", features=["x1", "x2^2"], standardize=True, noise=30)
    np.testing.assert_allclose(d.x_train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(d.x_train.std(axis=0), 1.0, atol=1e-4)
    raw = build("gauss", features=["x1", "x2^2"], noise=30)
    mean, std = raw.x_train.mean(axis=0), raw.x_train.std(axis=0)
    np.testing.assert_allclose(d.x_test, (raw.x_test - mean) / std, atol=1e-4)


# ---- check_dataset ------------------------------------------------------------------------------

def test_check_fills_every_default_including_name():
    values, problems = check_dataset({"name": "blobs"})
    assert problems == []
    assert values == {"name": "blobs", "samples": 500, "noise": 0.0, "classes": 3, "train_percent": 50,
                      "features": ["x1", "x2"], "standardize": False, "seed": None}


def test_check_reports_all_problems_with_paths_and_hints():
    data = {"name": "spiral", "noise": 80, "sampels": 100, "features": ["x1", "x1^3"], "standardize": 1}
    _, problems = check_dataset(data)
    text = messages(problems)
    noise = [t for t in text if t.startswith("dataset.noise: expected a number")]
    assert len(noise) == 1 and "50" in noise[0] and noise[0].endswith("got 80")
    assert "dataset.sampels: unknown key (did you mean 'samples'?)" in text
    assert any(t.startswith("dataset.features[1]: expected one of x1, x2") and "'x1^2'" in t for t in text)
    assert any(t.startswith("dataset.standardize: expected true or false") for t in text)
    assert len(problems) == 4


def test_check_unknown_or_missing_name():
    _, problems = check_dataset({"name": "spirals", "noise": 5}, path="presets[2].dataset")
    expected = f"expected one of {', '.join(DATASETS)}, got 'spirals' (did you mean 'spiral'?)"
    assert messages(problems) == [f"presets[2].dataset.name: {expected}"]
    _, problems = check_dataset({"noise": 5})
    assert problems[0].path == "dataset.name" and "required" in problems[0].message
    _, problems = check_dataset([1, 2])
    assert problems[0].path == "dataset"


def test_check_rejects_keys_that_do_not_apply_to_the_dataset():
    _, problems = check_dataset({"name": "circle", "classes": 4})
    assert messages(problems) == ["dataset.classes: unknown key"]
    _, problems = check_dataset({"name": "csv", "path": "a.csv", "noise": 10})
    assert [p.path for p in problems] == ["dataset.noise"]


def test_check_requires_a_csv_path():
    _, problems = check_dataset({"name": "csv"})
    assert [p.path for p in problems] == ["dataset.path"] and "required" in problems[0].message


def test_seed_may_be_null_but_not_negative():
    assert check_dataset({"name": "xor", "seed": None})[1] == []
    assert [p.path for p in check_dataset({"name": "xor", "seed": -1})[1]] == ["dataset.seed"]


def test_declarations_are_consistent():
    for d in DATASETS.values():
        names = [p.name for p in d.params]
        assert len(names) == len(set(names)) and "name" not in names
        for p in d.params:
            assert p.help and "\n" not in p.help
            assert p.check(p.default, "x") == [] or (d.name == "csv" and p.name == "path")
    noise_help = {DATASETS[n].param("noise").help for n in ("circle", "xor", "gauss", "spiral")}
    assert len(noise_help) == 4  # each dataset says what noise does for it
    assert DATASETS["circle"].param("samples") is DATASETS["moons"].param("samples")


# ---- inline points ------------------------------------------------------------------------------

def test_inline_validation_reports_precise_paths():
    data = {"name": "inline", "x": [[0, 1], [1, 0], [1, 1], [0, "a"], [2]], "y": [0, 1, "b", 1]}
    _, problems = check_dataset(data)
    text = messages(problems)
    assert "dataset.x[3][1]: expected a finite number, got 'a'" in text
    assert "dataset.x[4]: expected 2 numbers like the first row, got 1" in text
    assert "dataset.y[2]: expected a number like y[0], got 'b'" in text
    assert "dataset.y: expected 5 labels (one per row of x), got 4" in text


def test_inline_requires_x_and_y_and_rejects_non_numbers():
    _, problems = check_dataset({"name": "inline"})
    assert sorted(p.path for p in problems) == ["dataset.x", "dataset.y"]
    _, problems = check_dataset({"name": "inline", "x": [[True], [float("nan")]], "y": [None, 1]})
    assert sorted(p.path for p in problems) == ["dataset.x[0][0]", "dataset.x[1][0]", "dataset.y[0]"]


def test_inline_builds_with_raw_columns_and_tests_on_train_at_100_percent():
    x = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]
    d = build("inline", kind="classification", x=x, y=["no", "yes", "yes", "no"])
    assert d.feature_names == ["in1", "in2", "in3"] and d.n_inputs == 3
    assert d.class_names == ["no", "yes"] and d.n_train == d.n_test == 4
    np.testing.assert_array_equal(d.x_test, d.x_train)
    assert d.x_test is not d.x_train
    np.testing.assert_array_equal(d.transform(np.array(x, dtype=np.float32)), np.array(x, dtype=np.float32))


def test_inline_regression_needs_numbers_and_classification_two_classes():
    d = build("inline", kind="regression", x=[[1], [2], [3]], y=[0.5, 1, 1.5], train_percent=50)
    assert d.y_train.shape == (d.n_train, 1) and d.n_train + d.n_test == 3
    with pytest.raises(DatasetError, match=r"dataset\.y\[0\]"):
        build("inline", kind="regression", x=[[1], [2]], y=["a", "b"])
    with pytest.raises(DatasetError, match="at least two classes"):
        build("inline", kind="classification", x=[[1], [2]], y=[1, 1])


def test_inline_numeric_classes_are_ordered_numerically():
    d = build("inline", kind="classification", x=[[1], [2], [3], [4]], y=[10, -1, 2, 10])
    assert d.class_names == ["-1", "2", "10"]
    np.testing.assert_array_equal(d.y_train[np.argsort(d.points_train[:, 0])], [2, 0, 1, 2])


def test_importing_the_package_does_not_pull_in_torch_or_sklearn():
    code = (
        "import sys, playground.core.data;"
        "print(sorted({'torch', 'sklearn', 'PySide6'} & set(sys.modules)))"
    )
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
