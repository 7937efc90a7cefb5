"""How well generated samples match the data: mode coverage for Gaussian mixtures, precision and recall
for any 2-D distribution. Pure NumPy; the trainer feeds it 2,500 generated samples.

Modes covered and high-quality samples are the measures of the mode-collapse literature (VEEGAN,
PacGAN): a mode counts as covered when at least one sample lies within 3 sigma of its centre, and a
sample is of high quality when it lies within 3 sigma of its nearest mode.

Precision and recall follow Kynkaenniemi et al. (2019): each real point owns a ball reaching its k-th
nearest real neighbour; precision is the share of generated samples inside some real ball, recall the
share of real points inside some generated sample's ball (built the same way from generated samples);
the trainer measures them on 1,000 generated and 1,000 held-out real points.
"""

from __future__ import annotations

import numpy as np

EVAL_SAMPLES = 2500
PR_SAMPLES = 1000  # precision and recall compare 1,000 generated with 1,000 real points (the cost grows as n^2)
COVERAGE_SIGMAS = 3.0
NEIGHBOURS = 3


def _distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.maximum(squared, 0.0))


def mode_coverage(samples: np.ndarray, modes: np.ndarray, sigma: float) -> dict[str, float]:
    """modes_covered (count), modes_total and high_quality (fraction of samples within 3 sigma of their
    nearest mode). Non-finite samples count as far from every mode."""
    samples = np.nan_to_num(np.asarray(samples, dtype=np.float64), nan=1e30, posinf=1e30, neginf=-1e30)
    distance = _distances(samples, modes)
    near = distance < COVERAGE_SIGMAS * sigma
    return {"modes_covered": float(near.any(axis=0).sum()), "modes_total": float(len(modes)),
            "high_quality": float(near.any(axis=1).mean()) if len(samples) else 0.0}


def radii(points: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Each point's distance to its k-th nearest neighbour among ``points`` (itself excluded)."""
    distance = _distances(points, points)
    kth = min(k, len(points) - 1)
    return np.partition(distance, kth, axis=1)[:, kth]


def precision_recall(samples: np.ndarray, real: np.ndarray, k: int = NEIGHBOURS,
                     real_radii: np.ndarray | None = None) -> dict[str, float]:
    """precision (generated samples that look real) and recall (real data the generator reaches), in [0, 1].
    ``real_radii`` (from :func:`radii`) saves recomputing them when the real points stay the same."""
    samples = np.nan_to_num(np.asarray(samples, dtype=np.float64), nan=1e30, posinf=1e30, neginf=-1e30)
    real = np.asarray(real, dtype=np.float64)
    cross = _distances(samples, real)  # (fake, real)
    real_radii = radii(real, k) if real_radii is None else real_radii
    precision = (cross <= real_radii[None, :]).any(axis=1).mean()
    recall = (cross <= radii(samples, k)[:, None]).any(axis=0).mean()
    return {"precision": float(precision), "recall": float(recall)}
