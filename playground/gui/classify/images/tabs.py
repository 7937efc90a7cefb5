"""The image-classification views as tabs: samples, confusion matrix, mistakes, filters, feature maps.

The tabs only draw arrays that arrive with the run's DataInfo and snapshots. Feature maps are asked
for (``feature_maps_requested``) and shown when they come back; the picked image is remembered here,
since the reply carries only the maps.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from playground.gui.classify.images.confusion import ConfusionMatrixView
from playground.gui.classify.images.feature_maps import FeatureMapsView
from playground.gui.classify.images.filters import FiltersView
from playground.gui.classify.images.gallery import ImageGallery

FIRST_PICK = ("train", 0)  # shown before the user picks: the first sample, whose picture the GUI has


def _page(parent: QWidget, text: str, widget: QWidget) -> QWidget:
    """A tab page: one line saying what the view shows, the view below."""
    page = QWidget(parent)
    label = QLabel(text, page)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    box = QVBoxLayout(page)
    box.setContentsMargins(8, 6, 8, 4)
    box.addWidget(label)
    box.addWidget(widget, 1)
    return page


class ImageTabs(QTabWidget):
    """Everything an image classifier shows instead of the 2-D decision boundary."""

    feature_maps_requested = Signal(str, int)  # split ("train" or "test"), index in that split

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageTabs")
        self.setDocumentMode(True)
        self._class_names: list[str] = []
        self._pick: tuple[str, int, object, str] | None = None  # split, index, image, caption
        self._pending: dict[QWidget, object] = {}  # view -> latest data not drawn yet (its tab is hidden)

        self.samples = ImageGallery(self)
        self.samples.setObjectName("sampleGallery")
        self.confusion = ConfusionMatrixView(self)
        self.mistakes = ImageGallery(self, break_before=" (")
        self.mistakes.setObjectName("mistakesGallery")
        self.mistakes.set_placeholder(self.tr("Waiting for the first evaluation…"))
        self.filters = FiltersView(self)
        self.feature_maps = FeatureMapsView(self)
        pick_hint = self.tr("Click an image to see its feature maps.")
        self.addTab(_page(self, self.tr("Training images with their labels. {hint}").format(hint=pick_hint),
                          self.samples), self.tr("Samples"))
        self.addTab(self.confusion, self.tr("Confusion matrix"))
        self._mistakes_page = _page(self, self.tr("Test images the network gets wrong, most confident first: "
                                                  "true class → predicted (confidence). {hint}").format(hint=pick_hint),
                                    self.mistakes)
        self.addTab(self._mistakes_page, self.tr("Mistakes"))
        self.addTab(self.filters, self.tr("Filters"))
        self.addTab(self.feature_maps, self.tr("Feature maps"))
        for gallery in (self.samples, self.mistakes):
            gallery.setToolTip(pick_hint)
        self.samples.image_clicked.connect(self._on_sample_clicked)
        self.mistakes.image_clicked.connect(self._on_mistake_clicked)
        self.currentChanged.connect(self._on_tab_changed)

    # ---- the interface the main window uses ------------------------------------------------------
    def set_data(self, info) -> None:
        """A new run (DataInfo): its samples and classes; empty result views; the first pick's maps."""
        self._class_names = list(info.class_names)
        self._pending.clear()
        self.samples.set_gallery(info.samples)
        self.confusion.set_classes(self._class_names)
        self.mistakes.set_gallery(None)
        self.mistakes.set_placeholder(self.tr("Waiting for the first evaluation…"))
        self.filters.clear()
        self.feature_maps.clear()
        self._pick = None
        self.pick(*FIRST_PICK, show=False)

    def show_snapshot(self, snap) -> None:
        """Feed the image views from a Snapshot; fields that are None were not computed this time.
        Only the visible tab is redrawn; the others get the latest data when they are shown."""
        if snap.confusion is not None:
            self._pending[self.confusion] = snap.confusion
            self._pending[self.filters] = snap.filters  # sent with every confusion matrix; None: no convolution
        if snap.mistakes is not None:
            self._pending[self.mistakes] = snap.mistakes
        if snap.confusion is None and snap.mistakes is None:
            return
        self._apply_pending()
        if self._pick is not None and self.currentWidget() is self.feature_maps:
            self.feature_maps_requested.emit(self._pick[0], self._pick[1])  # keep the maps live (≤ 1/s)

    @Slot(object)
    def show_feature_maps(self, payload) -> None:
        """(split, index, [(layer name, (C, h, w) maps)]) from the controller; stale replies are dropped."""
        split, index, maps = payload
        if self._pick is None or (split, index) != self._pick[:2]:
            return
        self.feature_maps.set_maps(self._pick[2], maps, self._pick[3])

    def pick(self, split: str, index: int, show: bool = True) -> None:
        """Ask for the feature maps of image ``index`` of ``split``; ``show`` turns to their tab."""
        gallery = self.samples if split == "train" else self.mistakes
        found = gallery.image_for(index)
        image, caption = found if found is not None else (None, "")
        if split == "train":
            text = self.tr("Training image {index}\nlabel: {caption}").format(index=index, caption=caption)
        else:
            text = self.tr("Test image {index}\nwhen picked: {caption}").format(index=index, caption=caption)
        self._pick = (split, index, image, text)
        self.samples.select(index if split == "train" else None)
        self.mistakes.select(index if split == "test" else None)
        if show:
            self.setCurrentWidget(self.feature_maps)
        self.feature_maps_requested.emit(split, index)

    def picked(self) -> tuple[str, int] | None:
        return None if self._pick is None else self._pick[:2]

    # ---- internals -------------------------------------------------------------------------------
    @Slot(int)
    def _on_sample_clicked(self, index: int) -> None:
        self.pick("train", index)

    @Slot(int)
    def _on_mistake_clicked(self, index: int) -> None:
        self.pick("test", index)

    def _apply_pending(self) -> None:
        view = self.currentWidget()
        view = self.mistakes if view is self._mistakes_page else view
        if view not in self._pending:
            return
        data = self._pending.pop(view)
        if view is self.confusion:
            self.confusion.set_matrix(data, self._class_names)
        elif view is self.filters:
            self.filters.set_filters(data)
        elif view is self.mistakes:
            self.mistakes.set_gallery(data)
            self.mistakes.set_placeholder(self.tr("No mistakes: every test image is classified right."))

    @Slot(int)
    def _on_tab_changed(self, _position: int) -> None:
        self._apply_pending()
        if self._pick is not None and self.currentWidget() is self.feature_maps:
            self.feature_maps_requested.emit(self._pick[0], self._pick[1])
