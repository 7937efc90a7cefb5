"""The model summary: the core's :class:`~playground.core.shape_inference.Summary`, rendered as a table.

Per layer: output shape, parameters, trainable parameters and multiply-adds, with totals - the
same figures ``nn-playground validate`` prints, so the window and the terminal always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from playground.core.shape_inference import Summary

ERROR_TEXT = QColor("#b71c1c")


class SummaryTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("modelSummary")
        self.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Output shape"), self.tr("Parameters"),
                                        self.tr("Trainable"), self.tr("Mult-adds")])
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_summary(self, summary: Summary | None) -> None:
        self.setRowCount(0)
        if summary is None:
            return
        rows = summary.rows
        self.setRowCount(len(rows) + 2)
        self._row(0, [self.tr("Input"), _shape(summary.input_shape), "", "", ""])
        for r, row in enumerate(rows, start=1):
            label = "  " * row.depth + f"{row.position}  {row.type}"
            shape = row.shape_text if row.error is None else "✗ " + row.error
            self._row(r, [label, shape, f"{row.params:,}", f"{row.trainable:,}", f"{row.macs:,}"],
                      error=row.error is not None)
        self._row(len(rows) + 1, [self.tr("Total"), "", f"{summary.total_params:,}",
                                  f"{summary.trainable_params:,}", f"{summary.total_macs:,}"], bold=True)

    def _row(self, r: int, values: list[str], error: bool = False, bold: bool = False) -> None:
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if error:
                item.setForeground(QBrush(ERROR_TEXT))
                item.setToolTip(value)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.setItem(r, c, item)

    def total_params_text(self) -> str:
        return self.item(self.rowCount() - 1, 2).text() if self.rowCount() else ""


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
