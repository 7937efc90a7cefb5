"""The Data panel's dataset pictures: one clickable tile per generated dataset, as TensorFlow
Playground shows its four, with the current one framed in blue.

The tiles only say which one was clicked (``chosen``); the Data panel turns that into an edit of the
experiment, exactly as choosing from its list does, so undo, the reset prompt and the panel's sync
all behave the same. The pictures are the core's (the same renderer as the preset gallery), drawn
with each dataset's default settings on the thumbnail service's thread once the panel has been
painted, so they never delay the window's first paint. The tiles share the panel's width: as few
rows as possible (the Data dock is narrow and the settings below matter more), each as large as fits.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget

from playground.core.data.registry import DATASETS
from playground.core.thumbnails import drawable_datasets
from playground.gui.editor_support import declared
from playground.gui.thumbnail_service import request_dataset, thumbnail_service
from playground.gui.wrap_grid import WrapGrid

MIN_TILE, MAX_TILE = 32, 56  # px, the picture: as few rows as possible, each tile as large as fits
BORDER = 4  # the button's frame around the picture
SPACING = 6
SIZE_STEP = 4  # picture sizes are rounded down to this, so resizing the dock draws few new pictures
STYLE = """
QToolButton { border: 1px solid #d0d0d0; border-radius: 3px; padding: 1px; background: white; }
QToolButton:hover { border-color: #8c8c8c; }
QToolButton:checked { border: 2px solid #0072b2; padding: 0px; }
"""


class DatasetTiles(QWidget):
    """Tiles for the datasets a task can use that the app generates itself (files stay in the list)."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetTiles")
        self.setStyleSheet(STYLE)
        self._tile = MIN_TILE
        self._grid = WrapGrid(self._tile + BORDER, SPACING)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 2)
        box.addWidget(self._grid)
        self._buttons: dict[str, QToolButton] = {}
        self._names: list[str] = []
        self._current: str | None = None
        self._keys: dict[str, str] = {}  # thumbnail key -> dataset name
        self._painted = False
        thumbnail_service().ready.connect(self._on_thumbnail)

    @staticmethod
    def names_for(kinds: tuple[str, ...]) -> list[str]:
        """The datasets that get a tile for a task training on these kinds of data."""
        return drawable_datasets(kinds)

    def show_datasets(self, names: list[str], current: str) -> None:
        """Tiles for ``names`` (rebuilt only when they change), ``current`` framed."""
        if names != self._names:
            for button in self._buttons.values():
                button.hide()
                button.deleteLater()
            self._buttons = {}
            self._grid = self._replace_grid()
            for name in names:
                self._buttons[name] = self._make_button(name)
                self._grid.add(self._buttons[name])
            self._names = list(names)
            if self.testAttribute(Qt.WidgetAttribute.WA_Resized):
                self._fit(self.width())
            if self._painted:
                self._request_pictures()
        self._current = current
        self._apply_checks()
        self.setVisible(bool(names))

    def button(self, name: str) -> QToolButton:
        return self._buttons[name]

    def current(self) -> str | None:
        """The framed tile's dataset (None when the current dataset has no tile, e.g. a CSV file)."""
        checked = [name for name, button in self._buttons.items() if button.isChecked()]
        return checked[0] if checked else None

    def _replace_grid(self) -> WrapGrid:
        old = self._grid
        grid = WrapGrid(self._tile + BORDER, SPACING)
        self.layout().replaceWidget(old, grid)
        old.deleteLater()
        return grid

    def _make_button(self, name: str) -> QToolButton:
        dtype = DATASETS[name]
        button = QToolButton()
        button.setObjectName(f"datasetTile_{name}")
        button.setCheckable(True)
        button.setIconSize(QSize(self._tile, self._tile))
        button.setFixedSize(self._tile + BORDER, self._tile + BORDER)
        button.setAccessibleName(declared(dtype.title))
        button.setToolTip(f"<b>{html.escape(declared(dtype.title))}</b><p>{html.escape(declared(dtype.help))}</p>")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _checked=False, n=name: self._on_clicked(n))
        return button

    def _on_clicked(self, name: str) -> None:
        self._apply_checks()  # the frame follows the experiment, not the click (an edit may be declined)
        self.chosen.emit(name)

    def _apply_checks(self) -> None:
        for name, button in self._buttons.items():
            button.setChecked(name == self._current)

    def tile_size(self) -> int:
        return self._tile

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit(event.size().width())

    def _fit(self, width: int) -> None:
        tile = fitting_tile(len(self._names), width)
        if tile != self._tile:
            self._tile = tile
            for button in self._buttons.values():
                button.setIconSize(QSize(tile, tile))
                button.setFixedSize(tile + BORDER, tile + BORDER)
            self._grid.set_item_width(tile + BORDER)
            if self._painted:
                self._request_pictures()

    # ---- pictures ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:  # once the panel is on screen: the pictures never delay the first paint
            self._painted = True
            QTimer.singleShot(0, self._request_pictures)

    def _request_pictures(self) -> None:
        px = max(1, round(self._tile * self.devicePixelRatioF()))
        self._keys = {}  # pictures of an earlier size that arrive late are not wanted
        for name in self._names:
            key, pixmap = request_dataset(name, px)
            self._keys[key] = name
            if pixmap is not None:
                self._set_picture(name, pixmap)

    def _on_thumbnail(self, key: str) -> None:
        name = self._keys.get(key)
        pixmap = thumbnail_service().pixmap(key)
        if name is not None and pixmap is not None:
            self._set_picture(name, pixmap)

    def _set_picture(self, name: str, pixmap) -> None:
        button = self._buttons.get(name)
        if button is not None:
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            button.setIcon(pixmap)

    def has_pictures(self) -> bool:
        return bool(self._buttons) and all(not b.icon().isNull() for b in self._buttons.values())


def fitting_tile(count: int, width: int) -> int:
    """The picture size for ``count`` tiles in ``width`` px: the fewest rows in which tiles of at least
    MIN_TILE fit, then as large as those rows allow (at most MAX_TILE), in steps of SIZE_STEP."""
    if count <= 0 or width <= 0:
        return MIN_TILE
    for rows in range(1, count + 1):
        columns = math.ceil(count / rows)
        tile = (width - SPACING * (columns - 1)) // columns - BORDER
        if tile >= MIN_TILE:
            return min(MAX_TILE, tile - tile % SIZE_STEP)
    return MIN_TILE
