"""The visual network builder: palette, one canvas tab per network of the task, properties, summary.

Every change (drop, move, paste, Delete, duplicate, a setting) is computed on the layer JSON by
:mod:`playground.core.layer_edit` and handed to the experiment as one named, undoable edit; the
views then redraw from the experiment. Each tab says what its network receives and what the task
needs from it, and whether that is met.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core import layer_edit
from playground.core.io_shapes import data_shape, network_input_shapes
from playground.core.shape_inference import summarize
from playground.core.tasks.catalog import TASKS, network_output_need, network_output_problem
from playground.gui.builder.canvas import LAYERS_MIME, NetworkCanvas, position_text
from playground.gui.builder.palette import LayerPalette
from playground.gui.builder.properties import LayerProperties
from playground.gui.builder.summary_table import SummaryTable
from playground.gui.experiment import Experiment

NETWORK_TITLES = {"main": "Network", "generator": "Generator", "discriminator": "Discriminator",
                  "encoder": "Encoder", "decoder": "Decoder"}


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


class NetworkBuilder(QWidget):
    def __init__(self, experiment: Experiment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkBuilder")
        self.experiment = experiment
        self.canvases: dict[str, NetworkCanvas] = {}
        self.headers: dict[str, QLabel] = {}
        self.palette = LayerPalette(self)
        self.palette.append_requested.connect(self.append_layer)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("networkTabs")
        self.tabs.currentChanged.connect(lambda _i: self._show_current())
        self.properties = LayerProperties(self)
        self.properties.edited.connect(self._on_property_edited)
        self.summary = SummaryTable(self)
        self.problems = QLabel()
        self.problems.setObjectName("builderProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b71c1c;")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self._build_tool_row())
        centre_layout.addWidget(self.tabs, 1)
        centre_layout.addWidget(self.problems)
        details = QTabWidget()
        details.setObjectName("builderDetails")
        details.setDocumentMode(True)
        details.addTab(self.properties, self.tr("Layer properties"))
        details.addTab(self.summary, self.tr("Model summary"))
        self.details = details
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(centre)
        right.addWidget(details)
        right.setSizes([480, 340])
        right.setChildrenCollapsible(False)
        self.palette.setMinimumWidth(170)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.palette)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        experiment.changed.connect(self._on_changed)
        experiment.rejected.connect(lambda _msg: self.sync())
        self.sync()

    # ---- construction ----------------------------------------------------------------------------
    def _build_tool_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit_actions: dict[str, QAction] = {}
        specs = (
            ("duplicate", self.tr("Duplicate"), QKeySequence("Ctrl+D"), self.duplicate_selected),
            ("delete", self.tr("Delete"), QKeySequence(QKeySequence.StandardKey.Delete), self.delete_selected),
            ("move_up", self.tr("Move up"), QKeySequence("Alt+Up"), lambda: self.move_selected(-1)),
            ("move_down", self.tr("Move down"), QKeySequence("Alt+Down"), lambda: self.move_selected(1)),
            ("copy", self.tr("Copy"), QKeySequence(QKeySequence.StandardKey.Copy), self.copy_selected),
            ("cut", self.tr("Cut"), QKeySequence(QKeySequence.StandardKey.Cut), self.cut_selected),
            ("paste", self.tr("Paste"), QKeySequence(QKeySequence.StandardKey.Paste), self.paste),
        )
        for name, text, keys, slot in specs:
            action = QAction(text, self)
            action.setObjectName(f"builder_{name}")
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.edit_actions[name] = action
            if name in ("duplicate", "delete", "move_up", "move_down"):
                button = QToolButton()
                button.setDefaultAction(action)
                layout.addWidget(button)
        self.edit_actions["delete"].setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete),
                                                  QKeySequence(Qt.Key.Key_Backspace)])
        layout.addStretch(1)
        return row

    def _ensure_tabs(self, names: tuple[str, ...]) -> None:
        if tuple(self.canvases) == names:
            return
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for canvas in self.canvases.values():
            canvas.deleteLater()
        self.canvases, self.headers = {}, {}
        for name in names:
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(4, 4, 4, 4)
            header = QLabel()
            header.setObjectName(f"networkHeader_{name}")
            header.setWordWrap(True)
            header.setTextFormat(Qt.TextFormat.RichText)
            canvas = NetworkCanvas(name, page)
            canvas.setToolTip(self.tr("Drag layers here from the palette; drag blocks to reorder them or into a "
                                      "Residual block; Ctrl-drag copies"))
            canvas.insert_requested.connect(lambda parent, index, layers, n=name: self.insert(n, parent, index, layers))
            canvas.move_requested.connect(lambda paths, parent, index, n=name: self.move(n, paths, parent, index))
            canvas.itemSelectionChanged.connect(self._show_current)
            layout.addWidget(header)
            layout.addWidget(canvas, 1)
            self.tabs.addTab(page, self.tr(NETWORK_TITLES.get(name, name)))
            self.canvases[name], self.headers[name] = canvas, header
        self.tabs.blockSignals(False)

    # ---- experiment -> views ---------------------------------------------------------------------
    def _on_changed(self, section: str) -> None:
        if section in ("networks", "dataset", "task", "all", "training"):
            self.sync()

    def sync(self) -> None:
        preset = self.experiment.preset
        self._ensure_tabs(TASKS[preset.task].networks)
        inputs = network_input_shapes(preset)
        shape, n_classes = data_shape(preset.dataset, preset.task)
        doc = preset.to_json()["networks"]
        self.summaries = {}
        for index, (name, canvas) in enumerate(self.canvases.items()):
            layers = doc.get(name, {}).get("layers", [])
            summary = summarize(preset.networks[name].layers, inputs[name]) if inputs.get(name) else None
            if summary is not None:
                summary.network = name
            self.summaries[name] = summary
            canvas.show_network(layers, summary)
            ok = self._show_header(name, inputs.get(name), summary, shape, n_classes)
            title = self.tr(NETWORK_TITLES.get(name, name))
            self.tabs.setTabText(index, title if ok else f"{title} ✗")
        self.problems.setText("\n".join(str(p) for p in self.experiment.problems))
        self.problems.setVisible(bool(self.experiment.problems))
        self._show_current()

    def _show_header(self, name, input_shape, summary, shape, n_classes) -> bool:
        task = self.experiment.preset.task
        receives = self.tr("set by the data file") if input_shape is None else _shape(input_shape)
        need = network_output_need(task, name, shape, n_classes)
        if summary is None:
            status, ok = self.tr("checked when the data loads"), True
        elif not summary.ok:
            status, ok = self.tr("✗ a layer does not fit (shown in red)"), False
        else:
            problem = network_output_problem(task, name, summary.output_shape, shape or (), n_classes)
            ok = problem is None
            status = (self.tr("✓ outputs {shape}").format(shape=_shape(summary.output_shape)) if ok
                      else "✗ " + problem)
        colour = "#2e7d32" if ok else "#b71c1c"
        self.headers[name].setText(self.tr("Receives <b>{receives}</b> · must output {need} · "
                                           "<span style='color:{colour}'>{status}</span>").format(
            receives=receives, need=need, colour=colour, status=status))
        return ok

    def current_network(self) -> str:
        names = list(self.canvases)
        return names[self.tabs.currentIndex()] if 0 <= self.tabs.currentIndex() < len(names) else names[0]

    def current_canvas(self) -> NetworkCanvas:
        return self.canvases[self.current_network()]

    def _show_current(self) -> None:
        canvas = self.current_canvas()
        self.summary.show_summary(self.summaries.get(canvas.network))
        path = canvas.current_path()
        paths = canvas.selected_paths()
        if path is None or path not in paths:
            path = paths[-1] if paths else None
        layer = layer_edit.get(canvas.layers, path) if path is not None else None
        self.properties.show_layer(layer, position_text(path) if path else None)
        for name in ("duplicate", "delete", "move_up", "move_down", "copy", "cut"):
            self.edit_actions[name].setEnabled(bool(paths))

    # ---- edits -----------------------------------------------------------------------------------
    def _apply(self, network: str, change, name: str) -> bool:
        """Compute the new layer list now (refusing impossible edits with a message), then make it
        one undoable experiment edit and select the layers it names."""
        layers = self.experiment.preset.to_json()["networks"][network]["layers"]
        try:
            new_layers, selection = change(layers)
        except layer_edit.EditError as exc:
            self.problems.setText(str(exc))
            self.problems.setVisible(True)
            return False
        ok = self.experiment.edit("networks", lambda doc: doc["networks"][network].__setitem__("layers", new_layers),
                                  name)
        if ok:
            self.tabs.setCurrentIndex(list(self.canvases).index(network))
            self.canvases[network].select_paths(selection)
            self._show_current()
        return ok

    def insert(self, network: str, parent, index: int, layers: list[dict]) -> bool:
        if not layers:
            return False
        name = (self.tr("Add {type}").format(type=layers[0].get("type")) if len(layers) == 1
                else self.tr("Add {n} layers").format(n=len(layers)))
        return self._apply(network, lambda ls: layer_edit.insert(ls, tuple(parent), index, layers), name)

    def append_layer(self, type_name: str) -> bool:
        """Add a layer after the selected one (at the end of the network when nothing is selected)."""
        canvas = self.current_canvas()
        paths = canvas.selected_paths()
        parent, index = (paths[-1][:-1], paths[-1][-1] + 1) if paths else ((), len(canvas.layers))
        return self.insert(canvas.network, parent, index, [layer_edit.new_layer(type_name)])

    def move(self, network: str, paths, parent, index: int) -> bool:
        name = self.tr("Move {n} layers").format(n=len(paths)) if len(paths) > 1 else self.tr("Move layer")
        return self._apply(network, lambda ls: layer_edit.move(ls, list(paths), tuple(parent), index), name)

    def move_selected(self, offset: int) -> bool:
        canvas = self.current_canvas()
        paths = layer_edit.outermost(canvas.selected_paths())
        if not paths or len({p[:-1] for p in paths}) != 1:
            return False
        parent = paths[0][:-1]
        siblings = len(layer_edit.get(canvas.layers, parent)["layers"]) if parent else len(canvas.layers)
        target = paths[0][-1] - 1 if offset < 0 else paths[-1][-1] + 2
        if target < 0 or target > siblings:
            return False
        return self.move(canvas.network, paths, parent, target)

    def delete_selected(self) -> bool:
        canvas = self.current_canvas()
        paths = layer_edit.outermost(canvas.selected_paths())
        if not paths:
            return False
        name = (self.tr("Delete {type}").format(type=layer_edit.get(canvas.layers, paths[0]).get("type"))
                if len(paths) == 1 else self.tr("Delete {n} layers").format(n=len(paths)))
        after = paths[0]
        return self._apply(canvas.network, lambda ls: (layer_edit.remove(ls, paths), [after]), name)

    def duplicate_selected(self) -> bool:
        canvas = self.current_canvas()
        paths = canvas.selected_paths()
        if not paths:
            return False
        return self._apply(canvas.network, lambda ls: layer_edit.duplicate(ls, paths), self.tr("Duplicate"))

    def copy_selected(self) -> bool:
        canvas = self.current_canvas()
        paths = canvas.selected_paths()
        if not paths:
            return False
        QApplication.clipboard().setMimeData(canvas.mimeData(canvas.selectedItems()))
        return True

    def cut_selected(self) -> bool:
        return self.copy_selected() and self.delete_selected()

    def paste(self) -> bool:
        """Layers copied here or in another network (or their JSON as text) go after the selection."""
        mime: QMimeData = QApplication.clipboard().mimeData()
        try:
            if mime.hasFormat(LAYERS_MIME):
                layers = json.loads(bytes(mime.data(LAYERS_MIME)).decode())["layers"]
            else:
                layers = json.loads(mime.text())
                layers = [layers] if isinstance(layers, dict) else layers
        except (ValueError, KeyError, UnicodeDecodeError, TypeError):
            return False
        if not isinstance(layers, list) or not all(isinstance(x, dict) and "type" in x for x in layers):
            return False
        canvas = self.current_canvas()
        paths = canvas.selected_paths()
        parent, index = (paths[-1][:-1], paths[-1][-1] + 1) if paths else ((), len(canvas.layers))
        ok = self._apply(canvas.network, lambda ls: layer_edit.insert(ls, parent, index, layers),
                         self.tr("Paste {n} layers").format(n=len(layers)) if len(layers) > 1 else self.tr("Paste"))
        if not ok:
            self.problems.setText(self.tr("The pasted text is not a list of layers this app knows."))
            self.problems.setVisible(True)
        return ok

    def _on_property_edited(self, key: str, value) -> None:
        canvas = self.current_canvas()
        path = canvas.current_path() or (canvas.selected_paths() or [None])[-1]
        if path is None:
            return
        layer = dict(layer_edit.get(canvas.layers, path))
        layer[key] = value
        name = self.tr("Change {setting} of layer {position}").format(setting=key.replace("_", " "),
                                                                      position=position_text(path))
        self._apply(canvas.network, lambda ls: (layer_edit.replace(ls, path, layer), [path]), name)
