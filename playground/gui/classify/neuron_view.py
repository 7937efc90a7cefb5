"""The network as TensorFlow Playground draws it: a column of small heatmaps per layer, joined by links.

Each node is one unit's activation over the input plane (inputs first, output last), drawn with a
diverging orange-white-blue map whose levels are symmetric around 0 at the layer's largest |value|.
Each link is one weight: orange for negative, blue for positive, thicker for larger |weight|.

All items live in one scene and are made once per network shape; a new frame only sets images and
pens (``set_network``), so the GUI thread stays light while training runs.
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QLabel, QStackedLayout, QWidget

from playground.core.colors import diverging
from playground.gui.plots import BACKGROUND, TEXT_COLOR

NODE = 1.0  # node side, in scene units
COLUMN_GAP = 2.4  # room for the links between two columns
ROW_GAP = 0.3
MIN_LINK_WIDTH = 0.5  # px, for a weight of 0
LINK_WIDTH_PER_WEIGHT = 1.0  # px per unit of |weight|
MAX_LINK_WIDTH = 4.5
FAINTEST_LINK = 0.25  # even a tiny weight keeps a trace of its colour on the white background
FRAME_PEN = (150, 150, 150)
HOVER_PEN = (30, 30, 30)


def _node_lut() -> np.ndarray:
    rgb = diverging(np.linspace(-1.0, 1.0, 256))
    lut = np.empty((256, 4), dtype=np.uint8)
    lut[:, :3] = np.clip(rgb, 0, 255)
    lut[:, 3] = 255
    return lut


NODE_LUT = _node_lut()


LINK_LEVELS = 16  # link colours and widths come in this many steps per sign, so pens are shared
LINK_RANGE = (MAX_LINK_WIDTH - MIN_LINK_WIDTH) / LINK_WIDTH_PER_WEIGHT  # |weight| at the widest link


def link_levels(weights: np.ndarray) -> np.ndarray:
    """Quantised strengths of weights: -LINK_LEVELS..LINK_LEVELS (0 only for a zero weight)."""
    w = np.nan_to_num(np.asarray(weights, dtype=np.float64))
    steps = np.clip(np.round(np.abs(w) / LINK_RANGE * LINK_LEVELS), 1, LINK_LEVELS)
    return (np.sign(w) * steps).astype(int)


def link_level(weight: float) -> int:
    return int(link_levels(np.array([weight]))[0])


def link_pen(weight: float) -> QPen:
    """Orange (negative) or blue (positive), stronger and thicker for larger |weight|."""
    return _pen_for_level(link_level(weight))


@functools.lru_cache(maxsize=2 * LINK_LEVELS + 1)
def _pen_for_level(level: int) -> QPen:
    magnitude = abs(level) / LINK_LEVELS * LINK_RANGE
    strength = np.sign(level) * max(min(magnitude, 1.0), FAINTEST_LINK)
    r, g, b = (int(c) for c in np.clip(diverging(np.array(strength)), 0, 255))
    pen = QPen(QColor(r, g, b))
    pen.setWidthF(min(MIN_LINK_WIDTH + LINK_WIDTH_PER_WEIGHT * magnitude, MAX_LINK_WIDTH))
    pen.setCosmetic(True)  # pixels, whatever the zoom
    return pen


class _Node(pg.ImageItem):
    """One unit's heatmap; tells the view when the mouse enters or leaves it."""

    def __init__(self, view: NeuronView, layer: int, unit: int) -> None:
        super().__init__(axisOrder="row-major")
        self._view = view
        self.layer, self.unit = layer, unit
        self.place: QRectF | None = None  # where it goes; applied once an image gives it a size
        self._placed_shape: tuple[int, ...] | None = None

    def paint_values(self, values: np.ndarray, scale: float) -> None:
        self.setImage(values, autoLevels=False, levels=(-scale, scale), lut=NODE_LUT)
        if values.shape != self._placed_shape and self.place is not None:
            self.setRect(self.place)  # scales by the image's size, so only after an image is set
            self._placed_shape = values.shape

    def hoverEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph API
        if ev.isExit():
            self._view._on_node_left()
        elif ev.isEnter():
            self._view._on_node_hovered(self.layer, self.unit)


class NeuronView(QWidget):
    """Every unit of a small dense network on 2-D data, as a heatmap over the plane, with its weights."""

    unit_hovered = Signal(int, int)  # layer (0 = inputs), unit
    unit_left = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("neuronView")
        self._graphics = pg.GraphicsLayoutWidget(parent=self, show=False)
        self._graphics.setBackground(BACKGROUND)
        self._graphics.ci.layout.setContentsMargins(2, 2, 2, 2)
        self._box = self._graphics.addViewBox()
        self._box.setAspectLocked(True)
        self._box.setMouseEnabled(False, False)
        self._box.setMenuEnabled(False)
        self._graphics.setToolTip(self.tr(
            "Each square is one unit's output over the input plane (inputs on the left, the output on the "
            "right): orange negative, white 0, blue positive, scaled to the layer's largest |value|. "
            "Lines are weights: orange negative, blue positive, thicker for larger |weight|. "
            "Hover a unit to see its output big in the decision boundary plot."))
        self._note = QLabel(self)
        self._note.setObjectName("neuronNote")
        self._note.setWordWrap(True)
        self._note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._note.setMargin(12)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._graphics)
        self._stack.addWidget(self._note)
        self._sizes: list[int] | None = None
        self._nodes: list[list[_Node]] = []
        self._frames: list[list[QGraphicsRectItem]] = []
        self._links: list[list[QGraphicsLineItem]] = []  # per weight matrix, row-major over (out, in)
        self._titles: list[pg.TextItem] = []
        self._maps: list[np.ndarray] | None = None
        self._extent = None
        self._hovered: tuple[int, int] | None = None
        self.clear_network(self.tr("Load a dense network on 2-D data to see its units."))

    # ---- the interface the main window uses ------------------------------------------------------
    def set_network(self, maps: list[np.ndarray], weights: list[np.ndarray], extent=None) -> None:
        """A new frame: ``maps`` per layer (units, n, n), row 0 at the bottom; ``weights`` (out, in)."""
        sizes = [int(m.shape[0]) for m in maps]
        if sizes != self._sizes:
            self._build(sizes)
        self._maps, self._extent = maps, extent
        for values, nodes in zip(maps, self._nodes, strict=True):
            finite = np.nan_to_num(np.asarray(values, dtype=np.float32))
            scale = float(np.abs(finite).max()) or 1.0
            for unit, node in enumerate(nodes):
                node.paint_values(np.ascontiguousarray(finite[unit]), scale)
        for index, (matrix, links) in enumerate(zip(weights, self._links, strict=True)):
            levels = link_levels(np.asarray(matrix).ravel())
            changed = np.nonzero(levels != self._link_levels[index])[0] if index < len(self._link_levels) \
                else np.arange(len(levels))
            for i in changed:  # only links whose quantised weight moved get a new pen
                links[i].setPen(_pen_for_level(int(levels[i])))
            if index < len(self._link_levels):
                self._link_levels[index] = levels
            else:
                self._link_levels.append(levels)
        self._stack.setCurrentWidget(self._graphics)

    def clear_network(self, text: str) -> None:
        """No picture for this network: show ``text`` instead."""
        if self._hovered is not None:
            self._on_node_left()
        self._maps = None
        self._note.setText(text)
        self._stack.setCurrentWidget(self._note)

    def unit_map(self, layer: int, unit: int) -> np.ndarray | None:
        """The last map of one unit (None when there is no network)."""
        if self._maps is None or layer >= len(self._maps) or unit >= len(self._maps[layer]):
            return None
        return self._maps[layer][unit]

    def extent(self):
        """The plane the maps cover (xmin, xmax, ymin, ymax), as given to :meth:`set_network`."""
        return self._extent

    def hovered(self) -> tuple[int, int] | None:
        """The (layer, unit) under the mouse, if any."""
        return self._hovered

    def showing_note(self) -> bool:
        return self._stack.currentWidget() is self._note

    def note_text(self) -> str:
        return self._note.text()

    # ---- read-only helpers (tests) ---------------------------------------------------------------
    def node_items(self) -> list[list[pg.ImageItem]]:
        return self._nodes

    def link_items(self) -> list[list[QGraphicsLineItem]]:
        return self._links

    # ---- internals -------------------------------------------------------------------------------
    def _on_node_hovered(self, layer: int, unit: int) -> None:
        if self._maps is None:
            return
        self._set_frame_pen(self._hovered, FRAME_PEN, 1)
        self._hovered = (layer, unit)
        self._set_frame_pen(self._hovered, HOVER_PEN, 2)
        self.unit_hovered.emit(layer, unit)

    def _on_node_left(self) -> None:
        if self._hovered is None:
            return
        self._set_frame_pen(self._hovered, FRAME_PEN, 1)
        self._hovered = None
        self.unit_left.emit()

    def _set_frame_pen(self, where: tuple[int, int] | None, color, width: float) -> None:
        if where is not None and where[0] < len(self._frames) and where[1] < len(self._frames[where[0]]):
            self._frames[where[0]][where[1]].setPen(pg.mkPen(color, width=width))

    def _build(self, sizes: list[int]) -> None:
        """Make the items for a new network shape (once per shape, not per frame)."""
        if self._hovered is not None:
            self._on_node_left()
        self._box.clear()
        self._sizes = sizes
        self._link_levels: list[np.ndarray] = []
        self._nodes, self._frames, self._links, self._titles = [], [], [], []
        step = NODE + ROW_GAP
        tallest = max(sizes) * step
        corners = []  # per layer, each unit's bottom-left corner
        for layer, n in enumerate(sizes):
            x = layer * (NODE + COLUMN_GAP)
            top = (n - 1) * step / 2 + NODE / 2
            corners.append([(x, top - NODE - unit * step) for unit in range(n)])
        for layer in range(len(sizes) - 1):
            links = []
            for out_x, out_y in corners[layer + 1]:
                for in_x, in_y in corners[layer]:
                    line = QGraphicsLineItem(in_x + NODE, in_y + NODE / 2, out_x, out_y + NODE / 2)
                    line.setZValue(-10)
                    self._box.addItem(line)
                    links.append(line)
            self._links.append(links)
        for layer, points in enumerate(corners):
            nodes, frames = [], []
            for unit, (x, y) in enumerate(points):
                node = _Node(self, layer, unit)
                node.place = QRectF(x, y, NODE, NODE)
                self._box.addItem(node)
                frame = QGraphicsRectItem(x, y, NODE, NODE)
                frame.setPen(pg.mkPen(FRAME_PEN, width=1))
                frame.setZValue(5)
                self._box.addItem(frame)
                nodes.append(node)
                frames.append(frame)
            self._nodes.append(nodes)
            self._frames.append(frames)
            title = pg.TextItem(self._title(layer, len(sizes), len(points)), color=TEXT_COLOR, anchor=(0.5, 1.0))
            title.setToolTip(self.tr("Inputs") if layer == 0 else self.tr("Output") if layer == len(sizes) - 1
                             else self.tr("Hidden layer {n}: {units} units").format(n=layer, units=len(points)))
            title.setPos(points[0][0] + NODE / 2, tallest / 2 + 0.1)
            self._box.addItem(title)
            self._titles.append(title)
        width = (len(sizes) - 1) * (NODE + COLUMN_GAP) + NODE
        self._box.setRange(QRectF(-0.3, -tallest / 2 - 0.2, width + 0.6, tallest + 1.4), padding=0)

    def _title(self, layer: int, layers: int, units: int) -> str:
        if layer == 0:
            return self.tr("In")
        if layer == layers - 1:
            return self.tr("Out")
        return self.tr("H{n}").format(n=layer)
