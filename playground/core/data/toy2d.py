"""Generators for the 2-D toy datasets, following TensorFlow Playground's rules.

Every generator takes ``(n, noise, rng)`` where ``noise`` is a fraction (0..0.5, the preset's
percent / 100) and ``rng`` is a ``numpy.random.Generator``, and returns ``(points, labels)``:
``points`` float64 (n, 2) in roughly [-6, 6]^2 and ``labels`` either class labels (+1/-1 for the
two-class sets, 0..k-1 for multi-class) or float regression targets.

Random numbers are always drawn in the same order and then multiplied by ``noise``, so with one
seed changing only the noise changes only what noise is meant to change (for label-noise sets the
points stay put and just some labels flip). That makes the effect of the slider easy to see.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Generator = Callable[..., tuple[np.ndarray, np.ndarray]]

TWO_PI = 2.0 * np.pi
CIRCLE_RADIUS = 5.0  # TF Playground's "radius": inner disc < 2.5, outer ring 3.5..5
REGRESSION_RADIUS = 6.0
GAUSSIANS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0),
             (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))


def _halves(n: int) -> tuple[int, int]:
    """Sizes of the positive and negative halves; the positive one takes an odd point."""
    return n - n // 2, n // 2


def _balanced(n: int, k: int) -> list[int]:
    """Split n points over k classes as evenly as possible (sizes differ by at most one)."""
    return [n // k + (1 if j < n % k else 0) for j in range(k)]


def _spread(noise: float) -> float:
    """Cluster std for gauss/blobs: TF Playground's variance 0.5 at noise 0 rising to 4 at 50%."""
    return float(np.sqrt(0.5 + 7.0 * noise))


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A disc (label 1) inside a ring (label -1); noise jitters the point used for the label."""
    parts, labels = [], []
    for count, (r_lo, r_hi) in zip(_halves(n), ((0.0, 0.5), (0.7, 1.0)), strict=True):
        r = rng.uniform(r_lo * CIRCLE_RADIUS, r_hi * CIRCLE_RADIUS, count)
        angle = rng.uniform(0.0, TWO_PI, count)
        jitter = rng.uniform(-CIRCLE_RADIUS, CIRCLE_RADIUS, (count, 2)) * noise
        p = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        inside = np.hypot(*(p + jitter).T) < CIRCLE_RADIUS * 0.5
        parts.append(p)
        labels.append(np.where(inside, 1, -1))
    return np.concatenate(parts), np.concatenate(labels)


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Quadrants: label 1 where x*y >= 0. Points keep 0.3 off the axes; noise flips labels there."""
    p = rng.uniform(-5.0, 5.0, (n, 2))
    p += np.where(p > 0, 0.3, -0.3)
    jitter = rng.uniform(-5.0, 5.0, (n, 2)) * noise
    q = p + jitter
    return p, np.where(q[:, 0] * q[:, 1] >= 0, 1, -1)


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clusters at (2, 2) (label 1) and (-2, -2) (label -1); noise widens them."""
    parts, labels = [], []
    for count, centre, label in zip(_halves(n), (2.0, -2.0), (1, -1), strict=True):
        parts.append(centre + _spread(noise) * rng.standard_normal((count, 2)))
        labels.append(np.full(count, label))
    return np.concatenate(parts), np.concatenate(labels)


def _arm(count: int, delta_t: float, noise: float, rng: np.random.Generator) -> np.ndarray:
    """One spiral arm: radius grows linearly to 5 over 1.75 turns, jittered by U(-1, 1) * noise."""
    i = np.arange(count) / count
    r = i * 5.0
    t = 1.75 * i * TWO_PI + delta_t
    p = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return p + rng.uniform(-1.0, 1.0, (count, 2)) * noise


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms (labels 1 and -1); noise moves points off their arm."""
    counts = _halves(n)
    parts = [_arm(counts[0], 0.0, noise, rng), _arm(counts[1], np.pi, noise, rng)]
    return np.concatenate(parts), np.concatenate([np.full(counts[0], 1), np.full(counts[1], -1)])


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's make_moons), scaled to fill about [-5, 5].

    Angles are drawn at random rather than evenly spaced so different seeds give different points.
    Noise is Gaussian position spread: std 2 * noise in plot units (1.0 at 50%).
    """
    n_out, n_in = _halves(n)
    a_out = rng.uniform(0.0, np.pi, n_out)
    a_in = rng.uniform(0.0, np.pi, n_in)
    outer = np.stack([np.cos(a_out), np.sin(a_out)], axis=1)
    inner = np.stack([1.0 - np.cos(a_in), 0.5 - np.sin(a_in)], axis=1)
    p = (np.concatenate([outer, inner]) - (0.5, 0.25)) * 3.3
    p += rng.standard_normal((n, 2)) * (2.0 * noise)
    return p, np.concatenate([np.full(n_out, 1), np.full(n_in, -1)])


def multiclass_spiral(n: int, noise: float, rng: np.random.Generator, classes: int = 3
                      ) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms offset by a full turn / classes, labels 0..classes-1."""
    counts = _balanced(n, classes)
    parts = [_arm(c, TWO_PI * k / classes, noise, rng) for k, c in enumerate(counts)]
    return np.concatenate(parts), np.repeat(np.arange(classes), counts)


def blobs(n: int, noise: float, rng: np.random.Generator, classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` Gaussian clusters evenly spaced on a circle of radius 3.5 (first one at the top)."""
    counts = _balanced(n, classes)
    angles = np.pi / 2 + TWO_PI * np.arange(classes) / classes
    centres = 3.5 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    parts = [centres[k] + _spread(noise) * rng.standard_normal((c, 2)) for k, c in enumerate(counts)]
    return np.concatenate(parts), np.repeat(np.arange(classes), counts)


def _regression_inputs(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points on [-6, 6]^2 and the nudged copies their targets are computed from."""
    p = rng.uniform(-REGRESSION_RADIUS, REGRESSION_RADIUS, (n, 2))
    jitter = rng.uniform(-REGRESSION_RADIUS, REGRESSION_RADIUS, (n, 2)) * noise
    return p, p + jitter


def regression_plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Target (x + y) / 12, a tilted plane in [-1, 1]; noise computes it at a nudged point."""
    p, q = _regression_inputs(n, noise, rng)
    return p, (q[:, 0] + q[:, 1]) / (2.0 * REGRESSION_RADIUS)


def regression_gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Six bumps of alternating sign (TF Playground's layout), summed and clipped to [-1, 1]."""
    p, q = _regression_inputs(n, noise, rng)
    target = np.zeros(n)
    for cx, cy, sign in GAUSSIANS:
        target += sign * np.exp(-((q[:, 0] - cx) ** 2 + (q[:, 1] - cy) ** 2) / 2.0)
    return p, np.clip(target, -1.0, 1.0)


GENERATORS: dict[str, Generator] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "moons": moons,
    "multiclass-spiral": multiclass_spiral,
    "blobs": blobs,
    "regression-plane": regression_plane,
    "regression-gauss": regression_gauss,
}
