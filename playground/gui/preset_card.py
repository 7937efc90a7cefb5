"""One preset in the gallery: its picture, its name and its description, as one clickable card.

Painted by hand rather than built from labels, so that a long description wraps to a few lines and
ends in "…" instead of stretching the card, every card of a row is the same height, and a selected
card is clearly framed. The full description is the tooltip. Click selects, double-click or Enter
opens; the arrow keys are handled by the gallery, which knows where the neighbours are.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap, QTextLayout
from PySide6.QtWidgets import QSizePolicy, QWidget

THUMB = 96  # logical px
PAD = 8
MIN_WIDTH = 300
DESCRIPTION_LINES = 4
SELECTED = QColor(0, 114, 178)  # the house blue (mosaic highlight, loss plot's "Train")
SELECTED_FILL = QColor(232, 242, 250)
BORDER = QColor(208, 208, 208)
HOVER = QColor(140, 140, 140)
THUMB_FRAME = QColor(200, 200, 200)  # as the Data panel's preview frames its plot
PLACEHOLDER = QColor(240, 240, 240)


class PresetCard(QWidget):
    """Shows one catalogue entry; ``name`` is the bundled preset's name."""

    clicked = Signal(str)
    activated = Signal(str)  # double-click or Enter: open it
    navigate = Signal(str, int)  # (name, Qt.Key) for arrow keys

    def __init__(self, name: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.description = description
        self.setObjectName(f"presetCard_{name}")
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.setToolTip(f"<b>{html.escape(name)}</b><p>{html.escape(description)}</p>")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(MIN_WIDTH)
        self._pixmap: QPixmap | None = None
        self._selected = False
        self._title_font = QFont(self.font())
        self._title_font.setBold(True)
        self._title_font.setPointSizeF(self.font().pointSizeF() + 1)

    # ---- state ---------------------------------------------------------------------------------
    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap
        self.update()

    def has_picture(self) -> bool:
        return self._pixmap is not None and not self._pixmap.isNull()

    def set_selected(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    def is_selected(self) -> bool:
        return self._selected

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(MIN_WIDTH + 40, THUMB + 2 * PAD)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(MIN_WIDTH, THUMB + 2 * PAD)

    # ---- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        hovered = self.underMouse()
        border = SELECTED if self._selected else (HOVER if hovered else BORDER)
        painter.setPen(QPen(border, 2 if self._selected else 1))
        painter.setBrush(SELECTED_FILL if self._selected else palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(box, 6, 6)
        thumb = QRectF(PAD, PAD, THUMB, THUMB)
        if self.has_picture():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(thumb.toRect(), self._pixmap)
        else:
            painter.fillRect(thumb, PLACEHOLDER)
        painter.setPen(QPen(THUMB_FRAME, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(thumb.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self.hasFocus():
            painter.setPen(QPen(SELECTED, 1, Qt.PenStyle.DotLine))
            painter.drawRoundedRect(box.adjusted(3, 3, -3, -3), 4, 4)
        left = PAD + THUMB + PAD + 2
        width = max(10, self.width() - left - PAD)
        title = QFontMetrics(self._title_font)
        painter.setFont(self._title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(left, PAD + title.ascent(), title.elidedText(self.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(self.font())
        body = QFontMetrics(self.font())
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText).darker(125))
        y = PAD + title.height() + 4
        for line in wrapped_lines(self.description, self.font(), width, DESCRIPTION_LINES):
            painter.drawText(left, y + body.ascent(), line)
            y += body.lineSpacing()
        painter.end()

    # ---- input ---------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.clicked.emit(self.name)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.name)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self.name)
        elif key == Qt.Key.Key_Space:
            self.clicked.emit(self.name)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.navigate.emit(self.name, int(key))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.clicked.emit(self.name)  # keyboard focus selects, so Open acts on what is framed
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.update()


def wrapped_lines(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` px; the last of ``max_lines`` ends in "…" when
    the text goes on."""
    layout = QTextLayout(text, font)
    spans = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [text[start:start + length].rstrip() for start, length in spans[:max_lines]]
    if len(spans) > max_lines:
        rest = text[spans[max_lines - 1][0]:]
        lines[-1] = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return lines
