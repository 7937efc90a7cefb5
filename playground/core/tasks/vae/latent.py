"""The latent-space API that the GUI's views and the CLI's pictures share.

Every method works in evaluation mode without gradients and returns NumPy arrays; images come back
as (N, C, H, W) float32 in [0, 1] display values (what a person sees), codes as (N, latent_size).
All of them are deterministic: same weights and arguments, same result (prior samples use their
own seeded generator, never the training's random streams).
"""

from __future__ import annotations

import numpy as np
import torch

from playground.core.tasks.vae.metrics import CHUNK, evaluation_mode

TRAVERSAL_VALUES = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


class LatentSpace:
    """traverse, interpolate, sample_prior, encode and decode for one trainer's current weights."""

    def __init__(self, trainer) -> None:
        self.trainer = trainer

    @property
    def size(self) -> int:
        return self.trainer.latent_size

    def _tensor(self, array) -> torch.Tensor:
        return torch.as_tensor(np.asarray(array, dtype=np.float32), device=self.trainer.device)

    def encode(self, images) -> np.ndarray:
        """Latent means (N, latent_size) of images given in the data's stored values (N, C, H, W)."""
        x = self._tensor(images)
        with evaluation_mode(self.trainer):
            means = [self.trainer.encoder.encode(x[i:i + CHUNK])[0] for i in range(0, len(x), CHUNK)]
        return torch.cat(means).cpu().numpy() if means else np.zeros((0, self.size), np.float32)

    def encode_full(self, images) -> tuple[np.ndarray, np.ndarray]:
        """(means, log-variances) of images, each (N, latent_size)."""
        x = self._tensor(images)
        with evaluation_mode(self.trainer):
            mean, log_var = self.trainer.encoder.encode(x)
        return mean.cpu().numpy(), log_var.cpu().numpy()

    def decode(self, codes) -> np.ndarray:
        """Expected images (N, C, H, W) in [0, 1] for latent codes (N, latent_size) or one code."""
        z = self._tensor(codes)
        if z.dim() == 1:
            z = z[None]
        if z.shape[1] != self.size:
            raise ValueError(f"a latent code has {self.size} values, got {z.shape[1]}")
        with evaluation_mode(self.trainer):
            images = self.trainer.decoded_means(z).cpu().numpy()
        return self.trainer.data.for_display(images).astype(np.float32)

    def traverse(self, dim: int, values=TRAVERSAL_VALUES, base=None) -> np.ndarray:
        """Images (len(values), C, H, W) of ``base`` (default: the prior's centre, all zeros) with
        latent dimension ``dim`` set to each of ``values`` in turn."""
        if not 0 <= dim < self.size:
            raise ValueError(f"latent dimension {dim} does not exist (0 to {self.size - 1})")
        codes = np.tile(np.zeros(self.size, np.float32) if base is None else np.asarray(base, np.float32),
                        (len(values), 1))
        codes[:, dim] = values
        return self.decode(codes)

    def traversal_grid(self, dims, values=TRAVERSAL_VALUES) -> np.ndarray:
        """(len(dims), len(values), C, H, W): one :meth:`traverse` row per dimension, decoded at once."""
        codes = np.zeros((len(dims), len(values), self.size), np.float32)
        for row, dim in enumerate(dims):
            codes[row, :, dim] = values
        images = self.decode(codes.reshape(-1, self.size))
        return images.reshape(len(dims), len(values), *images.shape[1:])

    def interpolate(self, a, b, n: int = 8) -> tuple[np.ndarray, np.ndarray]:
        """Decodings of ``n`` codes evenly spaced on the straight line from image ``a``'s latent mean
        to image ``b``'s (images in stored values, (C, H, W) each); returns (images, codes)."""
        if n < 2:
            raise ValueError("an interpolation needs at least 2 steps")
        ends = self.encode(np.stack([np.asarray(a), np.asarray(b)]))
        t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
        codes = (1 - t) * ends[0] + t * ends[1]
        return self.decode(codes), codes

    def sample_prior(self, n: int, seed: int = 0) -> np.ndarray:
        """Decodings of ``n`` codes drawn from the prior N(0, I) with their own generator (same seed,
        same codes)."""
        generator = torch.Generator(device="cpu").manual_seed(int(seed))
        codes = torch.randn(n, self.size, generator=generator)
        return self.decode(codes.numpy())
