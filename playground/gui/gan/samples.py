"""An image GAN's samples: an 8x8 grid from a fixed noise batch, refreshed live, and a slider that
scrubs back through the grids the trainer saved at earlier steps (it asks for each one on demand)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from playground.gui.classify.images.mosaic import MosaicView, to_rgba


class SampleGrid(QWidget):
    """The live grid plus the history slider; ``grid_wanted(index)`` asks for a saved grid."""

    grid_wanted = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._steps: list[int] = []
        self._live: np.ndarray | None = None
        self._live_step = 0
        self.mosaic = MosaicView(self, max_tile_px=1200)  # one tile: the whole 8x8 grid, scaled to fit
        self.mosaic.set_placeholder(self.tr("Samples appear when the run loads…"))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("ganHistorySlider")
        self.slider.setToolTip(self.tr("Drag left to see the samples the same noise gave at earlier steps; "
                                       "the right end follows training live"))
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._on_slider)
        self.caption = QLabel(self)
        self.caption.setObjectName("ganGridCaption")
        self.caption.setMinimumWidth(170)
        row = QHBoxLayout()
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel(self.tr("History"), self))
        row.addWidget(self.slider, 1)
        row.addWidget(self.caption)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.mosaic, 1)
        box.addLayout(row)

    def clear(self) -> None:
        self._steps, self._live = [], None
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self.mosaic.set_tiles([])

    def live(self) -> bool:
        """True while the slider sits at its right end (the grid follows training)."""
        return self.slider.value() == self.slider.maximum()

    def show_view(self, view: dict) -> None:
        """A live frame: the current grid (uint8) and the steps of the saved grids."""
        at_end = self.live()
        self._steps = list(view.get("saved_steps", []))
        self._live, self._live_step = view["grid"], int(view["step"])
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self._steps))  # the last position is "live"
        if at_end:
            self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        if at_end:
            self._show(self._live, self.tr("Step {step} (live)").format(step=f"{self._live_step:,}"))

    def show_saved(self, step: int, grid: np.ndarray) -> None:
        """A saved grid the trainer sent back (ignored if the slider has moved on to live)."""
        if not self.live():
            self._show(grid, self.tr("Step {step}").format(step=f"{step:,}"))

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        if value >= len(self._steps):
            if self._live is not None:
                self._show(self._live, self.tr("Step {step} (live)").format(step=f"{self._live_step:,}"))
            return
        self.caption.setText(self.tr("Step {step}…").format(step=f"{self._steps[value]:,}"))
        self.grid_wanted.emit(value)

    def _show(self, grid: np.ndarray, caption: str) -> None:
        self.mosaic.set_tiles([to_rgba(square_grid(np.asarray(grid)) / 255.0)])
        self.caption.setText(caption)


def square_grid(images: np.ndarray, gap: int = 1) -> np.ndarray:
    """uint8 images (N, H, W[, 3]) as one picture, in a square grid (8x8 for 64) with white gaps."""
    n, h, w = images.shape[:3]
    side = int(np.ceil(np.sqrt(n)))
    out = np.full((side * (h + gap) - gap, side * (w + gap) - gap) + images.shape[3:], 255, dtype=np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, side)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = image
    return out
