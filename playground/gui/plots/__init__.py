"""Live plots of a training run: loss curves, the decision boundary and a small data preview.

The shared look lives here so every plot matches (a light theme in the spirit of TensorFlow
Playground) and the point colours of the preview and the boundary plot cannot drift apart. The
widgets themselves are exported lazily (PEP 562): the plot modules import these helpers, so an
eager import of them here would be circular.
"""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

from playground.core.colors import CLASS_COLORS, diverging

BACKGROUND = "w"
AXIS_PEN = (120, 120, 120)  # axis lines: present but quieter than the data
TEXT_COLOR = (50, 50, 50)  # tick and axis labels: dark on white
GRID_ALPHA = 0.12
POINT_SIZE = 6  # px, independent of zoom
RIM_SHADE = 0.7  # point outlines: the point's colour, darkened
TICK_FONT_PT = 9
LABEL_FONT_PT = "10pt"

_EXPORTS = {
    "LossPlot": "playground.gui.plots.loss_plot",
    "BoundaryPlot": "playground.gui.classify.boundary_plot",
    "DataPreview": "playground.gui.plots.data_preview",
}
__all__ = ["LossPlot", "BoundaryPlot", "DataPreview"]


def __getattr__(name: str):
    """``from playground.gui.plots import LossPlot`` without importing every plot module."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_view(parent=None) -> pg.GraphicsLayoutWidget:
    """A white GraphicsLayoutWidget with snug margins; its scene keeps pyqtgraph's "Export..."."""
    view = pg.GraphicsLayoutWidget(parent=parent, show=False)
    view.setBackground(BACKGROUND)
    view.ci.layout.setContentsMargins(4, 4, 8, 4)
    view.ci.layout.setSpacing(2)
    return view


def style_plot(plot: pg.PlotItem, left: str | None = None, bottom: str | None = None) -> None:
    """Dark readable text, light grid, and the context menu (whose scene part holds "Export...") on."""
    font = QFont()
    font.setPointSize(TICK_FONT_PT)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(AXIS_PEN))
        axis.setTextPen(pg.mkPen(TEXT_COLOR))
        axis.setTickFont(font)
    for name, text in (("left", left), ("bottom", bottom)):
        if text:
            plot.setLabel(name, text, color=pg.mkColor(TEXT_COLOR).name(), **{"font-size": LABEL_FONT_PT})
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    plot.setMenuEnabled(True)


def target_scale(kind: str, *targets: np.ndarray) -> float:
    """Half-width of the symmetric colour range for regression targets (1 when there is none)."""
    if kind != "regression":
        return 1.0
    values = np.concatenate([np.asarray(t, dtype=np.float64).ravel() for t in targets])
    values = values[np.isfinite(values)]
    scale = float(np.abs(values).max()) if values.size else 0.0
    return scale if scale > 0 else 1.0


def point_colors(kind: str, y: np.ndarray, scale: float) -> np.ndarray:
    """(N, 3) uint8 colours: class colours, or the surface's diverging map at full strength."""
    y = np.asarray(y).ravel()
    if kind == "regression":
        values = np.nan_to_num(y.astype(np.float64) / scale)
        # Quantised to 256 steps so a regression scatter needs at most 256 distinct brushes.
        values = np.round(np.clip(values, -1, 1) * 127.5) / 127.5
        return np.clip(diverging(values), 0, 255).astype(np.uint8)
    return CLASS_COLORS[y.astype(np.int64) % len(CLASS_COLORS)]


def plane_positions(points: np.ndarray) -> np.ndarray:
    """(N, 2) float positions: the first two features; one-feature data lies on y = 0."""
    points = np.asarray(points, dtype=np.float64)
    points = points.reshape(len(points), -1)
    if points.shape[1] >= 2:
        return np.ascontiguousarray(points[:, :2])
    out = np.zeros((len(points), 2))
    if points.shape[1] == 1:
        out[:, 0] = points[:, 0]
    return out


def _per_point(colors: np.ndarray, make) -> list:
    """One Qt object per distinct colour, shared by the points of that colour (cheap to build)."""
    cache: dict[tuple[int, int, int], object] = {}
    out = []
    for rgb in map(tuple, colors.tolist()):
        item = cache.get(rgb)
        if item is None:
            item = cache[rgb] = make(rgb)
        out.append(item)
    return out


def fill_scatters(train: pg.ScatterPlotItem, test: pg.ScatterPlotItem, info, scale: float) -> None:
    """Train points filled with their colour, test points white; both with a darker rim of their
    colour, so pale (near-zero regression) points still show on a pale surface."""
    colors = point_colors(info.kind, info.y_train, scale)
    train.setData(pos=plane_positions(info.points_train), brush=_per_point(colors, lambda rgb: pg.mkBrush(*rgb)),
                  pen=_per_point(colors, lambda rgb: pg.mkPen(_darker(rgb), width=1)), symbol="o", size=POINT_SIZE)
    colors = point_colors(info.kind, info.y_test, scale)
    test.setData(pos=plane_positions(info.points_test), brush=pg.mkBrush(255, 255, 255),
                 pen=_per_point(colors, lambda rgb: pg.mkPen(_darker(rgb), width=1.6)), symbol="o", size=POINT_SIZE)


def _darker(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(int(c * RIM_SHADE) for c in rgb)


def new_scatter(z: float) -> pg.ScatterPlotItem:
    """An antialiased, fixed-pixel-size scatter drawn above the surface."""
    item = pg.ScatterPlotItem(size=POINT_SIZE, pxMode=True, antialias=True, hoverable=False)
    item.setZValue(z)
    return item


def _close_paths_explicitly(d: str) -> str:
    """SVG path data with each close command ("Z") replaced by a line back to the subpath start."""
    out: list[str] = []
    start = None
    for token in d.replace("Z", " Z ").replace("z", " z ").split():
        if token in ("Z", "z"):
            if start is not None:
                out.append("L" + start)
            continue
        if token[0] in "Mm":
            start = token[1:]
        out.append(token)
    return " ".join(out)


def _fix_svg_export() -> None:
    """Make "Export... > SVG" work with pyqtgraph 0.14.0 on Qt >= 6.10.

    Qt now ends closed paths (every ViewBox's clip rectangle) with "Z", which pyqtgraph's
    ``correctCoordinates`` cannot parse, so every SVG export raised ValueError (pyqtgraph issue
    #3495, fixed upstream after 0.14.0). We rewrite "Z" as an explicit line to the start first;
    the picture is the same, and the rewrite is harmless with a fixed pyqtgraph. Idempotent.
    """
    importlib.import_module("pyqtgraph.exporters")
    module = sys.modules.get("pyqtgraph.exporters.SVGExporter")
    original = getattr(module, "correctCoordinates", None)
    if original is None or getattr(original, "_playground_fixed", False):
        return

    def correct_coordinates(node, defs, item, options):
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                path.setAttribute("d", _close_paths_explicitly(d))
        return original(node, defs, item, options)

    correct_coordinates._playground_fixed = True
    module.correctCoordinates = correct_coordinates


_fix_svg_export()
