"""The preset gallery, File → Open Preset's start folder and preview, and the Data panel's dataset tiles,
as a user drives them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTreeView, QWidget

from playground.core.presets import bundled_presets, load_preset, parse_preset
from playground.gui.preset_gallery import PresetGallery

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")  # offscreen


@pytest.fixture
def settings(isolated_settings, tmp_path, monkeypatch):
    """Private settings and a private cache folder (the gallery keeps its pictures there); every
    picture queued by a test is finished before the next test starts."""
    from playground.gui.thumbnail_service import thumbnail_service

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield isolated_settings
    assert thumbnail_service().wait(30000), "the thumbnail thread did not finish"


@pytest.fixture
def window(qtbot, open_window, settings):
    doc = load_preset("xor").to_json()
    doc["training"]["steps"] = 100000
    return open_window(parse_preset(doc))


def open_gallery(window):
    window.actions.open_gallery.trigger()
    gallery = window.gallery.gallery
    assert gallery is not None and gallery.isVisible()
    return gallery


def test_every_bundled_preset_is_a_card_in_one_family_with_a_picture(qtbot, window):
    gallery = open_gallery(window)
    families = gallery.families()
    names = [name for members in families.values() for name in members]
    assert sorted(names) == sorted(bundled_presets()) and len(names) == len(set(names))
    assert set(families) == {"classification", "regression", "images", "gan", "vae", "worked"}
    assert "seed-forward-pass" in families["worked"] and "gan-ring8" in families["gan"]
    qtbot.waitUntil(lambda: all(gallery.card(n).has_picture() for n in names), timeout=60000)
    assert gallery.selected() == "xor", "the current preset starts selected"
    again = PresetGallery()  # another gallery (another window): the pictures are ready at once
    qtbot.addWidget(again)
    again._request_thumbnails()
    assert all(again.card(n).has_picture() for n in names)


def test_preset_pictures_are_kept_on_disk_by_content(tmp_path):
    from playground.gui.thumbnail_service import _preset_picture

    path = tmp_path / "mine.json"
    path.write_text(json.dumps(load_preset("moons").to_json()))
    first = _preset_picture(path, 32, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.npy"))) == 1
    assert (_preset_picture(path, 32, tmp_path / "cache") == first).all()
    path.write_text(json.dumps(load_preset("xor").to_json()))  # a changed file is drawn again
    assert not (_preset_picture(path, 32, tmp_path / "cache") == first).all()
    assert len(list((tmp_path / "cache").glob("*.npy"))) == 2


def test_search_filters_by_name_and_description(qtbot, window):
    gallery = open_gallery(window)
    qtbot.keyClicks(gallery.search, "spiral")
    assert gallery.visible_names() == ["spiral-deep", "multiclass-spiral"]
    assert not gallery.findChild(type(gallery.empty_label), "galleryEmpty").isVisible()
    assert gallery.selected() == "spiral-deep", "the selection follows the filter"
    gallery.search.setText("mode collapse")  # only in a description
    assert gallery.visible_names() == ["gan-grid25"]
    assert not gallery.findChild(QWidget, "family_classification").isVisible(), "an empty family is hidden"
    gallery.search.setText("no such thing")
    assert gallery.visible_names() == [] and gallery.empty_label.isVisible()
    assert not gallery.open_button.isEnabled()
    gallery.search.clear()
    assert len(gallery.visible_names()) == len(bundled_presets())


def test_double_clicking_a_card_opens_that_preset(qtbot, window):
    gallery = open_gallery(window)
    card = gallery.card("moons")
    gallery.scroll.ensureWidgetVisible(card)
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        qtbot.mouseDClick(card, Qt.MouseButton.LeftButton, pos=card.rect().center())
    assert window.experiment.preset.name == "moons"
    assert window.windowTitle().startswith("moons") and not window.isWindowModified()
    assert window.experiment.path is None, "a bundled preset opens unsaved: Save asks where"
    assert not gallery.isVisible()


def test_enter_in_the_search_box_opens_the_match(qtbot, window):
    gallery = open_gallery(window)
    qtbot.keyClicks(gallery.search, "regression gauss")
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        qtbot.keyClick(gallery.search, Qt.Key.Key_Return)
    assert window.experiment.preset.name == "regression-gauss"


def test_arrow_keys_move_between_cards_and_enter_opens(qtbot, window):
    gallery = open_gallery(window)
    gallery.activateWindow()
    qtbot.waitUntil(gallery.isActiveWindow, timeout=5000)
    gallery.search.setText("circle")
    qtbot.keyClick(gallery.search, Qt.Key.Key_Down)
    assert gallery.selected() == "circle-linear"
    qtbot.keyClick(gallery.card("circle-linear"), Qt.Key.Key_Right)
    assert gallery.selected() == "circle-features" and gallery.card("circle-features").hasFocus()
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        qtbot.keyClick(gallery.card("circle-features"), Qt.Key.Key_Return)
    assert window.experiment.preset.name == "circle-features"


def test_unsaved_changes_are_asked_about_and_cancel_keeps_everything(qtbot, window, monkeypatch):
    window.experiment.edit("training", lambda d: d["training"].update(batch_size=17))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    gallery = open_gallery(window)
    gallery.activate("moons")
    assert asked and window.experiment.preset.name == "xor" and window.experiment.dirty
    assert gallery.isVisible(), "cancelling the prompt leaves the gallery open"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        qtbot.mouseClick(gallery.open_button, Qt.MouseButton.LeftButton)  # the selected card: moons
    assert window.experiment.preset.name == "moons" and not window.experiment.dirty


def test_the_gallery_is_on_the_file_menu_the_toolbar_and_ctrl_shift_o(window):
    action = window.actions.open_gallery
    assert action.shortcut().toString() == "Ctrl+Shift+O"
    assert action in window.menuBar().actions()[0].menu().actions()
    assert action in window.toolbar.actions()


def test_the_first_launch_opens_on_the_gallery_once(qtbot, settings):
    from playground.gui.app import open_window

    def launch(preset=None):
        window = open_window(preset)
        with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
            pass
        return window

    def close(window):
        window.close()
        assert window.controller._thread.wait(5000)
        window.deleteLater()

    named = launch("xor")  # a preset asked for on the command line opens as asked
    assert named.gallery.gallery is None
    close(named)
    first = launch()
    qtbot.waitUntil(lambda: first.gallery.gallery is not None and first.gallery.gallery.isVisible(), timeout=5000)
    assert QSettings().value("gallery/shownOnFirstLaunch", False, type=bool)
    first.gallery.gallery.reject()
    close(first)
    later = launch()
    assert later.gallery.gallery is None, "later launches open the experiment as before"
    assert not later.gallery.show_on_first_launch()
    close(later)


def test_open_preset_starts_in_documents_then_in_the_last_folder(qtbot, window, tmp_path, monkeypatch):
    from playground.gui import preset_file_dialog
    from playground.gui.preset_file_dialog import PresetFileDialog

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    (tmp_path / "shell").mkdir()
    monkeypatch.chdir(tmp_path / "shell")
    started = []

    def fake_exec(dialog):
        started.append(dialog.directory().absolutePath())
        return QFileDialog.DialogCode.Rejected

    monkeypatch.setattr(PresetFileDialog, "exec", fake_exec)
    window.actions.open.trigger()
    assert started == [str(home / "Documents")], "first time: Documents, not the shell's folder"

    mine = tmp_path / "projects" / "mine.json"
    mine.parent.mkdir()
    mine.write_text(json.dumps(load_preset("moons").to_json()))
    real_ask = preset_file_dialog.ask_preset_path
    monkeypatch.setattr(preset_file_dialog, "ask_preset_path", lambda parent, start: str(mine))
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        window.actions.open.trigger()
    assert window.experiment.path == mine
    monkeypatch.setattr(preset_file_dialog, "ask_preset_path", real_ask)
    window.actions.open.trigger()
    assert started[-1] == str(mine.parent), "then where the last preset came from"


def test_the_open_dialog_previews_a_preset_and_shows_whole_names(qtbot, settings, tmp_path):
    from playground.gui.preset_file_dialog import PresetFileDialog

    long_name = "a-preset-with-a-rather-long-descriptive-file-name-for-the-class.json"
    good = tmp_path / long_name
    good.write_text(json.dumps(load_preset("gan-ring8").to_json()))
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    dialog = PresetFileDialog(None, tmp_path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.files_model.directoryLoaded, timeout=10000):
        dialog.show()
    tree = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: tree.columnWidth(0) >= tree.fontMetrics().horizontalAdvance(long_name), timeout=5000)
    dialog.show_preview(str(good))
    preview = dialog.preview
    assert preview.name.text() == "gan-ring8" and preview.family.text() == "GANs"
    assert preview.description.text() == load_preset("gan-ring8").description
    qtbot.waitUntil(lambda: not preview.picture.pixmap().isNull(), timeout=30000)
    dialog.show_preview(str(bad))
    assert preview.description.text().startswith("Not a preset file")
    dialog.show_preview("")
    assert preview.name.text() == "No file selected"


def test_clicking_a_dataset_tile_changes_the_dataset_and_undo_restores_it(qtbot, window):
    tiles = window.data_panel.tiles
    assert tiles.current() == "xor"
    assert tiles.names_for(("classification",)) == [n for n in tiles._buttons]
    qtbot.waitUntil(tiles.has_pictures, timeout=30000)
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        qtbot.mouseClick(tiles.button("circle"), Qt.MouseButton.LeftButton)
    assert window.experiment.preset.dataset["name"] == "circle" and tiles.current() == "circle"
    assert window.actions.undo.text() == "&Undo Choose Circle"
    with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
        window.actions.undo.trigger()
    assert window.experiment.preset.dataset["name"] == "xor" and tiles.current() == "xor"
    qtbot.mouseClick(tiles.button("xor"), Qt.MouseButton.LeftButton)  # the current one: nothing happens
    assert tiles.current() == "xor" and window.experiment.undo_stack.canRedo(), "no new edit"


def test_a_declined_reset_keeps_the_dataset_and_its_frame(qtbot, window, monkeypatch):
    with qtbot.waitSignal(window.controller.snapshot, timeout=5000):
        window.actions.step.trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(window.data_panel.tiles.button("spiral"), Qt.MouseButton.LeftButton)
    assert window.experiment.preset.dataset["name"] == "xor" and window.data_panel.tiles.current() == "xor"


def test_tiles_follow_the_task(qtbot, settings):
    from playground.gui.experiment import Experiment
    from playground.gui.panels import DataPanel

    panel = DataPanel(Experiment(load_preset("regression-gauss")))
    qtbot.addWidget(panel)
    assert list(panel.tiles._buttons) == ["regression-plane", "regression-gauss"]
    assert panel.tiles.current() == "regression-gauss"
    panel.experiment.replace(load_preset("vae-digits"), None)
    assert list(panel.tiles._buttons) == ["digits", "shapes"] and panel.tiles.current() == "digits"
    panel.experiment.replace(load_preset("seed-forward-pass"), None)
    assert panel.tiles.current() is None, "rows written in the preset have no tile"


def test_the_gallery_and_the_tiles_load_no_torch(tmp_path):
    """The window loads torch on its training thread after the first paint; the gallery, its pictures
    and the Data panel's tiles must not pull it in earlier (checked in a fresh process)."""
    child = """
import sys
from PySide6.QtCore import QTimer
from playground.gui.app import make_application
from playground.core.presets import load_preset
from playground.gui.experiment import Experiment
from playground.gui.panels import DataPanel
from playground.gui.preset_gallery import PresetGallery
from playground.gui.gallery_launch import GalleryLauncher
from playground.gui.preset_file_dialog import PresetFileDialog
app = make_application()
gallery = PresetGallery()
gallery.show()
panel = DataPanel(Experiment(load_preset("xor")))
panel.show()
def check():
    if all(gallery.card(n).has_picture() for n in gallery.visible_names()) and panel.tiles.has_pictures():
        print("pictures:", len(gallery.visible_names()), "torch:", "torch" in sys.modules, flush=True)
        app.quit()
timer = QTimer()
timer.timeout.connect(check)
timer.start(50)
QTimer.singleShot(90000, lambda: sys.exit(9))
app.exec()
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, timeout=150)
    assert f"pictures: {len(bundled_presets())} torch: False" in result.stdout, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
