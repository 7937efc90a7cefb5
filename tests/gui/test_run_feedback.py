"""What the window tells the user about the run: the restart question, Resume, Space, the title, the
end-of-run banner, the batch-size note and the progress count."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolButton,
)

from playground.core.presets import load_preset, parse_preset


def xor(**training):
    doc = load_preset("xor").to_json()
    doc["training"].update(**training)
    return parse_preset(doc)


@pytest.fixture
def make_window(qtbot, open_window):
    def make(preset=None):
        window = open_window(preset if preset is not None else xor(steps=100000))
        qtbot.waitUntil(lambda: window.controller.settled, timeout=10000)
        return window

    return make


def worker_step(window) -> int:
    return window.controller._worker.trainer.step_count


def run_to_the_end(qtbot, window) -> None:
    window.actions.start.trigger()
    qtbot.waitUntil(lambda: window.run_status.banner.isVisible(), timeout=30000)


def test_the_restart_question_pauses_training_and_names_the_true_step(qtbot, make_window, monkeypatch):
    w = make_window()
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: w.controller.step > 30, timeout=20000)
    asked = {}

    def question(parent, title, text, *args, **kwargs):
        asked.update(title=title, text=text, worker_running=w.controller._worker.running, step=worker_step(w))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    combo = w.data_panel.findChild(QComboBox, "datasetCombo")
    combo.setCurrentIndex(combo.findData("circle"))
    assert asked["title"] == "Restart training?" and not asked["worker_running"], "training pauses while it asks"
    assert f"(step {asked['step']:,})" in asked["text"] and w.controller.step == asked["step"]
    assert w.experiment.preset.dataset["name"] == "xor"
    qtbot.waitUntil(lambda: w.controller._worker.running, timeout=5000)  # declined: training goes on
    assert w.controller.running and worker_step(w) >= asked["step"]


def test_yes_to_the_restart_question_after_a_finished_run_gives_a_fresh_run(qtbot, make_window, monkeypatch):
    w = make_window(xor(steps=40, eval_every=10))
    run_to_the_end(qtbot, w)
    assert w.run_status.banner.text.text().startswith("Training finished at step 40. Test accuracy")
    assert not w.actions.start.isEnabled() and "last step" in w.actions.start.toolTip()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    combo = w.data_panel.findChild(QComboBox, "datasetCombo")
    with qtbot.waitSignal(w.controller.data_loaded, timeout=20000):
        combo.setCurrentIndex(combo.findData("circle"))
    qtbot.waitUntil(lambda: w.controller.settled, timeout=10000)
    assert w.controller.step == 0 and w.controller.status in (None, "paused")
    assert not w.run_status.banner.isVisible(), "the new run has not finished"
    assert w.actions.start.isEnabled() and w.actions.start.text() == "&Start"
    assert w.step_label.text() == "Step 0" and "finished" not in w.statusBar().currentMessage()


def test_pause_mid_run_turns_start_into_resume(qtbot, make_window):
    w = make_window()
    assert w.actions.start.text() == "&Start"
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: w.controller.step > 10, timeout=20000)
    w.actions.pause.trigger()
    qtbot.waitUntil(lambda: w.controller.settled, timeout=5000)
    assert w.actions.start.isVisible() and w.actions.start.text() == "&Resume"
    assert f"from step {w.controller.step:,}" in w.actions.start.toolTip()
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
        w.actions.reset.trigger()
    assert w.actions.start.text() == "&Start"


def test_space_in_number_boxes_is_theirs_and_elsewhere_starts_and_pauses(qtbot, make_window):
    w = make_window()
    w.activateWindow()
    rate = w.hyper_panel.findChild(QDoubleSpinBox, "learningRateSpin")
    batch = w.hyper_panel.findChild(QSpinBox, "batchSizeSpin")
    for spin in (rate, batch):
        before = spin.lineEdit().text()
        spin.setFocus()
        for target in (spin, spin.lineEdit()):  # the box has the focus; its line edit shows the text
            spin.lineEdit().selectAll()  # as clicking into the box leaves it
            qtbot.keyClick(target, Qt.Key.Key_Space)
            qtbot.keyClick(target, Qt.Key.Key_End)
            qtbot.keyClick(target, Qt.Key.Key_Space)
        assert spin.lineEdit().text() == before, f"{spin.objectName()}: Space blanked or changed the box"
        assert not w.controller.running and not w.controller.start_pending, "Space typed in a box toggled training"
    for spin in w.hyper_panel.findChildren(QAbstractSpinBox) + w.network_panel.findChildren(QAbstractSpinBox):
        if spin.isVisible() and spin.isEnabled():
            before = spin.text()
            spin.setFocus()
            spin.lineEdit().selectAll()
            qtbot.keyClick(spin, Qt.Key.Key_Space)
            assert spin.text() == before and not w.controller.running, spin.objectName()
    assert w.experiment.preset.training["learning_rate"] == pytest.approx(0.01)
    w.boundary_plot.setFocus()
    qtbot.keyClick(w.boundary_plot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.controller.running, timeout=5000)
    qtbot.keyClick(w.boundary_plot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not w.controller.running, timeout=5000)
    assert QApplication.focusWidget() is w.boundary_plot


def test_the_title_is_the_presets_name_for_a_bundled_preset_and_for_a_file(qtbot, make_window, tmp_path):
    w = make_window(load_preset("xor"))
    assert w.windowTitle() == "xor[*] — Neural Playground" and not w.isWindowModified()
    path = tmp_path / "my-experiment.json"
    path.write_text(json.dumps(load_preset("moons").to_json()))
    with qtbot.waitSignal(w.controller.data_loaded, timeout=20000):
        assert w.files.open_path(path)
    assert w.windowTitle() == "moons[*] — Neural Playground", "the preset's name, not the file's"
    w.experiment.edit("training", lambda d: d["training"].update(batch_size=17))
    assert w.isWindowModified() and w.windowTitle().startswith("moons[*]")
    nameless = load_preset("moons").to_json()
    del nameless["name"]
    (tmp_path / "unnamed.json").write_text(json.dumps(nameless))
    w.experiment.dirty = False
    with qtbot.waitSignal(w.controller.data_loaded, timeout=20000):
        assert w.files.open_path(tmp_path / "unnamed.json")
    assert w.windowTitle() == "unnamed[*] — Neural Playground"


def test_a_finished_run_leaves_a_banner_with_its_test_figures_until_reset(qtbot, make_window):
    w = make_window(xor(steps=40, eval_every=10))
    banner = w.run_status.banner
    assert not banner.isVisible()
    run_to_the_end(qtbot, w)
    text = banner.findChild(QLabel, "runEndText").text()
    assert text.startswith("Training finished at step 40. Test accuracy ") and "test loss" in text
    assert "target test accuracy ≥ 0.95" in text  # the xor preset's target
    qtbot.wait(300)  # a persistent notice: later reports do not take it away
    assert banner.isVisible()
    with qtbot.waitSignal(w.controller.data_loaded, timeout=5000):
        w.actions.reset.trigger()
    assert not banner.isVisible()
    run_to_the_end(qtbot, w)
    banner.findChild(QToolButton, "dismissRunEndButton").click()
    assert not banner.isVisible()


def test_early_stopping_shows_a_banner_with_the_kept_weights_figures(qtbot, make_window):
    w = make_window(xor(steps=5000, eval_every=5, early_stopping={"patience": 2, "min_delta": 10.0}))
    run_to_the_end(qtbot, w)
    assert w.controller.step == 15
    text = w.run_status.banner.text.text()
    assert text.startswith("Stopped early at step 15: the test loss had stopped improving") and "Test accuracy" in text
    assert not w.actions.start.isEnabled() and "Reset" in w.actions.start.toolTip()


def test_a_batch_larger_than_the_training_set_gets_a_note(qtbot, make_window):
    w = make_window()  # xor: 500 samples, half for training
    note = w.hyper_panel.findChild(QLabel, "batchSizeNote")
    assert not note.isVisible()
    w.experiment.edit("training", lambda d: d["training"].update(batch_size=512))
    assert note.isVisible()
    assert note.text() == "batch size 512 is larger than the 250 training samples; each step uses all 250"
    w.experiment.edit("training", lambda d: d["training"].update(batch_size=250))
    assert not note.isVisible()


def test_the_progress_count_is_a_label_beside_the_bar(qtbot, make_window):
    w = make_window()
    assert not w.progress.isTextVisible(), "text over the bar's edge would be half unreadable"
    assert w.progress_label.text() == "0 / 100,000 steps"
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
        w.actions.step.trigger()
    assert w.progress_label.text() == "1 / 100,000 steps" and w.progress.value() == 1
