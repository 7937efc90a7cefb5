"""Where the preset gallery meets the main window: File → Open Bundled Preset… (Ctrl+Shift+O), the
toolbar's Presets button, and the one time it opens by itself, on a user's first launch.

A chosen preset is opened as File → Open opens a file: the unsaved-changes prompt first (cancel
keeps both the experiment and the gallery), then the window's FileActions. The first-launch flag
lives in QSettings, so later launches open as before (the default experiment, or the one given on
the command line, with any autosave to restore).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QMainWindow

from playground.gui.preset_gallery import PresetGallery

SHOWN_KEY = "gallery/shownOnFirstLaunch"


class GalleryLauncher(QObject):
    """Opens the gallery over ``window`` (one per window, kept between uses)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.gallery: PresetGallery | None = None
        window.actions.open_gallery.triggered.connect(self.show)

    def show(self) -> PresetGallery:
        """Open (or raise) the gallery, window-modal, with the current preset selected."""
        current = self.window.experiment.preset.name if self.window.experiment.path is None else None
        if self.gallery is None:
            self.gallery = PresetGallery(self.window, current)
            self.gallery.preset_chosen.connect(self._on_chosen)
            self.gallery.open_file_requested.connect(self._on_open_file)
            self._size_to_window()
        else:
            self.gallery.search.clear()
            if current is not None:
                self.gallery.select(current)
        self.gallery.open()
        self.gallery.raise_()
        self.gallery.search.setFocus()
        return self.gallery

    def show_on_first_launch(self) -> bool:
        """On the very first launch (no flag in the settings yet), open the gallery once the window
        has shown, and set the flag. True when it will open."""
        settings = QSettings()
        if settings.value(SHOWN_KEY, False, type=bool):
            return False
        settings.setValue(SHOWN_KEY, True)
        QTimer.singleShot(0, self.show)
        return True

    def _on_chosen(self, name: str) -> None:
        files = self.window.files
        if files.maybe_save() and files.open_bundled(name):
            self.gallery.accept()

    def _on_open_file(self) -> None:
        self.gallery.reject()
        self.window.files.ask_open()

    def _size_to_window(self) -> None:
        """Most of the window, within the screen: room for two to four columns of cards."""
        screen = self.window.screen().availableGeometry()
        width = min(1180, int(screen.width() * 0.92), max(self.window.width() - 40, 640))
        height = min(860, int(screen.height() * 0.9), max(self.window.height() - 40, 480))
        self.gallery.resize(width, height)
