"""The VAE's two networks, built from the preset.

Networks (``trainer.networks``; sessions, weights files and exports carry both):

- ``"encoder"``: a :class:`VaeEncoder` - the preset's encoder layers (``body``, which must end in a flat
  vector) followed by the task's two heads, ``mean`` and ``log_var``, each a Linear layer from the
  body's output to ``latent_size``. Its forward returns ONE tensor (N, 2 * latent_size): the means,
  then the log-variances, so it exports like any single-output network.
- ``"decoder"``: exactly the preset's decoder layers, from the latent code to an image.

For the Bernoulli reconstruction the decoder's output is read as logits; a decoder that ends with
Sigmoid (possibly followed by layers that only rearrange values: Reshape, Flatten, Identity) is scored
on the values before that Sigmoid (:func:`decoder_logits`), so it is neither squashed twice nor
numerically fragile.
"""

from __future__ import annotations

import torch
from torch import nn

from playground.core.build import build_network, network_seed
from playground.core.modules import Reshape

SHAPE_ONLY = (Reshape, nn.Flatten, nn.Identity)


class VaeEncoder(nn.Module):
    """The user's encoder layers plus the mean and log-variance heads the task adds."""

    def __init__(self, body: nn.Sequential, features: int, latent_size: int) -> None:
        super().__init__()
        self.body = body
        self.mean = nn.Linear(features, latent_size)
        self.log_var = nn.Linear(features, latent_size)
        self.latent_size = latent_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x)
        return torch.cat([self.mean(h), self.log_var(h)], dim=1)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mean, log_var), each (N, latent_size)."""
        h = self.body(x)
        return self.mean(h), self.log_var(h)


def build_encoder(layers, input_shape, features: int, latent_size: int, seed: int) -> VaeEncoder:
    """The encoder with its heads; the heads' initial weights, like every layer's, follow the seed."""
    body = build_network(layers, input_shape, seed=seed, network="encoder")
    state = torch.random.get_rng_state()
    torch.manual_seed(network_seed(seed, "encoder.heads"))
    try:
        return VaeEncoder(body, features, latent_size)
    finally:
        torch.random.set_rng_state(state)


def build_decoder(layers, latent_size: int, seed: int) -> nn.Sequential:
    return build_network(layers, (latent_size,), seed=seed, network="decoder")


def final_sigmoid(decoder: nn.Sequential) -> int | None:
    """Position of a Sigmoid after which only shape layers follow, or None."""
    modules = list(decoder)
    for position in range(len(modules) - 1, -1, -1):
        if isinstance(modules[position], nn.Sigmoid):
            return position
        if not isinstance(modules[position], SHAPE_ONLY):
            return None
    return None


def ends_with_sigmoid(decoder: nn.Sequential) -> bool:
    return final_sigmoid(decoder) is not None


def decoder_logits(decoder: nn.Sequential, z: torch.Tensor) -> torch.Tensor:
    """The decoder's output with a final Sigmoid skipped (its whole output when there is none)."""
    skip = final_sigmoid(decoder)
    if skip is None:
        return decoder(z)
    for position, module in enumerate(decoder):
        if position != skip:
            z = module(z)
    return z


class Reconstruction(nn.Module):
    """A VAE's encoder and decoder as one network: each image's expected reconstruction (the decoding
    of its latent mean, through a sigmoid for Bernoulli VAEs), as the app's views show it; what the
    "encoder+decoder" export writes."""

    def __init__(self, task) -> None:
        super().__init__()
        self.encoder, self.decoder = task.networks["encoder"], task.networks["decoder"]
        self.latent_size = task.latent_size
        self._decoded_means = task.decoded_means  # uses self.decoder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._decoded_means(self.encoder(x)[:, :self.latent_size])
