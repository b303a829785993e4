"""Did-you-mean: the closest known name to a misspelt one."""

from __future__ import annotations

import _thread
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import difflib

# difflib is imported where it is used: the configuration module imports this one, and a run
# over clean files never needs a suggestion (cold start, DESIGN.md).


#: Answers of `closest` and `unambiguous` by (which, name, candidates, cutoff): both are pure,
#: and a run meets the same misspelling against the same catalog names in file after file (a
#: search costs a few hundred microseconds, a lookup one). Emptied when it reaches `_ANSWERS_KEPT`.
_ANSWERS: dict[tuple[str, str, tuple[str, ...], float], str | None] = {}
_ANSWERS_KEPT = 4096


def _key(
    which: str, name: str, candidates: Iterable[str], cutoff: float
) -> tuple[str, str, tuple[str, ...], float]:
    return (which, name, tuple(candidates), cutoff)


def _remember(key: tuple[str, str, tuple[str, ...], float], answer: str | None) -> str | None:
    if len(_ANSWERS) >= _ANSWERS_KEPT:
        _ANSWERS.clear()
    _ANSWERS[key] = answer
    return answer


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The candidate most like `name` (ignoring case), if any is close enough."""
    key = _key("closest", name, candidates, cutoff)
    if key in _ANSWERS:
        return _ANSWERS[key]
    pool = {c.lower(): c for c in key[2]}
    found = _best(name.lower(), pool, cutoff)
    return _remember(key, None if found is None else pool[found])


def _best(word: str, keys: Iterable[str], cutoff: float) -> str | None:
    """The first of ``difflib.get_close_matches(word, keys, cutoff=cutoff)``: the key with the
    highest ratio (of equal ratios, the greatest key) of those at or above `cutoff`.

    A candidate whose cheap upper bounds on the ratio are below the best ratio found so far
    cannot be the answer, so its exact ratio (the costly part) is not worked out.
    """
    import difflib

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    floor = cutoff
    for key in keys:
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and (best is None or (ratio, key) > best):
            best = (ratio, key)
            floor = max(cutoff, ratio)
    return None if best is None else best[1]


def unambiguous(name: str, candidates: Iterable[str], cutoff: float = 0.7) -> str | None:
    """The closest candidate only when no other candidate is about as close (safe to rename)."""
    memo = _key("unambiguous", name, candidates, cutoff)
    if memo in _ANSWERS:
        return _ANSWERS[memo]
    pool = {c.lower(): c for c in memo[2]}
    word = name.lower()
    # A candidate whose cheap upper bound on the ratio is below cutoff - 0.1 can be neither the
    # answer nor within 0.1 of it; skipping it leaves the result unchanged and saves the costly
    # exact ratio for most of the catalog.
    floor = cutoff - 0.1 - 1e-9
    scored = []
    for key in pool:
        matcher = _against(key)
        matcher.set_seq1(word)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        scored.append((matcher.ratio(), key))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < cutoff:
        return _remember(memo, None)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return _remember(memo, None)
    return _remember(memo, pool[scored[0][1]])


_LOCAL = _thread._local()  # threading.local itself; threading costs every start
#: Matchers kept per thread and candidate, at most this many (candidates are catalog names).
_MATCHERS_KEPT = 1024


def _against(key: str) -> difflib.SequenceMatcher[str]:
    """A matcher whose second sequence is `key`, kept for the next name: what the matcher works
    out about its second sequence (an index of its characters) is then made once per
    candidate, not once per candidate and name. Per thread, since `set_seq1` changes it."""
    import difflib

    kept: dict[str, difflib.SequenceMatcher[str]] | None = getattr(_LOCAL, "matchers", None)
    if kept is None:
        kept = _LOCAL.matchers = {}
    matcher = kept.get(key)
    if matcher is None:
        matcher = difflib.SequenceMatcher(None, "", key)
        if len(kept) < _MATCHERS_KEPT:
            kept[key] = matcher
    return matcher


class Budget:
    """How many candidate comparisons the did-you-mean searches of one document may still make.

    A search against names the document itself defines (its Vars and Arrays) costs one unit
    per candidate; with thousands of names and thousands of misspelt uses, unbounded searches
    would make the lint quadratic in the document (issue 9: linear in every dimension). The
    allowance grows with the document (`PER_ELEMENT` per element on top of `BASE`), so a document
    of any realistic size gets every suggestion it got before; past it, findings are still
    reported, without a suggestion.
    """

    BASE = 10_000
    PER_ELEMENT = 2

    def __init__(self, elements: int) -> None:
        self.left = self.BASE + self.PER_ELEMENT * elements

    def spend(self, units: int) -> bool:
        """Take `units` if that many are left."""
        if units > self.left:
            self.left = 0
            return False
        self.left -= units
        return True


class Pool:
    """`closest` against one fixed list of candidates, for many names.

    The candidates are lower-cased once instead of per search, each distinct name (ignoring
    case) is searched once, and every search is paid for from `budget`. Within the budget the
    answers are exactly `closest`'s.
    """

    def __init__(self, candidates: Iterable[str], budget: Budget, cutoff: float = 0.7) -> None:
        self._pool = {c.lower(): c for c in candidates}
        self._keys = list(self._pool)
        self._budget = budget
        self._cutoff = cutoff
        self._answers: dict[str, str | None] = {}

    def closest(self, name: str) -> str | None:
        key = name.lower()
        try:
            return self._answers[key]
        except KeyError:
            pass
        if not self._keys or not self._budget.spend(len(self._keys)):
            return None
        found = _best(key, self._keys, self._cutoff)
        answer = None if found is None else self._pool[found]
        self._answers[key] = answer
        return answer
