"""Crash-safe small-file writes for the files that live beside the database."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

# Owner-only: the files are encrypted, but who works here and how often they mistype is
# nobody else's business on a shared laptop.
FILE_MODE = 0o600
DIR_MODE = 0o700


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open directories; NTFS journals the rename itself.
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    The temporary file sits in the same folder so `os.replace` is a rename on one file system.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def make_private_dir(directory: Path) -> None:
    directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        directory.chmod(DIR_MODE)


def zero(buffer: bytearray | None) -> None:
    """Overwrite a key buffer in place (slice assignment of equal length does not reallocate)."""
    if buffer is not None:
        buffer[:] = bytes(len(buffer))
