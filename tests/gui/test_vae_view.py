"""The VAE view in the main window: it trains, the traversal and map update, a slider decodes, a click on
the map shows the image and its decoding, and two clicks give an interpolation strip."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.presets import load_preset

PRESETS = Path(__file__).resolve().parents[2] / "presets"


@pytest.fixture
def vae_window(open_window, qtbot):
    preset = load_preset(PRESETS / "vae-digits-2d.json")
    preset.training["steps"] = 60
    preset.training["eval_every"] = 20
    window = open_window(preset)
    window.resize(1300, 850)
    view = window.central_views.currentWidget()
    assert type(view).__name__ == "VaeView"
    return window, view


def train_to_the_end(window, view, qtbot):
    window.actions.start.trigger()
    qtbot.waitUntil(lambda: window.controller.step >= 60 and not window.controller.running, timeout=60000)
    qtbot.waitUntil(lambda: view.latent_map.point_count() > 0, timeout=10000)


def test_training_fills_the_views(vae_window, qtbot):
    window, view = vae_window
    before = None
    window.actions.step.trigger()
    qtbot.waitUntil(lambda: view.traversal.images() is not None, timeout=10000)
    before = view.traversal.images().copy()
    train_to_the_end(window, view, qtbot)
    qtbot.waitUntil(lambda: not np.array_equal(view.traversal.images(), before), timeout=10000)
    grid = view.traversal.images()
    assert grid.shape == (2, 7, 8, 8)
    assert view.traversal.tick_labels("bottom") == ["-3", "-2", "-1", "0", "+2", "+3"][:0] or \
        view.traversal.tick_labels("bottom") == ["-3", "-2", "-1", "0", "+1", "+2", "+3"]
    assert all(label.startswith("z") and "KL" in label for label in view.traversal.tick_labels("left"))
    assert view.latent_map.point_count() == window.controller._worker._trainer.data.n_test
    assert view.pairs.images().shape == (2, 10, 8, 8)
    assert view.samples.images().shape[2:] == (8, 8)
    assert view.loss_terms.point_count() == 60 and view.loss_terms.evaluation_count() == 3


def test_slider_decodes_and_map_click_shows_image_and_strip(vae_window, qtbot):
    window, view = vae_window
    train_to_the_end(window, view, qtbot)
    qtbot.waitUntil(lambda: view.decoded.images() is not None, timeout=10000)
    first = view.decoded.images().copy()
    slider = view.sliders.slider(0)
    for value in (50, 100, 150, 200, 250, 300):  # a drag: coalesced into few requests
        slider.setValue(value)
    qtbot.waitUntil(lambda: not np.array_equal(view.decoded.images(), first), timeout=10000)
    trainer = window.controller._worker._trainer
    qtbot.waitUntil(lambda: not view._in_flight, timeout=10000)
    expected = trainer.view_request("decode", view.sliders.code().tolist())["image"]
    np.testing.assert_allclose(view.decoded.images()[0, 0], expected, atol=1e-6)

    view.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: view.latent_map.isVisible(), timeout=5000)
    for index in (4, 11):
        qtbot.mouseClick(view.latent_map.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.latent_map.point_position(index))
    qtbot.waitUntil(lambda: view.picked.images() is not None and view.strip.images() is not None, timeout=10000)
    picked = view.picked.images()
    assert picked.shape == (1, 2, 8, 8)
    np.testing.assert_allclose(picked[0, 0], trainer.data.for_display(trainer.data.x_test[11, 0]), atol=1e-6)
    assert "#11" in view.picked_label.text()
    assert (view.from_index.value(), view.to_index.value()) == (4, 11)
    strip = view.strip.images()
    assert strip.shape == (1, 9, 8, 8)
    assert view.strip.tick_labels("bottom")[0] == "A #4" and view.strip.tick_labels("bottom")[-1] == "B #11"
    mean = trainer.latent.encode(trainer.data.x_test[11:12])[0]
    qtbot.waitUntil(lambda: np.allclose(view.sliders.code(), np.clip(np.round(mean, 2), -3, 3), atol=0.011),
                    timeout=5000)
