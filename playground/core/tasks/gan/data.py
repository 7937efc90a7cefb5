"""What a GAN trains on: the real samples of a 2-D distribution or of an image dataset, labels unused.

Image datasets are wrapped in :class:`GanImages` rather than passed on as ImageData: it holds only what
a GAN uses (no augmentation, no generating factors), and views that key on ImageData's ``for_display``
(the classifier's image views, the sample gallery) leave it alone. The labels are kept only for the
image metric, which asks which digit a sample resembles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.core.data import make_dataset
from playground.core.data.distributions import NAMES as DISTRIBUTION_NAMES
from playground.core.data.images import ImageArrays
from playground.core.data.importers import DatasetError


@dataclass
class GanImages(ImageArrays):
    """Real images (N, C, H, W) float32 as stored, with how to show them as [0, 1] pixels."""

    kind: str = "image"
    extent: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)  # unused: there is no plane
    modes: None = None

    def __post_init__(self) -> None:
        self.points_train = np.empty((0, 2), dtype=np.float32)
        self.points_test = np.empty((0, 2), dtype=np.float32)

    def to_pixels(self, images: np.ndarray) -> np.ndarray:
        """Stored (or generated) values back to [0, 1] pixels."""
        return self.pixels(images)


def make_gan_data(dataset: dict, *, seed: int, base_dir: Path | None):
    """The real samples named by a validated dataset section (DatasetError explains any problem)."""
    name = dataset["name"]
    if name in DISTRIBUTION_NAMES:
        return make_dataset(dataset, seed=seed, kind="distribution", base_dir=base_dir)
    if name in ("csv", "inline"):
        raise DatasetError(f"dataset {name!r}: a GAN learns 2-D points from the 'points-csv' dataset "
                           "(a CSV file of x1, x2 lines) or from the built-in distributions")
    images = make_dataset(dataset, seed=seed, kind="image", base_dir=base_dir)
    return GanImages(name=images.name, x_train=images.x_train, y_train=images.y_train, x_test=images.x_test,
                     y_test=images.y_test, class_names=list(images.class_names), mean=images.mean, std=images.std)
