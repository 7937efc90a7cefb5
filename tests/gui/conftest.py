"""GUI tests run offscreen, fail on Qt warnings (pyproject: qt_log_level_fail) and on leaked threads."""

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every thread a test starts must be joined by the end of the test, even when it fails."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """QSettings and the autosave folder in a private place, so tests never touch the user's."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield tmp_path / "settings"


@pytest.fixture
def unloaded_window(qtbot, isolated_settings):
    """Build main windows on presets, not yet shown; every one is closed and its training thread
    joined at the end, even when the test fails. (Closed here rather than by qtbot: a window with
    unsaved changes would ask in a modal dialog.)"""
    from playground.gui import create_main_window

    windows = []

    def make(preset):
        window = create_main_window(preset)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.experiment.dirty = False
        window.close()
        assert window.controller._thread.wait(5000), "the training thread outlived its window"
        window.deleteLater()


@pytest.fixture
def open_window(qtbot, unloaded_window):
    """Open main windows on presets, each shown and loaded (see ``unloaded_window`` for the clean-up)."""

    def make(preset):
        window = unloaded_window(preset)
        with qtbot.waitSignal(window.controller.data_loaded, timeout=30000):
            window.show()
        return window

    return make
