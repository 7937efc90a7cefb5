"""The sizes every built dataset reports, from its ``x_train`` and ``x_test`` arrays."""

from __future__ import annotations


class SplitSizes:
    """Mixed into the dataset classes (points, images, a GAN's images): trainers size batches and
    epochs from these, views print them."""

    x_train: object
    x_test: object

    @property
    def n_train(self) -> int:
        return int(len(self.x_train))

    @property
    def n_test(self) -> int:
        return int(len(self.x_test))
