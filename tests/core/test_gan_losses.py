"""Each GAN loss on a tiny discriminator, against values worked out by hand."""

import math

import pytest
import torch

from playground.core.tasks.gan import losses


def tiny_discriminator(weight: float = 2.0, bias: float = -1.0) -> torch.nn.Linear:
    """D(x) = weight * x + bias on 1-D samples."""
    d = torch.nn.Linear(1, 1)
    with torch.no_grad():
        d.weight.fill_(weight)
        d.bias.fill_(bias)
    return d


REAL = torch.tensor([[1.0], [2.0]])  # scores 1 and 3
FAKE = torch.tensor([[0.0], [0.5]])  # scores -1 and 0


def scores():
    d = tiny_discriminator()
    return d(REAL).reshape(-1), d(FAKE).reshape(-1)


def log_sigmoid(s: float) -> float:
    return -math.log(1.0 + math.exp(-s))


def test_non_saturating_matches_binary_cross_entropy_by_hand():
    real, fake = scores()
    d_hand = -(log_sigmoid(1) + log_sigmoid(3)) / 2 - (math.log(1 - 1 / (1 + math.exp(1))) + math.log(0.5)) / 2
    g_hand = -(log_sigmoid(-1) + log_sigmoid(0)) / 2
    assert losses.d_loss("non_saturating", real, fake).item() == pytest.approx(d_hand, rel=1e-6)
    assert losses.g_loss("non_saturating", fake).item() == pytest.approx(g_hand, rel=1e-6)


def test_label_smoothing_aims_real_samples_below_one():
    real, fake = scores()
    # target 0.9 on real: -(0.9 log s(x) + 0.1 log(1 - s(x)))
    real_hand = sum(-(0.9 * log_sigmoid(s) + 0.1 * log_sigmoid(-s)) for s in (1, 3)) / 2
    fake_hand = sum(-log_sigmoid(-s) for s in (-1, 0)) / 2
    smoothed = losses.d_loss("non_saturating", real, fake, smoothing=0.1).item()
    assert smoothed == pytest.approx(real_hand + fake_hand, rel=1e-6)
    assert smoothed > losses.d_loss("non_saturating", real, fake).item()  # confident real scores now cost
    ls = losses.d_loss("least_squares", real, fake, smoothing=0.1).item()
    assert ls == pytest.approx(0.5 * ((1 - 0.9) ** 2 + (3 - 0.9) ** 2) / 2 + 0.5 * (1 + 0) / 2, rel=1e-6)


def test_least_squares_by_hand():
    real, fake = scores()
    assert losses.d_loss("least_squares", real, fake).item() == pytest.approx(0.5 * (0 + 4) / 2 + 0.5 * (1 + 0) / 2)
    assert losses.g_loss("least_squares", fake).item() == pytest.approx(0.5 * (4 + 1) / 2)


def test_hinge_by_hand():
    real, fake = scores()
    # relu(1 - 1) + relu(1 - 3) = 0 on real; relu(1 - 1) + relu(1 + 0) = 1 on fake
    assert losses.d_loss("hinge", real, fake).item() == pytest.approx(0.0 + 0.5)
    assert losses.g_loss("hinge", fake).item() == pytest.approx(0.5)


def test_wgan_critic_and_gradient_penalty_by_hand():
    real, fake = scores()
    assert losses.d_loss("wgan_gp", real, fake).item() == pytest.approx(-0.5 - 2.0)
    assert losses.g_loss("wgan_gp", fake).item() == pytest.approx(0.5)
    # a linear critic's gradient is its weight everywhere: penalty (|w| - 1)^2 whatever the mix
    penalty = losses.gradient_penalty(tiny_discriminator(weight=3.0), REAL, FAKE, torch.tensor([0.3, 0.9]))
    assert penalty.item() == pytest.approx(4.0)
    assert losses.gradient_penalty(tiny_discriminator(weight=-1.0), REAL, FAKE, torch.rand(2)).item() == 0.0


def test_gradient_penalty_trains_the_critic_towards_slope_one():
    d = tiny_discriminator(weight=3.0)
    penalty = losses.gradient_penalty(d, REAL, FAKE, torch.tensor([0.5, 0.5]))
    penalty.backward()
    assert d.weight.grad.item() == pytest.approx(2 * (3.0 - 1.0))  # d/dw (w - 1)^2


def test_generator_losses_fall_as_fakes_score_higher():
    low, high = torch.tensor([-2.0, -1.0]), torch.tensor([1.0, 2.0])
    for kind in losses.LOSSES:
        assert losses.g_loss(kind, high).item() < losses.g_loss(kind, low).item(), kind


def test_probabilities_only_for_the_sigmoid_loss():
    s = torch.tensor([0.0, 2.0])
    assert losses.as_shown("non_saturating", s).tolist() == pytest.approx([0.5, 1 / (1 + math.exp(-2))])
    assert losses.as_shown("hinge", s).tolist() == [0.0, 2.0]
