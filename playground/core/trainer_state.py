"""Everything a Trainer needs to continue exactly where it stopped, as tensors plus plain JSON.

Weights, optimiser statistics, the random generators (torch's global one, which dropout uses, and
the batch-order generator), the current epoch's batch order, the history and the early-stopping
state. :func:`capture` and :func:`restore` are the two halves; :mod:`sessions` writes them to disk
as safetensors and JSON (never pickle).
"""

from __future__ import annotations

import math

import torch

from playground.core.records import MetricRecord


def capture(trainer) -> tuple[dict[str, torch.Tensor], dict]:
    """(tensors, meta) describing the trainer's full state; tensors are CPU copies."""
    tensors: dict[str, torch.Tensor] = {}
    for key, value in trainer.model.state_dict().items():
        tensors[f"model.{key}"] = value.detach().cpu().clone()
    optimizer_state = trainer.optimizer.state_dict()
    for index, state in optimizer_state["state"].items():
        for name, value in state.items():
            if torch.is_tensor(value):
                tensors[f"optimizer.{index}.{name}"] = value.detach().cpu().clone()
    tensors["rng.torch"] = torch.random.get_rng_state()
    tensors["rng.order"] = trainer._order_rng.get_state()
    tensors["order"] = trainer._order.detach().cpu().clone()
    best_loss, best_state = trainer._best
    if best_state is not None:
        for key, value in best_state.items():
            tensors[f"best.{key}"] = value.detach().cpu().clone()
    meta = {
        "step": trainer.step_count,
        "status": trainer.status,
        "message": trainer.message,
        "base_lr": trainer.base_lr,
        "position": trainer._position,
        "best_loss": None if not math.isfinite(best_loss) else best_loss,
        "bad_evals": trainer._bad_evals,
        "optimizer_scalars": {str(i): {k: v for k, v in s.items() if not torch.is_tensor(v)}
                              for i, s in optimizer_state["state"].items()},
        "cuda_rng": torch.cuda.is_available(),
        "history": [r.to_dict() for r in trainer.history.records],
    }
    if torch.cuda.is_available():
        tensors["rng.cuda"] = torch.cuda.get_rng_state()
    return tensors, meta


def restore(trainer, tensors: dict[str, torch.Tensor], meta: dict) -> None:
    """Put a freshly built trainer (same preset) into the captured state. Raises ValueError when
    the tensors do not fit the network (a session from another preset, say)."""
    model_state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    try:
        trainer.model.load_state_dict(model_state, strict=True)
    except RuntimeError as exc:
        raise ValueError(f"the saved weights do not fit this network: {_first_line(exc)}") from None
    fresh = trainer.optimizer.state_dict()
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith("optimizer."):
            _, index, name = key.split(".", 2)
            state.setdefault(int(index), {})[name] = value.to(trainer.device)
    for index, scalars in meta.get("optimizer_scalars", {}).items():
        state.setdefault(int(index), {}).update(scalars)
    try:
        trainer.optimizer.load_state_dict({"state": state, "param_groups": fresh["param_groups"]})
    except (RuntimeError, ValueError, KeyError) as exc:
        raise ValueError(f"the saved optimiser state does not fit this optimiser: {_first_line(exc)}") from None
    torch.random.set_rng_state(tensors["rng.torch"])
    if "rng.cuda" in tensors and torch.cuda.is_available():
        torch.cuda.set_rng_state(tensors["rng.cuda"])
    trainer._order_rng.set_state(tensors["rng.order"])
    trainer._order = tensors["order"].to(trainer.device)
    trainer._position = int(meta["position"])
    trainer.step_count = int(meta["step"])
    trainer.status = meta.get("status")
    trainer.message = meta.get("message", "")
    trainer.base_lr = float(meta["base_lr"])
    trainer._lr_now = float("nan")  # written at the next step
    best = {k[len("best."):]: v.to(trainer.device) for k, v in tensors.items() if k.startswith("best.")}
    trainer._best = (math.inf if meta.get("best_loss") is None else meta["best_loss"], best or None)
    trainer._bad_evals = int(meta.get("bad_evals", 0))
    trainer.history.clear()
    for record in meta.get("history", []):
        trainer.history.append(MetricRecord(**record))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
