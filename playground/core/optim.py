"""Optimisers and learning-rate schedules from the preset's training section.

Schedules are plain functions of the step (``factor(step)``) rather than torch LR-scheduler
objects: the learning rate can then be changed mid-run by replacing the base rate, and a resumed
run needs only the step to know its rate.
"""

from __future__ import annotations

import math

import torch


def make_optimizer(params, training: dict) -> torch.optim.Optimizer:
    opt = training["optimizer"]
    lr = training["learning_rate"]
    kind = opt["type"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=opt["momentum"], nesterov=opt["nesterov"],
                               weight_decay=opt["weight_decay"])
    if kind in ("adam", "adamw"):
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return cls(params, lr=lr, betas=(opt["beta1"], opt["beta2"]), weight_decay=opt["weight_decay"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=opt["alpha"], momentum=opt["momentum"],
                                   weight_decay=opt["weight_decay"])
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, weight_decay=opt["weight_decay"])
    raise KeyError(kind)


def learning_rate_at(scheduler: dict, base_lr: float, step: int, total_steps: int) -> float:
    """The learning rate used for optimisation step ``step`` (0-based) of a run of ``total_steps``."""
    kind = scheduler["type"]
    if kind == "step":
        return base_lr * scheduler["gamma"] ** (step // scheduler["step_size"])
    if kind == "exponential":
        return base_lr * scheduler["gamma"] ** step
    if kind == "cosine":
        span = max(total_steps - 1, 1)
        t = min(step, span) / span
        low = min(scheduler["min_lr"], base_lr)
        return low + (base_lr - low) * 0.5 * (1 + math.cos(math.pi * t))
    return base_lr


def pick_device(choice: str) -> torch.device:
    """'auto' prefers CUDA, then Apple's MPS, else the CPU; an unavailable choice raises ValueError."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if choice == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if choice == "cuda" and not cuda:
        raise ValueError("device 'cuda' was asked for, but no CUDA GPU is available here; use 'auto' or 'cpu'")
    if choice == "mps" and not mps:
        raise ValueError("device 'mps' was asked for, but Apple's MPS is not available here; use 'auto' or 'cpu'")
    return torch.device(choice)
