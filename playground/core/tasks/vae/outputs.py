"""What ``nn-playground train --out DIR`` writes for a VAE, beside the metrics and the session.

- ``summary.txt``: both networks (the encoder's mean and log-variance heads are listed after its layers);
- ``weights.safetensors``: keys ``encoder.<tensor>`` (``encoder.body.*``, ``encoder.mean.*``,
  ``encoder.log_var.*``) and ``decoder.<tensor>``;
- ``traversal.png``: one row per latent dimension (most KL first), columns -3 to 3;
- ``reconstructions.png``: test images (top row) over their reconstructions (bottom row);
- ``samples.png``: decodings of codes drawn from the prior;
- ``latent_means.csv``: every test image's latent mean with its label (and the dataset's factors, if any).

Pictures are drawn with Pillow (no Qt), with nearest-neighbour scaling so pixels stay crisp.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.atomic_files import atomic_path, write_text_atomic
from playground.core.tasks.vae.latent import TRAVERSAL_VALUES
from playground.core.tasks.vae.views import pair_indices, pictures

TILE_PX = 48
GAP_PX = 4
LABEL_PX = 110


def summaries(task) -> list[str]:
    """The encoder's summary with the heads the task adds, and the decoder's."""
    from playground.core.shape_inference import summarize

    data = task.data
    encoder = summarize(task.preset.networks["encoder"].layers, data.input_shape, "encoder")
    decoder = summarize(task.preset.networks["decoder"].layers, (task.latent_size,), "decoder")
    heads = (f"+ task heads: mean and log_var, each Linear {encoder.output_shape[0]} -> {task.latent_size} "
             f"({2 * (encoder.output_shape[0] + 1) * task.latent_size:,} params)")
    return [f"{encoder}\n{heads}", str(decoder)]


def write_vae_files(folder: Path, trainer) -> None:
    """traversal.png, reconstructions.png, samples.png and latent_means.csv (``trainer``: the VAE task)."""
    latent, data = trainer.latent, trainer.data
    scores = trainer.evaluate()
    kl = [scores[f"test_kl_dim{i}"] for i in range(trainer.latent_size)]
    order = sorted(range(trainer.latent_size), key=lambda i: -kl[i])
    grid = latent.traversal_grid(order)
    _save_png(folder / "traversal.png", np.stack([pictures(row) for row in grid]),
              [f"z{d}  KL {kl[d]:.2f}" for d in order], [f"{v:+g}" if v else "0" for v in TRAVERSAL_VALUES])
    indices = pair_indices(np.asarray(data.y_test))
    inputs = data.x_test[indices]
    pairs = np.stack([pictures(data.for_display(inputs)), pictures(latent.decode(latent.encode(inputs)))])
    _save_png(folder / "reconstructions.png", pairs, ["test image", "rebuilt"])
    samples = pictures(latent.sample_prior(32, seed=7)).reshape(4, 8, *pairs.shape[2:])
    _save_png(folder / "samples.png", samples)
    write_latent_csv(folder / "latent_means.csv", trainer)


def write_latent_csv(path: Path, trainer) -> None:
    data = trainer.data
    means = trainer.latent.encode(data.x_test)
    labels = np.asarray(data.y_test).reshape(-1)
    factors = {k: v for k, v in sorted((getattr(data, "factors_test", {}) or {}).items()) if k != "shape"}
    head = ["index", "label", "class"] + [f"z{i}" for i in range(means.shape[1])] + [f"factor_{k}" for k in factors]
    lines = [",".join(head)]
    for i, (mean, label) in enumerate(zip(means, labels, strict=True)):
        cells = [str(i), str(int(label)), _cell(str(data.class_names[int(label)]))]
        cells += [f"{v:.6g}" for v in mean] + [f"{float(f[i]):.6g}" for f in factors.values()]
        lines.append(",".join(cells))
    write_text_atomic(path, "\n".join(lines) + "\n")


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def grid_image(images: np.ndarray, row_labels: list[str] | None = None, column_labels: list[str] | None = None):
    """A Pillow image of (rows, cols, H, W[, 3]) pictures in [0, 1] on white, with optional labels."""
    from PIL import Image, ImageDraw, ImageFont

    rows, cols, h, w = images.shape[:4]
    scale = max(1, TILE_PX // max(h, w))
    left = LABEL_PX if row_labels else GAP_PX
    width = left + cols * (w * scale + GAP_PX)
    top = 16 if column_labels else 0
    height = top + GAP_PX + rows * (h * scale + GAP_PX)
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default()
    for c, text in enumerate(column_labels or []):
        x = left + c * (w * scale + GAP_PX) + w * scale / 2 - draw.textlength(text, font=font) / 2
        draw.text((x, 3), text, fill="black", font=font)
    for r in range(rows):
        y = top + GAP_PX + r * (h * scale + GAP_PX)
        if row_labels:
            draw.text((4, y + h * scale / 2 - 6), row_labels[r], fill="black", font=font)
        for c in range(cols):
            pixels = np.clip(np.round(images[r, c] * 255), 0, 255).astype(np.uint8)
            tile = Image.fromarray(pixels, "L" if pixels.ndim == 2 else "RGB").convert("RGB")
            tile = tile.resize((w * scale, h * scale), Image.NEAREST)
            canvas.paste(tile, (left + c * (w * scale + GAP_PX), y))
    return canvas


def _save_png(path: Path, images: np.ndarray, row_labels: list[str] | None = None,
              column_labels: list[str] | None = None) -> None:
    with atomic_path(path, suffix=".png") as tmp:
        grid_image(images, row_labels, column_labels).save(tmp, format="PNG")
