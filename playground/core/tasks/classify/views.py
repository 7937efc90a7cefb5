"""NumPy snapshots of what a trained network does, for views to draw (no Qt here).

A view never touches tensors: the worker thread calls these and hands the arrays over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class DecisionGrid:
    """The network's output over a regular grid covering the data.

    ``values`` is (n, n, k) class probabilities for classification or (n, n) predicted values for
    regression; row 0 is the bottom edge (y = ymin), column 0 the left edge (x = xmin).
    """

    values: np.ndarray
    extent: tuple[float, float, float, float]  # xmin, xmax, ymin, ymax
    classification: bool


def grid_points(extent: tuple[float, float, float, float], n: int) -> np.ndarray:
    """(n*n, 2) cell centres, row-major from the bottom-left corner."""
    xmin, xmax, ymin, ymax = extent
    xs = xmin + (np.arange(n) + 0.5) * (xmax - xmin) / n
    ys = ymin + (np.arange(n) + 0.5) * (ymax - ymin) / n
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def decision_grid(task, n: int = 100) -> DecisionGrid | None:
    """Evaluate the task's network over an n x n grid of the data's extent (2-D data only)."""
    data = task.data
    points = getattr(data, "points_train", None)
    if points is None or points.shape[1] != 2:
        return None
    out = task.predict_points(grid_points(data.extent, n))
    classification = task.scoring.classification
    values = out.reshape(n, n, -1) if classification else out.reshape(n, n)
    return DecisionGrid(values.astype(np.float32), tuple(data.extent), classification)
