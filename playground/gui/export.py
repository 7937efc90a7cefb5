"""File → Export…: write the trained run (weights, metrics, preset, summary) to a folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("Export", text)


def export_run(window) -> None:
    """Ask for a folder and let the worker write the run there; the status bar confirms."""
    if not window.controller.loaded:
        window.statusBar().showMessage(_tr("Nothing to export yet: the run is still loading."), 5000)
        return
    start = str(window.experiment.path.parent) if window.experiment.path else str(Path.home())
    folder = QFileDialog.getExistingDirectory(window, _tr("Export the run to a folder"), start)
    if not folder:
        return

    def done(path: str) -> None:
        window.controller.exported.disconnect(done)
        window.statusBar().showMessage(
            _tr("Exported weights.safetensors, metrics.csv, metrics.json, preset.json and summary.txt to {path}")
            .format(path=path), 10000)

    window.controller.exported.connect(done)
    window.controller.export(folder)
