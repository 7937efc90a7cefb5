"""The app on a real X server (Xvfb, Qt's xcb platform), so a missing system library shows up.

Skipped where Xvfb is not installed (.ci/run installs it on Debian-like machines)."""

import os
import shutil
import subprocess
import sys

import pytest

CHILD = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from playground.gui.app import end_process, make_application, open_window
app = make_application()
assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
window = open_window("xor")
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            print("painted on xcb", flush=True)
            QTimer.singleShot(0, window.controller.start)
            QTimer.singleShot(1500, window.close)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
QTimer.singleShot(60000, lambda: sys.exit(9))
end_process(app.exec())  # as run_app ends
"""


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_the_app_paints_and_closes_cleanly_on_a_real_x_server(tmp_path):
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        assert display, "Xvfb did not start"
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
        result = subprocess.run([sys.executable, "-X", "faulthandler", "-c", CHILD], capture_output=True, text=True,
                                env=env, timeout=120)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "painted on xcb" in result.stdout
    assert "QThread" not in result.stderr and "Traceback" not in result.stderr
