"""The Network panel: a quick editor for the "main" network of hidden Linear layers and activations.

Networks of the form ``[Linear, activation?]* + Linear`` are edited row by row (width, activation,
remove, add), as in TensorFlow Playground; anything else (convolutions, Residual blocks, a GAN's
two networks) is built in the Network builder, which the panel points to.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.features import FEATURE_NAMES
from playground.core.io_shapes import data_shape
from playground.core.layers import LAYERS
from playground.core.shape_inference import summarize
from playground.gui.editor_support import FEATURE_LABELS, IntSpin, declared
from playground.gui.experiment import Experiment

ACTIVATIONS = tuple(name for name, layer in LAYERS.items() if layer.category == "Activation")
MAX_WIDTH = 256


def simple_rows(layers: list[dict]) -> list[tuple[dict, dict | None]] | None:
    """[(linear, activation or None), ...] with the output Linear last (activation None), or None when
    the network is not a plain stack of Linear layers and activations."""
    rows: list[tuple[dict, dict | None]] = []
    i = 0
    while i < len(layers):
        layer = layers[i]
        if layer.get("type") != "Linear":
            return None
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if nxt is not None and nxt.get("type") in ACTIVATIONS:
            rows.append((layer, nxt))
            i += 2
        else:
            rows.append((layer, None))
            i += 1
    if not rows or rows[-1][1] is not None:
        return None
    return rows


class _FitScroll(QScrollArea):
    """A scroll area that asks for its content's height, so short lists take no extra room."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        height = self.widget().sizeHint().height() if self.widget() is not None else 0
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())


class NetworkPanel(QWidget):
    """Edits ``networks.main`` through :meth:`Experiment.edit`."""

    def __init__(self, experiment: Experiment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment = experiment
        self.rows: list[tuple[QSpinBox, QComboBox, QToolButton]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        self.input_label = QLabel()
        self.input_label.setObjectName("inputLabel")
        self.input_label.setWordWrap(True)
        outer.addWidget(self.input_label)

        self.box = QGroupBox(self.tr("Hidden layers"))
        box_layout = QVBoxLayout(self.box)
        self.scroll = scroll = _FitScroll()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        scroll.viewport().setAutoFillBackground(False)
        self.rows_widget = QWidget()
        self.rows_widget.setAutoFillBackground(False)
        self.grid = QGridLayout(self.rows_widget)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setColumnStretch(2, 1)
        scroll.setWidget(self.rows_widget)
        box_layout.addWidget(scroll)
        self.add_button = QPushButton(self.tr("Add layer"))
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setToolTip(self.tr("Add a hidden layer before the output layer"))
        self.add_button.clicked.connect(self.add_layer)
        box_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.output_label = QLabel()
        self.output_label.setObjectName("outputLabel")
        box_layout.addWidget(self.output_label)
        outer.addWidget(self.box)

        self.readonly = QLabel()
        self.readonly.setObjectName("readOnlyLayers")
        self.readonly.setWordWrap(True)
        self.readonly.setTextFormat(Qt.TextFormat.RichText)
        self.readonly.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.readonly)

        self.params_label = QLabel()
        self.params_label.setObjectName("paramCountLabel")
        outer.addWidget(self.params_label)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #c62828;")
        # a long message must not make the dock (and the window) taller: it may scroll instead
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.problems_label.setMinimumHeight(3 * self.problems_label.fontMetrics().lineSpacing())
        outer.addWidget(self.problems_label)
        outer.addStretch(1)

        experiment.changed.connect(self._on_changed)
        experiment.rejected.connect(lambda _msg: self.sync())
        self.sync()

    # ---- experiment -> widgets ---------------------------------------------------------------
    def _on_changed(self, section: str) -> None:
        if section != "training":
            self.sync()

    def _layers(self) -> list[dict]:
        networks = self.experiment.preset.to_json()["networks"]
        return networks["main"]["layers"] if "main" in networks else []

    def sync(self) -> None:
        preset = self.experiment.preset
        input_shape, n_classes = data_shape(preset.dataset, preset.task)
        features = preset.dataset.get("features") if preset.dataset["name"] != "inline" else None
        names = ", ".join(declared(FEATURE_LABELS.get(f, f)) for f in features or [] if f in FEATURE_NAMES)
        if input_shape is None:
            text = self.tr("Input: images (size set by the file)")
        elif len(input_shape) == 3:
            text = self.tr("Input: {c} x {h} x {w} images").format(c=input_shape[0], h=input_shape[1],
                                                                  w=input_shape[2])
        elif input_shape[0] == 1:
            text = self.tr("Input: 1 feature")
        else:
            text = self.tr("Input: {n} features").format(n=input_shape[0])
        self.input_label.setText(f"{text} ({names})" if names else text)
        if "main" not in preset.networks:  # a GAN's or a VAE's networks: the builder has a tab for each
            self._build_rows(0)
            self.box.setVisible(False)
            self.readonly.setVisible(True)
            listed = ", ".join(preset.networks)
            self.readonly.setText("<p><i>" + html.escape(self.tr(
                "This task trains several networks ({names}); build them in the Network builder (Ctrl+B).").format(
                names=listed)) + "</i></p>")
            self.params_label.setText("")
            self._show_problems()
            return
        layers = self._layers()
        rows = simple_rows(layers)
        self.box.setVisible(rows is not None)
        self.readonly.setVisible(rows is None)
        if rows is None:
            self._show_readonly(layers)
        else:
            self._show_rows(rows[:-1])
            width = rows[-1][0].get("width")
            if preset.task == "regression":
                what = self.tr("1 predicted value")
            elif n_classes is None:
                what = self.tr("set by the data file")
            else:
                what = self.tr("{n} classes").format(n=n_classes)
            text = self.tr("Output: 1 unit ({what})") if width == 1 else self.tr("Output: {width} units ({what})")
            self.output_label.setText(text.format(width=width, what=what))
        if input_shape is not None:
            summary = summarize(preset.networks["main"].layers, input_shape)
            self.params_label.setText(self.tr("Parameters: {count}").format(count=f"{summary.total_params:,}"))
        self._show_problems()

    def _show_problems(self) -> None:
        problems = [str(p) for p in self.experiment.problems]
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))

    def _show_rows(self, rows: list[tuple[dict, dict | None]]) -> None:
        if len(rows) != len(self.rows):
            self._build_rows(len(rows))
        for (spin, combo, _remove), (linear, act) in zip(self.rows, rows, strict=True):
            spin.blockSignals(True)
            spin.setMaximum(max(MAX_WIDTH, linear["width"]))
            spin.setValue(linear["width"])
            spin.blockSignals(False)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(act["type"] if act else "")))
            combo.blockSignals(False)

    def _build_rows(self, count: int) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.rows = []
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        width_help = declared(LAYERS["Linear"].params[0].help)
        for i in range(count):
            label = QLabel(self.tr("Layer {n}").format(n=i + 1))
            spin = IntSpin()  # Space typed in it is ignored
            spin.setObjectName(f"widthSpin{i}")
            spin.setRange(1, MAX_WIDTH)
            spin.setKeyboardTracking(False)
            spin.setToolTip(width_help)
            spin.valueChanged.connect(lambda v, i=i: self._edit_row(i, width=v))
            combo = QComboBox()
            combo.setObjectName(f"activationCombo{i}")
            combo.addItem(self.tr("none"), "")
            for name in ACTIVATIONS:
                combo.addItem(name, name)
                combo.setItemData(combo.count() - 1, declared(LAYERS[name].help), Qt.ItemDataRole.ToolTipRole)
            combo.currentIndexChanged.connect(lambda _j, i=i, c=combo: self._edit_row(i, activation=c.currentData()))
            remove = QToolButton()
            remove.setObjectName(f"removeLayerButton{i}")
            remove.setText("✕")
            remove.setToolTip(self.tr("Remove this layer"))
            remove.clicked.connect(lambda _c=False, i=i: self.remove_layer(i))
            for col, widget in enumerate((label, spin, combo, remove)):
                self.grid.addWidget(widget, i, col)
                widget.show()
            self.rows.append((spin, combo, remove))
        self.grid.setRowStretch(count, 1)
        self.scroll.updateGeometry()

    def _show_readonly(self, layers: list[dict]) -> None:
        self._build_rows(0)
        count = self.tr("{n} layers").format(n=len(layers))
        note = html.escape(self.tr("This network has layers beyond hidden Linear layers and activations; edit it "
                                   "in the Network builder (Ctrl+B)."))
        self.readonly.setText(f"<p><b>{html.escape(count)}</b></p><p><i>{note}</i></p>")

    # ---- widgets -> experiment ---------------------------------------------------------------
    def _edit(self, change) -> None:
        def mutate(doc: dict) -> None:
            layers = doc["networks"]["main"]["layers"]
            rows = simple_rows(layers)
            if rows is not None:
                doc["networks"]["main"]["layers"] = change(rows)

        if not self.experiment.edit("networks", mutate):
            self.sync()

    @staticmethod
    def _flatten(rows: list[tuple[dict, dict | None]]) -> list[dict]:
        return [layer for linear, act in rows for layer in (linear, act) if layer is not None]

    def _edit_row(self, index: int, width: int | None = None, activation: str | None = None) -> None:
        def change(rows: list) -> list[dict]:
            linear, act = rows[index]
            if width is not None:
                linear["width"] = width
            if activation is not None:
                same = act is not None and act["type"] == activation
                rows[index] = (linear, act if same else ({"type": activation} if activation else None))
            return self._flatten(rows)

        self._edit(change)

    def add_layer(self) -> None:
        """Add a hidden layer like the last one (or 4 ReLU units) just before the output layer."""
        def change(rows: list) -> list[dict]:
            hidden = rows[:-1]
            width = hidden[-1][0]["width"] if hidden else 4
            act: Any = {"type": hidden[-1][1]["type"]} if hidden and hidden[-1][1] else {"type": "ReLU"}
            hidden.append(({"type": "Linear", "width": width}, act))
            return self._flatten([*hidden, rows[-1]])

        self._edit(change)

    def remove_layer(self, index: int) -> None:
        def change(rows: list) -> list[dict]:
            del rows[index]
            return self._flatten(rows)

        self._edit(change)
