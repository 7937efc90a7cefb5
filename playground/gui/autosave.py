"""Crash safety: the experiment is autosaved every 30 s and on exit; after an unclean exit the next
start offers to restore it.

The autosave folder (in the user's data folder) holds ``preset.json`` and, once the run has
trained, a ``session`` folder; both are written atomically. A ``running`` file holding the process
id exists while the app runs and is removed on a clean exit, so finding it at start-up (with a
process id that no longer runs) means the app did not close normally.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox

from playground.core.atomic_files import write_text_atomic
from playground.core.presets import PresetError, load_preset, save_preset

INTERVAL_MS = 30_000
MARKER = "running"


def autosave_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".neural-playground") / "autosave"


class Autosave(QObject):
    def __init__(self, window, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.folder = autosave_folder()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.saved_at: float | None = None
        self._finished = False

    def start(self) -> None:
        """Offer to restore what an unclean exit left, then mark this run and start the timer (not
        after :meth:`finish`: a window closed at once, by a signal say, must leave no marker behind)."""
        if self._finished:
            return
        leftover = self._leftover()
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.folder / MARKER, f"{os.getpid()}\n")
        if leftover is not None:
            self._offer_restore(*leftover)
        if not self._finished:  # (the window may have closed while the question was open)
            self.timer.start()

    def save_now(self) -> None:
        """Write the preset (and, when trained, a session on the training thread), atomically."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save_preset(self.window.experiment.preset, self.folder / "preset.json")
            controller = self.window.controller
            state = (controller.run_id, controller.step)
            if controller.loaded and controller.step > 0 and state != getattr(self, "_saved_state", None):
                controller.save_session(str(self.folder / "session"))  # unchanged runs are not written again
                self._saved_state = state
            self.saved_at = time.time()
        except OSError as exc:  # a full disk must not interrupt the user; say it once in the status bar
            self.window.statusBar().showMessage(self.tr("Autosave failed: {reason}").format(
                reason=exc.strerror or exc), 10000)

    def finish(self) -> None:
        """A clean exit: save once more and remove the marker (nothing to restore next time)."""
        self._finished = True
        self.timer.stop()
        self.save_now()
        (self.folder / MARKER).unlink(missing_ok=True)

    # ---- restoring -----------------------------------------------------------------------------
    def _leftover(self) -> tuple[Path, float] | None:
        marker = self.folder / MARKER
        preset = self.folder / "preset.json"
        if not marker.is_file() or not preset.is_file():
            return None
        try:
            pid = int(marker.read_text().strip())
        except (OSError, ValueError):
            pid = -1
        if pid == os.getpid() or _alive(pid):  # another window or instance is running: not a crash
            return None
        return preset, preset.stat().st_mtime

    def _offer_restore(self, preset_path: Path, saved: float) -> None:
        when = time.strftime("%H:%M", time.localtime(saved))
        answer = QMessageBox.question(
            self.window, self.tr("Restore the last experiment?"),
            self.tr("Neural Playground did not close normally. Restore the experiment autosaved at {when}?")
            .format(when=when))
        if answer != QMessageBox.StandardButton.Yes:
            return
        session = self.folder / "session"
        if (session / "session.json").is_file():
            self.window.open_session(str(session))
            return
        try:
            self.window.experiment.replace(load_preset(preset_path), None)
            self.window.experiment.dirty = True  # restored, but not saved anywhere by the user yet
            self.window.experiment.file_changed.emit()
        except PresetError as exc:
            self.window.files.show_error(self.tr("Could not restore the experiment"), str(exc))


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
