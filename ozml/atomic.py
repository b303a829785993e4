"""Replacing a file atomically: readers see the old content or the new, never a part of it.

The new content goes to a temporary file in the same folder (so that the final rename stays on
one file system), is flushed to disk, takes the permission bits of the file it replaces, and is
renamed over it with `os.replace`. If anything fails, the temporary file is removed and the
original is untouched. A symbolic link is followed: its target is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import tempfile


def _mode_for(target: str) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        # A new file gets what a plain open() would give it: 0o666 less the umask.
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically, keeping the permission bits of the file it replaces.

    Raises `OSError` (the original file unchanged) when the folder is not writable, the disk is
    full, and so on.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    fd, temp = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".ozml-tmp", dir=folder
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp creates the file private (0o600); give it the mode of the file it replaces.
            os.fchmod(handle.fileno(), _mode_for(target))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


__all__ = ["write_atomic"]
