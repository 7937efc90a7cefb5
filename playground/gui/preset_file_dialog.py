"""File → Open Preset…: a file dialog that starts in the user's last folder and previews the preset
under the cursor (its picture, name, family and description) before it is opened.

The start folder is remembered in QSettings whenever a preset is opened or saved; the first time it
is the user's Documents folder (or home), never the shell's working directory, which for an app
started from a launcher is an arbitrary place. Qt's own (non-native) dialog is used because only it
can show the preview beside the files; its name column is widened to the longest name as each
folder loads, so names are never cut.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtCore import QStandardPaths as Paths
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from playground.core.preset_catalog import FAMILIES, read_entry
from playground.core.presets import PresetError, bundled_presets
from playground.gui.editor_support import declared
from playground.gui.thumbnail_service import request_preset, thumbnail_service

LAST_FOLDER_KEY = "files/lastPresetFolder"
PREVIEW_PX = 128
PREVIEW_WIDTH = 250
SIDEBAR_WIDTH = 170
FILTER = "Neural Playground presets (*.json);;All files (*)"


def start_folder() -> Path:
    """Where Open starts: the last folder a preset was opened from or saved to, if it still exists;
    else Documents; else home."""
    last = QSettings().value(LAST_FOLDER_KEY, "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    documents = Paths.writableLocation(Paths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def remember_folder(path: Path | str) -> None:
    """Remember the folder of a preset file the user opened or saved (not the bundled presets' folder)."""
    folder = Path(path).resolve().parent
    bundled = {p.resolve().parent for p in bundled_presets().values()}
    if folder not in bundled:
        QSettings().setValue(LAST_FOLDER_KEY, str(folder))


def ask_preset_path(parent: QWidget | None, start: Path) -> str:
    """Show the dialog on ``start``; the chosen file's path, or "" when cancelled (tests replace this)."""
    dialog = PresetFileDialog(parent, start)
    try:
        if dialog.exec() == QFileDialog.DialogCode.Accepted and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return ""
    finally:
        dialog.deleteLater()


class PresetFileDialog(QFileDialog):
    """Qt's file dialog with a preview column on the right."""

    def __init__(self, parent: QWidget | None, start: Path) -> None:
        super().__init__(parent, self.tr("Open Preset"), str(start), self.tr(FILTER))
        self.setObjectName("presetFileDialog")
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        self.setViewMode(QFileDialog.ViewMode.Detail)
        self._sidebar(start)
        self._splitter_set = False
        self.preview = _Preview(self)
        grid = self.layout()
        grid.addWidget(self.preview, 0, grid.columnCount(), grid.rowCount(), 1)
        self.currentChanged.connect(self.show_preview)
        self.directoryEntered.connect(lambda _path: self.show_preview(""))
        self.files_model = self.findChild(QFileSystemModel)  # the dialog's own: it says when a folder is listed
        if self.files_model is not None:
            self.files_model.directoryLoaded.connect(lambda _path: self._fit_names())
        self.resize(QSize(940, 540))

    def _sidebar(self, start: Path) -> None:
        places = [Path.home(), Path(Paths.writableLocation(Paths.StandardLocation.DocumentsLocation) or Path.home()),
                  start, next(iter(bundled_presets().values())).parent]
        urls, seen = [], set()
        for place in places:
            if place.is_dir() and place not in seen:
                seen.add(place)
                urls.append(QUrl.fromLocalFile(str(place)))
        self.setSidebarUrls(urls)

    def _fit_names(self) -> None:
        """Every column as wide as its contents (names first of all), the places list wide enough
        for its folder names."""
        tree = self.findChild(QTreeView, "treeView")
        if tree is not None:
            for column in range(tree.header().count()):
                tree.resizeColumnToContents(column)
            tree.setColumnWidth(0, max(tree.columnWidth(0) + 16, 220))
        splitter = self.findChild(QSplitter, "splitter")
        if splitter is not None and not self._splitter_set:
            self._splitter_set = True
            total = sum(splitter.sizes())
            places = min(SIDEBAR_WIDTH, total // 3)
            splitter.setSizes([places, max(total - places, 1)])

    def show_preview(self, path: str) -> None:
        """Describe the file at ``path`` (nothing for a folder or no selection)."""
        self.preview.show_file(Path(path) if path and Path(path).is_file() else None)


class _Preview(QWidget):
    """The chosen file's picture, name, family and description, or why it is not a preset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presetPreview")
        self.setFixedWidth(PREVIEW_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 4, 4, 4)
        self.picture = QLabel()
        self.picture.setObjectName("previewPicture")
        self.picture.setFixedSize(PREVIEW_PX + 2, PREVIEW_PX + 2)
        self.picture.setStyleSheet("border: 1px solid #c8c8c8; background: #f0f0f0;")
        self.name = QLabel()
        self.name.setObjectName("previewName")
        self.name.setWordWrap(True)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.family = QLabel()
        self.family.setObjectName("previewFamily")
        self.family.setStyleSheet("color: palette(placeholder-text);")
        self.description = QLabel()
        self.description.setObjectName("previewDescription")
        self.description.setWordWrap(True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.picture, self.name, self.family, self.description):
            widget.setTextFormat(Qt.TextFormat.PlainText)  # descriptions say "<= 0.75": not markup
            box.addWidget(widget)
        box.addStretch(1)
        self._key: str | None = None
        thumbnail_service().ready.connect(self._on_thumbnail)
        self.show_file(None)

    def show_file(self, path: Path | None) -> None:
        self._key = None
        self.picture.setPixmap(QPixmap())
        if path is None:
            self.name.setText(self.tr("No file selected"))
            self.family.setText("")
            self.description.setText(self.tr("Select a preset file to see what it is about."))
            return
        try:
            entry = read_entry(path)
        except PresetError as exc:
            self.name.setText(path.name)
            self.family.setText("")
            problem = exc.problems[0].message if exc.problems else str(exc)
            self.description.setText(self.tr("Not a preset file: {problem}").format(problem=problem))
            return
        titles = {family.key: family.title for family in FAMILIES}
        self.name.setText(entry.name)
        self.family.setText(declared(titles[entry.family]))
        self.description.setText(declared(entry.description) if entry.description
                                 else self.tr("(no description)"))
        key, pixmap = request_preset(path, round(PREVIEW_PX * self.devicePixelRatioF()))
        self._key = key
        if pixmap is not None:
            self._set_picture(pixmap)

    def _on_thumbnail(self, key: str) -> None:
        pixmap = thumbnail_service().pixmap(key)
        if key == self._key and pixmap is not None:
            self._set_picture(pixmap)

    def _set_picture(self, pixmap: QPixmap) -> None:
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.picture.setPixmap(pixmap)
