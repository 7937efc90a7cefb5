"""Short sentences about a run that the window and the command line both show, in the same words.

Qt-free: each function takes ``tr`` (the window passes its translator; the command line prints
the English) and applies it to the sentence's template before filling it in.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


def batch_size_note(asked: int, n_train: int, tr: Translate = _same) -> str:
    """'' when a batch of ``asked`` fits the ``n_train`` training samples; else what a step really uses
    (a batch cannot hold more samples than the training set has, so it holds them all)."""
    if n_train <= 0 or asked <= n_train:
        return ""
    return tr("batch size {asked} is larger than the {n_train} training samples; each step uses all {n_train}") \
        .format(asked=f"{asked:,}", n_train=f"{n_train:,}")


FIGURE_NAMES = {"test_accuracy": "test accuracy", "test_loss": "test loss", "train_accuracy": "train accuracy",
                "train_loss": "train loss"}


def _figure(name: str, value: float, tr: Translate) -> str:
    label = tr(FIGURE_NAMES.get(name, name.replace("_", " ")))
    if not math.isfinite(value):
        return f"{label} {value}"
    if name.endswith("accuracy"):
        return f"{label} {value:.1%}"
    if float(value).is_integer() and abs(value) < 1e6:
        return f"{label} {int(value)}"
    return f"{label} {value:.4g}"


def target_reached(scores: dict[str, float], target: dict | None) -> bool | None:
    """Whether the figures meet the preset's target (None: no target, or its metric is not among them)."""
    metric = (target or {}).get("metric")
    if not metric or scores.get(metric) is None:
        return None
    value = float(scores[metric])
    return value >= target["at_least"] if target.get("at_least") is not None else value <= target["at_most"]


def final_figures(scores: dict[str, float], target: dict | None = None, tr: Translate = _same) -> str:
    """'test accuracy 98.0%, test loss 0.0741' plus the preset's target metric when it is another
    figure, and whether the target was reached."""
    names = [n for n in ("test_accuracy", "test_loss") if scores.get(n) is not None]
    metric = (target or {}).get("metric")
    if metric and metric not in names and scores.get(metric) is not None:
        names.append(metric)
    text = ", ".join(_figure(n, float(scores[n]), tr) for n in names)
    reached = target_reached(scores, target)
    if reached is not None:
        goal = f"≥ {target['at_least']:g}" if target.get("at_least") is not None else f"≤ {target['at_most']:g}"
        verdict = tr("target {metric} {goal} reached") if reached else tr("target {metric} {goal} not reached")
        text += "; " + verdict.format(metric=tr(FIGURE_NAMES.get(metric, metric.replace("_", " "))), goal=goal)
    return text


def run_end_notice(status: str, step: int, scores: dict[str, float] | None, target: dict | None = None,
                   tr: Translate = _same) -> str:
    """What a run that ended on its own came to: 'Training finished at step 1,500. Test accuracy 98.0%,
    test loss 0.0741.' (or stopped early, where the kept weights are the best ones seen)."""
    if status == "early_stopped":
        head = tr("Stopped early at step {step}: the test loss had stopped improving, so the weights with the best "
                  "test loss were kept")
    else:
        head = tr("Training finished at step {step}")
    head = head.format(step=f"{step:,}")
    figures = final_figures(scores or {}, target, tr)
    return f"{head}. {figures[:1].upper()}{figures[1:]}." if figures else f"{head}."
