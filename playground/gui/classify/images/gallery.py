"""A clickable grid of images with captions: dataset samples, misclassified test images, previews."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from playground.gui.classify.images.mosaic import GREY_LUT, MosaicView, to_rgba


class ImageGallery(QWidget):
    """Shows an ``image_probes.Gallery``; clicking an image emits its index in the dataset split."""

    image_clicked = Signal(int)  # the gallery's ``indices[i]``

    def __init__(self, parent: QWidget | None = None, max_tile_px: int = 96, captions: bool = True,
                 break_before: str | None = None) -> None:
        """``break_before``: start a caption's second line at its last occurrence of this text (e.g. " ("
        puts "(97%)" under "cross → triangle"), so long captions do not force wide cells."""
        super().__init__(parent)
        self._show_captions = captions
        self._break_before = break_before
        self._indices: list[int] = []
        self._images: list[np.ndarray] = []
        self._captions: list[str] = []
        self._selected: int | None = None
        self._mosaic = MosaicView(self, max_tile_px=max_tile_px)
        self._mosaic.tile_clicked.connect(self._on_tile_clicked)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._mosaic)

    def set_gallery(self, gallery, limit: int | None = None) -> None:
        """Images ((H, W) grey or (H, W, 3) colour, in [0, 1]) with captions; None empties the grid."""
        if gallery is None:
            images, captions, indices = [], [], []
        else:
            images, captions, indices = gallery.images[:limit], gallery.captions[:limit], gallery.indices[:limit]
        self._images = [np.asarray(image) for image in images]
        self._captions = [str(c) for c in captions]
        self._indices = [int(i) for i in indices]
        shown = [self._two_lines(c) for c in self._captions] if self._show_captions else None
        self._mosaic.set_tiles([to_rgba(image, GREY_LUT) for image in self._images], shown)
        self.select(self._selected)

    def set_placeholder(self, text: str) -> None:
        """What the empty grid says (e.g. "No mistakes")."""
        self._mosaic.set_placeholder(text)

    def select(self, index: int | None) -> None:
        """Frame the image with dataset index ``index`` while it is shown (None: no frame)."""
        self._selected = index
        position = self._indices.index(index) if index in self._indices else None
        self._mosaic.set_highlight(position)

    # ---- read-only helpers -------------------------------------------------------------------------
    def count(self) -> int:
        return len(self._indices)

    def indices(self) -> list[int]:
        return list(self._indices)

    def captions(self) -> list[str]:
        return list(self._captions)

    def image_for(self, index: int) -> tuple[np.ndarray, str] | None:
        """(image, caption) of the shown image with dataset index ``index``, if shown."""
        if index not in self._indices:
            return None
        position = self._indices.index(index)
        return self._images[position], self._captions[position]

    def mosaic_view(self) -> MosaicView:
        return self._mosaic

    def _two_lines(self, caption: str) -> str:
        cut = caption.rfind(self._break_before) if self._break_before else -1
        return caption if cut <= 0 else caption[:cut] + "\n" + caption[cut:].lstrip()

    @Slot(int)
    def _on_tile_clicked(self, position: int) -> None:
        self.image_clicked.emit(self._indices[position])
