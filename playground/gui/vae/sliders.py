"""One slider per latent dimension; moving any of them emits the whole code (the view decodes it).

Values run from -3 to 3 (three standard deviations of the prior) in steps of 0.01. Each row shows
the dimension's KL, so the user sees which sliders matter; inactive dimensions (KL <= 0.01 nats)
are greyed. Setting the code from outside (a click on the map) moves the sliders without a storm of
signals: one ``code_changed`` at the end.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QSlider, QVBoxLayout, QWidget

RANGE = 3.0
TICKS_PER_UNIT = 100
MAX_SLIDERS = 64
ACTIVE_KL = 0.01


class LatentSliders(QWidget):
    code_changed = Signal(object)  # np.ndarray (latent_size,) float32

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sliders: list[QSlider] = []
        self._values: list[QLabel] = []
        self._names: list[QLabel] = []
        self._size = 0
        self._kl: list[float] | None = None
        self._quiet = False
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setVerticalSpacing(2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._inner)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll)

    def set_size(self, size: int) -> None:
        """Rebuild for a run with ``size`` latent dimensions (at most 64 get sliders; the rest stay 0)."""
        for widget in self._sliders + self._values + self._names:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._sliders, self._values, self._names = [], [], []
        self._size = size
        for dim in range(min(size, MAX_SLIDERS)):
            name = QLabel(self.tr("z{dim}").format(dim=dim), self._inner)
            slider = QSlider(Qt.Orientation.Horizontal, self._inner)
            slider.setObjectName(f"latentSlider{dim}")
            slider.setRange(int(-RANGE * TICKS_PER_UNIT), int(RANGE * TICKS_PER_UNIT))
            slider.setSingleStep(5)
            slider.setPageStep(50)
            slider.setToolTip(self.tr("Latent dimension {dim}: drag to change this value of the code and watch "
                                      "the decoded image").format(dim=dim))
            value = QLabel("0.00", self._inner)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("-3.00  KL 0.00") + 4)
            slider.valueChanged.connect(self._on_moved)
            self._grid.addWidget(name, dim, 0)
            self._grid.addWidget(slider, dim, 1)
            self._grid.addWidget(value, dim, 2)
            self._names.append(name)
            self._sliders.append(slider)
            self._values.append(value)
        self._kl = None
        self._refresh_labels()

    def code(self) -> np.ndarray:
        code = np.zeros(self._size, dtype=np.float32)
        for dim, slider in enumerate(self._sliders):
            code[dim] = slider.value() / TICKS_PER_UNIT
        return code

    def set_code(self, code) -> None:
        """Move every slider to ``code`` (clipped to the slider range), then emit once."""
        code = np.asarray(code, dtype=np.float32).reshape(-1)
        self._quiet = True
        try:
            for dim, slider in enumerate(self._sliders):
                slider.setValue(int(round(float(np.clip(code[dim], -RANGE, RANGE)) * TICKS_PER_UNIT)))
        finally:
            self._quiet = False
        self._refresh_labels()
        self.code_changed.emit(self.code())

    def set_kl(self, kl) -> None:
        self._kl = [float(v) for v in kl]
        self._refresh_labels()

    def slider(self, dim: int) -> QSlider:
        return self._sliders[dim]

    @Slot(int)
    def _on_moved(self, _value: int) -> None:
        if self._quiet:
            return
        self._refresh_labels()
        self.code_changed.emit(self.code())

    def _refresh_labels(self) -> None:
        for dim, (slider, label, name) in enumerate(zip(self._sliders, self._values, self._names, strict=True)):
            text = f"{slider.value() / TICKS_PER_UNIT:+.2f}"
            active = True
            if self._kl is not None and dim < len(self._kl):
                text += "  " + self.tr("KL {kl}").format(kl=f"{self._kl[dim]:.2f}")
                active = self._kl[dim] > ACTIVE_KL
            label.setText(text)
            style = "" if active else "color: palette(placeholder-text);"
            name.setStyleSheet(style)
            label.setStyleSheet(style)
            name.setToolTip("" if active else self.tr("Inactive: this dimension carries (almost) no information, "
                                                      "so moving it changes little."))
