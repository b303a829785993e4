"""Checking a parameter value against its catalog type.

`check` returns None for a good value, or a short phrase saying what was expected, written for
messages such as ``Play Repeat must be true or false, found 'yes'``. Values holding a variable or a
server-side template placeholder are dynamic (D8): their final text is unknown, so they pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping

from ozml import lazy, xmlspace
from ozml import syntaxes as _syntaxes
from ozml.catalog.model import Basis, Param, ValueType, assumed
from ozml.limits import PAST as PAST
from ozml.limits import unsigned

#: An OzML variable use: ``$name``, with its ``.property`` parts. This and `TEMPLATE` are
#: compiled when first used (`__getattr__`): most documents hold neither.
VARIABLE: re.Pattern[str]
_VARIABLE = lazy.pattern(r"\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


def variable_key(name: str) -> str:
    """What makes two variable names the same name: their letters, in either case (``$Name``
    reads the Var ``name``). Whether the PBX compares names so is UNKNOWN (spec §1 leaves
    the case of names open; the vendor's examples mix it): this is the assumption, and the
    one definition the linter (`ozml.lint.variables`) and the dry run
    (`ozml.interpreter.context.Variables`) both use, so that a script the linter passes is
    not run otherwise."""
    return name.lower()


def dtmf_key(keys: str) -> str:
    """What makes two DTMF key strings the same keys: the same characters, with the keys A to D
    in either case (``key="a"`` is the key ``A``). Whether the PBX compares an Input's key or a
    BackKey with the keys pressed so is UNKNOWN (spec §7.32 names the keys, not their case):
    this is the assumption, and the one definition the linter (duplicate-input-key,
    invalid-input-key) and the dry run's menus both use. Only XML's white space around the
    keys is layout (`ozml.xmlspace.strip`), as for every value: ``"&#160;1"`` is not the key
    ``1``."""
    return xmlspace.strip(keys).upper()


#: Server-side template parts of every syntax (`ozml.syntaxes.SYNTAXES`), as one regular
#: expression (the XML Schema's dynamic patterns mirror it: `ozml.generate.xsd`).
#: `template_spans` finds the parts this finds, in linear time (searching with it directly
#: takes time quadratic in the number of openers without a closer, ``{{{{{{...``, since each one
#: is searched to the end of the value), but for where PHP code ends: past a ``?>`` in one of
#: its strings or comments, where this ends it. Whether a value holds a part, all the schema
#: asks, is the same.
TEMPLATE: re.Pattern[str]
_TEMPLATE = lazy.pattern(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<\?(?:php|PHP|=).*?\?>|\$\{[^}]*\}|<%.*?%>", re.S
)
_LAZY = {"VARIABLE": _VARIABLE, "TEMPLATE": _TEMPLATE}


def __getattr__(name: str) -> re.Pattern[str]:
    """`VARIABLE` and `TEMPLATE`, compiled on first use and then kept as the module's own."""
    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = found()
    return compiled


def delimited_spans(
    text: str, opener: re.Pattern[str], closers: Mapping[str, str], *, php: bool = False
) -> Iterator[tuple[int, int]]:
    """The (start, end) of each ``OPEN.*?CLOSE`` section in `text`, left to right, without
    overlaps: what ``re.finditer`` gives for a pattern of such alternatives (DOTALL), where at
    most one opener can start at any offset. `opener` finds the openers, `closers` maps each
    to its closer. With `php`, a section that closes with ``?>`` is PHP code, which ends
    where PHP ends it, past a ``?>`` in a string or a comment (`ozml.templates.php_ends`, as
    the parser reads a part).

    The regular expression searches for the closer from every opener that has none, to the
    end of the text each time; here each closer's next occurrence is remembered, so the text
    is read a bounded number of times whatever it holds.
    """
    # Closer -> (searched from, first occurrence at or after that, or -1 for none).
    ahead: dict[str, tuple[int, int]] = {}
    code_end: Callable[[int], int] | None = None
    pos = 0
    while True:
        found = opener.search(text, pos)
        if found is None:
            return
        close = closers[found.group()]
        begin = found.end()
        known = ahead.get(close)
        if known is not None and known[0] <= begin and (known[1] < 0 or known[1] >= begin):
            at = known[1]
        else:
            at = text.find(close, begin)
            ahead[close] = (begin, at)
        if at < 0:
            pos = found.start() + 1  # no placeholder starts here; one may start further on
            continue
        if php and close == "?>":
            if code_end is None:
                from ozml.templates import php_ends  # loaded for a value with PHP code only

                code_end = php_ends(text)
            ends = code_end(begin)
            if ends >= 0:
                at = ends
        end = at + len(close)
        yield found.start(), end
        pos = end


#: The template syntaxes a value is read with when nothing says otherwise: all of them.
ALL_SYNTAXES: frozenset[str] = _syntaxes.DEFAULT

#: (opener pattern, closer of each opener) for each set of syntaxes asked about.
_DELIMITERS: dict[frozenset[str], tuple[re.Pattern[str] | None, dict[str, str]]] = {}


def _delimiters(syntaxes: Collection[str]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    key = syntaxes if isinstance(syntaxes, frozenset) else frozenset(syntaxes)
    found = _DELIMITERS.get(key)
    if found is None:
        closers: dict[str, str] = {}
        for item in key:
            for name in _syntaxes.ALIASES.get(item, (item,)):
                syntax = _syntaxes.SYNTAXES.get(name)
                if syntax is None:
                    continue  # not a syntax: `ozml.templates.names` refuses it where it is read
                for opener, closer in syntax.delimiters:
                    closers[opener] = closer
                if name == "php":
                    closers["<?PHP"] = "?>"
        pattern = None
        if closers:
            alternatives = sorted(closers, key=len, reverse=True)
            pattern = re.compile("|".join(re.escape(o) for o in alternatives))
        found = (pattern, closers)
        if len(_DELIMITERS) < 64:
            _DELIMITERS[key] = found
    return found


def template_spans(
    value: str, syntaxes: Collection[str] = ALL_SYNTAXES
) -> Iterator[tuple[int, int]]:
    """Where each server-side template part of `value` is, for the template syntaxes
    `syntaxes` (names of `ozml.syntaxes.SYNTAXES`; by default all, as ``TEMPLATE.finditer``
    finds them): a part of a syntax not in `syntaxes` is literal text."""
    if "{" not in value and "<" not in value:
        return iter(())
    pattern, closers = _delimiters(syntaxes)
    if pattern is None:
        return iter(())
    return delimited_spans(value, pattern, closers, php=True)


def is_dynamic(value: str, syntaxes: Collection[str] = ALL_SYNTAXES) -> bool:
    """Whether the value's final text is only known at run time: it holds an OzML
    ``$variable``, or a server-side template part of one of `syntaxes` (docs/templates.md).

    The one answer to "is this value dynamic?": a rule passes the syntaxes the document is
    read with (``ctx.settings.templates``; `ozml.positions.Source.templates` records those a
    parse used), so that with ``templates = []`` a ``{{ x }}`` is literal text, checked and
    reported like any other text.
    """
    return ("$" in value and _VARIABLE().search(value) is not None) or (
        next(template_spans(value, syntaxes), None) is not None
    )


_INTEGER = re.compile(r"[+-]?[0-9]+")
_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?")
#: The patterns of the other types: compiled when a value of the type is first checked (a run
#: that checks none, the quick check's clean file, compiles none; `ozml.lazy`).
_PHONE = lazy.pattern(r"\+?[0-9*#]+|[A-Za-z0-9._+-]+@[A-Za-z0-9._-]+")
_DESTINATION = lazy.pattern(r"\+?[0-9*#]+|[A-Za-z0-9._+-]+(@[A-Za-z0-9._-]+)?")
_CALL_ID = lazy.pattern(r"[A-Za-z0-9_.:-]+")
_DTMF_KEYS = lazy.pattern(r"[0-9*#A-Da-d]+")
_DTMF_KEY = lazy.pattern(r"[0-9*#A-Da-d]")
_LANGUAGE = lazy.pattern(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_EMAIL = lazy.pattern(r"[^@\s]+@[^@\s]+")
_IDENTIFIER = lazy.pattern(r"[A-Za-z_][A-Za-z0-9_]*")
_DATETIME = lazy.pattern(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?"
)
_URL = lazy.pattern(r"[^\s<>\"]+")


def _match(
    pattern: re.Pattern[str] | Callable[[], re.Pattern[str]], expected: str
) -> Callable[[Param, str], str | None]:
    """A type's check: None when `pattern` (or the pattern it gives when first asked)
    matches the whole value, else `expected`."""
    if isinstance(pattern, re.Pattern):
        compiled = pattern

        def check(param: Param, value: str) -> str | None:
            return None if compiled.fullmatch(value) else expected

        return check
    lazily = pattern

    def check_lazily(param: Param, value: str) -> str | None:
        return None if lazily().fullmatch(value) else expected

    return check_lazily


def whole_number(text: str) -> int | None:
    """`text` as a whole number (ASCII digits, an optional sign: what the linter accepts for
    an integer parameter), or None when it is not one.

    A number of more than `ozml.limits.PAST_DIGITS` digits is given as `PAST` (or -`PAST`),
    as `ozml.limits.unsigned` reads digits: every bound ozml compares a number with is far
    below it."""
    if not _INTEGER.fullmatch(text):
        return None
    number = unsigned(text.lstrip("+-"))
    assert number is not None  # digits, as the pattern says
    return -number if text.startswith("-") else number


def seconds(text: str) -> float | None:
    """`text` as a number of seconds, as the linter accepts one (digits, an optional
    fraction), or None when it is not one; ``math.inf`` when it is past float's range (more
    than 308 digits: valid all the same)."""
    if not _SECONDS.fullmatch(text):
        return None
    return float(text)  # never raises on digits: past the range, inf


def written(value: str | int | bool) -> str:
    """A Python value as OzML and the HTTP API write it: ``true`` or ``false``, a whole number
    in decimal, of any length (str() refuses more than 4,300 digits), text as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() >= 10_000:  # about 3,000 digits
        import decimal  # only for such a number

        return format(decimal.Decimal(value), "f")
    return str(value)


def _integer(param: Param, value: str) -> str | None:
    number = whole_number(value)
    if number is None:
        return "a whole number"
    return _beyond(param, number) or _digits(param, value)


def _beyond(param: Param, number: int) -> str | None:
    """What was expected of a whole number outside `param`'s bounds, else None."""
    if param.minimum is not None and number < param.minimum:
        return f"a whole number of at least {param.minimum}"
    if param.maximum is not None and number > param.maximum:
        return f"a whole number of at most {param.maximum}"
    return None


def _digits(param: Param, value: str) -> str | None:
    """What was expected of a whole number `value` without `param`'s count of digits, else
    None."""
    digits = len(value.lstrip("+-"))
    exact = param.min_digits is not None and param.min_digits == param.max_digits
    if exact and (digits != param.min_digits or value[:1] in "+-"):
        return f"a number of exactly {param.min_digits} digits"
    if param.min_digits is not None and digits < param.min_digits:
        return f"a number of at least {param.min_digits} digits"
    if param.max_digits is not None and digits > param.max_digits:
        return f"a number of at most {param.max_digits} digits"
    return None


def _choice(param: Param, value: str) -> str | None:
    if value in param.values:
        return None
    return " or ".join(", ".join(param.values).rsplit(", ", 1))


def _boolean(param: Param, value: str) -> str | None:
    return None if value in ("true", "false") else "true or false"


def _any(param: Param, value: str) -> str | None:
    return None


def _non_empty(param: Param, value: str) -> str | None:
    return None if not xmlspace.is_blank(value) else "a non-empty value"


_CHECKS: dict[ValueType, Callable[[Param, str], str | None]] = {
    ValueType.STRING: _any,
    ValueType.OZML: _any,
    ValueType.SQL: _non_empty,
    ValueType.URL_OR_SQL: _non_empty,
    ValueType.PATH: _non_empty,
    ValueType.INTEGER: _integer,
    ValueType.SECONDS: _match(_SECONDS, "a number of seconds such as 5 or 1.5"),
    ValueType.BOOLEAN: _boolean,
    ValueType.URL: _match(_URL, "a URL without spaces"),
    ValueType.PHONE: _match(_PHONE, "a phone number or extension such as 102 or +3620555"),
    ValueType.DESTINATION: _match(_DESTINATION, "an extension number or outside-line name"),
    ValueType.CALL_ID: _match(_CALL_ID, "a call ID such as Nt3uh"),
    ValueType.PARTY: _choice,
    ValueType.TRANSFEROR: _choice,
    ValueType.ENUM: _choice,
    ValueType.DTMF_KEYS: _match(_DTMF_KEYS, "DTMF keys (0-9, *, #, A-D)"),
    ValueType.DTMF_KEY: _match(_DTMF_KEY, "one DTMF key (0-9, *, #, A-D)"),
    ValueType.LANGUAGE: _match(_LANGUAGE, "a language code such as en-US"),
    ValueType.EMAIL: _match(_EMAIL, "an e-mail address"),
    ValueType.IDENTIFIER: _match(_IDENTIFIER, "a name of letters, digits and _"),
    ValueType.DATETIME: _match(_DATETIME, "a date such as 2013-01-17 13:32:12"),
}

#: Types that take any value, an empty one too.
_EMPTY_ALLOWED = frozenset({ValueType.STRING, ValueType.OZML})


def takes_empty(param: Param) -> bool:
    """Whether `param` takes an empty value: its type does, or the vendor states what an empty
    one means (`Param.empty`: an empty ErrorUrl asks for no error notification)."""
    return param.type in _EMPTY_ALLOWED or param.empty_means is not None


#: Whether the PBX reads a white-space character other than XML's (U+00A0 NO-BREAK SPACE, U+2003,
#: U+3000, ...) as layout around a text, or as no value: the vendor never says. ozml reads it as
#: XML does, as content (`ozml.xmlspace`); a finding that only this reading makes (one that would
#: go if such spaces were trimmed, as .NET's String.Trim does) rests on this assumed fact.
OTHER_SPACE = assumed(
    "§1",
    "oz4254",
    why="the vendor does not say how the PBX reads white space other than XML's (space, tab,"
    " line ends), such as U+00A0 NO-BREAK SPACE, around a text or as a whole value; that it is"
    " content, as in XML, is assumed",
)

#: Whether the PBX reads XML's own white space (space, tab, line ends) around a value as part of
#: it: the vendor never says. ozml reads it as layout, around an attribute's value as around an
#: element's text (D7, `ozml.xmlspace`): ``Timeout=" 5 "`` is a Timeout of 5 to the dry run, the
#: simulator and the graph. A value that suits only without it (a PBX that keeps it would refuse
#: the value) is a finding that rests on this assumed fact: a warning.
SPACE_AROUND = assumed(
    "§1",
    "oz4254",
    why="the vendor does not say whether the PBX reads XML's white space (space, tab, line ends)"
    " around a value as part of it or, as ozml does, as layout",
)


def check(param: Param, value: str, syntaxes: Collection[str] = ALL_SYNTAXES) -> str | None:
    """None when `value` suits `param`, else what was expected (e.g. ``'true or false'``).
    A dynamic value (`is_dynamic` for the template syntaxes `syntaxes`) suits any parameter.
    A value of XML white space alone is empty; any other character is content (`ozml.xmlspace`:
    ``'\u00a0'`` is no empty value, and no whole number)."""
    if xmlspace.is_blank(value):
        return None if takes_empty(param) else "a non-empty value"
    if is_dynamic(value, syntaxes):
        return None
    return _CHECKS[param.type](param, value)


def grounds(
    param: Param, value: str, syntaxes: Collection[str] = ALL_SYNTAXES, *, text: bool = False
) -> Basis:
    """Why `check` refuses `value`, an attribute's value as written or, with `text`, an
    element's text as ozml reads it (without the XML white space around it: D7), which it
    refuses. The one answer the linter (invalid-value), the HTTP API's checks and the builder
    share.

    `SPACE_AROUND` when XML's white space around the value makes the difference (``' 5 '`` for
    a Timeout: without it the value suits, in some letter case); `OTHER_SPACE` when white space
    of another kind does (``'\u00a05'`` for a Delay: were it trimmed, the value would suit; a
    text of it alone would be none); else as `_basis` says of the value trimmed so where that
    rests on an assumed fact (``'\u00a0-1'``: a negative number of seconds), of the value
    itself if not. So a finding is an error only where every reading refuses the value for a
    fact the vendor states."""
    bare = xmlspace.strip(value)
    if bare != value and bare and _suits(param, bare, syntaxes):
        return SPACE_AROUND
    trimmed = xmlspace.trimmed(bare)
    if trimmed != bare:
        if (text and not trimmed) or (trimmed and _suits(param, trimmed, syntaxes)):
            return OTHER_SPACE
        if trimmed:
            basis = _basis(param, trimmed)
            if not basis.stated:
                return basis
    return _basis(param, bare)


def _suits(param: Param, value: str, syntaxes: Collection[str]) -> bool:
    """Whether `value` suits `param`, in some letter case (non-canonical-case's style finding)."""
    return check(param, value, syntaxes) is None or case_fix(param, value) is not None


def _basis(param: Param, value: str) -> Basis:
    """Why `check` refuses `value`, a value with no white space of any kind around it (or of
    white space alone): `Param.empty_refused` for an empty value where that is set;
    `Param.bounded` when the value is a number `param` takes but for its bounds (a whole number
    beyond `minimum` or `maximum`, a negative number of seconds), which the vendor never states;
    `OTHER_SPACE` when the value is white space other than XML's alone (``'\u00a0'``) and
    `param` takes an empty value; else `Param.typed`, the basis of the type. The XML Schema
    leaves out the bounds whose `Param.bounded` is assumed, and takes what `OTHER_SPACE` and
    `SPACE_AROUND` alone refuse."""
    if takes_empty(param) and not xmlspace.trimmed(value):
        return OTHER_SPACE  # empty, were its U+00A0 (say) trimmed: a value it may be
    if param.empty_refused is not None and not xmlspace.trimmed(value):
        # Empty (refused on its own basis), or so were its U+00A0 (say) trimmed.
        return param.empty_refused if xmlspace.is_blank(value) else OTHER_SPACE
    if param.type is ValueType.INTEGER and (param.minimum, param.maximum) != (None, None):
        number = whole_number(value)
        if number is not None and _beyond(param, number) and not _digits(param, value):
            return param.bounded
    elif param.type is ValueType.SECONDS and value[:1] == "-" and _SECONDS.fullmatch(value[1:]):
        return param.bounded
    return param.typed


def accepts_anything(param: Param) -> bool:
    """Whether `check` accepts every value of `param`, so that a linter can leave it out."""
    return _CHECKS[param.type] is _any and param.type in _EMPTY_ALLOWED


_BOOLEANS = ("true", "false")


def _cased_values(param: Param) -> tuple[str, ...]:
    """The values of `param` written in a canonical letter case: true and false for a
    true/false parameter, its fixed set of values for one that has one, else none."""
    return _BOOLEANS if param.type is ValueType.BOOLEAN else param.values


def has_canonical_case(param: Param) -> bool:
    """Whether some value of `param` can have a `case_fix`."""
    return bool(_cased_values(param))


def case_fix(param: Param, value: str) -> str | None:
    """The allowed value `value` equals but for letter case, if any (D3: a style finding)."""
    choices = _cased_values(param)
    if not choices:
        return None
    lowered = value.lower()
    for choice in choices:
        if choice.lower() == lowered and choice != value:
            return choice
    return None
