"""Colours for classes and decision surfaces, as NumPy arrays (usable off the GUI thread).

Two classes use TensorFlow Playground's diverging orange/blue through white; more classes blend
their class colours weighted by probability; regression uses a diverging map with a colour bar.
"""

from __future__ import annotations

import numpy as np

# One source for the data colours: the core's thumbnails draw with the same ones.
from playground.core.palette import BLUE, CLASS_COLORS, ORANGE, WHITE, diverging

__all__ = ["BLUE", "CLASS_COLORS", "ORANGE", "SURFACE_ALPHA", "WHITE", "class_color", "diverging", "regression_lut",
           "surface_image"]

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
