"""The datasets a preset can name, their settings, validation and construction.

Each dataset is declared once here as a :class:`DatasetType` whose :class:`Param` objects carry the
defaults, ranges and help text; the preset checker, the CLI, the docs and the GUI all read these
declarations, so adding a dataset means adding one entry to :data:`DATASETS` (plus a generator).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.data import toy2d
from playground.core.data.dataset_type import DatasetType
from playground.core.data.distributions import DISTRIBUTIONS, make_distribution
from playground.core.data.features import FEATURE_NAMES, columns_needed, fit_transform
from playground.core.data.images import IMAGE_DATASETS, ImageData, make_image_dataset
from playground.core.data.importers import (
    DatasetError,
    check_inline,
    encode_classes,
    encode_targets,
    inline_points,
    read_points_csv,
)
from playground.core.data.tabular import TabularData
from playground.core.params import (
    BOOL,
    FEATURES,
    FLOAT,
    INT,
    TEXT,
    Param,
    Problem,
    check_object,
    did_you_mean,
)

__all__ = ["DATASETS", "DatasetType", "TabularData", "DatasetError", "make_dataset", "check_dataset"]

TASK_KINDS = ("classification", "regression", "image", "distribution")
PLAYGROUND_EXTENT = (-6.0, 6.0, -6.0, 6.0)


def _noise(help_text: str) -> Param:
    return Param("noise", FLOAT, 0.0, help_text, minimum=0, maximum=50, unit="%")


SAMPLES = Param("samples", INT, 500, "How many points to generate, training and test together.",
                minimum=10, maximum=100_000)
TRAIN_PERCENT = Param("train_percent", INT, 50, "Share of the points used for training; the rest test "
                      "whether the network works on points it never saw.", minimum=10, maximum=90, unit="%")
FEATURES_PARAM = Param("features", FEATURES, ["x1", "x2"], "What the network is given for each point: the "
                       "coordinates x1, x2 and optional extras like x1^2 or sin_x1.", choices=FEATURE_NAMES)
STANDARDIZE = Param("standardize", BOOL, False, "Rescale each input to mean 0 and spread 1 (measured on "
                    "the training points), which often makes training easier.")
SEED = Param("seed", INT, None, "Random seed for this dataset; leave empty to use the preset's seed.",
             minimum=0, optional=True)
_TAIL = (TRAIN_PERCENT, FEATURES_PARAM, STANDARDIZE, SEED)

_SPIRAL_NOISE = "Percent position jitter: more noise scatters points off their spiral arm."
_SPREAD_NOISE = "Percent spread: more noise widens the clusters until they overlap."
_TARGET_NOISE = ("Percent target noise: each target is computed at a randomly nudged point, "
                 "so neighbouring points disagree.")


def _toy(name: str, kind: str, title: str, help_text: str, noise_help: str, *extra: Param) -> DatasetType:
    return DatasetType(name, kind, title, help_text, (SAMPLES, _noise(noise_help), *extra, *_TAIL))


_DECLARED = [
    _toy("circle", "classification", "Circle", "A disc of one class inside a ring of the other.",
         "Percent label noise: points near the gap between disc and ring may get the wrong label."),
    _toy("xor", "classification", "Exclusive or", "Four quadrants: one class where x1 and x2 have the "
         "same sign, the other where they differ.",
         "Percent label noise: points near the axes may get the other quadrant's label."),
    _toy("gauss", "classification", "Two Gaussians", "Two round clusters, one per class, on opposite "
         "corners.", _SPREAD_NOISE),
    _toy("spiral", "classification", "Two spirals", "Two interleaved spiral arms, one per class: hard "
         "for a small network.", _SPIRAL_NOISE),
    _toy("moons", "classification", "Two moons", "Two interleaving half circles, one per class.",
         "Percent position jitter: more noise blurs the two half circles into each other."),
    _toy("multiclass-spiral", "classification", "Spiral arms", "Several interleaved spiral arms, one "
         "class each.", _SPIRAL_NOISE,
         Param("classes", INT, 3, "Number of spiral arms, one class each.", minimum=3, maximum=5)),
    _toy("blobs", "classification", "Blobs", "Round clusters evenly spaced on a circle, one class each.",
         _SPREAD_NOISE,
         Param("classes", INT, 3, "Number of clusters, one class each.", minimum=3, maximum=5)),
    _toy("regression-plane", "regression", "Plane", "Predict a number that rises steadily from one "
         "corner to the opposite one.", _TARGET_NOISE),
    _toy("regression-gauss", "regression", "Hills and valleys", "Predict a number shaped by six bumps, "
         "three up and three down.", _TARGET_NOISE),
    DatasetType("csv", "any", "CSV file", "Your own points from a CSV file with lines x1, x2, label; "
                "text labels are classes, numeric labels can be classes or regression targets.",
                (Param("path", TEXT, "", "The CSV file to load; a relative path starts at the preset's "
                       "folder."), *_TAIL)),
    DatasetType("inline", "any", "Points in the preset", "A few points written in the preset: x is a "
                "list of rows of numbers (any width), y one label or target per row.",
                (Param("train_percent", INT, 100, "Share of rows used for training; at 100 the network "
                       "is tested on its training rows.", minimum=10, maximum=100, unit="%"), SEED),
                extra_keys=("x", "y")),
]
DATASETS: dict[str, DatasetType] = {d.name: d for d in (*_DECLARED, *IMAGE_DATASETS, *DISTRIBUTIONS)}


def check_dataset(data: object, path: str = "dataset") -> tuple[dict, list[Problem]]:
    """Validate a preset's dataset object; returns (values with defaults filled, all problems).

    Never raises. An unknown or missing name stops the check there (the allowed keys depend on it)
    and returns empty values.
    """
    name_path = f"{path}.name"
    if not isinstance(data, dict):
        return {}, [Problem(path, 'expected an object like {"name": "spiral"}')]
    name = data.get("name")
    if name is None:
        return {}, [Problem(name_path, "required: one of " + ", ".join(DATASETS))]
    if not isinstance(name, str) or name not in DATASETS:
        hint = did_you_mean(name, DATASETS)
        shown = repr(name) if isinstance(name, str) else "a non-string value"
        return {}, [Problem(name_path, f"expected one of {', '.join(DATASETS)}, got {shown}{hint}")]
    dtype = DATASETS[name]
    values, problems = check_object(data, dtype.params, path, allowed_extra=("name", *dtype.extra_keys))
    values = {"name": name, **values}
    if name in ("csv", "npz", "image-folder", "points-csv") and isinstance(values.get("path"), str) \
            and not values["path"].strip():
        example = {"csv": "points.csv", "npz": "images.npz", "image-folder": "my-images",
                   "points-csv": "points.csv"}[name]
        problems.append(Problem(f"{path}.path", f'required: the file or folder to load, e.g. "{example}"'))
    if name == "shapes" and not problems and values["scale_min"] > values["scale_max"]:
        problems.append(Problem(f"{path}.scale_min", "must not exceed scale_max"))
    if name == "inline":
        extra, found = check_inline(data, path)
        values.update(extra)
        problems.extend(found)
    return values, problems


def make_dataset(values: dict, *, seed: int, kind: str, base_dir: Path | None = None) -> TabularData | ImageData:
    """Build the dataset described by ``values`` (from :func:`check_dataset`) for a task of ``kind``.

    ``values["seed"]`` overrides the preset's ``seed`` when not None. Raises :class:`DatasetError`
    when the data cannot serve the task or a CSV file is unusable.
    """
    name = values.get("name")
    dtype = DATASETS.get(name) if isinstance(name, str) else None
    if dtype is None:
        raise DatasetError(f"unknown dataset {name!r}; expected one of {', '.join(DATASETS)}")
    if kind not in TASK_KINDS:
        raise DatasetError(f"unknown task kind {kind!r}; expected classification, regression, image or distribution")
    if dtype.kind not in ("any", kind):
        fitting = ", ".join(d.name for d in DATASETS.values() if d.kind in (kind, "any"))
        raise DatasetError(f"the {name!r} dataset is for {dtype.kind}, but this task is {kind}; "
                           f"use one of: {fitting}")
    v = {**dtype.defaults(), **values}
    if dtype.kind == "image":
        return make_image_dataset(v, seed=seed, base_dir=base_dir)
    if dtype.kind == "distribution":
        return make_distribution(v, seed=seed, base_dir=base_dir)
    rng = np.random.default_rng(seed if v.get("seed") is None else v["seed"])

    extent = PLAYGROUND_EXTENT
    if name == "csv":
        points, y, class_names = _load_csv(v["path"], kind, base_dir)
        extent = _extent(points)
    elif name == "inline":
        points, labels, where = inline_points(v)
        y, class_names = _encode(labels, where, kind, "dataset.y")
        extent = _extent(points)
    else:
        extra = {"classes": v["classes"]} if "classes" in v else {}
        points, raw = toy2d.GENERATORS[name](v["samples"], v["noise"] / 100.0, rng, **extra)
        if kind == "regression":
            y, class_names = raw.astype(np.float32).reshape(-1, 1), []
        elif "classes" in v:
            y, class_names = raw.astype(np.int64), [str(k) for k in range(v["classes"])]
        else:  # TF Playground's +1/-1 labels: -1 -> class 0, +1 -> class 1
            y, class_names = (raw > 0).astype(np.int64), ["-1", "1"]

    points = np.asarray(points, dtype=np.float32)
    train, test = _split(len(points), v["train_percent"], rng, allow_empty_test=name == "inline")
    features = None if name == "inline" else v["features"]
    if features is not None and columns_needed(features) > points.shape[1]:
        raise DatasetError(f"features {features} need 2-D points, but the data has {points.shape[1]} column")
    transform = fit_transform(features, points[train], v.get("standardize", False))
    x_train, x_test = transform(points[train]), transform(points[test])
    if not (np.isfinite(x_train).all() and np.isfinite(x_test).all()):
        raise DatasetError("the chosen features overflow for these values; "
                           "use smaller numbers or fewer features")
    names = list(features) if features is not None else [f"in{i + 1}" for i in range(points.shape[1])]
    return TabularData(
        name=name, kind=kind, x_train=x_train, y_train=y[train], x_test=x_test, y_test=y[test],
        points_train=points[train], points_test=points[test], feature_names=names,
        class_names=class_names, extent=extent, transform=transform,
    )


def _load_csv(path_text: str, kind: str, base_dir: Path | None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    data = read_points_csv(path)
    y, class_names = _encode(data.labels, data.where(), kind, data.name)
    return data.points, y, class_names


def _encode(labels: list[str], where: list[str], kind: str, source: str) -> tuple[np.ndarray, list[str]]:
    if kind == "regression":
        return encode_targets(labels, where), []
    return encode_classes(labels, source)


def _split(n: int, train_percent: int, rng: np.random.Generator, *, allow_empty_test: bool
           ) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle with the seed and cut: the first round(n * percent / 100) are training points.

    At least one training point, and at least one test point unless ``allow_empty_test`` (inline
    data at 100%), in which case the test split is a copy of the training split so test metrics
    still have something to measure.
    """
    order = rng.permutation(n)
    n_train = round(n * train_percent / 100)
    n_train = max(1, min(n_train, n if allow_empty_test else n - 1))
    train, test = order[:n_train], order[n_train:]
    return train, (test if len(test) else train.copy())


def _extent(points: np.ndarray) -> tuple[float, float, float, float]:
    """Plot range of user data: the data range plus a 10% margin (1 on an axis with no spread).

    One-column data gets (-1, 1) on the second axis.
    """
    out: list[float] = []
    for col in range(2):
        if col >= points.shape[1]:
            out += [-1.0, 1.0]
            continue
        lo, hi = float(points[:, col].min()), float(points[:, col].max())
        margin = 0.1 * (hi - lo) if hi > lo else 1.0
        out += [lo - margin, hi + margin]
    return (out[0], out[1], out[2], out[3])


def count_classes(values: dict, base_dir: Path | None = None) -> int | None:
    """How many classes a file-backed dataset holds, read cheaply (folder names, the labels of an .npz
    or CSV), so an editor can size the output layer before training; None when it cannot tell."""
    from playground.core.data import image_files

    name = values.get("name")
    try:
        if name == "image-folder":
            folder = image_files.resolve(values["path"], base_dir)
            return sum(1 for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        if name == "npz":
            with np.load(image_files.resolve(values["path"], base_dir), allow_pickle=False) as archive:
                return len(np.unique(archive["y"])) if "y" in archive.files else None
        if name == "csv":
            return len(set(read_points_csv(image_files.resolve(values["path"], base_dir)).labels))
    except (OSError, ValueError, KeyError, DatasetError):
        return None
    return None
