"""The preset reference (docs/reference.md), rendered from the declarations themselves.

Every setting's type, default, range and help is declared once (layers, datasets, training
options); this renders them as Markdown so the docs can never drift from the code. A test checks
that docs/reference.md equals this output; regenerate it with
``python -m playground.core.reference > docs/reference.md``.
"""

from __future__ import annotations

import json

from playground.core.data import DATASETS
from playground.core.layers import CATEGORIES, LAYERS
from playground.core.params import Param
from playground.core.presets import TARGET, TOP_LEVEL
from playground.core.tasks.catalog import TASKS
from playground.core.tasks.task_options import TASK_OPTIONS
from playground.core.training_options import EARLY_STOPPING, OPTIMIZERS, SCHEDULERS, TRAINING
from playground.core.weight_init import INITS


def render() -> str:
    out = [
        "# Preset reference",
        "",
        "Generated from the declarations in `playground/core` by "
        "`python -m playground.core.reference > docs/reference.md`; do not edit by hand.",
        "Every setting may be left out and then takes its default.",
        "",
        "## Top level",
        "",
        *_table(TOP_LEVEL),
        "",
        "`task`, `dataset`, `networks` and `training` are required; `target` is optional.",
        "",
        "## Tasks",
        "",
    ]
    for task in TASKS.values():
        out.append(f"- **{task.name}**: {task.help} Networks: {', '.join(task.networks)}. "
                   f"Losses: auto, {', '.join(task.losses)}.")
    out += ["", "## Datasets (`dataset`)", ""]
    for ds in DATASETS.values():
        out += [f"### {ds.name}: {ds.title}", "", ds.help, ""]
        if ds.extra_keys:
            out += [f"Also takes: {', '.join(f'`{k}`' for k in ds.extra_keys)}.", ""]
        out += [*_table(ds.params), ""]
    out += ["## Layers (`networks.NAME.layers[i]`)", "",
            "Each layer is an object with a `type` and its settings; a Residual block also has `layers`. "
            "Layers with weights accept `init`, e.g. `{\"weight\": {\"kind\": \"normal\", \"std\": 0.1}}`.", ""]
    for category in CATEGORIES:
        out += [f"### {category}", ""]
        for layer in (t for t in LAYERS.values() if t.category == category):
            out += [f"#### {layer.name}", "", layer.help, ""]
            out += [*_table(layer.params), ""] if layer.params else []
    out += ["### Initialisations (`init`)", ""]
    for group in INITS.values():
        settings = ", ".join(f"`{p.name}` (default {_value(p.default)})" for p in group.params)
        out.append(f"- **{group.name}**: {group.help}" + (f" Settings: {settings}." if settings else ""))
    out += ["", "## Training (`training`)", "", *_table(TRAINING.params), ""]
    for title, key, table in (("Optimisers", "optimizer", OPTIMIZERS), ("Schedules", "scheduler", SCHEDULERS)):
        out += [f"### {title} (`training.{key}`, chosen by `type`)", ""]
        for group in table.values():
            out += [f"#### {group.name}", "", group.help, ""]
            out += [*_table(group.params), ""] if group.params else []
    out += ["### Early stopping (`training.early_stopping`)", "", EARLY_STOPPING.help, "",
            *_table(EARLY_STOPPING.params), ""]
    for task, group in TASK_OPTIONS.items():
        out += [f"### {TASKS[task].title} options (`training.{group.name}`)", "", group.help, "",
                *_table(group.params), ""]
    out += ["## Target (`target`)", "", TARGET.help, "", *_table(TARGET.params),
            ""]
    return "\n".join(out)


def _table(params: tuple[Param, ...]) -> list[str]:
    rows = ["| setting | type | default | allowed | what it does |", "|---|---|---|---|---|"]
    for p in params:
        rows.append(f"| `{p.name}` | {p.kind} | {_value(p.default)} | {p.describe_expected()} | {p.help} |")
    return rows


def _value(value) -> str:
    return "`" + json.dumps(value) + "`"


if __name__ == "__main__":
    print(render(), end="")
