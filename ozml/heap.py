"""Giving the memory of a large lxml tree back to the system once the tree is freed.

lxml builds its trees with the C library's allocator. When a large tree is freed, that memory
stays with the process: the C allocator keeps it for later requests, but Python's own objects
come from separate pools and never reuse it. The quick check's validating parse of a 5 MB
document held about 56 MiB this way, which the linter's tree of the same document then added
to (docs/performance.md). A document read piece by piece (`ozml.xmlparser.read_through`) frees
each piece's nodes as it goes: after a validating read, which frees a buffer of about half the
document, glibc keeps that much free before it gives any back, so the reading gives it back
every megabyte. `give_back` asks the C library to return its free memory (glibc's
``malloc_trim``); with another C library it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked = False


def give_back() -> None:
    """Return the C allocator's free memory to the system, where the C library can (a few
    milliseconds after a large tree; not worth it after a small one)."""
    global _trim, _looked
    if not _looked:
        _looked = True
        try:
            import ctypes  # only for large documents: ctypes costs a few ms to import

            _trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _trim = None
    if _trim is not None:
        _trim(0)
