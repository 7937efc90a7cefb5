"""The Qt binding must not leak references: PySide6 6.12.0 on Python 3.11 loses a reference to True
on every signal emit and aborts the app after a few thousand live updates (pyproject excludes it)."""

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    ping = Signal(int)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True and None are immortal from Python 3.12")
def test_signal_emits_keep_reference_counts_steady(qtbot):
    emitter = Emitter()
    received = []
    emitter.ping.connect(received.append)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(500):
        emitter.ping.emit(i)
        emitter.setObjectName("x")
    assert len(received) == 500
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
