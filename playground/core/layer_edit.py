"""Structural edits of a network's layer list: insert, remove, move, duplicate - on plain JSON.

The visual builder turns every drag, drop, paste and Delete into one of these functions and hands
the result to the experiment as a single undoable edit; keeping them here (pure, no Qt) means the
tricky index arithmetic is tested on its own.

A layer is addressed by a *path*: a tuple of indices, ``(3,)`` for the fourth top-level layer and
``(3, 1)`` for the second layer inside the block at index 3 (a Residual block holds its layers in
``"layers"``). The functions never mutate their input; they return new lists.
"""

from __future__ import annotations

import copy
from typing import Any

from playground.core.layers import LAYERS

Path = tuple[int, ...]


class EditError(ValueError):
    """An edit that cannot be made (a block moved into itself, a path that does not exist)."""


def is_container(layer: Any) -> bool:
    return isinstance(layer, dict) and layer.get("type") in LAYERS and LAYERS[layer["type"]].container


def get(layers: list[dict], path: Path) -> dict:
    items = layers
    for depth, index in enumerate(path):
        if not 0 <= index < len(items):
            raise EditError(f"no layer at position {'.'.join(map(str, path))}")
        if depth == len(path) - 1:
            return items[index]
        if not is_container(items[index]):
            raise EditError(f"the layer at position {'.'.join(map(str, path[:depth + 1]))} holds no layers")
        items = items[index].setdefault("layers", [])
    raise EditError("an empty path names no layer")


def _children(layers: list[dict], parent: Path) -> list[dict]:
    """The list that holds the children of ``parent`` (``()``: the network itself)."""
    if not parent:
        return layers
    block = get(layers, parent)
    if not is_container(block):
        raise EditError(f"a {block.get('type')} layer cannot hold other layers")
    return block.setdefault("layers", [])


def outermost(paths: list[Path]) -> list[Path]:
    """The selected paths without those inside another selected block, in network order."""
    unique = sorted(set(paths))
    return [p for p in unique if not any(p[:len(q)] == q and p != q for q in unique)]


def insert(layers: list[dict], parent: Path, index: int, items: list[dict]) -> tuple[list[dict], list[Path]]:
    """Insert copies of ``items`` into ``parent`` at ``index`` (clamped); returns the new list and the
    paths of the inserted layers."""
    result = copy.deepcopy(layers)
    children = _children(result, parent)
    index = max(0, min(index, len(children)))
    children[index:index] = copy.deepcopy(items)
    return result, [(*parent, index + k) for k in range(len(items))]


def remove(layers: list[dict], paths: list[Path]) -> list[dict]:
    result = copy.deepcopy(layers)
    for path in sorted(outermost(paths), reverse=True):  # deepest and last first: indices stay valid
        get(result, path)  # raises for a path that does not exist
        del _children(result, path[:-1])[path[-1]]
    return result


def move(layers: list[dict], paths: list[Path], parent: Path, index: int) -> tuple[list[dict], list[Path]]:
    """Move the selected layers (in network order) to ``index`` within ``parent``, where ``index``
    counts positions in the list as it is before the move (what a drop indicator shows)."""
    chosen = outermost(paths)
    for path in chosen:
        if parent[:len(path)] == path:
            raise EditError("a block cannot be moved into itself")
    items = [copy.deepcopy(get(layers, p)) for p in chosen]
    # positions before the drop point in the same list shift it down once the items are taken out
    shift = sum(1 for p in chosen if p[:-1] == parent and p[-1] < index)
    # taking items out of a list that encloses the destination shifts the destination's own path
    new_parent = list(parent)
    for depth in range(len(parent)):
        new_parent[depth] -= sum(1 for p in chosen if p[:-1] == parent[:depth] and p[-1] < parent[depth])
    result = remove(layers, chosen)
    return insert(result, tuple(new_parent), index - shift, items)


def duplicate(layers: list[dict], paths: list[Path]) -> tuple[list[dict], list[Path]]:
    """Copies of the selected layers, placed right after the last one selected (in its list)."""
    chosen = outermost(paths)
    if not chosen:
        return copy.deepcopy(layers), []
    last = chosen[-1]
    items = [get(layers, p) for p in chosen]
    return insert(layers, last[:-1], last[-1] + 1, items)


def replace(layers: list[dict], path: Path, layer: dict) -> list[dict]:
    """The list with the layer at ``path`` replaced (a property edit)."""
    result = copy.deepcopy(layers)
    get(result, path)
    _children(result, path[:-1])[path[-1]] = copy.deepcopy(layer)
    return result


def new_layer(type_name: str) -> dict:
    """A fresh layer of ``type_name`` with its declared defaults (a Residual block starts empty)."""
    if type_name not in LAYERS:
        raise EditError(f"unknown layer type {type_name!r}")
    layer_type = LAYERS[type_name]
    layer: dict = {"type": type_name}
    for param in layer_type.params:
        if param.default is not None:
            layer[param.name] = copy.deepcopy(param.default)
    if layer_type.container:
        layer["layers"] = []
    return layer
