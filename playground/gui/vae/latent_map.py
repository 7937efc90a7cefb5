"""The test set's latent means on a plane, coloured by label; clicking a point picks that test image.

The core chooses the two dimensions shown (those with the most KL) and says which; the axes are
labelled with them. Picked images are ringed (A and B, the ends of the interpolation), and a cross
marks where the sliders' code lies in the plane.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.core.colors import CLASS_COLORS
from playground.gui.plots import make_view, style_plot

POINT_SIZE = 7
RING_SIZE = 16
CURSOR_SIZE = 14


class LatentMap(QWidget):
    point_clicked = Signal(int)  # index in the test set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot, left="z1", bottom="z0")
        self._plot.setMenuEnabled(False)
        self._legend = self._plot.addLegend(offset=(-6, 6), labelTextColor=(50, 50, 50),
                                            brush=pg.mkBrush(255, 255, 255, 200))
        self._scatter = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, antialias=True, hoverable=True,
                                           tip=None)
        self._scatter.sigClicked.connect(self._on_clicked)
        self._plot.addItem(self._scatter)
        self._rings = pg.ScatterPlotItem(size=RING_SIZE, pxMode=True, antialias=True, brush=None,
                                         pen=pg.mkPen((20, 20, 20), width=2))
        self._rings.setZValue(5)
        self._plot.addItem(self._rings, ignoreBounds=True)
        ends = (QCoreApplication.translate("LatentMap", "A"), QCoreApplication.translate("LatentMap", "B"))
        self._ring_labels = [pg.TextItem(text, color=(20, 20, 20), anchor=(-0.3, 1.1)) for text in ends]
        for label in self._ring_labels:
            label.setZValue(6)
            self._plot.addItem(label, ignoreBounds=True)
        self._cursor = pg.ScatterPlotItem(size=CURSOR_SIZE, pxMode=True, symbol="+", brush=pg.mkBrush(0, 0, 0),
                                          pen=pg.mkPen((0, 0, 0), width=2))
        self._cursor.setZValue(7)
        self._plot.addItem(self._cursor, ignoreBounds=True)
        self._points = np.zeros((0, 2), dtype=np.float32)
        self._labels = np.zeros(0, dtype=np.int64)
        self._dims: tuple[int, int | None] = (0, 1)
        self._class_names: list[str] = []
        self._picked: list[int] = []
        self._code: np.ndarray | None = None
        self._ranged = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)

    def set_classes(self, class_names: list[str]) -> None:
        """A new run: forget the points; the legend lists the classes."""
        self._class_names = list(class_names)
        self._legend.clear()
        for i, name in enumerate(self._class_names[:len(CLASS_COLORS)]):
            sample = pg.ScatterPlotItem(size=POINT_SIZE, brush=pg.mkBrush(*CLASS_COLORS[i]), pen=None)
            self._legend.addItem(sample, name)
        self._points = np.zeros((0, 2), dtype=np.float32)
        self._scatter.clear()
        self._picked = []
        self._code = None
        self._ranged = False
        self._place_marks()

    def set_points(self, points: np.ndarray, labels: np.ndarray, dims: tuple[int, int | None]) -> None:
        self._points = np.asarray(points, dtype=np.float32)
        self._labels = np.asarray(labels, dtype=np.int64)
        if tuple(dims) != self._dims:
            self._ranged = False
        self._dims = (int(dims[0]), None if dims[1] is None else int(dims[1]))
        brushes = {i: pg.mkBrush(*CLASS_COLORS[i % len(CLASS_COLORS)], 200) for i in np.unique(self._labels)}
        self._scatter.setData(pos=self._points, data=np.arange(len(self._points)), pen=None,
                              brush=[brushes[int(label)] for label in self._labels], size=POINT_SIZE)
        self._plot.setLabel("bottom", f"z{self._dims[0]}")
        self._plot.setLabel("left", f"z{self._dims[1]}" if self._dims[1] is not None else "")
        if not self._ranged:  # a new run or other dimensions: follow the points again (until the user zooms)
            self._plot.getViewBox().enableAutoRange()
            self._ranged = True
        self._place_marks()

    def set_picked(self, indices: list[int]) -> None:
        """Ring these test images (A, then B)."""
        self._picked = [int(i) for i in indices][:2]
        self._place_marks()

    def set_code(self, code) -> None:
        """Mark where a latent code (the sliders') lies in the shown plane."""
        self._code = None if code is None else np.asarray(code, dtype=np.float32)
        self._place_marks()

    def dims(self) -> tuple[int, int | None]:
        return self._dims

    def point_count(self) -> int:
        return len(self._points)

    def point_position(self, index: int) -> QPoint:
        """Where test image ``index`` is drawn, in :meth:`viewport` coordinates (tests click there)."""
        scene = self._plot.getViewBox().mapViewToScene(QPointF(*map(float, self._points[index])))
        return self._view.mapFromScene(scene)

    def point_visible(self, index: int) -> bool:
        """Whether test image ``index`` is inside the shown range (and so clickable)."""
        (x0, x1), (y0, y1) = self._plot.getViewBox().viewRange()
        x, y = map(float, self._points[index])
        return x0 < x < x1 and y0 < y < y1 and self.viewport().rect().contains(self.point_position(index))

    def viewport(self) -> QWidget:
        return self._view.viewport()

    def _place_marks(self) -> None:
        shown = [i for i in self._picked if i < len(self._points)]
        self._rings.setData(pos=self._points[shown] if shown else np.zeros((0, 2)))
        for k, label in enumerate(self._ring_labels):
            label.setVisible(k < len(shown))
            if k < len(shown):
                label.setPos(*map(float, self._points[shown[k]]))
        if self._code is not None and len(self._points):
            x = float(self._code[self._dims[0]])
            y = float(self._code[self._dims[1]]) if self._dims[1] is not None else 0.0
            self._cursor.setData(pos=[(x, y)])
        else:
            self._cursor.setData(pos=np.zeros((0, 2)))

    def _on_clicked(self, _item, points, event=None) -> None:
        """Of the points under the mouse (they may overlap), the one nearest to it."""
        if not len(points):
            return
        indices = [int(p.data()) for p in points]
        if event is not None:
            where = self._plot.getViewBox().mapSceneToView(event.scenePos())
            scale = np.array([max(abs(r[1] - r[0]), 1e-12) for r in self._plot.getViewBox().viewRange()])
            offsets = (self._points[indices] - np.array([where.x(), where.y()])) / scale
            indices = [indices[int((offsets ** 2).sum(axis=1).argmin())]]
        self.point_clicked.emit(indices[0])
