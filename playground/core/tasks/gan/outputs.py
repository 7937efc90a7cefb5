"""What ``nn-playground train --out DIR`` leaves for a GAN run, besides the session and the metrics.

2-D data: ``samples.csv`` with 2,500 generated points (x1, x2) from the fixed evaluation noise.
Images: ``samples.png``, the 8x8 grid of the live view's fixed noise, and ``samples_history.png``, the
grids saved during the run stacked top to bottom (first at the top, each row labelled with its step).
Pictures are drawn with Pillow, so the command line never loads Qt.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.atomic_files import atomic_path, write_text_atomic

SCALE = 4  # screen pixels per image pixel in the PNGs
GAP = 2


def write_samples(folder: Path, task) -> None:
    """The generated samples of a GAN run folder (see the module docstring); ``task``: the GAN task."""
    if task.images:
        _atomic_png(folder / "samples.png", grid_picture(task.live_view()["live"]["grid"]))
        history = task.grids
        if history.steps:
            _atomic_png(folder / "samples_history.png", history_picture(history.steps, history.grids))
    else:
        points = task.samples()
        rows = ["x1,x2"] + [f"{x!r},{y!r}" for x, y in points.astype(float).tolist()]
        write_text_atomic(folder / "samples.csv", "\n".join(rows) + "\n")


def grid_picture(grid: np.ndarray, columns: int = 8):
    """uint8 images (N, H, W) or (N, H, W, 3) -> a Pillow image of them in rows of ``columns``."""
    from PIL import Image

    grid = np.asarray(grid)
    n, h, w = grid.shape[:3]
    rows = -(-n // columns)
    canvas = np.full((rows * (h + GAP) + GAP, columns * (w + GAP) + GAP) + grid.shape[3:], 255, dtype=np.uint8)
    for i, image in enumerate(grid):
        r, c = divmod(i, columns)
        canvas[GAP + r * (h + GAP):GAP + r * (h + GAP) + h, GAP + c * (w + GAP):GAP + c * (w + GAP) + w] = image
    picture = Image.fromarray(canvas)
    return picture.resize((picture.width * SCALE, picture.height * SCALE), Image.NEAREST)


def history_picture(steps: list[int], grids: list[np.ndarray], rows: int = 8):
    """Up to ``rows`` saved grids, evenly picked, one strip each (its first 16 samples) with its step."""
    from PIL import Image, ImageDraw

    picks = sorted({round(i) for i in np.linspace(0, len(steps) - 1, min(rows, len(steps)))})
    strips = [grid_picture(grids[i][:16], columns=16) for i in picks]
    label = 90
    picture = Image.new("RGB", (label + strips[0].width, sum(s.height for s in strips)), "white")
    draw = ImageDraw.Draw(picture)
    y = 0
    for i, strip in zip(picks, strips, strict=True):
        picture.paste(strip.convert("RGB"), (label, y))
        draw.text((6, y + strip.height // 2 - 6), f"step {steps[i]:,}", fill="black")
        y += strip.height
    return picture


def _atomic_png(path: Path, picture) -> None:
    with atomic_path(path, suffix=".png") as tmp:
        picture.save(tmp, format="PNG")
