"""Preset files: validate JSON into a :class:`Preset`, save it back, find the bundled ones.

Validation reports every problem at once, each with its JSON path and what was expected
(``networks.main.layers[2].width: expected a positive integer, got -4``), so a user fixes a file in
one pass. Nothing is half-applied: either a whole valid Preset comes back or PresetError does.
"""

from __future__ import annotations

import json
import math
import os
from importlib import resources
from pathlib import Path
from typing import Any

from playground.core.atomic_files import write_text_atomic
from playground.core.data import check_dataset
from playground.core.io_shapes import data_shape
from playground.core.params import (
    CHOICE,
    FLOAT,
    INT,
    TEXT,
    Param,
    ParamGroup,
    Problem,
    check_object,
    did_you_mean,
    join,
)
from playground.core.preset_layers import check_networks
from playground.core.spec import FORMAT_VERSION, Preset
from playground.core.tasks.catalog import TASKS, network_inputs, network_output_problem
from playground.core.tasks.task_options import GAN_TARGET_METRICS, TASK_OPTIONS, VAE_TARGET_METRICS
from playground.core.training_options import DEFAULT_STEPS, EARLY_STOPPING, NESTED, OPTIMIZERS, SCHEDULERS, TRAINING

MAX_FILE_BYTES = 5 * 1024 * 1024
DEVICES = ("auto", "cpu", "cuda", "mps")

TOP_LEVEL = (
    Param("format", INT, FORMAT_VERSION, "Version of the preset format.", minimum=1),
    Param("name", TEXT, "untitled", "Short name shown in lists."),
    Param("description", TEXT, "", "One line shown in lists; says what the preset shows and its target."),
    Param("task", CHOICE, "classification", "What is learned.", choices=tuple(TASKS)),
    Param("seed", INT, 0, "Seed for data, initial weights and batch order: same seed, same run.", minimum=0,
          maximum=2**32 - 1),
    Param("device", CHOICE, "auto", "Where to train; auto picks CUDA, then Apple MPS, else the CPU.",
          choices=DEVICES),
)
SECTIONS = ("dataset", "networks", "training", "target")

TARGET = ParamGroup("target", "What a run with the default settings should reach.", (
    Param("metric", CHOICE, "test_accuracy", "The final metric the goal is about.",
          choices=("test_accuracy", "train_accuracy", "test_loss", "train_loss", *VAE_TARGET_METRICS,
                   *GAN_TARGET_METRICS)),
    Param("at_least", FLOAT, None, "The metric must end at or above this.", optional=True),
    Param("at_most", FLOAT, None, "The metric must end at or below this.", optional=True),
))

# format version -> function turning a document of that version into the next version
MIGRATIONS: dict[int, Any] = {}


class PresetError(Exception):
    """A preset cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        count = f"{len(problems)} problems" if len(problems) != 1 else "1 problem"
        super().__init__(f"{where}{count}\n" + "\n".join(f"  {p}" for p in problems))


def parse_preset(data: Any, source: str | None = None, *, check_fit: bool = True) -> Preset:
    """Validate a decoded JSON document; returns a Preset or raises PresetError with every problem.

    ``check_fit=False`` skips the cross-section checks (network shapes against the data), so that a
    summary can still be shown for a preset whose only problem is a layer that does not fit."""
    if not isinstance(data, dict):
        raise PresetError([Problem("", "a preset must be a JSON object")], source)
    data = _migrate(data, source)
    values, problems = check_object(data, TOP_LEVEL, "", allowed_extra=SECTIONS)
    target, found = check_target(data.get("target"))
    problems += found
    for section in SECTIONS[:3]:
        if section not in data:
            problems.append(Problem(section, "missing (required)"))
    if "description" in values and "\n" in values["description"]:
        problems.append(Problem("description", "must be one line"))
    task = values.get("task")
    dataset, found = check_dataset(data["dataset"], "dataset") if "dataset" in data else ({}, [])
    problems += found
    training, found = _check_training(data.get("training", {}), task)
    problems += found if "training" in data else []
    networks, found = check_networks(data.get("networks", {}), TASKS[task].networks if task in TASKS else ())
    problems += found if "networks" in data else []
    if check_fit and not problems and task in TASKS:
        problems += _check_fit(task, dataset, networks, training)
    if problems:
        raise PresetError(problems, source)
    training["steps"] = training["steps"] if training["steps"] is not None or training["epochs"] is not None \
        else DEFAULT_STEPS
    return Preset(name=values["name"], description=values["description"], task=task, dataset=dataset,
                  networks=networks, training=training, seed=values["seed"], device=values["device"],
                  target=target, source=source)


def load_preset(reference: str | os.PathLike, *, check_fit: bool = True) -> Preset:
    """Load a preset from a file path or a bundled preset's name; PresetError explains any failure."""
    path = resolve_preset(reference)
    text = _read_text(path)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PresetError([Problem("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")],
                          str(path)) from None
    except (ValueError, RecursionError) as exc:
        raise PresetError([Problem("", f"invalid JSON: {exc}")], str(path)) from None
    return parse_preset(data, str(path), check_fit=check_fit)


def save_preset(preset: Preset, path: str | os.PathLike) -> Path:
    """Write atomically (temporary file, then rename): a failure leaves any previous file intact."""
    path = Path(path)
    text = json.dumps(preset.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_text_atomic(path, text)
    return path


def bundled_presets() -> dict[str, Path]:
    """Name -> path of every preset shipped with the app, sorted by name."""
    folder = resources.files("playground.presets")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            found[entry.name[:-5]] = Path(str(entry))
    return dict(sorted(found.items()))


def resolve_preset(reference: str | os.PathLike) -> Path:
    """A path for a file path or a bundled name; PresetError naming the near misses otherwise."""
    path = Path(reference)
    if path.is_file():
        return path
    bundled = bundled_presets()
    if str(reference) in bundled:
        return bundled[str(reference)]
    if path.exists():
        raise PresetError([Problem("", "is not a file")], str(reference))
    hint = did_you_mean(str(reference), list(bundled))
    raise PresetError([Problem("", f"no such file or bundled preset{hint}; "
                               "'nn-playground presets' lists the bundled ones")], str(reference))


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PresetError([Problem("", f"file is larger than {MAX_FILE_BYTES // 2**20} MB; "
                                       "a preset is a small JSON file")], str(path))
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PresetError([Problem("", "not a text file (not UTF-8): is this really a preset?")],
                          str(path)) from None
    except OSError as exc:
        raise PresetError([Problem("", f"cannot read: {exc.strerror or exc}")], str(path)) from None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a preset (JSON has no NaN or Infinity)")


def _migrate(data: dict, source: str | None) -> dict:
    version = data.get("format", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PresetError([Problem("format", f"expected a format version (an integer >= 1), got {version!r}")],
                          source)
    if version > FORMAT_VERSION:
        raise PresetError([Problem("format", f"this preset uses format {version}, but this version of Neural "
                                   f"Playground reads formats up to {FORMAT_VERSION}; please update the app")],
                          source)
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["format"] = version
    return data


def check_target(data: Any) -> tuple[dict | None, list[Problem]]:
    """The optional goal a preset states, e.g. {"metric": "test_accuracy", "at_least": 0.95}."""
    if data is None:
        return None, []
    values, problems = check_object(data, TARGET.params, "target")
    if not problems and (values["at_least"] is None) == (values["at_most"] is None):
        problems.append(Problem("target", "give exactly one of at_least or at_most"))
    return values, problems


def _check_training(data: Any, task: Any = None) -> tuple[dict, list[Problem]]:
    options = TASK_OPTIONS.get(task) if isinstance(task, str) else None
    extra = NESTED + ((options.name,) if options else ())
    values, problems = check_object(data, TRAINING.params, "training", allowed_extra=extra)
    if not isinstance(data, dict):
        return values, problems
    if options is not None:
        values[options.name], found = check_object(data.get(options.name, {}), options.params,
                                                   f"training.{options.name}")
        problems += found
    for key, table, default in (("optimizer", OPTIMIZERS, "adam"), ("scheduler", SCHEDULERS, "none")):
        values[key], found = _check_typed(data.get(key, {"type": default}), table, f"training.{key}")
        problems += found
    es, found = check_object(data.get("early_stopping", {}), EARLY_STOPPING.params, "training.early_stopping")
    values["early_stopping"] = es
    problems += found
    if values.get("steps") is not None and values.get("epochs") is not None:
        problems.append(Problem("training", "give steps or epochs, not both"))
    opt = values["optimizer"]
    if opt.get("type") == "sgd" and opt.get("nesterov") and not opt.get("momentum"):
        problems.append(Problem("training.optimizer.nesterov", "needs momentum > 0"))
    return values, problems


def _check_typed(data: Any, table: dict, path: str) -> tuple[dict, list[Problem]]:
    """An object whose "type" picks a ParamGroup that declares its other keys."""
    if not isinstance(data, dict):
        return {}, [Problem(path, "expected an object with a \"type\"")]
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in table:
        hint = did_you_mean(kind, table)
        return {}, [Problem(join(path, "type"), f"expected one of {', '.join(table)}, got {kind!r}{hint}")]
    values, problems = check_object(data, table[kind].params, path, allowed_extra=("type",))
    return {"type": kind, **values}, problems


def _check_fit(task: str, dataset: dict, networks: dict, training: dict) -> list[Problem]:
    """Cross-section checks: dataset kind, loss, and every network's shapes against the data."""
    from playground.core.shape_inference import summarize

    spec = TASKS[task]
    problems = []
    name = dataset["name"]
    if name == "inline" and task == "regression" and not all(_is_number(v) for v in dataset["y"]):
        problems.append(Problem("dataset.y", "regression needs numeric targets"))
    from playground.core.data import DATASETS

    kind = DATASETS[name].kind
    if kind != "any" and kind not in spec.dataset_kinds:
        problems.append(Problem("dataset.name", f"{name!r} is a {kind} dataset; the task {task!r} needs a "
                                f"{' or '.join(spec.dataset_kinds)} dataset"))
    if training["loss"] not in ("auto", *spec.losses):
        allowed = f"use auto or one of {', '.join(spec.losses)}" if spec.losses else "use auto"
        problems.append(Problem("training.loss", f"{training['loss']!r} does not suit {task}; {allowed}"))
    input_shape, n_classes = data_shape(dataset, task)
    if input_shape is None:  # an image file decides: checked when the data loads
        return problems
    latent = training.get(task, {}).get("latent_size")
    pack = training.get(task, {}).get("pack", 1)
    for network, shape in network_inputs(task, input_shape, latent, pack).items():
        summary = summarize(networks[network].layers, shape, network)
        for row in summary.errors:
            problems.append(Problem(row.path, f"{row.type} {row.error}"))
        if not summary.ok:
            continue
        problem = network_output_problem(task, network, summary.output_shape, input_shape, n_classes)
        if problem:
            problems.append(Problem(f"networks.{network}", problem))
        if summary.total_params > 100_000_000:
            problems.append(Problem(f"networks.{network}", f"{summary.total_params:,} parameters is more than "
                                    "this app handles (100 million)"))
    return problems


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

