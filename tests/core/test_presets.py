"""Preset files: validation messages with JSON paths, all problems at once, lossless save/load."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core import presets
from playground.core.presets import PresetError, bundled_presets, load_preset, parse_preset, save_preset

EXPECTED_BUNDLED = {"circle-linear", "circle-features", "xor", "gauss", "spiral-deep", "moons", "multiclass-spiral",
                    "regression-plane", "seed-forward-pass"}


def minimal(**changes):
    doc = {
        "format": 1, "name": "t", "description": "a test", "task": "classification",
        "dataset": {"name": "circle"},
        "networks": {"main": {"layers": [{"type": "Linear", "width": 8}, {"type": "ReLU"},
                                         {"type": "Linear", "width": 2}]}},
        "training": {"steps": 10},
    }
    doc.update(changes)
    return doc


def problems_of(doc) -> list[str]:
    with pytest.raises(PresetError) as info:
        parse_preset(doc)
    return [str(p) for p in info.value.problems]


def test_the_required_presets_are_bundled():
    assert EXPECTED_BUNDLED <= set(bundled_presets())


@pytest.mark.parametrize("name", sorted(bundled_presets()))
def test_bundled_preset_round_trips_losslessly(name, tmp_path):
    preset = load_preset(name)
    assert preset.description and "\n" not in preset.description
    assert preset.target is not None, "every bundled preset states its target"
    path = save_preset(preset, tmp_path / f"{name}.json")
    again = load_preset(path)
    assert again.to_json() == preset.to_json()
    assert save_preset(again, tmp_path / "second.json").read_text() == path.read_text()


def test_error_names_json_path_and_expectation():
    doc = minimal()
    doc["networks"]["main"]["layers"][2]["width"] = -4
    assert problems_of(doc) == ["networks.main.layers[2].width: expected a positive integer, got -4"]


def test_all_problems_are_reported_at_once():
    doc = minimal(seed=-1, device="tpu")
    doc["dataset"]["noise"] = 80
    doc["training"]["learning_rat"] = 0.1
    doc["networks"]["main"]["layers"][0]["type"] = "Linaer"
    found = problems_of(doc)
    joined = "\n".join(found)
    assert len(found) == 5, joined
    assert "seed: expected a non-negative integer, got -1" in joined
    assert "device: expected one of auto, cpu, cuda, mps, got 'tpu'" in joined
    assert "dataset.noise: expected a number <= 50, got 80" in joined
    assert "training.learning_rat: unknown key (did you mean 'learning_rate'?)" in joined
    assert "networks.main.layers[0].type" in joined and "did you mean 'Linear'?" in joined


def test_unknown_top_level_key_gets_a_hint():
    assert problems_of(minimal(descripton="x")) == ["descripton: unknown key (did you mean 'description'?)"]


def test_missing_sections_are_named():
    found = problems_of({"format": 1, "name": "x"})
    assert {"dataset: missing (required)", "networks: missing (required)", "training: missing (required)"} <= set(found)


def test_shape_error_names_layer_position_and_shapes():
    doc = minimal()
    doc["networks"]["main"]["layers"] = [{"type": "Linear", "width": 8}, {"type": "Conv2d"}, {"type": "Flatten"},
                                         {"type": "Linear", "width": 2}]
    [message] = problems_of(doc)
    assert message.startswith("networks.main.layers[1]: Conv2d receives (8,), but needs an image input")


def test_output_size_must_suit_the_task():
    doc = minimal()
    doc["networks"]["main"]["layers"][2]["width"] = 3
    [message] = problems_of(doc)
    assert "networks.main: the network outputs [3]" in message and "2 outputs" in message


def test_a_single_logit_is_accepted_for_two_classes():
    doc = minimal()
    doc["networks"]["main"]["layers"][2]["width"] = 1
    assert parse_preset(doc).networks["main"].layers[2].params["width"] == 1


def test_steps_and_epochs_are_exclusive_and_default_to_steps():
    doc = minimal()
    doc["training"]["epochs"] = 3
    assert problems_of(doc) == ["training: give steps or epochs, not both"]
    doc["training"] = {}
    assert parse_preset(doc).training["steps"] == 1000


def test_defaults_are_filled_and_documented():
    preset = parse_preset(minimal())
    assert preset.training["optimizer"] == {"type": "adam", "beta1": 0.9, "beta2": 0.999, "weight_decay": 0.0}
    assert preset.training["scheduler"] == {"type": "none"}
    assert preset.dataset["noise"] == 0 and preset.dataset["features"] == ["x1", "x2"]
    assert preset.networks["main"].layers[0].params == {"width": 8, "bias": True}


def test_nested_option_objects_are_checked():
    doc = minimal()
    doc["training"].update(optimizer={"type": "sgd", "nesterov": True}, scheduler={"type": "step", "gama": 0.5})
    found = problems_of(doc)
    assert "training.optimizer.nesterov: needs momentum > 0" in found
    assert "training.scheduler.gama: unknown key (did you mean 'gamma'?)" in found


def test_init_is_validated_per_tensor():
    doc = minimal()
    layers = doc["networks"]["main"]["layers"]
    layers[0]["init"] = {"weight": {"kind": "normal", "std": -1}, "bias": {"kind": "xavier_uniform"}}
    layers[1]["init"] = {"weight": {"kind": "zeros"}}
    found = problems_of(doc)
    assert "networks.main.layers[0].init.weight.std: expected a non-negative number, got -1" in found
    assert "networks.main.layers[0].init.bias.kind: xavier_uniform needs a weight matrix, not a bias" in found
    assert "networks.main.layers[1].init: ReLU has no weights to initialise" in found


def test_loss_must_suit_the_task():
    doc = minimal()
    doc["training"]["loss"] = "huber"
    assert problems_of(doc) == ["training.loss: 'huber' does not suit classification; use auto or one of "
                                "cross_entropy, mse"]


def test_newer_format_is_refused_clearly():
    [message] = problems_of(minimal(format=99))
    assert "format 99" in message and "update the app" in message


def test_older_formats_are_migrated(monkeypatch):
    def rename_lr(doc):
        doc["training"] = dict(doc["training"])
        doc["training"]["learning_rate"] = doc["training"].pop("lr")
        return doc

    monkeypatch.setattr(presets, "FORMAT_VERSION", 2)
    monkeypatch.setitem(presets.MIGRATIONS, 1, rename_lr)
    doc = minimal()
    doc["training"]["lr"] = 0.5
    assert parse_preset(doc).training["learning_rate"] == 0.5


def test_wrong_types_never_raise_anything_but_preset_error():
    for doc in (None, [], "x", 3, {"networks": []}, minimal(networks={"main": {"layers": [1, None, {}]}}),
                minimal(training=[]), minimal(dataset="circle")):
        with pytest.raises(PresetError):
            parse_preset(doc)


def test_deep_residual_nesting_is_refused_not_a_recursion_error():
    layer = {"type": "Linear", "width": 2}
    for _ in range(50):
        layer = {"type": "Residual", "layers": [layer]}
    doc = minimal()
    doc["networks"]["main"]["layers"] = [layer]
    assert any("nested deeper than" in p for p in problems_of(doc))


@pytest.mark.parametrize("content, expected", [
    (b'{"format": 1,\n  "name": }', "invalid JSON at line 2, column 11"),
    (b'{"seed": NaN}', "NaN is not allowed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "not a text file"),
])
def test_unreadable_files_give_clear_messages(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(PresetError) as info:
        load_preset(path)
    assert expected in str(info.value) and str(path) in str(info.value)


def test_unknown_preset_name_suggests_the_bundled_one():
    with pytest.raises(PresetError) as info:
        load_preset("spiral-dep")
    assert "did you mean 'spiral-deep'?" in str(info.value)


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "mine.json"
    preset = load_preset("xor")
    save_preset(preset, path)
    before = path.read_text()
    preset.name = "changed"

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_preset(preset, path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def mutate(doc, path, value):
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


PATHS = [("seed",), ("task",), ("dataset",), ("dataset", "noise"), ("dataset", "features"), ("training",),
         ("training", "optimizer"), ("training", "batch_size"), ("networks",), ("networks", "main"),
         ("networks", "main", "layers"), ("networks", "main", "layers", 0), ("networks", "main", "layers", 0, "width"),
         ("networks", "main", "layers", 1, "type"), ("format",), ("name",)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_fuzzed_presets_load_or_give_path_named_errors(path, value):
    try:
        parse_preset(mutate(minimal(), path, value))
    except PresetError as exc:
        assert exc.problems and all(isinstance(p.message, str) and p.message for p in exc.problems)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_fuzzed_documents_never_crash(value):
    try:
        parse_preset(value)
    except PresetError:
        pass


def test_saved_file_is_plain_readable_json(tmp_path):
    path = save_preset(load_preset("seed-forward-pass"), tmp_path / "p.json")
    doc = json.loads(path.read_text())
    assert doc["networks"]["main"]["layers"][0]["init"]["weight"] == {"kind": "constant", "value": 1.0}


def test_reference_doc_is_generated_from_the_declarations():
    from pathlib import Path

    from playground.core.reference import render

    doc = Path(__file__).parents[2] / "docs" / "reference.md"
    assert doc.read_text(encoding="utf-8") == render(), \
        "docs/reference.md is stale: python -m playground.core.reference > docs/reference.md"
    assert "| `width` | int | `8` |" in render()
