"""The network canvas: one network's layers as blocks, top to bottom, with live shapes and errors.

Each block shows its type, key settings, output shape and parameter count from the core's
summary; a block that cannot take its input turns red and shows the core's message. Blocks inside
a Residual block are nested under it. The canvas never changes the network itself: drops, moves
and pastes become requests (``insert_requested``, ``move_requested``) that the builder turns into
one undoable experiment edit, after which the canvas is redrawn from the experiment.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelectionModel, QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from playground.core.layer_edit import is_container, new_layer
from playground.core.layers import LAYERS
from playground.core.shape_inference import Summary
from playground.gui.builder.palette import LAYER_TYPE_MIME

LAYERS_MIME = "application/x-neural-playground-layers"  # {"network", "origin", "paths", "layers"}
PATH_ROLE = Qt.ItemDataRole.UserRole
ERROR_BACKGROUND = QColor("#fdecea")
ERROR_TEXT = QColor("#b71c1c")
MUTED_TEXT = QColor("#757575")
COLUMNS = ("Layer", "Settings", "Output", "Parameters")


def position_text(path: tuple[int, ...]) -> str:
    return ".".join(str(i) for i in path)


class NetworkCanvas(QTreeWidget):
    """Blocks of one network. Paths are tuples of indices (see :mod:`playground.core.layer_edit`)."""

    insert_requested = Signal(object, int, object)  # (parent path, index, [layer dicts])
    move_requested = Signal(object, object, int)  # ([paths], parent path, index)

    def __init__(self, network: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.network = network
        self.setObjectName(f"canvas_{network}")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels([self.tr("Layer"), self.tr("Settings"), self.tr("Output"), self.tr("Parameters")])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.setRootIsDecorated(True)
        self.setAnimated(False)
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        self.layers: list[dict] = []
        self.errors: list[str] = []

    # ---- drawing ---------------------------------------------------------------------------------
    def show_network(self, layers: list[dict], summary: Summary | None) -> None:
        """Redraw from the experiment's layers and their summary (None: input shape not known yet)."""
        selected = self.selected_paths()
        current = self.current_path()
        self.layers = layers
        self.errors = []
        rows = {r.position: r for r in summary.rows} if summary is not None else {}
        self.blockSignals(True)
        self.clear()
        self._add(self.invisibleRootItem(), layers, (), rows)
        self.expandAll()
        self.blockSignals(False)
        self.select_paths(selected, current)

    def _add(self, parent: QTreeWidgetItem, layers: list[dict], prefix: tuple[int, ...], rows: dict) -> None:
        for i, layer in enumerate(layers):
            path = (*prefix, i)
            row = rows.get(position_text(path))
            layer_type = LAYERS.get(layer.get("type", ""))
            item = QTreeWidgetItem(parent)
            item.setData(0, PATH_ROLE, list(path))
            item.setText(0, f"{position_text(path)}  {layer.get('type')}")
            bold = QFont(item.font(0))
            bold.setBold(True)
            item.setFont(0, bold)
            settings = layer_type.key_params(layer) if layer_type is not None and layer_type.params else ""
            if row is not None and row.detail:
                settings = f"{settings}  {row.detail}".strip()
            item.setText(1, settings)
            item.setToolTip(0, layer_type.help if layer_type is not None else "")
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
            if is_container(layer):
                flags |= Qt.ItemFlag.ItemIsDropEnabled
            item.setFlags(flags)
            if row is not None and row.error:
                message = f"{layer.get('type')} {row.error}"
                self.errors.append(f"{position_text(path)}: {message}")
                item.setText(1, row.error)  # the stretching column: elided, with the whole message as tooltip
                item.setText(2, "✗")
                for column in range(len(COLUMNS)):
                    item.setBackground(column, QBrush(ERROR_BACKGROUND))
                    item.setForeground(column, QBrush(ERROR_TEXT))
                    item.setToolTip(column, message)
            elif row is not None and row.output_shape is not None:
                item.setText(2, row.shape_text)
                item.setText(3, f"{row.params:,}" if row.params else "–")
            else:
                item.setText(2, "?")
                item.setForeground(2, QBrush(MUTED_TEXT))
                item.setToolTip(2, self.tr("Unknown until the layers before it fit"))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if is_container(layer):
                if layer.get("layers"):
                    self._add(item, layer["layers"], path, rows)
                else:
                    hint = QTreeWidgetItem(item, [self.tr("drop layers here")])
                    hint.setData(0, PATH_ROLE, [*path, -1])
                    hint.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    hint.setForeground(0, QBrush(MUTED_TEXT))
                    italic = QFont(hint.font(0))
                    italic.setItalic(True)
                    hint.setFont(0, italic)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.topLevelItemCount() == 0:  # an empty network says how to start
            painter = QPainter(self.viewport())
            painter.setPen(MUTED_TEXT)
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("Drag layers here from the palette\n(or double-click one)"))
            painter.end()

    # ---- selection -------------------------------------------------------------------------------
    @staticmethod
    def path_of(item: QTreeWidgetItem | None) -> tuple[int, ...] | None:
        if item is None:
            return None
        data = item.data(0, PATH_ROLE)
        if not data or data[-1] < 0:
            return None
        return tuple(data)

    def item_at_path(self, path: tuple[int, ...]) -> QTreeWidgetItem | None:
        item = self.invisibleRootItem()
        for index in path:
            if not 0 <= index < item.childCount():
                return None
            item = item.child(index)
        return item

    def selected_paths(self) -> list[tuple[int, ...]]:
        paths = [self.path_of(item) for item in self.selectedItems()]
        return sorted(p for p in paths if p is not None)

    def current_path(self) -> tuple[int, ...] | None:
        return self.path_of(self.currentItem())

    def select_paths(self, paths: list[tuple[int, ...]], current: tuple[int, ...] | None = None) -> None:
        self.clearSelection()
        items = [self.item_at_path(p) for p in paths]
        for item in items:
            if item is not None:
                item.setSelected(True)
        focus = self.item_at_path(current) if current is not None else None
        focus = focus or next((i for i in reversed(items) if i is not None), None)
        if focus is not None:
            self.setCurrentItem(focus, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollToItem(focus)

    # ---- drag and drop ---------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt API
        return [LAYERS_MIME, LAYER_TYPE_MIME]

    def mimeData(self, items) -> QMimeData:  # noqa: N802 - Qt API
        from playground.core.layer_edit import get, outermost

        paths = outermost([p for p in (self.path_of(i) for i in items) if p is not None])
        data = QMimeData()
        payload = {"network": self.network, "origin": id(self), "paths": [list(p) for p in paths],
                   "layers": [get(self.layers, p) for p in paths]}
        data.setData(LAYERS_MIME, json.dumps(payload).encode())
        data.setText(json.dumps(payload["layers"], indent=2))
        return data

    def drop_target(self, pos) -> tuple[tuple[int, ...], int]:
        """(parent path, index) where a drop at ``pos`` lands, following the drop indicator."""
        item = self.itemAt(pos)
        indicator = self.dropIndicatorPosition()
        Indicator = QAbstractItemView.DropIndicatorPosition
        if item is None or indicator == Indicator.OnViewport:
            return (), len(self.layers)
        data = item.data(0, PATH_ROLE)
        if data and data[-1] < 0:  # the "drop layers here" line of an empty block
            return tuple(data[:-1]), 0
        path = tuple(data)
        if indicator == Indicator.OnItem and item.flags() & Qt.ItemFlag.ItemIsDropEnabled:
            return path, item.childCount() if item.childCount() and self.path_of(item.child(0)) else 0
        if indicator == Indicator.AboveItem:
            return path[:-1], path[-1]
        return path[:-1], path[-1] + 1

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasFormat(LAYERS_MIME) or event.mimeData().hasFormat(LAYER_TYPE_MIME):
            super().dragEnterEvent(event)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Turn the drop into a request; the tree itself is never changed by Qt's own move."""
        mime = event.mimeData()
        parent, index = self.drop_target(event.position().toPoint())
        event.setDropAction(Qt.DropAction.CopyAction)  # the source must not delete anything itself
        event.accept()
        if mime.hasFormat(LAYER_TYPE_MIME):
            name = bytes(mime.data(LAYER_TYPE_MIME)).decode()
            if name in LAYERS:
                self.insert_requested.emit(parent, index, [new_layer(name)])
            return
        try:
            payload = json.loads(bytes(mime.data(LAYERS_MIME)).decode())
        except (ValueError, UnicodeDecodeError):
            return
        copy = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if payload.get("origin") == id(self) and not copy:
            self.move_requested.emit([tuple(p) for p in payload["paths"]], parent, index)
        else:  # from another network's canvas, or a Ctrl-drag: a copy
            self.insert_requested.emit(parent, index, payload.get("layers", []))
