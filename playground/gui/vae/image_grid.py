"""A grid of equal images drawn as ONE ImageItem in a plot whose axes label the rows and columns.

Used for the traversal grid (rows: latent dimensions, columns: -3 to 3), the input/reconstruction
pairs, prior samples, the interpolation strip and single decoded images. Pixels stay square and
crisp (the aspect ratio is locked; no smoothing), and a new frame is one ``setImage``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.gui.classify.images.mosaic import GREY_LUT, to_rgba
from playground.gui.plots import TEXT_COLOR, TICK_FONT_PT, make_view, style_plot

GAP = 1  # source pixels of white between images


def compose(images: np.ndarray, gap: int = GAP) -> np.ndarray:
    """(rows, cols, h, w[, 3]) pictures in [0, 1] -> one (H, W, 4) RGBA uint8 mosaic on white."""
    rows, cols, h, w = images.shape[:4]
    mosaic = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, 4), 255, dtype=np.uint8)
    for r in range(rows):
        for c in range(cols):
            y, x = r * (h + gap), c * (w + gap)
            mosaic[y:y + h, x:x + w] = to_rgba(images[r, c], GREY_LUT)
    return mosaic


class LabelledGrid(QWidget):
    """Images in rows and columns with optional tick labels on the left and at the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot)
        self._plot.showGrid(x=False, y=False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.setMenuEnabled(False)
        self._plot.invertY(True)
        self._plot.setAspectLocked(True)
        self._plot.getViewBox().setDefaultPadding(0.02)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._plot.addItem(self._image)
        self._placeholder = pg.TextItem("", color=(120, 120, 120), anchor=(0.5, 0.5))
        self._plot.addItem(self._placeholder)
        self._images: np.ndarray | None = None
        self._column_texts: list[pg.TextItem] = []
        self._font = QFont()
        self._font.setPointSize(TICK_FONT_PT)
        self._layout_key: tuple | None = None
        for name in ("left", "bottom"):  # labels only: axis lines would run far past the images
            axis = self._plot.getAxis(name)
            axis.setPen(pg.mkPen(None))
            axis.setTickPen(pg.mkPen(None))
            axis.setStyle(tickLength=0)
            self._plot.showAxis(name, False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)

    def set_placeholder(self, text: str) -> None:
        self._placeholder.setText(text)
        self._placeholder.setVisible(self._images is None)

    def set_grid(self, images: np.ndarray, row_labels: list[str] | None = None,
                 column_labels: list[str] | None = None) -> None:
        """(rows, cols, h, w[, 3]) pictures in [0, 1]; a label per row and per column are optional."""
        images = np.asarray(images)
        rows, cols, h, w = images.shape[:4]
        self._images = images
        self._placeholder.setVisible(False)
        self._image.setImage(compose(images), autoLevels=False)
        left = self._plot.getAxis("left")
        self._plot.showAxis("left", bool(row_labels))
        if row_labels:
            left.setTicks([[((r * (h + GAP) + h / 2), text) for r, text in enumerate(row_labels) if text], []])
        self._place_column_labels(column_labels or [], rows * (h + GAP), w)
        key = (rows, cols, h, w, bool(row_labels), bool(column_labels))
        if key != self._layout_key:  # room below the images for the column labels, drawn right under them
            self._layout_key = key
            below = 0.4 * h if column_labels else 0.0
            self._plot.getViewBox().setRange(xRange=(0, cols * (w + GAP) - GAP),
                                             yRange=(0, rows * (h + GAP) - GAP + below), padding=0.02)

    def _place_column_labels(self, labels: list[str], top: float, w: int) -> None:
        """Column labels as text just under the images (an axis would sit at the plot's far edge)."""
        while len(self._column_texts) < len(labels):
            text = pg.TextItem("", color=TEXT_COLOR, anchor=(0.5, 0.0))
            text.setFont(self._font)
            self._plot.addItem(text, ignoreBounds=True)
            self._column_texts.append(text)
        for c, item in enumerate(self._column_texts):
            item.setVisible(c < len(labels))
            if c < len(labels):
                item.setText(labels[c])
                item.setPos(c * (w + GAP) + w / 2, top)

    def clear(self) -> None:
        self._place_column_labels([], 0.0, 1)
        self._images = None
        self._layout_key = None
        self._image.clear()
        self._placeholder.setVisible(True)
        self._plot.showAxis("left", False)

    # ---- read-only helpers (tests, screenshots) ---------------------------------------------------
    def images(self) -> np.ndarray | None:
        """The pictures last drawn, (rows, cols, h, w[, 3])."""
        return self._images

    def tick_labels(self, axis: str) -> list[str]:
        """The row ("left") or column ("bottom") labels shown."""
        if axis == "bottom":
            return [t.toPlainText() for t in self._column_texts if t.isVisible()]
        ticks = self._plot.getAxis(axis)._tickLevels
        return [text for _, text in ticks[0]] if ticks else []
