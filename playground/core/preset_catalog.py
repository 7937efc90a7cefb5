"""The bundled presets as a learner browses them: families, one-line descriptions, search, pictures.

The preset gallery (and anything else that lists presets) reads this instead of the preset files,
so which family a preset belongs to and what its card shows is decided once, without Qt. A preset's
family follows from what it is (its task and data), so a newly bundled preset lands in the right
group without being listed here; TEACHING_ORDER only decides the order within a family (simple
before hard, as the README's table reads). Listing reads each file's JSON without validating it, so
the gallery can show its cards at once; pictures (:func:`preset_thumbnail`) build the real data and
belong on a worker thread.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.core.data.importers import DatasetError
from playground.core.data.registry import DATASETS, make_dataset
from playground.core.io_shapes import data_shape
from playground.core.params import Problem
from playground.core.presets import MAX_FILE_BYTES, PresetError, bundled_presets
from playground.core.spec import Preset
from playground.core.thumbnails import DEFAULT_SIZE, data_picture, network_picture


@dataclass(frozen=True)
class Family:
    """A group of presets in the gallery; ``title`` and ``help`` are shown (and translated) as they are."""

    key: str
    title: str
    help: str


FAMILIES = (
    Family("classification", "2-D classification",
           "Points of two or more classes on a plane: watch the network draw the boundary between them."),
    Family("regression", "Regression", "A number for every point of the plane: the network learns its shape."),
    Family("images", "Images and CNNs", "Small pictures to tell apart, with dense networks or convolutions."),
    Family("gan", "GANs", "A generator learns to imitate the data while a discriminator tries to tell them apart."),
    Family("vae", "VAEs", "An encoder squeezes each image into a small latent code; a decoder rebuilds it."),
    Family("worked", "Worked examples", "A few numbers you can follow by hand through a forward pass and a step."),
)
UNSUPERVISED = ("gan", "vae")  # tasks that ignore labels: their image thumbnails are a random draw
FAMILY_KEYS = tuple(family.key for family in FAMILIES)
TEACHING_ORDER = (
    "circle-linear", "circle-features", "xor", "gauss", "moons", "spiral-deep", "multiclass-spiral", "blobs",
    "regression-plane", "regression-gauss", "digits-mlp", "digits-cnn", "shapes-cnn",
    "gan-moons", "gan-ring8", "gan-grid25", "gan-digits", "vae-digits-2d", "vae-digits", "vae-shapes",
    "seed-forward-pass",
)


@dataclass(frozen=True)
class CatalogEntry:
    """What a gallery card shows about one preset file."""

    name: str
    description: str
    family: str  # a key of FAMILIES
    task: str
    dataset: str  # the dataset's name
    path: Path


def family_of(task: str, dataset: str) -> str:
    """The family of a preset with this task and dataset name: data written into the preset itself
    (a few rows to follow by hand) makes a worked example; otherwise the task decides."""
    if dataset == "inline":
        return "worked"
    return {"gan": "gan", "vae": "vae", "image_classification": "images", "regression": "regression"}.get(
        task, "classification")


def read_entry(path: str | os.PathLike) -> CatalogEntry:
    """A preset file's name, description and family, read without validating the rest (fast enough
    for a file dialog's preview). PresetError when it is not a readable JSON preset at all."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PresetError([Problem("", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")], str(path))
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PresetError([Problem("", f"not a readable preset: {exc}")], str(path)) from None
    if not isinstance(doc, dict):
        raise PresetError([Problem("", "a preset must be a JSON object")], str(path))
    dataset = doc.get("dataset")
    dataset_name = dataset.get("name") if isinstance(dataset, dict) else None
    task, name, description = doc.get("task", "classification"), doc.get("name"), doc.get("description", "")
    return CatalogEntry(
        name=name if isinstance(name, str) and name else path.stem,
        description=" ".join(description.split()) if isinstance(description, str) else "",
        family=family_of(str(task), str(dataset_name)), task=str(task),
        dataset=str(dataset_name) if dataset_name is not None else "", path=path)


@functools.cache
def bundled_catalog() -> tuple[CatalogEntry, ...]:
    """Every bundled preset, in family order and teaching order within a family (unknown names after
    the known ones, alphabetically)."""
    entries = [read_entry(path) for path in bundled_presets().values()]
    rank = {name: i for i, name in enumerate(TEACHING_ORDER)}
    return tuple(sorted(entries, key=lambda e: (FAMILY_KEYS.index(e.family), rank.get(e.name, len(rank)), e.name)))


def grouped(entries: tuple[CatalogEntry, ...] | list[CatalogEntry]) -> list[tuple[Family, list[CatalogEntry]]]:
    """Entries by family, in FAMILIES order; families without entries are left out."""
    groups = [(family, [e for e in entries if e.family == family.key]) for family in FAMILIES]
    return [(family, members) for family, members in groups if members]


def matches(entry: CatalogEntry, query: str, description: str | None = None) -> bool:
    """Whether every word of ``query`` occurs (ignoring case) in the entry's name or description;
    ``description`` replaces the stored one (a translated description, say). An empty query matches."""
    text = f"{entry.name} {entry.name.replace('-', ' ')} {entry.description if description is None else description}"
    haystack = text.casefold()
    return all(word in haystack for word in query.casefold().split())


def preset_thumbnail(preset: Preset, size: int = DEFAULT_SIZE) -> np.ndarray:
    """The picture of a preset's data ((size, size, 4) uint8): its points, its distribution or a mosaic
    of its images; for data that is not a plane (a worked example), or data that cannot be built here
    (a file that is missing), a diagram of its network."""
    dataset = preset.dataset
    kind = DATASETS[dataset["name"]].kind
    if kind == "any":
        kind = "regression" if preset.task == "regression" else "classification"
    base_dir = Path(preset.source).parent if preset.source else None
    if dataset["name"] != "inline":
        try:
            data = make_dataset(dataset, seed=preset.seed, kind=kind, base_dir=base_dir)
            picture = data_picture(data, size, by_class=preset.task not in UNSUPERVISED)
        except (DatasetError, OSError, ValueError):
            picture = None
        if picture is not None:
            return picture
    return network_picture(network_widths(preset), size)


def network_widths(preset: Preset) -> list[int]:
    """Units per layer of the preset's first network, its inputs first: the Linear layers' widths."""
    network = next(iter(preset.networks.values()), None)
    shape, _ = data_shape(preset.dataset, preset.task)
    widths = [int(np.prod(shape))] if shape else []
    if network is not None:
        widths += [int(layer.params["width"]) for layer in network.layers
                   if layer.type == "Linear" and "width" in layer.params]
    return widths or [1]
