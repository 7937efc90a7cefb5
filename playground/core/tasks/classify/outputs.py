"""What a classifier's run folder holds beside the metrics, weights and session: the class report."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.atomic_files import atomic_path, write_text_atomic


def write_class_report(folder: Path, scores: dict) -> None:
    """confusion_matrix.csv and .png (test set; rows true, columns predicted) and
    per_class_metrics.csv (precision, recall, F1, ROC-AUC and support per class)."""
    from playground.core.report_images import confusion_matrix_png

    names = scores["class_names"]
    matrix = scores["confusion_matrix"]
    lines = ["true \\ predicted," + ",".join(_csv_cell(n) for n in names)]
    lines += [_csv_cell(name) + "," + ",".join(str(c) for c in row) for name, row in zip(names, matrix, strict=True)]
    write_text_atomic(folder / "confusion_matrix.csv", "\n".join(lines) + "\n")
    rows = ["class,precision,recall,f1,roc_auc,support"]
    for i, name in enumerate(names):
        auc = scores["roc_auc"][i]
        rows.append(f"{_csv_cell(name)},{scores['precision'][i]:.6f},{scores['recall'][i]:.6f},"
                    f"{scores['f1'][i]:.6f},{'' if auc is None else f'{auc:.6f}'},{sum(matrix[i])}")
    write_text_atomic(folder / "per_class_metrics.csv", "\n".join(rows) + "\n")
    with atomic_path(folder / "confusion_matrix.png", suffix=".png") as tmp:
        confusion_matrix_png(np.array(matrix), names, tmp)


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
