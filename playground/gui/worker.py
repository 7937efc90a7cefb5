"""The training worker: runs the core trainer on its own QThread and sends snapshots to the GUI.

The worker is a QObject without a parent, moved to a QThread; its ``loop`` slot runs there until a
"quit" command. Commands arrive through a thread-safe queue and are read between steps, so pause
and stop act within one step. Snapshots are fresh NumPy copies, coalesced and time-gated to at most
``MAX_SNAPSHOTS_PER_S`` a second: loss points travel in chunks, the decision surface latest-only.
Every run has an id, so a late snapshot of an old run can never reach a new plot.
"""

from __future__ import annotations

import queue
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.core.records import MetricRecord
from playground.gui.colors import surface_image

MAX_SNAPSHOTS_PER_S = 10
MAX_SURFACES_PER_S = 5
MAX_IMAGE_VIEWS_PER_S = 1  # confusion matrix, mistakes and filters: a full test-set pass each time
GRID = 100


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
    live: object | None = None  # GAN and VAE runs: the trainer's own live_data() (plain NumPy payload)


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
    live: object | None = None  # GAN and VAE runs: the trainer's own live_view() (plain NumPy payload)
    step_metrics: dict[str, np.ndarray] = field(default_factory=dict)  # per-step task figures (d_loss...)


class TrainingWorker(QObject):
    """Owns the Trainer; lives on the worker thread. Talk to it only through :meth:`post`."""

    data_loaded = Signal(object)  # DataInfo
    snapshot_ready = Signal(object)  # Snapshot
    failed = Signal(str, str)  # message, details
    exported = Signal(str)  # the folder a run was written to
    feature_maps_ready = Signal(object)  # (run_id, split, index, [(layer name, maps)])
    export_done = Signal(str, bool)  # what was written and how it verified, and whether it is all good
    session_saved = Signal(str)  # folder
    session_loaded = Signal(object, str)  # (preset, folder): the run now continues from there
    trace_ready = Signal(object)  # (run_id, input, [LayerTrace]): every layer's z and a for one input
    view_reply = Signal(object)  # (run_id, name, result): the answer to a task view's request

    def __init__(self) -> None:
        super().__init__()
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._trainer = None
        self._run_id = 0
        self._running = False
        self._pending: list[MetricRecord] = []
        self._events: list[tuple[int, str]] = []
        self._last_emit = 0.0
        self._last_surface = 0.0
        self._last_images = 0.0
        self._rate_mark = (time.perf_counter(), 0)
        self._rate = 0.0

    def post(self, *command) -> None:
        """Queue a command from any thread: ("load", preset, run_id), ("start",), ("pause",),
        ("step",), ("reset", run_id), ("training", section), ("export", folder), ("quit",)."""
        self._commands.put(command)

    @Slot()
    def loop(self) -> None:
        """The worker thread's main loop: read commands, train in short chunks, send snapshots."""
        while True:
            try:
                command = self._commands.get(timeout=0.05) if not self._running else self._commands.get_nowait()
            except queue.Empty:
                command = None
            if command is not None:
                if command[0] == "quit":
                    break
                self._guarded(self._handle, command)
                continue
            if self._running:
                self._guarded(self._train_chunk)
        self._trainer = None
        QThread.currentThread().quit()

    # ---- commands --------------------------------------------------------------------------------
    def _guarded(self, func, *args) -> None:
        """Any exception becomes a ``failed`` signal; the worker stays alive for the next command."""
        try:
            func(*args)
        except Exception as exc:  # noqa: BLE001 - reported to the user with the traceback
            self._running = False
            self.failed.emit(_describe(exc), traceback.format_exc())
            if self._trainer is not None:
                self._emit(surface=False)

    def _handle(self, command: tuple) -> None:
        kind = command[0]
        if kind == "load":
            self._load(command[1], command[2])
        elif kind == "load_session":
            self._load_session(command[1], command[2])
        elif self._trainer is None:
            return
        elif kind == "start":
            if self._trainer.done or self._trainer.step_count >= self._trainer.total_steps:
                return
            self._running = True
            self._rate_mark = (time.perf_counter(), self._trainer.step_count)
        elif kind == "pause":
            self._running = False
            self._emit(surface=False, views=False)  # "paused" reaches the window at once...
            self._emit(surface=True)  # ...then the final pictures, which take a test-set pass
        elif kind == "step":
            self._running = False
            if not self._trainer.done and self._trainer.step_count < self._trainer.total_steps:
                self._pending.append(self._trainer.step())
            self._emit(surface=True)
        elif kind == "reset":
            self._running = False
            self._run_id = command[1]
            self._trainer.reset()
            self._pending.clear()
            self._events.clear()
            self._emit_data()
            self._emit(surface=True)
        elif kind == "export_format":
            from playground.core.export import export

            result = export(self._trainer, command[1], command[2], network=command[3] if len(command) > 3 else None)
            self.export_done.emit(result.summary(), result.verified is not False)
        elif kind == "save_session":
            from playground.core.sessions import save_session

            save_session(self._trainer, command[1])
            self.session_saved.emit(str(command[1]))
        elif kind == "trace":
            from playground.core.inspect_network import forward_trace

            self.trace_ready.emit((self._run_id, command[1], forward_trace(self._trainer.model, command[1])))
        elif kind == "view_request":  # a GAN or VAE view asks its trainer something (decode a code...)
            name, args = command[1], command[2]
            self.view_reply.emit((self._run_id, name, self._trainer.view_request(name, args)))
            if name in getattr(self._trainer, "STEPPING_REQUESTS", ()):  # it trained: show the new state
                self._emit(surface=True)
        elif kind == "feature_maps":
            self._feature_maps(command[1], command[2])
        elif kind == "export":
            self._export(command[1])
        elif kind == "training":
            for change in self._trainer.update_training(command[1]):
                self._events.append((self._trainer.step_count, change))
            self._emit(surface=False)

    def _feature_maps(self, split: str, index: int) -> None:
        from playground.core.image_probes import feature_maps

        data = self._trainer.data
        images = data.x_train if split == "train" else data.x_test
        if not hasattr(data, "for_display") or not 0 <= index < len(images):
            return
        self.feature_maps_ready.emit((self._run_id, split, index, feature_maps(self._trainer, images[index])))

    def _export(self, folder: str) -> None:
        from pathlib import Path

        from playground.core.run_output import final_metrics, write_run

        write_run(Path(folder), self._trainer, final_metrics(self._trainer, self._trainer.status or "paused"))
        self.exported.emit(folder)

    def _load_session(self, folder: str, run_id: int) -> None:
        """Continue a saved run: the trainer, its history (sent in full so plots rebuild) and its preset."""
        import torch

        from playground.core.sessions import load_session

        torch.set_num_threads(1)
        trainer = load_session(folder)
        if trainer.status in ("paused", "stopped"):
            trainer.status = None
        self._running = False
        self._trainer = trainer
        self._run_id = run_id
        self._events.clear()
        self.session_loaded.emit(trainer.preset.copy(), folder)
        self._emit_data()
        self._pending = list(trainer.history.records)
        self._emit(surface=True)

    def _load(self, preset, run_id: int) -> None:
        import torch

        from playground.core.trainers import make_trainer

        self._running = False
        self._trainer = None
        self._run_id = run_id
        self._pending.clear()
        self._events.clear()
        torch.set_num_threads(1)  # tiny networks: one thread is as fast and leaves a core to the GUI
        self._trainer = make_trainer(preset)
        self._emit_data()
        self._emit(surface=True)

    # ---- training --------------------------------------------------------------------------------
    def _train_chunk(self) -> None:
        """Train until the next snapshot is due, a command arrives, or the run stops."""
        trainer = self._trainer
        deadline = self._last_emit + 1.0 / MAX_SNAPSHOTS_PER_S
        commands = self._commands
        while True:
            record = trainer.step()
            self._pending.append(record)
            if trainer.done or trainer.step_count >= trainer.total_steps:
                self._running = False
                if not trainer.done:
                    trainer.status = "finished"  # trainer.FINISHED; not imported here to keep torch lazy
                break
            if not commands.empty() or time.perf_counter() >= deadline:
                break
        now = time.perf_counter()
        surface = not self._running or now - self._last_surface >= 1.0 / MAX_SURFACES_PER_S
        self._emit(surface=surface)

    def _emit(self, surface: bool, views: bool = True) -> None:
        from playground.core.probes import decision_grid

        trainer = self._trainer
        now = time.perf_counter()
        start, start_step = self._rate_mark
        if now - start > 0.5:
            self._rate = (trainer.step_count - start_step) / (now - start)
            self._rate_mark = (now, trainer.step_count)
        pending, self._pending = self._pending, []
        finite = [r for r in pending if r.step <= trainer.step_count]  # a diverged step is reported, not plotted
        snapshot = Snapshot(
            run_id=self._run_id, step=trainer.step_count, epoch=trainer.epoch, total_steps=trainer.total_steps,
            steps_per_s=self._rate if self._running else 0.0, learning_rate=trainer.learning_rate,
            steps=np.array([r.step for r in finite], dtype=np.int64),
            batch_losses=np.array([r.batch_loss for r in finite], dtype=np.float64),
            evaluations=[r for r in finite if r.evaluated], events=self._events, running=self._running,
            status=None if self._running else (trainer.status or "paused"), message=trainer.message,
        )
        self._events = []
        names = {k for r in finite if r.metrics for k in r.metrics}
        snapshot.step_metrics = {k: np.array([(r.metrics or {}).get(k, np.nan) for r in finite], dtype=np.float64)
                                 for k in sorted(names)}
        if views and hasattr(trainer.data, "for_display") and not hasattr(trainer, "live_view") and (
                not self._running or now - self._last_images >= 1.0 / MAX_IMAGE_VIEWS_PER_S):
            self._add_image_views(snapshot)
            self._last_images = now
        if hasattr(trainer, "live_view"):  # GAN and VAE: the task draws its own pictures
            if surface:
                due = not self._running or now - self._last_images >= 1.0 / MAX_IMAGE_VIEWS_PER_S
                snapshot.live = trainer.live_view(detail=views and due)
                if views and due:
                    self._last_images = now
                self._last_surface = now
            self._last_emit = now
            self.snapshot_ready.emit(snapshot)
            return
        if surface:
            from playground.core.inspect_network import link_weights, unit_heatmaps

            snapshot.neurons = unit_heatmaps(trainer)
            if snapshot.neurons is not None:
                snapshot.weights = link_weights(trainer.model)
            grid = decision_grid(trainer, GRID)
            if grid is not None:
                snapshot.surface = surface_image(grid.values) if grid.classification else grid.values.copy()
                snapshot.extent = grid.extent
            self._last_surface = now
        self._last_emit = now
        self.snapshot_ready.emit(snapshot)

    def _add_image_views(self, snapshot: Snapshot) -> None:
        from playground.core.image_probes import first_conv_filters, misclassified

        trainer = self._trainer
        snapshot.confusion = trainer.evaluate(detailed=True)["confusion_matrix"]
        snapshot.mistakes = misclassified(trainer)
        snapshot.filters = first_conv_filters(trainer.model)

    def _emit_data(self) -> None:
        trainer = self._trainer
        data = trainer.data
        images = hasattr(data, "for_display")
        empty = np.empty((0, 2), dtype=np.float32)
        samples = None
        if images:
            from playground.core.image_probes import sample_grid

            samples = sample_grid(data)
        self.data_loaded.emit(DataInfo(
            run_id=self._run_id, kind=data.kind, points_train=empty if images else data.points_train.copy(),
            points_test=empty if images else data.points_test.copy(),
            y_train=np.asarray(data.y_train).reshape(len(data.y_train), -1)[:, 0].copy(),
            y_test=np.asarray(data.y_test).reshape(len(data.y_test), -1)[:, 0].copy(),
            class_names=list(data.class_names), extent=None if images else tuple(data.extent),
            total_steps=trainer.total_steps, device=str(trainer.device), task=trainer.preset.task,
            input_shape=tuple(data.input_shape), samples=samples,
            live=trainer.live_data() if hasattr(trainer, "live_data") else None,
        ))


def _describe(exc: Exception) -> str:
    """The one-line message a dialog shows: the core's own message when it has one."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 2000 else text[:2000] + "..."
