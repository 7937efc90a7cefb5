"""File → Export…, Save Session… and Open Session…: the trained run leaves and re-enters the app.

Writing and reading happen on the training thread (they touch the model); this object asks for
them, then tells the user how it went: an export's verification result, or where a session went.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from playground.core.tasks.catalog import TASKS
from playground.gui.export_dialog import RUN_FOLDER, ExportDialog


class RunActions(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.controller.export_done.connect(self._on_export_done)
        self.controller.exported.connect(self._on_run_folder_written)
        self.controller.session_saved.connect(self._on_session_saved)

    def ask_export(self) -> None:
        if not self.controller.loaded:
            self.window.statusBar().showMessage(self.tr("Nothing to export yet: the run is still loading."), 5000)
            return
        preset = self.window.experiment.preset
        networks = tuple(preset.networks) + TASKS[preset.task].extra_exports
        dialog = ExportDialog(self.window, self.window.experiment.preset.name, networks)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        fmt, path = dialog.choice()
        self.window.statusBar().showMessage(self.tr("Exporting…"))
        if fmt == RUN_FOLDER:
            self.controller.export(path)
        else:
            self.controller.export_format(fmt, path, dialog.chosen_network())

    def ask_save_session(self) -> None:
        if not self.controller.loaded:
            return
        start = str(QSettings().value("session/folder", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Save the session to a folder"), start)
        if folder:
            QSettings().setValue("session/folder", str(Path(folder).parent))
            self.controller.save_session(folder)

    def ask_open_session(self) -> None:
        if not self.window.files.maybe_save():
            return
        start = str(QSettings().value("session/folder", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Open a saved session"), start)
        if folder:
            self.window.open_session(folder)

    def _on_export_done(self, summary: str, ok: bool) -> None:
        self.window.statusBar().showMessage(summary, 15000)
        icon = QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning
        box = QMessageBox(icon, self.tr("Export finished") if ok else self.tr("Export did not verify"), summary,
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("exportResultDialog")
        box.open()

    def _on_run_folder_written(self, folder: str) -> None:
        self.window.statusBar().showMessage(self.tr("Wrote weights, metrics, preset, summary and a session to "
                                                    "{folder}").format(folder=folder), 15000)

    def _on_session_saved(self, folder: str) -> None:
        if Path(folder).parent == self.window.autosave.folder:  # the 30-second autosave works silently
            return
        self.window.statusBar().showMessage(self.tr("Session saved to {folder}: Open Session continues it exactly "
                                                    "from step {step}.").format(folder=folder,
                                                                                step=self.controller.step), 15000)
