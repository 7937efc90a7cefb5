"""What a task says about itself; :class:`~playground.core.training.loop.TrainingLoop` does the rest.

Lightning's split: the loop owns the run (batch order, learning-rate schedule, penalties, the
divergence roll-back, early stopping, evaluation records, sessions, callbacks) and a task says only
what is its own: its data, its networks, one training step, its evaluation, what its views draw, what
a run folder and an export of it contain. Classification, GAN and VAE are tasks of equal standing
(``playground.core.tasks.<name>``), found through the task catalogue; nothing outside a task asks
which task it is.

A task reaches the loop through ``self.loop`` and the shared facts it delegates (``data``,
``device``, ``preset``, ``training``, ``step_count``, ``history``). Inside a step it asks the loop for
the next batch (:meth:`TrainingLoop.next_indices`, :meth:`TrainingLoop.augment`), adds the shared
penalties (:meth:`TrainingLoop.add_penalties`), checks a loss (:meth:`TrainingLoop.check`, which
raises :class:`Diverged`) and lets the loop optimise (:meth:`TrainingLoop.optimize`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # the loop imports torch; this module stays cheap to import
    import torch

    from playground.core.records import MetricRecord
    from playground.core.training.loop import TrainingLoop


class Diverged(Exception):  # noqa: N818 - it names what happened, as StopIteration does
    """A loss was non-finite or exploded; the loop rolls the weights back and explains."""

    def __init__(self, value: float, network: str | None = None) -> None:
        super().__init__(value)
        self.value = value
        self.network = network


@dataclass
class StepResult:
    """What one training step reports: the loss plotted per step and the task's own figures."""

    batch_loss: float
    metrics: dict[str, float] | None = None
    counted: bool = True  # False: the step trained something but does not advance the run (a GAN's D-only step)


def became(value: float) -> str:
    return f"became {value}" if not math.isfinite(value) else f"exploded to {value:.3g}"


class Task:
    """The per-task hooks, with the defaults most tasks share. Subclasses set ``name`` and implement
    :meth:`load_data`, :meth:`build`, :attr:`networks`, :meth:`training_step` and :meth:`evaluate`."""

    name: ClassVar[str]
    section: ClassVar[str | None] = None  # the task's own sub-section of ``training`` ("gan", "vae")
    fixed_settings: ClassVar[tuple[str, ...]] = ()  # settings that shape the model: changing them needs a reset
    stepping_requests: ClassVar[tuple[str, ...]] = ()  # view requests that train (a GAN's "train D one step")

    def __init__(self, loop: TrainingLoop) -> None:
        self.loop = loop

    # ---- the run's shared facts ------------------------------------------------------------------
    @property
    def data(self):
        return self.loop.data

    @property
    def device(self):
        return self.loop.device

    @property
    def preset(self):
        return self.loop.preset

    @property
    def training(self) -> dict:
        return self.loop.training

    @property
    def step_count(self) -> int:
        return self.loop.step_count

    @property
    def history(self):
        return self.loop.history

    # ---- building --------------------------------------------------------------------------------
    def load_data(self, base_dir: Path | None):
        """The run's dataset (the loop passes it in instead when the caller already has one)."""
        raise NotImplementedError

    def build(self) -> None:
        """Check the networks against the data, build them and the tensors the steps use."""
        raise NotImplementedError

    @property
    def networks(self) -> dict[str, torch.nn.Module]:
        """The task's networks by name: sessions, weights files, callbacks and exports read these."""
        raise NotImplementedError

    def configure(self, training: dict) -> None:
        """Read the task's own settings from a (new) training section."""

    def batch_geometry(self, training: dict) -> tuple[int, int]:
        """(batch size, steps per epoch) for a training section."""
        batch = min(training["batch_size"], self.data.n_train)
        return batch, math.ceil(self.data.n_train / batch)

    def make_optimizers(self, training: dict, learning_rate: float) -> dict[str, torch.optim.Optimizer]:
        """One optimiser per network with the section's settings (per-parameter methods make that the
        same as one optimiser over all of them)."""
        from playground.core.optim import make_optimizer

        settings = {**training, "learning_rate": learning_rate}
        return {name: make_optimizer(net.parameters(), settings) for name, net in self.networks.items()}

    def rate_scales(self) -> dict[str, float]:
        """Each optimiser's learning rate as a multiple of the run's (a GAN's discriminator may differ)."""
        return {name: 1.0 for name in self.networks}

    def penalised_parameters(self) -> list[torch.Tensor]:
        """The weights the L1/L2 penalties apply to: every weight matrix or kernel (not biases)."""
        return [p for net in self.networks.values() for p in net.parameters() if p.dim() > 1]

    def start(self) -> None:
        """(Re)set the task's own state for step 0 (the loop has reset the networks and optimisers)."""

    # ---- stepping --------------------------------------------------------------------------------
    def training_step(self, learning_rate: float, **request) -> StepResult:
        raise NotImplementedError

    def explosion_scale(self, first: MetricRecord | None, value: float) -> float:
        """The size of a normal loss: a loss 10,000 times this has diverged even while finite (with
        Adam or saturating activations a far too high rate gives huge, finite losses)."""
        return max(first.batch_loss if first is not None else value, 0.1)

    def divergence_message(self, diverged: Diverged, learning_rate: float, bad_step: int) -> str:
        lr = learning_rate
        return (f"Training stopped at step {bad_step}: the loss {became(diverged.value)}. The learning rate "
                f"({lr:g}) is probably too high; try {lr / 10:g} or lower. The weights were rolled back to step "
                f"{self.step_count}, the last before the loss blew up.")

    def after_rollback(self) -> None:
        """Forget task state recorded after the step the weights were rolled back to."""

    # ---- evaluation ------------------------------------------------------------------------------
    def evaluate(self, detailed: bool = False) -> dict:
        """Figures on the whole train and test sets: ``train_loss`` and ``test_loss`` always,
        ``train_accuracy``/``test_accuracy`` for classifiers, any others by name."""
        raise NotImplementedError

    def after_evaluation(self, record: MetricRecord) -> None:
        """Called with each evaluation record (an image GAN keeps a sample grid, say)."""

    # ---- views (plain NumPy payloads; the GUI only paints them) -----------------------------------
    def data_view(self) -> dict:
        """Extra fields of the run's DataInfo (what the views need once per run)."""
        return {}

    def live_view(self, pictures: bool, detail: bool) -> dict:
        """Fields of a Snapshot: ``pictures`` when the live pictures are due (a few a second), ``detail``
        when the expensive ones are (about once a second, and always on pause)."""
        return {}

    def view_request(self, name: str, args=None):
        raise KeyError(f"unknown view request {name!r}")

    # ---- sessions, run folders, exports ------------------------------------------------------------
    def capture_extra(self) -> tuple[dict[str, torch.Tensor], dict]:
        """The task's own state for a session: (tensors, plain JSON)."""
        return {}, {}

    def restore_extra(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        """Take back what :meth:`capture_extra` saved."""

    def write_outputs(self, folder: Path, final: dict) -> None:
        """The task's own files in a run folder, beside metrics, preset, summary, weights and session."""

    def summaries(self) -> list[str]:
        """Each network's layer summary, for summary.txt."""
        return []

    def export_networks(self) -> dict[str, tuple[torch.nn.Module, tuple[int, ...]]]:
        """Each network a user may export, with the per-sample input shape it takes."""
        raise NotImplementedError

    def export_latent(self, network: str) -> dict | None:
        """How to draw the noise ``network`` is fed, as JSON-ready settings (see
        :mod:`playground.core.tasks.gan.export_noise`), for exports to carry; None for a network that
        takes data."""
        return None
