"""Small pictures of data, as RGBA arrays: what the preset gallery and the Data panel's tiles show.

A thumbnail draws the data itself, in the plots' colours (:mod:`playground.core.colors`): 2-D points
coloured by class or by target value (all filled: at this size the preview's hollow test points
only add noise), a GAN's real points in GAN Lab's green, a mosaic of images (for classification one
of each class in turn, so "digits" reads 0, 1, 2, ...; for GANs and VAEs, which ignore labels, a
random draw), and for data that is not a plane (a worked example's
few rows of numbers) a diagram of the network instead. Pure NumPy and no torch, so the GUI can
compute thumbnails on a worker thread without slowing the window's start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from playground.core.colors import REAL_COLOR, RIM_SHADE, class_colors, value_colors
from playground.core.data.registry import DATASETS, make_dataset
from playground.core.raster import Canvas, tile_mosaic

DEFAULT_SIZE = 96  # px: a gallery card's picture
MAX_POINTS = 1200  # more points only blacken a thumbnail; a fixed random subset is drawn
RENDER_VERSION = 1  # bump when pictures change, so cached thumbnails are redrawn
NODE_FILL = (250, 250, 250)
NODE_RIM = (90, 90, 90)
LINK_COLOR = (165, 165, 165)
REGRESSION_GAMMA = 0.5  # targets near zero would be near white: too pale for a thumbnail
MODE_RING = (40, 40, 40)  # the GAN plane view's mode markers
WHITE_RGB = (255, 255, 255)


def point_radius(size: int) -> float:
    """Points grow with the picture but stay dots: 1 px on a 32 px tile, 2.2 px on a 96 px card."""
    return max(1.0, size * 0.023)


def point_limit(size: int) -> int:
    """How many points a picture of ``size`` px shows: a small tile gets fewer, so shapes stay clear."""
    return int(min(MAX_POINTS, max(100, size * size // 4)))


def points_picture(points: np.ndarray, colors: np.ndarray, extent: Sequence[float],
                   size: int = DEFAULT_SIZE, modes: np.ndarray | None = None) -> np.ndarray:
    """2-D points (N, 2) with their (N, 3) colours, framed by ``extent`` (xmin, xmax, ymin, ymax),
    aspect kept, y up; each point has a darker rim of its colour, as in the plots. ``modes`` (a
    Gaussian mixture's centres) are ringed in dark grey beneath the points, as the GAN view rings them."""
    canvas = Canvas(size)
    radius = point_radius(size)
    pad = radius + 1.0
    xmin, xmax, ymin, ymax = (float(v) for v in extent)
    span = max(xmax - xmin, ymax - ymin, 1e-9)
    scale = (size - 2 * pad) / span
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0

    def to_pixels(xy: np.ndarray) -> np.ndarray:
        return np.stack([size / 2.0 + (xy[:, 0] - cx) * scale, size / 2.0 - (xy[:, 1] - cy) * scale], axis=1)

    if modes is not None and len(modes):
        canvas.discs(to_pixels(np.asarray(modes, dtype=np.float64).reshape(-1, 2)), size * 0.055,
                     np.array(WHITE_RGB, dtype=np.float32), np.array(MODE_RING, dtype=np.float32),
                     rim_width=max(0.8, size / 110))
    points, colors = _subset(np.asarray(points, dtype=np.float64).reshape(-1, 2), colors, point_limit(size))
    colors = np.asarray(colors, dtype=np.float32).reshape(-1, 3)
    canvas.discs(to_pixels(points), radius, colors, colors * RIM_SHADE, rim_width=radius * 0.3)
    return canvas.rgba()


def images_picture(images: np.ndarray, labels: np.ndarray | None, size: int = DEFAULT_SIZE) -> np.ndarray:
    """A square mosaic of images ((N, H, W) grey or (N, H, W, 3), values in [0, 1]), as many as fit
    with each image at least twice its size (2 x 2 to 4 x 4): one of each class in turn when
    ``labels`` are given, else a random draw (seeded: the same picture every time)."""
    images = np.asarray(images)
    height = images.shape[1] if images.ndim >= 3 else 8
    columns = int(min(4, max(2, size // (2 * height))))
    if labels is None:
        order = list(np.random.default_rng(0).permutation(len(images))[:columns * columns])
    else:
        order = _one_of_each(labels, len(images), columns * columns)
    gap = max(1, round(size / 48))
    return tile_mosaic([images[i] for i in order], size, columns, gap)


def network_picture(widths: Sequence[int], size: int = DEFAULT_SIZE) -> np.ndarray:
    """Layers of units (inputs first) joined by every link: a worked example's network at a glance.
    Columns show at most 8 units."""
    widths = [max(1, min(8, int(w))) for w in widths] or [1]
    canvas = Canvas(size)
    radius = size * 0.065
    margin = radius + size * 0.08
    xs = np.linspace(margin, size - margin, len(widths)) if len(widths) > 1 else np.array([size / 2.0])
    column_units = []
    for x, count in zip(xs, widths, strict=True):
        spacing = min((size - 2 * margin) / max(count - 1, 1), radius * 3.2)
        ys = size / 2.0 + (np.arange(count) - (count - 1) / 2.0) * spacing
        column_units.append([(float(x), float(y)) for y in ys])
    for left, right in zip(column_units, column_units[1:], strict=False):
        for start in left:
            for end in right:
                canvas.line(start, end, max(1.0, size / 80), LINK_COLOR)
    nodes = np.array([unit for column in column_units for unit in column])
    canvas.discs(nodes, radius, np.array(NODE_FILL, dtype=np.float32), np.array(NODE_RIM, dtype=np.float32),
                 rim_width=max(1.0, radius * 0.22))
    return canvas.rgba()


def data_picture(data, size: int = DEFAULT_SIZE, *, by_class: bool = True) -> np.ndarray | None:
    """The picture of a built dataset (points, distribution or images); None for rows that are not a
    plane (a table wider or narrower than two columns). ``by_class=False``: images are drawn at
    random rather than one per class (for tasks that do not use the labels)."""
    display = getattr(data, "for_display", None) or getattr(data, "to_pixels", None)
    if display is not None:  # ImageData, or a GAN's images
        x = np.asarray(display(data.x_train[: 64 * max(1, data.n_classes)]))
        x = x[:, 0] if x.shape[1] == 1 else np.moveaxis(x[:, :3], 1, -1)
        return images_picture(x, data.y_train[: len(x)] if by_class else None, size)
    points = np.concatenate([np.asarray(data.points_train), np.asarray(data.points_test)])
    if points.ndim != 2 or points.shape[1] != 2:
        return None
    if data.kind == "distribution":
        colors = np.tile(np.array(REAL_COLOR, dtype=np.uint8), (len(points), 1))
        return points_picture(points, colors, data.extent, size, modes=getattr(data, "modes", None))
    targets = np.concatenate([np.ravel(data.y_train), np.ravel(data.y_test)])
    colors = value_colors(targets, REGRESSION_GAMMA) if data.kind == "regression" else class_colors(targets)
    return points_picture(points, colors, data.extent, size)


def drawable_datasets(kinds: Sequence[str] | None = None) -> list[str]:
    """Names of the datasets the app generates from their settings alone (not from a file or from
    rows written in a preset), optionally only those of some kinds: the ones with a tile."""
    return [d.name for d in DATASETS.values()
            if d.name != "inline" and "path" not in {p.name for p in d.params} and (kinds is None or d.kind in kinds)]


def dataset_thumbnail(name: str, size: int = DEFAULT_SIZE, *, seed: int = 1) -> np.ndarray:
    """The picture of a generated dataset with its default settings (the Data panel's tiles).
    Raises KeyError for a name not in :func:`drawable_datasets`."""
    if name not in drawable_datasets():
        raise KeyError(name)
    dtype = DATASETS[name]
    picture = data_picture(make_dataset({"name": name, **dtype.defaults()}, seed=seed, kind=dtype.kind), size)
    return picture if picture is not None else network_picture([2, 1], size)


def _subset(points: np.ndarray, colors: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    if len(points) <= limit:
        return points, np.asarray(colors)
    keep = np.sort(np.random.default_rng(0).choice(len(points), limit, replace=False))
    return points[keep], np.asarray(colors)[keep]


def _one_of_each(labels: np.ndarray | None, count: int, wanted: int) -> list[int]:
    """Indices taking each class in turn (first image of class 0, of class 1, ...), ``wanted`` of them."""
    if labels is None or count == 0:
        return list(range(min(count, wanted)))
    labels = np.asarray(labels).ravel()[:count]
    queues = [list(np.nonzero(labels == c)[0]) for c in np.unique(labels)]
    order: list[int] = []
    for round_ in range(math.ceil(wanted / max(len(queues), 1)) + 1):
        for queue in queues:
            if round_ < len(queue) and len(order) < wanted:
                order.append(int(queue[round_]))
    return order
