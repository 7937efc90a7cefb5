"""Sessions: a trained run saved to a folder so that it continues exactly as if it had never stopped.

Layout: ``session.json`` (format, the preset, step, history, scalars) and ``session.safetensors``
(weights, optimiser statistics, random-generator states, the current batch order). No pickle
anywhere; loading reads JSON and safetensors only. A run folder written by ``nn-playground train
--out`` is a session too (its other files are for people).
"""

from __future__ import annotations

import json
from pathlib import Path

from playground.core.atomic_files import atomic_path, write_text_atomic
from playground.core.params import Problem
from playground.core.presets import PresetError, parse_preset

SESSION_FORMAT = 1
KIND = "neural-playground session"
STATE_FILE = "session.safetensors"
META_FILE = "session.json"


class SessionError(Exception):
    """A session folder cannot be used; the message says which file and why."""


def save_session(trainer, folder: Path) -> Path:
    """Write the trainer's full state into ``folder`` (created if needed); each file atomically."""
    from safetensors.torch import save_file

    from playground.core.training import state as trainer_state

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors, meta = trainer_state.capture(trainer)
    preset = trainer.preset.to_json()
    if "path" in preset["dataset"] and trainer.preset.source:  # keep the user's data findable from here
        data_path = Path(preset["dataset"]["path"]).expanduser()
        if not data_path.is_absolute():
            preset["dataset"]["path"] = str((Path(trainer.preset.source).parent / data_path).resolve())
    document = {"format": SESSION_FORMAT, "kind": KIND, "preset": preset, **meta}
    with atomic_path(folder / STATE_FILE) as tmp:
        save_file({k: v.contiguous() for k, v in tensors.items()}, tmp, metadata={"kind": KIND})
    write_text_atomic(folder / META_FILE, json.dumps(document, indent=1) + "\n")
    return folder


def is_session(folder: Path) -> bool:
    return (Path(folder) / META_FILE).is_file() and (Path(folder) / STATE_FILE).is_file()


def load_session(folder: Path, *, device: str | None = None):
    """A Trainer in exactly the saved state. SessionError or PresetError explain any problem."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from playground.core.training import state as trainer_state
    from playground.core.training.factory import make_trainer

    folder = Path(folder)
    if not folder.is_dir():
        raise SessionError(f"{folder}: no such folder")
    if not is_session(folder):
        raise SessionError(f"{folder}: not a saved session (it needs {META_FILE} and {STATE_FILE})")
    try:
        document = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"{folder / META_FILE}: not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise SessionError(f"{folder / META_FILE}: not a Neural Playground session")
    if not isinstance(document.get("format"), int) or document["format"] > SESSION_FORMAT:
        raise SessionError(f"{folder / META_FILE}: session format {document.get('format')!r} is newer than this "
                           f"app reads ({SESSION_FORMAT}); please update the app")
    preset = parse_preset(document.get("preset"), str(folder / META_FILE))
    preset.source = str(folder / META_FILE)
    try:
        tensors = load_file(folder / STATE_FILE)
    except (SafetensorError, OSError, ValueError) as exc:
        raise SessionError(f"{folder / STATE_FILE}: not a readable safetensors file ({exc})") from None
    for key in ("rng.torch", "rng.order", "order"):
        if key not in tensors:
            raise SessionError(f"{folder / STATE_FILE}: incomplete session state (no {key!r})")
    trainer = make_trainer(preset, device=device)
    try:
        trainer_state.restore(trainer, tensors, document)
    except (ValueError, KeyError, TypeError) as exc:
        raise SessionError(f"{folder}: {exc}") from None
    return trainer


def check_weights_only(path: Path):
    """Read a .pt file of tensors without running code: torch.load(weights_only=True). Anything
    else (a pickle that would build objects) is refused with a clear message."""
    import pickle
    import warnings

    import torch

    try:
        with warnings.catch_warnings():  # torch warns about pickle protocols it is about to refuse anyway
            warnings.simplefilter("ignore", UserWarning)
            return torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, AttributeError, ValueError) as exc:
        raise PresetError([Problem("", f"refused: not a plain file of tensors, and files that would run code "
                                   f"are never loaded ({str(exc).splitlines()[0][:200]})")], str(path)) from None
