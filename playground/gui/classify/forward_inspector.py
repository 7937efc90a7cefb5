"""The forward pass for one input: every layer's units with z (before the activation) and a (after it).

The user types the inputs (one box per network input) and presses Run, or, when the network sees
the plane's raw coordinates x1, x2, clicks a point on the decision boundary plot. The inspector
only asks (``trace_requested``); the main window passes that to the training controller, whose
``trace_ready`` comes back to :meth:`show_trace`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MAX_INPUTS = 16  # more inputs than this (images) cannot sensibly be typed
MAX_UNITS_SHOWN = 64  # per layer; a conv layer's many values are cut with a "... more" row


def network_inputs(dataset: dict, input_shape, has_plane: bool) -> tuple[list[str], bool]:
    """The network's input names for a run's dataset section, and whether a click on the plane gives
    them (only when they are exactly the raw x1, x2)."""
    if len(input_shape) != 1:
        return [], False
    n = int(input_shape[0])
    features = None if dataset.get("name") == "inline" else dataset.get("features")
    names = list(features) if features and len(features) == n else [f"in{i + 1}" for i in range(n)]
    return names, has_plane and names == ["x1", "x2"] and not dataset.get("standardize")


def fmt(value: float) -> str:
    """Four significant digits, the way the table shows them."""
    return f"{float(value):.4g}"


class ForwardInspector(QWidget):
    """One input in, every layer's z and a out."""

    trace_requested = Signal(object)  # np.ndarray (inputs,) float32

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("forwardInspector")
        self._spins: list[QDoubleSpinBox] = []
        self._clickable = False
        self._inputs_row = QHBoxLayout()
        self._inputs_row.setSpacing(4)
        self._run = QPushButton(self.tr("Run"), self)
        self._run.setObjectName("forwardRunButton")
        self._run.setToolTip(self.tr("Send these inputs through the network and list every layer's values"))
        self._run.clicked.connect(self.run)
        self._hint = QLabel(self)
        self._hint.setObjectName("forwardHint")
        self._hint.setWordWrap(True)
        self._table = QTreeWidget(self)
        self._table.setObjectName("traceTable")
        self._table.setColumnCount(3)
        self._table.setHeaderLabels([self.tr("Layer / unit"), self.tr("z"), self.tr("a")])
        self._table.setRootIsDecorated(True)
        self._table.setAlternatingRowColors(True)
        self._table.setUniformRowHeights(True)
        self._table.headerItem().setToolTip(1, self.tr("Pre-activation: the weighted sum plus bias"))
        self._table.headerItem().setToolTip(2, self.tr("Activation: what the next layer receives"))
        self._table.setColumnWidth(0, 130)

        row = QHBoxLayout()
        row.addLayout(self._inputs_row, 1)
        row.addWidget(self._run)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.setSpacing(4)
        box.addLayout(row)
        box.addWidget(self._hint)
        box.addWidget(self._table, 1)
        self.set_inputs([], clickable=False)

    # ---- the interface the main window uses ------------------------------------------------------
    def set_inputs(self, names: list[str], clickable: bool) -> None:
        """A new run: one box per network input; ``clickable`` when a plot click gives those inputs."""
        values = [spin.value() for spin in self._spins]
        for spin in self._spins:
            self._inputs_row.removeWidget(spin)
            spin.deleteLater()
        self._spins = []
        self._table.clear()
        usable = 0 < len(names) <= MAX_INPUTS
        for i, name in enumerate(names if usable else []):
            spin = QDoubleSpinBox(self)
            spin.setObjectName(f"forwardInput{i}")
            spin.setRange(-1e6, 1e6)
            spin.setDecimals(4)
            spin.setPrefix(f"{name} = ")
            spin.setToolTip(self.tr("Input {name}").format(name=name))
            if len(values) == len(names):
                spin.setValue(values[i])
            self._inputs_row.addWidget(spin, 1)
            self._spins.append(spin)
        self._clickable = usable and clickable
        self._run.setEnabled(usable)
        if not usable:
            self._hint.setText(self.tr("The forward pass inspector needs a network on a few numbers, not images."))
        elif self._clickable:
            self._hint.setText(self.tr("Type the inputs and press Run, or click a point on the decision boundary."))
        else:
            self._hint.setText(self.tr("Type the inputs and press Run (the network sees computed features, "
                                       "so a click on the plot cannot fill them)."))

    def inputs(self) -> np.ndarray:
        return np.array([spin.value() for spin in self._spins], dtype=np.float32)

    def set_values(self, values) -> None:
        """Fill the input boxes (without running)."""
        for spin, value in zip(self._spins, values, strict=False):
            spin.setValue(float(value))

    def run(self) -> None:
        if self._spins:
            self.trace_requested.emit(self.inputs())

    def point_clicked(self, x: float, y: float) -> None:
        """A click on the plane: fill and run when the inputs are x1, x2; otherwise say why not."""
        if not self._clickable:
            if self._spins:
                self._hint.setText(self.tr("This network sees computed features of the point: type its inputs."))
            return
        self.set_values([x, y])
        self.run()

    def show_trace(self, payload) -> None:
        """(input, [LayerTrace]) from the controller: one row per layer, one child per unit."""
        _, traces = payload
        self._table.setUpdatesEnabled(False)
        self._table.clear()
        for trace in traces:
            z, a = np.asarray(trace.z).ravel(), np.asarray(trace.a).ravel()
            layer = QTreeWidgetItem(self._table, [trace.name, "", ""])
            layer.setToolTip(0, self.tr("{n} values").format(n=z.size))
            for unit in range(min(z.size, MAX_UNITS_SHOWN)):
                row = QTreeWidgetItem(layer, [self.tr("unit {i}").format(i=unit), fmt(z[unit]), fmt(a[unit])])
                row.setTextAlignment(1, RIGHT)
                row.setTextAlignment(2, RIGHT)
            if z.size > MAX_UNITS_SHOWN:
                QTreeWidgetItem(layer, [self.tr("… {n} more").format(n=z.size - MAX_UNITS_SHOWN), "", ""])
            layer.setExpanded(True)
        self._table.setUpdatesEnabled(True)

    def values(self, column: str = "z") -> dict[str, list[str]]:
        """The table's text per layer, for tests: {layer name: [value per unit]}."""
        col = 1 if column == "z" else 2
        out = {}
        for i in range(self._table.topLevelItemCount()):
            layer = self._table.topLevelItem(i)
            out[layer.text(0)] = [layer.child(j).text(col) for j in range(layer.childCount())]
        return out
