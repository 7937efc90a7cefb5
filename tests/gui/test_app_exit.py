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


SIGTERM_CHILD = """
from PySide6.QtCore import QTimer
import playground.gui.app as app_module

opened = app_module.open_window


def open_edited(preset):
    window = opened(preset)

    def once_loaded(info):
        window.controller.data_loaded.disconnect(once_loaded)
        window.experiment.edit("training", lambda d: d["training"].update(batch_size=17))  # unsaved
        window.controller.start()
        QTimer.singleShot(0, say_ready)

    def say_ready():
        if (window.autosave.folder / "running").is_file() and window.controller.step > 0:
            print("training", flush=True)
        else:
            QTimer.singleShot(20, say_ready)

    window.controller.data_loaded.connect(once_loaded)
    return window


app_module.open_window = open_edited
app_module.run_app("xor")
"""


NEXT_START_CHILD = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
import playground.gui.app as app_module


def question(*args, **kwargs):
    print("asked:", args[2], flush=True)
    return QMessageBox.StandardButton.No


QMessageBox.question = staticmethod(question)
app = app_module.make_application()
window = app_module.open_window("xor")


def started():
    if window.autosave.timer.isActive():
        print("started", flush=True)
        window.close()
    else:
        QTimer.singleShot(20, started)


QTimer.singleShot(0, started)
app_module.end_process(app.exec())
"""


def test_sigterm_closes_cleanly_without_asking_and_is_not_taken_for_a_crash(tmp_path):
    """A logout or ``kill`` ends the app like a user closing it: no question anyone would have to answer
    (here: the unsaved edit), exit code 0, the autosave written, and no restore offered next time."""
    import json
    import signal

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    folder = tmp_path / "data" / "NeuralPlayground" / "Neural Playground" / "autosave"
    child = subprocess.Popen([sys.executable, "-c", SIGTERM_CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "training", child.stderr.read()
        assert (folder / "running").is_file()
        child.send_signal(signal.SIGTERM)
        _out, err = child.communicate(timeout=30)  # before: it waited for an answer to "Unsaved changes"
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert "Traceback" not in err and "QThread" not in err
    assert not (folder / "running").exists(), "a clean exit leaves no marker"
    assert json.loads((folder / "preset.json").read_text())["training"]["batch_size"] == 17, "edit autosaved"
    again = subprocess.run([sys.executable, "-c", NEXT_START_CHILD], capture_output=True, text=True, env=env,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == ["started"], "the next start offered to restore: " + again.stdout
