"""Editors generated from parameter declarations: one widget per :class:`Param` kind, no per-setting code.

Every editor shows the declaration's help (translated at display time, context "declarations") and
range as its tooltip, keeps to the declared range, emits ``value_changed`` only for user edits, and
maps an optional value's "off" state to ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from playground.core.params import BOOL, CHOICE, FEATURES, FLOAT, INT, INT_LIST, Param
from playground.gui.editor_support import (
    FEATURE_LABELS,
    FEATURE_STYLE,
    IntSpin,
    LogControl,
    NumberSpin,
    choice_label,
    declared,
    label_for,
    tooltip_for,
)

INT_LIMIT = 2**31 - 1
FLOAT_LIMIT = 1e9


class ParamEditor(QWidget):
    """Base of all editors: ``value()``, ``set_value(v)`` (silent) and ``value_changed(object)``."""

    value_changed = Signal(object)

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self._quiet = False
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _changed(self, *_: Any) -> None:
        if not self._quiet:
            self.value_changed.emit(self.value())

    def _finish(self, *widgets: QWidget) -> None:
        tip = tooltip_for(self.param)
        self.setToolTip(tip)
        for w in widgets:
            w.setToolTip(tip)
            self.row.addWidget(w)
        self.set_value(self.param.default)


def _float_range(param: Param, decimals: int) -> tuple[float, float]:
    lo = -FLOAT_LIMIT if param.minimum is None else float(param.minimum)
    if param.exclusive_minimum:
        lo += 10.0**-decimals
    hi = FLOAT_LIMIT if param.maximum is None else float(param.maximum)
    return lo, hi


class IntEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.spin = IntSpin()
        lo = -INT_LIMIT if param.minimum is None else int(param.minimum) + int(param.exclusive_minimum)
        self.spin.setRange(lo, INT_LIMIT if param.maximum is None else int(min(param.maximum, INT_LIMIT)))
        self.spin.setKeyboardTracking(False)
        self.spin.setAccelerated(True)
        self.spin.setGroupSeparatorShown(True)
        self.spin.setSuffix(f" {param.unit}" if param.unit else "")
        self.spin.valueChanged.connect(self._changed)
        self._finish(self.spin)

    def value(self) -> int:
        return self.spin.value()

    def _show(self, value: Any) -> None:
        self.spin.setValue(int(value if value is not None else self.spin.minimum()))


class FloatEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.spin = NumberSpin()
        self.spin.setRange(*_float_range(param, 6))
        span = self.spin.maximum() - self.spin.minimum()
        self.spin.setSingleStep(0.01 if span <= 1 else 0.1 if span <= 100 else 1.0)
        self.spin.setSuffix(f" {param.unit}" if param.unit else "")
        self.spin.valueChanged.connect(self._changed)
        self._finish(self.spin)

    def value(self) -> float:
        return float(self.spin.value())

    def _show(self, value: Any) -> None:
        self.spin.setValue(float(value if value is not None else max(self.spin.minimum(), 0.0)))


class LogFloatEditor(ParamEditor):
    """A rate on a logarithmic slider plus an exact spin box (see :class:`LogControl`)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        centre = param.default if isinstance(param.default, (int, float)) and param.default > 0 else 1.0
        low = float(param.minimum) if param.minimum and not param.exclusive_minimum else centre * 10**-3.5
        high = min(float(param.maximum) if param.maximum is not None else math.inf, centre * 10**2.5)
        self.control = LogControl(*_float_range(param, 12), low, high)
        self.spin, self.slider = self.control.spin, self.control.slider
        self.control.valueChanged.connect(self._changed)
        self._finish(self.control)
        self.spin.setToolTip(self.toolTip())
        self.slider.setToolTip(self.toolTip())

    def value(self) -> float:
        return self.control.value()

    def _show(self, value: Any) -> None:
        self.control.set_value(float(value))


class BoolEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.check = QCheckBox()
        self.check.toggled.connect(self._changed)
        self._finish(self.check)

    def value(self) -> bool:
        return self.check.isChecked()

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class ChoiceEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.combo = QComboBox()
        for choice in param.choices:
            self.combo.addItem(choice_label(choice), choice)
        self.combo.currentIndexChanged.connect(self._changed)
        self._finish(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))


class OptionalEditor(ParamEditor):
    """A checkbox in front of the real editor: unticked means ``None`` (off / derived)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        start = param.default
        if start is None:
            low = param.minimum if param.minimum is not None else 0
            start = max(low, 10) if param.kind == INT else max(low, 1.0)
        self.inner = make_editor(replace(param, optional=False, default=start))
        self.check = QCheckBox()
        self.check.setToolTip(self.tr("Tick to set a value; unticked means off"))
        self.off = QLabel(self.tr("off"))
        self.off.setEnabled(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.off)
        self.stack.addWidget(self.inner)
        self.check.toggled.connect(self._toggled)
        self.inner.value_changed.connect(self._changed)
        self._finish(self.check, self.stack)
        self.check.setToolTip(self.toolTip())
        self.row.setStretch(1, 1)

    def value(self) -> Any:
        return self.inner.value() if self.check.isChecked() else None

    def _show(self, value: Any) -> None:
        self.check.setChecked(value is not None)
        self.stack.setCurrentIndex(int(value is not None))
        if value is not None:
            self.inner.set_value(value)

    def _toggled(self, on: bool) -> None:
        self.stack.setCurrentIndex(int(on))
        self._changed()


class FeaturesEditor(ParamEditor):
    """A grid of toggle buttons, one per feature (x₁, x₂, x₁², ...); at least one stays on."""

    COLUMNS = 4

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.buttons: dict[str, QToolButton] = {}
        for i, name in enumerate(param.choices):
            button = QToolButton()
            button.setText(declared(FEATURE_LABELS.get(name, name)))
            button.setCheckable(True)
            button.setObjectName(f"feature_{name}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(44)
            button.toggled.connect(lambda on, n=name: self._toggled(n, on))
            grid.addWidget(button, i // self.COLUMNS, i % self.COLUMNS)
            self.buttons[name] = button
        box.setStyleSheet(FEATURE_STYLE)
        self._finish(box)
        for button in self.buttons.values():
            button.setToolTip(box.toolTip())

    def value(self) -> list[str]:
        return [n for n, b in self.buttons.items() if b.isChecked()]

    def _show(self, value: Any) -> None:
        for n, b in self.buttons.items():
            b.setChecked(n in (value or []))

    def _toggled(self, name: str, on: bool) -> None:
        if not on and not self._quiet and not self.value():
            self.set_value([name])  # the network needs at least one input
            return
        self._changed()


class LineEditor(ParamEditor):
    """Text, or a list of integers typed as '1, 8, 8' (validated as you type)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        if param.kind == INT_LIST:
            pattern = QRegularExpression(r"^\s*-?\d*(\s*,\s*-?\d*)*\s*$")
            self.edit.setValidator(QRegularExpressionValidator(pattern, self.edit))
            self.edit.setPlaceholderText("1, 8, 8")
        self.edit.editingFinished.connect(self._finished)
        self._finish(self.edit)
        self._last = self.value()

    def value(self) -> Any:
        text = self.edit.text()
        if self.param.kind != INT_LIST:
            return text
        return [int(part) for part in text.replace(" ", "").split(",") if part not in ("", "-")]

    def _show(self, value: Any) -> None:
        text = ", ".join(str(v) for v in value) if self.param.kind == INT_LIST else str(value or "")
        self.edit.setText(text)
        self._last = self.value()

    def _finished(self) -> None:
        if self.value() != self._last:
            self._last = self.value()
            self._changed()


def make_editor(param: Param, parent: QWidget | None = None) -> ParamEditor:
    """The editor for a declaration, chosen by its kind (optional values get an on/off box)."""
    if param.optional:
        return OptionalEditor(param, parent)
    if param.kind == INT:
        return IntEditor(param, parent)
    if param.kind == FLOAT:
        return LogFloatEditor(param, parent) if param.log_scale else FloatEditor(param, parent)
    if param.kind == BOOL:
        return BoolEditor(param, parent)
    if param.kind == CHOICE:
        return ChoiceEditor(param, parent)
    if param.kind == FEATURES:
        return FeaturesEditor(param, parent)
    return LineEditor(param, parent)


EditorFactory = Callable[[Param], ParamEditor]


class ParamForm(QWidget):
    """A form of editors for a tuple of declarations; ``editors`` overrides the editor of some names."""

    edited = Signal(str, object)

    def __init__(self, params: tuple[Param, ...] | list[Param], parent: QWidget | None = None,
                 editors: dict[str, EditorFactory] | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.editors: dict[str, ParamEditor] = {}
        for p in params:
            editor = (editors or {}).get(p.name, make_editor)(p)
            label = QLabel(label_for(p))
            label.setToolTip(editor.toolTip())
            label.setBuddy(editor)
            self.layout_.addRow(label, editor)
            editor.value_changed.connect(lambda v, n=p.name: self.edited.emit(n, v))
            editor.value_changed.connect(self._update_applicable)
            self.editors[p.name] = editor
        self._conditions = {p.name: p.applies_when for p in params if p.applies_when}
        self._update_applicable()

    def _update_applicable(self, *_: Any) -> None:
        """Grey out settings that do not matter with the current values of the ones they depend on."""
        for name, (other, values) in self._conditions.items():
            if other in self.editors:
                applies = self.editors[other].value() in values
                self.editors[name].setEnabled(applies)
                self.layout_.labelForField(self.editors[name]).setEnabled(applies)

    def editor(self, name: str) -> ParamEditor:
        return self.editors[name]

    def values(self) -> dict[str, Any]:
        return {n: e.value() for n, e in self.editors.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for name, editor in self.editors.items():
            if name in values:
                editor.set_value(values[name])
        self._update_applicable()

    def set_row_visible(self, name: str, visible: bool) -> None:
        self.layout_.setRowVisible(self.editors[name], visible)
