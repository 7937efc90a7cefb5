"""Run something once a window has painted for the first time (the start-up work that can wait).

The window first appears with everything but the run; the run's load (which imports PyTorch on
the training thread, seconds of work that competes for the interpreter) starts only after that
first paint, so that it cannot delay it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 1000  # a platform that never paints the window itself (a central widget covering it all)


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget, self.callback, self.done = widget, callback, False
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self._fire)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._fire)  # after this paint has reached the screen
        return False

    def _fire(self) -> None:
        if not self.done:
            self.done = True
            self.widget.removeEventFilter(self)
            self.callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, right after ``widget``'s first paint (or after FALLBACK_MS at worst)."""
    _FirstPaint(widget, callback)
