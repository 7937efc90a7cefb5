"""Where a GAN's noise comes from: the latent distributions a preset can name in ``training.gan``.

- normal: a standard normal in every dimension (the usual choice).
- uniform: uniform on [-1, 1] in every dimension.
- mixture: an equal-weight mixture of ``mixture_components`` small Gaussian clusters (spread
  ``MIXTURE_SPREAD``) whose centres are drawn once from a standard normal, seeded by the preset.

Why the mixture: a generator is a continuous function, so a connected noise space can only reach separate
islands of data (the 25 Gaussians of gaussian-grid) by dragging a thin stream of samples across the gaps
between them; those samples are the "low quality" ones the mode-collapse literature counts. Noise made of
separate clusters lets each cluster land on its own island with nothing in between (Khayatkhoei et al.,
"Disconnected Manifold Learning for Generative Adversarial Networks", 2018; Gurumurthy et al., "DeLiGAN",
2017, learn the mixture; here it is fixed, so the generator is still the only thing trained).
"""

from __future__ import annotations

import numpy as np
import torch

from playground.core.tasks.task_options import LATENT_DISTRIBUTIONS

# Standard deviation of each cluster around its centre. Tight on purpose: two clusters that land on different
# islands force the generator to be steep between them, and that steepness stretches the clusters themselves
# (with 0.02, neighbouring centres 0.07 apart gave gaussian-grid streaks 0.1-0.3 long; 0.005 keeps them round).
MIXTURE_SPREAD = 0.005
MIXTURE_SEED = 31_337  # offset of the centres' stream from the preset's seed


class LatentNoise:
    """Draws noise of one distribution; the random stream always comes from the caller's generator, so a
    run's noise is part of its saved, resumable state (the mixture's centres follow from the seed)."""

    def __init__(self, distribution: str, size: int, *, components: int = 1, seed: int = 0) -> None:
        if distribution not in LATENT_DISTRIBUTIONS:
            raise KeyError(distribution)
        self.distribution, self.size = distribution, size
        self.centres = None
        if distribution == "mixture":
            stream = torch.Generator(device="cpu").manual_seed(seed + MIXTURE_SEED)
            self.centres = torch.randn(components, size, generator=stream)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """``n`` codes of length ``size`` (on the CPU)."""
        if self.distribution == "uniform":
            return torch.rand(n, self.size, generator=generator) * 2.0 - 1.0
        if self.distribution == "normal":
            return torch.randn(n, self.size, generator=generator)
        pick = torch.randint(len(self.centres), (n,), generator=generator)
        return self.centres[pick] + MIXTURE_SPREAD * torch.randn(n, self.size, generator=generator)

    def grid(self, lines: int) -> np.ndarray:
        """A square grid over the bulk of a 2-D latent distribution, (lines, lines, 2) float32: [-1, 1] for
        uniform noise, +-2 (two standard deviations of a normal, where the mixture's centres lie) otherwise."""
        half = 1.0 if self.distribution == "uniform" else 2.0
        ticks = np.linspace(-half, half, lines, dtype=np.float32)
        return np.stack(np.meshgrid(ticks, ticks), axis=-1)
