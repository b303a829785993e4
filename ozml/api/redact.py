"""Keeping the API user's credentials out of everything shown to people (D5).

A server may echo the request back: the PBX's ParseError quotes it, a broken proxy puts the
path in its HTTP reason phrase, a debugging server copies it into a header. Whatever it echoes,
in whatever spelling, must not reach what is shown to people: a result's message, an error, a
trace or a log line. A result's data is left as the PBX sent it (a password of 200 is also the
result code, a password of 102 also an extension's number). A `Redactor`
knows one client's credentials and replaces each of them by ``***`` wherever it finds it:

* in every spelling a URL, XML or a Python repr gives it: the plain value; percent-encoded
  (``quote``, ``quote_plus``, with ``:/@`` left as they are or encoded), with upper- or
  lower-case hex digits, in any mix; a space as ``+``; XML character references (``&#x41;``,
  ``&#65;``) and the five predefined entities; ``\\xNN`` escapes as ``repr(bytes)`` shows
  them; non-ASCII characters also in Latin-1 (HTTP's header encoding), or left out (as httpx
  decodes a reason phrase);
* as the value of a ``Username=`` or ``Password=`` pair (of any length, encoded or not).

Values shorter than `MIN_SCRUBBED_LENGTH` are replaced only in such pairs: replacing every
"1" of a message because the password is "1" would garble it, and such a password protects
nothing.

The client (`ozml.api.client`) parses an answer as it came, then redacts what it shows: the
reason phrase, the result's message, the text of every error and trace (`Client.redact` does the
same for a program that shows a result's data); `LOG_FILTER` applies every live client's
redactor to each record of the httpx and httpcore loggers.

The spellings of a client's secrets make one expression, which google-re2 compiles in time
linear in the secrets and matches as an automaton, never backtracking
(`benchmarks/bench_redact.py` measures both). Python's ``re``, used before,
compiled about 0.6 s for each 1,000 characters of a secret (text and bytes), and tried at each
place every way the text splits into spellings: exponential where a spelling is made of others
(a backslash is also spelled as two), so a password of 40 backslashes and a text of 60 would
not have finished in years. Should google-re2 refuse the expression (past its memory budget,
`_budget`, which grows with the expression eight times past what its program needs), Python's
``re`` matches it, with the same matches and its old costs: a secret is never left unredacted.

For a given secret the time is linear in the text. It is not linear in the two lengths
together: a text that spells a long, self-overlapping part of a secret again and again (many
``a`` against a secret of many ``a``) keeps every place where a match could start alive at
once, and the time grows as the secret's length times the text's, with any automaton. No
exact matcher is known to do better for every secret: a space of a secret matches a ``+`` too,
and finding a pattern some of whose places match either of two characters is pattern matching
with wildcards, for which no linear algorithm is known (the known ones use the fast Fourier
transform, n log m).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

if TYPE_CHECKING:
    import re2

__all__ = ["LOG_FILTER", "MIN_SCRUBBED_LENGTH", "REDACTED", "Redactor", "install_log_filter"]

REDACTED: Final = "***"

#: Secrets shorter than this are only redacted as the value of a Username= or Password= pair.
MIN_SCRUBBED_LENGTH: Final = 3

T = TypeVar("T")

# ``Username=value`` / ``Password=value``, the ``=`` plain or percent-encoded, not inside a longer
# name (``XUsername=``); the value ends where a query, a quoted string or markup would end it.
_PAIR = re.compile(
    r"(?i)(?<![A-Za-z0-9_])(username|password)(=|%3d)([^&#\s\"'<>]*)"
)
_PAIR_BYTES = re.compile(_PAIR.pattern.encode("ascii"))

_ENTITIES: Final = {"&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos"}
_REPR_ESCAPES: Final = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hex(value: int, width: int = 2) -> str:
    """`value` in hexadecimal, matching either letter case: 0x2f → ``2[fF]``."""
    return "".join(
        f"[{digit}{digit.upper()}]" if digit.isalpha() else digit
        for digit in f"{value:0{width}x}"
    )


def _char(char: str) -> str:
    """A pattern for one character of a secret, in every spelling it may be echoed in."""
    encoded = char.encode("utf-8")
    spellings = [re.escape(char)]
    spellings.append("".join(f"%{_hex(b)}" for b in encoded))
    if char == " ":
        spellings.append(r"\+")
    if not char.isascii() or not char.isprintable():
        spellings.append("".join(rf"\\x{_hex(b)}" for b in encoded))
    if 0x80 <= ord(char) < 0x100:
        # Latin-1, as HTTP/1.1 allows in a reason phrase or header: percent-encoded, as
        # repr(bytes) shows it, and (in the bytes pattern) the raw byte.
        spellings += [f"%{_hex(ord(char))}", rf"\\x{_hex(ord(char))}", rf"\x{ord(char):02x}"]
    if char in _REPR_ESCAPES:
        spellings.append(re.escape(_REPR_ESCAPES[char]))
    if char in _ENTITIES:
        spellings.append(f"&{_ENTITIES[char]};")
    code = ord(char)
    spellings.append(rf"&\#(?:0*{code}|[xX]0*{_hex(code, 1)});")
    return f"(?:{'|'.join(spellings)})"


def _pattern(secrets: Iterable[str]) -> str | None:
    """One expression for every spelling of `secrets`, the longest secret first (and, among
    secrets of one length, in the order of their characters): where two could start at one
    place, the first that matches is replaced."""
    found = set()
    for secret in secrets:
        # httpx decodes reason phrases as ASCII, dropping every other character.
        found |= {secret, secret.encode("ascii", "ignore").decode("ascii")}
    kept = sorted((s for s in found if len(s) >= MIN_SCRUBBED_LENGTH), key=lambda s: (-len(s), s))
    if not kept:
        return None
    chars: dict[str, str] = {}  # each character's spellings, made once
    return "|".join(
        "".join(chars.get(c) or chars.setdefault(c, _char(c)) for c in secret)
        for secret in kept
    )


_REDACTED_BYTES: Final = REDACTED.encode()


def _budget(size: int) -> int:
    """google-re2's memory budget for an expression of `size` bytes. Its program takes about
    8 bytes of budget for each byte of the expression (for every kind of character a secret
    may hold: ASCII, Latin-1, wider); what the budget leaves is the cache of the automaton that
    matches, which holds the states one spelling of a secret of some thousands of characters
    passes through (a smaller cache made such a secret's matches several times slower). The
    cache grows only as matching needs it: a short secret's stays small."""
    return max(32 << 20, 64 * size)


def _compiled(pattern: str, *, latin1: bool) -> re2._Regexp:
    """`pattern` compiled by google-re2 (`re2.error` where it refuses it): over UTF-8, or
    with `latin1` one byte to a character (as `ozml.gitignore` reads paths)."""
    import re2

    from ozml.re2options import matcher_options

    encoded = pattern.encode("utf-8")
    return re2.compile(encoded, matcher_options(latin1=latin1, max_mem=_budget(len(encoded))))


def _replaced(data: bytes, spans: Iterable[tuple[int, int]]) -> bytes:
    pieces: list[bytes] = []
    end = 0
    for start, stop in spans:
        pieces += (data[end:start], _REDACTED_BYTES)
        end = stop
    if not pieces:
        return data
    pieces.append(data[end:])
    return b"".join(pieces)


def _text_engine(pattern: str) -> Callable[[str], str]:
    """What replaces the matches of `pattern` in text: google-re2, or where it refuses the
    expression Python's ``re``, which finds the same matches (both take the first
    alternative that matches, leftmost first) by backtracking.

    google-re2 matches the text's UTF-8 bytes (a lone surrogate, which an exception's
    message may hold, kept as ``surrogatepass`` writes it): every part of the expression is a
    whole character, so each match starts and ends between characters, and the bytes decode
    back to the text with each match replaced."""
    import re2

    try:
        regex = _compiled(pattern, latin1=False)
    except re2.error:
        return functools.partial(re.compile(pattern).sub, REDACTED)

    def replace(text: str) -> str:
        data = text.encode("utf-8", "surrogatepass")
        done = _replaced(data, (match.span() for match in regex.finditer(data)))
        return text if done is data else done.decode("utf-8", "surrogatepass")

    return replace


def _bytes_engine(pattern: str) -> Callable[[bytes], bytes]:
    """What replaces the matches of `pattern` in bytes, as `_text_engine` in text. The
    expression is read in UTF-8, one byte to a character: a literal non-ASCII character is
    its UTF-8 bytes, exactly what a UTF-8 answer holds, and ``\\xc4`` the one byte 0xC4, as
    Python's ``re`` reads a bytes pattern."""
    import re2

    try:
        regex = _compiled(pattern, latin1=True)
    except re2.error:
        return functools.partial(re.compile(pattern.encode("utf-8")).sub, _REDACTED_BYTES)

    def replace(data: bytes) -> bytes:
        return _replaced(data, (match.span() for match in regex.finditer(data)))

    return replace


def _pair(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{REDACTED}"


def _pair_bytes(match: re.Match[bytes]) -> bytes:
    return match.group(1) + match.group(2) + REDACTED.encode()


class Redactor:
    """Finds `secrets` (and Username=/Password= values) in text, bytes and parsed answers."""

    __slots__ = ("__weakref__", "_bytes", "_pattern", "_text")

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._pattern = _pattern(secrets)
        self._text = _text_engine(self._pattern) if self._pattern is not None else None
        #: Made at the first use: bytes are redacted only where an answer is not the API's XML.
        self._bytes: Callable[[bytes], bytes] | None = None

    def text(self, text: str) -> str:
        if self._text is not None:
            text = self._text(text)
        return _PAIR.sub(_pair, text)

    def data(self, data: bytes) -> bytes:
        if self._pattern is not None:
            if self._bytes is None:  # two threads may both make it: either is the same
                self._bytes = _bytes_engine(self._pattern)
            data = self._bytes(data)
        return _PAIR_BYTES.sub(_pair_bytes, data)

    def value(self, value: T) -> T:
        """`value` with every string in it redacted: str, bytes, tuples, lists, mappings and
        attrs instances (rebuilt, so frozen results stay frozen), to any depth."""
        return self._value(value)  # type: ignore[no-any-return]

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self.data(value)
        if isinstance(value, tuple | list):
            return type(value)(self._value(v) for v in value)
        if isinstance(value, Mapping):
            return {self._value(k): self._value(v) for k, v in value.items()}
        if attrs.has(type(value)):
            changes = {
                field.alias: self._value(getattr(value, field.name))
                for field in attrs.fields(type(value))
                if field.init
            }
            return type(value)(**changes)
        return value


_PLAIN = Redactor()


class _LogFilter(logging.Filter):
    """Redacts the records of httpx and httpcore with the credentials of every live client.

    A filter on a logger only sees records logged on that very logger, not those propagated
    from its children, so `install_log_filter` puts it on every logger of both hierarchies.
    """

    def __init__(self) -> None:
        super().__init__()
        self._redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()
        self._lock = threading.Lock()

    def add(self, redactor: Redactor) -> None:
        with self._lock:
            self._redactors.add(redactor)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's to report, not ours
            return True
        with self._lock:
            redactors = [*self._redactors, _PLAIN]
        redacted = message
        for redactor in redactors:
            redacted = redactor.text(redacted)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


LOG_FILTER: Final = _LogFilter()
_HIERARCHIES: Final = ("httpx", "httpcore")
_PREFIXES: Final = tuple(f"{name}." for name in _HIERARCHIES)


_installed = 0


def install_log_filter(redactor: Redactor | None = None) -> None:
    """Put `LOG_FILTER` on every httpx and httpcore logger that exists, and have it apply
    `redactor` from now on.

    Loggers are created when those packages are imported, and the client calls this again
    before every request, so that one created meanwhile is covered too; the loggers are looked
    through again only when their number has changed.
    """
    global _installed
    if redactor is not None:
        LOG_FILTER.add(redactor)
    manager = logging.Logger.manager
    if len(manager.loggerDict) == _installed:
        return
    with LOG_FILTER._lock:
        names = [
            name
            for name in list(manager.loggerDict)
            if name in _HIERARCHIES or name.startswith(_PREFIXES)
        ]
        for name in {*names, *_HIERARCHIES}:
            logger = logging.getLogger(name)
            if LOG_FILTER not in logger.filters:
                logger.addFilter(LOG_FILTER)
        _installed = len(manager.loggerDict)
