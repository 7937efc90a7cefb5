"""Which classes an image GAN's samples resemble, judged without training anything.

Each sample gets the majority label of its k nearest real training images (Euclidean distance on
pixels), weighted by how many of the k agree (its confidence). A class counts as produced when at
least 1 % of the samples fall in it, so a few ambiguous scribbles do not count as a digit. This is the
figure the gan-digits preset's target uses; the slow tests also judge samples with a trained CNN.
"""

from __future__ import annotations

import numpy as np

NEIGHBOURS = 5
MIN_SHARE = 0.01


def nearest_labels(samples: np.ndarray, real: np.ndarray, labels: np.ndarray, n_classes: int,
                   k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class, confidence = share of the k neighbours that agree) for each sample."""
    a = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    b = np.asarray(real, dtype=np.float64).reshape(len(real), -1)
    distance = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    nearest = np.argpartition(distance, min(k, len(b) - 1), axis=1)[:, :k]
    votes = np.zeros((len(a), n_classes))
    np.add.at(votes, (np.repeat(np.arange(len(a)), nearest.shape[1]), labels[nearest].ravel()), 1.0)
    return votes.argmax(1), votes.max(1) / nearest.shape[1]


def class_coverage(samples: np.ndarray, real: np.ndarray, labels: np.ndarray, n_classes: int) -> dict[str, float]:
    """classes_covered (classes holding >= 1 % of the samples), classes_total and class_confidence (mean)."""
    predicted, confidence = nearest_labels(samples, real, labels, n_classes)
    counts = np.bincount(predicted, minlength=n_classes)
    return {"classes_covered": float((counts >= MIN_SHARE * len(samples)).sum()), "classes_total": float(n_classes),
            "class_confidence": float(confidence.mean())}
