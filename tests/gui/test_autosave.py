"""Crash safety: autosave while running, and an offer to restore after an unclean exit."""

import os
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from playground.core.presets import load_preset, save_preset
from playground.gui.autosave import MARKER, autosave_folder


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_running_app_autosaves_and_a_clean_exit_leaves_nothing_to_restore(qtbot, open_window):
    window = open_window(load_preset("xor"))
    folder = autosave_folder()
    qtbot.waitUntil(lambda: (folder / MARKER).is_file(), timeout=5000)
    assert (folder / MARKER).read_text().strip() == str(os.getpid())
    for _ in range(3):
        with qtbot.waitSignal(window.controller.snapshot, timeout=5000):
            window.actions.step.trigger()
    with qtbot.waitSignal(window.controller.session_saved, timeout=10000):
        window.autosave.save_now()
    assert load_preset(folder / "preset.json").to_json() == window.experiment.preset.to_json()
    assert (folder / "session" / "session.json").is_file()
    window.experiment.dirty = False
    window.close()
    assert not (folder / MARKER).exists()


def test_after_an_unclean_exit_the_next_start_offers_to_restore(qtbot, open_window, monkeypatch):
    folder = autosave_folder()
    folder.mkdir(parents=True)
    save_preset(load_preset("moons"), folder / "preset.json")
    (folder / MARKER).write_text(f"{dead_pid()}\n")
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    window = open_window(load_preset("xor"))
    qtbot.waitUntil(lambda: window.experiment.preset.name == "moons", timeout=10000)
    assert "did not close normally" in asked[0] and window.experiment.dirty


def test_a_live_instance_is_not_mistaken_for_a_crash(qtbot, open_window, monkeypatch):
    folder = autosave_folder()
    folder.mkdir(parents=True)
    save_preset(load_preset("moons"), folder / "preset.json")
    (folder / MARKER).write_text(f"{os.getppid()}\n")  # a process that is running
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    window = open_window(load_preset("xor"))
    qtbot.waitUntil(lambda: window.autosave.timer.isActive(), timeout=5000)
    assert window.experiment.preset.name == "xor"
