"""A tiny NumPy rasteriser for thumbnails: antialiased discs (points, nodes, thick lines) and image tiles.

Thumbnails are drawn off the GUI thread and in the engine (which never imports Qt), so there is no
QPainter here. Discs are drawn hard-edged on a canvas SUPERSAMPLE times larger and averaged down,
which antialiases them; later discs cover earlier ones, as in a plot. Everything is vectorised, so a
thousand points take a few milliseconds.
"""

from __future__ import annotations

import numpy as np

SUPERSAMPLE = 3
WHITE = (255, 255, 255)


class Canvas:
    """A square RGB picture of ``size`` pixels, drawn at SUPERSAMPLE x resolution; coordinates are
    output pixels, x to the right and y down."""

    def __init__(self, size: int, background: tuple[int, int, int] = WHITE) -> None:
        self.size = int(size)
        self._n = self.size * SUPERSAMPLE
        self._rgb = np.empty((self._n * self._n, 3), dtype=np.float32)
        self._rgb[:] = background

    def discs(self, centres: np.ndarray, radius: float | np.ndarray, fill: np.ndarray,
              rim: np.ndarray | None = None, rim_width: float = 0.0) -> None:
        """Discs at ``centres`` (N, 2) with per-disc ``fill`` (N, 3) colours and, when given, a ring of
        ``rim`` colours ``rim_width`` pixels wide at their edge. Disc i is drawn over discs before it."""
        centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2) * SUPERSAMPLE
        count = len(centres)
        if count == 0:
            return
        radii = np.broadcast_to(np.asarray(radius, dtype=np.float64) * SUPERSAMPLE, (count,))
        fill = np.broadcast_to(np.asarray(fill, dtype=np.float32).reshape(-1, 3), (count, 3))
        rim = fill if rim is None else np.broadcast_to(np.asarray(rim, dtype=np.float32).reshape(-1, 3), (count, 3))
        reach = int(np.ceil(radii.max()))
        oy, ox = np.mgrid[-reach:reach + 1, -reach:reach + 1]
        base = np.floor(centres).astype(np.int64)
        px = base[:, 0:1] + ox.ravel()[None, :]
        py = base[:, 1:2] + oy.ravel()[None, :]
        d2 = (px + 0.5 - centres[:, 0:1]) ** 2 + (py + 0.5 - centres[:, 1:2]) ** 2
        inside = (d2 <= radii[:, None] ** 2) & (px >= 0) & (py >= 0) & (px < self._n) & (py < self._n)
        flat = (py * self._n + px)[inside]
        owner = np.broadcast_to(np.arange(count)[:, None], px.shape)[inside]
        winner = np.full(self._n * self._n, -1, dtype=np.int64)
        np.maximum.at(winner, flat, owner)  # the last disc drawn at a pixel owns it
        pixels = np.nonzero(winner >= 0)[0]
        who = winner[pixels]
        dx = pixels % self._n + 0.5 - centres[who, 0]
        dy = pixels // self._n + 0.5 - centres[who, 1]
        inner = np.hypot(dx, dy) <= radii[who] - rim_width * SUPERSAMPLE
        self._rgb[pixels] = np.where(inner[:, None], fill[who], rim[who])

    def line(self, start: tuple[float, float], end: tuple[float, float], width: float,
             color: tuple[int, int, int]) -> None:
        """A round-capped segment, as discs a quarter pixel apart."""
        start_arr, end_arr = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
        steps = max(2, int(np.ceil(np.hypot(*(end_arr - start_arr)) * 4)))
        t = np.linspace(0.0, 1.0, steps)[:, None]
        self.discs(start_arr + (end_arr - start_arr) * t, width / 2.0, np.array(color, dtype=np.float32))

    def rgba(self) -> np.ndarray:
        """The picture as (size, size, 4) uint8, opaque, C-contiguous."""
        s, n = SUPERSAMPLE, self.size
        rgb = self._rgb.reshape(n, s, n, s, 3).mean(axis=(1, 3))
        out = np.empty((n, n, 4), dtype=np.uint8)
        out[..., :3] = np.clip(np.round(rgb), 0, 255)
        out[..., 3] = 255
        return out


def tile_mosaic(tiles: list[np.ndarray], size: int, columns: int, gap: int,
                background: tuple[int, int, int] = WHITE) -> np.ndarray:
    """Images ((H, W) grey or (H, W, 3) colour, values in [0, 1]) in a ``columns`` x ``columns`` grid
    filling a square of ``size`` pixels, each scaled by nearest neighbour (crisp pixels, as the image
    views draw them), centred, ``gap`` pixels apart. Returns (size, size, 4) uint8."""
    out = np.empty((size, size, 4), dtype=np.uint8)
    out[..., :3] = background
    out[..., 3] = 255
    cell = (size - gap * (columns - 1)) // columns
    if cell < 1 or not tiles:
        return out
    offset = (size - (cell * columns + gap * (columns - 1))) // 2
    for index, tile in enumerate(tiles[:columns * columns]):
        tile = np.asarray(tile, dtype=np.float32)
        if tile.ndim == 2:
            tile = np.repeat(tile[..., None], 3, axis=2)
        rows = np.arange(cell) * tile.shape[0] // cell
        cols = np.arange(cell) * tile.shape[1] // cell
        scaled = np.clip(np.round(tile[rows][:, cols, :3] * 255), 0, 255).astype(np.uint8)
        top = offset + (index // columns) * (cell + gap)
        left = offset + (index % columns) * (cell + gap)
        out[top:top + cell, left:left + cell, :3] = scaled
    return out
