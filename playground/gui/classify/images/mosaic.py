"""A grid of small images drawn as ONE mosaic ImageItem, with optional captions below each tile.

The view's coordinates are the widget's own pixels, so captions (fixed-size text) and tiles can be
laid out exactly. Tiles are scaled by the largest whole factor that fits every tile in the space
(crisp, nearest-neighbour pixels); the mosaic is assembled in source pixels as RGBA uint8, so a
new frame is one ``setImage`` with no levels, no lookup table and no auto-range.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QTextOption
from PySide6.QtWidgets import QGraphicsRectItem, QVBoxLayout, QWidget

from playground.core.colors import diverging
from playground.gui.plots import TEXT_COLOR, make_view

GAP_PX = 6  # at least this much space between tiles
CAPTION_PT = 8
HIGHLIGHT = (0, 114, 178)  # the house blue (loss plot's "Train")


def _lut(rgb: np.ndarray) -> np.ndarray:
    lut = np.full((len(rgb), 4), 255, dtype=np.uint8)
    lut[:, :3] = np.clip(np.round(rgb), 0, 255)
    return lut


GREY_LUT = _lut(np.repeat(np.linspace(0.0, 255.0, 256)[:, None], 3, axis=1))
DIVERGING_LUT = _lut(diverging(np.linspace(-1.0, 1.0, 256)))  # orange - white - blue around 0.5
VIRIDIS_LUT = _lut(pg.colormap.get("viridis").getLookupTable(nPts=256, alpha=False).astype(np.float64))


def to_rgba(image: np.ndarray, lut: np.ndarray = GREY_LUT) -> np.ndarray:
    """(H, W) values in [0, 1] through a 256-entry lookup table, or (H, W, 3) colours -> (H, W, 4) uint8."""
    image = np.nan_to_num(np.asarray(image, dtype=np.float32))
    if image.ndim == 2:
        return lut[np.clip(np.round(image * 255), 0, 255).astype(np.intp)]
    out = np.full(image.shape[:2] + (4,), 255, dtype=np.uint8)
    out[..., :3] = np.clip(np.round(image[..., :3] * 255), 0, 255)
    return out


class MosaicView(QWidget):
    """Equal-sized RGBA tiles in a grid that fills the widget; clicking a tile emits its position.
    Captions may have several lines ("\n"), centred under their tile."""

    tile_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, max_tile_px: int = 96) -> None:
        super().__init__(parent)
        self._max_tile_px = max_tile_px
        self._tiles: list[np.ndarray] = []
        self._captions: list[str] = []
        self._texts: list[pg.TextItem] = []
        self._highlighted: int | None = None
        self._geometry: tuple | None = None  # (x0, y0, cell_w, cell_h, tile_w, tile_h, cols, pad), px
        self._caption_w = 0
        self._font = QFont()
        self._font.setPointSize(CAPTION_PT)

        self._view = make_view(self)
        self._view.ci.layout.setContentsMargins(0, 0, 0, 0)
        self._vb = self._view.addViewBox(row=0, col=0)
        self._vb.setMouseEnabled(x=False, y=False)
        self._vb.invertY(True)
        self._vb.enableAutoRange(False)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setLevels(None)
        self._vb.addItem(self._image)
        self._placeholder = pg.TextItem("", color=(120, 120, 120), anchor=(0.5, 0.5))
        self._vb.addItem(self._placeholder)
        self._frame = QGraphicsRectItem()
        self._frame.setPen(pg.mkPen(HIGHLIGHT, width=3))
        self._frame.setZValue(5)
        self._frame.setVisible(False)
        self._vb.addItem(self._frame)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)
        self._vb.sigResized.connect(self._relayout)
        self._view.scene().sigMouseClicked.connect(self._on_clicked)

    # ---- interface -------------------------------------------------------------------------------
    def set_tiles(self, tiles: list[np.ndarray], captions: list[str] | None = None) -> None:
        """RGBA uint8 (h, w, 4) tiles, in reading order; captions (one each) are optional."""
        self._tiles = list(tiles)
        self._captions = list(captions) if captions else []
        if self._highlighted is not None and self._highlighted >= len(self._tiles):
            self._highlighted = None
        self._relayout()

    def set_placeholder(self, text: str) -> None:
        """Grey text shown in the middle while there are no tiles."""
        self._placeholder.setText(text)

    def set_highlight(self, position: int | None) -> None:
        """Frame one tile (e.g. the image whose feature maps are shown); None removes the frame."""
        self._highlighted = position
        self._place_frame()

    def tile_count(self) -> int:
        return len(self._tiles)

    def captions(self) -> list[str]:
        return list(self._captions)

    def tile_center(self, position: int) -> QPoint:
        """Where tile ``position`` lies in :meth:`viewport` coordinates (tests click there)."""
        return self._view.mapFromScene(self._vb.mapViewToScene(self._tile_rect(position).center()))

    def viewport(self) -> QWidget:
        return self._view.viewport()

    def mosaic(self) -> np.ndarray | None:
        """The RGBA mosaic last drawn (None while empty)."""
        return self._image.image

    # ---- layout ----------------------------------------------------------------------------------
    @Slot()
    def _relayout(self) -> None:
        width, height = max(self._vb.width(), 1.0), max(self._vb.height(), 1.0)
        n = len(self._tiles)
        self._placeholder.setVisible(n == 0)
        self._placeholder.setPos(width / 2, height / 2)
        if n == 0:
            self._image.clear()
            self._geometry = None
            self._place_texts()
            self._place_frame()
            self._vb.setRange(xRange=(0, width), yRange=(0, height), padding=0)
            return
        h = max(t.shape[0] for t in self._tiles)
        w = max(t.shape[1] for t in self._tiles)
        metrics = QFontMetrics(self._font)
        lines = [caption.split("\n") for caption in self._captions]
        caption_h = metrics.height() * max(map(len, lines)) + 2 if self._captions else 0
        caption_w = max((metrics.horizontalAdvance(line) for parts in lines for line in parts), default=0) + 6
        self._caption_w = caption_w
        for scale in range(max(1, self._max_tile_px // max(h, w)), 0, -1):
            pad = max(1, math.ceil(GAP_PX / scale))  # source pixels between cells
            cell_w = max(w, math.ceil(caption_w / scale) if self._captions else 0) + pad
            cell_h = h + math.ceil(caption_h / scale) + pad
            cols = int(max(1, min(n, (width + pad * scale) // (cell_w * scale))))
            rows = math.ceil(n / cols)
            if rows * cell_h * scale - pad * scale <= height:
                break
        self._build(scale, pad, cell_w, cell_h, cols, rows, h, w)
        content_w, content_h = (cols * cell_w - pad) * scale, (rows * cell_h - pad) * scale
        x0, y0 = (width - content_w) / 2, max(0.0, (height - content_h) / 2)
        self._image.setRect(QRectF(x0, y0, cols * cell_w * scale, rows * cell_h * scale))
        self._geometry = (x0, y0, cell_w * scale, cell_h * scale, w * scale, h * scale, cols, pad * scale)
        # too little room even at 1:1: show everything smaller rather than cut it off
        self._vb.setRange(xRange=(0, max(width, content_w)), yRange=(0, max(height, content_h + y0)), padding=0)
        self._place_texts()
        self._place_frame()

    def _build(self, scale: int, pad: int, cell_w: int, cell_h: int, cols: int, rows: int, h: int, w: int) -> None:
        mosaic = np.zeros((rows * cell_h, cols * cell_w, 4), dtype=np.uint8)  # transparent: the white page
        for i, tile in enumerate(self._tiles):
            row, col = divmod(i, cols)
            th, tw = tile.shape[:2]
            y = row * cell_h + (h - th) // 2
            x = col * cell_w + (cell_w - pad - tw) // 2
            mosaic[y : y + th, x : x + tw] = tile
        self._image.setImage(mosaic, autoLevels=False)

    def _place_texts(self) -> None:
        while len(self._texts) < len(self._captions):
            text = pg.TextItem("", color=TEXT_COLOR, anchor=(0.5, 0.0))
            text.setFont(self._font)
            text.textItem.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
            self._vb.addItem(text)
            self._texts.append(text)
        for i, item in enumerate(self._texts):
            shown = i < len(self._captions) and self._geometry is not None
            item.setVisible(shown)
            if not shown:
                continue
            width = self._caption_w + 2 * item.textItem.document().documentMargin()
            if item.textItem.textWidth() != width:
                item.textItem.setTextWidth(width)  # lines centred in a box as wide as the widest
            if item.toPlainText() != self._captions[i]:
                item.setText(self._captions[i])
            rect = self._tile_rect(i)
            item.setPos(rect.center().x(), rect.bottom() + 1)

    def _place_frame(self) -> None:
        i = self._highlighted
        if i is None or self._geometry is None or i >= len(self._tiles):
            self._frame.setVisible(False)
            return
        self._frame.setRect(self._tile_rect(i).adjusted(-2, -2, 2, 2))
        self._frame.setVisible(True)

    def _tile_rect(self, position: int) -> QRectF:
        """Where tile ``position`` (of the largest tile size) is drawn, in view (pixel) coordinates."""
        x0, y0, cell_w, cell_h, tile_w, tile_h, cols, pad = self._geometry
        row, col = divmod(position, cols)
        center_x = x0 + col * cell_w + (cell_w - pad) / 2
        return QRectF(center_x - tile_w / 2, y0 + row * cell_h, tile_w, tile_h)

    def _on_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._geometry is None:
            return
        point = self._vb.mapSceneToView(event.scenePos())
        x0, y0, cell_w, cell_h, _tile_w, _tile_h, cols, _pad = self._geometry
        col, row = math.floor((point.x() - x0) / cell_w), math.floor((point.y() - y0) / cell_h)
        position = row * cols + col
        if 0 <= col < cols and row >= 0 and position < len(self._tiles):
            self.tile_clicked.emit(position)
