"""What a finished run leaves in its output folder: metrics, the preset as run, and the weights.

Every file is written atomically (temporary file, then rename), so an interrupted write never
leaves a half file where a good one was.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from playground.core.atomic_files import atomic_path, write_text_atomic
from playground.core.presets import save_preset


def write_run(folder: Path, trainer, final: dict) -> None:
    """metrics.csv (one row per step), metrics.json (final metrics), preset.json (the preset as run,
    overrides included), summary.txt, weights.safetensors (keys ``<network>.<layer>.<tensor>``), the
    session files (session.json, session.safetensors) that ``train --resume`` reads, and the task's own
    files (a classifier's class report, a GAN's samples, a VAE's pictures)."""
    from playground.core.training.sessions import save_session

    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / "metrics.csv", trainer.history.to_csv())
    write_text_atomic(folder / "metrics.json", json.dumps(final, indent=2, allow_nan=False) + "\n")
    save_preset(trainer.preset, folder / "preset.json")
    write_text_atomic(folder / "summary.txt", "\n\n".join(trainer.task.summaries()) + "\n")
    save_weights(trainer.networks, folder / "weights.safetensors")
    save_session(trainer, folder)  # the folder is also a session: train --resume continues it exactly
    trainer.task.write_outputs(folder, final)


def final_metrics(trainer, status: str, seconds: float | None = None) -> dict:
    """The one-line summary of a run (JSON-safe: non-finite values become null)."""
    scores = trainer.evaluate()
    result = {"preset": trainer.preset.name, "status": status, "steps": trainer.step_count,
              "epochs": round(trainer.epoch, 3), "device": str(trainer.device)}
    if seconds is not None:
        result["seconds"] = round(seconds, 3)
    result.update({k: round(v, 6) if math.isfinite(v) else None for k, v in scores.items()})
    if trainer.history.records:
        result["learning_rate"] = trainer.history.records[-1].learning_rate
    if trainer.message:
        result["message"] = trainer.message
    return result


def save_weights(networks: dict, path: Path) -> None:
    """All networks' state dicts in one safetensors file (no pickle), written atomically."""
    from safetensors.torch import save_file

    tensors = {f"{name}.{key}": value.detach().cpu().contiguous().clone()
               for name, module in networks.items() for key, value in module.state_dict().items()}
    with atomic_path(path) as tmp:
        save_file(tensors, tmp, metadata={"format": "neural-playground weights"})
