"""Reading a notification's form: the POST body the PBX sends, decoded within fixed bounds.

The PBX POSTs ``application/x-www-form-urlencoded`` (ozml-spec.md §5 [oz4201]): ``name=value``
pairs joined by ``&``, ``+`` for a space and ``%XX`` for any other byte, the text UTF-8 (the
vendor does not name the encoding; UTF-8 is what HTML forms and .NET send, and `encoding`
changes it). A notification is a few short fields, so anything past `MAX_BODY_BYTES` or
`MAX_FIELDS` is refused before it is decoded.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from urllib.parse import unquote, unquote_to_bytes

from ozml.limits import PAST, describe_size, unsigned, utf8_size

__all__ = [
    "FORM_TYPE",
    "MAX_BODY_BYTES",
    "MAX_FIELDS",
    "NotificationError",
    "NotificationTooLarge",
    "check_limits",
    "content_length",
    "decode_form",
    "form_pairs",
    "past_setting",
    "too_large",
    "went_away",
]

#: The largest body read as a notification: 1 MiB (a real one is well under 1 KiB).
MAX_BODY_BYTES: Final = 1 << 20
#: The most fields a notification may have (Django's default limit; the largest in
#: ozml.callmodel.KINDS has 7, plus whatever query parameters a Url carries).
MAX_FIELDS: Final = 1000
#: The media type the PBX posts notifications with.
FORM_TYPE: Final = "application/x-www-form-urlencoded"


class NotificationError(ValueError):
    """A request that is not a notification ozml can read; the message says why.

    `status` is the HTTP status to answer it with: 400 (not a form, no NotificationName), 413
    (too large) or 415 (another media type).
    """

    status: int = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status


class NotificationTooLarge(NotificationError):
    """A body or form past `MAX_BODY_BYTES` or `MAX_FIELDS` (HTTP 413)."""

    status = 413


def check_limits(max_bytes: int = MAX_BODY_BYTES, max_fields: int = MAX_FIELDS) -> None:
    """Refuse limits a caller cannot mean: TypeError for one that is not an int, ValueError for
    a negative one (a programming error, not a bad request: no NotificationError)."""
    for name, value in (("max_bytes", max_bytes), ("max_fields", max_fields)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} is a whole number, not {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{name} must be 0 or more, not {value}")


def too_large(size: int | None, limit: int) -> NotificationTooLarge:
    """The error for a body of `size` bytes (None: more than `limit`, still arriving)."""
    how = "larger than" if size is None else f"{describe_size(size)}, more than"
    return NotificationTooLarge(f"the notification is {how} the limit of {describe_size(limit)}")


def past_setting(setting: str, limit: int) -> NotificationTooLarge:
    """The error for a body past a framework's own limit (``Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE``, ``Flask's MAX_CONTENT_LENGTH``) of `limit` bytes."""
    return NotificationTooLarge(
        f"the notification is larger than {setting} ({describe_size(limit)})"
    )


def went_away() -> NotificationError:
    """The error for a body that ended before all of it came (the client went away)."""
    return NotificationError("the client went away before the whole notification came")


def content_length(header: str | int | None, max_bytes: int) -> int | None:
    """A Content-Length header as a number of bytes (None when there is none), refused when it
    is not a number or is past `max_bytes`: the body is then never read."""
    check_limits(max_bytes)
    if header is None or (isinstance(header, str) and not header.strip()):
        return None
    text = str(header).strip()
    length = unsigned(text)
    if length is None:
        raise NotificationError(f"the Content-Length {text[:40]!r} is not a number of bytes")
    if length > max_bytes:
        raise too_large(None if length >= PAST else length, max_bytes)
    return length


def _too_many(limit: int) -> NotificationTooLarge:
    return NotificationTooLarge(f"the notification has more than {limit:,} fields")


#: Python's text codecs that are no character set a form can be sent in: IDNA and Punycode are
#: for host names (and decode in time quadratic in the length), 'undefined' decodes nothing, the
#: escape codecs read Python's backslash escapes.
_NOT_CHARSETS: Final = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
)


def check_encoding(encoding: str) -> str:
    """The codec name of the character encoding `encoding` (a charset, e.g. ``ISO-8859-1``).

    NotificationError (415) when Python knows no such codec, or knows it as something other than
    a character set: a bytes-to-bytes or str-to-str codec (base64, hex, zlib, bz2, rot13, ...),
    or one of `_NOT_CHARSETS`.
    """
    shown = repr(encoding[:40]) + ("..." if len(encoding) > 40 else "")
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise NotificationError(f"unknown character encoding {shown}", 415) from None
    # CodecInfo marks the codecs str.encode and bytes.decode refuse (base64, rot13, ...).
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        raise NotificationError(f"{shown} is not a character encoding a form is sent in", 415)
    return info.name


def decode_form(
    body: bytes | str,
    *,
    encoding: str = "utf-8",
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of a urlencoded body, in order, repeats kept.

    `body` is the bytes received, or the same as text (its ``%XX`` escapes are then bytes of
    `encoding`, its other characters text as they are). Empty pieces (``a=1&&b=2``, a trailing
    ``&``) are skipped, as browsers do; a piece without ``=``, an empty name or escapes that are
    not `encoding` make it not a form (NotificationError). Time and memory are linear in the
    body's size.
    """
    check_limits(max_bytes, max_fields)
    if isinstance(body, str):
        try:
            size = len(body) if body.isascii() else len(body.encode("utf-8"))
        except UnicodeEncodeError:
            raise NotificationError("the notification is not text (lone surrogates)") from None
        pieces: Sequence[str | bytes] = body.split("&")
    elif isinstance(body, bytes):
        size = len(body)
        pieces = body.split(b"&")
    else:
        raise TypeError(f"a notification body is bytes or str, not {type(body).__name__}")
    if size > max_bytes:
        raise too_large(size, max_bytes)
    codec = check_encoding(encoding)
    pairs: list[tuple[str, str]] = []
    for number, piece in enumerate(pieces, 1):
        if not piece:
            continue
        if len(pairs) >= max_fields:
            raise _too_many(max_fields)
        raw = isinstance(piece, bytes)
        # Bytes as Latin-1: one character per byte, so '&', '=', '+' and '%' are found as such.
        text: str = piece.decode("latin-1") if isinstance(piece, bytes) else piece
        name, equals, value = text.partition("=")
        if not equals:
            shown = text[:40].encode("latin-1").decode("ascii", "replace") if raw else text[:40]
            raise NotificationError(
                f"the body is not a form: field {number} ({shown!r}) has no '='"
            )
        if not name:
            raise NotificationError(f"the body is not a form: field {number} has no name")
        pairs.append((_unquote(name, codec, number, raw), _unquote(value, codec, number, raw)))
    return pairs


def _unquote(text: str, codec: str, number: int, raw: bool) -> str:
    """One name or value: ``+`` is a space, ``%XX`` a byte of `codec`; when `raw`, `text` is
    the received bytes as Latin-1, and every byte of it is `codec` too."""
    try:
        if raw:
            return unquote_to_bytes(text.replace("+", " ").encode("latin-1")).decode(codec)
        return unquote(text.replace("+", " "), encoding=codec, errors="strict")
    except UnicodeError:  # a UnicodeDecodeError, or the plain UnicodeError of some codecs
        raise NotificationError(
            f"the body is not a form: field {number} is not {codec} text"
        ) from None


def form_pairs(
    form: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    max_bytes: int = MAX_BODY_BYTES,
    max_fields: int = MAX_FIELDS,
) -> list[tuple[str, str]]:
    """The pairs of an already decoded form (a mapping, or pairs), with the same bounds."""
    check_limits(max_bytes, max_fields)
    items = form.items() if isinstance(form, Mapping) else form
    pairs: list[tuple[str, str]] = []
    size = 0
    for item in items:
        if len(pairs) >= max_fields:
            raise _too_many(max_fields)
        name, value = item
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(
                "a form's names and values are str, not "
                f"{type(name).__name__} and {type(value).__name__}"
            )
        size += utf8_size(name) + utf8_size(value) + 2
        if size > max_bytes:
            raise too_large(size, max_bytes)
        pairs.append((name, value))
    return pairs
