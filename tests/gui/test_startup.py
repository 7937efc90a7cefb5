"""Start-up: the window paints before PyTorch loads, and a Start pressed while it loads is kept.

The first test runs the real app in a fresh interpreter (this one has PyTorch loaded already):
nothing may import torch on the GUI thread before the first paint; the status bar says what the
load is waiting for; Start is enabled during the load, and pressing it then trains once the run is
there. The others check the same in-process, where PyTorch is loaded but the run still takes a
moment: a remembered Start, and Pause cancelling it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from playground.core.presets import load_preset, parse_preset

CHILD = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from playground.gui.app import end_process, make_application, open_window
app = make_application()
window = open_window("xor")
label = window.run_status.label
def say(*words):
    print(*words, flush=True)
def press_start():
    say("start enabled:", window.actions.start.isEnabled())
    window.actions.start.trigger()  # PyTorch is still loading
    say("pause shown:", window.actions.pause.isVisible())
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            say("torch at first paint:", "torch" in sys.modules)
            say("status at first paint:", label.text())
            QTimer.singleShot(0, press_start)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.controller.preparing.connect(lambda stage: say("status:", label.text()))
window.controller.data_loaded.connect(lambda info: say("loaded, status:", repr(label.text())))
def on_snapshot(snap):
    if snap.step > 0 and window.isVisible():
        say("trained:", snap.step)
        window.experiment.dirty = False
        window.close()
window.controller.snapshot.connect(on_snapshot)
QTimer.singleShot(90000, lambda: sys.exit(9))  # a hang shows up as exit code 9
end_process(app.exec())
"""


def test_first_paint_comes_before_pytorch_and_an_early_start_trains_when_ready(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=150)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "torch at first paint: False" in lines, result.stdout
    assert "status at first paint: Loading PyTorch…" in lines
    assert "start enabled: True" in lines and "pause shown: True" in lines, "Start works during the load"
    waiting = " Training starts as soon as it is ready."
    statuses = [line for line in lines if line.startswith("status:")]
    assert statuses == ["status: Loading PyTorch…" + waiting, "status: Preparing the run…" + waiting], lines
    assert "loaded, status: ''" in lines
    assert any(line.startswith("trained:") for line in lines), "the Start pressed during the load trained"


def long_xor():
    doc = load_preset("xor").to_json()
    doc["training"].update(steps=100000)
    return parse_preset(doc)


def test_start_pressed_before_the_run_is_loaded_starts_it_when_it_is(qtbot, unloaded_window):
    w = unloaded_window(long_xor())
    with qtbot.waitSignal(w.controller.data_loaded, timeout=30000):
        w.show()
        assert w.actions.start.isEnabled() and not w.controller.loaded
        w.actions.start.trigger()
        assert w.controller.start_pending and w.actions.pause.isVisible()
        assert w.run_status.label.text().endswith("Training starts as soon as it is ready.")
    qtbot.waitUntil(lambda: w.controller.running and w.controller.step > 20, timeout=20000)
    assert not w.controller.start_pending and w.run_status.label.text() == ""


def test_pause_cancels_a_start_pressed_during_the_load(qtbot, unloaded_window):
    w = unloaded_window(long_xor())
    with qtbot.waitSignal(w.controller.data_loaded, timeout=30000):
        w.show()
        w.controller.toggle()  # Space
        assert w.controller.start_pending
        w.controller.toggle()  # Space again: never mind
        assert not w.controller.start_pending and w.actions.start.isVisible()
        assert w.run_status.label.text() in ("Loading PyTorch…", "Preparing the run…")
    qtbot.waitUntil(lambda: w.controller.settled, timeout=10000)
    assert not w.controller.running and w.controller.step == 0
