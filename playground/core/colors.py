"""The app's colours as NumPy arrays: classes, values, decision surfaces, GAN real data.

One module for the core's pictures (preset and dataset thumbnails, decision surfaces made on the
training thread) and the Qt views, so the two cannot drift apart. Two classes are TensorFlow
Playground's orange and blue through white; more classes take the next colours of the list (a
surface blends them by probability); regression values run orange (low) - white - blue (high), with
a colour bar; GAN real data is GAN Lab's green.
"""

from __future__ import annotations

import numpy as np

ORANGE = np.array([245, 147, 34], dtype=np.float32)  # class 0 / negative
BLUE = np.array([8, 119, 189], dtype=np.float32)  # class 1 / positive
WHITE = np.array([255, 255, 255], dtype=np.float32)
CLASS_COLORS = np.array([
    [245, 147, 34], [8, 119, 189], [44, 160, 44], [214, 39, 40], [148, 103, 189],
    [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
], dtype=np.uint8)
REAL_COLOR = (27, 158, 119)  # GAN Lab's convention: green is real data (the GAN plane view's colour)
RIM_SHADE = 0.7  # point outlines: the point's colour, darkened (as the plots draw them)


def diverging(t: np.ndarray) -> np.ndarray:
    """t in [-1, 1] -> RGB float: orange at -1, white at 0, blue at +1."""
    t = np.clip(t, -1.0, 1.0)[..., None]
    return np.where(t < 0, WHITE + (ORANGE - WHITE) * (-t), WHITE + (BLUE - WHITE) * t)


def class_colors(labels: np.ndarray) -> np.ndarray:
    """(N,) class indices -> (N, 3) uint8 colours."""
    return CLASS_COLORS[np.asarray(labels).astype(np.int64).ravel() % len(CLASS_COLORS)]


def value_colors(values: np.ndarray, gamma: float = 1.0) -> np.ndarray:
    """(N,) regression targets -> (N, 3) uint8 colours, scaled so the largest magnitude is full strength.
    ``gamma`` < 1 strengthens middling values (a small picture needs it: most points are pale)."""
    values = np.nan_to_num(np.asarray(values, dtype=np.float64).ravel())
    scale = float(np.abs(values).max()) if values.size else 0.0
    t = values / (scale or 1.0)
    return np.clip(diverging(np.sign(t) * np.abs(t) ** gamma), 0, 255).astype(np.uint8)


SURFACE_ALPHA = 0.55  # how far the surface colour is pulled towards white, so points stay readable


def class_color(index: int, n_classes: int) -> tuple[int, int, int]:
    """The colour of class ``index`` (two-class problems use orange and blue)."""
    return tuple(int(c) for c in CLASS_COLORS[index % len(CLASS_COLORS)])


def surface_image(probabilities: np.ndarray) -> np.ndarray:
    """(n, n, k) class probabilities -> (n, n, 4) RGBA uint8, C-contiguous, ready for an ImageItem."""
    k = probabilities.shape[-1]
    if k == 2:
        rgb = diverging(probabilities[..., 1] - probabilities[..., 0])
    else:
        rgb = probabilities @ CLASS_COLORS[:k].astype(np.float32)
    rgb = WHITE + (rgb - WHITE) * SURFACE_ALPHA
    rgba = np.empty(probabilities.shape[:2] + (4,), dtype=np.uint8)
    rgba[..., :3] = np.clip(rgb, 0, 255)
    rgba[..., 3] = 255
    return np.ascontiguousarray(rgba)


def regression_lut(n: int = 256) -> np.ndarray:
    """A (n, 4) uint8 lookup table for regression surfaces: orange (low) - white - blue (high)."""
    rgb = diverging(np.linspace(-1.0, 1.0, n))
    rgb = WHITE + (rgb - WHITE) * SURFACE_ALPHA
    lut = np.empty((n, 4), dtype=np.uint8)
    lut[:, :3] = np.clip(rgb, 0, 255)
    lut[:, 3] = 255
    return lut
