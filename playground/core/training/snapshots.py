"""The snapshot model: what a run reports to whoever shows it, as fresh NumPy copies (never live tensors).

:class:`DataInfo` is sent once per run (its data, for the previews and plots); :class:`Snapshot` as the
run goes, each carrying what changed since the previous one. Both are built here, from any
:class:`~playground.core.training.contract.Trainer`, so the GUI's worker only decides *when* to send
them and the window only paints them. ``run_id`` names the run (a late snapshot of an old run is
dropped); ``answers`` is the sequence number of the last command the trainer's owner had carried out
when it built the snapshot, so a snapshot can never undo a newer command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.core.records import MetricRecord


@dataclass
class DataInfo:
    """A freshly loaded run's data, for the data preview and the plots: 2-D points (empty arrays for
    images), or for images a gallery of training samples."""

    run_id: int
    kind: str  # "classification" or "regression"
    points_train: np.ndarray
    points_test: np.ndarray
    y_train: np.ndarray  # class indices, or values (N,)
    y_test: np.ndarray
    class_names: list[str]
    extent: tuple[float, float, float, float] | None
    total_steps: int
    device: str
    task: str = "classification"
    input_shape: tuple[int, ...] = ()
    samples: object | None = None  # image_probes.Gallery of training images (image tasks)
    live: object | None = None  # GAN and VAE runs: the task's own data view (plain NumPy payload)
    answers: int = 0


@dataclass
class Snapshot:
    """What changed since the previous snapshot of this run."""

    run_id: int
    step: int
    epoch: float
    total_steps: int
    steps_per_s: float
    learning_rate: float
    steps: np.ndarray  # int64 step numbers of the new per-step loss points
    batch_losses: np.ndarray  # float64, one per entry of ``steps``
    evaluations: list[MetricRecord] = field(default_factory=list)
    surface: np.ndarray | None = None  # RGBA uint8 (n, n, 4), or float32 (n, n) for regression
    extent: tuple[float, float, float, float] | None = None
    events: list[tuple[int, str]] = field(default_factory=list)  # (step, what changed) for markers
    running: bool = False
    status: str | None = None  # the trainer's status when it stopped on its own: finished, diverged...
    message: str = ""
    confusion: list[list[int]] | None = None  # image tasks: test confusion matrix (rows true, columns predicted)
    mistakes: object | None = None  # image tasks: image_probes.Gallery of misclassified test images
    filters: np.ndarray | None = None  # image tasks: first convolution's kernels (out, in, k, k) in [0, 1]
    neurons: list[np.ndarray] | None = None  # small dense 2-D networks: per layer (units, n, n) unit maps
    weights: list[np.ndarray] | None = None  # with ``neurons``: each Linear layer's (out, in) weights
    live: object | None = None  # GAN and VAE runs: the task's own live view (plain NumPy payload)
    step_metrics: dict[str, np.ndarray] = field(default_factory=dict)  # per-step task figures (d_loss...)
    answers: int = 0  # the last command carried out when this was built
    # when the run has just ended on its own (finished, early-stopped): the trainer's final figures on
    # the whole train and test sets (``Trainer.evaluate()``, what ``nn-playground train`` prints)
    final: dict[str, float] | None = None


VIEW_FIELDS = frozenset(("surface", "extent", "confusion", "mistakes", "filters", "neurons", "weights", "live"))


def data_info(trainer, run_id: int, answers: int = 0) -> DataInfo:
    """The run's data as the views need it once per run (the task adds its own fields)."""
    data = trainer.data
    points = getattr(data, "points_train", None)
    flat = points is not None and not hasattr(data, "for_display")
    empty = np.empty((0, 2), dtype=np.float32)
    info = DataInfo(
        run_id=run_id, kind=data.kind, points_train=data.points_train.copy() if flat else empty,
        points_test=data.points_test.copy() if flat else empty,
        y_train=np.asarray(data.y_train).reshape(len(data.y_train), -1)[:, 0].copy(),
        y_test=np.asarray(data.y_test).reshape(len(data.y_test), -1)[:, 0].copy(),
        class_names=list(data.class_names), extent=tuple(data.extent) if flat else None,
        total_steps=trainer.total_steps, device=str(trainer.device), task=trainer.preset.task,
        input_shape=tuple(data.input_shape), answers=answers,
    )
    for name, value in trainer.task.data_view().items():
        setattr(info, name, value)
    return info


def snapshot(trainer, run_id: int, records: list[MetricRecord], *, running: bool, steps_per_s: float,
             events: list[tuple[int, str]], pictures: bool, detail: bool, answers: int = 0) -> Snapshot:
    """A snapshot of ``trainer`` after ``records`` (the steps since the last one); ``pictures`` and
    ``detail`` say which of the task's views are due (see :meth:`Task.live_view`)."""
    finite = [r for r in records if r.step <= trainer.step_count]  # a diverged step is reported, not plotted
    snap = Snapshot(
        run_id=run_id, step=trainer.step_count, epoch=trainer.epoch, total_steps=trainer.total_steps,
        steps_per_s=steps_per_s if running else 0.0, learning_rate=trainer.learning_rate,
        steps=np.array([r.step for r in finite], dtype=np.int64),
        batch_losses=np.array([r.batch_loss for r in finite], dtype=np.float64),
        evaluations=[r for r in finite if r.evaluated], events=list(events), running=running,
        status=None if running else (trainer.status or "paused"), message=trainer.message, answers=answers,
    )
    names = {k for r in finite if r.metrics for k in r.metrics}
    snap.step_metrics = {k: np.array([(r.metrics or {}).get(k, np.nan) for r in finite], dtype=np.float64)
                         for k in sorted(names)}
    if pictures or detail:
        for name, value in trainer.task.live_view(pictures, detail).items():
            if name not in VIEW_FIELDS:
                raise KeyError(f"a task's live view may not set {name!r}")
            setattr(snap, name, value)
    return snap
