"""Image data: digits, generated shapes and their factors, .npz and folder import, augmentation."""

import json
import pickle

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.data import DatasetError, check_dataset, make_dataset
from playground.core.data.images import augment_batch
from playground.core.data.shape_images import SHAPES
from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.training.factory import make_trainer


def build(name, seed=0, base_dir=None, **params):
    values, problems = check_dataset({"name": name, **params})
    assert problems == []
    return make_dataset(values, seed=seed, kind="image", base_dir=base_dir)


def test_digits_are_scikit_learns_bundled_images():
    d = build("digits")
    assert d.n_train + d.n_test == 1797 and d.input_shape == (1, 8, 8) and d.n_classes == 10
    assert d.x_train.min() >= 0 and d.x_train.max() <= 1 and d.x_train.dtype == np.float32


def test_shapes_are_deterministic_from_the_seed():
    a, b, c = build("shapes", seed=3, samples=200), build("shapes", seed=3, samples=200), build("shapes", seed=4,
                                                                                              samples=200)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.x_train, c.x_train)


def test_shape_factors_match_the_pixels():
    d = build("shapes", samples=400, size=32, shapes=list(SHAPES), noise=0)
    x, f = d.x_train[:, 0], d.factors_train
    assert set(f) == {"shape", "scale", "rotation", "x", "y"} and np.array_equal(f["shape"], d.y_train)
    # the figure's centre of brightness sits where the x/y factors put it (canvas coordinates in [-1, 1])
    grid = (np.arange(32) + 0.5) / 32 * 2 - 1
    mass = x.sum(axis=(1, 2))
    cx = (x.sum(axis=1) * grid).sum(axis=1) / mass
    cy = (x.sum(axis=2) * -grid).sum(axis=1) / mass
    symmetric = np.isin(f["shape"], [SHAPES.index(s) for s in ("square", "circle", "cross", "ring")])
    assert np.abs(cx - f["x"])[symmetric].max() < 0.06 and np.abs(cy - f["y"])[symmetric].max() < 0.06
    # bigger figures cover more pixels
    circles = f["shape"] == SHAPES.index("circle")
    assert np.corrcoef(f["scale"][circles], mass[circles])[0, 1] > 0.95
    assert f["scale"].min() >= 0.35 and f["scale"].max() <= 0.8 and np.abs(f["rotation"]).max() <= 180


def test_images_come_out_plainly_nchw(tmp_path):
    """Standard strides on every axis, the size-1 channel axis too: torch must not read the images as
    channels-last, which sends convolutions down other oneDNN kernels (one of them is broken on AVX2)."""
    np.savez(tmp_path / "gray.npz", x=np.zeros((10, 6, 6), dtype=np.uint8), y=np.arange(10) % 2)
    for d in (build("digits"), build("shapes", samples=100), build("npz", base_dir=tmp_path, path="gray.npz")):
        for x in (d.x_train, d.x_test):
            tensor = torch.as_tensor(x)
            assert tensor.stride() == torch.empty(x.shape).stride() and x.dtype == np.float32
            out = torch.nn.functional.conv2d(tensor[:2], torch.zeros(2, x.shape[1], 1, 1))
            assert out.is_contiguous(), out.stride()  # a channels-last input would give a channels-last output


def test_standard_normalisation_uses_training_statistics():
    d = build("digits", normalize="standard")
    assert abs(d.x_train.mean()) < 1e-4 and abs(d.x_train.std() - 1) < 1e-3
    assert np.allclose(d.for_display(d.x_train), build("digits").x_train, atol=1e-5)


def test_npz_import(tmp_path):
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "mine.npz", x=rng.integers(0, 256, (40, 12, 12), dtype=np.uint8),
             y=np.array(["cat", "dog"] * 20))
    d = build("npz", base_dir=tmp_path, path="mine.npz")
    assert d.input_shape == (1, 12, 12) and d.class_names == ["cat", "dog"] and d.x_train.max() <= 1


@pytest.mark.parametrize("arrays, message", [
    ({"images": np.zeros((4, 8, 8))}, "no array named 'x'"),
    ({"x": np.zeros((4, 8))}, "must have shape (N, H, W) or (N, C, H, W)"),
    ({"x": np.zeros((4, 8, 8)), "y": np.zeros(3, dtype=int)}, "'y' has 3 labels for 4 images"),
    ({"x": np.full((4, 8, 8), np.nan), "y": np.arange(4)}, "NaN"),
    ({"x": np.zeros((4, 8, 8, 3)), "y": np.arange(4)}, "channels-last"),
])
def test_bad_npz_files_are_named_and_explained(tmp_path, arrays, message):
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DatasetError, match="bad.npz") as info:
        build("npz", base_dir=tmp_path, path="bad.npz")
    assert message in str(info.value)


class Exploit:
    def __reduce__(self):
        import os

        return (os.system, ("touch pwned",))


def test_a_pickle_inside_an_npz_is_refused_and_never_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    np.savez(tmp_path / "evil.npz", x=np.array([Exploit()], dtype=object))
    (tmp_path / "junk.npz").write_bytes(pickle.dumps(Exploit()))
    for name in ("evil.npz", "junk.npz"):
        with pytest.raises(DatasetError, match=name):
            build("npz", base_dir=tmp_path, path=name)
    assert not (tmp_path / "pwned").exists()


def test_folder_of_images(tmp_path):
    from PIL import Image

    for label, value in (("dark", 30), ("light", 220)):
        (tmp_path / "pics" / label).mkdir(parents=True)
        for i in range(5):
            Image.new("L", (20 + i, 10), value).save(tmp_path / "pics" / label / f"{i}.png")
    d = build("image-folder", base_dir=tmp_path, path="pics", size=8, train_percent=60)
    assert d.class_names == ["dark", "light"] and d.input_shape == (1, 8, 8) and d.n_train == 6
    (tmp_path / "pics" / "light" / "broken.png").write_bytes(b"not really a png")
    with pytest.raises(DatasetError, match="broken.png"):
        build("image-folder", base_dir=tmp_path, path="pics", size=8)


def test_folder_needs_a_subfolder_per_class(tmp_path):
    (tmp_path / "one" / "only").mkdir(parents=True)
    with pytest.raises(DatasetError, match="one sub-folder per class"):
        build("image-folder", base_dir=tmp_path, path="one")


def test_augmentation_shifts_and_flips_deterministically():
    x = torch.zeros(64, 1, 5, 5)
    x[:, 0, 2, 2] = 1
    a = augment_batch(x, 1, False, torch.Generator().manual_seed(0))
    b = augment_batch(x, 1, False, torch.Generator().manual_seed(0))
    assert torch.equal(a, b) and torch.equal(a.sum(dim=(1, 2, 3)), torch.ones(64))
    positions = {tuple(torch.nonzero(img[0])[0].tolist()) for img in a}
    assert positions <= {(r, c) for r in (1, 2, 3) for c in (1, 2, 3)} and len(positions) > 4
    x[:, 0, 2, 2] = 0
    x[:, 0, 0, 0] = 1
    flipped = augment_batch(x, 0, True, torch.Generator().manual_seed(1))
    corners = {tuple(torch.nonzero(img[0])[0].tolist()) for img in flipped}
    assert corners == {(0, 0), (0, 4)}


def test_an_mlp_without_flatten_is_named_with_the_image_shape():
    doc = load_preset("digits-mlp").to_json()
    doc["networks"]["main"]["layers"].pop(0)
    with pytest.raises(PresetError) as info:
        parse_preset(doc)
    assert "networks.main.layers[0]: Linear receives (1, 8, 8), but needs a flat input" in str(info.value)


def test_image_size_from_a_file_is_checked_when_the_data_loads(tmp_path):
    np.savez(tmp_path / "big.npz", x=np.zeros((20, 16, 16), dtype=np.uint8), y=np.arange(20) % 2)
    doc = load_preset("digits-mlp").to_json()
    doc["dataset"] = {"name": "npz", "path": "big.npz"}
    doc["networks"]["main"]["layers"][-1]["width"] = 2
    doc["networks"]["main"]["layers"].insert(0, {"type": "Reshape", "shape": [64]})
    (tmp_path / "p.json").write_text(json.dumps(doc))
    with pytest.raises(PresetError, match=r"Reshape receives \(1, 16, 16\)"):
        make_trainer(load_preset(tmp_path / "p.json"))


@pytest.mark.parametrize("name, steps, floor", [("digits-cnn", 150, 0.8), ("shapes-cnn", 200, 0.6),
                                                ("digits-mlp", 150, 0.8)])
def test_short_runs_learn(name, steps, floor, one_thread):
    doc = load_preset(name).to_json()
    doc["training"]["steps"] = steps
    trainer = make_trainer(parse_preset(doc))
    start = trainer.evaluate()["test_accuracy"]
    trainer.run()
    scores = trainer.evaluate(detailed=True)
    assert scores["test_accuracy"] > max(floor, start + 0.3)
    assert np.sum(scores["confusion_matrix"]) == trainer.data.n_test
    assert len(scores["roc_auc"]) == trainer.data.n_classes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(["npz", "png"]))
def test_random_files_load_or_give_a_named_error(tmp_path, payload, kind):
    """Garbage in an .npz or an image file: a DatasetError naming the file, never anything else."""
    if kind == "npz":
        (tmp_path / "x.npz").write_bytes(payload)
        cases = [("npz", {"path": "x.npz"}, "x.npz")]
    else:
        for label in ("a", "b"):
            (tmp_path / "pics" / label).mkdir(parents=True, exist_ok=True)
        (tmp_path / "pics" / "a" / "one.png").write_bytes(payload)
        (tmp_path / "pics" / "b" / "two.png").write_bytes(payload)
        cases = [("image-folder", {"path": "pics", "size": 8}, "one.png")]
    for name, params, fragment in cases:
        try:
            build(name, base_dir=tmp_path, **params)
        except DatasetError as exc:
            assert fragment in str(exc) or "pics" in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 5), min_size=2, max_size=5), st.sampled_from(["uint8", "float32", "int64", "bool"]))
def test_random_arrays_in_an_npz_load_or_give_a_named_error(tmp_path, shape, dtype):
    np.savez(tmp_path / "arr.npz", x=np.ones(shape, dtype=dtype), y=np.arange(shape[0]) % 2)
    try:
        data = build("npz", base_dir=tmp_path, path="arr.npz")
        assert np.isfinite(data.x_train).all()
    except DatasetError as exc:
        assert "arr.npz" in str(exc)
