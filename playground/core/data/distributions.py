"""2-D distributions for GANs to imitate (kind "distribution"), as in GAN Lab and the mode-collapse papers.

Mixtures of Gaussians (a ring of 8 on the unit circle with sigma 0.01, a 5x5 grid at {-4,-2,0,2,4}^2
with sigma 0.05) know their modes, so a run can count the modes its generator covers; spiral, two
moons, a line and the user's own CSV of points are judged by precision and recall instead (see
:mod:`playground.core.tasks.gan.mode_metrics`). Pure NumPy and seeded like the other datasets; labels do
not exist here (``y`` is all zeros, so views built for labelled points still work).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.core.data.dataset_type import DatasetType
from playground.core.data.importers import DatasetError, _read_text, _separator, _split, parse_number
from playground.core.data.tabular import TabularData
from playground.core.params import FLOAT, INT, TEXT, Param

KIND = "distribution"
SAMPLES = Param("samples", INT, 10_000, "How many real points to draw, training and test together.",
                minimum=100, maximum=200_000)
TRAIN_PERCENT = Param("train_percent", INT, 75, "Share of the points the discriminator sees as real data; the "
                      "rest are held back to measure the generated points against.", minimum=10, maximum=90,
                      unit="%")
SEED = Param("seed", INT, None, "Random seed for this dataset; leave empty to use the preset's seed.",
             minimum=0, optional=True)
NOISE = Param("noise", FLOAT, 0.05, "Standard deviation of the Gaussian jitter added to every point.",
              minimum=0, maximum=2)
_TAIL = (TRAIN_PERCENT, SEED)

DISTRIBUTIONS = [
    DatasetType("gaussian-ring", KIND, "Ring of Gaussians", "Gaussian blobs evenly spaced on a circle (8 on the "
                "unit circle with sigma 0.01 by default): the classic test of mode collapse.",
                (SAMPLES, Param("modes", INT, 8, "How many Gaussians sit on the circle.", minimum=2, maximum=64),
                 Param("radius", FLOAT, 1.0, "Radius of the circle.", minimum=0.01, maximum=100),
                 Param("sigma", FLOAT, 0.01, "Standard deviation of each Gaussian.", minimum=0.0001, maximum=10),
                 *_TAIL)),
    DatasetType("gaussian-grid", KIND, "Grid of Gaussians", "Gaussian blobs on a square grid (5x5 at "
                "{-4, -2, 0, 2, 4}^2 with sigma 0.05 by default): many modes to cover at once.",
                (SAMPLES, Param("per_side", INT, 5, "Gaussians along each side of the grid.", minimum=2, maximum=15),
                 Param("spacing", FLOAT, 2.0, "Distance between neighbouring Gaussians.", minimum=0.01, maximum=100),
                 Param("sigma", FLOAT, 0.05, "Standard deviation of each Gaussian.", minimum=0.0001, maximum=10),
                 *_TAIL)),
    DatasetType("spiral-curve", KIND, "Spiral", "Points along one spiral arm (two turns), jittered by the noise.",
                (SAMPLES, NOISE, *_TAIL)),
    DatasetType("two-moons", KIND, "Two moons", "Points on two interleaving half circles (the moons dataset).",
                (SAMPLES, NOISE, *_TAIL)),
    DatasetType("line", KIND, "A line", "Points spread evenly along a diagonal segment from (-1, -1) to (1, 1).",
                (SAMPLES, Param("noise", FLOAT, 0.02, "Standard deviation of the jitter across the line.",
                                minimum=0, maximum=2), *_TAIL)),
    DatasetType("points-csv", KIND, "CSV file of points", "Your own 2-D points from a CSV file with lines x1, x2 "
                "(an optional third column, such as a label, is ignored).",
                (Param("path", TEXT, "", "The CSV file to load; a relative path starts at the preset's folder."),
                 *_TAIL)),
]
NAMES = tuple(d.name for d in DISTRIBUTIONS)


@dataclass
class DistributionData(TabularData):
    """Real points of a 2-D distribution, shaped like the playground's TabularData (so the data views
    and the worker read it alike); ``modes`` (k, 2) and ``sigma`` when it is a Gaussian mixture."""

    modes: np.ndarray | None = None
    sigma: float | None = None


def make_distribution(values: dict, *, seed: int, base_dir: Path | None = None) -> DistributionData:
    """Draw (or read) the points named by validated ``values`` and split them with the seed."""
    name = values["name"]
    rng = np.random.default_rng(seed if values.get("seed") is None else values["seed"])
    modes, sigma = None, None
    if name == "points-csv":
        points = read_xy_csv(_resolve(values.get("path", ""), base_dir))
    elif name in ("gaussian-ring", "gaussian-grid"):
        modes = ring_modes(values["modes"], values["radius"]) if name == "gaussian-ring" else \
            grid_modes(values["per_side"], values["spacing"])
        sigma = float(values["sigma"])
        which = rng.integers(0, len(modes), values["samples"])
        points = modes[which] + rng.normal(0.0, sigma, (values["samples"], 2))
    else:
        points = CURVES[name](values["samples"], rng) + rng.normal(0.0, values["noise"], (values["samples"], 2))
    points = np.asarray(points, dtype=np.float32)
    order = rng.permutation(len(points))
    n_train = min(max(1, round(len(points) * values["train_percent"] / 100)), len(points) - 1)
    train, test = order[:n_train], order[n_train:]
    zeros = np.zeros(len(points), dtype=np.int64)
    return DistributionData(
        name=name, kind=KIND, x_train=points[train], y_train=zeros[train], x_test=points[test], y_test=zeros[test],
        points_train=points[train], points_test=points[test], feature_names=["x1", "x2"], class_names=[],
        extent=square_extent(points), transform=lambda p: np.asarray(p, dtype=np.float32), modes=modes, sigma=sigma,
    )


def ring_modes(k: int, radius: float) -> np.ndarray:
    angle = 2.0 * np.pi * np.arange(k) / k
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def grid_modes(per_side: int, spacing: float) -> np.ndarray:
    ticks = (np.arange(per_side) - (per_side - 1) / 2.0) * spacing
    return np.array([(x, y) for x in ticks for y in ticks], dtype=np.float64)


def _spiral(n: int, rng: np.random.Generator) -> np.ndarray:
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 4.0 * np.pi  # two turns, evenly spread along the arm
    r = 0.25 + t / (4.0 * np.pi) * 1.75
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def _moons(n: int, rng: np.random.Generator) -> np.ndarray:
    t = rng.uniform(0.0, np.pi, n)
    upper = rng.uniform(size=n) < 0.5
    x = np.where(upper, np.cos(t), 1.0 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    return np.stack([x - 0.5, y - 0.25], axis=1)


def _line(n: int, rng: np.random.Generator) -> np.ndarray:
    t = rng.uniform(-1.0, 1.0, n)
    return np.stack([t, t], axis=1)


CURVES = {"spiral-curve": _spiral, "two-moons": _moons, "line": _line}


def square_extent(points: np.ndarray) -> tuple[float, float, float, float]:
    """A square plot range centred on the data with a 30 % margin, so stray generated points show."""
    lo, hi = points.min(axis=0).astype(float), points.max(axis=0).astype(float)
    centre, half = (lo + hi) / 2.0, max(float((hi - lo).max()) / 2.0, 0.5) * 1.3
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


def _resolve(path_text: str, base_dir: Path | None) -> Path:
    if not str(path_text).strip():
        raise DatasetError('dataset.path: required for the "points-csv" dataset, e.g. "points.csv"')
    path = Path(path_text).expanduser()
    return Path(base_dir) / path if not path.is_absolute() and base_dir is not None else path


def read_xy_csv(path: Path) -> np.ndarray:
    """Points (n, 2) from lines ``x1, x2`` (a third column is ignored); a header line is allowed. Uses the
    shared CSV reader's rules (separators, quotes, comments) and names the file and line of any problem."""
    text = _read_text(Path(path))
    name = Path(path).name
    rows = [(i + 1, line) for i, line in enumerate(text.split("\n"))
            if line.strip() and not line.lstrip().startswith("#")]
    if not rows:
        raise DatasetError(f"{name}: the file is empty (expected lines of x1, x2)")
    sep = _separator([line for _, line in rows])
    points = []
    for index, (number, line) in enumerate(rows):
        fields = _split(line, sep, f"{name}, line {number}")
        if len(fields) not in (2, 3):
            raise DatasetError(f"{name}, line {number}: expected 2 fields (x1, x2), got {len(fields)}")
        values = [parse_number(fields[0]), parse_number(fields[1])]
        if index == 0 and values == [None, None]:
            continue  # a header
        for field, value, text_value in zip(("x1", "x2"), values, fields, strict=False):
            if value is None:
                raise DatasetError(f"{name}, line {number}: {field} is not a finite number: {text_value!r}")
        points.append(values)
    if len(points) < 10:
        raise DatasetError(f"{name}: needs at least 10 points to learn a distribution from, found {len(points)}")
    return np.array(points, dtype=np.float64)
