"""A small window around VaeView and a training controller: Start/Pause, the view, nothing else.

For screenshots and tests of the VAE view on its own, and for trying a VAE preset from the command
line (``python -m playground.gui.vae.demo PRESET [--move-slider SECONDS]``) while the main window's
panels learn about two-network tasks. Everything the view shows still comes from the worker thread.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from playground.gui.training_controller import TrainingController
from playground.gui.vae.view import VaeView


def skip_classifier_views(worker) -> None:
    """Workaround: ``TrainingWorker._emit`` adds a classifier's confusion matrix, mistakes and filters for
    any image dataset, which a VAE (no ``model``, no classes to predict) cannot give. Until the worker
    skips them for trainers with their own ``live_view``, this window's worker does."""
    original = worker._add_image_views

    def add_image_views(snapshot) -> None:
        if not hasattr(worker._trainer, "live_view"):
            original(snapshot)

    worker._add_image_views = add_image_views


class VaeWindow(QMainWindow):
    def __init__(self, preset) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Neural Playground - {name}").format(name=preset.name))
        self.controller = TrainingController(self)
        skip_classifier_views(self.controller._worker)
        self.view = VaeView(self)
        self.start_button = QPushButton(self.tr("Start"), self)
        self.start_button.clicked.connect(self.controller.toggle)
        self.progress = QLabel(self)
        self.controller.data_loaded.connect(self.view.set_data)
        self.controller.snapshot.connect(self._on_snapshot)
        self.controller.running_changed.connect(
            lambda running: self.start_button.setText(self.tr("Pause") if running else self.tr("Start")))
        self.view.request.connect(self.controller.view_request)
        self.controller.view_reply.connect(self.view.on_reply)
        bar = QHBoxLayout()
        bar.addWidget(self.start_button)
        bar.addWidget(self.progress, 1)
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.addLayout(bar)
        box.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.controller.load(preset)

    def _on_snapshot(self, snap) -> None:
        self.view.show_snapshot(snap)
        self.progress.setText(self.tr("Step {step} of {total}").format(step=f"{snap.step:,}",
                                                                       total=f"{snap.total_steps:,}"))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.controller.shutdown()
        super().closeEvent(event)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train a VAE preset in a minimal window.")
    parser.add_argument("preset")
    parser.add_argument("--start", action="store_true", help="start training at once")
    parser.add_argument("--move-slider", type=float, metavar="SECONDS",
                        help="after this long, pause, show the latent map and move the slider of the dimension with "
                             "the most KL to +2 (for screenshots)")
    parser.add_argument("--slider", type=int, help="with --move-slider: this latent dimension's slider (default: "
                        "the one with the most KL)")
    parser.add_argument("--tab", type=int, default=0, help="which tab to show first")
    parser.add_argument("--pick", type=int, nargs=2, metavar=("A", "B"), help="with --move-slider: also pick these "
                        "two test images on the map (image, decoding and the interpolation strip)")
    args = parser.parse_args(argv)
    from playground.core.presets import load_preset

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = VaeWindow(load_preset(args.preset))
    window.resize(1400, 900)
    window.view.tabs.setCurrentIndex(args.tab)
    window.show()
    if args.start:
        window.controller.data_loaded.connect(lambda _info: QTimer.singleShot(200, window.controller.start))
    if args.move_slider is not None:
        def move() -> None:
            view = window.view
            kl = getattr(view.sliders, "_kl", None)
            dim = max(range(view._latent_size()), key=lambda d: kl[d]) if kl else 0
            dim = dim if args.slider is None else args.slider
            if args.pick:
                for index in args.pick:
                    view._on_point_clicked(index)
                QTimer.singleShot(1500, lambda: view.sliders.slider(dim).setValue(200))
            else:
                view.sliders.slider(dim).setValue(200)

        QTimer.singleShot(int(args.move_slider * 1000), move)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
