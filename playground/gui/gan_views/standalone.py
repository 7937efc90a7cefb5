"""A window with just the GAN view, its loss plot and Start/Pause/Reset, on the real training worker.

The main window shows GAN runs in the same view; this window, without the editing panels, is for
demonstrations and screenshots (it can start by itself or continue a saved session):
``python -m playground.gui.gan_views.standalone PRESET [--start]`` or ``... --session DIR`` (a saved
session or a ``train --out`` folder, continued where it stopped).
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from playground.gui.gan_view import GanView
from playground.gui.plots.loss_plot import LossPlot
from playground.gui.training_controller import TrainingController


class GanWindow(QWidget):
    """GanView above the loss plot, wired to a TrainingController exactly as the main window wires it."""

    def __init__(self, preset, parent=None, session: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Neural Playground - {name}").format(name=preset.name))
        self.preset = preset
        self.controller = TrainingController(self)
        self.view = GanView(self)
        self.loss_plot = LossPlot(self)
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.clicked.connect(self.controller.toggle)
        self.reset_button = QPushButton(self.tr("Reset"), self)
        self.reset_button.clicked.connect(self._reset)
        self.step_label = QLabel(self)
        self.step_label.setMinimumWidth(160)
        bar = QHBoxLayout()
        for widget in (self.start_button, self.reset_button, self.step_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        splitter = QSplitter(self)
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.loss_plot)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 200])
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(splitter, 1)
        self.view.request.connect(self.controller.view_request)
        self.controller.view_reply.connect(self.view.on_reply)
        self.controller.data_loaded.connect(self._on_data)
        self.controller.snapshot.connect(self._on_snapshot)
        self.controller.running_changed.connect(self._on_running)
        if session is not None:
            self.controller.load_session(session)
        else:
            self.controller.load(preset)

    @Slot(object)
    def _on_data(self, info) -> None:
        self.loss_plot.clear()
        self.loss_plot.set_run_length(info.total_steps)
        self.view.set_data(info)

    @Slot(object)
    def _on_snapshot(self, snap) -> None:
        if len(snap.steps):
            self.loss_plot.append_steps(snap.steps, snap.batch_losses)
        if snap.evaluations:
            self.loss_plot.add_evaluations(snap.evaluations)
        self.view.show_snapshot(snap)
        self.step_label.setText(self.tr("Step {step} of {total}").format(step=f"{snap.step:,}",
                                                                         total=f"{snap.total_steps:,}"))

    @Slot(bool)
    def _on_running(self, running: bool) -> None:
        self.start_button.setText(self.tr("Pause") if running else self.tr("Start"))

    def _reset(self) -> None:
        self.loss_plot.clear()
        self.controller.reset()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.controller.shutdown()
        super().closeEvent(event)


def main(argv: list[str]) -> int:
    from playground.core.presets import load_preset
    from playground.gui.app import make_application

    app = make_application()
    if argv[:1] == ["--session"]:
        from pathlib import Path

        from playground.core.presets import parse_preset

        document = json.loads((Path(argv[1]) / "session.json").read_text(encoding="utf-8"))
        window = GanWindow(parse_preset(document["preset"]), session=argv[1])
    else:
        window = GanWindow(load_preset(argv[0] if argv else "gan-ring8"))
    window.resize(1280, 860)
    window.show()
    if "--start" in argv[1:]:  # press Start once the loaded run's first picture is in (screenshots)
        started = []
        window.controller.snapshot.connect(lambda _snap: started or (started.append(1), window.controller.start()))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
