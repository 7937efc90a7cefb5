"""A grid of equal items that wraps to as many columns as its width allows (the gallery's cards, the
Data panel's dataset tiles).

Qt has no wrapping layout; a QGridLayout whose column count follows the width does the job and
keeps Qt's own height-for-width handling, so a dock or scroll area grows by a row when the items
wrap. Hidden items (a search filter) leave no hole: only visible items are placed.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QLayout, QSizePolicy, QWidget


class WrapGrid(QWidget):
    """Items at least ``item_width`` px wide, ``spacing`` apart, from the left; with ``stretch`` they
    are widened to share the width equally (cards), without it they keep their size (tiles)."""

    def __init__(self, item_width: int, spacing: int = 8, stretch: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._item_width = item_width
        self._stretch = stretch
        self._items: list[QWidget] = []
        self._filtered_out: set[int] = set()  # ids of items a filter hides
        self._shown: list[QWidget] = []
        self._columns = 0
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(spacing)
        # the grid follows the width it is given; it must not demand the width of its current columns
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def add(self, item: QWidget) -> None:
        item.setParent(self)
        self._items.append(item)
        self.relayout()

    def set_item_width(self, width: int) -> None:
        if width != self._item_width:
            self._item_width = width
            self.relayout(force=True)

    def items(self) -> list[QWidget]:
        return list(self._items)

    def set_visible_items(self, visible: list[QWidget]) -> None:
        """Show exactly these items (in the grid's own order) and hide the others."""
        wanted = set(map(id, visible))
        self._filtered_out = {id(item) for item in self._items if id(item) not in wanted}
        for item in self._items:
            item.setVisible(id(item) in wanted)
        self.relayout(force=True)

    def visible_items(self) -> list[QWidget]:
        return [item for item in self._items if id(item) not in self._filtered_out]

    def columns(self) -> int:
        return max(self._columns, 1)

    def relayout(self, force: bool = False) -> None:
        """Place the visible items row by row, as many per row as the current width takes."""
        spacing = self._grid.horizontalSpacing()
        width = self.width() if self.testAttribute(Qt.WidgetAttribute.WA_Resized) or self.isVisible() \
            else self._item_width
        columns = max(1, (width + spacing) // (self._item_width + spacing))
        shown = self.visible_items()
        if self._stretch:  # items share the width equally, so grids of the same width line up
            cell = max(self._item_width, (width - spacing * (columns - 1)) // columns)
            for item in self._items:
                item.setFixedWidth(cell)
        if not force and columns == self._columns and shown == self._shown:
            return
        self._columns, self._shown = columns, shown
        for item in self._items:
            self._grid.removeWidget(item)
        for index, item in enumerate(shown):
            self._grid.addWidget(item, index // columns, index % columns,
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for column in range(max(self._grid.columnCount(), columns + 1)):
            self._grid.setColumnStretch(column, 1 if column == columns else 0)  # spare width: right of the items
        self.updateGeometry()  # a row more or less: the height hint changed

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self._item_width * min(3, max(len(self._shown), 1)), self._grid.sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self._item_width, self._grid.minimumSize().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.relayout()
