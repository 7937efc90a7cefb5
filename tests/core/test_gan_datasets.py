"""The 2-D distributions a GAN learns: shapes, modes, the user's CSV of points and its error messages."""

import numpy as np
import pytest

from playground.core.data import DATASETS, check_dataset, make_dataset
from playground.core.data.importers import DatasetError
from playground.core.io_shapes import data_shape
from playground.core.presets import PresetError, parse_preset


def build(name, **values):
    checked, problems = check_dataset({"name": name, **values})
    assert not problems, problems
    return make_dataset(checked, seed=3, kind="distribution")


@pytest.mark.parametrize("name", ["gaussian-ring", "gaussian-grid", "spiral-curve", "two-moons", "line"])
def test_each_distribution_builds_2d_points(name):
    data = build(name, samples=1000)
    assert DATASETS[name].kind == "distribution"
    assert data.input_shape == (2,) and data.n_train == 750 and data.n_test == 250
    assert np.isfinite(data.x_train).all()
    xmin, xmax, ymin, ymax = data.extent
    assert xmin < data.x_train[:, 0].min() and data.x_train[:, 0].max() < xmax
    assert data_shape({"name": name}, "gan") == ((2,), None)


def test_ring_points_sit_on_eight_modes_of_the_unit_circle():
    data = build("gaussian-ring")
    assert data.modes.shape == (8, 2) and data.sigma == 0.01
    assert np.allclose(np.hypot(*data.modes.T), 1.0)
    nearest = np.min(np.linalg.norm(data.x_train[:, None] - data.modes[None], axis=2), axis=1)
    assert nearest.max() < 6 * 0.01 and np.hypot(*data.x_train.T).mean() == pytest.approx(1.0, abs=0.01)


def test_grid_has_25_modes_at_even_coordinates():
    data = build("gaussian-grid")
    assert data.modes.shape == (25, 2) and data.sigma == 0.05
    assert sorted(set(data.modes.ravel().tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_curves_know_no_modes():
    assert build("two-moons").modes is None and build("line").modes is None


def test_points_csv_reads_x1_x2_with_header_and_ignores_a_third_column(tmp_path):
    rows = ["x1,x2"] + [f"{i / 10},{-i / 10}" for i in range(20)]
    (tmp_path / "p.csv").write_text("\n".join(rows))
    (tmp_path / "q.csv").write_text("\n".join(f"{i};{i * 2};label" for i in range(12)))
    data = build("points-csv", path=str(tmp_path / "p.csv"), train_percent=50)
    assert data.n_train == 10
    assert max(data.x_train[:, 0].max(), data.x_test[:, 0].max()) == pytest.approx(1.9)
    assert build("points-csv", path=str(tmp_path / "q.csv")).input_shape == (2,)


@pytest.mark.parametrize("text, message", [
    ("1,2\n3,oops\n" + "1,1\n" * 10, "q.csv, line 2: x2 is not a finite number: 'oops'"),
    ("1,2,3,4\n", "q.csv, line 1: expected 2 fields (x1, x2), got 4"),
    ("1,2\n2,3\n", "q.csv: needs at least 10 points"),
    ("", "q.csv: the file is empty"),
])
def test_bad_points_files_are_named_with_their_line(tmp_path, text, message):
    (tmp_path / "q.csv").write_text(text)
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build("points-csv", path=str(tmp_path / "q.csv"))


def test_missing_path_and_missing_file(tmp_path):
    _, problems = check_dataset({"name": "points-csv"})
    assert problems and problems[0].path == "dataset.path" and "points.csv" in problems[0].message
    with pytest.raises(DatasetError, match="file not found"):
        build("points-csv", path=str(tmp_path / "nope.csv"))


def test_a_gan_refuses_a_classification_dataset():
    document = {"name": "t", "task": "gan", "dataset": {"name": "moons"},
                "networks": {"generator": {"layers": [{"type": "Linear", "width": 2}]},
                             "discriminator": {"layers": [{"type": "Linear", "width": 1}]}}, "training": {}}
    with pytest.raises(PresetError) as info:
        parse_preset(document)
    assert "dataset.name" in str(info.value) and "distribution or image" in str(info.value)
