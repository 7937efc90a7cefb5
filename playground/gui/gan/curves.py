"""The two players' curves (D loss and G loss; D's mean output on real and generated samples) and the
latest evaluation's figures (modes covered, high-quality samples, precision and recall, or classes)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.gui.gan.plane import FAKE_COLOR, REAL_COLOR
from playground.gui.plots import TEXT_COLOR, make_view, style_plot
from playground.gui.plots.range_follow import RangeFollower

D_COLOR, G_COLOR = (213, 94, 0), (0, 114, 178)


class _Buffer:
    """A growing x/y buffer for one curve (doubling, so a long run appends cheaply)."""

    def __init__(self, item: pg.PlotDataItem) -> None:
        self.item = item
        self.x = np.empty(1024)
        self.y = np.empty(1024)
        self.n = 0

    def append(self, x: np.ndarray, y: np.ndarray) -> None:
        keep = np.isfinite(y)
        x, y = x[keep], y[keep]
        if not len(x):
            return
        while self.n + len(x) > len(self.x):
            self.x = np.concatenate([self.x, np.empty_like(self.x)])
            self.y = np.concatenate([self.y, np.empty_like(self.y)])
        self.x[self.n:self.n + len(x)], self.y[self.n:self.n + len(x)] = x, y
        self.n += len(x)
        self.item.setData(self.x[:self.n], self.y[:self.n])

    def clear(self) -> None:
        self.n = 0
        self.item.setData([], [])


class PlayerCurves(QWidget):
    """Loss curves of D and G over steps, D(real)/D(fake) below, and the metrics in words on top."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.metrics = QLabel(self.tr("Figures appear at the first evaluation."), self)
        self.metrics.setObjectName("ganMetrics")
        self.metrics.setWordWrap(True)
        self._view = make_view(self)
        self._losses = self._view.addPlot(row=0, col=0)
        self._outputs = self._view.addPlot(row=1, col=0)
        style_plot(self._losses, left=self.tr("Loss"))
        style_plot(self._outputs, left=self.tr("Mean D(x)"), bottom=self.tr("Step"))
        self._outputs.setXLink(self._losses)
        self._curves: dict[str, _Buffer] = {}
        for plot in (self._losses, self._outputs):
            plot.addLegend(offset=(-4, 4), labelTextColor=TEXT_COLOR, labelTextSize="8pt")
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            plot.getAxis("left").setWidth(44)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.showGrid(x=False, y=False)  # a grid is drawn by the axes, which would repaint every frame
        self._ranges = {"losses": RangeFollower(self._losses), "outputs": RangeFollower(self._outputs, follow_x=False)}
        for key, plot, color, name in (("d_loss", self._losses, D_COLOR, self.tr("D loss")),
                                       ("g_loss", self._losses, G_COLOR, self.tr("G loss")),
                                       ("d_real", self._outputs, REAL_COLOR, self.tr("D(real)")),
                                       ("d_fake", self._outputs, FAKE_COLOR, self.tr("D(generated)"))):
            self._curves[key] = _Buffer(plot.plot(pen=pg.mkPen(color, width=1.5), name=name))
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.metrics)
        box.addWidget(self._view, 1)

    def clear(self) -> None:
        for curve in self._curves.values():
            curve.clear()
        for follower in self._ranges.values():
            follower.reset()
        self.metrics.setText(self.tr("Figures appear at the first evaluation."))

    def set_run_length(self, steps: int) -> None:
        """The run's planned steps: the step axis grows with the data but never past them."""
        self._ranges["losses"].set_run_length(steps)

    def append(self, steps: np.ndarray, step_metrics: dict[str, np.ndarray]) -> None:
        x = np.asarray(steps, dtype=np.float64)
        for key, curve in self._curves.items():
            if key in step_metrics and len(step_metrics[key]) == len(x):
                curve.append(x, np.asarray(step_metrics[key], dtype=np.float64))
        for name, keys in (("losses", ("d_loss", "g_loss")), ("outputs", ("d_real", "d_fake"))):
            held = [self._curves[k].y[:self._curves[k].n] for k in keys if self._curves[k].n]
            last = max((self._curves[k].x[self._curves[k].n - 1] for k in keys if self._curves[k].n), default=0.0)
            self._ranges[name].follow(last, min(float(y.min()) for y in held) if held else None,
                                      max(float(y.max()) for y in held) if held else None)

    def curve_data(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        curve = self._curves[key]
        return curve.x[:curve.n].copy(), curve.y[:curve.n].copy()

    def show_metrics(self, metrics: dict, step: int) -> None:
        """The latest evaluation in words (nothing changes until there is one)."""
        parts = []
        if "modes_covered" in metrics:
            parts.append(self.tr("Modes covered: <b>{n} / {total}</b>").format(
                n=int(metrics["modes_covered"]), total=int(metrics["modes_total"])))
            parts.append(self.tr("High-quality samples: <b>{share:.1f} %</b>").format(
                share=100 * metrics["high_quality"]))
        if "precision" in metrics:
            parts.append(self.tr("Precision {p:.2f} · recall {r:.2f}").format(
                p=metrics["precision"], r=metrics["recall"]))
        if "classes_covered" in metrics:
            parts.append(self.tr("Classes produced: <b>{n} / {total}</b> (confidence {c:.2f})").format(
                n=int(metrics["classes_covered"]), total=int(metrics["classes_total"]), c=metrics["class_confidence"]))
        if parts:
            self.metrics.setText(self.tr("At step {step}:").format(step=f"{step:,}") + "<br>" + "<br>".join(parts))
