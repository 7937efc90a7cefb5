"""The negative ELBO's two terms over training: reconstruction and KL, per batch (thin) and on the
test set at every evaluation (thick with dots), plus the KL weight beta while it warms up.

KL and reconstruction differ by an order of magnitude on images, so KL has its own axis on the right.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.gui.plots import TEXT_COLOR, make_view, style_plot
from playground.gui.plots.range_follow import RangeFollower

RECONSTRUCTION = (0, 114, 178)  # the house blue
KL = (213, 94, 0)  # vermillion


class LossTerms(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = make_view(self)
        self._plot = self._view.addPlot(row=0, col=0)
        style_plot(self._plot, left=self.tr("reconstruction (nats per image)"), bottom=self.tr("step"))
        self._legend = self._plot.addLegend(offset=(40, 6), labelTextColor=TEXT_COLOR,
                                            brush=pg.mkBrush(255, 255, 255, 200))
        self._kl_box = pg.ViewBox()
        self._kl_box.setZValue(-100)  # under the main plot, so the legend stays readable above the KL curves
        self._plot.showAxis("right")
        self._plot.scene().addItem(self._kl_box)
        right = self._plot.getAxis("right")
        right.linkToView(self._kl_box)
        right.setPen(pg.mkPen((120, 120, 120)))
        right.setTextPen(pg.mkPen(KL))
        self._plot.setLabel("right", self.tr("KL (nats per image)"), color=pg.mkColor(*KL).name())
        self._kl_box.setXLink(self._plot)
        self._plot.getViewBox().sigResized.connect(self._sync)
        self._rec = self._plot.plot(pen=pg.mkPen((*RECONSTRUCTION, 90), width=1), name=self.tr("reconstruction"))
        self._rec_test = self._plot.plot(pen=pg.mkPen(RECONSTRUCTION, width=2.5), symbol="o", symbolSize=5,
                                         symbolBrush=RECONSTRUCTION, symbolPen=None,
                                         name=self.tr("test reconstruction"))
        self._kl = pg.PlotDataItem(pen=pg.mkPen((*KL, 90), width=1))
        self._kl_test = pg.PlotDataItem(pen=pg.mkPen(KL, width=2.5), symbol="o", symbolSize=5, symbolBrush=KL,
                                        symbolPen=None)
        self._kl_box.addItem(self._kl)
        self._kl_box.addItem(self._kl_test)
        self._legend.addItem(self._kl, self.tr("KL"))
        self._legend.addItem(self._kl_test, self.tr("test KL"))
        for item in (self._rec, self._kl):
            item.setDownsampling(auto=True, method="mean")
            item.setClipToView(True)
        self._plot.showGrid(x=False, y=False)  # a grid is drawn by the axes, which would repaint every frame
        self._ranges = (RangeFollower(self._plot), RangeFollower(self._kl_box, follow_x=False))
        self.clear()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._view)

    def clear(self) -> None:
        self._steps = self._recs = self._kls = np.empty(0)  # every per-step point so far
        self._eval: list[tuple[int, float, float]] = []
        for item in (self._rec, self._rec_test, self._kl, self._kl_test):
            item.setData([], [])
        for follower in self._ranges:
            follower.reset()

    def set_run_length(self, steps: int) -> None:
        """The run's planned steps: the step axis grows with the data but never past them."""
        self._ranges[0].set_run_length(steps)

    def append(self, steps: np.ndarray, metrics: dict, evaluations) -> None:
        """New per-step terms (``snap.step_metrics``) and evaluation records."""
        if len(steps) and "reconstruction" in metrics and "kl" in metrics:
            self._steps = np.concatenate([self._steps, np.asarray(steps, dtype=np.float64)])
            self._recs = np.concatenate([self._recs, np.asarray(metrics["reconstruction"], dtype=np.float64)])
            self._kls = np.concatenate([self._kls, np.asarray(metrics["kl"], dtype=np.float64)])
            self._rec.setData(self._steps, self._recs)
            self._kl.setData(self._steps, self._kls)
        added = False
        for record in evaluations:
            m = record.metrics or {}
            if "test_reconstruction" in m and "test_kl" in m:
                self._eval.append((record.step, m["test_reconstruction"], m["test_kl"]))
                added = True
        if added:
            steps, rec, kl = map(np.asarray, zip(*self._eval, strict=True))
            self._rec_test.setData(steps, rec)
            self._kl_test.setData(steps, kl)
        self._follow()

    def _follow(self) -> None:
        """Move each axis (see RangeFollower) to hold its per-step and test values."""
        if not len(self._steps):
            return
        for follower, per_step, tested in zip(self._ranges, (self._recs, self._kls),
                                              ([e[1] for e in self._eval], [e[2] for e in self._eval]), strict=True):
            tested = np.asarray(tested, dtype=np.float64)
            finite = [v[np.isfinite(v)] for v in (per_step, tested)]
            finite = [v for v in finite if len(v)]
            if finite:
                follower.follow(float(self._steps[-1]), min(float(v.min()) for v in finite),
                                max(float(v.max()) for v in finite))

    def point_count(self) -> int:
        return int(len(self._steps))

    def evaluation_count(self) -> int:
        return len(self._eval)

    def _sync(self) -> None:
        self._kl_box.setGeometry(self._plot.getViewBox().sceneBoundingRect())
        self._kl_box.linkedViewChanged(self._plot.getViewBox(), self._kl_box.XAxis)
