"""The GAN task's central view (the main window finds it through :mod:`playground.gui.task_views`).

2-D data: GAN Lab's picture (:mod:`plane`) with buttons that train the discriminator only,
the generator only, or both for one step. Images: the live 8x8 sample grid with its history slider
(:mod:`samples`). Beside either: the two players' curves and the latest figures
(:mod:`curves`). The view only paints what the trainer computed; the buttons and the slider
ask the trainer through ``request`` and get their answer in :meth:`GanView.on_reply`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from playground.gui.gan.curves import PlayerCurves
from playground.gui.gan.plane import PlaneView
from playground.gui.gan.samples import SampleGrid

__all__ = ["GanView"]


class GanView(QWidget):
    """See the module docstring; the task-view contract is in :mod:`playground.gui.task_views`."""

    request = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ganView")
        self._kind = "points"
        self.plane = PlaneView(self)
        self.samples = SampleGrid(self)
        self.samples.grid_wanted.connect(lambda index: self.request.emit("sample_grid", index))
        self.pictures = QStackedWidget(self)
        self.pictures.addWidget(self.plane)
        self.pictures.addWidget(self.samples)
        self.curves = PlayerCurves(self)
        self.curves.setMinimumWidth(250)  # readable curves and figures even beside a wide plane

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 6, 2)
        for name, text, tip in (
            ("step_d", self.tr("Train D"), self.tr("One update of the discriminator only: watch the heatmap move")),
            ("step_g", self.tr("Train G"), self.tr("One update of the generator only: watch the purple points move")),
            ("step_both", self.tr("Train both"), self.tr("One full training step: the discriminator's updates, then "
                                                         "the generator's")),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"gan_{name}_button")
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, n=name: self.request.emit(n, None))
            row.addWidget(button)
            self.buttons[name] = button
        self.reply_label = QLabel(self)
        self.reply_label.setObjectName("ganReplyLabel")
        row.addWidget(self.reply_label, 1)

        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.setSpacing(2)
        left_box.addWidget(self.pictures, 1)
        left_box.addLayout(row)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.curves)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(splitter)

    # ---- the task-view contract ------------------------------------------------------------------
    def set_data(self, info) -> None:
        """A run loaded (or reset): its picture kind, real points or image size; curves start empty."""
        live = info.live or {}
        self._kind = live.get("kind", "points")
        self.curves.clear()
        self.curves.set_run_length(info.total_steps)
        self.reply_label.setText("")
        if self._kind == "images":
            self.pictures.setCurrentWidget(self.samples)
            self.samples.clear()
        else:
            self.pictures.setCurrentWidget(self.plane)
            self.plane.set_data(live)

    def show_snapshot(self, snap) -> None:
        if len(snap.steps) and snap.step_metrics:
            self.curves.append(snap.steps, snap.step_metrics)
        for button in self.buttons.values():
            button.setEnabled(not snap.running)
        view = snap.live
        if view is None:
            return
        if view.get("metrics"):
            self.curves.show_metrics(view["metrics"], view.get("metrics_step", view["step"]))
        if view.get("kind") == "images":
            self.samples.show_view(view)
        else:
            self.plane.show_view(view)

    @Slot(str, object)
    def on_reply(self, name: str, result) -> None:
        if name == "sample_grid":
            if result is not None:
                self.samples.show_saved(*result)
            return
        if not isinstance(result, dict):
            return
        if not result.get("trained"):
            self.reply_label.setText(result.get("message", ""))
            return
        metrics = result.get("metrics", {})
        texts = {"step_d": self.tr("Trained D once: D loss {d:.3f}"),
                 "step_g": self.tr("Trained G once: G loss {g:.3f}"),
                 "step_both": self.tr("One step: D loss {d:.3f}, G loss {g:.3f}")}
        self.reply_label.setText(texts[name].format(d=metrics.get("d_loss", float("nan")),
                                                    g=metrics.get("g_loss", float("nan"))))
