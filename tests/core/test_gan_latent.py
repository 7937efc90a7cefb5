"""The GAN's noise: each latent distribution draws what it says, from the caller's random stream."""

import numpy as np
import pytest
import torch

from playground.core.presets import PresetError, load_preset, parse_preset
from playground.core.tasks.gan.latent import MIXTURE_SPREAD, LatentNoise
from tests.core.test_gan_trainer import PRESETS


def draw(noise, n=20_000, seed=0):
    return noise.sample(n, torch.Generator().manual_seed(seed))


def test_mixture_noise_is_tight_clusters_around_every_centre():
    noise = LatentNoise("mixture", 2, components=50, seed=1)
    codes = draw(noise)
    distance = torch.cdist(codes, noise.centres)
    nearest = distance.argmin(1)
    assert distance.min(1).values.max() < 6 * MIXTURE_SPREAD  # nothing between the clusters
    counts = torch.bincount(nearest, minlength=50)
    assert counts.min() > 0.6 * len(codes) / 50 and counts.max() < 1.4 * len(codes) / 50  # equal weights


def test_mixture_centres_follow_the_preset_seed():
    a, b = (LatentNoise("mixture", 3, components=10, seed=s) for s in (1, 1))
    assert torch.equal(a.centres, b.centres)
    assert not torch.equal(a.centres, LatentNoise("mixture", 3, components=10, seed=2).centres)


@pytest.mark.parametrize("distribution", ["normal", "uniform", "mixture"])
def test_the_same_stream_draws_the_same_codes(distribution):
    noise = LatentNoise(distribution, 4, components=7, seed=3)
    assert torch.equal(draw(noise, 100, seed=5), draw(noise, 100, seed=5))
    assert not torch.equal(draw(noise, 100, seed=5), draw(noise, 100, seed=6))
    assert draw(noise, 100).shape == (100, 4)


def test_normal_and_uniform_codes():
    normal, uniform = draw(LatentNoise("normal", 2)), draw(LatentNoise("uniform", 2))
    assert abs(float(normal.mean())) < 0.03 and abs(float(normal.std()) - 1) < 0.03
    assert float(uniform.min()) >= -1 and float(uniform.max()) <= 1 and float(uniform.std()) > 0.5


def test_the_drawn_latent_grid_spans_the_bulk_of_the_codes():
    assert np.abs(LatentNoise("uniform", 2).grid(5)).max() == 1.0
    grid = LatentNoise("mixture", 2, components=5).grid(15)
    assert grid.shape == (15, 15, 2) and np.abs(grid).max() == 2.0


def test_an_unknown_distribution_is_named_by_the_validator():
    data = load_preset(PRESETS / "gan-grid25.json").to_json()
    data["training"]["gan"]["latent_distribution"] = "cauchy"
    with pytest.raises(PresetError) as caught:
        parse_preset(data, "grid.json")
    assert "training.gan.latent_distribution" in str(caught.value) and "cauchy" in str(caught.value)
