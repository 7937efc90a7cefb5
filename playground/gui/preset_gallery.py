"""The preset gallery: every bundled preset as a card with a picture of its data, grouped by family,
with a search box. A new user's first screen, and File → Open Bundled Preset… (Ctrl+Shift+O) after.

What is listed, how it is grouped and what matches a search come from
:mod:`playground.core.preset_catalog`; the pictures come from the thumbnail service, off the GUI
thread, and fill in as they arrive (a grey square until then). The gallery only says which preset
was chosen (``preset_chosen``) or that the user wants a file instead (``open_file_requested``);
opening it, with the unsaved-changes prompt, is the window's job (see gallery_launch).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from playground.core.preset_catalog import CatalogEntry, bundled_catalog, grouped, matches
from playground.gui.editor_support import declared
from playground.gui.preset_card import MIN_WIDTH, THUMB, PresetCard
from playground.gui.thumbnail_service import request_preset, thumbnail_service
from playground.gui.wrap_grid import WrapGrid

CARD_SPACING = 10
HINT_STYLE = "color: palette(placeholder-text);"


class PresetGallery(QDialog):
    """Cards of the bundled presets; ``current`` (a preset name) starts selected when it is one."""

    preset_chosen = Signal(str)
    open_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None, current: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presetGallery")
        self.setWindowTitle(self.tr("Open a Bundled Preset"))
        self._entries: dict[str, CatalogEntry] = {e.name: e for e in bundled_catalog()}
        self._cards: dict[str, PresetCard] = {}
        self._sections: list[tuple[QWidget, WrapGrid]] = []
        self._keys: dict[str, str] = {}  # thumbnail key -> preset name
        self._requested = False
        self._selected: str | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 12)
        outer.setSpacing(8)
        title = QLabel(self.tr("Choose an experiment to start from"))
        title.setObjectName("galleryTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() + 4)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(self.tr("Each preset is a whole experiment: data, network and training settings. "
                                  "Double-click one to open it, then press Start; you can change everything "
                                  "afterwards."))
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet(HINT_STYLE)
        self.search = QLineEdit()
        self.search.setObjectName("gallerySearch")
        self.search.setPlaceholderText(self.tr("Search by name or description (e.g. spiral, CNN, GAN)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.set_filter)
        self.search.installEventFilter(self)
        outer.addWidget(title)
        outer.addWidget(subtitle)
        outer.addWidget(self.search)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("galleryScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("galleryBody")
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(12, 8, 12, 12)
        self._body.setSpacing(6)
        for family, entries in grouped(list(self._entries.values())):
            self._add_section(family, entries)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("galleryEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(HINT_STYLE)
        self.empty_label.hide()
        self._body.addWidget(self.empty_label)
        self._body.addStretch(1)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)

        footer = QHBoxLayout()
        self.open_file_button = QPushButton(self.tr("Open File…"))
        self.open_file_button.setObjectName("galleryOpenFile")
        self.open_file_button.setToolTip(self.tr("Open a preset file of your own (File → Open Preset…)"))
        self.open_file_button.setAutoDefault(False)
        self.open_file_button.clicked.connect(self.open_file_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setObjectName("galleryOpen")
        self.open_button.setDefault(True)
        buttons.accepted.connect(lambda: self._selected and self.activate(self._selected))
        buttons.rejected.connect(self.reject)
        footer.addWidget(self.open_file_button)
        footer.addStretch(1)
        footer.addWidget(buttons)
        outer.addLayout(footer)

        thumbnail_service().ready.connect(self._on_thumbnail)
        self.select(current if current in self._entries else next(iter(self._cards), None))
        self.setMinimumSize(MIN_WIDTH + 80, 360)

    def _add_section(self, family, entries: list[CatalogEntry]) -> None:
        section = QWidget()
        section.setObjectName(f"family_{family.key}")
        box = QVBoxLayout(section)
        box.setContentsMargins(0, 8, 0, 4)
        box.setSpacing(4)
        header = QLabel(declared(family.title))
        header.setObjectName(f"familyTitle_{family.key}")
        font = header.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setBold(True)
        header.setFont(font)
        hint = QLabel(declared(family.help))
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid = WrapGrid(MIN_WIDTH, CARD_SPACING, stretch=True)
        for entry in entries:
            card = PresetCard(entry.name, declared(entry.description))
            card.clicked.connect(self.select)
            card.activated.connect(self.activate)
            card.navigate.connect(self._navigate)
            grid.add(card)
            self._cards[entry.name] = card
        box.addWidget(header)
        box.addWidget(hint)
        box.addSpacing(2)
        box.addWidget(grid)
        self._body.addWidget(section)
        self._sections.append((section, grid))

    # ---- what is shown -------------------------------------------------------------------------
    def card(self, name: str) -> PresetCard:
        return self._cards[name]

    def families(self) -> dict[str, list[str]]:
        """Family key -> the names of its cards, in order (what the user sees, filter aside)."""
        return {section.objectName().removeprefix("family_"): [card.name for card in grid.items()]
                for section, grid in self._sections}

    def visible_names(self) -> list[str]:
        return [card.name for _, grid in self._sections for card in grid.visible_items()]

    def selected(self) -> str | None:
        return self._selected

    def select(self, name: str | None) -> None:
        self._selected = name
        for card_name, card in self._cards.items():
            card.set_selected(card_name == name)
        self.open_button.setEnabled(name is not None)
        if name is not None:
            self.scroll.ensureWidgetVisible(self._cards[name], 8, 8)

    def set_filter(self, text: str) -> None:
        """Show the cards whose name or description has every word of ``text``."""
        for section, grid in self._sections:
            visible = [card for card in grid.items()
                       if matches(self._entries[card.name], text, description=card.description)]
            grid.set_visible_items(visible)
            section.setVisible(bool(visible))
        names = self.visible_names()
        self.empty_label.setText(self.tr("No preset matches “{query}”.").format(query=text.strip()))
        self.empty_label.setVisible(not names)
        if self._selected not in names:
            self.select(names[0] if names else None)

    def activate(self, name: str) -> None:
        """Ask for ``name`` to be opened (the window decides, and closes the gallery if it did)."""
        self.select(name)
        self.preset_chosen.emit(name)

    # ---- pictures ------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._requested:  # after the first paint, so opening the gallery never waits for pictures
            self._requested = True
            QTimer.singleShot(0, self._request_thumbnails)

    def _request_thumbnails(self) -> None:
        px = max(1, round(THUMB * self.devicePixelRatioF()))
        visible = self.visible_names()  # what is on screen first
        for name in visible + [n for n in self._cards if n not in visible]:
            key, pixmap = request_preset(self._entries[name].path, px)
            self._keys[key] = name
            if pixmap is not None:
                self._show_picture(name, pixmap)

    def _on_thumbnail(self, key: str) -> None:
        name = self._keys.get(key)
        pixmap = thumbnail_service().pixmap(key)
        if name is not None and pixmap is not None:
            self._show_picture(name, pixmap)

    def _show_picture(self, name: str, pixmap) -> None:
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self._cards[name].set_pixmap(pixmap)

    # ---- keyboard ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """In the search box: Down goes to the cards, Enter opens the selected match, Escape clears."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down and self._selected is not None:
                self._focus(self._selected)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._selected is not None:
                    self.activate(self._selected)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _navigate(self, name: str, key: int) -> None:
        """Arrow keys: left/right through the visible cards in order, up/down to the nearest card of
        the row above or below."""
        names = self.visible_names()
        if name not in names:
            return
        index = names.index(name)
        target = None
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            if 0 <= index + step < len(names):
                target = names[index + step]
        else:
            here = self._centre(name)
            below = key == Qt.Key.Key_Down
            rows = [(abs(self._centre(n)[1] - here[1]), abs(self._centre(n)[0] - here[0]), n) for n in names
                    if (self._centre(n)[1] > here[1] + 1) == below and abs(self._centre(n)[1] - here[1]) > 1]
            if rows:
                nearest = min(r[0] for r in rows)
                target = min((r for r in rows if r[0] == nearest), key=lambda r: r[1])[2]
        if target is not None:
            self._focus(target)
        elif key == Qt.Key.Key_Up:  # above the first row: back to the search box
            self.search.setFocus(Qt.FocusReason.TabFocusReason)

    def _focus(self, name: str) -> None:
        self.select(name)  # focus selects too, but only once the window is active
        self._cards[name].setFocus(Qt.FocusReason.TabFocusReason)

    def _centre(self, name: str) -> tuple[int, int]:
        card = self._cards[name]
        point = card.mapTo(self.scroll.widget(), card.rect().center())
        return point.x(), point.y()
