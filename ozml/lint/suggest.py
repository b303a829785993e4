"""Did-you-mean: the closest known name to a misspelt one."""

from __future__ import annotations

import _thread
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import difflib

    from ozml.catalog import Command

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


#: For each candidate (lower-cased), what deletes its characters from a name: its UTF-8 bytes,
#: for `bytes.translate` of an ASCII name (a fifth of the cost), and the `str.translate` table
#: for any other. What is left of the name says how many of its characters the candidate has.
#: Candidates are catalog and configuration names: kept, at most this many.
_TABLES: dict[str, tuple[bytes, dict[int, None]]] = {}
_TABLES_KEPT = 4096


def _deleting(key: str) -> tuple[bytes, dict[int, None]]:
    return key.encode("utf-8", "surrogatepass"), dict.fromkeys(map(ord, key))


def _shared(word: str, ascii_word: bytes | None, deleting: tuple[bytes, dict[int, None]]) -> int:
    """How many characters of `word` (`ascii_word`: its bytes, when it is ASCII) are among
    those of the key that `deleting` deletes: an ASCII character is deleted by its byte, which
    only that character has in UTF-8."""
    if ascii_word is not None:
        return len(ascii_word) - len(ascii_word.translate(None, deleting[0]))
    return len(word) - len(word.translate(deleting[1]))


def _possible(word: str, key: str, floor: float) -> bool:
    """Whether difflib's ratio of `word` and `key` may be at least `floor`: false when one of
    two upper bounds on the characters they match is too small, at the cost of arithmetic and
    one `str.translate`. The bounds are the shorter length (difflib's ``real_quick_ratio``) and
    the number of characters of `word` that `key` has at all; the ratio is worked out as
    difflib works it out (``2.0 * matches / total``), so a bound below `floor` is a ratio below
    it. difflib's own ``quick_ratio`` (the characters in common, counted with repeats), a
    bound as tight as the second but some twenty times its cost, is asked only of what passes.
    """
    size, length = len(word), len(key)
    total = size + length
    if not total:
        return True  # two empty texts: a ratio of 1
    if 2.0 * (size if size < length else length) / total < floor:
        return False
    deleting = _TABLES.get(key)
    if deleting is None:
        deleting = _deleting(key)
        if len(_TABLES) < _TABLES_KEPT:
            _TABLES[key] = deleting
    shared = _shared(word, word.encode() if word.isascii() else None, deleting)
    return 2.0 * (shared if shared < length else length) / total >= floor


def _best(word: str, keys: Iterable[str], cutoff: float) -> str | None:
    """The first of ``difflib.get_close_matches(word, keys, cutoff=cutoff)``: the key with the
    highest ratio (of equal ratios, the greatest key) of those at or above `cutoff`.

    A candidate whose cheap upper bounds on the ratio (`_possible`, then difflib's
    ``quick_ratio``) are below the best ratio found so far cannot be the answer, so its exact
    ratio (the costly part) is not worked out; nor is the matcher made while none passes.
    """
    matcher: difflib.SequenceMatcher[str] | None = None
    best: tuple[float, str] | None = None
    floor = cutoff
    for key in keys:
        if not _possible(word, key, floor):
            continue
        if matcher is None:
            import difflib

            matcher = difflib.SequenceMatcher()
            matcher.set_seq2(word)
        matcher.set_seq1(key)
        if matcher.quick_ratio() < floor:
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
    found = _sure(name.lower(), pool, cutoff)
    return _remember(memo, None if found is None else pool[found])


def _sure(word: str, keys: Iterable[str], cutoff: float) -> str | None:
    """The key most like `word` (lower-cased) when its ratio is at least `cutoff` and every
    other key's is more than 0.1 below it; else None."""
    # A candidate whose cheap upper bound on the ratio is below cutoff - 0.1 can be neither the
    # answer nor within 0.1 of it; skipping it leaves the result unchanged and saves the costly
    # exact ratio for most of the catalog.
    floor = cutoff - 0.1 - 1e-9
    scored = []
    for key in keys:
        if not _possible(word, key, floor):
            continue
        matcher = _against(key)
        matcher.set_seq1(word)
        if matcher.quick_ratio() < floor:
            continue
        scored.append((matcher.ratio(), key))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return None
    return scored[0][1]


#: What one `Names` remembers: at most this many answers, for names of at most this length.
_NAMES_KEPT = 1024
_KEPT_LENGTH = 64


class Names:
    """`closest` and `unambiguous` against one fixed list of candidates (a command's
    parameters), for many names: the same answers, without making the question again for each
    name. The candidates are lower-cased once, and the answers for names of at most
    `_KEPT_LENGTH` characters are kept (at most `_NAMES_KEPT`), for a misspelling met again in
    element after element: a long name is no misspelling that comes back, and a process makes
    one of these for each command (the language server runs for hours)."""

    __slots__ = ("_answers", "_cutoff", "_keys", "_pool")

    def __init__(self, candidates: Iterable[str], cutoff: float = 0.7) -> None:
        self._pool = {c.lower(): c for c in candidates}
        self._cutoff = cutoff
        #: Each key with its length and what deletes its characters (`_possible`).
        self._keys = [(key, len(key), _deleting(key)) for key in self._pool]
        self._answers: dict[tuple[bool, str], str | None] = {}

    def closest(self, name: str) -> str | None:
        """`closest` (name, the candidates, the cutoff)."""
        return self._answer(False, name)

    def unambiguous(self, name: str) -> str | None:
        """`unambiguous` (name, the candidates, the cutoff)."""
        return self._answer(True, name)

    def _answer(self, sure: bool, name: str) -> str | None:
        answers = self._answers
        try:
            return answers[sure, name]
        except KeyError:
            pass
        pool = self._pool
        word = name.lower()
        # `_possible` of each key at the lower of the two searches' floors, written out: what
        # is left is searched (most unknown names leave nothing, and get no suggestion).
        floor = self._cutoff - 0.1 - 1e-9
        size = len(word)
        ascii_word = word.encode() if word.isascii() else None
        near = [
            key
            for key, length, deleting in self._keys
            if not (total := size + length)
            or (
                2.0 * (size if size < length else length) / total >= floor
                and 2.0 * min(_shared(word, ascii_word, deleting), length) / total >= floor
            )
        ]
        found = (_sure if sure else _best)(word, near, self._cutoff) if near else None
        answer = None if found is None else pool[found]
        if len(name) <= _KEPT_LENGTH:
            if len(answers) >= _NAMES_KEPT:
                answers.clear()
            answers[sure, name] = answer
        return answer


class ParameterNames:
    """The prepared did-you-mean names (`Names`) of one command's parameters, each made at
    its first asking: what unknown-attribute compares an unknown attribute with and what
    missing-parameter asks whether one is a misspelt parameter. Got by `parameter_names`."""

    __slots__ = ("_alone", "_command", "_every_name", "_names")

    def __init__(self, command: Command) -> None:
        self._command = command
        self._every_name: Names | None = None
        self._names: Names | None = None
        self._alone: dict[str, Names] = {}

    @property
    def every_name(self) -> Names:
        """Every name and alias of the command's OzML parameters (what a suggestion names)."""
        made = self._every_name
        if made is None:
            params = self._command.ozml_params
            made = self._every_name = Names(n for p in params for n in p.all_names)
        return made

    @property
    def names(self) -> Names:
        """The names alone of the command's OzML parameters (what a rename may give)."""
        made = self._names
        if made is None:
            made = self._names = Names(p.name for p in self._command.ozml_params)
        return made

    def alone(self, name: str) -> Names:
        """The command's parameter `name` as the only candidate (whether a name is it misspelt)."""
        made = self._alone.get(name)
        if made is None:
            made = self._alone[name] = Names([name])
        return made


#: id(command) -> its `ParameterNames`, which holds the command: an id is trusted only while
#: its command is the one asked about (an id may be reused once a command is gone, as when a
#: test makes commands of its own). Emptied when it reaches `_COMMANDS_KEPT`.
_COMMANDS: dict[int, ParameterNames] = {}
_COMMANDS_KEPT = 256


def parameter_names(command: Command) -> ParameterNames:
    """The prepared did-you-mean names of `command`'s parameters: made once per command, not
    per element or finding."""
    made = _COMMANDS.get(id(command))
    if made is None or made._command is not command:
        if len(_COMMANDS) >= _COMMANDS_KEPT:
            _COMMANDS.clear()
        made = _COMMANDS[id(command)] = ParameterNames(command)
    return made


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
