"""Input features: what the network actually sees for each raw 2-D point.

TensorFlow Playground lets students feed a network more than the raw coordinates (squares, a
product, sines) to show that a good representation can replace depth. The same transform has to be
applied to the training points, the test points and every grid point a view draws a decision
boundary over, so it lives in one picklable object, :class:`FeatureTransform`, whose
standardisation statistics are fitted once on the training split and then frozen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

FEATURE_NAMES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")

_FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] ** 2,
    "x2^2": lambda p: p[:, 1] ** 2,
    "x1*x2": lambda p: p[:, 0] * p[:, 1],
    "sin_x1": lambda p: np.sin(p[:, 0]),
    "sin_x2": lambda p: np.sin(p[:, 1]),
}

# Columns a feature reads; "x1" alone works on 1-column data, everything else needs two.
_NEEDS_COLUMNS = {name: (1 if name in ("x1", "x1^2", "sin_x1") else 2) for name in FEATURE_NAMES}


def columns_needed(names: Sequence[str]) -> int:
    """How many raw columns the listed features read (so callers can reject too-narrow data)."""
    return max((_NEEDS_COLUMNS[n] for n in names), default=0)


def compute_features(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The feature columns, in the order given, as float64 (m, len(names)).

    Raises ValueError for an unknown name or points with too few columns: both are programming
    errors here, because presets are validated before data is built.
    """
    p = np.asarray(points, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"points must be a 2-D array (m, d), got shape {p.shape}")
    unknown = [n for n in names if n not in _FEATURES]
    if unknown:
        raise ValueError(f"unknown features {unknown}; expected names from {FEATURE_NAMES}")
    if p.shape[1] < columns_needed(names):
        raise ValueError(f"features {list(names)} need 2-D points, got {p.shape[1]} column(s)")
    if not names:
        return np.zeros((p.shape[0], 0))
    return np.stack([_FEATURES[n](p) for n in names], axis=1)


@dataclass(frozen=True, eq=False)
class FeatureTransform:
    """Raw points (m, d) -> network inputs (m, n_inputs) float32.

    ``names`` lists the features to compute; ``None`` passes the raw columns through unchanged
    (inline data, whose inputs are already what the author wants the network to see). ``mean`` and
    ``std`` are the training-split statistics when standardising, else ``None``. A frozen
    dataclass rather than a closure so it can be pickled to a worker process and inspected.
    """

    names: tuple[str, ...] | None
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def raw(self, points: np.ndarray) -> np.ndarray:
        """Feature columns before standardisation, float64."""
        if self.names is None:
            p = np.asarray(points, dtype=np.float64)
            return p.reshape(len(p), -1) if p.ndim != 2 else p
        return compute_features(points, self.names)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        f = self.raw(points)
        if self.mean is not None and self.std is not None:
            f = (f - self.mean) / self.std
        return f.astype(np.float32)


def fit_transform(
    names: Sequence[str] | None, train_points: np.ndarray, standardize: bool
) -> FeatureTransform:
    """Build the transform for a dataset, fitting standardisation on the training points only.

    Using train statistics for test and grid points mirrors how a real model is deployed: the test
    set must not leak into preprocessing. A constant column keeps std 1 instead of dividing by 0.
    """
    plain = FeatureTransform(tuple(names) if names is not None else None)
    if not standardize:
        return plain
    f = plain.raw(train_points)
    mean = f.mean(axis=0)
    std = f.std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)
    return FeatureTransform(plain.names, mean, std)
