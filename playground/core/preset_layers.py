"""Validation of the ``networks`` section: named networks, their layers, and layer initialisations."""

from __future__ import annotations

from typing import Any

from playground.core.layers import LAYERS
from playground.core.params import Problem, check_object, did_you_mean, join
from playground.core.spec import LayerSpec, NetworkSpec
from playground.core.weight_init import INITS

MAX_LAYERS = 500
MAX_NESTING = 8
LAYER_KEYS = ("type", "init", "layers")


def check_networks(data: Any, required: tuple[str, ...]) -> tuple[dict[str, NetworkSpec], list[Problem]]:
    """Validate ``{"main": {"layers": [...]}, ...}`` against the networks the task needs."""
    if not isinstance(data, dict):
        return {}, [Problem("networks", "expected an object of named networks, e.g. {\"main\": {\"layers\": []}}")]
    problems: list[Problem] = []
    networks: dict[str, NetworkSpec] = {}
    for name in required:
        if name not in data:
            problems.append(Problem(join("networks", name), "missing: this task needs networks "
                                    + ", ".join(required)))
    for name, net in data.items():
        path = join("networks", name)
        if required and name not in required:
            problems.append(Problem(path, f"this task has no network {name!r}{did_you_mean(name, required)}; "
                                    f"it uses {', '.join(required)}"))
            continue
        if not isinstance(net, dict):
            problems.append(Problem(path, "expected an object with \"layers\""))
            continue
        for key in net:
            if key != "layers":
                problems.append(Problem(join(path, key), f"unknown key{did_you_mean(key, ['layers'])}"))
        if "layers" not in net:
            problems.append(Problem(join(path, "layers"), "missing (required)"))
            continue
        layers, found = check_layers(net["layers"], join(path, "layers"), depth=0)
        problems += found
        networks[name] = NetworkSpec(layers)
    return networks, problems


def check_layers(data: Any, path: str, depth: int) -> tuple[list[LayerSpec], list[Problem]]:
    if not isinstance(data, list):
        return [], [Problem(path, "expected a list of layers")]
    if len(data) > MAX_LAYERS:
        return [], [Problem(path, f"{len(data)} layers is more than the {MAX_LAYERS} allowed")]
    layers, problems = [], []
    for i, item in enumerate(data):
        spec, found = check_layer(item, join(path, i), depth)
        problems += found
        if spec is not None:
            layers.append(spec)
    return layers, problems


def check_layer(data: Any, path: str, depth: int) -> tuple[LayerSpec | None, list[Problem]]:
    if not isinstance(data, dict):
        return None, [Problem(path, "expected a layer object such as {\"type\": \"Linear\", \"width\": 8}")]
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in LAYERS:
        shown = "nothing" if kind is None else repr(kind)
        hint = did_you_mean(kind, LAYERS)
        return None, [Problem(join(path, "type"), f"expected a layer type such as Linear, Conv2d or ReLU, got "
                              f"{shown}{hint}")]
    layer_type = LAYERS[kind]
    extra = LAYER_KEYS if layer_type.container else ("type", "init")
    params, problems = check_object(data, layer_type.params, path, allowed_extra=extra)
    spec = LayerSpec(kind, params)
    if "init" in data:
        spec.init, found = check_init(data["init"], join(path, "init"), layer_type.weights, kind)
        problems += found
    if layer_type.container:
        if depth + 1 > MAX_NESTING:
            problems.append(Problem(path, f"blocks nested deeper than {MAX_NESTING} levels"))
        else:
            spec.layers, found = check_layers(data.get("layers", []), join(path, "layers"), depth + 1)
            problems += found
    return spec, problems


def check_init(data: Any, path: str, tensors: tuple[str, ...], kind: str) -> tuple[dict, list[Problem]]:
    """``{"weight": {"kind": "constant", "value": 1}, "bias": {"kind": "zeros"}}``."""
    if not tensors:
        return {}, [Problem(path, f"{kind} has no weights to initialise")]
    if not isinstance(data, dict):
        return {}, [Problem(path, "expected an object such as {\"weight\": {\"kind\": \"normal\", \"std\": 0.1}}")]
    values, problems = {}, []
    for tensor, spec in data.items():
        where = join(path, tensor)
        if tensor not in tensors:
            problems.append(Problem(where, f"{kind} has no tensor {tensor!r}; it has {', '.join(tensors)}"
                                    + did_you_mean(tensor, tensors)))
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("kind"), str) or spec["kind"] not in INITS:
            got = spec.get("kind") if isinstance(spec, dict) else spec
            problems.append(Problem(join(where, "kind") if isinstance(spec, dict) else where,
                                    f"expected one of {', '.join(INITS)}, got {got!r}{did_you_mean(got, INITS)}"))
            continue
        params, found = check_object(spec, INITS[spec["kind"]].params, where, allowed_extra=("kind",))
        if tensor == "bias" and spec["kind"] in ("xavier_uniform", "kaiming_normal"):
            found.append(Problem(join(where, "kind"), f"{spec['kind']} needs a weight matrix, not a bias"))
        if spec["kind"] == "uniform" and not found and params["low"] > params["high"]:
            found.append(Problem(where, "low must not exceed high"))
        problems += found
        values[tensor] = {"kind": spec["kind"], **params}
    return values, problems
