"""2-D and tabular datasets: TF-Playground-style generators, CSV and inline points, input features.

Pure numpy (no torch, no scikit-learn) so the GUI can import it quickly; every random draw comes
from ``np.random.default_rng(seed)`` so a preset's data is reproducible from its seed.
"""

from playground.core.data.features import FEATURE_NAMES, FeatureTransform
from playground.core.data.importers import load_points_csv
from playground.core.data.registry import (
    DATASETS,
    DatasetError,
    DatasetType,
    TabularData,
    check_dataset,
    make_dataset,
)

__all__ = [
    "DATASETS",
    "FEATURE_NAMES",
    "DatasetError",
    "DatasetType",
    "FeatureTransform",
    "TabularData",
    "check_dataset",
    "load_points_csv",
    "make_dataset",
]
