"""Live plot ranges that move in steps, so axes repaint a few times a run instead of every frame.

pyqtgraph's auto-range moves a growing curve's axes with every new point, and repainting axes (tick
text, grid) is most of a live frame's cost; on the GUI thread that cost is taken from training, which
shares the GIL. A follower keeps all data in view but moves the x range only to a round number ahead
of the last step, widens y at once and narrows it at most every 30 frames. Zooming or panning by hand
stops the following; pyqtgraph's "A" (auto-range) button resumes it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

SHRINK_EVERY = 30  # frames between chances for the y range to narrow


def round_up(x: float) -> float:
    """The next 1, 2 or 5 times a power of ten at or above x (at least 10)."""
    x = max(x, 10.0)
    power = 10 ** np.floor(np.log10(x))
    for factor in (1, 2, 5, 10):
        if factor * power >= x:
            return float(factor * power)
    return float(10 * power)


class RangeFollower:
    """Follows the data of one plot or view box (``follow_x`` False where x is linked to another's)."""

    def __init__(self, plot: pg.PlotItem | pg.ViewBox, follow_x: bool = True) -> None:
        self.box = plot.getViewBox() if isinstance(plot, pg.PlotItem) else plot
        self.follow_x = follow_x
        self.x_limit = float("inf")  # the run's length, when known: the axis need not pass it
        self.reset()
        self.box.sigRangeChangedManually.connect(self._on_manual_range)

    def reset(self) -> None:
        """A new run: follow again from an empty plot."""
        self.following = True
        self.x_max = 0.0
        self.y_span: tuple[float, float] | None = None
        self.frames = 0
        self.box.enableAutoRange(False)

    def set_run_length(self, steps: int) -> None:
        """The run's planned number of steps: the x axis follows the data but never runs past it."""
        self.x_limit = float(steps) if steps > 0 else float("inf")
        self.x_max = min(100.0, self.x_limit)
        if self.follow_x:
            self.box.setXRange(0, self.x_max, padding=0.02)

    def forget_y(self) -> None:
        """The y values changed meaning (log scale): fit y afresh at the next frame."""
        self.y_span = None

    def _on_manual_range(self, *_args) -> None:
        self.following = False

    def follow(self, last_x: float, low: float | None, high: float | None) -> None:
        """One frame: ``last_x`` is the last step shown, ``low``/``high`` the data's y extent (None: none)."""
        if not self.following:
            if any(self.box.vb.state["autoRange"]):  # the user pressed "A": follow again
                self.following, self.y_span = True, None
                self.box.enableAutoRange(False)
            else:
                return
        self.frames += 1
        if self.follow_x and last_x > self.x_max:
            self.x_max = min(round_up(last_x * 1.25), max(self.x_limit, last_x))
            self.box.setXRange(0, self.x_max, padding=0.02)
        if low is None or high is None:
            return
        span = self.y_span
        grow = span is None or low < span[0] or high > span[1]
        shrink = span is not None and self.frames % SHRINK_EVERY == 0 and (high - low) < 0.6 * (span[1] - span[0])
        if grow or shrink:
            pad = 0.08 * (high - low or 1.0)
            self.y_span = (low - pad, high + pad)
            self.box.setYRange(*self.y_span, padding=0)
