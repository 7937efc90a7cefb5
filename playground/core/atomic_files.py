"""Atomic file writes: every file the app writes goes to a temporary name next to it, then is renamed.

A failure while writing (a full disk, an exception in the writer, Ctrl+C) leaves any previous file
intact and no temporary file behind; readers never see half a file.

The written file gets the user's normal permissions, ``0o666 & ~umask`` (what ``open(path, "w")``
gives), not the 0600 of ``tempfile.mkstemp``. The temporary file is created with mode 0o666, so the
operating system applies the umask (or the folder's default ACL) itself; that mode is noted, and if
the writer changed it (safetensors' ``save_file`` recreates its file with 0600) the file is chmod-ed
back before the rename. So the umask is never read by setting it (``os.umask`` can only be read that
way, which races with other threads creating files).

``write_text_atomic`` and ``write_bytes_atomic`` write data the caller holds; ``atomic_path`` is for
writers that need a real file path (PIL's ``save``, safetensors' ``save_file``, ``torch.save``,
``torch.onnx.export``, ``numpy.savez``).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_BINARY", 0))


def _create_temporary(path: Path, suffix: str) -> Path:
    """A new, empty file next to ``path`` with mode 0o666 less the umask; hidden, with a random name."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{suffix}")
        try:
            os.close(os.open(tmp, _FLAGS, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"could not create a temporary file next to {path}")


def _finish(tmp: Path, mode: int) -> None:
    """Give the file back the mode it was created with and flush its data to disk before the rename, so a
    crash never leaves an empty file in its place."""
    if stat.S_IMODE(os.stat(tmp).st_mode) != mode:
        try:
            os.chmod(tmp, mode)
        except OSError:  # a file system without permission bits (FAT, some network shares): nothing to fix
            pass
    fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | os.PathLike, *, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path next to ``path`` for the caller to write; on success it replaces ``path``.

    If the block raises, the temporary file is removed and ``path`` is left as it was. ``suffix`` is the
    temporary file's extension, for writers that look at it. The folder is created if needed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _create_temporary(path, suffix)
    try:
        mode = stat.S_IMODE(os.stat(tmp).st_mode)  # 0o666 less the umask, as the operating system applied it
        yield tmp
        _finish(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (text mode, ``encoding``); returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)
