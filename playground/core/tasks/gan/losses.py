"""The games a generator and a discriminator can play: each loss as a pair of plain functions.

Every function takes the discriminator's raw scores (one per sample, shape (N,)) and returns a scalar
tensor. ``d_loss`` is what the discriminator minimises, ``g_loss`` what the generator minimises.

- non_saturating: the original GAN. D minimises binary cross-entropy (real -> 1, generated -> 0) on
  sigmoid(score); G minimises -log sigmoid(score of its samples), which keeps a strong gradient while
  D still wins easily (Goodfellow et al. 2014).
- least_squares: LSGAN. D minimises 0.5 (s_real - 1)^2 + 0.5 s_fake^2; G minimises 0.5 (s_fake - 1)^2.
- hinge: D minimises relu(1 - s_real) + relu(1 + s_fake); G minimises -s_fake.
- wgan_gp: Wasserstein critic. D minimises s_fake - s_real plus gp_weight times the gradient penalty
  (||grad D(x_hat)|| - 1)^2 on random mixes x_hat of real and generated samples; G minimises -s_fake.

One-sided label smoothing (non_saturating and least_squares only, where D aims at a target) moves the
real target from 1 to 1 - smoothing; generated samples still aim at 0.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

LOSSES = ("non_saturating", "least_squares", "hinge", "wgan_gp")
PROBABILITY_LOSSES = ("non_saturating",)  # D's score is a logit: views show sigmoid(score)


def d_loss(kind: str, real: torch.Tensor, fake: torch.Tensor, smoothing: float = 0.0) -> torch.Tensor:
    """The discriminator's loss without any gradient penalty (see :func:`gradient_penalty`)."""
    target = 1.0 - smoothing
    if kind == "non_saturating":
        real_term = target * F.softplus(-real) + (1.0 - target) * F.softplus(real)  # BCE with target
        return real_term.mean() + F.softplus(fake).mean()
    if kind == "least_squares":
        return 0.5 * ((real - target) ** 2).mean() + 0.5 * (fake ** 2).mean()
    if kind == "hinge":
        return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()
    if kind == "wgan_gp":
        return fake.mean() - real.mean()
    raise KeyError(kind)


def g_loss(kind: str, fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss on the discriminator's scores of generated samples."""
    if kind == "non_saturating":
        return F.softplus(-fake).mean()
    if kind == "least_squares":
        return 0.5 * ((fake - 1.0) ** 2).mean()
    if kind in ("hinge", "wgan_gp"):
        return -fake.mean()
    raise KeyError(kind)


def gradient_penalty(discriminator, real: torch.Tensor, fake: torch.Tensor, mix: torch.Tensor) -> torch.Tensor:
    """WGAN-GP's penalty: mean (||grad_x D(x)|| - 1)^2 at x = mix * real + (1 - mix) * fake, where ``mix``
    holds one number in [0, 1] per sample (drawn by the caller, so the random stream stays in one place)."""
    shape = (len(real),) + (1,) * (real.dim() - 1)
    points = (mix.view(shape) * real + (1.0 - mix.view(shape)) * fake).requires_grad_(True)
    scores = discriminator(points).reshape(-1)
    (grad,) = torch.autograd.grad(scores.sum(), points, create_graph=True)
    return ((grad.reshape(len(grad), -1).norm(dim=1) - 1.0) ** 2).mean()


def as_shown(kind: str, scores: torch.Tensor) -> torch.Tensor:
    """Scores as views and metrics show them: a probability for the sigmoid-based loss, else raw."""
    return torch.sigmoid(scores) if kind in PROBABILITY_LOSSES else scores
