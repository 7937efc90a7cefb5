"""One entry point that builds the right trainer for a preset's task.

The CLI, the GUI's worker, sessions and benchmarks call :func:`make_trainer`; each task's trainer
module is imported only when a preset needs it, so that opening a 2-D classifier never loads the
GAN or VAE code.
"""

from __future__ import annotations

from playground.core.spec import Preset


def make_trainer(preset: Preset, *, device: str | None = None, data=None):
    """A trainer for ``preset`` (PresetError or DatasetError explain why it cannot be built)."""
    if preset.task == "gan":
        from playground.core.gan.trainer import GanTrainer

        return GanTrainer(preset, device=device, data=data)
    if preset.task == "vae":
        from playground.core.vae.trainer import VaeTrainer

        return VaeTrainer(preset, device=device, data=data)
    from playground.core.trainer import Trainer

    return Trainer(preset, device=device, data=data)
