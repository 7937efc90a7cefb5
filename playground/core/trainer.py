"""The trainer: owns model, optimiser and data, and advances one step at a time.

It has no threads and no Qt. The CLI calls :meth:`Trainer.run` in a loop; the GUI's worker thread
does the same and calls :meth:`pause`, :meth:`stop` and :meth:`set_learning_rate` from the GUI
thread, which only set flags that the loop reads between steps.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from playground.core.build import build_network
from playground.core.data import TabularData, make_dataset
from playground.core.data.images import augment_batch
from playground.core.optim import learning_rate_at, make_optimizer, pick_device
from playground.core.params import Problem
from playground.core.presets import PresetError
from playground.core.records import MetricRecord
from playground.core.run_control import (
    DIVERGED,
    EARLY_STOPPED,
    EXPLOSION_FACTOR,
    FINISHED,
    PAUSED,
    STOPPED,
    RunControl,
    became,
)
from playground.core.shapes import summarize
from playground.core.spec import Preset
from playground.core.tasks.catalog import describe_outputs, required_outputs
from playground.core.tasks.classify import SupervisedTask, confusion_matrix, per_class_scores, roc_auc_per_class

__all__ = ["DIVERGED", "EARLY_STOPPED", "EXPLOSION_FACTOR", "FINISHED", "PAUSED", "STOPPED", "Trainer", "became"]


class Trainer(RunControl):
    """Train the preset's network step by step; see the module docstring for the threading contract."""

    def __init__(self, preset: Preset, *, device: str | None = None, data: TabularData | None = None) -> None:
        self.preset = preset
        self.training = preset.training
        try:
            self.device = pick_device(device or preset.device)
        except ValueError as exc:
            raise PresetError([Problem("device", str(exc))], preset.source) from None
        base_dir = Path(preset.source).parent if preset.source else None
        kind = {"regression": "regression", "image_classification": "image"}.get(preset.task, "classification")
        self.data = data or make_dataset(preset.dataset, seed=preset.seed, kind=kind, base_dir=base_dir)
        n_out = self._check_outputs()  # before building: the data may have decided the input shape
        self.model = build_network(preset.networks["main"].layers, self.data.input_shape, seed=preset.seed)
        self.model.to(self.device)
        self.task = SupervisedTask(preset.task, self.training["loss"], n_out, self.data.n_classes)
        as_tensor = lambda a: torch.as_tensor(a, dtype=torch.float32, device=self.device)  # noqa: E731
        self.x_train, self.x_test = as_tensor(self.data.x_train), as_tensor(self.data.x_test)
        self.y_train = self.task.targets(self.data.y_train, self.device)
        self.y_test = self.task.targets(self.data.y_test, self.device)
        self.batch_size = min(self.training["batch_size"], self.data.n_train)
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        epochs = self.training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else self.training["steps"]
        self.base_lr = self.training["learning_rate"]
        self._augment = bool(getattr(self.data, "augment_shift", 0) or getattr(self.data, "augment_flip", False))
        self._initial_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self._init_control()
        self._start()

    # ---- lifecycle ------------------------------------------------------------------------------
    def _start(self) -> None:
        """(Re)start from the initial weights with a fresh optimiser and batch order."""
        torch.manual_seed(self.preset.seed)  # dropout draws from torch's global generator
        self.model.load_state_dict(self._initial_state)
        self.model.train()
        self.optimizer = make_optimizer(self.model.parameters(), self.training)
        self._order_rng = torch.Generator(device="cpu").manual_seed(self.preset.seed)
        self._order = torch.empty(0, dtype=torch.int64)
        self._position = 0
        self._reset_control()
        self._tensors = [t for t in self.model.state_dict().values() if t.is_floating_point()]
        self._backup = [t.detach().clone() for t in self._tensors]
        self._backup_step = 0
        self._penalised = [p for p in self.model.parameters() if p.dim() > 1]
        self._best = (math.inf, None)
        self._bad_evals = 0

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        """The task's networks by name (sessions and exports read every trainer through these)."""
        return {"main": self.model}

    @property
    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"main": self.optimizer}

    def reset(self) -> None:
        """Back to step 0 with exactly the same initial weights and batch order."""
        self._start()

    def update_training(self, training: dict) -> list[str]:
        """Apply a new training section live (between steps); returns what changed, for markers.

        Batch size, penalties, clipping, schedule and run length take effect at the next step; a
        different optimiser (or optimiser setting) starts fresh optimiser statistics.
        """
        changes = []
        for key in ("learning_rate", "batch_size", "l1", "l2", "grad_clip", "steps", "epochs", "eval_every", "loss"):
            if training.get(key) != self.training.get(key):
                changes.append(f"{key.replace('_', ' ')} {self.training.get(key)} -> {training.get(key)}")
        for key in ("optimizer", "scheduler", "early_stopping"):
            if training.get(key) != self.training.get(key):
                changes.append(f"{key.replace('_', ' ')} {training[key].get('type', 'changed')}")
        if training["loss"] != self.training["loss"]:
            raise ValueError("the loss cannot change mid-run; reset instead")
        rebuild_optimizer = training["optimizer"] != self.training["optimizer"]
        self.training = dict(training)
        self.base_lr = training["learning_rate"]
        self.batch_size = min(training["batch_size"], self.data.n_train)
        self.steps_per_epoch = math.ceil(self.data.n_train / self.batch_size)
        epochs = training["epochs"]
        self.total_steps = epochs * self.steps_per_epoch if epochs is not None else training["steps"]
        self._lr_now = math.nan  # force the rate to be written at the next step
        if rebuild_optimizer:
            self.optimizer = make_optimizer(self.model.parameters(), training)
        if self.status == FINISHED and self.step_count < self.total_steps:
            self.status = PAUSED
        if self.status == DIVERGED:  # the user acted on the divergence: training may go on
            self.status, self.message = PAUSED, ""
        return changes

    # ---- stepping -------------------------------------------------------------------------------
    def step(self) -> MetricRecord:
        """One optimisation step. On a non-finite loss the weights of the last finite step come
        back, ``status`` becomes DIVERGED and ``message`` says why."""
        if self.done:
            raise RuntimeError(f"the run is over ({self.status}); reset to train again")
        self._take_pending_lr()
        lr = learning_rate_at(self.training["scheduler"], self.base_lr, self.step_count, self.total_steps)
        if lr != self._lr_now:
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            self._lr_now = lr
        if self._position >= len(self._order):
            self._order = torch.randperm(self.data.n_train, generator=self._order_rng).to(self.device)
            self._position = 0
        index = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        inputs = self.x_train[index]
        if self._augment:
            inputs = augment_batch(inputs, self.data.augment_shift, self.data.augment_flip, self._order_rng)
        loss = self.task.loss(self.model(inputs), self.y_train[index])
        loss = self._add_penalties(loss)
        value = loss.item()
        if not math.isfinite(value) or value > self._explosion_limit(value):
            return self._diverged(value, lr)
        torch._foreach_copy_(self._backup, self._tensors)
        self._backup_step = self.step_count
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.training["grad_clip"] is not None:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.training["grad_clip"])
        self.optimizer.step()
        self.step_count += 1
        record = MetricRecord(self.step_count, self.epoch, value, lr, self._rate)
        if self.step_count % self.training["eval_every"] == 0 or self.step_count == self.total_steps:
            self._evaluate_into(record)
        self.history.append(record)
        return record

    def _diverged(self, value: float, lr: float) -> MetricRecord:
        """Roll back to the last weights that gave a finite loss and explain what happened."""
        bad_step = self.step_count + 1
        torch._foreach_copy_(self._tensors, self._backup)
        self.step_count = self._backup_step
        self.history.truncate(self.step_count)
        self.optimizer = make_optimizer(self.model.parameters(), {**self.training, "learning_rate": lr})
        self.status = DIVERGED
        self.message = (
            f"Training stopped at step {bad_step}: the loss {became(value)}. The learning rate ({lr:g}) is "
            f"probably too high; try {lr / 10:g} or lower. The weights were rolled back to step "
            f"{self.step_count}, the last before the loss blew up."
        )
        return MetricRecord(bad_step, bad_step / self.steps_per_epoch, value, lr, self._rate)

    # ---- evaluation -----------------------------------------------------------------------------
    def _evaluate_into(self, record: MetricRecord) -> None:
        self._measure_rate(record)
        scores = self.evaluate()
        record.train_loss, record.test_loss = scores["train_loss"], scores["test_loss"]
        record.train_accuracy, record.test_accuracy = scores.get("train_accuracy"), scores.get("test_accuracy")
        self._early_stopping(record.test_loss)
        self._restart_clock()

    def evaluate(self, detailed: bool = False) -> dict:
        """Loss (and accuracy) on the whole train and test sets in evaluation mode. With
        ``detailed``, also the test confusion matrix and per-class precision, recall and F1."""
        result: dict = {}
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                for split, x, y in (("train", self.x_train, self.y_train), ("test", self.x_test, self.y_test)):
                    out = self.outputs(x)
                    result[f"{split}_loss"] = self.task.loss(out, y).item()
                    if self.task.classification:
                        pred, true = self.task.predict(out), self.task.class_labels(y)
                        result[f"{split}_accuracy"] = (pred == true).to(torch.float32).mean().item()
                        if detailed and split == "test":
                            matrix = confusion_matrix(true.cpu().numpy(), pred.cpu().numpy(), self.data.n_classes)
                            result["confusion_matrix"] = matrix.tolist()
                            result.update(per_class_scores(matrix))
                            result["class_names"] = list(self.data.class_names)
                            probs = self.task.probabilities(out).cpu().numpy()
                            result["roc_auc"] = roc_auc_per_class(true.cpu().numpy(), probs)
        finally:
            self.model.train(was_training)
        return result

    def outputs(self, x: torch.Tensor, chunk: int = 2048) -> torch.Tensor:
        """The network's outputs for many inputs, in chunks so large image sets fit in memory."""
        if len(x) <= chunk:
            return self.model(x)
        return torch.cat([self.model(x[i:i + chunk]) for i in range(0, len(x), chunk)])

    def _early_stopping(self, test_loss: float) -> None:
        rule = self.training["early_stopping"]
        if rule["patience"] is None or not math.isfinite(test_loss):
            return
        if test_loss < self._best[0] - rule["min_delta"]:
            self._best = (test_loss, {k: v.detach().clone() for k, v in self.model.state_dict().items()})
            self._bad_evals = 0
            return
        self._bad_evals += 1
        if self._bad_evals >= rule["patience"]:
            self.model.load_state_dict(self._best[1])
            self.status = EARLY_STOPPED
            self.message = (f"Stopped early at step {self.step_count}: the test loss has not improved for "
                            f"{rule['patience']} evaluations; kept the weights with the best test loss "
                            f"({self._best[0]:.4g}).")

    # ---- views and checks -----------------------------------------------------------------------
    def predict_points(self, points: np.ndarray) -> np.ndarray:
        """Network output for raw 2-D points: class probabilities (N, k) or values (N,). Views use it
        for decision boundaries over a grid."""
        x = torch.as_tensor(self.data.transform(np.asarray(points, dtype=np.float32)), device=self.device)
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                out = self.model(x)
                result = self.task.probabilities(out) if self.task.classification else out[:, 0]
        finally:
            self.model.train(was_training)
        return result.cpu().numpy()

    def _check_outputs(self) -> int:
        """The data decide the number of classes (a CSV file, say); the network must match it."""
        summary = summarize(self.preset.networks["main"].layers, self.data.input_shape)
        if not summary.ok:  # the data file decided the input shape, and a layer cannot take it
            raise PresetError([Problem(r.path, f"{r.type} {r.error}") for r in summary.errors], self.preset.source)
        out = summary.output_shape
        allowed = required_outputs(self.preset.task, self.data.n_classes or None)
        if allowed is not None and (len(out) != 1 or out[0] not in allowed):
            needs = describe_outputs(self.preset.task, self.data.n_classes)
            raise PresetError([Problem("networks.main", f"the network outputs {list(out)} per sample, "
                                       f"but this data needs {needs}")], self.preset.source)
        return out[0]
