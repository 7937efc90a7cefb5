"""Optimisers and learning-rate schedules from the preset's training section.

Schedules are plain functions of the step (``factor(step)``) rather than torch LR-scheduler
objects: the learning rate can then be changed mid-run by replacing the base rate, and a resumed
run needs only the step to know its rate.
"""

from __future__ import annotations

import math
import sys
import types

import torch
import torch.optim.optimizer as torch_optimizer


def make_optimizer(params, training: dict) -> torch.optim.Optimizer:
    skip_dynamo_import()
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


# ---- PyTorch without TorchDynamo ---------------------------------------------------------------
# Since PyTorch 2, optimisers import TorchDynamo (torch.compile's tracer, with sympy) the first time
# one is built and again inside every ``step()``, only so that torch.compile will not trace into them.
# That import costs about 1.1 s of CPU, close to importing torch itself, and this app never compiles:
# it is most of the wait between the window's first paint and a Start that trains. The two functions
# below keep the same eager arithmetic without that import; where PyTorch's wrappers are not the ones
# recognised here, or something in the process has loaded TorchDynamo anyway (then the import is
# free), they fall back to the plain calls.

_DYNAMO_SKIPPED = False


def skip_dynamo_import() -> None:
    """Let ``Optimizer.add_param_group``, ``zero_grad``, ``state_dict`` and ``load_state_dict`` run
    without importing TorchDynamo. Each is wrapped in ``torch._disable_dynamo``, whose wrapper first
    looks up the original function's ``__dynamo_disable`` attribute and imports TorchDynamo only to
    fill it in; pointing it at the function itself gives the eager call the wrapper makes anyway
    when nothing is being compiled. Done once, and only while TorchDynamo is not loaded."""
    global _DYNAMO_SKIPPED
    if _DYNAMO_SKIPPED:
        return
    _DYNAMO_SKIPPED = True
    compile_module = sys.modules.get("torch._compile")
    if "torch._dynamo" in sys.modules or compile_module is None:
        return
    try:
        wrapper_code = compile_module._disable_dynamo(lambda: None).__code__
    except Exception:  # noqa: BLE001 - a PyTorch without this helper: nothing to do
        return
    for member in vars(torch.optim.Optimizer).values():
        original = getattr(member, "__wrapped__", None)
        if getattr(member, "__code__", None) is wrapper_code and isinstance(original, types.FunctionType) \
                and getattr(original, "__dynamo_disable", None) is None:
            original.__dynamo_disable = original


def optimizer_step(optimizer: torch.optim.Optimizer) -> None:
    """``optimizer.step()`` for the training loop, without the TorchDynamo import and graph breaks that
    PyTorch's ``step`` wrapper adds. The wrapper chain is the profiler hook (runs the step hooks
    around the step) around ``_use_grad`` (sets grad mode to ``defaults["differentiable"]`` and breaks
    the compiled graph) around the optimiser's own ``step``; with no step hooks registered, a
    non-differentiable optimiser and no compilation, that is the own ``step`` under ``no_grad``."""
    raw = _own_step(type(optimizer))
    if raw is None or "torch._dynamo" in sys.modules or optimizer.defaults.get("differentiable") \
            or optimizer._optimizer_step_pre_hooks or optimizer._optimizer_step_post_hooks \
            or torch_optimizer._global_optimizer_pre_hooks or torch_optimizer._global_optimizer_post_hooks:
        optimizer.step()
        return
    with torch.no_grad():
        raw(optimizer)


_OWN_STEPS: dict[type, object] = {}


def _own_step(cls: type):
    """The optimiser class's own ``step`` under PyTorch's two wrappers, or None if they are not those."""
    if cls not in _OWN_STEPS:
        def torch_wrapper(func, name: str) -> bool:
            code = getattr(func, "__code__", None)
            return code is not None and code.co_name == name and code.co_filename == torch_optimizer.__file__

        hook = cls.step
        use_grad = getattr(hook, "__wrapped__", None)
        own = getattr(use_grad, "__wrapped__", None)
        found = torch_wrapper(hook, "wrapper") and torch_wrapper(use_grad, "_use_grad") and \
            isinstance(own, types.FunctionType) and own.__code__.co_name == "step"
        _OWN_STEPS[cls] = own if found else None
    return _OWN_STEPS[cls]
