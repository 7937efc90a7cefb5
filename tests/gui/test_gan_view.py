"""The GAN view on the real training worker: gan-ring8 trains live over the heatmap, its buttons step the
right network, and gan-digits shows its sample grid with a slider back through saved grids.

All of them run the view in the main window."""

from pathlib import Path

import numpy as np
import pytest

from playground.core.presets import load_preset

PRESETS = Path(__file__).resolve().parents[2] / "playground" / "presets"


@pytest.fixture
def open_gan(open_window):
    """Main windows on GAN presets, shown and loaded (the fixture joins each one's training thread)."""
    from playground.gui.gan.view import GanView

    def make(name, **training):
        preset = load_preset(PRESETS / f"{name}.json")
        preset.training.update(training)
        window = open_window(preset)
        return window, window.findChild(GanView)

    return make


def heatmap(view):
    image = view.plane.heatmap.image
    return None if image is None else np.array(image)


def fake_points(view):
    x, y = view.plane.fake.getData()
    return np.column_stack([x, y])


def test_ring8_trains_live_over_the_heatmap(open_gan, qtbot):
    window, view = open_gan("gan-ring8", eval_every=20)
    assert view.objectName() == "ganView"
    qtbot.waitUntil(lambda: heatmap(view) is not None and len(fake_points(view)) == 500, timeout=20000)
    real_x, _ = view.plane.real.getData()
    assert len(real_x) > 1000 and len(view.plane.modes.getData()[0]) == 8
    before_map, before_points = heatmap(view), fake_points(view)
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.step > 60, timeout=30000)
    window.controller.pause()
    qtbot.waitUntil(lambda: window.controller.status == "paused", timeout=10000)
    qtbot.waitUntil(lambda: not np.array_equal(fake_points(view), before_points), timeout=10000)
    assert not np.array_equal(heatmap(view), before_map)
    steps, d_loss = view.curves.curve_data("d_loss")
    assert len(steps) > 50 and np.isfinite(d_loss).all()
    assert "Modes covered" in view.curves.metrics.text()
    assert view.plane.manifold.getData()[0] is not None  # the 2-D latent grid is drawn


def test_buttons_step_the_right_network(open_gan, qtbot):
    window, view = open_gan("gan-ring8")
    qtbot.waitUntil(lambda: heatmap(view) is not None, timeout=20000)
    map0, points0 = heatmap(view), fake_points(view)
    with qtbot.waitSignal(window.controller.view_reply, timeout=10000):
        view.buttons["step_d"].click()
    qtbot.waitUntil(lambda: not np.array_equal(heatmap(view), map0), timeout=10000)
    assert np.array_equal(fake_points(view), points0)  # D moved, G did not
    assert window.controller.step == 0 and "Trained D" in view.reply_label.text()
    map1 = heatmap(view)
    with qtbot.waitSignal(window.controller.view_reply, timeout=10000):
        view.buttons["step_g"].click()
    qtbot.waitUntil(lambda: not np.array_equal(fake_points(view), points0), timeout=10000)
    assert np.array_equal(heatmap(view), map1)  # G moved, D did not
    points1 = fake_points(view)
    with qtbot.waitSignal(window.controller.view_reply, timeout=10000):
        view.buttons["step_both"].click()
    qtbot.waitUntil(lambda: not np.array_equal(fake_points(view), points1)
                    and not np.array_equal(heatmap(view), map1), timeout=10000)
    view.plane.checks["arrows"].setChecked(True)
    assert len(view.plane.arrows.getData()[0]) == 1000  # one segment (two ends) per generated point


def test_digits_grid_and_history_slider(open_gan, qtbot):
    window, view = open_gan("gan-digits", eval_every=5, steps=40)
    assert view.pictures.currentWidget() is view.samples
    qtbot.waitUntil(lambda: view.samples.mosaic.tile_count() == 1, timeout=20000)  # the 8x8 grid as one picture
    from playground.gui.gan.samples import square_grid

    assert square_grid(np.zeros((64, 8, 8), dtype=np.uint8)).shape == (71, 71)  # 8 x 8 tiles, 1 px apart
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.status == "finished", timeout=60000)
    qtbot.waitUntil(lambda: view.samples.slider.maximum() >= 8, timeout=10000)
    live = view.samples.mosaic.mosaic().copy()
    assert "live" in view.samples.caption.text()
    with qtbot.waitSignal(window.controller.view_reply, timeout=10000):
        view.samples.slider.setValue(0)
    qtbot.waitUntil(lambda: view.samples.caption.text() == "Step 0", timeout=5000)
    assert not np.array_equal(view.samples.mosaic.mosaic(), live)  # step 0's noise looked different
    view.samples.slider.setValue(view.samples.slider.maximum())
    assert np.array_equal(view.samples.mosaic.mosaic(), live)


@pytest.mark.parametrize("name", ["gan-ring8", "gan-digits"])
def test_view_loads_without_warnings(open_gan, qtbot, name):
    window, view = open_gan(name)
    qtbot.waitUntil(lambda: view.curves is not None and window.controller.loaded, timeout=20000)


def test_main_window_shows_gan_runs_in_the_gan_view(open_window, qtbot):
    preset = load_preset(PRESETS / "gan-ring8.json")
    preset.training.update(eval_every=20)
    window = open_window(preset)
    view = window.central_views.currentWidget()
    assert view.objectName() == "ganView"
    qtbot.waitUntil(lambda: heatmap(view) is not None, timeout=20000)
    before = fake_points(view)
    with qtbot.waitSignal(window.controller.view_reply, timeout=10000):
        view.buttons["step_g"].click()
    qtbot.waitUntil(lambda: not np.array_equal(fake_points(view), before), timeout=10000)
    window.controller.start()
    qtbot.waitUntil(lambda: window.controller.step > 40, timeout=30000)
    window.controller.pause()
    qtbot.waitUntil(lambda: window.controller.status == "paused", timeout=10000)
    qtbot.waitUntil(lambda: "Modes covered" in view.curves.metrics.text(), timeout=10000)
    assert len(view.curves.curve_data("g_loss")[0]) > 30
