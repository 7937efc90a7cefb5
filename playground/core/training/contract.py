"""The Trainer contract: everything the GUI's worker, the CLI, sessions, exports and tests may use.

One protocol for every task (the loop in :mod:`.loop` implements it, with a task's hooks from
:mod:`.task`), so nothing outside the core asks which task or which trainer class it holds.
``trainer.task`` gives the task's own objects (a classifier's ``model``, a GAN's ``generator``) to
code that belongs to that task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import torch

    from playground.core.records import History, MetricRecord
    from playground.core.spec import Preset
    from playground.core.training.callbacks import CallbackList
    from playground.core.training.task import Task


@runtime_checkable
class Trainer(Protocol):
    """A run of one preset, advanced one step at a time (no threads: see :mod:`.loop`)."""

    preset: Preset
    training: dict  # the training section in force (live edits replace it)
    device: torch.device
    data: object  # the task's dataset (points, images or a distribution)
    task: Task
    history: History
    callbacks: CallbackList
    step_count: int
    total_steps: int
    steps_per_epoch: int
    batch_size: int
    status: str | None  # None while runnable; finished, paused, stopped, early_stopped, diverged
    message: str  # why it stopped, when it says

    @property
    def networks(self) -> dict[str, torch.nn.Module]: ...

    @property
    def optimizers(self) -> dict[str, torch.optim.Optimizer]: ...

    @property
    def epoch(self) -> float: ...

    @property
    def learning_rate(self) -> float: ...

    @property
    def done(self) -> bool: ...

    @property
    def complete(self) -> bool: ...

    # ---- stepping (the training thread) -------------------------------------------------------------
    def step(self, **request) -> MetricRecord: ...

    def run(self, steps: int | None = None, on_record=None) -> str: ...

    def reset(self) -> None: ...

    def update_training(self, training: dict) -> list[str]: ...

    def evaluate(self, detailed: bool = False) -> dict: ...

    # ---- from any thread ------------------------------------------------------------------------------
    def pause(self) -> None: ...

    def stop(self) -> None: ...

