"""The URL-valued parameters of a document, and what is wrong with a URL.

The parameters themselves (`URL_PARAMS`) and what the PBX does with each are facts of
`ozml.project.links`, shared with the project rules and ``ozml graph``.

The PBX requests these URLs itself (CallConnected to Call's Url, DtmfEntered to UserInput's
ForwardToURL, GoTo's target, ...), and the vendor shows only absolute ``http://`` URLs: that a
relative one does not work is assumed (relative-url says so).
GoTo's value may also be an SQL query (SQL OzML); a value with spaces and no ``://`` is taken for
one and not checked. Values holding a ``$variable`` or a template placeholder are only known at
run time (D8) and are not checked either.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ozml import lazy
from ozml.catalog import Command, Context, Param, ParamMatch, values
from ozml.diagnostics import Diagnostic, Span
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.lint.templated import attribute_dynamic, literal_text, text_dynamic
from ozml.project.links import URL_PARAMS, attribute_url, url_values
from ozml.resolve import Resolved

_SCHEME = lazy.pattern(r"[A-Za-z][A-Za-z0-9+.-]*:")
_MISSING_COLON = lazy.pattern(r"(https?)//", re.I)
_SPACE = lazy.pattern(r"\s")
_HOST_PORT = lazy.pattern(r"[A-Za-z0-9.-]+:[0-9]+(?:[/?#]|$)")
#: A first path segment that looks like a host name: ``www.example.com/x`` lacks http://.
_HOST_LIKE = lazy.pattern(
    r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|net|org|io|[a-z]{2})(?:[:/?#]|$)"
)


class UrlValue:
    """One static URL in the document: where it is, which parameter, and its value."""

    __slots__ = ("attribute", "param", "rec", "value")

    def __init__(self, rec: Resolved, param: Param, value: str, attribute: str | None) -> None:
        self.rec = rec
        self.param = param
        self.value = value
        #: The attribute as written, or None when the value is the element text.
        self.attribute = attribute

    def span(self, ctx: LintContext) -> Span:
        element = self.rec
        if self.attribute is None:
            return ctx.source.text_span(element)
        return ctx.source.attribute_span(element, self.attribute, value=True)

    def judged(self, ctx: LintContext, found: Diagnostic) -> Diagnostic:
        """`found`, a finding about this URL, as far as its text is known: one about an
        element's text that is literal only by ozml's CDATA rule says so
        (`ozml.lint.templated.literal_text`)."""
        return found if self.attribute is not None else literal_text(ctx, self.rec, found)


def element_urls(ctx: LintContext, rec: Resolved) -> list[UrlValue]:
    """The static URL of one element's text, for `UrlRule.element` (none or one: an
    attribute's is `attribute_urls`'): not dynamic by the document's template syntaxes
    (`ozml.lint.templated.text_dynamic`).

    Values that invalid-value rejects (spaces in a URL) are left in: the rules skip them with
    `reported_elsewhere` only when they would report, since checking costs time on every URL.
    """
    return [
        UrlValue(rec, param, value, None)
        for param, value, written in url_values(rec)
        if written is None and not text_dynamic(ctx, rec, value)
    ]


def attribute_urls(
    ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
) -> list[UrlValue]:
    """The static URL the attribute of `rec` at `place` gives, standing for `pm.param`
    (`first`: the element's first attribute for it), for `UrlRule.attribute` (none
    or one): what `url_values` reads of it, without reading the element's other parameters;
    not dynamic by the document's template syntaxes (`ozml.lint.templated`)."""
    param = pm.param
    if not first or not is_url_param(param):
        return []  # not the element's first attribute for it, not requested; or not a URL
    name, written = rec.written[place]
    value = attribute_url(param, written)
    if value is None or attribute_dynamic(ctx, rec, place):
        return []
    return [UrlValue(rec, param, value, name)]


def has_urls(command: Command | None) -> bool:
    """Whether elements of `command` may hold URLs (asked once per command)."""
    return command is not None and command.name in URL_PARAMS


#: The URL parameters, by id(): the catalog's parameters live as long as the program.
_URL_PARAM_IDS = frozenset(id(param) for params in URL_PARAMS.values() for param in params)


def is_url_param(param: Param) -> bool:
    """Whether `param` is one of the URL parameters (`url_values` reads no other value)."""
    return id(param) in _URL_PARAM_IDS


def text_url(command: Command | None) -> bool:
    """Whether the text of an element of `command` may be one of its URLs (`url_values`)."""
    params = URL_PARAMS.get(command.name) if command is not None else None
    return params is not None and any(param.text for param in params)


def reported_elsewhere(url: UrlValue) -> bool:
    """Whether invalid-value already rejects the value (e.g. spaces in a URL). The value is
    static (`url_values`): what looks like a template part in it is text."""
    return values.check(url.param, url.value, ()) is not None


class UrlRule(Rule):
    """Base of the URL rules (malformed-url, relative-url): each judges the static URLs of an
    element (`element_urls`) and of its URL attributes, one at a time (`attribute_urls`), in
    its `judge`. What the linter's tables are told is the same for both: they look at the
    elements of the commands that have URL parameters (`has_urls`), read the text only where
    it may be a URL (`text_url`), and no attribute value but those of the URL parameters
    (`is_url_param`), which `attribute` judges."""

    per_element = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return has_urls(command)

    @classmethod
    def reads_text(cls, command: Command | None) -> bool:
        return text_url(command)

    @classmethod
    def reads_value(cls, param: Param) -> bool:
        return False  # the attributes are judged one at a time (`attribute`)

    @classmethod
    def reads_attribute(cls, param: Param) -> bool:
        return is_url_param(param)

    def attribute(
        self, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        return self.judge(ctx, attribute_urls(ctx, rec, place, pm, first))

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        return self.judge(ctx, element_urls(ctx, rec))

    def judge(self, ctx: LintContext, urls: list[UrlValue]) -> Iterator[Diagnostic]:
        """The findings about `urls`, the static URLs of one element or of one attribute."""
        raise NotImplementedError


#: A URL with nothing for `problem` to find: http or https, a host name of letters, digits, dots
#: and hyphens (no user, no brackets), a port from 1 to 65535 or none, and no white space. Most
#: URLs are such; they need no `urlsplit`.
_PLAIN_URL = lazy.pattern(
    r"(?i:https?)://[A-Za-z0-9.-]+"
    r"(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:[/?#]\S*)?"
)


@functools.lru_cache(maxsize=4096)
def problem(value: str) -> str | None:
    """What makes an absolute-looking URL unusable, or None (relative URLs are not judged)."""
    if _PLAIN_URL().fullmatch(value):
        return None
    return _parsed_problem(value)


def _parsed_problem(value: str) -> str | None:
    """`problem`, the long way: read the URL's parts (tests hold `_PLAIN_URL` to it)."""
    missing = _MISSING_COLON().match(value)
    if missing:
        return f"a ':' is missing after {missing.group(1)}"
    if _HOST_PORT().match(value):
        return "http:// is missing in front of the host name"
    if not _SCHEME().match(value):
        return None
    # Imported here: most URLs never come this far (`_PLAIN_URL`), and urllib.parse costs a
    # lint of one file milliseconds (cold start, docs/performance.md).
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError as error:
        return f"it cannot be read as a URL ({error})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return f"the PBX requests http:// and https:// URLs, not {parts.scheme}:"
    if not parts.hostname or not value[len(scheme) + 1 :].startswith("//"):
        return f"it has no host name after {scheme}://"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 and parts.netloc.rpartition("]")[2].count(":"):
        return "its port is not a number from 1 to 65535"
    if _SPACE().search(value):
        return "it contains white space (encode it as %20)"
    return None


def is_relative(value: str) -> bool:
    """A URL without a scheme: a path, a file name, or ``//host/path``."""
    return not (
        _SCHEME().match(value) or _MISSING_COLON().match(value) or _HOST_PORT().match(value)
    )


def absolute_guess(value: str) -> str | None:
    """``http://www.example.com/x`` for ``www.example.com/x`` or ``//www.example.com/x``."""
    rest = value[2:] if value.startswith("//") else value
    if value.startswith("//") or _HOST_LIKE().match(rest):
        return "http://" + rest
    return None


__all__ = [
    "URL_PARAMS",
    "UrlRule",
    "UrlValue",
    "absolute_guess",
    "attribute_urls",
    "element_urls",
    "has_urls",
    "is_relative",
    "problem",
    "reported_elsewhere",
]
