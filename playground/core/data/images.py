"""Image datasets: declarations, the built ImageData, normalisation and the train/test split.

Sources: scikit-learn's bundled digits, the app's own shapes (with their generating factors), an
.npz file and a folder of pictures. Nothing is downloaded. Augmentation is declared here and
applied per batch by the trainer (:func:`augment_batch`), so the stored images stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from playground.core.data import image_files, shape_images
from playground.core.data.dataset_type import DatasetType
from playground.core.data.importers import DatasetError
from playground.core.data.split_sizes import SplitSizes
from playground.core.params import BOOL, CHOICE, FEATURES, FLOAT, INT, TEXT, Param

NORMALIZE = Param("normalize", CHOICE, "unit", "How pixel values are scaled: unit keeps them in [0, 1], "
                  "standard shifts and scales them to mean 0 and spread 1 (measured on the training "
                  "images), none keeps the file's values.", choices=("unit", "standard", "none"))
SHIFT = Param("augment_shift", INT, 0, "Augmentation: move each training image by up to this many pixels "
              "in x and y at random, so the network learns that position does not matter.", minimum=0,
              maximum=8, unit="px")
FLIP = Param("augment_flip", BOOL, False, "Augmentation: mirror training images left-right at random "
             "(only where a mirrored image means the same thing).")
TRAIN_PERCENT = Param("train_percent", INT, 50, "Share of the images used for training; the rest test "
                      "whether the network works on images it never saw.", minimum=10, maximum=90, unit="%")
SEED = Param("seed", INT, None, "Random seed for this dataset; leave empty to use the preset's seed.",
             minimum=0, optional=True)
_TAIL = (TRAIN_PERCENT, NORMALIZE, SHIFT, FLIP, SEED)

IMAGE_DATASETS = [
    DatasetType("digits", "image", "Handwritten digits", "scikit-learn's bundled 8x8 images of handwritten "
                "digits 0-9 (1,797 of them), one class per digit.", _TAIL),
    DatasetType("shapes", "image", "Shapes", "Figures drawn by the app (square, circle, triangle, cross, "
                "ring) at random size, rotation and position; each image keeps the factors that made it.",
                (Param("samples", INT, 2000, "How many images to draw, training and test together.", minimum=20,
                       maximum=100_000),
                 Param("size", CHOICE, 16, "Width and height of each image in pixels.", choices=(16, 32)),
                 Param("shapes", FEATURES, ["square", "circle", "triangle", "cross"], "Which figures to draw; "
                       "each one is a class.", choices=shape_images.SHAPES),
                 Param("scale_min", FLOAT, 0.35, "Smallest figure, as a fraction of half the image.", minimum=0.1,
                       maximum=1.0),
                 Param("scale_max", FLOAT, 0.8, "Largest figure, as a fraction of half the image.", minimum=0.1,
                       maximum=1.0),
                 Param("rotation", FLOAT, 180.0, "Largest rotation either way, in degrees.", minimum=0,
                       maximum=180, unit="°"),
                 Param("position", FLOAT, 0.6, "How far from the centre a figure may sit: 0 always centred, "
                       "1 anywhere it fits.", minimum=0, maximum=1),
                 Param("noise", FLOAT, 0.0, "Percent pixel noise added to every image.", minimum=0, maximum=50,
                       unit="%"), *_TAIL)),
    DatasetType("npz", "image", "Images from an .npz file", "Your own images: an .npz file with an array x "
                "(N, H, W) or (N, C, H, W), uint8 or float, and labels y.",
                (Param("path", TEXT, "", "The .npz file; a relative path starts at the preset's folder."),
                 *_TAIL)),
    DatasetType("image-folder", "image", "Folder of images", "Your own pictures: a folder with one "
                "sub-folder per class, holding PNG or JPEG files.",
                (Param("path", TEXT, "", "The folder; a relative path starts at the preset's folder."),
                 Param("size", INT, 32, "Images are resized to size x size pixels.", minimum=4, maximum=128),
                 Param("color", CHOICE, "gray", "Keep colour (3 channels) or convert to grey (1).",
                       choices=("gray", "rgb")), *_TAIL)),
]


@dataclass
class ImageArrays(SplitSizes):
    """Images (N, C, H, W) float32 as stored, their labels, and how stored values map back to pixels."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: list[str]
    mean: float = 0.0  # display value = stored * std + mean
    std: float = 1.0

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.x_train.shape[1:])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def pixels(self, images: np.ndarray) -> np.ndarray:
        """Stored (or generated) values back to [0, 1] pixel values for views."""
        return np.clip(np.asarray(images) * self.std + self.mean, 0.0, 1.0)


@dataclass
class ImageData(ImageArrays):
    """Built image data for a classifier or a VAE: normalised arrays, labels, augmentation, factors."""

    augment_shift: int = 0
    augment_flip: bool = False
    factors_train: dict[str, np.ndarray] = field(default_factory=dict)
    factors_test: dict[str, np.ndarray] = field(default_factory=dict)
    kind: str = "classification"

    def for_display(self, images: np.ndarray) -> np.ndarray:
        """Stored images back to [0, 1] pixel values for views."""
        return self.pixels(images)


def image_shape(values: dict) -> tuple[tuple[int, int, int] | None, int | None]:
    """Input shape and class count known from the settings alone (None: only the file can tell)."""
    name = values["name"]
    if name == "digits":
        return (1, 8, 8), 10
    if name == "shapes":
        return (1, int(values["size"]), int(values["size"])), len(values["shapes"])
    if name == "image-folder":
        return (1 if values["color"] == "gray" else 3, values["size"], values["size"]), None
    return None, None


def make_image_dataset(values: dict, *, seed: int, base_dir: Path | None = None) -> ImageData:
    """Load or draw the images, split them with the seed and normalise them."""
    name = values["name"]
    rng = np.random.default_rng(seed if values.get("seed") is None else values["seed"])
    factors: dict[str, np.ndarray] = {}
    if name == "digits":
        x, y, class_names = image_files.load_digits()
    elif name == "shapes":
        if values["scale_min"] > values["scale_max"]:
            raise DatasetError("dataset.scale_min must not exceed dataset.scale_max")
        x, y, factors = shape_images.generate(values["samples"], int(values["size"]), list(values["shapes"]), rng,
                                        scale=(values["scale_min"], values["scale_max"]),
                                        rotation=values["rotation"], position=values["position"],
                                        noise=values["noise"] / 100.0)
        class_names = list(values["shapes"])
    elif name == "npz":
        x, y, class_names = image_files.load_npz(_required_path(values, base_dir))
        if y is None:
            raise DatasetError(f"{values['path']}: has no labels 'y'; classification needs one label per image")
    else:
        x, y, class_names = image_files.load_folder(_required_path(values, base_dir), values["size"],
                                                    values["color"])
    if len(class_names) < 2:
        raise DatasetError(f"dataset {name!r}: needs at least two classes, found {len(class_names)}")
    order = rng.permutation(len(x))
    n_train = min(max(1, round(len(x) * values["train_percent"] / 100)), len(x) - 1)
    train, test = order[:n_train], order[n_train:]
    mean, std = 0.0, 1.0
    if values["normalize"] == "standard":
        mean = float(x[train].mean())
        std = float(x[train].std()) or 1.0
    x = (x - mean) / std if values["normalize"] == "standard" else x
    return ImageData(
        name=name, x_train=_nchw(x[train]), y_train=y[train], x_test=_nchw(x[test]), y_test=y[test],
        class_names=class_names,
        mean=mean, std=std, augment_shift=values["augment_shift"], augment_flip=values["augment_flip"],
        factors_train={k: v[train] for k, v in factors.items()}, factors_test={k: v[test] for k, v in factors.items()},
    )


def _nchw(x: np.ndarray) -> np.ndarray:
    """A float32 copy of ``x`` in C order with the standard stride on every axis, size-1 axes included.

    NumPy lets a size-1 axis keep any stride (``images[:, None]`` gives the channel axis stride 0 and
    indexing then 1 element), and torch reads an (N, 1, H, W) array whose channel stride is 1 element as
    channels-last. Convolutions would then take oneDNN's channels-last kernels, one of which (the weight
    gradient of a strided 1x1 convolution with fewer than 8 input channels on AVX2 CPUs, oneDNN issue
    6035) writes past its buffer: wrong gradients, different results from run to run, or a crash. With
    standard strides every image tensor is plainly (N, C, H, W)-contiguous on every CPU."""
    out = np.empty(x.shape, dtype=np.float32)
    out[...] = x
    return out


def _required_path(values: dict, base_dir: Path | None) -> Path:
    if not str(values.get("path", "")).strip():
        raise DatasetError(f"dataset.path: required for the {values['name']!r} dataset")
    return image_files.resolve(values["path"], base_dir)


def augment_batch(x, shift: int, flip: bool, generator):
    """Random shifts (zero-padded) and left-right flips of a batch (torch tensors), seeded."""
    import torch

    if flip:
        mask = torch.rand(x.shape[0], generator=generator) < 0.5
        x = torch.where(mask.to(x.device)[:, None, None, None], x.flip(-1), x)
    if shift:
        n, _, h, w = x.shape
        padded = torch.nn.functional.pad(x, (shift, shift, shift, shift))
        offsets = torch.randint(0, 2 * shift + 1, (n, 2), generator=generator)
        out = torch.empty_like(x)
        for dy, dx in {tuple(o) for o in offsets.tolist()}:
            rows = ((offsets[:, 0] == dy) & (offsets[:, 1] == dx)).nonzero()[:, 0].to(x.device)
            out[rows] = padded[rows, :, dy:dy + h, dx:dx + w]
        x = out
    return x
