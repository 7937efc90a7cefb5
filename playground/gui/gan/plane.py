"""GAN Lab's picture of a 2-D GAN: the discriminator's opinion of the plane as a heatmap, the real points,
the generated points, the generator's warped latent grid (its manifold) and gradient arrows.

Everything is computed by the trainer on the worker thread; here each frame is a handful of
``setData``/``setImage`` calls with fixed levels and no auto-range (the range is set once per run).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from playground.core.colors import REAL_COLOR, SURFACE_ALPHA
from playground.gui.classify.boundary_plot import _SquareHost  # the boundary plot's square framing
from playground.gui.plots import TEXT_COLOR, make_view, style_plot

FAKE_COLOR = (117, 82, 180)  # GAN Lab's convention: purple is generated, green (REAL_COLOR) real
MANIFOLD_PEN = pg.mkPen((90, 90, 90, 110), width=1)
ARROW_PEN = pg.mkPen((60, 60, 60, 170), width=1)
ARROW_FRACTION = 0.06  # the longest arrow spans this share of the plot's width


def _lut(n: int = 256) -> np.ndarray:
    """Purple (D says generated) through white to green (D says real), paled so points stay readable."""
    t = np.linspace(-1.0, 1.0, n)[:, None]
    white = np.array([255.0, 255.0, 255.0])
    rgb = np.where(t < 0, white + (np.array(FAKE_COLOR) - white) * (-t), white + (np.array(REAL_COLOR) - white) * t)
    rgb = white + (rgb - white) * SURFACE_ALPHA
    lut = np.full((n, 4), 255, dtype=np.uint8)
    lut[:, :3] = np.clip(np.round(rgb), 0, 255)
    return lut


LUT = _lut()


class PlaneView(QWidget):
    """The square plot with its layers and the checkboxes that show or hide them."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._extent = (-1.0, 1.0, -1.0, 1.0)
        self._levels = (0.0, 1.0)
        self._arrows: tuple[np.ndarray, np.ndarray] | None = None
        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot)
        self._plot.showGrid(x=False, y=False)
        self._plot.setAspectLocked(True)
        self._plot.hideButtons()
        self._plot.enableAutoRange(False)
        self.heatmap = pg.ImageItem(axisOrder="row-major")
        self.heatmap.setZValue(-10)
        self._plot.addItem(self.heatmap)
        self.manifold = pg.PlotCurveItem(pen=MANIFOLD_PEN, connect="finite", antialias=True)
        self.manifold.setZValue(2)
        self._plot.addItem(self.manifold)
        self.real = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*REAL_COLOR, 150), pxMode=True)
        self.real.setZValue(4)
        self._plot.addItem(self.real)
        self.modes = pg.ScatterPlotItem(size=14, pen=pg.mkPen((40, 40, 40), width=1), brush=None, pxMode=True)
        self.modes.setZValue(5)
        self._plot.addItem(self.modes)
        self.fake = pg.ScatterPlotItem(size=5, pen=pg.mkPen((70, 45, 120), width=0.6),
                                       brush=pg.mkBrush(*FAKE_COLOR, 210), pxMode=True)
        self.fake.setZValue(6)
        self._plot.addItem(self.fake)
        self.arrows = pg.PlotCurveItem(pen=ARROW_PEN, connect="pairs", antialias=True)
        self.arrows.setZValue(7)
        self._plot.addItem(self.arrows)
        self._bar = pg.ColorBarItem(values=self._levels, colorMap=pg.ColorMap(np.linspace(0, 1, len(LUT)), LUT),
                                    width=12, interactive=False, colorMapMenu=False, label=self.tr("D(x)"))
        self._bar.axis.setTextPen(pg.mkPen(TEXT_COLOR))
        self._bar.getAxis("left").setTextPen(pg.mkPen(TEXT_COLOR))
        self._view.addItem(self._bar, row=0, col=1)

        self.checks: dict[str, QCheckBox] = {}
        options = QHBoxLayout()
        options.setContentsMargins(6, 0, 6, 0)
        for key, text, tip, layer, on in (
            ("real", self.tr("Real data"), self.tr("The training points (green)"), self.real, True),
            ("fake", self.tr("Generated"), self.tr("500 samples of the generator from a fixed noise batch (purple)"),
             self.fake, True),
            ("manifold", self.tr("Manifold"), self.tr("Where the generator sends a square grid of its 2-D latent "
                                                      "space: the plane as the generator warps it"), self.manifold,
             True),
            ("arrows", self.tr("Gradient arrows"), self.tr("The direction the generator's loss pushes each generated "
                                                           "point"), self.arrows, False),
        ):
            check = QCheckBox(text, self)
            check.setObjectName(f"gan_{key}_check")
            check.setToolTip(tip)
            check.setChecked(on)
            layer.setVisible(on)
            check.toggled.connect(layer.setVisible)
            options.addWidget(check)
            self.checks[key] = check
        self.checks["arrows"].toggled.connect(self._on_arrows_toggled)
        self.checks["real"].toggled.connect(self.modes.setVisible)
        options.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(_SquareHost(self._view, self._plot.getViewBox(), self), 1)
        box.addLayout(options)

    def set_data(self, live: dict) -> None:
        """A new run: real points, mode centres, the plot range and the heatmap's levels."""
        self._extent = tuple(float(v) for v in live["extent"])
        xmin, xmax, ymin, ymax = self._extent
        real = np.asarray(live["real"], dtype=np.float64)
        self.real.setData(pos=real)
        modes = live.get("modes")
        self.modes.setData(pos=np.empty((0, 2)) if modes is None else np.asarray(modes, dtype=np.float64))
        self.fake.setData(pos=np.empty((0, 2)))
        self.manifold.setData([], [])
        self.arrows.setData([], [])
        self.heatmap.clear()
        self.heatmap.setRect(QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
        self._plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)
        self.checks["manifold"].setEnabled(live.get("latent_size") == 2)
        self.checks["manifold"].setToolTip(self.checks["manifold"].toolTip() if live.get("latent_size") == 2 else
                                           self.tr("Shown when the latent code has 2 dimensions"))

    def show_view(self, view: dict) -> None:
        """One frame: heatmap, generated points, manifold and arrows."""
        levels = tuple(view.get("levels", (0.0, 1.0)))
        if levels != self._levels:
            self._levels = levels
            self._bar.setLevels(levels)
        self.heatmap.setImage(np.nan_to_num(view["heatmap"]), autoLevels=False, levels=levels, lut=LUT)
        fake = np.asarray(view["fake"], dtype=np.float64)
        self.fake.setData(pos=fake)
        grid = view.get("manifold")
        if grid is not None:
            self.manifold.setData(*_grid_lines(np.asarray(grid, dtype=np.float64)))
        self._arrows = (fake, np.asarray(view["arrows"], dtype=np.float64))
        if self.arrows.isVisible():
            self._draw_arrows()

    def plot_item(self) -> pg.PlotItem:
        return self._plot

    @Slot(bool)
    def _on_arrows_toggled(self, on: bool) -> None:
        if on:
            self._draw_arrows()

    def _draw_arrows(self) -> None:
        if self._arrows is None:
            return
        start, direction = self._arrows
        length = np.linalg.norm(direction, axis=1)
        scale = ARROW_FRACTION * (self._extent[1] - self._extent[0]) / max(float(length.max(initial=0.0)), 1e-12)
        end = start + direction * scale
        pairs = np.empty((2 * len(start), 2))
        pairs[0::2], pairs[1::2] = start, end
        self.arrows.setData(pairs[:, 0], pairs[:, 1])


def _grid_lines(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, n, 2) points -> x, y arrays of every row and column as polylines separated by NaN."""
    n = grid.shape[0]
    rows = np.concatenate([grid, np.full((n, 1, 2), np.nan)], axis=1).reshape(-1, 2)
    cols = np.concatenate([grid.transpose(1, 0, 2), np.full((n, 1, 2), np.nan)], axis=1).reshape(-1, 2)
    lines = np.vstack([rows, cols])
    return lines[:, 0], lines[:, 1]
