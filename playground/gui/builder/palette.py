"""The layer palette: every layer type of the core registry, grouped, searchable and draggable.

Dragging a layer carries its type name (``LAYER_TYPE_MIME``); the canvas decides where it lands.
Double-clicking asks for the layer to be appended to the network being edited.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from playground.core.layers import CATEGORIES, LAYERS
from playground.gui.editor_support import declared

LAYER_TYPE_MIME = "application/x-neural-playground-layer-type"


class _PaletteTree(QTreeWidget):
    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [LAYER_TYPE_MIME]

    def mimeData(self, items) -> QMimeData:  # noqa: N802 - Qt API
        data = QMimeData()
        names = [item.data(0, Qt.ItemDataRole.UserRole) for item in items if item.data(0, Qt.ItemDataRole.UserRole)]
        if names:
            data.setData(LAYER_TYPE_MIME, names[0].encode())
            data.setText(names[0])
        return data


class LayerPalette(QWidget):
    """Layer types by category; ``append_requested(type)`` on double-click or Enter."""

    append_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        layout.addWidget(self.search)
        self.tree = _PaletteTree()
        self.tree.setObjectName("layerPalette")
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.setToolTip(self.tr("Drag a layer onto the network, or double-click to add it at the end"))
        layout.addWidget(self.tree)
        self.items: dict[str, QTreeWidgetItem] = {}
        for category in CATEGORIES:
            group = QTreeWidgetItem(self.tree, [declared(category)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for name, layer in LAYERS.items():
                if layer.category != category:
                    continue
                item = QTreeWidgetItem(group, [name])
                item.setData(0, Qt.ItemDataRole.UserRole, name)
                item.setToolTip(0, f"<b>{name}</b><br>{declared(layer.help)}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                self.items[name] = item
        self.tree.expandAll()

    def filter(self, text: str) -> None:
        """Show the layers whose name or help mentions ``text`` (case-insensitive), and their groups."""
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                item = group.child(j)
                name = item.data(0, Qt.ItemDataRole.UserRole)
                match = not needle or needle in name.lower() or needle in declared(LAYERS[name].help).lower()
                item.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)

    def visible_layers(self) -> list[str]:
        return [name for name, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            self.append_requested.emit(name)
