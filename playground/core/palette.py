"""The app's data colours as NumPy arrays, shared by the engine's thumbnails and the Qt views.

They live in the core so that pictures the core renders (preset and dataset thumbnails) use exactly
the colours the plots use; ``playground.gui.colors`` re-exports them, so the two cannot drift apart.
Two classes are TensorFlow Playground's orange and blue; more classes take the next colours of the
list; regression values run orange (low) - white - blue (high); GAN real data is GAN Lab's green.
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
