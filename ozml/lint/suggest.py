"""Did-you-mean: the closest known name to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The candidate most like `name` (ignoring case), if any is close enough."""
    pool = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(name.lower(), list(pool), n=2, cutoff=cutoff)
    if not found:
        return None
    return pool[found[0]]


def unambiguous(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The closest candidate only when no other candidate is about as close (safe to rename)."""
    pool = {c.lower(): c for c in candidates}
    scored = sorted(
        ((difflib.SequenceMatcher(None, name.lower(), key).ratio(), key) for key in pool),
        reverse=True,
    )
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return None
    return pool[scored[0][1]]
