"""The real app process: closing the window mid-training exits with code 0 and no Qt complaints."""

import os
import subprocess
import sys

CHILD = """
import sys
from PySide6.QtCore import QTimer
from playground.gui.app import end_process, make_application, open_window
app = make_application()
window = open_window("spiral-deep")
def on_snapshot(snap):
    if snap.step > 50 and window.isVisible():
        window.close()  # mid-training, as a user clicking the close button
window.controller.data_loaded.connect(lambda info: window.controller.start())
window.controller.snapshot.connect(on_snapshot)
QTimer.singleShot(60000, lambda: sys.exit(9))  # a hang shows up as exit code 9, not a stuck suite
end_process(app.exec())  # as run_app ends
"""


def test_closing_mid_training_exits_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr and "Traceback" not in result.stderr
    assert "Destroyed while thread" not in result.stderr
