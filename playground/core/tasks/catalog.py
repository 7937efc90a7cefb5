"""What each task is, which networks it needs and what it asks of them - declarations only.

The validator reads this to check a preset before anything is built; the task modules
(:mod:`classify`, later image, GAN and VAE tasks) implement the training maths.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskType:
    name: str
    title: str
    help: str
    networks: tuple[str, ...]  # the networks a preset for this task must define, in order
    dataset_kind: str  # the kind of dataset it trains on
    losses: tuple[str, ...]  # allowed values of training.loss besides "auto"
    default_loss: str


TASKS: dict[str, TaskType] = {
    t.name: t
    for t in (
        TaskType("classification", "Classification",
                 "Predict which class each point belongs to; scored by accuracy.",
                 ("main",), "classification", ("cross_entropy", "mse"), "cross_entropy"),
        TaskType("image_classification", "Image classification",
                 "Predict which class each image shows; scored by accuracy and a confusion matrix.",
                 ("main",), "image", ("cross_entropy",), "cross_entropy"),
        TaskType("regression", "Regression",
                 "Predict a number for each point; scored by mean squared error.",
                 ("main",), "regression", ("mse", "l1", "huber"), "mse"),
    )
}


def required_outputs(task: str, n_classes: int | None) -> tuple[int, ...] | None:
    """The output sizes the main network may have: k classes (or 1 logit when k == 2), or 1 value."""
    if task == "regression":
        return (1,)
    if n_classes is None:
        return None
    return (n_classes, 1) if n_classes == 2 else (n_classes,)


def describe_outputs(task: str, n_classes: int | None) -> str:
    if task == "regression":
        return "1 output (the predicted value)"
    if n_classes == 2:
        return "2 outputs (one per class) or 1 (a single logit)"
    return f"{n_classes} outputs (one per class)"
