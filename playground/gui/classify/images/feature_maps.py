"""Feature maps: what every convolution and pooling layer makes of one picked image.

The input image sits on the left; each layer gets a row with its name and its channels as small
tiles (each channel scaled to its own range on the worker, so the brightest part of a map is its
strongest response). Rows are reused while the layer names stay the same.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.gui.classify.images.mosaic import GREY_LUT, VIRIDIS_LUT, MosaicView, to_rgba

INPUT_WIDTH = 170  # px for the input column


class _LayerRow(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.mosaic = MosaicView(self, max_tile_px=64)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(self.label)
        box.addWidget(self.mosaic, 1)


class FeatureMapsView(QWidget):
    """One picked image and the activations of each convolution / pooling layer, one row per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("featureMapsView")
        self._names: list[str] = []
        self._rows: list[_LayerRow] = []

        self._input_title = QLabel(self.tr("<b>Input</b>"), self)
        self._input = MosaicView(self, max_tile_px=INPUT_WIDTH - 10)
        self._input.setFixedSize(INPUT_WIDTH, INPUT_WIDTH)
        self._caption = QLabel(self)
        self._caption.setObjectName("featureMapsCaption")
        self._caption.setWordWrap(True)
        self._caption.setFixedWidth(INPUT_WIDTH)
        hint = QLabel(self.tr("Click an image in Samples or Mistakes to pick another one.\n\n"
                              "Bright: the layer responds strongly there (each map scaled to its own range)."), self)
        hint.setWordWrap(True)
        hint.setFixedWidth(INPUT_WIDTH)
        hint.setStyleSheet("color: palette(placeholder-text);")
        left = QVBoxLayout()
        left.addWidget(self._input_title)
        left.addWidget(self._input)
        left.addWidget(self._caption)
        left.addSpacing(8)
        left.addWidget(hint)
        left.addStretch(1)

        self._note = QLabel(self)
        self._note.setObjectName("featureMapsNote")
        self._note.setWordWrap(True)
        self._note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._note.setStyleSheet("color: palette(placeholder-text);")
        self._layers = QGridLayout()
        self._layers.setVerticalSpacing(6)
        right = QVBoxLayout()
        right.addWidget(self._note)
        right.addLayout(self._layers, 1)

        box = QHBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 4)
        box.setSpacing(14)
        box.addLayout(left)
        box.addLayout(right, 1)
        self.clear()

    def clear(self) -> None:
        """No image picked yet (a new run)."""
        self.set_maps(None, None)
        self._note.setText(self.tr("Waiting for the network's feature maps…"))

    def set_maps(self, image: np.ndarray | None, maps: list[tuple[str, np.ndarray]] | None,
                 caption: str = "") -> None:
        """``image`` (H, W) or (H, W, 3) in [0, 1]; ``maps`` [(layer name, (C, h, w) in [0, 1])]."""
        self._input.set_tiles([] if image is None else [to_rgba(image, GREY_LUT)])
        self._caption.setText(caption)
        known = maps is not None
        maps = list(maps or [])
        names = [name for name, _ in maps]
        if names != self._names:
            self._rebuild(names)
        self._note.setVisible(not maps)
        if known and not maps:
            self._note.setText(self.tr("No convolution layer: this network sees the image as one flat row of "
                                       "numbers, so there are no feature maps. Add a Conv2d layer to get some."))
        for row, (name, channels) in zip(self._rows, maps, strict=True):
            channels = np.asarray(channels)
            row.label.setText(self.tr("<b>{name}</b> &nbsp; {c} channels of {h}×{w}").format(
                name=name, c=channels.shape[0], h=channels.shape[1], w=channels.shape[2]))
            row.mosaic.set_tiles([to_rgba(channel, VIRIDIS_LUT) for channel in channels])

    def layer_names(self) -> list[str]:
        return list(self._names)

    def channel_counts(self) -> list[int]:
        return [row.mosaic.tile_count() for row in self._rows]

    def caption_text(self) -> str:
        return self._caption.text()

    def has_input(self) -> bool:
        return self._input.tile_count() == 1

    def _rebuild(self, names: list[str]) -> None:
        for i, row in enumerate(self._rows):
            self._layers.removeWidget(row)
            self._layers.setRowStretch(i, 0)
            row.deleteLater()
        self._rows = []
        for i, _name in enumerate(names):
            row = _LayerRow(self)
            self._layers.addWidget(row, i, 0)
            self._layers.setRowStretch(i, 1)
            self._rows.append(row)
        self._names = names
