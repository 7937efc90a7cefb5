"""The GUI thread's handle on training: starts the worker thread, numbers and sends commands, filters reports.

It is the only object that knows about the QThread. Views connect to its signals; they never see
the worker. The worker owns the run; what this object says about it (``running``, ``step``,
``status``) is what the worker last reported, except that a command just sent is shown at once
(Pause shows "paused" before the worker has answered) and a report that predates the latest command
(``Snapshot.answers`` < that command's number) cannot undo it. Reports of an older run (before a
reset or a new preset) are dropped.

A Start pressed while the run is still loading (PyTorch is imported by the first load, seconds after
the window shows) is remembered (``start_pending``) and sent the moment the run is there; Pause
cancels it. ``preparing`` says what the load is waiting for.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal

from playground.core.training.snapshots import DataInfo, Snapshot
from playground.gui import commands as cmd
from playground.gui.worker import TrainingWorker

STOPPED_BY_THEMSELVES = ("diverged", "early_stopped")


class TrainingController(QObject):
    data_loaded = Signal(object)  # DataInfo of the current run
    snapshot = Signal(object)  # Snapshot of the current run
    running_changed = Signal(bool)
    failed = Signal(str, str)  # message, details
    exported = Signal(str)  # folder
    feature_maps_ready = Signal(object)  # (split, index, [(layer name, (C, h, w) maps in [0, 1])])
    export_done = Signal(str, bool)  # summary (with the verification), all good
    session_saved = Signal(str)
    session_loaded = Signal(object, str)  # (preset, folder)
    trace_ready = Signal(object)  # (input, [LayerTrace]) for the forward-pass inspector
    view_reply = Signal(str, object)  # (name, result): a task view's answer from its trainer
    preparing = Signal(str)  # what the worker's load is doing: worker.LOADING_TORCH, then PREPARING_RUN
    start_pending_changed = Signal(bool)  # a Start pressed during the load waits for the run

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("trainingThread")
        self._worker = TrainingWorker()  # no parent: it must move to the thread
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.loop)
        self._worker.data_loaded.connect(self._on_data_loaded)
        self._worker.snapshot_ready.connect(self._on_snapshot)
        self._worker.failed.connect(self._on_failed)
        self._worker.exported.connect(self.exported)
        self._worker.export_done.connect(self.export_done)
        self._worker.session_saved.connect(self.session_saved)
        self._worker.session_loaded.connect(self.session_loaded)
        self._worker.view_reply.connect(self._on_view_reply)
        self._worker.preparing.connect(self._on_preparing)
        self._seq = 0
        self._state_seq = 0  # the last command that decides the run's state
        self._answered = 0  # the last command the worker's latest snapshot reflects
        self._run_id = 0
        self._running = False
        self.loaded = False
        self.stage = ""  # the worker's last ``preparing`` stage
        self._start_pending = False
        self.step = 0
        self.total_steps = 0
        self.status: str | None = None
        self._thread.start()

    def _post(self, command: cmd.Command) -> None:
        self._seq += 1
        command.seq = self._seq
        if command.changes_state:
            self._state_seq = self._seq
        self._worker.post(command)

    # ---- commands (GUI thread) -----------------------------------------------------------------
    def load(self, preset) -> None:
        """Start a new run of ``preset`` (a copy is sent: later edits do not reach the worker)."""
        self._new_run()
        self._post(cmd.Load(preset.copy(), self._run_id))

    def load_session(self, folder: str) -> None:
        """Replace the run by a saved session; ``session_loaded`` brings its preset."""
        self._new_run()
        self._post(cmd.LoadSession(folder, self._run_id))

    def _new_run(self) -> None:
        self._run_id += 1
        self.loaded = False
        self.step = 0
        self.status = None
        self._set_running(False)

    @property
    def can_start(self) -> bool:
        return (self.loaded and not self._running and self.step < self.total_steps
                and self.status not in STOPPED_BY_THEMSELVES)

    @property
    def start_pending(self) -> bool:
        """Start was pressed before the run had loaded: it is sent as soon as the run is there."""
        return self._start_pending

    def start(self) -> None:
        if self.can_start:
            self._set_start_pending(False)
            self._post(cmd.Start())
            self.status = None
            self._set_running(True)
        elif not self.loaded:
            self._set_start_pending(True)

    def pause(self) -> None:
        self._set_start_pending(False)
        if self._running:
            self._post(cmd.Pause())
            self._set_running(False)

    def toggle(self) -> None:
        self.pause() if self._running or self._start_pending else self.start()

    def _set_start_pending(self, pending: bool) -> None:
        if pending != self._start_pending:
            self._start_pending = pending
            self.start_pending_changed.emit(pending)

    def single_step(self) -> None:
        self._set_start_pending(False)
        self._post(cmd.Step())
        self._set_running(False)

    def reset(self) -> None:
        self._set_start_pending(False)
        self._run_id += 1
        self.step = 0
        self.status = None
        self._post(cmd.Reset(self._run_id))
        self._set_running(False)

    def update_training(self, training: dict) -> None:
        """Apply a new training section live (learning rate, batch size, optimiser...)."""
        self._post(cmd.UpdateTraining(dict(training)))
        if self.status == "diverged":
            self.status = None

    def request_feature_maps(self, split: str, index: int) -> None:
        """Ask for every conv layer's output for one image ("train" or "test" split, index)."""
        self.view_request("feature_maps", (split, index))

    def request_trace(self, x) -> None:
        """Ask for every layer's z and a for one input (per-sample shape, network input units)."""
        self.view_request("trace", x)

    def view_request(self, name: str, args=None) -> None:
        """Ask the task's ``view_request(name, args)`` on the worker thread (a GAN view's "train the
        discriminator one step", a VAE view's "decode this latent code"); ``view_reply`` answers."""
        self._post(cmd.ViewRequest(name, args))

    def export_format(self, fmt: str, path: str, network: str | None = None) -> None:
        """Export one of the run's networks (see playground.core.export_formats.FORMATS) on the worker thread."""
        self._post(cmd.ExportFormat(fmt, path, network))

    def save_session(self, folder: str) -> None:
        self._post(cmd.SaveSession(folder))

    def export(self, folder: str) -> None:
        """Write the current run (weights, metrics, preset) to ``folder`` on the worker thread."""
        self._post(cmd.ExportRun(folder))

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop the worker and join its thread; True when it ended in time."""
        if self._thread.isFinished() or not self._thread.isRunning():
            return True
        self._post(cmd.Quit())
        finished = self._thread.wait(timeout_ms)
        self._set_running(False)
        return finished

    # ---- state ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    @property
    def run_id(self) -> int:
        return self._run_id

    @property
    def settled(self) -> bool:
        """The worker has answered every command sent that decides the run's state."""
        return self._answered >= self._state_seq

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    # ---- from the worker (queued onto the GUI thread) ------------------------------------------
    def _on_data_loaded(self, info: DataInfo) -> None:
        if info.run_id != self._run_id:
            return
        self.loaded = True
        self.total_steps = info.total_steps
        self.data_loaded.emit(info)
        if self._start_pending:
            self.start()  # the Start pressed while the run was loading

    def _on_preparing(self, stage: str) -> None:
        self.stage = stage  # about the worker, whichever run it is loading: not dropped like old reports
        self.preparing.emit(stage)

    def _on_snapshot(self, snap: Snapshot) -> None:
        if snap.run_id != self._run_id:
            return
        self._answered = snap.answers
        self.total_steps = snap.total_steps
        self.step = snap.step
        if snap.answers >= self._state_seq:  # it reflects every command sent: the worker's word stands
            self.status = None if snap.running else snap.status
            self._set_running(snap.running)
        self.snapshot.emit(snap)

    def _on_view_reply(self, payload) -> None:
        run_id, name, args, result = payload
        if run_id != self._run_id:
            return
        if name == "feature_maps":
            if result is not None:
                self.feature_maps_ready.emit(result)
        elif name == "trace":
            self.trace_ready.emit((args, result))
        else:
            self.view_reply.emit(name, result)

    def _on_failed(self, message: str, details: str) -> None:
        self._set_start_pending(False)
        self._set_running(False)
        self.failed.emit(message, details)
