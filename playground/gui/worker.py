"""The training worker: owns the run on its own QThread, carries out commands, sends snapshots.

The worker is a QObject without a parent, moved to a QThread; its ``loop`` slot runs there until a
:class:`~playground.gui.commands.Quit`. Commands (typed, numbered by the controller) arrive through a
thread-safe queue and are read between steps, so pause and stop act within one step; one dispatch
table maps each command type to its handler. What a snapshot holds is computed by the core
(:mod:`playground.core.training.snapshots` and the task's views); this module decides only when:
at most ``MAX_SNAPSHOTS_PER_S`` a second, the live pictures at most ``MAX_PICTURES_PER_S`` and the
expensive views (a full test-set pass) at most ``MAX_DETAIL_PER_S``, and always at once when the run
stops, pauses or steps. Every snapshot names its run and the last command carried out.

PyTorch is imported here, on the training thread, when the first run is loaded (after the window's
first paint); ``preparing`` says what the load is waiting for, so the window can tell the user.
"""

from __future__ import annotations

import queue
import sys
import time
import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.core.records import MetricRecord
from playground.core.training.snapshots import data_info, snapshot
from playground.gui import commands as cmd

MAX_SNAPSHOTS_PER_S = 10
MAX_PICTURES_PER_S = 5
MAX_DETAIL_PER_S = 1
ENDED_ON_THEIR_OWN = ("finished", "early_stopped")
# what a load is doing, as ``preparing`` reports it (``data_loaded`` says it is done)
LOADING_TORCH, PREPARING_RUN = "torch", "run"


class TrainingWorker(QObject):
    """Owns the trainer; lives on the worker thread. Talk to it only through :meth:`post`."""

    data_loaded = Signal(object)  # DataInfo
    snapshot_ready = Signal(object)  # Snapshot
    failed = Signal(str, str)  # message, details
    exported = Signal(str)  # the folder a run was written to
    export_done = Signal(str, bool)  # what was written and how it verified, and whether it is all good
    session_saved = Signal(str)  # folder
    session_loaded = Signal(object, str)  # (preset, folder): the run now continues from there
    view_reply = Signal(object)  # (run_id, name, args, result): the answer to a view request
    preparing = Signal(str)  # LOADING_TORCH (the first load only), then PREPARING_RUN, as a run loads

    def __init__(self) -> None:
        super().__init__()
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._trainer = None
        self._run_id = 0
        self._running = False
        self._answered = 0  # seq of the last command carried out
        self._pending: list[MetricRecord] = []
        self._events: list[tuple[int, str]] = []
        self._last_emit = self._last_pictures = self._last_detail = 0.0
        self._rate_mark = (time.perf_counter(), 0)
        self._rate = 0.0
        self._final_sent = False  # the figures of a run that ended on its own went out with its snapshot
        self._handlers = {
            cmd.Load: self._load, cmd.LoadSession: self._load_session, cmd.Start: self._start,
            cmd.Pause: self._pause, cmd.Step: self._step, cmd.Reset: self._reset,
            cmd.UpdateTraining: self._update_training, cmd.ViewRequest: self._view_request,
            cmd.ExportFormat: self._export_format, cmd.ExportRun: self._export_run,
            cmd.SaveSession: self._save_session,
        }
        self._need_trainer = set(self._handlers) - {cmd.Load, cmd.LoadSession}

    def post(self, command: cmd.Command) -> None:
        """Queue a command from any thread."""
        self._commands.put(command)

    @property
    def running(self) -> bool:
        """Whether the worker is training (tests compare it with what the window shows)."""
        return self._running

    @property
    def trainer(self):
        return self._trainer

    @Slot()
    def loop(self) -> None:
        """The worker thread's main loop: read commands, train in short chunks, send snapshots."""
        while True:
            try:
                command = self._commands.get(timeout=0.05) if not self._running else self._commands.get_nowait()
            except queue.Empty:
                command = None
            if isinstance(command, cmd.Quit):
                break
            if command is not None:
                self._guarded(self._handle, command)
            elif self._running:
                self._guarded(self._train_chunk)
        self._trainer = None
        QThread.currentThread().quit()

    def _guarded(self, func, *args) -> None:
        """Any exception becomes a ``failed`` signal; the worker stays alive for the next command."""
        try:
            func(*args)
        except Exception as exc:  # noqa: BLE001 - reported to the user with the details
            self._running = False
            self.failed.emit(_describe(exc), traceback.format_exc())
            if self._trainer is not None:
                self._emit(pictures=False, detail=False)

    def _handle(self, command: cmd.Command) -> None:
        self._answered = command.seq
        if type(command) in self._need_trainer and self._trainer is None:
            return
        self._handlers[type(command)](command)

    # ---- commands --------------------------------------------------------------------------------
    def _load(self, command: cmd.Load) -> None:
        self._new_run(None, command.run_id)
        self._import_torch()
        from playground.core.training.factory import make_trainer

        self._trainer = make_trainer(command.preset)
        self.data_loaded.emit(data_info(self._trainer, self._run_id, self._answered))
        self._emit(pictures=True, detail=True)

    def _import_torch(self) -> None:
        """PyTorch is imported on this thread, by the first load (seconds): say so while it happens."""
        if "torch" not in sys.modules:
            self.preparing.emit(LOADING_TORCH)
        import torch

        self.preparing.emit(PREPARING_RUN)
        torch.set_num_threads(1)  # tiny networks: one thread is as fast and leaves a core to the GUI

    def _load_session(self, command: cmd.LoadSession) -> None:
        """Continue a saved run: the trainer, its history (sent in full so plots rebuild) and its preset."""
        self._import_torch()
        from playground.core.training.sessions import load_session

        trainer = load_session(command.folder)
        if trainer.status in ("paused", "stopped"):
            trainer.status = None
        self._new_run(trainer, command.run_id)
        self.session_loaded.emit(trainer.preset.copy(), command.folder)
        self.data_loaded.emit(data_info(trainer, self._run_id, self._answered))
        self._pending = list(trainer.history.records)
        self._emit(pictures=True, detail=True)

    def _new_run(self, trainer, run_id: int) -> None:
        self._running = False
        self._trainer = trainer
        self._run_id = run_id
        self._pending.clear()
        self._events.clear()

    def _start(self, command: cmd.Start) -> None:
        if not self._running and not self._trainer.complete:
            self._running = True
            self._rate_mark = (time.perf_counter(), self._trainer.step_count)
        self._emit(pictures=False, detail=False)  # the answer: running, or why not

    def _pause(self, command: cmd.Pause) -> None:
        self._running = False
        self._emit(pictures=False, detail=False)  # "paused" reaches the window at once...
        self._emit(pictures=True, detail=True)  # ...then the final pictures, which take a test-set pass

    def _step(self, command: cmd.Step) -> None:
        self._running = False
        trainer = self._trainer
        if not trainer.complete:
            self._pending.append(trainer.step())
            if trainer.complete and not trainer.done:  # the last step of the run: it has finished
                trainer.status = "finished"
        self._emit(pictures=True, detail=True)

    def _reset(self, command: cmd.Reset) -> None:
        self._running = False
        self._run_id = command.run_id
        self._trainer.reset()
        self._pending.clear()
        self._events.clear()
        self.data_loaded.emit(data_info(self._trainer, self._run_id, self._answered))
        self._emit(pictures=True, detail=True)

    def _update_training(self, command: cmd.UpdateTraining) -> None:
        for change in self._trainer.update_training(command.training):
            self._events.append((self._trainer.step_count, change))
        self._emit(pictures=False, detail=False)

    def _view_request(self, command: cmd.ViewRequest) -> None:
        trainer = self._trainer
        result = trainer.task.view_request(command.name, command.args)
        self.view_reply.emit((self._run_id, command.name, command.args, result))
        if command.name in trainer.task.stepping_requests:  # it trained: show the new state
            self._emit(pictures=True, detail=True)

    def _export_format(self, command: cmd.ExportFormat) -> None:
        from playground.core.export import export

        result = export(self._trainer, command.format, command.path, network=command.network)
        self.export_done.emit(result.summary(), result.verified is not False)

    def _export_run(self, command: cmd.ExportRun) -> None:
        from pathlib import Path

        from playground.core.run_output import final_metrics, write_run

        trainer = self._trainer
        write_run(Path(command.folder), trainer, final_metrics(trainer, trainer.status or "paused"))
        self.exported.emit(command.folder)

    def _save_session(self, command: cmd.SaveSession) -> None:
        from playground.core.training.sessions import save_session

        save_session(self._trainer, command.folder)
        self.session_saved.emit(str(command.folder))

    # ---- training --------------------------------------------------------------------------------
    def _train_chunk(self) -> None:
        """Train until the next snapshot is due, a command arrives, or the run stops."""
        trainer = self._trainer
        deadline = self._last_emit + 1.0 / MAX_SNAPSHOTS_PER_S
        commands = self._commands
        while True:
            self._pending.append(trainer.step())
            if trainer.complete:
                self._running = False
                if not trainer.done:
                    trainer.status = "finished"
                break
            if not commands.empty() or time.perf_counter() >= deadline:
                break
        now = time.perf_counter()
        pictures = not self._running or now - self._last_pictures >= 1.0 / MAX_PICTURES_PER_S
        self._emit(pictures=pictures, detail=not self._running)

    def _emit(self, pictures: bool, detail: bool) -> None:
        trainer = self._trainer
        now = time.perf_counter()
        start, start_step = self._rate_mark
        if now - start > 0.5:
            self._rate = (trainer.step_count - start_step) / (now - start)
            self._rate_mark = (now, trainer.step_count)
        detail = detail or (pictures and now - self._last_detail >= 1.0 / MAX_DETAIL_PER_S)
        pending, self._pending = self._pending, []
        events, self._events = self._events, []
        snap = snapshot(trainer, self._run_id, pending, running=self._running, steps_per_s=self._rate,
                        events=events, pictures=pictures, detail=detail, answers=self._answered)
        if self._running or trainer.status not in ENDED_ON_THEIR_OWN:
            self._final_sent = False
        elif not self._final_sent:  # the run has just ended: its final figures, as the command line prints them
            snap.final = trainer.evaluate()
            self._final_sent = True
        if pictures:
            self._last_pictures = now
        if detail:
            self._last_detail = now
        self._last_emit = now
        self.snapshot_ready.emit(snap)


def _describe(exc: Exception) -> str:
    """The one-line message a dialog shows: the core's own message when it has one."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 2000 else text[:2000] + "..."
