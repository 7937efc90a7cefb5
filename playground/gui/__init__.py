"""The Qt desktop app (built on playground.core)."""

from __future__ import annotations


def create_main_window(preset=None):
    """Build and return the main window without running the event loop (for tests and tools).

    ``preset`` is a Preset, a file path or a bundled preset's name; None opens the default preset.
    A QApplication must exist.
    """
    from pathlib import Path

    from playground.core.presets import load_preset
    from playground.core.spec import Preset
    from playground.gui.main_window import MainWindow

    if preset is None or isinstance(preset, Preset):
        return MainWindow(preset)
    loaded = load_preset(preset)
    path = Path(loaded.source) if loaded.source and Path(str(preset)).exists() else None
    return MainWindow(loaded, path)
