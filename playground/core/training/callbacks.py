"""Callbacks: code that attaches to every run of every task without touching any task.

Lightning's idea: weight and gradient histograms, gradient statistics, sweep reporting and the like
subscribe to the loop's moments instead of being written into each task's step. A callback
overrides the methods it needs; the loop calls them in the order the callbacks were added. They run
on the training thread, between optimisation steps, so they may read tensors freely (and must not
keep references to them: copy what they keep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.core.records import MetricRecord
    from playground.core.training.loop import TrainingLoop


class Callback:
    """The moments of a run a callback can attach to; every method does nothing by default."""

    def on_start(self, trainer: TrainingLoop) -> None:
        """The run is at step 0 (a new run, or a reset)."""

    def on_after_backward(self, trainer: TrainingLoop, networks: tuple[str, ...]) -> None:
        """Gradients of ``networks`` are computed (and clipped), before their optimiser steps."""

    def on_step_end(self, trainer: TrainingLoop, record: MetricRecord) -> None:
        """A counted step is done and recorded (evaluation figures included when it evaluated)."""

    def on_evaluation(self, trainer: TrainingLoop, record: MetricRecord) -> None:
        """An evaluation on the whole train and test sets has just filled ``record``."""

    def on_diverged(self, trainer: TrainingLoop, message: str) -> None:
        """The loss blew up; the weights are already back at the last good step."""


class CallbackList:
    """The loop's callbacks, called in order (a tuple, so adding one while they run is safe)."""

    def __init__(self) -> None:
        self._items: tuple[Callback, ...] = ()

    def add(self, callback: Callback) -> Callback:
        self._items = (*self._items, callback)
        return callback

    def remove(self, callback: Callback) -> None:
        items = list(self._items)
        items.remove(callback)
        self._items = tuple(items)

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)
