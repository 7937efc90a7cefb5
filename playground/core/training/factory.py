"""One entry point that builds the trainer for any preset: the loop with its task's hooks.

The CLI, the GUI's worker, sessions, sweeps, benchmarks and tests call :func:`make_trainer`; the
task is looked up in the task catalogue and its module imported only when a preset needs it.
"""

from __future__ import annotations

import importlib

from playground.core.spec import Preset
from playground.core.tasks.catalog import TASKS
from playground.core.training.contract import Trainer


def task_class(task: str):
    """The :class:`~playground.core.training.task.Task` subclass that implements ``task``."""
    module, name = TASKS[task].implementation.split(":")
    return getattr(importlib.import_module(module), name)


def make_trainer(preset: Preset, *, device: str | None = None, data=None) -> Trainer:
    """A trainer for ``preset`` (PresetError or DatasetError explain why it cannot be built)."""
    from playground.core.training.loop import TrainingLoop

    return TrainingLoop(preset, task_class(preset.task), device=device, data=data)
