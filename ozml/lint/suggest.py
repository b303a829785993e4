"""Did-you-mean: the closest known name to a misspelt one."""

from __future__ import annotations

from collections.abc import Iterable

# difflib is imported where it is used: the configuration module imports this one, and a run
# over clean files never needs a suggestion (cold start, DESIGN.md).


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The candidate most like `name` (ignoring case), if any is close enough."""
    import difflib

    pool = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(name.lower(), list(pool), n=2, cutoff=cutoff)
    if not found:
        return None
    return pool[found[0]]


def unambiguous(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The closest candidate only when no other candidate is about as close (safe to rename)."""
    import difflib

    pool = {c.lower(): c for c in candidates}
    matcher = difflib.SequenceMatcher(None, name.lower())
    # A candidate whose cheap upper bound on the ratio is below cutoff - 0.1 can be neither the
    # answer nor within 0.1 of it; skipping it leaves the result unchanged and saves the costly
    # exact ratio for most of the catalog.
    floor = cutoff - 0.1 - 1e-9
    scored = []
    for key in pool:
        matcher.set_seq2(key)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        scored.append((matcher.ratio(), key))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return None
    return pool[scored[0][1]]
