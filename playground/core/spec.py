"""The in-memory form of an experiment: plain dataclasses that mirror the preset JSON one to one.

A preset file is validated into these objects (see :mod:`playground.core.presets`) and written back
from them, so save-then-load is lossless. Everything else in the engine reads these objects, never
the raw JSON.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1


@dataclass
class LayerSpec:
    """One layer: its type name, its parameter values (defaults filled), an optional weight
    initialisation per tensor, and - for a Residual block - the layers inside it."""

    type: str
    params: dict[str, Any] = field(default_factory=dict)
    init: dict[str, dict[str, Any]] = field(default_factory=dict)
    layers: list[LayerSpec] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        out.update(copy.deepcopy(self.params))
        if self.init:
            out["init"] = copy.deepcopy(self.init)
        if self.layers or self.type == "Residual":
            out["layers"] = [layer.to_json() for layer in self.layers]
        return out


@dataclass
class NetworkSpec:
    """A named, ordered list of layers (a task may have several: generator and discriminator...)."""

    layers: list[LayerSpec] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"layers": [layer.to_json() for layer in self.layers]}


@dataclass
class Preset:
    """A whole experiment: task, data, networks, training settings, seed and device."""

    name: str
    description: str
    task: str
    dataset: dict[str, Any]
    networks: dict[str, NetworkSpec]
    training: dict[str, Any]
    seed: int = 0
    device: str = "auto"
    format: int = FORMAT_VERSION
    target: dict[str, Any] | None = None  # e.g. {"metric": "test_accuracy", "at_least": 0.95, "at_most": None}
    source: str | None = None  # the file it was loaded from (not saved)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "name": self.name,
            "description": self.description,
            "task": self.task,
            "dataset": copy.deepcopy(self.dataset),
            "networks": {name: net.to_json() for name, net in self.networks.items()},
            "training": copy.deepcopy(self.training),
            "seed": self.seed,
            "device": self.device,
            **({"target": copy.deepcopy(self.target)} if self.target else {}),
        }

    def copy(self) -> Preset:
        return copy.deepcopy(self)
