"""Preset -> torch modules, deterministic from the seed.

Modules are ``nn.Sequential`` with readable child names (``linear1``, ``relu1``, ``residual1.body``),
which is what state dicts, exports and error messages show. Initial weights depend only on the
preset's seed and the network's name, so building twice gives identical weights and adding a
generator never changes a discriminator's start.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict

import torch
from torch import nn

from playground.core.layers import LAYERS, Shape
from playground.core.modules import Residual, make_module, make_projection, module_name
from playground.core.shape_inference import summarize
from playground.core.spec import LayerSpec
from playground.core.weight_init import apply_init


class BuildError(Exception):
    """The network cannot be built; the message lists each layer that cannot take its input."""


def build_network(layers: list[LayerSpec], input_shape: Shape, *, seed: int, network: str = "main") -> nn.Sequential:
    """Build one network for per-sample ``input_shape``; raises BuildError naming the bad layers."""
    summary = summarize(layers, input_shape, network)
    if not summary.ok:
        raise BuildError("; ".join(summary.error_messages()))
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(network_seed(seed, network))
    try:
        return _sequential(layers, tuple(input_shape))[0]
    finally:
        torch.random.set_rng_state(generator_state)


def network_seed(seed: int, network: str) -> int:
    """A per-network seed derived from the preset's seed (stable across Python runs)."""
    return (seed * 1_000_003 + zlib.crc32(network.encode())) % (2**63)


def _sequential(layers: list[LayerSpec], shape: Shape) -> tuple[nn.Sequential, Shape]:
    counts: dict[str, int] = {}
    children: OrderedDict[str, nn.Module] = OrderedDict()
    for spec in layers:
        name = module_name(spec.type, counts)
        layer_type = LAYERS[spec.type]
        if layer_type.container:
            body, out = _sequential(spec.layers, shape)
            projection = None if out == shape else make_projection(shape, out)
            children[name] = Residual(body, projection)
        else:
            out = layer_type.infer(shape, spec.params)
            module = make_module(spec, shape, out)
            for tensor_name, init in spec.init.items():
                tensor = getattr(module, tensor_name, None)
                if tensor is not None:
                    apply_init(tensor, init["kind"], init)
            children[name] = module
        shape = out
    return nn.Sequential(children), shape
