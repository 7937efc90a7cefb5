"""The main window as a user drives it: start, pause, step, reset, files, live changes, failures."""

import time

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QMessageBox, QPushButton

from playground.core.presets import load_preset, parse_preset
from playground.gui import create_main_window


def short(name="xor", **training):
    doc = load_preset(name).to_json()
    doc["training"].update(**training)
    return parse_preset(doc)


@pytest.fixture
def make_window(qtbot, open_window):
    def make(preset=None):
        window = open_window(preset if preset is not None else short(steps=100000))
        qtbot.waitUntil(lambda: window.boundary_plot.surface_image() is not None, timeout=10000)
        return window

    return make


def test_start_trains_live_and_pause_stops(qtbot, make_window):
    w = make_window()
    before = w.boundary_plot.surface_image().copy()
    assert w.findChild(type(w.actions.start), "actionStart").isEnabled()
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: w.loss_plot.point_count() > 100, timeout=20000)
    qtbot.waitUntil(lambda: not np.array_equal(w.boundary_plot.surface_image(), before), timeout=10000)
    assert w.actions.pause.isVisible() and not w.actions.start.isVisible()
    w.actions.pause.trigger()
    qtbot.waitUntil(lambda: w.controller.status == "paused", timeout=5000)
    paused = w.controller.step
    w.actions.step.trigger()  # Pause sends two snapshots (state first, pictures after): wait for the step itself
    qtbot.waitUntil(lambda: w.controller.step > paused, timeout=5000)
    assert w.controller.step == paused + 1, "training went on after Pause"
    assert w.findChild(type(w.step_label), "stepLabel").text() == f"Step {paused + 1:,}"


def test_step_does_exactly_one_and_reset_returns_to_the_same_start(qtbot, make_window):
    w = make_window()
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000) as first:
        w.actions.step.trigger()
    assert w.controller.step == 1 and w.loss_plot.point_count() == 1
    first_loss = first.args[0].batch_losses[0]
    for _ in range(3):
        with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
            w.actions.step.trigger()
    assert w.controller.step == 4
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
        w.actions.reset.trigger()
    assert w.controller.step == 0 and w.loss_plot.point_count() == 0
    assert w.step_label.text() == "Step 0"
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000) as again:
        w.actions.step.trigger()
    assert again.args[0].batch_losses[0] == first_loss


def test_learning_rate_change_mid_run_is_live_and_marked(qtbot, make_window):
    w = make_window()
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: w.controller.step > 50, timeout=20000)
    spin = w.hyper_panel.findChild(QDoubleSpinBox, "learningRateSpin")
    spin.setValue(0.001)
    qtbot.waitUntil(lambda: w.loss_plot.marker_count() == 1, timeout=5000)
    assert w.experiment.preset.training["learning_rate"] == pytest.approx(0.001)
    assert w.controller.running, "a learning-rate change must not stop or reset training"


def test_structural_change_asks_before_resetting(qtbot, make_window, monkeypatch):
    w = make_window()
    for _ in range(2):
        with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
            w.actions.step.trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    combo = w.data_panel.findChild(QComboBox, "datasetCombo")
    combo.setCurrentIndex(combo.findData("circle"))
    assert w.experiment.preset.dataset["name"] == "xor" and w.controller.step == 2
    assert combo.currentData() == "xor", "the widget shows what the experiment holds"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(w.controller.data_loaded, timeout=20000):
        combo.setCurrentIndex(combo.findData("circle"))
    assert w.experiment.preset.dataset["name"] == "circle" and w.controller.step == 0


def test_save_and_open_round_trip(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window()
    w.experiment.edit("training", lambda d: d["training"].update(batch_size=17))
    assert w.isWindowModified()
    path = tmp_path / "mine.json"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(path), ""))
    w.actions.save.trigger()
    assert path.exists() and not w.isWindowModified()
    assert w.windowTitle() == "xor[*] — Neural Playground", "the preset's name, not the file's"
    saved = w.experiment.preset.to_json()
    w.experiment.replace(load_preset("moons"), None)
    monkeypatch.setattr("playground.gui.preset_file_dialog.ask_preset_path", lambda *a, **k: str(path))
    with qtbot.waitSignal(w.controller.data_loaded, timeout=20000):
        w.actions.open.trigger()
    assert w.experiment.preset.to_json() == saved and w.experiment.path == path
    assert w.files.recent()[0] == str(path)


def test_opening_a_broken_preset_explains_and_keeps_the_experiment(qtbot, make_window, tmp_path):
    w = make_window()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "task": "classification", "dataset": {"name": "spirl"}}')
    before = w.experiment.preset.to_json()
    assert not w.files.open_path(bad)
    box = w.findChild(QMessageBox, "errorDialog")
    assert box is not None and "did you mean 'spiral'" in box.text() and "networks: missing" in box.text()
    box.close()
    assert w.experiment.preset.to_json() == before


def test_invalid_network_disables_start_with_the_reason(qtbot, make_window):
    w = make_window()

    def add_conv(doc):
        doc["networks"]["main"]["layers"].insert(1, {"type": "Conv2d"})

    assert w.experiment.edit("networks", add_conv)
    assert not w.actions.start.isEnabled()
    assert "networks.main.layers[1]" in w.actions.start.toolTip() and "Conv2d" in w.actions.start.toolTip()


def test_worker_error_is_shown_and_the_app_stays_usable(qtbot, make_window, monkeypatch):
    from playground.core.training.loop import TrainingLoop

    w = make_window()
    original = TrainingLoop.step

    def broken(self, **request):
        if self.step_count == 5:
            raise RuntimeError("simulated fault in a layer")
        return original(self, **request)

    monkeypatch.setattr(TrainingLoop, "step", broken)
    with qtbot.waitSignal(w.controller.failed, timeout=20000):
        w.actions.start.trigger()
    box = w.findChild(QMessageBox, "failureDialog")
    assert box is not None and "simulated fault" in box.text() and "Traceback" in box.detailedText()
    box.close()
    monkeypatch.setattr(TrainingLoop, "step", original)
    w.actions.step.trigger()
    qtbot.waitUntil(lambda: w.controller.step == 6, timeout=5000)


def test_divergence_pauses_and_offers_a_lower_learning_rate(qtbot, make_window):
    w = make_window(short("moons", steps=1000, learning_rate=1e6, optimizer={"type": "sgd"}))
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: w.findChild(QMessageBox, "divergedDialog") is not None, timeout=20000)
    box = w.findChild(QMessageBox, "divergedDialog")
    assert "learning rate" in box.text()
    box.findChild(QPushButton, "lowerLearningRateButton").click()
    assert w.experiment.preset.training["learning_rate"] == pytest.approx(1e5)


def test_closing_while_training_stops_the_worker_quickly(qtbot, isolated_settings):
    window = create_main_window(short(steps=10**7))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        window.show()
    window.actions.start.trigger()
    qtbot.waitUntil(lambda: window.controller.step > 20, timeout=20000)
    started = time.perf_counter()
    window.close()
    assert window.controller._thread.isFinished() and time.perf_counter() - started < 1.0


def test_geometry_and_docks_persist(qtbot, make_window):
    w = make_window()
    from PySide6.QtCore import QSettings

    w.resize(1234, 777)
    w.network_dock.hide()
    saved = w.saveGeometry()
    w.close()
    assert QSettings().value("window/geometry") == saved  # the offscreen screen clamps a restored size
    again = make_window()
    assert again.network_dock.isHidden() and not again.data_dock.isHidden()


def test_launch_with_a_bundled_name(qtbot, isolated_settings):
    window = create_main_window("moons")
    qtbot.addWidget(window)
    assert window.experiment.preset.name == "moons" and "moons" in window.windowTitle()
    window.controller.shutdown()


def test_space_starts_and_pauses(qtbot, make_window):
    from PySide6.QtCore import Qt

    w = make_window()
    w.activateWindow()
    qtbot.keyClick(w.boundary_plot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.controller.running and w.controller.step > 5, timeout=10000)
    qtbot.keyClick(w.boundary_plot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not w.controller.running, timeout=5000)


def test_launching_on_a_broken_preset_explains_over_the_default(qtbot, isolated_settings, tmp_path):
    from playground.gui.app import open_window

    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    window = open_window(str(bad))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=5000)
    assert "invalid JSON at line 1" in window.findChild(QMessageBox, "errorDialog").text()
    assert window.experiment.preset.name == "spiral-deep"
    window.findChild(QMessageBox, "errorDialog").close()
    window.close()
    assert window.controller._thread.wait(5000)
