"""File → Export… and sessions from the window: verified exports, exact continuation."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from playground.core.presets import load_preset, parse_preset
from playground.gui.export_dialog import ExportDialog


def short(steps=60):
    doc = load_preset("xor").to_json()
    doc["training"]["steps"] = steps
    return parse_preset(doc)


@pytest.fixture
def make_window(open_window):
    return lambda preset=None: open_window(preset or short())


def test_export_dialog_lists_every_format_and_remembers_the_choice(qtbot, isolated_settings, tmp_path):
    dialog = ExportDialog(None, "xor")
    qtbot.addWidget(dialog)
    keys = [dialog.formats.item(i).data(256) for i in range(dialog.formats.count())]
    assert keys == ["state_dict", "safetensors", "torchscript", "onnx", "python", "run_folder"]
    assert all("\n" in dialog.formats.item(i).text() for i in range(dialog.formats.count())), "one line on each"
    dialog.formats.setCurrentRow(keys.index("torchscript"))
    dialog.path.setText(str(tmp_path / "m.pt"))
    dialog._accept()
    assert QSettings().value("export/format") == "torchscript" and QSettings().value("export/folder") == str(tmp_path)
    again = ExportDialog(None, "xor")
    qtbot.addWidget(again)
    assert again.format() == "torchscript" and again.path.text().startswith(str(tmp_path))


def test_exporting_onnx_from_the_window_shows_the_verification(qtbot, make_window, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    w = make_window()
    target = tmp_path / "xor.onnx"
    monkeypatch.setattr(ExportDialog, "exec", lambda self: ExportDialog.DialogCode.Accepted)
    monkeypatch.setattr(ExportDialog, "choice", lambda self: ("onnx", str(target)))
    with qtbot.waitSignal(w.controller.export_done, timeout=30000) as done:
        w.actions.export.trigger()
    summary, ok = done.args
    assert ok and target.exists() and "verified: largest difference from PyTorch" in summary
    box = w.findChild(QMessageBox, "exportResultDialog")
    assert box is not None and "verified" in box.text()
    box.close()


def test_a_gan_exports_the_network_the_user_picks(qtbot, open_window, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    from pathlib import Path

    preset = load_preset(Path(__file__).resolve().parents[2] / "playground" / "presets" / "gan-ring8.json")
    w = open_window(preset)
    dialog = ExportDialog(None, "gan-ring8", ("generator", "discriminator"))
    qtbot.addWidget(dialog)
    assert dialog.network.isVisibleTo(dialog) and dialog.network.count() == 2
    dialog.network.setCurrentIndex(1)
    assert dialog.chosen_network() == "discriminator" and "discriminator" in dialog.path.text()
    target = tmp_path / "d.onnx"
    monkeypatch.setattr(ExportDialog, "exec", lambda self: ExportDialog.DialogCode.Accepted)
    monkeypatch.setattr(ExportDialog, "choice", lambda self: ("onnx", str(target)))
    monkeypatch.setattr(ExportDialog, "chosen_network", lambda self: "discriminator")
    with qtbot.waitSignal(w.controller.export_done, timeout=30000) as done:
        w.actions.export.trigger()
    summary, ok = done.args
    assert ok and target.exists() and "verified" in summary
    import onnx

    assert onnx.load(str(target)).graph.input[0].type.tensor_type.shape.dim[1].dim_value == 2  # a 2-D point in
    w.findChild(QMessageBox, "exportResultDialog").close()


def test_a_saved_session_continues_exactly_in_a_new_window(qtbot, make_window, tmp_path):
    straight = make_window(short(60))
    straight.actions.start.trigger()
    qtbot.waitUntil(lambda: straight.loss_plot.point_count() == 60, timeout=30000)
    expected = straight.loss_plot.series_data("batch")[1]

    first = make_window(short(60))
    for _ in range(25):
        with qtbot.waitSignal(first.controller.snapshot, timeout=5000):
            first.actions.step.trigger()
    with qtbot.waitSignal(first.controller.session_saved, timeout=10000):
        first.controller.save_session(str(tmp_path / "session"))

    later = make_window(load_preset("moons"))
    with qtbot.waitSignal(later.controller.data_loaded, timeout=30000):
        later.open_session(str(tmp_path / "session"))
    qtbot.waitUntil(lambda: later.loss_plot.point_count() == 25, timeout=5000)
    assert later.experiment.preset.name == "xor" and later.controller.step == 25
    later.actions.start.trigger()
    qtbot.waitUntil(lambda: later.loss_plot.point_count() == 60, timeout=30000)
    assert later.controller.step == 60
    assert list(later.loss_plot.series_data("batch")[1]) == list(expected)
