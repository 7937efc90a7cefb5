"""The test confusion matrix as a live heatmap: rows are true classes, columns predicted ones.

Cells are shaded by their share of the row (the same colours as the CLI's PNG in
``core/report_images.py``): the diagonal in blue, errors in red, with the count written in. Colours
are computed here as one small RGBA uint8 image (no levels, no lookup table); the text items are
made once per class count and only re-set when their text or ink changes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.gui.plots import TEXT_COLOR, make_view, style_plot

GRID_PEN = (200, 200, 200)
DARK_INK = TEXT_COLOR
LIGHT_INK = (255, 255, 255)
ZERO_INK = (175, 175, 175)  # an empty cell's "0" stays quiet
CELL_PT = 9
ERROR_TINT = 215  # the palest red a non-zero error cell gets (255 would be white)


def cell_colors(matrix: np.ndarray) -> np.ndarray:
    """(k, k) counts -> (k, k, 4) RGBA uint8: white to blue on the diagonal, white to red off it (any
    error at least lightly tinted, so a single mistake among hundreds still shows)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1.0)
    shade = np.round(255 - 200 * shares)
    diagonal = np.eye(len(matrix), dtype=bool)
    shade = np.where(~diagonal & (matrix > 0), np.minimum(shade, ERROR_TINT), shade).astype(np.uint8)
    rgba = np.full(matrix.shape + (4,), 255, dtype=np.uint8)
    rgba[..., 0] = np.where(diagonal, shade, 255)
    rgba[..., 1] = shade
    rgba[..., 2] = np.where(diagonal, 255, shade)
    return rgba


class ConfusionMatrixView(QWidget):
    """Heatmap of test predictions with counts, class names on both axes and the accuracy above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self._matrix: np.ndarray | None = None
        self._names: list[str] = []
        self._texts: list[list[pg.TextItem]] = []
        self._shown: dict[tuple[int, int], tuple[str, tuple]] = {}
        self._title = ""
        self._rect_size = 0
        self._font = QFont()
        self._font.setPointSize(CELL_PT)

        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot, left=self.tr("True class"), bottom=self.tr("Predicted class"))
        self._plot.showGrid(x=False, y=False)
        self._plot.invertY(True)
        self._plot.setAspectLocked(True)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.enableAutoRange(False)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLevels(None)
        self._plot.addItem(self._image)
        self._grid = pg.PlotCurveItem(pen=pg.mkPen(GRID_PEN, width=1), connect="pairs")
        self._plot.addItem(self._grid)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)
        self._set_title(self.tr("Test confusion matrix: waiting for the first evaluation"))

    # ---- interface ---------------------------------------------------------------------------------
    def set_classes(self, class_names: list[str]) -> None:
        """A new run's classes: an empty grid with the names on the axes until counts arrive."""
        self._matrix = None
        self._layout(list(class_names))
        self._image.clear()
        self._rect_size = 0
        for row in self._texts:
            for item in row:
                item.setVisible(False)
        self._shown.clear()
        self._set_title(self.tr("Test confusion matrix: waiting for the first evaluation"))

    def set_matrix(self, matrix, class_names: list[str]) -> None:
        """Counts (k, k), rows true and columns predicted, as ints."""
        matrix = np.asarray(matrix, dtype=np.int64)
        if list(class_names) != self._names or len(matrix) != len(self._texts):
            self._layout(list(class_names))
        self._matrix = matrix
        colors = cell_colors(matrix)
        self._image.setImage(colors, autoLevels=False)
        if self._rect_size != len(matrix):  # the rect scales by the image's size: set it after the image
            self._image.setRect(0, 0, len(matrix), len(matrix))
            self._rect_size = len(matrix)
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        for i, row in enumerate(self._texts):
            for j, item in enumerate(row):
                count = int(matrix[i, j])
                ink = LIGHT_INK if shares[i, j] > 0.6 else (ZERO_INK if count == 0 else DARK_INK)
                wanted = (str(count), ink)
                if self._shown.get((i, j)) != wanted:
                    item.setText(wanted[0], color=ink)
                    self._shown[(i, j)] = wanted
                item.setVisible(True)
        total = int(matrix.sum())
        correct = int(np.trace(matrix))
        accuracy = correct / total if total else 0.0
        self._set_title(self.tr("Test accuracy {accuracy}: {correct} of {total} images right").format(
            accuracy=f"{accuracy:.1%}", correct=f"{correct:,}", total=f"{total:,}"))

    # ---- read-only helpers (tests, exports) --------------------------------------------------------
    def matrix(self) -> np.ndarray | None:
        return None if self._matrix is None else self._matrix.copy()

    def title_text(self) -> str:
        return self._title

    def cell_texts(self) -> list[list[str]]:
        return [[item.toPlainText() for item in row] for row in self._texts]

    def cell_colors(self) -> np.ndarray | None:
        """The (k, k, 4) RGBA colours drawn."""
        return self._image.image

    def plot_item(self) -> pg.PlotItem:
        return self._plot

    # ---- internals ---------------------------------------------------------------------------------
    def _layout(self, names: list[str]) -> None:
        """Text items, ticks, grid lines and the range for k classes (once per run, not per frame)."""
        k = len(names)
        self._names = names
        for row in self._texts:
            for item in row:
                self._plot.removeItem(item)
        self._texts = []
        for _i in range(k):
            row = []
            for _j in range(k):
                item = pg.TextItem("", color=DARK_INK, anchor=(0.5, 0.5))
                item.setFont(self._font)
                item.setVisible(False)
                self._plot.addItem(item)
                row.append(item)
            self._texts.append(row)
        for i, row in enumerate(self._texts):
            for j, item in enumerate(row):
                item.setPos(j + 0.5, i + 0.5)
        self._shown.clear()
        ticks = [[(i + 0.5, name) for i, name in enumerate(names)], []]
        self._plot.getAxis("bottom").setTicks(ticks)
        self._plot.getAxis("left").setTicks(ticks)
        lines = np.arange(k + 1, dtype=np.float64)
        xs = np.concatenate([np.repeat(lines, 2), np.tile([0.0, k], k + 1)])
        ys = np.concatenate([np.tile([0.0, k], k + 1), np.repeat(lines, 2)])
        self._grid.setData(xs, ys)
        self._plot.setRange(xRange=(0, max(k, 1)), yRange=(0, max(k, 1)), padding=0.02)

    def _set_title(self, text: str) -> None:
        self._title = text
        self._plot.setTitle(text, color=pg.mkColor(TEXT_COLOR).name(), size="11pt")
