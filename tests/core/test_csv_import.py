"""Loading a student's CSV file: accepted formats, clear errors with file and line, never a crash."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.data import DatasetError, TabularData, check_dataset, load_points_csv, make_dataset


def write(tmp_path: Path, text: str | bytes, name: str = "points.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def error(path: Path) -> str:
    with pytest.raises(DatasetError) as info:
        load_points_csv(path)
    return str(info.value)


def build(path: Path, kind: str = "classification", seed: int = 0, base_dir: Path | None = None,
          **params) -> TabularData:
    values, problems = check_dataset({"name": "csv", "path": str(path), **params})
    assert problems == []
    return make_dataset(values, seed=seed, kind=kind, base_dir=base_dir)


# ---- accepted formats ---------------------------------------------------------------------------

def test_header_is_optional(tmp_path):
    body = "1,2,a\n3.5,-4,b\n"
    with_header = load_points_csv(write(tmp_path, "x1,x2,label\n" + body, "h.csv"))
    without = load_points_csv(write(tmp_path, body, "n.csv"))
    np.testing.assert_array_equal(with_header[0], [[1, 2], [3.5, -4]])
    np.testing.assert_array_equal(without[0], with_header[0])
    assert with_header[1] == without[1] == ["a", "b"]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files(tmp_path, sep):
    rows = [["x", "y", "class"], ["1", "2", "0"], ["3", "4", "1"]]
    text = "\n".join(sep.join(r) for r in rows)
    points, labels = load_points_csv(write(tmp_path, text))
    np.testing.assert_array_equal(points, [[1, 2], [3, 4]])
    assert labels == ["0", "1"]


def test_semicolon_file_may_have_commas_inside_labels(tmp_path):
    points, labels = load_points_csv(write(tmp_path, "1;2;dark, red\n3;4;light\n"))
    assert labels == ["dark, red", "light"]


def test_first_line_with_one_number_is_data_not_a_header(tmp_path):
    message = error(write(tmp_path, "1,abc,a\n3,4,b\n5,6,a\n"))
    assert message == "points.csv, line 1: x2 is not a number: 'abc'"
    message = error(write(tmp_path, "abc,2,a\n3,4,b\n5,6,a\n"))
    assert message == "points.csv, line 1: x1 is not a number: 'abc'"


def test_comments_blank_lines_quotes_whitespace_crlf_and_bom_are_tolerated(tmp_path):
    text = '\ufeff# my points\r\n\r\n x1 , x2 , label \r\n 1 , 2 , "cat" \r\n\r\n# more\r\n3,4, \'dog\'\r\n'
    points, labels = load_points_csv(write(tmp_path, text))
    np.testing.assert_array_equal(points, [[1, 2], [3, 4]])
    assert labels == ["cat", "dog"]


def test_string_labels_become_alphabetical_classes(tmp_path):
    path = write(tmp_path, "0,0,dog\n1,1,cat\n2,2,dog\n3,3,bird\n4,4,cat\n5,5,bird\n")
    d = build(path, train_percent=50)
    assert d.class_names == ["bird", "cat", "dog"]
    p = np.concatenate([d.points_train, d.points_test])[:, 0]
    y = np.concatenate([d.y_train, d.y_test])
    np.testing.assert_array_equal(y[np.argsort(p)], [2, 1, 2, 0, 1, 0])


def test_numeric_labels_are_ordered_numerically_and_named_by_their_text(tmp_path):
    path = write(tmp_path, "0,0,10\n1,1,-1\n2,2,2\n3,3,1.0\n4,4,-1\n")
    d = build(path, train_percent=90)
    assert d.class_names == ["-1", "1.0", "2", "10"]


def test_csv_dataset_uses_every_row_and_resolves_paths_from_the_preset_folder(tmp_path):
    rows = "\n".join(f"{i},{-2 * i},{i % 2}" for i in range(20))
    write(tmp_path, "x1,x2,label\n" + rows)
    d = build(Path("points.csv"), base_dir=tmp_path, train_percent=70, features=["x1", "x1*x2"])
    assert d.n_train == 14 and d.n_test == 6 and d.class_names == ["0", "1"]
    assert d.feature_names == ["x1", "x1*x2"]
    np.testing.assert_array_equal(d.transform(d.points_train), d.x_train)
    assert d.extent == pytest.approx((-1.9, 20.9, -41.8, 3.8))


def test_csv_regression_uses_numeric_labels_as_targets(tmp_path):
    path = write(tmp_path, "0,0,0.5\n1,1,1.5\n2,2,2.5\n3,3,3.5\n")
    d = build(path, kind="regression", standardize=True)
    assert d.y_train.dtype == np.float32 and d.y_train.shape == (2, 1)
    targets = np.concatenate([d.y_train, d.y_test])[:, 0]
    np.testing.assert_allclose(np.sort(targets), [0.5, 1.5, 2.5, 3.5])
    np.testing.assert_allclose(d.x_train.mean(axis=0), 0.0, atol=1e-6)


def test_csv_split_follows_the_seed(tmp_path):
    path = write(tmp_path, "\n".join(f"{i},{i},{i % 3}" for i in range(30)))
    a, b, c = build(path, seed=1), build(path, seed=1), build(path, seed=2)
    np.testing.assert_array_equal(a.points_train, b.points_train)
    assert not np.array_equal(a.points_train, c.points_train)


# ---- errors name the file, the line and the problem ---------------------------------------------

def test_wrong_field_count_names_file_and_line(tmp_path):
    text = "x1,x2,label\n1,2,a\n\n# comment\n3,4,b\n5,6,a\n7,8\n"
    assert error(write(tmp_path, text)) == "points.csv, line 7: expected 3 fields (x1, x2, label), got 2"


def test_non_numeric_coordinate(tmp_path):
    text = "1,2,a\n3,4,b\n" + "5,6,a\n" * 6 + "7,abc,b\n"
    assert error(write(tmp_path, text)) == "points.csv, line 9: x2 is not a number: 'abc'"


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e999", "-1e39"])  # 1e39 overflows float32
def test_non_finite_coordinates_are_refused(tmp_path, bad):
    message = error(write(tmp_path, f"1,2,a\n{bad},4,b\n"))
    assert message.startswith("points.csv, line 2: x1 is not a finite number")


def test_empty_label(tmp_path):
    assert error(write(tmp_path, "1,2,a\n3,4,  \n")) == "points.csv, line 2: the label is empty"


@pytest.mark.parametrize(("text", "expected"), [
    ("", "points.csv: the file is empty"),
    ("\n\n# only a comment\n", "points.csv: the file is empty"),
    ("x1,x2,label\n", "points.csv: no data rows, only a header"),
    ("x1,x2,label\n1,2,a\n", "points.csv: needs at least 2 data rows, found 1"),
])
def test_files_without_enough_data(tmp_path, text, expected):
    assert error(write(tmp_path, text)).startswith(expected)


def test_missing_file_and_folder(tmp_path):
    assert "file not found" in error(tmp_path / "nope.csv")
    assert "folder" in error(tmp_path)


def test_binary_file_is_refused(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8\xff"
    assert "not UTF-8 text" in error(write(tmp_path, png))
    assert "binary" in error(write(tmp_path, b"1,2,a\n3,4,\x00b\n", "nul.csv"))


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: no real disk use
    assert "50 MB" in error(path)


def test_regression_needs_numeric_labels_and_names_the_first_bad_line(tmp_path):
    path = write(tmp_path, "x1,x2,y\n0,0,1\n1,1,2\n2,2,high\n3,3,low\n")
    with pytest.raises(DatasetError, match=r"^points\.csv, line 4: regression needs a number.*'high'"):
        build(path, kind="regression")


def test_classification_needs_two_classes(tmp_path):
    path = write(tmp_path, "0,0,a\n1,1,a\n")
    with pytest.raises(DatasetError, match="points.csv: classification needs at least two classes"):
        build(path)


def test_missing_file_through_make_dataset_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="file not found"):
        build(Path("missing.csv"), base_dir=tmp_path)


# ---- fuzzing: anything in a .csv loads or gives a DatasetError ----------------------------------

CSVISH = st.text(alphabet=st.sampled_from(list("0123456789.,;\t\n\r -+eE#\"'abcnainf\x00\ufeffé")),
                 max_size=200)
FIELD = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-3, 3).map(str),
                  st.sampled_from(["", " ", "cat", '"dog"', "x1", "1e999", "#", "nan"]))
ROWS = st.lists(st.lists(FIELD, min_size=1, max_size=4), max_size=12).flatmap(
    lambda rows: st.sampled_from([",", ";", "\t"]).map(lambda sep: "\n".join(sep.join(r) for r in rows)))


def _load_everything(path: Path) -> None:
    try:
        points, labels = load_points_csv(path)
    except DatasetError as exc:
        assert str(exc)
        return
    assert points.shape == (len(labels), 2) and np.isfinite(points).all()
    for kind in ("classification", "regression"):
        try:
            build(path, kind=kind)
        except DatasetError:
            pass


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), CSVISH, ROWS))
def test_random_content_loads_or_raises_dataset_error(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzz.csv"
    write(path.parent, data, path.name)
    _load_everything(path)
