"""PNG pictures for run reports written without a window (the CLI's --out): the confusion matrix.

Drawn with Pillow, not Qt, so the headless command line never loads the GUI toolkit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CELL = 36
MARGIN = 70


def confusion_matrix_png(matrix: np.ndarray, class_names: list[str], path: Path) -> None:
    """A heatmap of counts (rows: true class, columns: predicted), shaded by row share, with numbers."""
    from PIL import Image, ImageDraw, ImageFont

    matrix = np.asarray(matrix)
    k = len(matrix)
    size = MARGIN + CELL * k + 10
    image = Image.new("RGB", (size, size + 20), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    for i in range(k):
        for j in range(k):
            x, y = MARGIN + j * CELL, MARGIN + i * CELL
            shade = int(255 - 200 * shares[i, j])
            fill = (shade, shade, 255) if i == j else (255, shade, shade)
            draw.rectangle([x, y, x + CELL - 1, y + CELL - 1], fill=fill, outline=(200, 200, 200))
            text = str(int(matrix[i, j]))
            box = draw.textbbox((0, 0), text, font=font)
            ink = "white" if shares[i, j] > 0.6 else "black"
            draw.text((x + (CELL - box[2]) / 2, y + (CELL - box[3]) / 2), text, fill=ink, font=font)
        label = class_names[i][:8]
        draw.text((4, MARGIN + i * CELL + CELL / 2 - 5), label, fill="black", font=font)
        draw.text((MARGIN + i * CELL + 4, MARGIN - 16), label, fill="black", font=font)
    draw.text((MARGIN, 8), "predicted ->", fill="black", font=font)
    draw.text((4, MARGIN - 30), "true", fill="black", font=font)
    image.save(path, format="PNG")
