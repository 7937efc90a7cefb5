"""Which central view a task draws itself with, for the tasks that bring their own (GAN, VAE).

Classification and regression use the decision-boundary plot and the image tabs that the main
window builds; a generative task names a widget class here. That widget:

- ``set_data(info: DataInfo)`` when a run loads (``info.live`` holds the trainer's ``live_data()``);
- ``show_snapshot(snap: Snapshot)`` on every snapshot (``snap.live`` holds its ``live_view()``, or None
  between pictures, when only the per-step figures are new);
- emits ``request(name, args)`` to ask the trainer (via the worker thread) and receives the answer
  in ``on_reply(name, result)``.

Modules are imported on first use so that a 2-D classifier never loads the GAN or VAE views.
"""

from __future__ import annotations

import importlib

TASK_VIEWS: dict[str, tuple[str, str]] = {
    "gan": ("playground.gui.gan.view", "GanView"),
    "vae": ("playground.gui.vae.view", "VaeView"),
}


def task_view_class(task: str):
    """The widget class that draws ``task``, or None for tasks the main window draws itself."""
    if task not in TASK_VIEWS:
        return None
    module, name = TASK_VIEWS[task]
    return getattr(importlib.import_module(module), name)
