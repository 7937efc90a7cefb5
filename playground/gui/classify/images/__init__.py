"""Views of image classifiers: sample and mistake galleries, the confusion matrix, the first layer's
filters and feature maps, gathered in :class:`ImageTabs`.

They draw NumPy arrays computed on the worker thread (``core/image_probes.py``) and never touch the
model, so this package imports no torch.
"""

from __future__ import annotations

from playground.gui.classify.images.confusion import ConfusionMatrixView
from playground.gui.classify.images.feature_maps import FeatureMapsView
from playground.gui.classify.images.filters import FiltersView
from playground.gui.classify.images.gallery import ImageGallery
from playground.gui.classify.images.tabs import ImageTabs

PREVIEW_IMAGES = 16  # how many samples the Data panel shows in place of the 2-D scatter
PREVIEW_HEIGHT = 168  # px at most, as the 2-D preview; less when the Data panel is crowded


def preview_gallery(parent=None) -> ImageGallery:
    """The Data panel's small grid of training images (no captions), for image datasets."""
    gallery = ImageGallery(parent, max_tile_px=48, captions=False)
    gallery.setObjectName("previewGallery")
    gallery.setToolTip(gallery.tr("Some training images of the dataset"))
    gallery.setMinimumHeight(72)
    gallery.setMaximumHeight(PREVIEW_HEIGHT)
    return gallery


__all__ = ["ConfusionMatrixView", "FeatureMapsView", "FiltersView", "ImageGallery", "ImageTabs",
           "PREVIEW_IMAGES", "preview_gallery"]
