"""What the window says about the run besides the live plots.

- While a run loads (the first one imports PyTorch, seconds after the window shows), the status bar
  says what it is waiting for: "Loading PyTorch…", then "Preparing the run…", and that a Start
  already pressed will train as soon as it can.
- When a run ends on its own (finished, or stopped early), a banner above the plots says so with the
  final test figures, until the next Start, Step or Reset, a new run, or the user dismisses it.

The words come from the core (:mod:`playground.core.run_notes`), translated here, so the command
line says the same.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from playground.core.run_notes import run_end_notice, target_reached
from playground.core.training.snapshots import Snapshot
from playground.gui.worker import LOADING_TORCH, PREPARING_RUN

BANNER_STYLE = ("#runEndBanner { background: #eef2fb; border: 1px solid #9fb3dd; border-radius: 4px; }"
                "#runEndBanner[reached=\"true\"] { background: #e8f3e8; border-color: #9cc79c; }"
                "#runEndBanner QLabel { color: #1d232b; }")


SLOW_RELOAD_MS = 400


def _tr(text: str) -> str:
    return QCoreApplication.translate("RunStatus", text)


class RunEndBanner(QFrame):
    """A dismissable strip above the plots: how the run that just ended did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runEndBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.icon = icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setObjectName("runEndText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setObjectName("dismissRunEndButton")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(_tr("Dismiss"))
        close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 4, 6)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_notice(self, text: str, reached: bool) -> None:
        """``reached``: the run finished and met its target (or has none): a tick on green, else an
        information sign on blue (stopped early, or the target was missed)."""
        self.text.setText(text)
        kind = QStyle.StandardPixmap
        icon = self.style().standardIcon(kind.SP_DialogApplyButton if reached else kind.SP_MessageBoxInformation)
        self.icon.setPixmap(icon.pixmap(18, 18))
        self.setProperty("reached", "true" if reached else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()


class RunStatus(QObject):
    """Follows the window's controller; owns the status bar's run label and the end-of-run banner."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller = window.controller
        self.label = QLabel(window)
        self.label.setObjectName("runStateLabel")
        window.statusBar().addWidget(self.label, 1)  # a normal widget: hover tips hide it only for a moment
        self.banner = RunEndBanner(window)
        self._load_failed = False
        self._loaded_before = False
        self._later = QTimer(self)  # a reload says "Preparing the run…" only once it takes this long
        self._later.setSingleShot(True)
        self._later.setInterval(SLOW_RELOAD_MS)
        self._later.timeout.connect(self._show_late)
        controller.preparing.connect(self._on_preparing)
        controller.start_pending_changed.connect(lambda _pending: self._show_loading())
        controller.data_loaded.connect(self._on_new_run)
        controller.running_changed.connect(self._on_running_changed)
        controller.snapshot.connect(self._on_snapshot)
        controller.failed.connect(lambda _message, _details: self._on_failed())
        self._show_loading()  # the first paint already says what the window is about to do

    def loading_text(self) -> str:
        """What the status bar says while the run loads ('' once a Start trains at once)."""
        c = self.controller
        if c.loaded or self._load_failed or not self.window.experiment.runnable:
            return ""
        torch_pending = c.stage == LOADING_TORCH or (c.stage == "" and "torch" not in sys.modules)
        text = _tr("Loading PyTorch…") if torch_pending else _tr("Preparing the run…")
        if c.start_pending:
            text += " " + _tr("Training starts as soon as it is ready.")
        return text

    def _show_loading(self) -> None:
        """The first load (PyTorch) is said at once; a later one only if it takes a while, so that
        quick reloads (a slider dragged across dataset sizes) do not make the status bar flicker."""
        text = self.loading_text()
        if text and not self.label.text() and self._loaded_before and not self.controller.start_pending:
            self._later.start()
            return
        self._later.stop()
        self.label.setText(text)

    def _show_late(self) -> None:
        self.label.setText(self.loading_text())

    def _on_preparing(self, stage: str) -> None:
        if stage in (LOADING_TORCH, PREPARING_RUN):
            self._load_failed = False  # a new load has begun
        self._show_loading()

    def _on_failed(self) -> None:
        if not self.controller.loaded:  # the load failed: the failure dialog explains; nothing to wait for
            self._load_failed = True
        self._show_loading()

    def _on_new_run(self, _info) -> None:
        self._loaded_before = True
        self._load_failed = False
        self.banner.hide()
        self._show_loading()

    def _on_running_changed(self, running: bool) -> None:
        if running:
            self.banner.hide()
        self._show_loading()

    def _on_snapshot(self, snap: Snapshot) -> None:
        if snap.final is not None and not snap.running and snap.status in ("finished", "early_stopped"):
            target = self.window.experiment.preset.target
            reached = snap.status == "finished" and target_reached(snap.final, target) is not False
            self.banner.show_notice(run_end_notice(snap.status, snap.step, snap.final, target, _tr), reached)
