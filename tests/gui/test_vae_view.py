"""The VAE view in the main window: it trains, the traversal and map update, a slider decodes, a click on
the map shows the image and its decoding, and two clicks give an interpolation strip."""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.presets import load_preset

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


@pytest.fixture
def vae_window(open_window):
    from playground.gui.vae.view import VaeView

    preset = load_preset(PRESETS / "vae-digits-2d.json")
    preset.training["steps"] = 60
    preset.training["eval_every"] = 20
    window = open_window(preset)
    return window, window.findChild(VaeView)


def test_the_task_view_registry_finds_the_vae_view():
    from playground.gui.task_views import task_view_class
    from playground.gui.vae.view import VaeView

    assert task_view_class("vae") is VaeView


def train_to_the_end(window, view, qtbot):
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.step >= 60 and not window.controller.running, timeout=60000)
    qtbot.waitUntil(lambda: view.latent_map.point_count() > 0, timeout=10000)


def test_training_fills_the_views(vae_window, qtbot):
    window, view = vae_window
    before = None
    window.controller.single_step()
    qtbot.waitUntil(lambda: view.traversal.images() is not None, timeout=10000)
    before = view.traversal.images().copy()
    qtbot.waitUntil(lambda: view.latent_map.point_count() > 0, timeout=10000)
    map_before = view.latent_map._points.copy()
    train_to_the_end(window, view, qtbot)
    qtbot.waitUntil(lambda: not np.array_equal(view.latent_map._points, map_before), timeout=10000)
    qtbot.waitUntil(lambda: not np.array_equal(view.traversal.images(), before), timeout=10000)
    grid = view.traversal.images()
    assert grid.shape == (2, 7, 8, 8)
    assert view.traversal.tick_labels("bottom") == ["-3", "-2", "-1", "0", "+1", "+2", "+3"]
    assert all(label.startswith("z") and "KL" in label for label in view.traversal.tick_labels("left"))
    assert view.latent_map.point_count() == window.controller._worker.trainer.data.n_test
    assert view.pairs.images().shape == (2, 10, 8, 8)
    assert view.samples.images().shape[2:] == (8, 8)
    assert view.loss_terms.point_count() == 60 and view.loss_terms.evaluation_count() == 3
    assert "of 2 latent dimensions in use" in view.status.text() and "Step 60" in view.status.text()


def test_slider_decodes_and_map_click_shows_image_and_strip(vae_window, qtbot):
    window, view = vae_window
    train_to_the_end(window, view, qtbot)
    qtbot.waitUntil(lambda: view.decoded.images() is not None, timeout=10000)
    qtbot.waitUntil(lambda: not view._in_flight, timeout=10000)  # the snapshot's own refresh is answered
    first = view.decoded.images().copy()
    slider = view.sliders.slider(0)
    sent = []
    view.request.connect(lambda name, args: sent.append(name))
    for value in (50, 100, 150, 200, 250, 300):  # a drag: coalesced into few requests
        slider.setValue(value)
    assert sent == ["decode"]  # the rest wait for its answer; only the newest will be sent
    qtbot.waitUntil(lambda: not np.array_equal(view.decoded.images(), first), timeout=10000)
    trainer = window.controller._worker.trainer
    qtbot.waitUntil(lambda: not view._in_flight, timeout=10000)
    assert sent == ["decode", "decode"]
    assert view.sliders.code()[0] == 3.0
    expected = trainer.task.view_request("decode", view.sliders.code().tolist())["image"]
    np.testing.assert_allclose(view.decoded.images()[0, 0], expected, atol=1e-6)

    view.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: view.latent_map.isVisible(), timeout=5000)
    points = view.latent_map._points
    a, b = int(points[:, 0].argmin()), int(points[:, 0].argmax())  # far apart: no other point in the way
    for index in (a, b):
        qtbot.waitUntil(lambda i=index: view.latent_map.point_visible(i), timeout=5000)
        qtbot.mouseClick(view.latent_map.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.latent_map.point_position(index))
        qtbot.waitUntil(lambda i=index: f"#{i} " in view.picked_label.text(), timeout=10000)
    qtbot.waitUntil(lambda: view.picked.images() is not None and view.strip.images() is not None, timeout=10000)
    picked = view.picked.images()
    assert picked.shape == (1, 2, 8, 8)
    np.testing.assert_allclose(picked[0, 0], trainer.data.for_display(trainer.data.x_test[b, 0]), atol=1e-6)
    assert (view.from_index.value(), view.to_index.value()) == (a, b)
    strip = view.strip.images()
    assert strip.shape == (1, 9, 8, 8)
    assert view.strip.tick_labels("bottom")[0] == f"A #{a}" and view.strip.tick_labels("bottom")[-1] == f"B #{b}"
    mean = trainer.task.latent.encode(trainer.data.x_test[b:b + 1])[0]
    qtbot.waitUntil(lambda: np.allclose(view.sliders.code(), np.clip(np.round(mean, 2), -3, 3), atol=0.011),
                    timeout=5000)
