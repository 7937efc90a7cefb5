"""Bundled presets trained once per test session with their own defaults and one torch thread.

Both the generic target test and the GAN-specific figure tests judge the same default runs, so a run
is trained once and shared (a GAN preset takes up to two minutes).
"""

from __future__ import annotations

import functools

import torch

from playground.core.presets import load_preset
from playground.core.training.factory import make_trainer
from playground.core.training.loop import FINISHED


@functools.cache
def trained(name: str):
    """The trainer of bundled preset ``name`` after its full default run (which must finish)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny networks train fastest on one thread; the other core runs the rest
    try:
        trainer = make_trainer(load_preset(name))
        assert trainer.run() == FINISHED, f"{name}: {trainer.status} {trainer.message}"
    finally:
        torch.set_num_threads(before)
    return trainer
