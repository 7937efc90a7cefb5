"""The run lifecycle every task's trainer shares: pause, stop, run-until, status and the history.

A trainer subclasses :class:`RunControl` and implements :meth:`step` (one optimisation step that
returns a :class:`~playground.core.records.MetricRecord`, or sets ``status`` to DIVERGED with a
``message``). The GUI's worker thread calls :meth:`run`/:meth:`step`; the GUI thread calls
:meth:`pause`, :meth:`stop` and :meth:`set_learning_rate`, which only set flags read between steps.
"""

from __future__ import annotations

import math
import threading
import time

from playground.core.records import History, MetricRecord

FINISHED, PAUSED, STOPPED, EARLY_STOPPED, DIVERGED = "finished", "paused", "stopped", "early_stopped", "diverged"
EXPLOSION_FACTOR = 1e4


def became(value: float) -> str:
    return f"became {value}" if not math.isfinite(value) else f"exploded to {value:.3g}"


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
        self._clock = (time.perf_counter(), 0)
        self._rate = 0.0
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

    # ---- shared step bookkeeping -----------------------------------------------------------------
    def _measure_rate(self, record: MetricRecord) -> None:
        """Samples per second since the last evaluation (evaluations themselves are not counted:
        call :meth:`_restart_clock` after evaluating)."""
        now, start_step = time.perf_counter(), self._clock[1]
        if now > self._clock[0]:
            self._rate = (self.step_count - start_step) * self.batch_size / (now - self._clock[0])
        record.samples_per_s = self._rate

    def _restart_clock(self) -> None:
        self._clock = (time.perf_counter(), self.step_count)

    def _add_penalties(self, loss):
        """The loss plus the L1/L2 penalties on the weight matrices in ``self._penalised``."""
        l1, l2 = self.training["l1"], self.training["l2"]
        if l1:
            loss = loss + l1 * sum(p.abs().sum() for p in self._penalised)
        if l2:
            loss = loss + l2 * sum(p.pow(2).sum() for p in self._penalised)
        return loss

    def _explosion_limit(self, value: float) -> float:
        """A loss 10,000 times the run's first one (at least 1,000) has diverged even while finite:
        with Adam or saturating activations a far too high learning rate gives huge, finite losses."""
        first = self.history.records[0].batch_loss if self.history.records else value
        return EXPLOSION_FACTOR * max(first, 0.1)

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
