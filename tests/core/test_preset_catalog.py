"""The preset catalogue and the thumbnails the gallery and the Data panel show (no Qt)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from playground.core.colors import BLUE, CLASS_COLORS, ORANGE, REAL_COLOR
from playground.core.preset_catalog import (
    FAMILIES,
    TEACHING_ORDER,
    bundled_catalog,
    family_of,
    grouped,
    matches,
    preset_thumbnail,
    read_entry,
)
from playground.core.presets import PresetError, bundled_presets, load_preset
from playground.core.raster import Canvas
from playground.core.thumbnails import dataset_thumbnail, drawable_datasets, network_picture

SIZE = 64


def near(picture: np.ndarray, color, tolerance: float = 30.0) -> int:
    """How many pixels are within ``tolerance`` of ``color`` (RGB)."""
    distance = np.abs(picture[..., :3].astype(np.float64) - np.asarray(color, dtype=np.float64)).max(axis=-1)
    return int((distance <= tolerance).sum())


def drawn(picture: np.ndarray) -> float:
    """The share of pixels that differ from the background (the corner's colour)."""
    return float((picture[..., :3] != picture[0, 0, :3]).any(axis=-1).mean())


@pytest.fixture(scope="module")
def thumbnails():
    return {e.name: preset_thumbnail(load_preset(e.path), SIZE) for e in bundled_catalog()}


def test_every_bundled_preset_is_in_exactly_one_family():
    names = [e.name for e in bundled_catalog()]
    assert sorted(names) == sorted(bundled_presets()), "the catalogue lists exactly the bundled presets"
    groups = grouped(bundled_catalog())
    listed = [e.name for _, members in groups for e in members]
    assert sorted(listed) == sorted(names) and len(listed) == len(set(listed))
    assert {family.key for family, _ in groups} == {f.key for f in FAMILIES}, "every family has presets"
    assert all(e.description for e in bundled_catalog())


def test_families_follow_what_a_preset_is():
    family = {e.name: e.family for e in bundled_catalog()}
    assert family["spiral-deep"] == family["xor"] == family["blobs"] == "classification"
    assert family["regression-plane"] == family["regression-gauss"] == "regression"
    assert family["digits-cnn"] == family["shapes-cnn"] == family["digits-mlp"] == "images"
    assert family["gan-ring8"] == family["gan-digits"] == "gan"
    assert family["vae-shapes"] == "vae"
    assert family["seed-forward-pass"] == "worked"
    assert family_of("regression", "inline") == "worked" and family_of("gan", "gaussian-grid") == "gan"


def test_teaching_order_orders_within_a_family_and_names_only_bundled_presets():
    assert set(TEACHING_ORDER) <= set(bundled_presets())
    members = dict(grouped(bundled_catalog()))
    classification = [e.name for e in members[FAMILIES[0]]]
    assert classification.index("circle-linear") < classification.index("circle-features") < \
        classification.index("spiral-deep")


def test_every_bundled_preset_has_a_picture(thumbnails):
    for name, picture in thumbnails.items():
        assert picture.shape == (SIZE, SIZE, 4) and picture.dtype == np.uint8, name
        assert (picture[..., 3] == 255).all(), name
        assert drawn(picture) > 0.03, f"{name}: an empty picture"


def test_pictures_use_the_apps_colours(thumbnails):
    assert near(thumbnails["xor"], ORANGE) > 50 and near(thumbnails["xor"], BLUE) > 50
    assert near(thumbnails["multiclass-spiral"], CLASS_COLORS[2]) > 30, "the third class is green"
    assert near(thumbnails["gan-moons"], REAL_COLOR) > 50, "a GAN's real data is GAN Lab's green"
    assert near(thumbnails["gan-moons"], ORANGE) == 0
    digits = thumbnails["digits-cnn"]
    grey = np.abs(digits[..., 0].astype(int) - digits[..., 2].astype(int)).max()
    assert grey == 0 and near(digits, (0, 0, 0), 10) > 200, "a mosaic of grey images on black"


def test_a_worked_example_shows_its_network(thumbnails):
    assert np.array_equal(thumbnails["seed-forward-pass"], network_picture([3, 2, 1], SIZE))


def test_every_generated_dataset_has_a_tile_and_files_have_none():
    names = drawable_datasets()
    assert {"circle", "xor", "gauss", "spiral", "moons", "multiclass-spiral", "blobs"} <= set(names)
    assert not {"csv", "inline", "npz", "image-folder", "points-csv"} & set(names)
    assert drawable_datasets(("regression",)) == ["regression-plane", "regression-gauss"]
    for name in names:
        picture = dataset_thumbnail(name, 40)
        assert picture.shape == (40, 40, 4) and drawn(picture) > 0.02, name
    with pytest.raises(KeyError):
        dataset_thumbnail("csv")


def test_pictures_are_reproducible():
    assert np.array_equal(dataset_thumbnail("spiral", 48), dataset_thumbnail("spiral", 48))


def test_search_matches_every_word_of_name_or_description():
    entry = {e.name: e for e in bundled_catalog()}
    assert matches(entry["spiral-deep"], "") and matches(entry["spiral-deep"], "SPIRAL")
    assert matches(entry["spiral-deep"], "spirals depth") and not matches(entry["spiral-deep"], "spiral gan")
    assert matches(entry["digits-cnn"], "digits cnn") and matches(entry["spiral-deep"], "spiral deep")
    found = {e.name for e in bundled_catalog() if matches(e, "cnn")}
    assert found == {"digits-cnn", "shapes-cnn"}
    assert matches(entry["xor"], "bonjour", description="bonjour tout le monde"), "a translated description"


def test_reading_a_file_that_is_not_a_preset_says_so(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(PresetError):
        read_entry(bad)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(PresetError):
        read_entry(listed)
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"name": "mine", "description": "two\n lines", "task": "gan",
                                "dataset": {"name": "gaussian-ring"}}))
    entry = read_entry(mine)
    assert (entry.name, entry.description, entry.family) == ("mine", "two lines", "gan")


def test_a_preset_whose_data_file_is_missing_still_gets_a_picture(tmp_path):
    doc = load_preset("xor").to_json()
    doc["dataset"] = {"name": "csv", "path": "missing.csv"}
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc))
    picture = preset_thumbnail(load_preset(path, check_fit=False), SIZE)
    assert np.array_equal(picture, network_picture([2, 8, 8, 1], SIZE))


def test_later_discs_cover_earlier_ones():
    canvas = Canvas(20)
    canvas.discs(np.array([[10.0, 10.0], [10.0, 10.0]]), 5.0, np.array([[255, 0, 0], [0, 0, 255]]))
    assert tuple(canvas.rgba()[10, 10, :3]) == (0, 0, 255)
    assert tuple(canvas.rgba()[0, 0, :3]) == (255, 255, 255)


def test_drawing_every_thumbnail_loads_no_torch_and_no_qt():
    """The GUI draws these on a worker thread while the window starts: they must not pull in torch
    (which the window loads only after its first paint) or need Qt."""
    script = (
        "import sys\n"
        "from playground.core.preset_catalog import bundled_catalog, preset_thumbnail\n"
        "from playground.core.presets import load_preset\n"
        "from playground.core.thumbnails import dataset_thumbnail, drawable_datasets\n"
        "for e in bundled_catalog(): preset_thumbnail(load_preset(e.path), 32)\n"
        "for n in drawable_datasets(): dataset_thumbnail(n, 32)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'PySide6', 'pyqtgraph')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
