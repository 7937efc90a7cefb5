"""A small thumbnail of the dataset for the Data panel, so a student sees what they picked.

It draws the same points, in the same colours, as the boundary plot (shared helpers), without axes
or mouse interaction: a picture, not a tool. The aspect is locked so a circle looks like a circle.
The right-click menu stays on, since every plot can be exported.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from playground.core.training.snapshots import DataInfo
from playground.gui.plots import fill_scatters, make_view, new_scatter, style_plot, target_scale

PREVIEW_SIZE = 168  # px; small enough for a side panel, large enough to read the shape


class DataPreview(QWidget):
    """Fixed-aspect scatter of train (filled) and test (white, coloured rim) points."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self.setToolTip(self.tr("The dataset: filled points train, hollow points test"))
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # height fixed, data square

        self._view = make_view(self)
        self._view.ci.layout.setContentsMargins(2, 2, 2, 2)
        self._plot = self._view.addPlot()
        style_plot(self._plot)
        self._plot.showGrid(x=False, y=False)
        for name in ("left", "bottom"):
            self._plot.hideAxis(name)
        self._plot.setAspectLocked(True)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.enableAutoRange(False)
        self._plot.getViewBox().setBorder(pg.mkPen((200, 200, 200)))
        self._train = new_scatter(10)
        self._test = new_scatter(11)
        self._plot.addItem(self._train)
        self._plot.addItem(self._test)
        self._plot.setRange(xRange=(-6, 6), yRange=(-6, 6), padding=0)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)

    def set_data(self, info: DataInfo) -> None:
        """Draw a freshly loaded dataset, framed by its extent."""
        fill_scatters(self._train, self._test, info, target_scale(info.kind, info.y_train, info.y_test))
        xmin, xmax, ymin, ymax = (float(v) for v in info.extent)
        self._plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(PREVIEW_SIZE, PREVIEW_SIZE)

    def plot_item(self) -> pg.PlotItem:
        return self._plot

    def scatter_items(self) -> tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]:
        """(train, test) scatters."""
        return self._train, self._test
