"""Every file ozml writes goes through here: replaced atomically, and only if it is safe to.

A file is replaced, never written into: the new content goes to a temporary file in the same
folder (so that the final rename stays on one file system), is flushed to disk, takes the
owner, group, extended attributes (an access control list, a security label) and permission
bits of the file it replaces, and is renamed over it with
`os.replace`. Readers see the old content or the new, never a part of it; if anything fails,
the temporary file is removed and the original is untouched.

What ozml refuses to replace (`RefusedWrite`, an `OSError` whose message is for users):

* anything but a regular file or a path that does not exist yet: a named pipe, a device
  (``/dev/null`` included), a socket or a folder is never replaced by a regular file;
* a symbolic link: links are never followed for a write. Callers that may write through a
  link (the user named it) resolve it first and pass the file it points to
  (`ozml.files.write_path`);
* a file with more than one hard link: replacing it would silently split it from its other
  names, and writing into it would not be atomic, so ozml does neither and says so;
* a file whose owner or group cannot be kept (a file of another user, when not running as
  root), or one of whose extended attributes cannot be set on the new file;
* a file the user may not write (read-only, ``chmod a-w``): a plain write would fail, so a
  replacement, which only needs the folder to be writable, is refused too (root may write
  any file, as with any other program);
* a file that no longer holds what ozml read from it (`write_atomic`'s `based_on`): a
  document saved by an editor while ozml formatted or fixed it keeps the newer content, and
  the run says so, rather than losing the edit to a rewrite of the older one.

`SafeFolder` is the same discipline for folders ozml makes for itself (the lint cache): opened
without following links, by descriptor, so a folder swapped for a link after it was checked
cannot redirect a write or a delete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator


class RefusedWrite(OSError):
    """A write ozml will not make; the message says why, for users."""


_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFREG: "a regular file",
}


def kind(mode: int) -> str:
    """What a file of this mode is, in words ("a named pipe", "a folder", ...)."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _umask_mode() -> int:
    """What a plain open() gives a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: Whether `os.access` can answer for the effective user (as a write would be made).
_EFFECTIVE = os.access in os.supports_effective_ids


def check_replaceable(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The status of the file that a write to `path` would replace (None for a new file).

    Raises `RefusedWrite` for anything ozml does not replace (see the module docstring).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise RefusedWrite(
            "is a symbolic link; ozml does not write through links it was not asked to follow"
        )
    if not stat.S_ISREG(mode):
        raise RefusedWrite(f"is {kind(mode)}, not a regular file; ozml only replaces regular files")
    if info.st_nlink > 1:
        raise RefusedWrite(
            f"has {info.st_nlink} hard links; ozml replaces files and would split this one from"
            " its other names, so it leaves it unchanged"
        )
    if not os.access(path, os.W_OK, effective_ids=_EFFECTIVE):
        raise RefusedWrite(
            f"is read-only (mode {stat.S_IMODE(mode):04o}); ozml leaves a file it may not write"
            " unchanged"
        )
    return info


def _keep_owner(fd: int, info: os.stat_result, path: str) -> None:
    """Give the new file the owner, group, extended attributes and permission bits of the one
    at `path` (of status `info`), which it replaces."""
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except PermissionError:
            raise RefusedWrite(
                f"belongs to user {info.st_uid}, group {info.st_gid}; ozml cannot keep its owner"
                " and group, so it leaves it unchanged"
            ) from None
    _keep_attributes(fd, path)
    # After the owner: changing the owner clears the set-user-ID and set-group-ID bits.
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


#: What `os.listxattr` raises where a file system (or the system) has no extended attributes.
_NO_ATTRIBUTES = frozenset(
    getattr(errno, name) for name in ("ENOTSUP", "EOPNOTSUPP", "ENOSYS") if hasattr(errno, name)
)


def _keep_attributes(fd: int, path: str) -> None:
    """Copy the extended attributes of the file at `path` to the new file: its access control
    list (``system.posix_acl_access``), its security label (``security.selinux``) and any
    ``user.`` attribute a program keeps on it.

    One that cannot be set, and that the new file does not already hold with the same value,
    is a `RefusedWrite`: the file would lose who may read it or how it is labelled. Where the
    system or the file system has no extended attributes, there is nothing to keep. Names a
    user may not read (``trusted.``, for anyone but root) are not listed to them, and stay
    with the file only when root writes it.
    """
    if not hasattr(os, "listxattr"):  # not Linux
        return
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError as error:
        if error.errno in _NO_ATTRIBUTES:
            return
        raise
    for name in names:
        try:
            value = os.getxattr(path, name, follow_symlinks=False)
        except OSError as error:
            if error.errno == errno.ENODATA:  # removed meanwhile
                continue
            raise
        try:
            os.setxattr(fd, name, value)
        except OSError as error:
            try:
                held = os.getxattr(fd, name) == value
            except OSError:
                held = False
            if not held:
                raise RefusedWrite(
                    f"has the extended attribute {name}, which ozml cannot keep"
                    f" ({error.strerror or error}); it leaves the file unchanged"
                ) from None


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    based_on: bytes | None = None,
    not_over: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Replace the regular file at `path` (or make a new one) with `data`, atomically.

    `based_on` is what the caller read from the file and made `data` from (a document it
    formats or fixes): when the file no longer holds exactly that just before it is replaced,
    it was changed meanwhile, and it is left as it is now.

    `not_over` are the files a run read (the documents a report is about): a report or a graph
    is never written over one of them (``ozml check a.xml -o a.xml`` replaced the document
    with its own report), whatever name or link leads to it.

    Raises `RefusedWrite` for what ozml must not replace and `OSError` (the original unchanged)
    when the folder is not writable, the disk is full, and so on.
    """
    target = os.path.abspath(path)
    info = check_replaceable(target)
    if info is not None:
        _refuse_an_input(info, not_over)
    folder = os.path.dirname(target)
    name = os.path.basename(target)
    # The temporary file's name adds 19 bytes to the file's: a name near the system's limit
    # (255 bytes) would make it too long, so such a name is not repeated in it.
    stem = name if len(os.fsencode(name)) <= _LONGEST_STEM else "ozml"
    temp = os.path.join(folder, f".{stem}.{secrets.token_hex(4)}.ozml-tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            # After the data: a write to a file drops its file capabilities, and as a user
            # other than root, its set-group-ID bit.
            if info is None:
                os.fchmod(handle.fileno(), _umask_mode())
            else:
                _keep_owner(handle.fileno(), info, target)
            os.fsync(handle.fileno())
        # The file may have been swapped (for a link, a pipe, another file) while this one was
        # written: check again just before the rename.
        again = check_replaceable(target)
        if info is not None and (again is None or _identity(again) != _identity(info)):
            raise RefusedWrite("changed while ozml was writing it; left as it is now")
        if based_on is not None and not _holds(target, based_on):
            raise RefusedWrite(
                "changed since ozml read it; left as it is now"
            )
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


#: The longest file name (in bytes) repeated in a temporary file's name.
_LONGEST_STEM = 200


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _refuse_an_input(info: os.stat_result, inputs: Iterable[str | os.PathLike[str]]) -> None:
    """`RefusedWrite` when the file of `info` is one of `inputs` (by device and inode, so that
    another name or a link to it is seen too)."""
    identity = _identity(info)
    for given in inputs:
        try:
            same = _identity(os.stat(given)) == identity
        except (OSError, ValueError):  # gone, or not a path the system takes
            continue
        if same:
            raise RefusedWrite(
                f"is {os.fspath(given)}, which this run read; ozml does not write over its"
                " input, so it leaves it unchanged"
            )


def _holds(target: str, expected: bytes) -> bool:
    """Whether the regular file at `target` holds exactly `expected` (read without following a
    link or waiting on a pipe; anything that cannot be read so does not)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(target, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        chunks: list[bytes] = []
        left = len(expected) + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks) == expected
    except OSError:
        return False
    finally:
        os.close(fd)


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


def open_append(path: str | os.PathLike[str]) -> int:
    """A descriptor to append to the log file at `path` (made when missing, mode 0o666 less the
    umask); `RefusedWrite` when it is a link or anything but a regular file.

    Logs are the one thing ozml writes into rather than replaces: each line is appended.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        check_replaceable(path)  # a link or a pipe is named as such rather than as ELOOP/ENXIO
        raise error from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise RefusedWrite(
            f"is {kind(info.st_mode)}, not a regular file; ozml writes logs to regular files only"
        )
    return fd


# --- folders ozml makes for itself ------------------------------------------------------------

_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_FILE_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_FILE_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)

#: Whether this platform can work relative to folder descriptors; without it (Windows) there is
#: no `SafeFolder`, and the cache is off.
SUPPORTED = (
    os.open in os.supports_dir_fd
    and os.mkdir in os.supports_dir_fd
    and os.unlink in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and os.rename in os.supports_dir_fd  # os.replace takes the same folder descriptors
    and os.link in os.supports_dir_fd
    and bool(getattr(os, "O_NOFOLLOW", 0))
    and shutil.rmtree.avoids_symlink_attacks
)


class SafeFolder:
    """A folder of the current user, opened by descriptor without following links.

    Names passed to the methods are single path components inside it. Every file and folder
    is opened relative to the descriptor with ``O_NOFOLLOW``: a link put in place of a name
    is refused (`RefusedWrite`), never followed.
    """

    __slots__ = ("fd", "path")

    def __init__(self, fd: int, path: str) -> None:
        self.fd = fd
        self.path = path

    @classmethod
    def open(
        cls,
        name: str,
        parent: SafeFolder | None = None,
        *,
        create: bool = False,
        mode: int = 0o777,
        owned: bool = True,
    ) -> SafeFolder:
        """The folder `name` (inside `parent`, else a path); made when `create` and missing.

        Raises `RefusedWrite` when it is a link, not a folder, or (with `owned`) not the
        current user's, and `OSError` when it cannot be opened or made. A path (no `parent`)
        may lead through links; a name inside a parent may not be one.
        """
        dir_fd = parent.fd if parent is not None else None
        path = os.path.join(parent.path, name) if parent is not None else name
        flags = _DIR_FLAGS if parent is not None else _DIR_FLAGS & ~getattr(os, "O_NOFOLLOW", 0)
        if create:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, mode, dir_fd=dir_fd)
        try:
            fd = os.open(name, flags, dir_fd=dir_fd)
        except OSError as error:
            refused = _refusal(name, dir_fd)
            if refused is not None:
                raise RefusedWrite(refused) from None
            raise error from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISDIR(info.st_mode):
                raise RefusedWrite(f"is {kind(info.st_mode)}, not a folder")
            if owned and hasattr(os, "geteuid") and info.st_uid != os.geteuid():
                raise RefusedWrite(f"belongs to user {info.st_uid}, not to the current user")
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, path)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> SafeFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, name: str, max_bytes: int) -> bytes | None:
        """The content of the regular file `name`, or None when it is missing, a link, not a
        regular file or larger than `max_bytes`."""
        try:
            fd = os.open(name, _FILE_READ_FLAGS, dir_fd=self.fd)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None
            chunks: list[bytes] = []
            total = 0
            while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    return None
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes, *, replace: bool = True, mode: int = 0o666) -> bool:
        """Write the file `name` atomically (a temporary file renamed over it).

        With `replace` False an existing name is left alone (and False returned). A link or
        anything but a regular file under `name` is never replaced (`RefusedWrite`).
        """
        existing = self.status(name)
        if existing is not None:
            if not replace:
                return False
            if not stat.S_ISREG(existing.st_mode):
                raise RefusedWrite(f"{os.path.join(self.path, name)} is {kind(existing.st_mode)}")
        temp = f".{name}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temp, _FILE_WRITE_FLAGS, mode, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if replace:
                os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            else:
                os.link(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
                os.unlink(temp, dir_fd=self.fd)
        except FileExistsError:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=self.fd)
            return False
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=self.fd)
            raise
        return True

    def entries(self) -> Iterator[tuple[str, os.stat_result]]:
        """The names in the folder with their status (links not followed)."""
        with os.scandir(self.fd) as scan:
            names = [entry.name for entry in scan]
        for name in names:
            info = self.status(name)
            if info is not None:
                yield name, info

    def remove_tree(self, name: str) -> None:
        """Delete the folder `name` and everything in it, never following a link."""
        shutil.rmtree(name, dir_fd=self.fd)

    def status(self, name: str) -> os.stat_result | None:
        """The status of `name` in the folder (a link as a link), or None when it is missing."""
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except OSError:
            return None


def _refusal(name: str, dir_fd: int | None) -> str | None:
    """Why `name` could not be opened as a folder, when the reason is its kind."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return None
    return f"is {kind(info.st_mode)}, not a folder"


__all__ = [
    "SUPPORTED",
    "RefusedWrite",
    "SafeFolder",
    "check_replaceable",
    "kind",
    "open_append",
    "write_atomic",
]
