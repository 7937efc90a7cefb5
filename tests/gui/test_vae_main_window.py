"""A VAE preset in the main window: the Training tab shows the VAE view, which trains and answers a slider
(the main window builds the view, routes snapshots to it and its requests to the trainer)."""

from pathlib import Path

import numpy as np

from playground.core.presets import load_preset

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


def test_main_window_trains_a_vae_in_its_view(open_window, qtbot):
    from playground.gui.vae.view import VaeView

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


def test_a_vae_run_gives_its_view_the_room_of_the_single_network_docks(open_window, qtbot):
    window = open_window(load_preset(PRESETS / "vae-digits-2d.json"))
    assert window.neurons_dock.isHidden() and window.forward_dock.isHidden()
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        window.experiment.replace(load_preset("xor"), None)
    assert not window.neurons_dock.isHidden() and not window.forward_dock.isHidden()
