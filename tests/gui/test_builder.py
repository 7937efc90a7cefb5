"""The visual network builder: palette drops, reordering, live shapes and errors, undo, summary."""

import pytest
import torch
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.core.build import build_network
from playground.core.presets import load_preset, parse_preset


def short(name="xor", **training):
    doc = load_preset(name).to_json()
    doc["training"].update(**training)
    return parse_preset(doc)


@pytest.fixture
def window(open_window):
    w = open_window(short(steps=100000))
    w.central_tabs.setCurrentWidget(w.builder)
    return w


def layer_types(w, network="main"):
    return [layer["type"] for layer in w.experiment.preset.to_json()["networks"][network]["layers"]]


def drop(canvas, mime: QMimeData, point: QPoint) -> None:
    """A real drag sequence onto the canvas's viewport: enter, move (sets the drop indicator), drop."""
    viewport = canvas.viewport()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(viewport, QDragEnterEvent(point, actions, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDragMoveEvent(point, actions, mime, buttons, mods))
    QApplication.sendEvent(viewport, QDropEvent(point.toPointF(), actions, mime, buttons, mods))


def palette_mime(w, name):
    return w.builder.palette.tree.mimeData([w.builder.palette.items[name]])


def test_dragging_from_the_palette_inserts_at_the_drop_position(window):
    w = window
    canvas = w.builder.current_canvas()
    before = layer_types(w)  # Linear, Tanh, Linear, Tanh, Linear
    rect = canvas.visualItemRect(canvas.item_at_path((2,)))
    drop(canvas, palette_mime(w, "Dropout"), QPoint(rect.center().x(), rect.top() + 2))  # upper edge: above
    assert layer_types(w) == before[:2] + ["Dropout"] + before[2:]
    assert canvas.selected_paths() == [(2,)], "the new block is selected"
    assert "Dropout" in w.actions.undo.text()


def test_double_click_appends_after_the_selection_and_search_filters(window):
    w = window
    w.builder.palette.search.setText("norm")
    assert set(w.builder.palette.visible_layers()) >= {"BatchNorm1d", "LayerNorm"}
    assert "Conv2d" not in w.builder.palette.visible_layers()
    w.builder.current_canvas().select_paths([(0,)])
    w.builder.palette.append_requested.emit("LayerNorm")
    assert layer_types(w)[1] == "LayerNorm"


def test_dragging_a_block_reorders_and_undo_redo_restore_exact_states(window):
    w = window
    canvas = w.builder.current_canvas()
    w.experiment.edit("networks", lambda d: d["networks"]["main"]["layers"][0].update(width=5))
    original = w.experiment.preset.to_json()
    canvas.select_paths([(0,), (1,)])
    mime = canvas.mimeData(canvas.selectedItems())
    last = canvas.visualItemRect(canvas.item_at_path((4,)))
    drop(canvas, mime, QPoint(last.center().x(), last.top() + 2))  # above the output layer
    moved = w.experiment.preset.to_json()
    assert [layer["type"] for layer in moved["networks"]["main"]["layers"]] == [
        "Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert moved["networks"]["main"]["layers"][2]["width"] == original["networks"]["main"]["layers"][0]["width"]
    assert moved != original
    w.actions.undo.trigger()
    assert w.experiment.preset.to_json() == original
    w.actions.redo.trigger()
    assert w.experiment.preset.to_json() == moved


def test_a_layer_that_does_not_fit_turns_red_names_why_and_disables_start(qtbot, window):
    w = window
    assert w.actions.start.isEnabled()
    w.builder.current_canvas().select_paths([(0,)])
    w.builder.append_layer("Conv2d")
    canvas = w.builder.current_canvas()
    item = canvas.item_at_path((1,))
    assert item.text(2) == "✗" and "image" in item.text(1) and "Conv2d" in item.toolTip(0)
    assert canvas.errors and "Conv2d" in canvas.errors[0]
    assert not w.actions.start.isEnabled()
    assert "layers[1]" in w.actions.start.toolTip() and "Conv2d" in w.actions.start.toolTip()
    assert "✗" in w.builder.tabs.tabText(0)
    w.actions.undo.trigger()
    assert not canvas.errors
    qtbot.waitUntil(w.actions.start.isEnabled, timeout=10000)  # the restored network loads


def test_editing_a_width_updates_every_shape_below(window):
    w = window
    canvas = w.builder.current_canvas()
    canvas.select_paths([(0,)])
    editor = w.builder.properties.form.editor("width")
    editor.set_value(7)
    editor.value_changed.emit(7)
    assert canvas.item_at_path((0,)).text(2) == "(7,)" and canvas.item_at_path((1,)).text(2) == "(7,)"
    assert w.experiment.preset.networks["main"].layers[0].params["width"] == 7


def test_summary_matches_the_built_module(window):
    w = window
    w.builder.current_canvas().select_paths([(1,)])
    w.builder.append_layer("Residual")
    canvas = w.builder.current_canvas()
    rect = canvas.visualItemRect(canvas.item_at_path((2,)).child(0))  # the block's "drop layers here" line
    drop(canvas, palette_mime(w, "Linear"), rect.center())
    assert layer_types(w)[2] == "Residual"
    assert [x["type"] for x in w.experiment.preset.to_json()["networks"]["main"]["layers"][2]["layers"]] == ["Linear"]
    preset = w.experiment.preset
    model = build_network(preset.networks["main"].layers, (2,), seed=0)
    total = sum(p.numel() for p in model.parameters())
    assert w.builder.summary.total_params_text() == f"{total:,}"
    assert isinstance(model, torch.nn.Module)


def test_copy_paste_duplicate_and_delete(window):
    w = window
    b = w.builder
    canvas = b.current_canvas()
    n = len(layer_types(w))
    canvas.select_paths([(0,), (1,)])
    assert b.copy_selected()
    canvas.select_paths([(3,)])
    assert b.paste()
    assert layer_types(w)[4:6] == ["Linear", "Tanh"] and len(layer_types(w)) == n + 2
    assert b.duplicate_selected() and len(layer_types(w)) == n + 4
    canvas.select_paths([(0,), (1,), (2,), (3,)])
    assert b.delete_selected() and len(layer_types(w)) == n
    QApplication.clipboard().setText("not layers")
    assert not b.paste() and len(layer_types(w)) == n


def test_a_structural_edit_after_training_asks_and_cancel_keeps_network_and_weights(qtbot, window, monkeypatch):
    w = window
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
        w.actions.step.trigger()
    before = w.experiment.preset.to_json()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    w.builder.current_canvas().select_paths([(0,)])
    assert not w.builder.delete_selected()
    assert w.experiment.preset.to_json() == before and w.controller.step == 1
    assert len(w.builder.current_canvas().layers) == len(before["networks"]["main"]["layers"])


def test_edit_menu_names_the_edit_and_quick_setting_changes_merge(window):
    w = window
    before = w.experiment.preset.to_json()
    for rate in (0.01, 0.02, 0.05):  # a slider being dragged
        w.experiment.edit("training", lambda d, r=rate: d["training"].update(learning_rate=r), "Change learning rate")
    assert w.experiment.undo_stack.count() == 1
    assert w.actions.undo.text() == "&Undo Change learning rate" and w.actions.undo.isEnabled()
    w.actions.undo.trigger()
    assert w.experiment.preset.to_json() == before and not w.isWindowModified()
    assert w.actions.redo.text() == "&Redo Change learning rate"
    w.actions.redo.trigger()
    assert w.experiment.preset.training["learning_rate"] == 0.05 and w.isWindowModified()


def test_a_gan_has_a_tab_per_network_saying_what_each_receives_and_must_output(open_window):
    from pathlib import Path

    presets = Path(__file__).resolve().parents[2] / "playground" / "presets"
    w = open_window(load_preset(presets / "gan-ring8.json"))
    b = w.builder
    assert [b.tabs.tabText(i) for i in range(b.tabs.count())] == ["Generator", "Discriminator"]
    latent = w.experiment.preset.training["gan"]["latent_size"]
    assert f"({latent},)" in b.headers["generator"].text() and "(2,)" in b.headers["generator"].text()
    assert "✓" in b.headers["generator"].text() and "1 score" in b.headers["discriminator"].text()
    # copy the discriminator's first layer into the generator: a copy between networks
    b.tabs.setCurrentIndex(1)
    b.canvases["discriminator"].select_paths([(0,)])
    assert b.copy_selected()
    b.tabs.setCurrentIndex(0)
    b.canvases["generator"].select_paths([(0,)])
    before = len(w.experiment.preset.networks["generator"].layers)
    assert b.paste()
    assert len(w.experiment.preset.networks["generator"].layers) == before + 1
    # a generator that no longer outputs the data's shape is flagged on its tab
    last = len(b.canvases["generator"].layers) - 1
    b.canvases["generator"].select_paths([(last,)])
    b.properties.form.editor("width").value_changed.emit(3)
    assert "✗" in b.tabs.tabText(0) and "must produce samples shaped like the data" in b.headers["generator"].text()
    assert not w.actions.start.isEnabled()
