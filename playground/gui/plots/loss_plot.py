"""The live loss plot: per-step batch loss, evaluation losses, accuracy below, and change markers.

Snapshots arrive up to ~30 times a second while the trainer shares the GIL with us, so a frame
must stay cheap: every series lives in a preallocated NumPy buffer that doubles when full (no list
concatenation), each changed series gets exactly one ``setData`` per call, and the plot clips to
the view and peak-downsamples so 100k batch-loss points still draw quickly.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from playground.core.records import MetricRecord
from playground.gui.plots import TEXT_COLOR, make_view, style_plot
from playground.gui.plots.range_follow import RangeFollower

BATCH_PEN = pg.mkPen((200, 200, 200), width=1)  # thin and light: many noisy points stay in the back
TRAIN_COLOR = (0, 114, 178)  # Okabe-Ito blue and vermillion: distinct, colour-blind safe
TEST_COLOR = (213, 94, 0)
SYMBOLS_UP_TO = 60  # evaluation points get dots while few, plain lines once dense
AXIS_WIDTH = 52  # both left axes share a width so the linked x axes line up


MAX_POINTS = 250_000  # per curve; beyond this the older half is thinned so memory stays bounded


class _Series:
    """One curve fed from growing NumPy buffers; non-finite points are dropped on arrival. Past
    MAX_POINTS every other point of the older half is dropped (drawing downsamples anyway)."""

    def __init__(self, item: pg.PlotDataItem, capacity: int = 1024) -> None:
        self.item = item
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self.count = 0
        self._non_positive = 0  # how many held y <= 0: log display skips its mask when none

    def append(self, x: np.ndarray, y: np.ndarray) -> bool:
        """Copy the finite points in; True when anything was added."""
        x = np.asarray(x, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
        keep = np.isfinite(x) & np.isfinite(y)
        if not keep.all():
            x, y = x[keep], y[keep]
        if not len(x):
            return False
        end = self.count + len(x)
        if end > len(self._x):
            capacity = max(end, 2 * len(self._x))
            for name in ("_x", "_y"):
                grown = np.empty(capacity, dtype=np.float64)
                grown[: self.count] = getattr(self, name)[: self.count]
                setattr(self, name, grown)
        self._x[self.count : end] = x
        self._y[self.count : end] = y
        self._non_positive += int(np.count_nonzero(y <= 0))
        self.count = end
        while self.count > MAX_POINTS:
            self._thin()
        return True

    def _thin(self) -> None:
        half = self.count // 2
        keep = np.r_[np.arange(0, half, 2), np.arange(half, self.count)]
        for name in ("_x", "_y"):
            values = getattr(self, name)
            values[: len(keep)] = values[keep]
        self.count = len(keep)
        self._non_positive = int(np.count_nonzero(self._y[: self.count] <= 0))

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._x[: self.count].copy(), self._y[: self.count].copy()

    def clear(self) -> None:
        self.count = 0
        self._non_positive = 0
        self.item.setData(np.empty(0), np.empty(0))

    def refresh(self, log_y: bool) -> None:
        """One ``setData``; on a log axis points <= 0 have no place and are left out."""
        x, y = self._x[: self.count], self._y[: self.count]
        if log_y and self._non_positive:
            keep = y > 0
            x, y = x[keep], y[keep]
        self.item.setData(x, y)


class LossPlot(QWidget):
    """Loss over steps (batch, train, test) with a smaller accuracy plot that shares the x axis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self._log_y = False
        self._markers: list[tuple[pg.InfiniteLine, pg.InfiniteLine]] = []

        self._view = make_view(self)
        # One legend in a row of its own above the plots: it never hides data or marker labels, and
        # its Train/Test colours also name the accuracy curves below.
        self._legend = pg.LegendItem(colCount=3, labelTextColor=TEXT_COLOR, labelTextSize="9pt",
                                     horSpacing=18, verSpacing=-6)
        self._legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._view.addItem(self._legend, row=0, col=0)
        self._loss = self._view.addPlot(row=1, col=0)
        self._acc = pg.PlotItem()  # in the layout only while shown (see _set_accuracy_visible)
        self._acc_shown = False
        layout = self._view.ci.layout
        layout.setAlignment(self._legend, Qt.AlignmentFlag.AlignRight)
        style_plot(self._loss, left=self.tr("Loss"), bottom=self.tr("Step"))
        style_plot(self._acc, left=self.tr("Accuracy"), bottom=self.tr("Step"))
        for plot in (self._loss, self._acc):
            # no grid: pyqtgraph draws it from the axes, which then repaint with every new point
            plot.showGrid(x=False, y=False)
            plot.getAxis("left").enableAutoSIPrefix(False)  # "Loss (x0.001)" reads worse than 0.02
            plot.getAxis("left").setWidth(AXIS_WIDTH)
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
        self._acc.setXLink(self._loss)
        self._acc.setYRange(-0.12, 1.12, padding=0)  # 0 and 1 clear of the edges, so their labels show
        self._acc.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], []])
        self._acc.setMouseEnabled(x=True, y=False)
        self._acc.enableAutoRange(y=False)
        self._acc.setMaximumHeight(160)

        self._batch = _Series(self._loss.plot(pen=BATCH_PEN))
        self._batch.item.setZValue(-1)
        self._train = self._eval_series(self._loss, TRAIN_COLOR)
        self._test = self._eval_series(self._loss, TEST_COLOR)
        self._train_acc = self._eval_series(self._acc, TRAIN_COLOR)
        self._test_acc = self._eval_series(self._acc, TEST_COLOR)
        self._legend.addItem(self._batch.item, self.tr("Batch loss"))
        self._legend.addItem(self._train.item, self.tr("Train"))
        self._legend.addItem(self._test.item, self.tr("Test"))
        self._series = {"batch": self._batch, "train": self._train, "test": self._test,
                        "train_accuracy": self._train_acc, "test_accuracy": self._test_acc}

        self._log_check = QCheckBox(self.tr("Log scale"), self)
        self._log_check.setObjectName("logYCheck")
        self._log_check.setToolTip(self.tr("Show the loss on a logarithmic axis"))
        self._log_check.toggled.connect(self._on_log_toggled)
        # pyqtgraph's own menu (Plot Options > Transforms > Log Y) goes through our checkbox too.
        self._loss.ctrl.logYCheck.toggled.connect(self._log_check.setChecked)

        options = QHBoxLayout()
        options.setContentsMargins(6, 0, 6, 0)
        options.addStretch(1)
        options.addWidget(self._log_check)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self._view, 1)
        box.addLayout(options)
        self._loss.getAxis("bottom").showLabel(True)
        self._range = RangeFollower(self._loss)  # ranges move in steps: axes repaint rarely

    def _eval_series(self, plot: pg.PlotItem, color: tuple[int, int, int]) -> _Series:
        item = plot.plot(pen=pg.mkPen(color, width=2), symbol="o", symbolSize=5,
                         symbolBrush=color, symbolPen=None)
        return _Series(item, capacity=256)

    # ---- the interface the main window uses ------------------------------------------------------
    def clear(self) -> None:
        """A new run: empty every curve, drop the markers, hide accuracy, follow the data again."""
        for series in self._series.values():
            series.clear()
            if series is not self._batch:  # evaluation points get dots again while few
                series.item.setSymbol("o")
        for line, shadow in self._markers:
            self._loss.removeItem(line)
            self._acc.removeItem(shadow)
        self._markers.clear()
        self._set_accuracy_visible(False)
        self._range.reset()
        self._acc.enableAutoRange(False)

    def append_steps(self, steps: np.ndarray, losses: np.ndarray) -> None:
        """Add a chunk of per-step batch losses; NaN and inf are dropped."""
        if self._batch.append(steps, losses):
            self._batch.refresh(self._log_y)
            self._follow_data()

    def add_evaluations(self, records: list[MetricRecord]) -> None:
        """Add evaluation records; accuracy curves appear with the first accuracy value."""
        if not records:
            return
        steps = np.fromiter((r.step for r in records), dtype=np.float64, count=len(records))
        accuracy_seen = False
        for series, field in ((self._train, "train_loss"), (self._test, "test_loss"),
                              (self._train_acc, "train_accuracy"), (self._test_acc, "test_accuracy")):
            values = np.array([_value(getattr(r, field)) for r in records], dtype=np.float64)
            if series.append(steps, values):
                if series.count > SYMBOLS_UP_TO:
                    series.item.setSymbol(None)
                series.refresh(self._log_y and series in (self._train, self._test))
                accuracy_seen |= field.endswith("accuracy")
        if accuracy_seen and not self._acc_shown:
            self._set_accuracy_visible(True)
        self._follow_data()

    def add_marker(self, step: int, text: str) -> None:
        """A dashed vertical line labelled with what changed (e.g. the learning rate)."""
        pen = pg.mkPen((110, 110, 110), width=1, style=Qt.PenStyle.DashLine)
        position = 0.95 - 0.12 * (len(self._markers) % 4)  # stagger labels of nearby markers
        line = pg.InfiniteLine(pos=step, angle=90, movable=False, pen=pen, label=text,
                               labelOpts={"position": position, "color": TEXT_COLOR, "fill": (255, 255, 255, 200),
                                          "anchors": [(0, 0.5), (0, 0.5)]})
        shadow = pg.InfiniteLine(pos=step, angle=90, movable=False, pen=pen)
        self._loss.addItem(line, ignoreBounds=True)
        self._acc.addItem(shadow, ignoreBounds=True)
        self._markers.append((line, shadow))

    def set_run_length(self, steps: int) -> None:
        """The run's planned number of steps: the x axis follows the data but never runs past it."""
        self._range.set_run_length(steps)

    def set_log_y(self, on: bool) -> None:
        """Switch the loss axis to log scale; the checkbox follows."""
        self._log_check.setChecked(bool(on))  # toggled -> _on_log_toggled when it changes

    # ---- read-only helpers (tests, status text) --------------------------------------------------
    def point_count(self) -> int:
        """Per-step batch-loss points held (finite ones)."""
        return self._batch.count

    def marker_count(self) -> int:
        return len(self._markers)

    def marker_texts(self) -> list[str]:
        return [line.label.toPlainText() for line, _ in self._markers]

    def series_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Copies of a series' (x, y): "batch", "train", "test", "train_accuracy", "test_accuracy"."""
        return self._series[name].data()

    def series_item(self, name: str) -> pg.PlotDataItem:
        return self._series[name].item

    def is_log_y(self) -> bool:
        return self._log_y

    def accuracy_visible(self) -> bool:
        return self._acc_shown

    def legend_texts(self) -> list[str]:
        return [label.text for _, label in self._legend.items]

    def plot_items(self) -> tuple[pg.PlotItem, pg.PlotItem]:
        """(loss, accuracy) PlotItems, e.g. for pyqtgraph's exporters."""
        return self._loss, self._acc

    # ---- internals -------------------------------------------------------------------------------
    def _follow_data(self) -> None:
        last = max((series._x[series.count - 1] for series in self._series.values() if series.count), default=0.0)
        self._range.follow(last, *self._y_extent())

    def _y_extent(self) -> tuple[float | None, float | None]:
        """Lowest and highest loss held, in axis units (log10 when the axis is logarithmic)."""
        lows, highs = [], []
        for series in (self._batch, self._train, self._test):
            y = series._y[: series.count]
            if self._log_y:
                y = np.log10(y[y > 0])
            if len(y):
                lows.append(float(y.min()))
                highs.append(float(y.max()))
        return (min(lows), max(highs)) if lows else (None, None)

    @Slot(bool)
    def _on_log_toggled(self, on: bool) -> None:
        self._log_y = on
        self._loss.setLogMode(y=on)
        for series in (self._batch, self._train, self._test):
            series.refresh(on)
        self._range.forget_y()
        self._follow_data()

    def _set_accuracy_visible(self, on: bool) -> None:
        """Regression runs have no accuracy: its plot leaves the layout (a hidden item would still
        keep its row's space) and "Step" moves to the loss plot."""
        if on == self._acc_shown:
            return
        if on:
            self._view.addItem(self._acc, row=2, col=0)
            self._view.ci.layout.setRowStretchFactor(1, 3)
            self._view.ci.layout.setRowStretchFactor(2, 1)
        else:
            self._view.ci.removeItem(self._acc)
        self._acc_shown = on
        self._loss.getAxis("bottom").showLabel(not on)


def _value(value: float | None) -> float:
    return np.nan if value is None else float(value)
