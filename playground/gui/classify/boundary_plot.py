"""The decision boundary: the network's output over the data's plane, with the data on top.

The surface is one ImageItem placed with ``setRect`` on the data's extent and drawn with fixed
levels and a fixed lookup table, so a new frame is one ``setImage`` with no auto-levelling and no
auto-range (the view range is set once per run, in ``set_data``). Points are fixed-size scatters
above it: train points filled with their colour, test points white with a coloured rim.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from playground.core.colors import regression_lut
from playground.core.training.snapshots import DataInfo
from playground.gui.plots import TEXT_COLOR, fill_scatters, make_view, new_scatter, style_plot, target_scale

DEFAULT_EXTENT = (-6.0, 6.0, -6.0, 6.0)  # TensorFlow Playground's plane, until data arrives
LEFT_AXIS_WIDTH = 34  # fixed, so the space around the square does not change with the tick labels
BOTTOM_AXIS_HEIGHT = 26
FRAME_AXIS_SIZE = 2  # top and right axes only draw a frame line


class BoundaryPlot(QWidget):
    """Square plot of the decision surface (classification) or predicted value (regression)."""

    point_clicked = Signal(float, float)  # a left click inside the plot, in data coordinates

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryPlot")
        self._kind = "classification"
        self._extent: tuple[float, float, float, float] = DEFAULT_EXTENT
        self._rect_extent: tuple[float, float, float, float] | None = None
        self._levels: tuple[float, float] | None = None
        self._lut = regression_lut()
        self._last: np.ndarray | None = None

        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot)
        self._plot.showGrid(x=False, y=False)
        self._plot.setAspectLocked(True)
        self._plot.hideButtons()
        self._plot.enableAutoRange(False)
        self._plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        self._plot.getAxis("bottom").setHeight(BOTTOM_AXIS_HEIGHT)
        for name in ("top", "right"):  # a thin frame around the square
            self._plot.showAxis(name)
            self._plot.getAxis(name).setStyle(showValues=False, tickLength=0)
            self._plot.getAxis(name).setPen(pg.mkPen((170, 170, 170)))
        self._plot.getAxis("top").setHeight(FRAME_AXIS_SIZE)
        self._plot.getAxis("right").setWidth(FRAME_AXIS_SIZE)

        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-10)
        self._plot.addItem(self._image)
        self._unit_image = pg.ImageItem(axisOrder="row-major")  # one unit's map, over the surface while hovered
        self._unit_image.setZValue(-5)
        self._unit_image.setVisible(False)
        self._plot.addItem(self._unit_image)
        self._view.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._train = new_scatter(10)
        self._test = new_scatter(11)
        self._plot.addItem(self._train)
        self._plot.addItem(self._test)

        cmap = pg.ColorMap(np.linspace(0.0, 1.0, len(self._lut)), self._lut)
        self._bar = pg.ColorBarItem(values=(-1.0, 1.0), colorMap=cmap, width=12, interactive=False,
                                    colorMapMenu=False, label=self.tr("Prediction"))
        self._bar.axis.setTextPen(pg.mkPen(TEXT_COLOR))
        self._bar.getAxis("left").setTextPen(pg.mkPen(TEXT_COLOR))
        self._bar.getAxis("top").setHeight(FRAME_AXIS_SIZE)  # the bar spans exactly the plot's height
        self._bar.getAxis("bottom").setHeight(BOTTOM_AXIS_HEIGHT)
        self._view.addItem(self._bar, row=0, col=1)
        self._bar.setVisible(False)
        self._show_range(self._extent)

        self._test_check = QCheckBox(self.tr("Show test data"), self)
        self._test_check.setObjectName("showTestCheck")
        self._test_check.setToolTip(self.tr("Draw the test points (white with a coloured outline)"))
        self._test_check.setChecked(True)
        self._test_check.toggled.connect(self._on_show_test_toggled)

        options = QHBoxLayout()
        options.setContentsMargins(6, 0, 6, 0)
        options.addWidget(self._test_check)
        options.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(_SquareHost(self._view, self._plot.getViewBox(), self), 1)
        box.addLayout(options)

    # ---- the interface the main window uses ------------------------------------------------------
    def set_data(self, info: DataInfo) -> None:
        """A new run's points: draw them, fix the colour range, and frame the data's extent."""
        self._kind = info.kind
        self._extent = _extent(info.extent)
        scale = target_scale(info.kind, info.y_train, info.y_test)
        self._levels = (-scale, scale)
        fill_scatters(self._train, self._test, info, scale)
        self._image.clear()
        self._unit_image.setVisible(False)
        self._last = None
        self._bar.setLevels(self._levels)
        self._bar.setVisible(info.kind == "regression")
        self._show_range(self._extent)

    def set_surface(self, surface: np.ndarray, extent=None) -> None:
        """A new frame of the surface: RGBA uint8 (n, n, 4), or float32 values (n, n) for regression."""
        if surface is None:
            return
        extent = self._extent if extent is None else _extent(extent)
        if surface.ndim == 2:
            if self._levels is None:  # no data yet: fall back to the surface's own range, fixed from now on
                finite = surface[np.isfinite(surface)]
                scale = float(np.abs(finite).max()) if finite.size else 1.0
                self._levels = (-(scale or 1.0), scale or 1.0)
                self._bar.setLevels(self._levels)
            image = np.nan_to_num(np.ascontiguousarray(surface, dtype=np.float32))
            self._image.setImage(image, autoLevels=False, levels=self._levels, lut=self._lut)
            self._bar.setVisible(True)
        else:
            self._image.setLookupTable(None, update=False)
            self._image.setLevels(None, update=False)
            self._image.setImage(np.ascontiguousarray(surface), autoLevels=False)
        if extent != self._rect_extent:
            xmin, xmax, ymin, ymax = extent
            self._image.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
            self._rect_extent = extent
        self._last = surface

    def show_unit_map(self, values: np.ndarray, extent) -> None:
        """Cover the surface with one unit's map (n, n), row 0 at the bottom, in regression colours
        with levels symmetric at its largest |value|; :meth:`clear_unit_map` brings the surface back."""
        image = np.nan_to_num(np.ascontiguousarray(values, dtype=np.float32))
        scale = float(np.abs(image).max()) or 1.0
        self._unit_image.setImage(image, autoLevels=False, levels=(-scale, scale), lut=self._lut)
        xmin, xmax, ymin, ymax = _extent(extent if extent is not None else self._extent)
        self._unit_image.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self._unit_image.setVisible(True)

    def clear_unit_map(self) -> None:
        self._unit_image.setVisible(False)

    def unit_map_shown(self) -> bool:
        return self._unit_image.isVisible()

    def set_show_test(self, on: bool) -> None:
        """Show or hide the test points; the checkbox follows."""
        self._test_check.setChecked(bool(on))

    def surface_image(self) -> np.ndarray | None:
        """The last surface given to :meth:`set_surface` (None before the first or after new data)."""
        return self._last

    # ---- read-only helpers (tests, exports) ------------------------------------------------------
    def plot_item(self) -> pg.PlotItem:
        return self._plot

    def scatter_items(self) -> tuple[pg.ScatterPlotItem, pg.ScatterPlotItem]:
        """(train, test) scatters."""
        return self._train, self._test

    def image_item(self) -> pg.ImageItem:
        return self._image

    def color_bar(self) -> pg.ColorBarItem:
        return self._bar

    def levels(self) -> tuple[float, float] | None:
        """The fixed regression levels of this run."""
        return self._levels

    # ---- internals -------------------------------------------------------------------------------
    @Slot(bool)
    def _on_show_test_toggled(self, on: bool) -> None:
        self._test.setVisible(on)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        viewbox = self._plot.getViewBox()
        if not viewbox.sceneBoundingRect().contains(event.scenePos()):
            return
        point = viewbox.mapSceneToView(event.scenePos())
        self.point_clicked.emit(float(point.x()), float(point.y()))

    def _show_range(self, extent: tuple[float, float, float, float]) -> None:
        xmin, xmax, ymin, ymax = extent
        self._plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)


class _SquareHost(QWidget):
    """Sizes the plot view so its data area is square and centred in the space it gets.

    With the aspect locked, any spare width or height would only show blank margins outside the
    data's extent (and ticks beyond it). The space taken by axes and the colour bar ("chrome") is
    measured from the laid-out ViewBox and corrected once whenever it changes.
    """

    def __init__(self, view: QWidget, viewbox: pg.ViewBox, parent: QWidget) -> None:
        super().__init__(parent)
        self._view = view
        self._viewbox = viewbox
        self._chrome = (50, 40)  # a first guess; _on_viewbox_resized measures the real one
        view.setParent(self)
        self.setMinimumSize(160, 160)
        viewbox.sigResized.connect(self._on_viewbox_resized)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(440, 440)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        chrome_w, chrome_h = self._chrome
        side = max(40, min(self.width() - chrome_w, self.height() - chrome_h))
        width, height = min(self.width(), side + chrome_w), min(self.height(), side + chrome_h)
        self._view.setGeometry((self.width() - width) // 2, (self.height() - height) // 2, width, height)

    @Slot()
    def _on_viewbox_resized(self) -> None:
        rect = self._viewbox.geometry()
        if rect.width() < 1 or rect.height() < 1:
            return
        chrome = (self._view.width() - round(rect.width()), self._view.height() - round(rect.height()))
        if chrome != self._chrome and min(chrome) >= 0:
            self._chrome = chrome
            # Not now: we are inside the view's own resize; placing it again re-entrantly is lost.
            QTimer.singleShot(0, self, self._place)


def _extent(extent) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in extent)
