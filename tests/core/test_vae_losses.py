"""The VAE's loss terms against hand computations."""

import math

import pytest
import torch

from playground.core.tasks.vae.losses import active_units, beta_at, kl_per_dimension, reconstruction_per_sample


def test_kl_of_the_prior_itself_is_zero():
    mean, log_var = torch.zeros(3, 4), torch.zeros(3, 4)
    assert torch.equal(kl_per_dimension(mean, log_var), torch.zeros(3, 4))


def test_kl_of_known_gaussians():
    # KL(N(mu, s^2) || N(0, 1)) = 0.5 * (mu^2 + s^2 - 1 - ln s^2)
    mean = torch.tensor([[1.0, 0.0, 2.0]])
    log_var = torch.tensor([[0.0, math.log(4.0), math.log(0.25)]])
    expected = [0.5 * 1.0, 0.5 * (4.0 - 1.0 - math.log(4.0)), 0.5 * (4.0 + 0.25 - 1.0 - math.log(0.25))]
    assert kl_per_dimension(mean, log_var)[0].tolist() == pytest.approx(expected, rel=1e-6)


def test_bernoulli_reconstruction_is_summed_binary_cross_entropy_of_logits():
    logits = torch.tensor([[[[0.0, 2.0], [-1.0, 3.0]]]])
    target = torch.tensor([[[[1.0, 0.0], [0.5, 1.0]]]])
    p = torch.sigmoid(logits).flatten().tolist()
    t = target.flatten().tolist()
    expected = -sum(ti * math.log(pi) + (1 - ti) * math.log(1 - pi) for pi, ti in zip(p, t, strict=True))
    assert reconstruction_per_sample(logits, target, "bernoulli").tolist() == pytest.approx([expected], rel=1e-6)


def test_gaussian_reconstruction_is_the_summed_squared_error():
    out = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    target = torch.tensor([[1.5, 2.0, 1.0], [1.0, 1.0, 1.0]])
    assert reconstruction_per_sample(out, target, "gaussian").tolist() == pytest.approx([0.25 + 4.0, 3.0])


def test_unknown_reconstruction_is_refused():
    with pytest.raises(ValueError, match="bernoulli or gaussian"):
        reconstruction_per_sample(torch.zeros(1, 1), torch.zeros(1, 1), "laplace")


def test_beta_warms_up_linearly_then_stays():
    assert beta_at(4.0, 0, 0) == 4.0
    assert beta_at(4.0, 4, 0) == 1.0
    assert beta_at(4.0, 4, 1) == 2.0
    assert beta_at(4.0, 4, 3) == 4.0
    assert beta_at(4.0, 4, 100) == 4.0


def test_active_units_count_dimensions_above_a_hundredth_of_a_nat():
    assert active_units([0.5, 0.009, 0.02, 0.0]) == 2
