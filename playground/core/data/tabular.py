"""A built dataset of points (features per row): what 2-D classification, regression and GAN
distributions hand to the trainer and to the views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.core.data.split_sizes import SplitSizes


@dataclass
class TabularData(SplitSizes):
    """A built dataset, split and transformed, ready for training and for the 2-D views."""

    name: str
    kind: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    points_train: np.ndarray
    points_test: np.ndarray
    feature_names: list[str]
    class_names: list[str]
    extent: tuple[float, float, float, float]
    transform: Callable[[np.ndarray], np.ndarray]

    @property
    def n_inputs(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def input_shape(self) -> tuple[int]:
        """Per-sample network input shape (the same question ImageData answers with (C, H, W))."""
        return (self.n_inputs,)

    @property
    def n_classes(self) -> int:
        return len(self.class_names) if self.kind == "classification" else 0

