"""What each network receives, known from the preset alone (before any data is generated)."""

from __future__ import annotations

import json

from playground.core.spec import Preset


def data_shape(dataset: dict, task: str) -> tuple[tuple[int, ...] | None, int | None]:
    """Per-sample input shape and number of classes of a validated dataset section; None where only
    the data file can tell (a CSV's classes, an .npz file's image size)."""
    from playground.core.data.distributions import NAMES as DISTRIBUTION_NAMES
    from playground.core.data.images import image_shape

    name = dataset["name"]
    if name in ("digits", "shapes", "npz", "image-folder"):
        return image_shape(dataset)
    if name in DISTRIBUTION_NAMES:  # a GAN's 2-D points
        return (2,), None
    if name == "inline":
        classes = len({json.dumps(v) for v in dataset["y"]}) if task == "classification" else None
        return (len(dataset["x"][0]),), classes
    classes = None if name == "csv" or task != "classification" else dataset.get("classes", 2)
    return (len(dataset["features"]),), classes


def network_input_shapes(preset: Preset) -> dict[str, tuple[int, ...] | None]:
    """Per-sample input shape of each network of the preset's task (None: known once data loads)."""
    from playground.core.tasks.catalog import TASKS, network_inputs

    shape, _ = data_shape(preset.dataset, preset.task)
    if shape is None:
        return {name: None for name in TASKS[preset.task].networks}
    options = preset.training.get(preset.task, {})
    return network_inputs(preset.task, shape, options.get("latent_size"), options.get("pack", 1))
