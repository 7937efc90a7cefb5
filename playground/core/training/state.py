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


def _prefixes(name: str) -> tuple[str, str]:
    """Tensor-name prefixes of one network's weights and optimiser: "model."/"optimizer." for the
    single network of supervised tasks, "net.NAME."/"opt.NAME." for the networks of GANs and VAEs."""
    return ("model.", "optimizer.") if name == "main" else (f"net.{name}.", f"opt.{name}.")


def capture(trainer) -> tuple[dict[str, torch.Tensor], dict]:
    """(tensors, meta) describing the trainer's full state; tensors are CPU copies.

    A task adds its own state through ``capture_extra() -> (tensors, meta)`` and takes it back in
    ``restore_extra(tensors, meta)`` (a GAN's saved sample grids, a VAE's noise generator)."""
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict] = {}
    for name, network in trainer.networks.items():
        prefix = _prefixes(name)[0]
        for key, value in network.state_dict().items():
            tensors[f"{prefix}{key}"] = value.detach().cpu().clone()
    for name, optimizer in trainer.optimizers.items():
        prefix = _prefixes(name)[1]
        optimizer_state = optimizer.state_dict()
        for index, state in optimizer_state["state"].items():
            for field, value in state.items():
                if torch.is_tensor(value):
                    tensors[f"{prefix}{index}.{field}"] = value.detach().cpu().clone()
        scalars[name] = {str(i): {k: v for k, v in s.items() if not torch.is_tensor(v)}
                         for i, s in optimizer_state["state"].items()}
    tensors["rng.torch"] = torch.random.get_rng_state()
    tensors["rng.order"] = trainer._order_rng.get_state()
    tensors["order"] = trainer._order.detach().cpu().clone()
    best_loss, best_state = trainer._best
    for name, state in (best_state or {}).items():
        prefix = "best." if name == "main" else f"best.{name}."
        for key, value in state.items():
            tensors[f"{prefix}{key}"] = value.detach().cpu().clone()
    meta = {
        "step": trainer.step_count,
        "status": trainer.status,
        "message": trainer.message,
        "base_lr": trainer.base_lr,
        "position": trainer._position,
        "best_loss": None if not math.isfinite(best_loss) else best_loss,
        "bad_evals": trainer._bad_evals,
        "optimizer_scalars": scalars.get("main", {}),
        "optimizers": {name: value for name, value in scalars.items() if name != "main"},
        "cuda_rng": torch.cuda.is_available(),
        "history_records": len(trainer.history),  # the records themselves are tensors "history.*"
    }
    if torch.cuda.is_available():
        tensors["rng.cuda"] = torch.cuda.get_rng_state()
    for name, column in trainer.history.to_columns().items():
        tensors[f"history.{name}"] = torch.from_numpy(column)
    extra_tensors, extra_meta = trainer.task.capture_extra()
    tensors.update({f"extra.{k}": v.detach().cpu().clone() for k, v in extra_tensors.items()})
    meta["extra"] = extra_meta
    return tensors, meta


def restore(trainer, tensors: dict[str, torch.Tensor], meta: dict) -> None:
    """Put a freshly built trainer (same preset) into the captured state. Raises ValueError when
    the tensors do not fit the network (a session from another preset, say)."""
    for name, network in trainer.networks.items():
        prefix = _prefixes(name)[0]
        state = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        try:
            network.load_state_dict(state, strict=True)
        except RuntimeError as exc:
            where = "" if name == "main" else f" ({name})"
            raise ValueError(f"the saved weights do not fit this network{where}: {_first_line(exc)}") from None
    for name, optimizer in trainer.optimizers.items():
        prefix = _prefixes(name)[1]
        saved = meta.get("optimizer_scalars", {}) if name == "main" else meta.get("optimizers", {}).get(name, {})
        _restore_optimizer(optimizer, prefix, tensors, saved, trainer.device)
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
    trainer._rates = {}
    trainer._best = (math.inf if meta.get("best_loss") is None else meta["best_loss"], _best_state(trainer, tensors))
    trainer._bad_evals = int(meta.get("bad_evals", 0))
    columns = {k[len("history."):]: v.numpy() for k, v in tensors.items() if k.startswith("history.")}
    if columns:
        trainer.history.load_columns(columns)
    else:  # sessions written before the history moved into the tensors
        trainer.history.clear()
        for record in meta.get("history", []):
            trainer.history.append(MetricRecord(**record))
    trainer.task.restore_extra({k[len("extra."):]: v for k, v in tensors.items() if k.startswith("extra.")},
                               meta.get("extra", {}))


def _best_state(trainer, tensors: dict[str, torch.Tensor]) -> dict | None:
    """The early-stopping copy of the best weights, per network ("best.<key>" for a single network,
    "best.<network>.<key>" for several), or None when the run has none."""
    saved = {k[len("best."):]: v.to(trainer.device) for k, v in tensors.items() if k.startswith("best.")}
    if not saved:
        return None
    names = list(trainer.networks)
    if names == ["main"]:
        return {"main": saved}
    return {name: {k[len(name) + 1:]: v for k, v in saved.items() if k.startswith(f"{name}.")} for name in names}


def _restore_optimizer(optimizer, prefix: str, tensors: dict, scalars: dict, device) -> None:
    fresh = optimizer.state_dict()
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith(prefix):
            index, name = key[len(prefix):].split(".", 1)
            state.setdefault(int(index), {})[name] = value.to(device)
    for index, values in scalars.items():
        state.setdefault(int(index), {}).update(values)
    try:
        optimizer.load_state_dict({"state": state, "param_groups": fresh["param_groups"]})
    except (RuntimeError, ValueError, KeyError) as exc:
        raise ValueError(f"the saved optimiser state does not fit this optimiser: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
