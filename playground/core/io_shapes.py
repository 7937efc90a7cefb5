"""What each network receives, known from the preset alone (before any data is generated)."""

from __future__ import annotations

import json

from playground.core.spec import Preset


def data_shape(dataset: dict, task: str) -> tuple[int, int | None]:
    """Network input width and number of classes (None when only the data file can tell)."""
    if dataset["name"] == "inline":
        classes = len({json.dumps(v) for v in dataset["y"]}) if task == "classification" else None
        return len(dataset["x"][0]), classes
    classes = None if dataset["name"] == "csv" or task != "classification" else dataset.get("classes", 2)
    return len(dataset["features"]), classes


def network_input_shapes(preset: Preset) -> dict[str, tuple[int, ...]]:
    """Per-sample input shape of each network of the preset's task."""
    n_inputs, _ = data_shape(preset.dataset, preset.task)
    return {"main": (n_inputs,)}
