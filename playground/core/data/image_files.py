"""Images from outside the app: scikit-learn's bundled digits, an .npz file, a folder of pictures.

Each loader returns raw pixels as float32 (N, C, H, W) in [0, 1], integer labels and class names.
Bad files raise DatasetError naming the file and what is wrong; nothing is ever unpickled
(``np.load(allow_pickle=False)``), and Pillow's decompression-bomb guard stays on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.data.importers import DatasetError

MAX_NPZ_BYTES = 1024 * 1024 * 1024
MAX_IMAGES = 200_000
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def load_digits() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """scikit-learn's bundled 8x8 handwritten digits (1,797 images, values 0-16) scaled to [0, 1]."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    x = (bunch.images.astype(np.float32) / 16.0)[:, None]
    return x, bunch.target.astype(np.int64), [str(d) for d in range(10)]


def resolve(path_text: str, base_dir: Path | None) -> Path:
    path = Path(path_text).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


def load_npz(path: Path) -> tuple[np.ndarray, np.ndarray | None, list[str]]:
    """``x`` (N,H,W or N,C,H,W; uint8 0-255 or float) and optional ``y`` (and ``class_names``)."""
    name = path.name
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    if path.stat().st_size > MAX_NPZ_BYTES:
        raise DatasetError(f"{name}: larger than {MAX_NPZ_BYTES // 2**30} GB")
    try:
        with np.load(path, allow_pickle=False) as archive:
            keys = set(archive.files)
            if "x" not in keys:
                raise DatasetError(f"{name}: no array named 'x' (found: {', '.join(sorted(keys)) or 'none'}); "
                                   "save images as np.savez(path, x=images, y=labels)")
            x = archive["x"]
            y = archive["y"] if "y" in keys else None
            names = [str(s) for s in archive["class_names"]] if "class_names" in keys else None
    except DatasetError:
        raise
    except ValueError as exc:
        raise DatasetError(f"{name}: holds Python objects, which are never loaded (save plain arrays): {exc}") \
            from None
    except (OSError, EOFError) as exc:
        raise DatasetError(f"{name}: not a readable .npz file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends  # noqa: BLE001
        raise DatasetError(f"{name}: not a readable .npz file ({type(exc).__name__}: {exc})") from None
    x = _as_images(x, name)
    labels, class_names = (None, []) if y is None else _as_labels(y, len(x), name)
    if names is not None and labels is not None:
        if len(names) != len(class_names):
            raise DatasetError(f"{name}: class_names has {len(names)} entries for {len(class_names)} classes")
        class_names = names
    return x, labels, class_names


def load_folder(path: Path, size: int, color: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A folder with one sub-folder per class of PNG/JPEG images, resized to size x size."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_dir():
        raise DatasetError(f"{path}: no such folder")
    classes = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise DatasetError(f"{path}: needs one sub-folder per class (at least two), found {len(classes)}")
    images, labels = [], []
    mode = "L" if color == "gray" else "RGB"
    for index, folder in enumerate(classes):
        files = sorted(f for f in folder.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise DatasetError(f"{folder}: no images (.png, .jpg, ...) in this class folder")
        for file in files:
            try:
                with Image.open(file) as picture:
                    picture = picture.convert(mode).resize((size, size), Image.Resampling.BILINEAR)
                    images.append(np.asarray(picture, dtype=np.float32) / 255.0)
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
                raise DatasetError(f"{file}: not a readable image ({exc})") from None
            labels.append(index)
            if len(images) > MAX_IMAGES:
                raise DatasetError(f"{path}: more than {MAX_IMAGES:,} images")
    x = np.stack(images)
    x = x[:, None] if x.ndim == 3 else x.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x), np.asarray(labels, dtype=np.int64), [c.name for c in classes]


def _as_images(x: np.ndarray, name: str) -> np.ndarray:
    if x.ndim == 3:
        x = x[:, None]
    if x.ndim != 4:
        raise DatasetError(f"{name}: 'x' must have shape (N, H, W) or (N, C, H, W), got {x.shape}")
    n, c, h, w = x.shape
    if n < 2 or h < 2 or w < 2:
        raise DatasetError(f"{name}: 'x' {x.shape} holds too few or too small images")
    if c not in (1, 3) and x.shape[3] in (1, 3):
        raise DatasetError(f"{name}: 'x' looks channels-last {x.shape}; store it as (N, C, H, W)")
    if c > 16:
        raise DatasetError(f"{name}: 'x' has {c} channels; expected 1 (grey) or 3 (colour)")
    if x.dtype == np.uint8:
        return np.ascontiguousarray(x, dtype=np.float32) / 255.0
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise DatasetError(f"{name}: 'x' has dtype {x.dtype}; expected uint8 or float")
    x = np.ascontiguousarray(x, dtype=np.float32)
    if not np.isfinite(x).all():
        raise DatasetError(f"{name}: 'x' contains NaN or infinite values")
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > 1.0 or lo < 0.0 else x


def _as_labels(y: np.ndarray, n: int, name: str) -> tuple[np.ndarray, list[str]]:
    y = np.asarray(y).reshape(-1)
    if len(y) != n:
        raise DatasetError(f"{name}: 'y' has {len(y)} labels for {n} images")
    if y.dtype.kind in "iu":
        values = np.unique(y)
        return np.searchsorted(values, y).astype(np.int64), [str(v) for v in values]
    if y.dtype.kind in "US":
        values = np.unique(y)
        return np.searchsorted(values, y).astype(np.int64), [str(v) for v in values]
    if y.dtype.kind == "f" and np.isfinite(y).all() and np.all(y == np.round(y)):
        values = np.unique(y)
        return np.searchsorted(values, y).astype(np.int64), [str(int(v)) for v in values]
    raise DatasetError(f"{name}: 'y' must hold integer or text class labels, got dtype {y.dtype}")
