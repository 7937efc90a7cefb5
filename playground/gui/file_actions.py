"""File menu behaviour: open, save, recent files, unsaved-change prompts. Errors become dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from playground.core.presets import PresetError, bundled_presets, load_preset, save_preset
from playground.gui import preset_file_dialog
from playground.gui.experiment import Experiment

MAX_RECENT = 8
FILTER = "Neural Playground presets (*.json);;All files (*)"


class FileActions(QObject):
    """Open/save presets for one window's experiment; remembers recent files in QSettings."""

    def __init__(self, window: QWidget, experiment: Experiment) -> None:
        super().__init__(window)
        self.window = window
        self.experiment = experiment
        self.unattended = False  # closing on SIGTERM or Ctrl+C: nobody can answer; the autosave keeps the edits

    # ---- open ----------------------------------------------------------------------------------
    def ask_open(self) -> None:
        if not self.maybe_save():
            return
        # the user's last folder (else Documents), with a preview of each preset's description
        path = preset_file_dialog.ask_preset_path(self.window, preset_file_dialog.start_folder())
        if path:
            preset_file_dialog.remember_folder(path)
            self.open_path(Path(path))

    def open_bundled(self, name: str) -> bool:
        """Open a bundled preset by name as a new, unsaved experiment (Save asks where); the caller has
        already asked about unsaved changes. Loaded from its own file, whatever the working folder holds."""
        path = bundled_presets().get(name)
        if path is None:
            self.show_error(self.tr("Could not open the preset"), self.tr("No bundled preset is called {name}.")
                            .format(name=name))
            return False
        try:
            preset = load_preset(path)
        except PresetError as exc:
            self.show_error(self.tr("Could not open the preset"), str(exc))
            return False
        self.experiment.replace(preset, None)
        return True

    def open_path(self, path: Path | str) -> bool:
        """Load a preset (file or bundled name); a broken file shows every problem and changes nothing."""
        try:
            preset = load_preset(path)
        except PresetError as exc:
            self.show_error(self.tr("Could not open the preset"), str(exc))
            self.forget_recent(str(path))
            return False
        file_path = Path(preset.source) if preset.source and Path(str(path)).exists() else None
        self.experiment.replace(preset, file_path)
        if file_path is not None:
            self.remember_recent(str(file_path))
        return True

    # ---- save ----------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.experiment.path is None or _is_bundled(self.experiment.path):
            return self.save_as()
        return self._write(self.experiment.path)

    def save_as(self) -> bool:
        folder = preset_file_dialog.start_folder()  # where the user last kept presets (else Documents)
        suggested = self.experiment.path or folder / f"{self.experiment.preset.name}.json"
        if _is_bundled(suggested):
            suggested = folder / suggested.name
        path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Save Preset As"), str(suggested), self.tr(FILTER))
        if not path:
            return False
        path = Path(path)
        if path.suffix == "":
            path = path.with_suffix(".json")
        return self._write(path)

    def _write(self, path: Path) -> bool:
        try:
            save_preset(self.experiment.preset, path)
        except OSError as exc:
            self.show_error(self.tr("Could not save the preset"),
                            self.tr("{path}: {reason}\nThe previous file, if any, is unchanged.").format(
                                path=path, reason=exc.strerror or exc))
            return False
        self.experiment.mark_saved(path)
        self.remember_recent(str(path))
        preset_file_dialog.remember_folder(path)
        return True

    def maybe_save(self) -> bool:
        """Before throwing the experiment away: Save / Discard / Cancel. True means go ahead."""
        if not self.experiment.dirty or self.unattended:
            return True
        answer = QMessageBox.question(
            self.window, self.tr("Unsaved changes"),
            self.tr("The experiment has unsaved changes. Save them first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ---- recent files --------------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = QSettings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if isinstance(v, str)]

    def remember_recent(self, path: str) -> None:
        items = [path] + [p for p in self.recent() if p != path]
        QSettings().setValue("recentFiles", items[:MAX_RECENT])

    def forget_recent(self, path: str) -> None:
        items = self.recent()
        if path in items:
            items.remove(path)
            QSettings().setValue("recentFiles", items)

    def show_error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("errorDialog")
        box.open()


def _is_bundled(path: Path) -> bool:
    from playground.core.presets import bundled_presets

    return any(path.resolve() == p.resolve() for p in bundled_presets().values())
