"""What the GAN views draw, computed on the worker thread as plain NumPy (the GUI only paints it).

2-D data (GAN Lab's picture): the discriminator's output over a grid of the plane (a heatmap), the
generated points of a fixed noise batch, the direction each of them is pushed by the generator's
loss (gradient arrows), and the generator's warped latent grid - its manifold - when the latent code
is 2-D. Images: an 8x8 grid of samples from a fixed noise batch, with grids kept from earlier steps
in :class:`GridHistory` so a slider can scrub back.

Every function here leaves the networks' training/eval modes and the random generators as it found
them, so drawing never changes a run: a run with the window open matches the same run headless.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch

from playground.core.tasks.gan import losses

HEATMAP_SIZE = 128  # the discriminator is evaluated on a 128 x 128 grid of the plane (its peaks can be narrow)
MANIFOLD_LINES = 15  # the latent grid: 15 x 15 points, drawn as rows and columns
GRID_SAMPLES = 64  # 8 x 8 image samples
MAX_SAVED_GRIDS = 64


@contextmanager
def evaluating(*networks: torch.nn.Module):
    """Networks in eval mode (dropout off, batch-norm running statistics) for the duration."""
    modes = [n.training for n in networks]
    for n in networks:
        n.eval()
    try:
        yield
    finally:
        for n, mode in zip(networks, modes, strict=True):
            n.train(mode)


def heatmap(judge, extent, loss: str, device, pack: int = 1, size: int = HEATMAP_SIZE) -> np.ndarray:
    """D's shown output (probability or raw score) over the plane: (size, size) float32, row 0 at the
    bottom (ymin), column 0 at the left (xmin). ``judge`` scores packs of ``pack`` samples; each grid
    point is judged as a pack of copies of itself."""
    xmin, xmax, ymin, ymax = extent
    xs, ys = np.linspace(xmin, xmax, size), np.linspace(ymin, ymax, size)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2).astype(np.float32)
    with torch.no_grad():
        scores = judge(torch.as_tensor(grid, device=device).repeat_interleave(pack, dim=0))
        values = losses.as_shown(loss, scores)
    return values.cpu().numpy().reshape(size, size).astype(np.float32)


def heatmap_levels(loss: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range of the heatmap: [0, 1] for probabilities and LSGAN's targets, [-1, 1] for hinge's
    margins, and for a Wasserstein critic +-(its largest |score| rounded up to 1, 2 or 5 x 10^k), which
    changes in steps rather than every frame."""
    if loss in ("non_saturating", "least_squares"):
        return (0.0, 1.0)
    if loss == "hinge":
        return (-1.0, 1.0)
    top = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    power = 10.0 ** np.floor(np.log10(max(top, 1e-6)))
    nice = next(m * power for m in (1, 2, 5, 10) if m * power >= top)
    return (-nice, nice)


def manifold(generator, grid: np.ndarray, device) -> np.ndarray:
    """Where the generator sends a latent grid (lines, lines, 2) (see LatentNoise.grid): float32 points
    of the same shape in the data plane."""
    with torch.no_grad():
        out = generator(torch.as_tensor(grid.reshape(-1, 2), device=device))
    return out.cpu().numpy().reshape(grid.shape).astype(np.float32)


def push_directions(judge, fake: torch.Tensor, loss: str, pack: int = 1) -> np.ndarray:
    """-d(generator loss)/d(sample) for each generated point: where the generator wants it to move
    (``judge`` scores packs of ``pack`` samples; the last pack is filled up with the first samples)."""
    points = fake.detach().clone().requires_grad_(True)
    filler = (-len(points)) % pack
    packed = torch.cat([points, points[:filler].detach()]) if filler else points
    value = losses.g_loss(loss, judge(packed)) * (len(packed) // pack)  # per-pack gradients
    (grad,) = torch.autograd.grad(value, points)
    return (-grad).cpu().numpy().astype(np.float32)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """[0, 1] images (N, C, H, W) -> uint8 (N, H, W) for grey or (N, H, W, 3) for colour."""
    pixels = np.round(np.clip(pixels, 0.0, 1.0) * 255).astype(np.uint8)
    return pixels[:, 0] if pixels.shape[1] == 1 else np.ascontiguousarray(pixels.transpose(0, 2, 3, 1)[..., :3])


class GridHistory:
    """Sample grids at earlier steps with bounded memory: past ``limit`` grids, every other one of the
    older half is dropped (the first and the latest stay), so a long run keeps an even spread."""

    def __init__(self, limit: int = MAX_SAVED_GRIDS) -> None:
        self.limit = limit
        self.steps: list[int] = []
        self.grids: list[np.ndarray] = []

    def add(self, step: int, grid: np.ndarray) -> None:
        if self.steps and self.steps[-1] == step:
            self.grids[-1] = grid
            return
        self.steps.append(int(step))
        self.grids.append(grid)
        if len(self.steps) > self.limit:
            half = len(self.steps) // 2
            keep = [i for i in range(len(self.steps)) if i >= half or i % 2 == 0]
            self.steps = [self.steps[i] for i in keep]
            self.grids = [self.grids[i] for i in keep]

    def at(self, index: int) -> tuple[int, np.ndarray] | None:
        if not 0 <= index < len(self.steps):
            return None
        return self.steps[index], self.grids[index]

    def clear(self) -> None:
        self.steps.clear()
        self.grids.clear()

    def truncate(self, step: int) -> None:
        keep = [i for i, s in enumerate(self.steps) if s <= step]
        self.steps = [self.steps[i] for i in keep]
        self.grids = [self.grids[i] for i in keep]
