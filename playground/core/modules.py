"""Torch modules for the registry's layer types, and the few custom ones torch lacks.

``make_module(spec, input_shape)`` turns one validated :class:`LayerSpec` into an ``nn.Module``.
Sine, Reshape and Residual are written here because torch has no ready-made equivalent; each is a
few lines so that exported code stays readable.
"""

from __future__ import annotations

import torch
from torch import nn

from playground.core.layers import Shape
from playground.core.shape_inference import projection_stride
from playground.core.spec import LayerSpec


class Sine(nn.Module):
    """sin(frequency * x)."""

    def __init__(self, frequency: float = 1.0) -> None:
        super().__init__()
        self.frequency = frequency

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.frequency * x)

    def extra_repr(self) -> str:
        return f"frequency={self.frequency}"


class Reshape(nn.Module):
    """Reshape each sample to ``shape`` (the batch dimension is kept)."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class Residual(nn.Module):
    """body(x) + skip(x), where skip is the identity or a learned projection."""

    def __init__(self, body: nn.Sequential, projection: nn.Module | None = None) -> None:
        super().__init__()
        self.body = body
        self.projection = projection

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip = x if self.projection is None else self.projection(x)
        return self.body(x) + skip


def make_module(spec: LayerSpec, shape: Shape, out_shape: Shape) -> nn.Module:
    """The torch module for one (non-container) layer receiving per-sample ``shape``."""
    v = spec.params
    t = spec.type
    if t == "Linear":
        return nn.Linear(shape[0], v["width"], bias=v["bias"])
    if t == "Conv2d":
        return nn.Conv2d(shape[0], v["channels"], v["kernel_size"], stride=v["stride"], padding=v["padding"],
                         dilation=v["dilation"], bias=v["bias"])
    if t == "ConvTranspose2d":
        return nn.ConvTranspose2d(shape[0], v["channels"], v["kernel_size"], stride=v["stride"],
                                  padding=v["padding"], output_padding=v["output_padding"],
                                  dilation=v["dilation"], bias=v["bias"])
    if t in ("MaxPool2d", "AvgPool2d"):
        pool = nn.MaxPool2d if t == "MaxPool2d" else nn.AvgPool2d
        return pool(v["kernel_size"], stride=v["stride"] or v["kernel_size"], padding=v["padding"])
    if t in ("BatchNorm1d", "BatchNorm2d"):
        norm = nn.BatchNorm1d if t == "BatchNorm1d" else nn.BatchNorm2d
        return norm(shape[0], eps=v["eps"], momentum=v["momentum"], affine=v["affine"])
    if t == "LayerNorm":
        return nn.LayerNorm(list(shape), eps=v["eps"], elementwise_affine=v["affine"])
    if t == "Dropout":
        return nn.Dropout(v["p"])
    if t == "Flatten":
        return nn.Flatten()
    if t == "Reshape":
        return Reshape(out_shape)
    if t == "Upsample":
        return nn.Upsample(scale_factor=v["scale_factor"], mode=v["mode"])
    if t == "LeakyReLU":
        return nn.LeakyReLU(v["negative_slope"])
    if t == "ELU":
        return nn.ELU(v["alpha"])
    if t == "Softplus":
        return nn.Softplus(v["beta"])
    if t == "Sine":
        return Sine(v["frequency"])
    simple = {"ReLU": nn.ReLU, "GELU": nn.GELU, "SiLU": nn.SiLU, "Tanh": nn.Tanh, "Sigmoid": nn.Sigmoid,
              "Identity": nn.Identity}
    if t in simple:
        return simple[t]()
    raise KeyError(f"no module for layer type {t!r}")  # registry and this table out of step: a bug


def make_projection(shape: Shape, out: Shape) -> nn.Module:
    """The learned skip projection a Residual block uses when its body changes the shape."""
    if len(shape) == 1:
        return nn.Linear(shape[0], out[0])
    stride = projection_stride(shape, out)
    return nn.Conv2d(shape[0], out[0], kernel_size=1, stride=stride)


def module_name(layer_type: str, counts: dict[str, int]) -> str:
    """Readable, unique child names: linear1, relu1, linear2, ..."""
    key = layer_type.lower()
    counts[key] = counts.get(key, 0) + 1
    return f"{key}{counts[key]}"

