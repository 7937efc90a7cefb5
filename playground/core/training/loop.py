"""THE training loop: one for every task. It owns the run; a task (see :mod:`.task`) says what is its own.

Shared here, written once: the device, the seeded batch order, the learning-rate schedule and the
rate of each optimiser, L1/L2 penalties, gradient clipping, the divergence check and roll-back to the
last finite step, evaluation on a cadence into the history, early stopping on the test loss, live
edits of the training section, reset to the initial weights, the pause/stop/run lifecycle and the
callbacks (:mod:`.callbacks`).

Threading: no threads here. The CLI calls :meth:`TrainingLoop.run`; the GUI's worker thread calls
:meth:`~TrainingLoop.run`/:meth:`~TrainingLoop.step` and the commands of the :class:`.contract.Trainer`
protocol between steps. :meth:`pause` and :meth:`stop` only set thread-safe flags that :meth:`run`
reads between steps.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from pathlib import Path

import torch

from playground.core.optim import learning_rate_at, optimizer_step, pick_device
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.records import History, MetricRecord
from playground.core.spec import Preset
from playground.core.training.callbacks import CallbackList
from playground.core.training.task import Diverged, StepResult, Task

FINISHED, PAUSED, STOPPED, EARLY_STOPPED, DIVERGED = "finished", "paused", "stopped", "early_stopped", "diverged"
EXPLOSION_FACTOR = 1e4
# settings every task applies live; a change is reported (for the loss plot's markers) as "name old -> new"
LIVE_SETTINGS = ("learning_rate", "batch_size", "l1", "l2", "grad_clip", "steps", "epochs", "eval_every")
LIVE_SECTIONS = ("optimizer", "scheduler", "early_stopping")


class TrainingLoop:
    """Train ``preset`` with its task's hooks (``task_type``: a :class:`Task` subclass)."""

    def __init__(self, preset: Preset, task_type: type[Task], *, device: str | None = None, data=None) -> None:
        self.preset = preset
        self.training = copy.deepcopy(preset.training)
        try:
            self.device = pick_device(device or preset.device)
        except ValueError as exc:
            raise PresetError([Problem("device", str(exc))], preset.source) from None
        self.task = task = task_type(self)
        base_dir = Path(preset.source).parent if preset.source else None
        self.data = data if data is not None else task.load_data(base_dir)
        task.configure(self.training)
        task.build()
        self.callbacks = CallbackList()
        self.history = History()
        self._pause, self._stop = threading.Event(), threading.Event()
        self._configure(self.training)
        self._initial = {name: {k: v.detach().clone() for k, v in net.state_dict().items()}
                         for name, net in self.networks.items()}
        self._augment = bool(getattr(self.data, "augment_shift", 0) or getattr(self.data, "augment_flip", False))
        self._start()

    # ---- set-up ---------------------------------------------------------------------------------
    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        return self.task.networks

    @property
    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return self._optimizers

    def _configure(self, training: dict) -> None:
        self.batch_size, self.steps_per_epoch = self.task.batch_geometry(training)
        epochs = training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else training["steps"]
        self.base_lr = training["learning_rate"]

    def _start(self) -> None:
        """(Re)start from the initial weights with fresh optimisers, batch order and task state."""
        torch.manual_seed(self.preset.seed)  # dropout draws from torch's global generator
        for name, net in self.networks.items():
            net.load_state_dict(self._initial[name])
            net.train()
        self._optimizers = self.task.make_optimizers(self.training, self.base_lr)
        self._rates: dict[str, float] = {}
        self._order_rng = torch.Generator(device="cpu").manual_seed(self.preset.seed)
        self._order = torch.empty(0, dtype=torch.int64)
        self._position = 0
        self.step_count = 0
        self.status: str | None = None
        self.message = ""
        self._lr_now = self.base_lr
        self._clock = (time.perf_counter(), 0)
        self._rate = 0.0
        self.history.clear()
        self._pause.clear()
        self._stop.clear()
        self._tensors = [t for net in self.networks.values() for t in net.state_dict().values()
                         if t.is_floating_point()]
        self._backup = [t.detach().clone() for t in self._tensors]
        self._backup_step = 0
        self._penalised = self.task.penalised_parameters()
        self._best: tuple[float, dict | None] = (math.inf, None)
        self._bad_evals = 0
        self.task.start()
        for callback in self.callbacks:
            callback.on_start(self)

    def reset(self) -> None:
        """Back to step 0 with exactly the same initial weights, batch order and noise."""
        self._start()

    def update_training(self, training: dict) -> list[str]:
        """Apply an edited training section between steps; returns what changed, for the loss plot's
        markers. Batch size, penalties, clipping, schedule, run length and the task's own live settings
        take effect at the next step; a different optimiser starts fresh optimiser statistics; a setting
        that shapes the model (the loss, a latent size) raises ValueError: it needs a reset."""
        old, section = self.training, self.task.section
        lr = training.get("learning_rate")
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {lr!r}")
        for key in self.task.fixed_settings:
            where, name = (training.get(section, {}), old.get(section, {})) if section else (training, old)
            if where.get(key) != name.get(key):
                path = f"training.{section}.{key}" if section else f"training.{key}"
                raise ValueError(f"the {key.replace('_', ' ')} ({path}) cannot change mid-run; reset instead")
        changes = [f"{key.replace('_', ' ')} {old.get(key)} -> {training.get(key)}"
                   for key in LIVE_SETTINGS if training.get(key) != old.get(key)]
        changes += [f"{key.replace('_', ' ')} {training[key].get('type', 'changed')}"
                    for key in LIVE_SECTIONS if training.get(key) != old.get(key)]
        if section:
            new_options, old_options = training.get(section, {}), old.get(section, {})
            changes += [f"{key.replace('_', ' ')} {old_options.get(key)} -> {new_options[key]}"
                        for key in new_options if new_options[key] != old_options.get(key)]
        rebuild = training["optimizer"] != old["optimizer"]
        self.training = copy.deepcopy(training)  # the caller may edit its dict later
        self.task.configure(self.training)
        self._configure(self.training)
        self._rates = {}  # every optimiser's rate is written at the next step
        self._lr_now = math.nan
        if rebuild:
            self._optimizers = self.task.make_optimizers(self.training, self.base_lr)
        if self.status == FINISHED and self.step_count < self.total_steps:
            self.status = PAUSED
        if self.status == DIVERGED:  # the user acted on the divergence: training may go on
            self.status, self.message = PAUSED, ""
        return changes

    # ---- what a task's step uses ------------------------------------------------------------------
    def next_indices(self) -> torch.Tensor:
        """The next batch's indices into the training set, in a seeded random order per epoch."""
        if self._position >= len(self._order):
            self._order = torch.randperm(self.data.n_train, generator=self._order_rng).to(self.device)
            self._position = 0
        index = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        return index

    def augment(self, images: torch.Tensor) -> torch.Tensor:
        """The dataset's augmentation (random shifts, flips) of a training batch, drawn from the
        run's own seeded stream; unchanged when the dataset has none."""
        if not self._augment:
            return images
        from playground.core.data.images import augment_batch

        return augment_batch(images, self.data.augment_shift, self.data.augment_flip, self._order_rng)

    @property
    def random(self) -> torch.Generator:
        """The run's seeded random stream (batch order, augmentation, a GAN's noise); sessions save it."""
        return self._order_rng

    def add_penalties(self, loss: torch.Tensor) -> torch.Tensor:
        """The loss plus the L1/L2 penalties on the task's penalised weights."""
        l1, l2 = self.training["l1"], self.training["l2"]
        if l1:
            loss = loss + l1 * sum(p.abs().sum() for p in self._penalised)
        if l2:
            loss = loss + l2 * sum(p.pow(2).sum() for p in self._penalised)
        return loss

    def check(self, value: float, network: str | None = None) -> None:
        """Raise :class:`Diverged` when a loss is non-finite or far above the run's first one. The
        first loss of a step that passes keeps a copy of the weights that gave it: a divergence rolls
        back to the last weights whose loss was finite."""
        if not math.isfinite(value):
            raise Diverged(value, network)
        first = self.history.records[0] if self.history.records else None
        if abs(value) > EXPLOSION_FACTOR * self.task.explosion_scale(first, value):
            raise Diverged(value, network)
        if not self._backed_up:
            torch._foreach_copy_(self._backup, self._tensors)
            self._backup_step = self.step_count
            self._backed_up = True

    def optimize(self, loss: torch.Tensor, networks: tuple[str, ...] | None = None) -> None:
        """One update of ``networks`` (default: all) from ``loss``: gradients, callbacks, clipping
        (jointly over those networks' parameters), the optimisers' steps."""
        names = tuple(self.networks) if networks is None else networks
        for name in names:
            self._optimizers[name].zero_grad(set_to_none=True)
        loss.backward()
        clip = self.training["grad_clip"]
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([p for n in names for p in self.networks[n].parameters()], clip)
        for callback in self.callbacks:
            callback.on_after_backward(self, names)
        for name in names:
            optimizer_step(self._optimizers[name])  # the eager step, without TorchDynamo's import

    # ---- stepping -------------------------------------------------------------------------------
    def _set_rates(self) -> float:
        """Write this step's rate (schedule x each optimiser's scale) into the optimisers that need it."""
        lr = learning_rate_at(self.training["scheduler"], self.base_lr, self.step_count, self.total_steps)
        if lr == self._lr_now and self._rates:  # unchanged since the last step: nothing to write
            return lr
        for name, scale in self.task.rate_scales().items():
            rate = lr * scale
            if self._rates.get(name) != rate:
                for group in self._optimizers[name].param_groups:
                    group["lr"] = rate
                self._rates[name] = rate
        self._lr_now = lr
        return lr

    def step(self, **request) -> MetricRecord:
        """One optimisation step (``request``: task-specific, e.g. a GAN's discriminator-only step). On a
        non-finite or exploding loss every network returns to the last finite step, ``status`` becomes
        DIVERGED and ``message`` says why."""
        if self.done:
            raise RuntimeError(f"the run is over ({self.status}); reset to train again")
        lr = self._set_rates()
        self._backed_up = False
        try:
            result: StepResult = self.task.training_step(lr, **request)
        except Diverged as diverged:
            return self._diverged(diverged, lr)
        if result.counted:
            self.step_count += 1
        record = MetricRecord(self.step_count, self.epoch, result.batch_loss, lr, self._rate, metrics=result.metrics)
        if not result.counted:
            return record
        if self.step_count % self.training["eval_every"] == 0 or self.step_count == self.total_steps:
            self._evaluate_into(record)
        self.history.append(record)
        for callback in self.callbacks:
            callback.on_step_end(self, record)
        return record

    def _diverged(self, diverged: Diverged, lr: float) -> MetricRecord:
        """Roll back to the last weights that gave a finite loss and explain what happened."""
        bad_step = self.step_count + 1
        torch._foreach_copy_(self._tensors, self._backup)
        self.step_count = self._backup_step
        self.history.truncate(self.step_count)
        self.task.after_rollback()
        self._optimizers = self.task.make_optimizers(self.training, lr)
        self._rates = {}
        self.status = DIVERGED
        self.message = self.task.divergence_message(diverged, lr, bad_step)
        for callback in self.callbacks:
            callback.on_diverged(self, self.message)
        return MetricRecord(bad_step, bad_step / self.steps_per_epoch, diverged.value, lr, self._rate)

    # ---- evaluation -----------------------------------------------------------------------------
    def evaluate(self, detailed: bool = False) -> dict:
        """The task's figures on the whole train and test sets (see :meth:`Task.evaluate`)."""
        return self.task.evaluate(detailed)

    def _evaluate_into(self, record: MetricRecord) -> None:
        now, start_step = time.perf_counter(), self._clock[1]
        if now > self._clock[0]:  # samples per second since the last evaluation, evaluations not counted
            self._rate = (self.step_count - start_step) * self.batch_size / (now - self._clock[0])
        record.samples_per_s = self._rate
        scores = dict(self.task.evaluate())
        record.train_loss, record.test_loss = scores.pop("train_loss"), scores.pop("test_loss")
        record.train_accuracy = scores.pop("train_accuracy", None)
        record.test_accuracy = scores.pop("test_accuracy", None)
        if scores:
            record.metrics = {**(record.metrics or {}), **scores}
        self.task.after_evaluation(record)
        for callback in self.callbacks:
            callback.on_evaluation(self, record)
        self._early_stopping(record.test_loss)
        self._clock = (time.perf_counter(), self.step_count)

    def _early_stopping(self, test_loss: float) -> None:
        rule = self.training["early_stopping"]
        if rule["patience"] is None or not math.isfinite(test_loss):
            return
        if test_loss < self._best[0] - rule["min_delta"]:
            self._best = (test_loss, {name: {k: v.detach().clone() for k, v in net.state_dict().items()}
                                      for name, net in self.networks.items()})
            self._bad_evals = 0
            return
        self._bad_evals += 1
        if self._bad_evals >= rule["patience"]:
            for name, net in self.networks.items():
                net.load_state_dict(self._best[1][name])
            self.status = EARLY_STOPPED
            self.message = (f"Stopped early at step {self.step_count}: the test loss has not improved for "
                            f"{rule['patience']} evaluations; kept the weights with the best test loss "
                            f"({self._best[0]:.4g}).")

    # ---- lifecycle ------------------------------------------------------------------------------
    def pause(self) -> None:
        """Ask a running :meth:`run` to return after the current step (thread-safe)."""
        self._pause.set()

    def stop(self) -> None:
        """Ask a running :meth:`run` to return and end this run (thread-safe)."""
        self._stop.set()

    @property
    def learning_rate(self) -> float:
        """The rate the last step used (the base rate before the first step)."""
        return self._lr_now if self._lr_now == self._lr_now else self.base_lr

    @property
    def done(self) -> bool:
        return self.status in (FINISHED, STOPPED, EARLY_STOPPED, DIVERGED)

    @property
    def complete(self) -> bool:
        """Nothing more to train: the run is over, or it has reached its length."""
        return self.done or self.step_count >= self.total_steps

    @property
    def epoch(self) -> float:
        return self.step_count / self.steps_per_epoch

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
