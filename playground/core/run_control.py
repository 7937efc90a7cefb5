"""The run lifecycle every task's trainer shares: pause, stop, run-until, status and the history.

A trainer subclasses :class:`RunControl` and implements :meth:`step` (one optimisation step that
returns a :class:`~playground.core.records.MetricRecord`, or sets ``status`` to DIVERGED with a
``message``). The GUI's worker thread calls :meth:`run`/:meth:`step`; the GUI thread calls
:meth:`pause`, :meth:`stop` and :meth:`set_learning_rate`, which only set flags read between steps.
"""

from __future__ import annotations

import math
import threading

from playground.core.records import History, MetricRecord

FINISHED, PAUSED, STOPPED, EARLY_STOPPED, DIVERGED = "finished", "paused", "stopped", "early_stopped", "diverged"


class RunControl:
    """Flags and bookkeeping of a run; see the module docstring for the threading contract."""

    total_steps: int
    steps_per_epoch: int
    base_lr: float

    def _init_control(self) -> None:
        self._pause = threading.Event()
        self._stop = threading.Event()
        self._pending_lr: float | None = None
        self.history = History()
        self._reset_control()

    def _reset_control(self) -> None:
        self.step_count = 0
        self.status: str | None = None
        self.message = ""
        self._lr_now = self.base_lr
        self.history.clear()
        self._pause.clear()
        self._stop.clear()

    # ---- thread-safe requests --------------------------------------------------------------------
    def pause(self) -> None:
        """Ask a running :meth:`run` to return after the current step (thread-safe)."""
        self._pause.set()

    def stop(self) -> None:
        """Ask a running :meth:`run` to return and end this run (thread-safe)."""
        self._stop.set()

    def set_learning_rate(self, lr: float) -> None:
        """Change the base learning rate; takes effect at the next step (thread-safe). After a
        divergence this also lets training continue from the restored weights."""
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {lr!r}")
        self._pending_lr = float(lr)
        if self.status == DIVERGED:  # a lower rate is the cure: training may go on from the restored weights
            self.status, self.message = PAUSED, ""

    def _take_pending_lr(self) -> None:
        """Called at the start of a step: apply a rate set from another thread."""
        if self._pending_lr is not None:
            self.base_lr, self._pending_lr = self._pending_lr, None

    # ---- state -----------------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        """The rate the last step used (the base rate before the first step)."""
        return self._lr_now if self._lr_now == self._lr_now else self.base_lr

    @property
    def done(self) -> bool:
        return self.status in (FINISHED, STOPPED, EARLY_STOPPED, DIVERGED)

    @property
    def epoch(self) -> float:
        return self.step_count / self.steps_per_epoch

    # ---- stepping --------------------------------------------------------------------------------
    def step(self) -> MetricRecord:  # pragma: no cover - every trainer defines it
        raise NotImplementedError

    def run(self, steps: int | None = None, on_record=None) -> str:
        """Advance until the run is complete, ``steps`` more steps are done, or pause/stop/early
        stopping/divergence; returns why it returned (FINISHED, PAUSED, ...)."""
        self._pause.clear()
        goal = self.total_steps if steps is None else min(self.total_steps, self.step_count + steps)
        while self.step_count < goal:
            if self._stop.is_set():
                self.status = STOPPED
                return STOPPED
            if self._pause.is_set():
                self._pause.clear()
                self.status = PAUSED
                return PAUSED
            record = self.step()
            if on_record is not None:
                on_record(record)
            if self.done:
                return self.status
        self.status = FINISHED if self.step_count >= self.total_steps else PAUSED
        return self.status
