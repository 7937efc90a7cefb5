"""The image-classification views: galleries, confusion matrix, filters, feature maps, and the window
switching its central area between them and the decision boundary."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.image_probes import Gallery
from playground.core.presets import load_preset, parse_preset
from playground.gui.classify.images import ConfusionMatrixView, FeatureMapsView, FiltersView, ImageGallery


def shown(qtbot, widget, size=(640, 420)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def gallery(n=20, shape=(8, 8), first_index=100):
    rng = np.random.default_rng(0)
    return Gallery([rng.random(shape).astype(np.float32) for _ in range(n)], [f"class {i % 3}" for i in range(n)],
                   list(range(first_index, first_index + n)))


def click_tile(qtbot, mosaic, position):
    qtbot.mouseClick(mosaic.viewport(), Qt.MouseButton.LeftButton, pos=mosaic.tile_center(position))


def test_gallery_shows_images_and_a_click_emits_the_dataset_index(qtbot):
    view = shown(qtbot, ImageGallery())
    view.set_gallery(gallery())
    assert view.count() == 20 and view.captions()[4] == "class 1"
    mosaic = view.mosaic_view()
    qtbot.waitUntil(lambda: mosaic.mosaic() is not None)
    for position in (0, 3, 19):
        with qtbot.waitSignal(view.image_clicked, timeout=2000) as clicked:
            click_tile(qtbot, mosaic, position)
        assert clicked.args == [100 + position]
    grey = mosaic.mosaic()
    assert grey.dtype == np.uint8 and grey.shape[2] == 4
    opaque = grey[grey[..., 3] == 255]
    assert np.array_equal(opaque[:, 0], opaque[:, 1]), "one channel is drawn in grey"


def test_gallery_takes_colour_images_and_empties(qtbot):
    view = shown(qtbot, ImageGallery())
    view.set_gallery(gallery(5, shape=(6, 6, 3)))
    assert view.count() == 5 and view.mosaic_view().tile_count() == 5
    view.set_gallery(None)
    assert view.count() == 0 and view.mosaic_view().mosaic() is None


def test_confusion_matrix_cells_colours_and_accuracy(qtbot):
    view = shown(qtbot, ConfusionMatrixView(), (500, 500))
    names = ["square", "circle", "cross"]
    view.set_classes(names)
    assert view.matrix() is None and "waiting" in view.title_text()
    view.set_matrix([[5, 1, 0], [0, 4, 2], [1, 1, 8]], names)
    assert view.cell_texts() == [["5", "1", "0"], ["0", "4", "2"], ["1", "1", "8"]]
    assert "77.3%" in view.title_text() and "17 of 22" in view.title_text()
    colors = view.cell_colors()[..., :3].astype(int)
    r, g, b = colors[2, 2]
    assert b == 255 and r == g < 100, "a mostly right row: strong blue on the diagonal"
    r, g, b = colors[1, 2]
    assert r == 255 and g == b < 220, "errors in red"
    assert tuple(colors[0, 2]) == (255, 255, 255), "no count, no colour"
    assert [t for t, _ in view.plot_item().getAxis("bottom")._tickLevels[0]] == [0.5, 1.5, 2.5]


def test_confusion_matrix_updates_reuse_its_items(qtbot):
    view = shown(qtbot, ConfusionMatrixView(), (400, 400))
    view.set_matrix(np.eye(2, dtype=int) * 3, ["a", "b"])
    items = view.plot_item().items[:]
    view.set_matrix([[2, 1], [0, 3]], ["a", "b"])
    assert view.plot_item().items == items and view.cell_texts() == [["2", "1"], ["0", "3"]]
    view.set_matrix(np.eye(4, dtype=int), list("abcd"))
    assert len(view.cell_texts()) == 4 and "100.0%" in view.title_text()


def test_filters_grid_and_no_convolution_note(qtbot):
    view = shown(qtbot, FiltersView())
    rng = np.random.default_rng(1)
    view.set_filters(rng.random((16, 1, 3, 3)).astype(np.float32))
    assert view.filter_count() == 16 and view.mosaic_view().tile_count() == 16 and not view.note_visible()
    assert "16 kernels of 3×3" in view.title_text()
    view.set_filters(rng.random((8, 3, 5, 5)).astype(np.float32))
    assert view.filter_count() == 8 and "colour" in view.title_text()
    view.set_filters(None)
    assert view.filter_count() == 0 and view.note_visible()


def test_feature_maps_one_row_per_layer(qtbot):
    view = shown(qtbot, FeatureMapsView(), (900, 500))
    rng = np.random.default_rng(2)
    maps = [("conv2d1", rng.random((16, 8, 8))), ("conv2d2", rng.random((32, 8, 8))),
            ("maxpool2d1", rng.random((32, 4, 4)))]
    view.set_maps(rng.random((8, 8)), maps, "Training image 3")
    assert view.layer_names() == ["conv2d1", "conv2d2", "maxpool2d1"]
    assert view.channel_counts() == [16, 32, 32] and view.has_input()
    view.set_maps(rng.random((8, 8)), maps[:1])
    assert view.layer_names() == ["conv2d1"]
    view.set_maps(rng.random((8, 8)), [])
    assert view.layer_names() == [] and view.findChild(type(view._note), "featureMapsNote").isVisible()


# ---- the main window -------------------------------------------------------------------------------
def short(name, **training):
    doc = load_preset(name).to_json()
    doc["training"].update(**training)
    return parse_preset(doc)


@pytest.fixture
def image_window(open_window):
    return open_window


def test_cnn_run_fills_every_image_view_and_spiral_brings_the_boundary_back(qtbot, image_window):
    w = image_window(short("digits-cnn", steps=150))
    tabs = w.image_tabs
    assert w.central_views.currentWidget() is tabs and tabs.isVisible() and not w.boundary_plot.isVisible()
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Samples", "Confusion matrix", "Mistakes", "Filters", "Feature maps"]
    assert w.preview_gallery.isVisible() and w.preview_gallery.count() == 16 and not w.data_preview.isVisible()
    assert tabs.samples.count() == 64
    tabs.setCurrentWidget(tabs.confusion)
    w.actions.start.trigger()
    qtbot.waitUntil(lambda: tabs.confusion.matrix() is not None, timeout=10000)
    qtbot.waitUntil(lambda: w.controller.status == "finished", timeout=60000)
    qtbot.waitUntil(lambda: tabs.confusion.matrix().sum() == 899 and "Test accuracy" in tabs.confusion.title_text())
    assert tabs.mistakes.count() == 0 and tabs.filters.filter_count() == 0, "hidden tabs wait until shown"
    tabs.setCurrentIndex(2)
    assert tabs.mistakes.count() > 0 and all("→" in caption for caption in tabs.mistakes.captions())
    tabs.setCurrentWidget(tabs.filters)
    assert tabs.filters.filter_count() == 16
    qtbot.waitUntil(lambda: tabs.feature_maps.layer_names() != [], timeout=5000)  # the first pick, unasked

    tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: tabs.samples.mosaic_view().mosaic() is not None)
    with qtbot.waitSignal(w.controller.feature_maps_ready, timeout=5000,
                          check_params_cb=lambda payload: payload[:2] == ("train", 5)):
        click_tile(qtbot, tabs.samples.mosaic_view(), 5)
    assert tabs.currentWidget() is tabs.feature_maps and tabs.picked() == ("train", 5)
    assert tabs.feature_maps.layer_names() == ["conv2d1", "conv2d2", "maxpool2d1"]
    assert tabs.feature_maps.channel_counts() == [16, 32, 32]
    assert tabs.feature_maps.has_input() and "Training image 5" in tabs.feature_maps.caption_text()

    with qtbot.waitSignal(w.controller.data_loaded, timeout=30000):
        assert w.files.open_path("spiral-deep")
    assert w.central_views.currentWidget() is w.boundary_plot and w.boundary_plot.isVisible()
    assert w.data_preview.isVisible() and not w.preview_gallery.isVisible()
    qtbot.waitUntil(lambda: w.boundary_plot.surface_image() is not None, timeout=10000)
    with qtbot.waitSignal(w.controller.data_loaded, timeout=30000):
        assert w.files.open_path("digits-mlp")
    assert tabs.isVisible() and not w.boundary_plot.isVisible()
    with qtbot.waitSignal(w.controller.snapshot, timeout=5000):
        w.actions.step.trigger()
    tabs.setCurrentWidget(tabs.filters)
    qtbot.waitUntil(tabs.filters.note_visible, timeout=5000)  # an MLP has no convolution to show


def test_space_starts_and_pauses_over_the_image_tabs(qtbot, image_window):
    w = image_window(short("digits-cnn", steps=100000))
    w.activateWindow()
    for target in (w.image_tabs.tabBar(), w.image_tabs.samples.mosaic_view().viewport()):
        qtbot.keyClick(target, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: w.controller.running, timeout=5000)
        qtbot.keyClick(target, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not w.controller.running, timeout=5000)


def test_a_folder_of_the_users_images_trains_in_the_window(qtbot, isolated_settings, tmp_path, monkeypatch):
    """What a user does with their own pictures: choose the folder, press Start, see the views."""
    from PIL import Image
    from PySide6.QtWidgets import QComboBox

    from playground.core.presets import load_preset as _load
    from playground.gui import create_main_window as _create
    from playground.gui.panels import DataPanel

    for label, value in (("dark", 40), ("light", 210)):
        (tmp_path / "pics" / label).mkdir(parents=True)
        for i in range(12):
            Image.new("L", (10, 10), value + i).save(tmp_path / "pics" / label / f"{i}.png")
    monkeypatch.setattr(DataPanel, "choose_path", lambda self, name: str(tmp_path / "pics"))
    doc = _load("digits-mlp").to_json()
    doc["training"]["steps"] = 40
    from playground.core.presets import parse_preset as _parse

    window = _create(_parse(doc))
    try:
        with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
            window.show()
        combo = window.data_panel.findChild(QComboBox, "datasetCombo")
        with qtbot.waitSignal(window.controller.data_loaded, timeout=30000) as loaded:
            combo.setCurrentIndex(combo.findData("image-folder"))
        assert loaded.args[0].class_names == ["dark", "light"]
        assert window.experiment.preset.networks["main"].layers[-1].params["width"] == 2
        window.actions.start.trigger()
        qtbot.waitUntil(lambda: window.controller.step == 40 and window.controller.status == "finished",
                        timeout=30000)
    finally:
        window.experiment.dirty = False
        window.close()
        assert window.controller._thread.wait(5000)
