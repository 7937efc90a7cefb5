"""The builder's structural edits: the index arithmetic behind drag, drop, paste and Delete."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core import layer_edit as edit


def net():
    return [{"type": "Linear", "width": 1}, {"type": "ReLU"},
            {"type": "Residual", "layers": [{"type": "Linear", "width": 2}, {"type": "Tanh"}]},
            {"type": "Linear", "width": 3}]


def names(layers):
    return [(layer["type"], layer.get("width"), names(layer["layers"]) if "layers" in layer else None)
            for layer in layers]


def test_insert_at_a_position_and_inside_a_block():
    layers, paths = edit.insert(net(), (), 1, [{"type": "Dropout", "p": 0.5}])
    assert [layer["type"] for layer in layers] == ["Linear", "Dropout", "ReLU", "Residual", "Linear"]
    assert paths == [(1,)]
    layers, paths = edit.insert(net(), (2,), 1, [{"type": "Sigmoid"}])
    assert [layer["type"] for layer in layers[2]["layers"]] == ["Linear", "Sigmoid", "Tanh"]
    assert paths == [(2, 1)]


def test_insert_into_a_layer_that_holds_nothing_is_refused():
    with pytest.raises(edit.EditError, match="cannot hold"):
        edit.insert(net(), (0,), 0, [{"type": "ReLU"}])


def test_remove_skips_layers_inside_a_removed_block_and_leaves_the_input_alone():
    original = net()
    layers = edit.remove(original, [(2, 0), (2,), (0,)])
    assert [layer["type"] for layer in layers] == ["ReLU", "Linear"]
    assert original == net()


def test_move_down_counts_positions_before_the_move():
    layers, paths = edit.move(net(), [(0,)], (), 3)  # drop between the block and the last Linear
    assert [layer["type"] for layer in layers] == ["ReLU", "Residual", "Linear", "Linear"]
    assert layers[2]["width"] == 1 and paths == [(2,)]


def test_move_into_a_block_and_out_of_it():
    layers, paths = edit.move(net(), [(0,)], (2,), 0)
    assert [layer["type"] for layer in layers[1]["layers"]] == ["Linear", "Linear", "Tanh"]
    assert paths == [(1, 0)]
    layers, paths = edit.move(net(), [(2, 1)], (), 0)
    assert layers[0]["type"] == "Tanh" and [x["type"] for x in layers[3]["layers"]] == ["Linear"]


def test_a_block_cannot_move_into_itself():
    with pytest.raises(edit.EditError, match="into itself"):
        edit.move(net(), [(2,)], (2,), 0)


def test_duplicate_places_copies_after_the_last_selected():
    layers, paths = edit.duplicate(net(), [(0,), (1,)])
    assert [layer["type"] for layer in layers][:4] == ["Linear", "ReLU", "Linear", "ReLU"]
    assert paths == [(2,), (3,)]


def test_new_layer_has_the_declared_defaults():
    layer = edit.new_layer("Conv2d")
    assert layer["type"] == "Conv2d" and layer["kernel_size"] == 3
    assert edit.new_layer("Residual") == {"type": "Residual", "layers": []}
    with pytest.raises(edit.EditError):
        edit.new_layer("Conv9d")


def flat_paths(layers, prefix=()):
    for i, layer in enumerate(layers):
        yield (*prefix, i)
        yield from flat_paths(layer.get("layers", []), (*prefix, i))


@given(st.data())
def test_move_keeps_every_layer_exactly_once(data):
    layers = net()
    paths = list(flat_paths(layers))
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3))
    parents = [()] + [p for p in paths if edit.is_container(edit.get(layers, p))]
    parent = data.draw(st.sampled_from(parents))
    index = data.draw(st.integers(0, len(edit._children(layers, parent))))
    try:
        moved, new_paths = edit.move(layers, chosen, parent, index)
    except edit.EditError:
        assert any(parent[:len(p)] == p for p in edit.outermost(chosen))
        return
    count = lambda items: sum(1 + count(x.get("layers", [])) for x in items)  # noqa: E731
    assert count(moved) == count(layers)
    for path, original in zip(new_paths, edit.outermost(chosen), strict=True):
        assert json.dumps(edit.get(moved, path)) == json.dumps(edit.get(layers, original))
