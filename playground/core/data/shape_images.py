"""The shapes dataset: simple figures drawn by the app itself, with the factors that made each one.

Every image is one white figure (square, circle, triangle, cross or ring) on black, at a random
scale, rotation and position, drawn with 2x2 supersampling so edges are smooth. The factors are
kept per image, so a VAE's latent traversals can be checked against the truth (e.g. "this latent
dimension is the x position"). Everything is deterministic from the seed.
"""

from __future__ import annotations

import numpy as np

SHAPES = ("square", "circle", "triangle", "cross", "ring")
SUPERSAMPLE = 2
_SQRT3 = np.sqrt(3.0)


def inside(shape: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Whether points (u, v) in the figure's own unit coordinates lie inside it (radius ~1)."""
    if shape == "square":
        return np.maximum(np.abs(u), np.abs(v)) <= 0.8
    if shape == "circle":
        return u * u + v * v <= 1.0
    if shape == "triangle":  # equilateral, corners on the unit circle, one pointing up
        return (v >= -0.5) & (_SQRT3 * u + v <= 1.0) & (-_SQRT3 * u + v <= 1.0)
    if shape == "cross":
        arm = 0.3
        return ((np.abs(u) <= arm) & (np.abs(v) <= 1.0)) | ((np.abs(v) <= arm) & (np.abs(u) <= 1.0))
    if shape == "ring":
        r2 = u * u + v * v
        return (r2 <= 1.0) & (r2 >= 0.55 ** 2)
    raise KeyError(shape)


def generate(n: int, size: int, shapes: list[str], rng: np.random.Generator, *, scale: tuple[float, float],
             rotation: float, position: float, noise: float) -> tuple[np.ndarray, np.ndarray, dict]:
    """``n`` images (n, 1, size, size) float32 in [0, 1], labels (index into ``shapes``) and factors.

    ``scale`` bounds the figure's radius as a fraction of half the canvas; ``rotation`` is the
    largest rotation in degrees either way; ``position`` in [0, 1] is how far from the centre the
    figure may move (1: anywhere it still fits); ``noise`` in [0, 0.5] adds Gaussian pixel noise.
    """
    labels = rng.integers(0, len(shapes), n)
    radius = rng.uniform(scale[0], scale[1], n)
    angle = rng.uniform(-rotation, rotation, n)
    room = np.clip(1.0 - radius, 0.0, None) * position  # centre offset that keeps the figure inside
    x = rng.uniform(-1.0, 1.0, n) * room
    y = rng.uniform(-1.0, 1.0, n) * room
    pixel_noise = rng.standard_normal((n, size, size)).astype(np.float32) * noise
    fine = size * SUPERSAMPLE
    grid = (np.arange(fine) + 0.5) / fine * 2.0 - 1.0  # canvas coordinates in [-1, 1]
    gx, gy = np.meshgrid(grid, -grid)  # y up, row 0 at the top of the image
    images = np.zeros((n, size, size), dtype=np.float32)
    for start in range(0, n, 256):
        sl = slice(start, min(start + 256, n))
        theta = np.deg2rad(angle[sl])[:, None, None]
        dx = gx[None] - x[sl, None, None]
        dy = gy[None] - y[sl, None, None]
        cos, sin = np.cos(theta), np.sin(theta)
        u = (cos * dx + sin * dy) / radius[sl, None, None]
        v = (-sin * dx + cos * dy) / radius[sl, None, None]
        fine_images = np.zeros((sl.stop - sl.start, fine, fine), dtype=np.float32)
        for k, shape in enumerate(shapes):
            rows = np.nonzero(labels[sl] == k)[0]
            if len(rows):
                fine_images[rows] = inside(shape, u[rows], v[rows])
        images[sl] = fine_images.reshape(-1, size, SUPERSAMPLE, size, SUPERSAMPLE).mean(axis=(2, 4))
    images = np.clip(images + pixel_noise, 0.0, 1.0)
    factors = {"shape": labels.astype(np.int64), "scale": radius.astype(np.float32),
               "rotation": angle.astype(np.float32), "x": x.astype(np.float32), "y": y.astype(np.float32)}
    return images[:, None], labels.astype(np.int64), factors
