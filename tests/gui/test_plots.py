"""The live plots: buffers, robustness to bad values, surfaces as drawn pixels, and exports."""

from __future__ import annotations

import warnings

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

from playground.core.colors import BLUE, CLASS_COLORS, ORANGE, SURFACE_ALPHA, WHITE, regression_lut
from playground.core.records import MetricRecord
from playground.core.training.snapshots import DataInfo
from playground.gui.plots import BoundaryPlot, DataPreview, LossPlot

EXTENT = (-6.0, 6.0, -6.0, 6.0)
# Showing a top-level widget whose layout sets size limits makes the offscreen platform say it cannot
# pass them on to a window manager; that is the test platform talking, not the plots.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def loss_plot(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 450)
    return plot


@pytest.fixture
def boundary(qtbot):
    plot = BoundaryPlot()
    qtbot.addWidget(plot)
    plot.resize(460, 500)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def data_info(kind: str = "classification", n_train: int = 40, n_test: int = 10) -> DataInfo:
    rng = np.random.default_rng(0)
    points = rng.uniform(-5, 5, size=(n_train + n_test, 2))
    y = (points[:, 0] > 0).astype(np.int64) if kind == "classification" else points[:, 0] * 0.5 - 0.5
    return DataInfo(run_id=1, kind=kind, points_train=points[:n_train], points_test=points[n_train:],
                    y_train=y[:n_train], y_test=y[n_train:], class_names=["a", "b"], extent=EXTENT,
                    total_steps=100, device="cpu")


def record(step: int, train: float | None, test: float, acc: float | None = None) -> MetricRecord:
    return MetricRecord(step=step, epoch=step / 10, batch_loss=test, learning_rate=0.1, samples_per_s=1.0,
                        train_loss=train, test_loss=test, train_accuracy=acc,
                        test_accuracy=None if acc is None else acc - 0.1)


def export(item, path) -> QImage:
    pg.exporters.ImageExporter(item).export(str(path))
    image = QImage(str(path))
    assert not image.isNull()
    return image


def pixel_at(image: QImage, item: pg.PlotItem, x: float, y: float) -> np.ndarray:
    """The exported pixel showing data point (x, y): exports keep scene pixels, offset by the item."""
    scene = item.getViewBox().mapViewToScene(QPointF(x, y)) - item.sceneBoundingRect().topLeft()
    color = QColor(image.pixel(int(scene.x()), int(scene.y())))
    return np.array([color.red(), color.green(), color.blue()])


def surface_rgb(rgb: np.ndarray) -> np.ndarray:
    return np.clip(WHITE + (rgb - WHITE) * SURFACE_ALPHA, 0, 255).astype(int)


# ---- loss plot -----------------------------------------------------------------------------------
def test_object_names(qtbot, loss_plot):
    boundary, preview = BoundaryPlot(), DataPreview()
    qtbot.addWidget(boundary)
    qtbot.addWidget(preview)
    assert loss_plot.objectName() == "lossPlot"
    assert boundary.objectName() == "boundaryPlot"
    assert preview.objectName() == "dataPreview"
    assert loss_plot.findChild(pg.QtWidgets.QCheckBox, "logYCheck").text() == "Log scale"
    assert boundary.findChild(pg.QtWidgets.QCheckBox, "showTestCheck").text() == "Show test data"


def test_append_steps_in_chunks_keeps_the_concatenation(loss_plot):
    chunks = [(np.arange(1, 11), np.linspace(1, 0.5, 10)), (np.arange(11, 14), np.array([0.4, 0.3, 0.2])),
              (np.arange(14, 40), np.full(26, 0.1))]
    total = 0
    for steps, losses in chunks:
        loss_plot.append_steps(steps.astype(np.int64), losses)
        total += len(steps)
        assert loss_plot.point_count() == total
    x, y = loss_plot.series_data("batch")
    np.testing.assert_array_equal(x, np.concatenate([c[0] for c in chunks]))
    np.testing.assert_array_equal(y, np.concatenate([c[1] for c in chunks]))
    shown_x, shown_y = loss_plot.series_item("batch").getOriginalDataset()
    np.testing.assert_array_equal(shown_y, y)


def test_buffer_growth_beyond_capacity_keeps_data(loss_plot):
    rng = np.random.default_rng(1)
    losses = rng.uniform(0.1, 2.0, 10_000)
    for start in range(0, 10_000, 700):
        stop = min(start + 700, 10_000)
        loss_plot.append_steps(np.arange(start, stop, dtype=np.int64), losses[start:stop])
    assert loss_plot.point_count() == 10_000
    x, y = loss_plot.series_data("batch")
    np.testing.assert_array_equal(x, np.arange(10_000))
    np.testing.assert_array_equal(y, losses)


def test_non_finite_and_log_scale_neither_raise_nor_warn(qtbot, loss_plot, tmp_path):
    loss_plot.show()
    qtbot.waitExposed(loss_plot)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss_plot.append_steps(np.arange(6, dtype=np.int64), np.array([1.0, np.nan, np.inf, 0.0, -0.5, 0.25]))
        loss_plot.add_evaluations([record(2, 0.0, np.inf), record(4, 0.5, 0.6)])
        loss_plot.set_log_y(True)
        loss_plot.append_steps(np.arange(6, 8, dtype=np.int64), np.array([-np.inf, 0.125]))
        loss_plot.grab()  # paint with the log axis
        export(loss_plot.plot_items()[0], tmp_path / "log.png")
    assert loss_plot.point_count() == 5  # NaN and both infinities dropped; 0 and -0.5 kept for linear axes
    assert loss_plot.findChild(pg.QtWidgets.QCheckBox, "logYCheck").isChecked()
    assert loss_plot.is_log_y()
    shown = loss_plot.series_item("batch").getOriginalDataset()[1]
    np.testing.assert_array_equal(shown, [1.0, 0.25, 0.125])  # only positive values on a log axis
    loss_plot.set_log_y(False)
    assert len(loss_plot.series_item("batch").getOriginalDataset()[1]) == 5


def test_log_checkbox_drives_the_axis(qtbot, loss_plot):
    check = loss_plot.findChild(pg.QtWidgets.QCheckBox, "logYCheck")
    check.click()
    assert loss_plot.is_log_y() and loss_plot.plot_items()[0].ctrl.logYCheck.isChecked()
    check.click()
    assert not loss_plot.is_log_y()


def test_log_y_from_pyqtgraphs_menu_goes_through_the_checkbox(loss_plot):
    loss_plot.append_steps(np.arange(3, dtype=np.int64), np.array([0.0, 1.0, 0.5]))
    loss_plot.plot_items()[0].ctrl.logYCheck.setChecked(True)
    assert loss_plot.is_log_y() and loss_plot.findChild(pg.QtWidgets.QCheckBox, "logYCheck").isChecked()
    np.testing.assert_array_equal(loss_plot.series_item("batch").getOriginalDataset()[1], [1.0, 0.5])


def test_evaluations_fill_loss_and_accuracy_curves(loss_plot):
    assert not loss_plot.accuracy_visible()
    loss_plot.add_evaluations([record(10, 0.9, 1.0, 0.6), record(20, None, 0.8, 0.7)])
    loss_plot.add_evaluations([record(30, 0.5, 0.6, 0.9)])
    np.testing.assert_array_equal(loss_plot.series_data("train")[0], [10, 30])  # the None is skipped
    np.testing.assert_array_equal(loss_plot.series_data("test")[1], [1.0, 0.8, 0.6])
    np.testing.assert_allclose(loss_plot.series_data("train_accuracy")[1], [0.6, 0.7, 0.9])
    np.testing.assert_allclose(loss_plot.series_data("test_accuracy")[1], [0.5, 0.6, 0.8])
    assert loss_plot.accuracy_visible()
    assert loss_plot.legend_texts() == ["Batch loss", "Train", "Test"]


def test_regression_evaluations_keep_accuracy_hidden(loss_plot):
    loss_plot.add_evaluations([record(10, 0.9, 1.0), record(20, 0.8, 0.9)])
    assert not loss_plot.accuracy_visible()
    assert len(loss_plot.series_data("train_accuracy")[0]) == 0
    assert len(loss_plot.series_data("test")[0]) == 2


def test_markers_and_clear(loss_plot):
    loss_plot.append_steps(np.arange(5, dtype=np.int64), np.ones(5))
    loss_plot.add_evaluations([record(4, 1.0, 1.0, 0.5)])
    loss_plot.add_marker(2, "learning rate 0.1 → 0.01")
    loss_plot.add_marker(4, "batch size 10 → 20")
    assert loss_plot.marker_count() == 2
    assert loss_plot.marker_texts() == ["learning rate 0.1 → 0.01", "batch size 10 → 20"]
    loss_plot.clear()
    assert loss_plot.point_count() == 0 and loss_plot.marker_count() == 0
    assert not loss_plot.accuracy_visible()
    for name in ("batch", "train", "test", "train_accuracy", "test_accuracy"):
        assert len(loss_plot.series_data(name)[0]) == 0
        shown = loss_plot.series_item(name).getOriginalDataset()[0]
        assert shown is None or len(shown) == 0
    loss_plot.append_steps(np.array([7], dtype=np.int64), np.array([0.5]))
    np.testing.assert_array_equal(loss_plot.series_data("batch")[0], [7])


# ---- boundary plot -------------------------------------------------------------------------------
def test_classification_surface_is_drawn_left_orange_right_blue(boundary, tmp_path):
    boundary.set_data(data_info(n_train=1, n_test=1))
    boundary.set_show_test(False)
    image = np.empty((20, 20, 4), dtype=np.uint8)
    image[..., 3] = 255
    image[:, :10, :3] = surface_rgb(ORANGE)
    image[:, 10:, :3] = surface_rgb(BLUE)
    boundary.set_surface(image, EXTENT)
    assert boundary.surface_image() is image
    plot = boundary.plot_item()
    exported = export(plot, tmp_path / "surface.png")
    for x, expected in ((-4.0, ORANGE), (4.0, BLUE)):
        for y in (-4.0, 4.5):
            assert np.abs(pixel_at(exported, plot, x, y) - surface_rgb(expected)).max() <= 3


def test_surface_row_zero_is_the_bottom(boundary, tmp_path):
    boundary.set_data(data_info(n_train=1, n_test=1))
    image = np.full((20, 20, 4), 255, dtype=np.uint8)
    image[:10, :, :3] = surface_rgb(ORANGE)  # rows 0-9: the bottom half
    image[10:, :, :3] = surface_rgb(BLUE)
    boundary.set_surface(image, EXTENT)
    exported = export(boundary.plot_item(), tmp_path / "rows.png")
    assert np.abs(pixel_at(exported, boundary.plot_item(), 5.5, -4.5) - surface_rgb(ORANGE)).max() <= 3
    assert np.abs(pixel_at(exported, boundary.plot_item(), 5.5, 4.5) - surface_rgb(BLUE)).max() <= 3


def test_regression_surface_uses_fixed_levels_and_a_colour_bar(boundary, tmp_path):
    info = data_info("regression")
    scale = float(np.abs(np.concatenate([info.y_train, info.y_test])).max())
    boundary.set_data(info)
    assert boundary.color_bar().isVisible()
    assert boundary.levels() == pytest.approx((-scale, scale))
    xs = np.linspace(-scale, scale, 40, dtype=np.float32)
    surface = np.tile(xs, (40, 1))  # low on the left, high on the right
    boundary.set_surface(surface, EXTENT)
    boundary.set_surface(surface * 0.1, EXTENT)  # a calmer frame: the colours must not rescale
    image_item = boundary.image_item()
    assert tuple(image_item.getLevels()) == pytest.approx((-scale, scale))
    np.testing.assert_array_equal(image_item.lut, regression_lut())
    boundary.set_surface(surface, EXTENT)
    boundary.set_show_test(False)
    plot = boundary.plot_item()
    exported = export(plot, tmp_path / "regression.png")
    lut = regression_lut().astype(int)
    assert np.abs(pixel_at(exported, plot, -5.9, 5.9) - lut[0, :3]).max() <= 12
    assert np.abs(pixel_at(exported, plot, 5.9, 5.9) - lut[-1, :3]).max() <= 12
    boundary.set_data(data_info())
    assert not boundary.color_bar().isVisible()


def test_points_lie_within_the_extent_and_frame_it(boundary):
    info = data_info()
    boundary.set_data(info)
    train, test = boundary.scatter_items()
    x, y = train.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), info.points_train)
    assert len(test.getData()[0]) == len(info.points_test)
    xmin, xmax, ymin, ymax = EXTENT
    assert np.all((x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
    (vx0, vx1), (vy0, vy1) = boundary.plot_item().getViewBox().viewRange()
    assert vx0 <= xmin and vx1 >= xmax and vy0 <= ymin and vy1 >= ymax
    assert vx1 - vx0 < 1.3 * (xmax - xmin) and vy1 - vy0 < 1.3 * (ymax - ymin)  # framed, not zoomed out
    assert boundary.plot_item().getViewBox().state["aspectLocked"]


def test_test_points_differ_from_train_points_and_can_hide(boundary):
    boundary.set_data(data_info())
    train, test = boundary.scatter_items()
    train_fill = {b.color().getRgb()[:3] for b in train.data["brush"]}
    assert train_fill == {tuple(int(c) for c in CLASS_COLORS[i]) for i in (0, 1)}
    assert test.opts["brush"].color().getRgb()[:3] == (255, 255, 255)  # one white brush for all
    assert all(b is None for b in test.data["brush"])
    assert all(p.color().getRgb()[:3] != (255, 255, 255) for p in test.data["pen"])
    assert {p.widthF() for p in test.data["pen"]} != {p.widthF() for p in train.data["pen"]}
    assert test.isVisible()
    boundary.set_show_test(False)
    assert not test.isVisible() and train.isVisible()
    assert not boundary.findChild(pg.QtWidgets.QCheckBox, "showTestCheck").isChecked()
    boundary.findChild(pg.QtWidgets.QCheckBox, "showTestCheck").click()
    assert test.isVisible()


def test_regression_points_use_the_diverging_map(boundary):
    info = data_info("regression")
    boundary.set_data(info)
    train, _ = boundary.scatter_items()
    colors = np.array([b.color().getRgb()[:3] for b in train.data["brush"]])
    high, low = int(np.argmax(info.y_train)), int(np.argmin(info.y_train))
    assert colors[high, 2] > colors[high, 0]  # the highest value is blue
    assert colors[low, 0] > colors[low, 2]  # the lowest is orange


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_data_area_stays_square(qtbot, boundary, kind):
    boundary.set_data(data_info(kind))
    for size in ((700, 400), (380, 650)):
        boundary.resize(*size)
        box = boundary.plot_item().getViewBox()
        qtbot.waitUntil(lambda box=box: abs(box.width() - box.height()) <= 2 and box.width() > 100)


def test_one_feature_data_lies_on_the_x_axis(boundary):
    info = data_info("regression")
    info.points_train = info.points_train[:, :1]
    info.points_test = info.points_test[:, :1]
    boundary.set_data(info)
    x, y = boundary.scatter_items()[0].getData()
    np.testing.assert_allclose(x, info.points_train[:, 0])
    assert not y.any()


def test_new_data_forgets_the_old_surface(boundary):
    boundary.set_data(data_info())
    boundary.set_surface(np.full((4, 4, 4), 200, dtype=np.uint8), EXTENT)
    assert boundary.surface_image() is not None
    boundary.set_data(data_info())
    assert boundary.surface_image() is None


# ---- data preview and exports --------------------------------------------------------------------
def test_data_preview_draws_both_sets(qtbot):
    preview = DataPreview()
    qtbot.addWidget(preview)
    info = data_info(n_train=30, n_test=7)
    preview.set_data(info)
    train, test = preview.scatter_items()
    assert len(train.getData()[0]) == 30 and len(test.getData()[0]) == 7
    assert preview.plot_item().getViewBox().state["aspectLocked"]


def test_every_plot_offers_export_and_exports_svg(qtbot, loss_plot, boundary, tmp_path):
    preview = DataPreview()
    qtbot.addWidget(preview)
    loss_plot.append_steps(np.arange(3, dtype=np.int64), np.array([1.0, 0.5, 0.25]))
    boundary.set_data(data_info())
    preview.set_data(data_info())
    items = [loss_plot.plot_items()[0], boundary.plot_item(), preview.plot_item()]
    for index, item in enumerate(items):
        assert item.getViewBox().menuEnabled()
        assert any("Export" in action.text() for action in item.scene().contextMenu)
        path = tmp_path / f"plot{index}.svg"
        pg.exporters.SVGExporter(item).export(str(path))
        assert "<svg" in path.read_text(encoding="utf-8")


def test_svg_path_close_commands_become_lines():
    from playground.gui.plots import _close_paths_explicitly

    assert _close_paths_explicitly("M0,0 L5,0 L5,5 Z M1,1 L2,2Z") == "M0,0 L5,0 L5,5 L0,0 M1,1 L2,2 L1,1"


def test_batch_loss_stays_a_plain_line_after_clear(qtbot):
    """Thousands of per-step points must never get symbols: they would make every frame slow."""
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.append_steps(np.arange(1, 11), np.ones(10))
    plot.clear()
    plot.append_steps(np.arange(1, 11), np.ones(10))
    assert plot.series_item("batch").opts["symbol"] is None


def test_x_axis_never_runs_past_the_run_length(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.set_run_length(3000)
    plot.append_steps(np.arange(1, 2601), np.ones(2600))
    low, high = plot.plot_items()[0].vb.viewRange()[0]
    assert 2600 <= high <= 3000 * 1.05


def test_loss_curve_memory_is_bounded(qtbot, monkeypatch):
    from playground.gui.plots import loss_plot

    monkeypatch.setattr(loss_plot, "MAX_POINTS", 1000)
    plot = LossPlot()
    qtbot.addWidget(plot)
    for start in range(0, 10000, 500):
        steps = np.arange(start + 1, start + 501)
        plot.append_steps(steps, 1.0 / steps)
    x, y = plot.series_data("batch")
    assert plot.point_count() <= 1000 and x[-1] == 10000 and np.all(np.diff(x) > 0)
    assert np.array_equal(x[-250:], np.arange(9751, 10001)), "recent points keep full detail"


def test_gan_curves_move_their_axes_in_steps_and_keep_every_point_in_view(qtbot):
    """Axes repaint only when a range changes; a range that moved every frame would slow training."""
    from playground.gui.gan.curves import PlayerCurves

    curves = PlayerCurves()
    qtbot.addWidget(curves)
    curves.set_run_length(24_000)
    x_ranges, y_ranges = set(), set()
    rng = np.random.default_rng(0)
    for start in range(0, 24_000, 25):  # 960 frames of 25 steps
        steps = np.arange(start + 1, start + 26)
        curves.append(steps, {k: rng.uniform(0.4, 1.4, 25) for k in ("d_loss", "g_loss", "d_real", "d_fake")})
        box = curves._losses.vb
        x_ranges.add(tuple(box.viewRange()[0]))
        y_ranges.add(tuple(box.viewRange()[1]))
    assert len(x_ranges) <= 12 and len(y_ranges) <= 12, (len(x_ranges), len(y_ranges))
    (x0, x1), (y0, y1) = curves._losses.vb.viewRange()
    assert x0 <= 1 and 24_000 <= x1 <= 24_000 * 1.05 and y0 <= 0.4 and y1 >= 1.4
