"""Launching the desktop app: ``nn-playground [PRESET]`` and ``python -m playground [PRESET]``."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QTimer


def make_application():
    """The QApplication with the app's names (QSettings uses them) and pyqtgraph's look."""
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("NeuralPlayground")
    QCoreApplication.setApplicationName("Neural Playground")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Neural Playground")
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=False, background="w", foreground="#333333")  # points opt in
    return app


def open_window(preset: str | None = None):
    """Show the main window on ``preset`` (a file or a bundled name). One that cannot be opened shows
    every problem in a dialog over the default experiment."""
    from pathlib import Path

    from playground.core.presets import PresetError, load_preset
    from playground.gui.main_window import MainWindow

    loaded, error = None, None
    if preset is not None:
        try:
            loaded = load_preset(preset)
        except PresetError as exc:
            error = exc
    path = Path(loaded.source) if loaded is not None and Path(str(preset)).exists() else None
    window = MainWindow(loaded, path)
    window.show()
    if preset is None:  # a new user's first launch opens on the preset gallery
        window.gallery.show_on_first_launch()
    if path is not None:
        window.files.remember_recent(str(path))
    if error is not None:
        QTimer.singleShot(0, lambda: window.files.show_error(
            QCoreApplication.translate("App", "Could not open the preset"), str(error)))
    return window


def run_app(preset: str | None = None) -> None:
    """Open the main window (on ``preset`` if given) and run until it closes, then end the process
    with the event loop's exit code (see :func:`end_process`).

    Ctrl+C in the terminal and SIGTERM (a logout, ``kill``, a service manager) close the window the
    normal way, training stopped and its thread joined, autosaved, exit code 0: a clean exit, so the
    next start does not offer to restore anything. Nobody can answer a question then, so none is
    asked (unsaved edits stay in the autosave) and any open dialog is dismissed.
    """
    import signal

    app = make_application()
    holder: dict = {}
    for sig in (signal.SIGINT, signal.SIGTERM):  # before the window exists: a signal then just ends the start
        signal.signal(sig, lambda *_: QTimer.singleShot(0, lambda: close_on_signal(holder.get("window"))))
    window = holder["window"] = open_window(preset)
    app.aboutToQuit.connect(window.controller.shutdown)
    wake = QTimer()  # lets Python run its signal handlers while Qt's event loop waits
    wake.start(200)
    wake.timeout.connect(lambda: None)
    end_process(app.exec())


def close_on_signal(window) -> None:
    """Close ``window`` as if the user had, without asking anything: dismiss open dialogs (their
    nested event loops end), close the window (autosave, marker removed, thread joined), quit."""
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication.instance()
    if window is None:  # still starting: nothing to save yet
        app.exit(0)
        return
    window.files.unattended = True
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    window.close()
    app.exit(0)


def end_process(code: int) -> None:
    """Leave the process once the event loop has ended and the window has saved its settings and
    autosave and joined its training thread, skipping the interpreter's teardown: with PySide6 and
    pyqtgraph, destroying the application and the scene items at exit can segfault (turning a
    clean exit into code -11), as pyqtgraph's own exit() notes. Settings are synced and all output
    is flushed first; nothing of ours needs a destructor or atexit handler."""
    from PySide6.QtCore import QSettings

    QSettings().sync()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
