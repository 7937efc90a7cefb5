"""Looking inside a network: every layer's values for one input, and every unit's map over the plane.

The forward-pass inspector shows, for one input, each unit's pre-activation z (the output of a
Linear or convolution layer) and activation a (after the activation that follows it). The neuron
view shows, for small dense networks on 2-D data, each hidden unit's activation over the input
plane as a little heatmap, and the weights between units. Both are plain NumPy for the views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from playground.core.tasks.classify.views import grid_points

WEIGHTED = (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)
MAX_NEURON_LAYERS = 8
MAX_NEURON_UNITS = 16


@dataclass
class LayerTrace:
    """One weighted layer for one input: its name, z (before the activation) and a (after it)."""

    name: str
    z: np.ndarray
    a: np.ndarray


def forward_trace(model: nn.Sequential, x: np.ndarray) -> list[LayerTrace]:
    """Run one input (per-sample shape) through the top-level layers of ``model`` and group them as
    weighted layer -> (its activation, if the next layers are shape-preserving and unweighted)."""
    out = torch.as_tensor(np.asarray(x, dtype=np.float32)[None], device=next(model.parameters()).device)
    traces: list[LayerTrace] = []
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for name, module in model.named_children():
                out = module(out)
                value = out[0].detach().cpu().numpy().copy()
                if isinstance(module, WEIGHTED) or not traces:
                    traces.append(LayerTrace(name, value, value))
                elif value.shape == traces[-1].a.shape:
                    traces[-1].a = value  # activation, dropout, norm: what the next layer receives
                else:
                    traces.append(LayerTrace(name, value, value))  # a shape change (Flatten, pooling)
    finally:
        model.train(was_training)
    return traces


def dense_layout(model: nn.Sequential) -> list[int] | None:
    """Units per layer (inputs first) when the network is a small dense stack the neuron view can
    draw (Linear layers of at most 16 units, at most 8 hidden layers), else None."""
    linears = [m for m in model.children() if isinstance(m, nn.Linear)]
    others = [m for m in model.children() if not isinstance(m, nn.Linear)]
    if not linears or any(isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Flatten)) for m in others):
        return None
    sizes = [linears[0].in_features] + [m.out_features for m in linears]
    if len(sizes) - 2 > MAX_NEURON_LAYERS or max(sizes[1:-1], default=0) > MAX_NEURON_UNITS:
        return None
    return sizes


def unit_heatmaps(task, n: int = 24) -> list[np.ndarray] | None:
    """For a dense network on 2-D data: per layer (inputs included) an array (units, n, n) of each
    unit's activation over the data's plane (row 0 at the bottom), plus None when not applicable."""
    layout = dense_layout(task.model)
    points = getattr(task.data, "points_train", None)
    if layout is None or points is None or points.shape[1] != 2:
        return None
    grid = grid_points(task.data.extent, n)
    x = torch.as_tensor(task.data.transform(grid), device=task.device)
    maps = [x.T.reshape(-1, n, n).cpu().numpy()]
    was_training = task.model.training
    task.model.eval()
    try:
        with torch.no_grad():
            out = x
            children = list(task.model.children())
            for i, module in enumerate(children):
                out = module(out)
                follows_linear = isinstance(module, nn.Linear) and (
                    i + 1 == len(children) or isinstance(children[i + 1], nn.Linear))
                if follows_linear or (not isinstance(module, nn.Linear) and isinstance(children[i - 1], nn.Linear)):
                    maps.append(out.T.reshape(-1, n, n).cpu().numpy().astype(np.float32))
    finally:
        task.model.train(was_training)
    return maps


def link_weights(model: nn.Sequential) -> list[np.ndarray]:
    """The weight matrix (out, in) of every Linear layer, in order."""
    return [m.weight.detach().cpu().numpy().copy() for m in model.children() if isinstance(m, nn.Linear)]
