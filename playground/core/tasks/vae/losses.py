"""The terms of a VAE's loss (the negative ELBO), per sample and summed over pixels or latent dimensions.

Reconstruction is the negative log-likelihood of the image under the decoder's output:

- ``bernoulli``: binary cross-entropy. The decoder's raw output is read as *logits* and the loss is
  computed with ``binary_cross_entropy_with_logits`` (numerically stable). A decoder whose last layer
  is Sigmoid is handled by :mod:`model`, which hands us the values *before* that Sigmoid, so both kinds
  of decoder are scored identically and correctly. Targets must lie in [0, 1].
- ``gaussian``: the squared error, i.e. the negative log-likelihood of a Gaussian with variance 1/2
  around the decoder's output (the pixel means), up to a constant. A unit variance would halve it and
  let the KL term win too easily on images in [0, 1].

KL is that of the diagonal Gaussian posterior N(mu, exp(log_var)) from the standard normal prior,
in closed form: 0.5 * (mu^2 + exp(log_var) - 1 - log_var) per dimension, in nats.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

ACTIVE_KL = 0.01  # nats: a latent dimension whose average KL is above this carries information


def kl_per_dimension(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """(N, D) KL divergence of each sample's posterior from N(0, 1), per latent dimension."""
    return 0.5 * (mean.pow(2) + log_var.exp() - 1.0 - log_var)


def reconstruction_per_sample(output: torch.Tensor, target: torch.Tensor, kind: str) -> torch.Tensor:
    """(N,) negative log-likelihood of each target image, summed over its pixels.

    ``output`` is the decoder's output *before* any final Sigmoid (logits) for ``bernoulli``, and
    the decoder's output itself (pixel means) for ``gaussian``."""
    if kind == "bernoulli":
        loss = F.binary_cross_entropy_with_logits(output, target, reduction="none")
    elif kind == "gaussian":
        loss = (output - target).pow(2)
    else:
        raise ValueError(f"unknown reconstruction {kind!r}; expected bernoulli or gaussian")
    return loss.flatten(1).sum(dim=1)


def beta_at(beta: float, warmup: int, step: int) -> float:
    """The KL weight used at optimisation step ``step`` (0-based): rises linearly from beta/warmup to
    beta over the first ``warmup`` steps (0: beta from the start)."""
    if warmup <= 0:
        return float(beta)
    return float(beta) * min(1.0, (step + 1) / warmup)


def active_units(kl_dims: torch.Tensor | list[float], threshold: float = ACTIVE_KL) -> int:
    """How many latent dimensions carry information: average KL above ``threshold`` nats."""
    values = torch.as_tensor(kl_dims)
    return int((values > threshold).sum().item())
