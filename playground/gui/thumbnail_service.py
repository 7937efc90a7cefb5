"""Thumbnails for the preset gallery, the Open dialog's preview and the Data panel's dataset tiles.

The core draws them (:mod:`playground.core.thumbnails`, :mod:`playground.core.preset_catalog`) as RGBA
arrays; building a preset's data can take a moment (the digits load scikit-learn), so that happens on
one background thread of a private QThreadPool, never on the GUI thread and never before a widget
asks (widgets ask once they have been painted). Finished pictures become QPixmaps on the GUI thread
and are kept in memory, so reopening the gallery is instant; preset pictures are also kept on disk
in the user's cache folder, keyed by the preset file's bytes, so the next launch does not rebuild
them. Nothing here imports torch.

One service serves the whole app (:func:`thumbnail_service`); widgets ask with :meth:`request` and
listen to ``ready(key)``. Qt disconnects a widget that is deleted, so a late picture is harmless.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, QThreadPool, Signal
from PySide6.QtGui import QImage, QPixmap

from playground.core.atomic_files import atomic_path

IDLE_THREAD_MS = 2000  # the worker thread ends this long after its last picture


class _Relay(QObject):
    """Carries a finished array from the worker thread to the GUI thread (a queued signal)."""

    done = Signal(str, object)


class ThumbnailService(QObject):
    """Computes pictures off the GUI thread, one at a time, and caches them as QPixmaps by key."""

    ready = Signal(str)  # the key whose picture (or failure) has arrived

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # two cores: one for training, one for the GUI; pictures queue up
        self._pool.setExpiryTimeout(IDLE_THREAD_MS)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._pixmaps: dict[str, QPixmap] = {}
        self._failed: set[str] = set()
        self._pending: set[str] = set()

    def pixmap(self, key: str) -> QPixmap | None:
        return self._pixmaps.get(key)

    def failed(self, key: str) -> bool:
        return key in self._failed

    def request(self, key: str, compute: Callable[[], np.ndarray]) -> QPixmap | None:
        """The cached picture for ``key``, or None after queueing ``compute`` (run on the worker
        thread; it returns (H, W, 4) uint8) once; ``ready(key)`` follows when it is done."""
        if key in self._pixmaps or key in self._failed or key in self._pending:
            return self._pixmaps.get(key)
        self._pending.add(key)
        relay = self._relay

        def job() -> None:
            try:
                array = compute()
            except Exception:  # a picture that cannot be drawn shows a placeholder, never an error
                array = None
            relay.done.emit(key, array)

        self._pool.start(job)
        return None

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued pictures are computed (tests, and nothing else, need this)."""
        return self._pool.waitForDone(msecs)

    def _on_done(self, key: str, array: object) -> None:
        self._pending.discard(key)
        if isinstance(array, np.ndarray) and array.ndim == 3 and array.shape[2] == 4 and array.size:
            self._pixmaps[key] = to_pixmap(array)
        else:
            self._failed.add(key)
        self.ready.emit(key)


def to_pixmap(rgba: np.ndarray) -> QPixmap:
    """(H, W, 4) uint8 -> QPixmap (the array is copied)."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    height, width = rgba.shape[:2]
    image = QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(image.copy())


_SERVICE: ThumbnailService | None = None


def thumbnail_service() -> ThumbnailService:
    """The app's one service (created on first use, owned by the QApplication)."""
    global _SERVICE
    if _SERVICE is None:
        _SERVICE = ThumbnailService(QCoreApplication.instance())
    return _SERVICE


# ---- what to draw ------------------------------------------------------------------------------
def request_preset(path: str | os.PathLike, px: int) -> tuple[str, QPixmap | None]:
    """(key, picture or None) for the preset file at ``path`` drawn ``px`` pixels square."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = f"preset:{path}:{stamp}:{px}"
    folder = cache_folder()
    return key, thumbnail_service().request(key, lambda: _preset_picture(path, px, folder))


def request_dataset(name: str, px: int) -> tuple[str, QPixmap | None]:
    """(key, picture or None) for a generated dataset with its default settings."""
    from playground.core.thumbnails import dataset_thumbnail

    key = f"dataset:{name}:{px}"
    return key, thumbnail_service().request(key, lambda: dataset_thumbnail(name, px))


def cache_folder() -> Path | None:
    """Where preset pictures are kept between launches (None: nowhere writable)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base) / "thumbnails" if base else None


def _preset_picture(path: Path, px: int, folder: Path | None) -> np.ndarray:
    """Worker thread: the cached picture if the same file was drawn before, else draw and keep it."""
    from playground.core.preset_catalog import preset_thumbnail
    from playground.core.presets import load_preset
    from playground.core.thumbnails import RENDER_VERSION

    digest = hashlib.sha1(path.read_bytes() + f"|{RENDER_VERSION}|{px}".encode()).hexdigest()
    cached = folder / f"{digest}.npy" if folder is not None else None
    if cached is not None and cached.is_file():
        try:
            array = np.load(cached, allow_pickle=False)
            if array.shape == (px, px, 4) and array.dtype == np.uint8:
                return array
        except (OSError, ValueError):
            pass  # a damaged cache file is drawn again
    array = preset_thumbnail(load_preset(path), px)
    if cached is not None:
        _save_quietly(cached, array)
    return array


def _save_quietly(path: Path, array: np.ndarray) -> None:
    """Atomically (a temporary file, then a rename); a cache that cannot be written is no error."""
    try:
        with atomic_path(path, suffix=".npy") as tmp:
            np.save(tmp, array, allow_pickle=False)
    except OSError:
        pass
