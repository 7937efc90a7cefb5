"""What the image views draw, computed as NumPy arrays: samples, mistakes, filters, feature maps.

Views never touch the model: the worker thread calls these and hands the arrays over. Every image
comes back in display form, (H, W) grey or (H, W, 3) colour, float32 in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass
class Gallery:
    """Images with a caption each (true label, and for mistakes the prediction and its confidence)."""

    images: list[np.ndarray]
    captions: list[str]
    indices: list[int]  # positions in the split they came from


def to_display(images: np.ndarray, data) -> list[np.ndarray]:
    """(N, C, H, W) stored images -> list of (H, W) or (H, W, 3) in [0, 1]."""
    shown = data.for_display(np.asarray(images, dtype=np.float32))
    return [img[0] if img.shape[0] == 1 else np.moveaxis(img[:3], 0, -1) for img in shown]


def sample_grid(data, n: int = 64) -> Gallery:
    """The first ``n`` training images (the split is already shuffled) with their labels."""
    count = min(n, data.n_train)
    return Gallery(to_display(data.x_train[:count], data), [data.class_names[int(y)] for y in data.y_train[:count]],
                   list(range(count)))


def misclassified(task, limit: int = 32) -> Gallery:
    """Test images the network gets wrong, most confident mistakes first."""
    task.model.eval()
    try:
        with torch.no_grad():
            probs = task.scoring.probabilities(task.outputs(task.x_test)).cpu().numpy()
    finally:
        task.model.train()
    predicted = probs.argmax(axis=1)
    true = np.asarray(task.data.y_test)
    wrong = np.nonzero(predicted != true)[0]
    wrong = wrong[np.argsort(-probs[wrong, predicted[wrong]])][:limit]
    names = task.data.class_names
    captions = [f"{names[true[i]]} → {names[predicted[i]]} ({probs[i, predicted[i]]:.0%})" for i in wrong]
    return Gallery(to_display(task.data.x_test[wrong], task.data), captions, [int(i) for i in wrong])


def first_conv_filters(model: nn.Module) -> np.ndarray | None:
    """The first convolution's kernels as (out, in, k, k), each scaled to [0, 1] around zero (0.5)."""
    conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    if conv is None:
        return None
    w = conv.weight.detach().cpu().numpy().astype(np.float32)
    scale = np.abs(w).reshape(len(w), -1).max(axis=1)[:, None, None, None]
    return 0.5 + 0.5 * w / np.where(scale > 0, scale, 1.0)


def feature_maps(task, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The output of every convolution (and its pooling) for one stored image (C, H, W):
    (layer name, (channels, h, w) scaled to [0, 1] per channel), in network order."""
    captured: list[tuple[str, np.ndarray]] = []
    hooks = []
    for name, module in task.model.named_modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d)):
            hooks.append(module.register_forward_hook(
                lambda mod, inp, out, name=name: captured.append((name, out[0].detach().cpu().numpy()))))
    task.model.eval()
    try:
        with torch.no_grad():
            task.model(torch.as_tensor(np.asarray(image, dtype=np.float32)[None], device=task.device))
    finally:
        task.model.train()
        for hook in hooks:
            hook.remove()
    out = []
    for name, maps in captured:
        low = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - low
        out.append((name, ((maps - low) / np.where(span > 0, span, 1.0)).astype(np.float32)))
    return out
