"""Support for the generated editors: translated declaration text, tooltips, number widgets, form alignment.

Text from the core's declarations (help, titles, setting names) is translated at display time in the
context "declarations". The log control is a slider over half decades (…, 0.001, 0.003, 0.01, 0.03, …)
plus a spin box with the exact value whose arrows step along the same grid: a rate is swept by decades
in two clicks.
"""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QHBoxLayout, QSlider, QSpinBox, QWidget

from playground.core.params import FLOAT, INT, Param

FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂",
                  "sin_x1": "sin x₁", "sin_x2": "sin x₂"}
FEATURE_STYLE = ("QToolButton { padding: 3px 6px; border: 1px solid palette(mid); border-radius: 3px; "
                 "background: palette(button); } QToolButton:checked { background: palette(highlight); "
                 "color: palette(highlighted-text); border-color: palette(highlight); }")


def declared(text: str) -> str:
    """Text that comes from the core's declarations (help, titles, names), translated now."""
    return QCoreApplication.translate("declarations", text)


def pretty_name(name: str) -> str:
    """'learning_rate' -> 'Learning rate' (the untranslated form a translator sees)."""
    return name.replace("_", " ").capitalize()


def label_for(param: Param) -> str:
    return declared(pretty_name(param.name))


def choice_label(choice: Any) -> str:
    return declared(str(choice).replace("_", " "))


def tooltip_for(param: Param) -> str:
    """Rich-text tooltip: the translated help, then range, unit and default."""
    tr = QCoreApplication.translate
    lines = [html.escape(declared(param.help), quote=False)]
    lo, hi = param.minimum, param.maximum
    if param.kind in (INT, FLOAT) and (lo is not None or hi is not None):
        low = format_number(lo)
        if lo is not None and hi is not None:
            text = tr("ParamEditor", "Range: {lo} to {hi}").format(lo=low, hi=format_number(hi))
            if param.exclusive_minimum:
                text += " " + tr("ParamEditor", "(above {lo})").format(lo=low)
        elif lo is not None:
            text = (tr("ParamEditor", "Greater than {lo}") if param.exclusive_minimum
                    else tr("ParamEditor", "At least {lo}")).format(lo=low)
        else:
            text = tr("ParamEditor", "At most {hi}").format(hi=format_number(hi))
        lines.append(text + (f" {param.unit}" if param.unit else ""))
    if param.default is None:
        lines.append(tr("ParamEditor", "Default: off"))
    elif param.kind in (INT, FLOAT):
        lines.append(tr("ParamEditor", "Default: {value}").format(value=format_number(param.default)))
    return "<p>" + "</p><p style='color:gray'>".join(lines) + "</p>"


def format_number(value: float | int | None) -> str:
    """Short display of a number: 0.03, 1e-05, 65,536."""
    if value is None:
        return ""
    if isinstance(value, int) or (float(value).is_integer() and abs(value) < 1e7):
        return f"{int(value):,}"
    return format(float(value), ".6g")


def grid_value(pos: int) -> float:
    """Half-decade grid: even positions are 10**k, odd ones 3 * 10**k."""
    return float(f"{1 if pos % 2 == 0 else 3}e{pos // 2}")


def grid_pos(value: float) -> int:
    """Nearest grid position to ``value`` (> 0)."""
    k = math.floor(math.log10(value) + 1e-12)
    mantissa = value / 10**k
    return 2 * k + (0 if mantissa < math.sqrt(3) else 1 if mantissa < math.sqrt(30) else 2)


def grid_neighbour(value: float, up: bool) -> float:
    """The next grid value above (or below) ``value``."""
    if value <= 0:
        return grid_value(-12) if up else value
    pos = grid_pos(value)
    g = grid_value(pos)
    if up:
        return grid_value(pos + 1) if g <= value * (1 + 1e-9) else g
    return grid_value(pos - 1) if g >= value * (1 - 1e-9) else g


class IntSpin(QSpinBox):
    """A whole-number spin box in which Space is ignored: a plain QSpinBox takes it as a half-typed
    number and blanks the box (Space typed elsewhere in the window is Start/Pause)."""

    def validate(self, text: str, pos: int) -> object:
        core = text.removeprefix(self.prefix()).removesuffix(self.suffix())
        if " " in core and self.locale().groupSeparator() != " ":  # (a locale's own separator stays)
            return QValidator.State.Invalid, text, pos
        return super().validate(text, pos)


class NumberSpin(QDoubleSpinBox):
    """A double spin box that shows 0.9 rather than 0.900000, accepts 1e-5, and (``log=True``) steps
    along 1, 3, 10, 30, ... Emits ``valueChanged`` when editing finishes, not on every keystroke."""

    def __init__(self, log: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log = log
        self.setDecimals(12 if log else 6)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return format(value, ".6g").replace(".", self.locale().decimalPoint())

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(self._plain(text))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        core = text.removeprefix(self.prefix()).removesuffix(self.suffix())
        if any(c.isspace() for c in core):  # a Space typed here is ignored, never a blank box
            return QValidator.State.Invalid, text, pos
        plain = self._plain(text)
        try:
            v = float(plain)
        except ValueError:
            ok = all(c in "0123456789.eE+-" for c in plain)
            return (QValidator.State.Intermediate if ok else QValidator.State.Invalid), text, pos
        if not math.isfinite(v):
            return QValidator.State.Invalid, text, pos
        inside = self.minimum() <= v <= self.maximum()
        return (QValidator.State.Acceptable if inside else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if not self._log:
            return super().stepBy(steps)
        v = self.value()
        for _ in range(abs(steps)):
            v = grid_neighbour(v, steps > 0)
        self.setValue(min(max(v, self.minimum()), self.maximum()))

    def _plain(self, text: str) -> str:
        text = text.strip()
        if self.suffix() and text.endswith(self.suffix().strip()):
            text = text[: -len(self.suffix().strip())]
        return text.replace(self.locale().decimalPoint(), ".").strip()


class LogControl(QWidget):
    """Slider over half decades between ``low`` and ``high`` plus a :class:`NumberSpin` (its range
    is ``minimum``..``maximum``, which may be wider than the slider's)."""

    valueChanged = Signal(float)  # noqa: N815 (Qt naming)

    def __init__(self, minimum: float, maximum: float, low: float, high: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = NumberSpin(log=True)
        self.spin.setRange(minimum, maximum)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(grid_pos(max(low, 1e-12)), grid_pos(max(high, low, 1e-12)))
        self.slider.setPageStep(2)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(2)
        self.slider.setMinimumWidth(60)
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("0.00003") + 36)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        self.spin.valueChanged.connect(self._spin_changed)
        self.slider.valueChanged.connect(lambda pos: self.spin.setValue(grid_value(pos)))

    def value(self) -> float:
        return float(self.spin.value())

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``valueChanged``."""
        self.blockSignals(True)
        try:
            self.spin.setValue(float(value))
            self._move_slider(self.spin.value())
        finally:
            self.blockSignals(False)

    def _spin_changed(self, value: float) -> None:
        self._move_slider(value)
        self.valueChanged.emit(float(value))

    def _move_slider(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(grid_pos(max(value, 1e-12)))
        self.slider.blockSignals(False)


def align_labels(root: QWidget) -> None:
    """Give every form label under ``root`` the same width, so stacked group boxes line up."""
    forms = [lay for lay in root.findChildren(QFormLayout)]
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    width = max((w.sizeHint().width() for w in labels), default=0)
    for w in labels:
        w.setMinimumWidth(width)


def set_tooltip(widget: QWidget, text: str) -> None:
    """Set a tooltip on a widget and all its children (an editor's parts show the same help)."""
    widget.setToolTip(text)
    for child in widget.findChildren(QWidget):
        child.setToolTip(text)
