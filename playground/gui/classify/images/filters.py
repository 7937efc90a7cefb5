"""The first convolution's kernels: what the network's first layer looks for in an image."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.gui.classify.images.mosaic import DIVERGING_LUT, MosaicView, to_rgba


def filter_tiles(filters: np.ndarray) -> list[np.ndarray]:
    """(out, in, k, k) weights in [0, 1] (0.5 is zero) -> one RGBA tile per output channel: colour for
    three input channels, otherwise the mean over input channels through the diverging map."""
    filters = np.asarray(filters, dtype=np.float32)
    if filters.shape[1] == 3:
        return [to_rgba(np.moveaxis(kernel, 0, -1)) for kernel in filters]
    return [to_rgba(kernel.mean(axis=0), DIVERGING_LUT) for kernel in filters]


class FiltersView(QWidget):
    """A grid of the first convolution's kernels, or a note when the network has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filtersView")
        self._count = 0
        self._shape: tuple[int, ...] | None = None
        self._title = QLabel(self)
        self._title.setObjectName("filtersTitle")
        self._title.setWordWrap(True)
        self._note = QLabel(self.tr("No convolution layer: this network has no filters to show. "
                                    "Add a Conv2d layer in the Network panel to see what it learns."), self)
        self._note.setObjectName("filtersNote")
        self._note.setWordWrap(True)
        self._note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._note.setStyleSheet("color: palette(placeholder-text);")
        self._mosaic = MosaicView(self, max_tile_px=96)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 4)
        box.addWidget(self._title)
        box.addWidget(self._mosaic, 1)
        box.addWidget(self._note, 1)
        self.clear()

    def clear(self) -> None:
        """A new run: nothing drawn until its first snapshot."""
        self._count, self._shape = 0, None
        self._mosaic.set_tiles([])
        self._mosaic.show()
        self._note.hide()
        self._title.setText(self.tr("Filters of the first convolution: waiting for the network"))

    def set_filters(self, filters: np.ndarray | None) -> None:
        """(out, in, k, k) kernels in [0, 1] around 0.5, or None when there is no convolution."""
        self._mosaic.setVisible(filters is not None)
        self._note.setVisible(filters is None)
        if filters is None:
            self._count, self._shape = 0, None
            self._mosaic.set_tiles([])
            self._title.setText(self.tr("Filters of the first convolution"))
            return
        filters = np.asarray(filters)
        out, inputs, kh, kw = filters.shape
        self._mosaic.set_tiles(filter_tiles(filters))
        self._count = out
        if filters.shape != self._shape:
            self._shape = filters.shape
            if inputs == 3:
                how = self.tr("in colour (red, green and blue input channels)")
            elif inputs == 1:
                how = self.tr("blue: positive weight, orange: negative, white: zero")
            else:
                how = self.tr("mean over {n} input channels; blue: positive, orange: negative").format(n=inputs)
            self._title.setText(self.tr("Filters of the first convolution: {out} kernels of {kh}×{kw} ({how}). "
                                        "Each is scaled to its own strongest weight.").format(
                out=out, kh=kh, kw=kw, how=how))

    def filter_count(self) -> int:
        """How many kernels are drawn (0 with no convolution)."""
        return self._count

    def note_visible(self) -> bool:
        return not self._note.isHidden()

    def title_text(self) -> str:
        return self._title.text()

    def mosaic_view(self) -> MosaicView:
        return self._mosaic
