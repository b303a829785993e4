"""Variable substitution in text and attribute values (D8): `$name` and `$name.prop`.

A value is compiled once, when its document is compiled: a value without `$` stays a plain
string and costs nothing at run time; one with variables becomes a `Template` of literal parts
and references. What the engine assumes where the vendor is silent (docs/interpreter.md):

* Names are compared ignoring letter case, as the linter compares them (`$Name` reads the Var
  `name`: `ozml.catalog.values.variable_key`, and the call's `Variables`), and end at the first
  character that is not a letter, digit or `_` (`$username .` and `$username.` both end the
  name before the dot). Both are assumptions: the vendor documents neither.
* `$item.date` reads the property `date` of an item with properties; a missing property, or an
  undefined variable, leaves the reference exactly as written, so it shows in the trace.
* `$name.more` where `name` is plain text substitutes the text and keeps `.more` as written
  (so "Hello $name.Welcome" reads "Hello Ann.Welcome").
* An array (a list) is not text: `$sampleArray` is left as written.
* A ``$`` inside a server-side template part (``{{ $user }}``, ``<?php echo $row; ?>``) is the
  template's, not an OzML variable, as the linter has it: it is left as written. The parts are
  those the parser found in the value (`ozml.templates`, the one rule: none in a CDATA section).

Once a value is rendered, only the engine knows which of its ``$`` are still OzML variable uses:
the references it left as written. A rendered value that holds any is a `Rendered`, which says
where they are (`Rendered.uses`); every other ``$`` of a value the engine built (in a template
part, or in a variable's value) is literal text. The URL map asks it (`uses_of`,
`ozml.interpreter.fetch.MapAnswers`), so that a run's URL is judged by the same parts and
variables as the document it was written in.

Rendering can be bounded (`Template.render_sized`): the size of the result is counted part by
part, in UTF-8 bytes, and `ValueTooLarge` is raised as soon as it passes the limit, before the
value is joined, so an oversized value is never built (docs/interpreter.md, "Limits").
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from ozml.catalog.values import VARIABLE
from ozml.interpreter.context import Value
from ozml.limits import utf8_size
from ozml.templates import Spans, blanked


class Rendered(str):
    """A rendered value that still holds OzML ``$variable`` uses: the references the engine
    left as written (an undefined variable, a missing property, an array), at `uses`, in order.
    Every other ``$`` in it is literal text. It is the str it holds (equal, same hash);
    `strip` keeps the uses, shifted; any other operation gives a plain str."""

    uses: Spans

    def __new__(cls, text: str, uses: Spans) -> Rendered:
        made = super().__new__(cls, text)
        made.uses = uses
        return made

    def strip(self, chars: str | None = None) -> str:
        stripped = str.strip(self, chars)
        lead = len(self) - len(str.lstrip(self, chars))
        end = lead + len(stripped)
        # White space never cuts a use (a $ and a name); what `chars` cuts is no use any more.
        uses = tuple((s - lead, e - lead) for s, e in self.uses if lead <= s and e <= end)
        return Rendered(stripped, uses) if uses else stripped

    def __reduce__(self) -> tuple[type[Rendered], tuple[str, Spans]]:
        return Rendered, (str(self), self.uses)


def uses_of(value: str) -> Spans:
    """Where the OzML ``$variable`` uses of a value the engine built are: a `Rendered`'s
    `uses`, none in a plain str (a value without references, or with all of them substituted:
    its ``$`` are literal text)."""
    return value.uses if isinstance(value, Rendered) else ()


class ValueTooLarge(Exception):
    """A value passed its size limit while it was being built (it never was built whole).

    `size` is how far the count got (more than `limit`). The engine fills in `what` (the
    parameter, item or variable) and `total` (whether the run's total budget, rather than the
    limit on one value, was passed) before it reports it.
    """

    def __init__(self, size: int, limit: int, what: str = "") -> None:
        super().__init__(f"{what or 'a value'}: more than {limit:,} bytes")
        self.size = size
        self.limit = limit
        self.what = what
        self.total = False


class Template:
    """A value with `$variables`: literal text and references, rendered against variables."""

    __slots__ = ("_as_written", "parts", "shares", "sizes", "source")

    def __init__(self, source: str, templates: Spans = ()) -> None:
        """`source`, whose server-side template parts are at `templates` (no ``$`` in one is a
        variable)."""
        self.source = source
        parts: list[str | tuple[str, tuple[str, ...], str]] = []
        last = 0
        for match in VARIABLE.finditer(blanked(source, templates)):
            if match.start() > last:
                parts.append(source[last : match.start()])
            props = tuple(p for p in match.group(2).split(".") if p)
            parts.append((match.group(1), props, match.group(0)))
            last = match.end()
        if last < len(source):
            parts.append(source[last:])
        self.parts = tuple(parts)
        #: The UTF-8 size of each literal part (0 for a reference), counted once.
        self.sizes = tuple(utf8_size(p) if isinstance(p, str) else 0 for p in parts)
        #: Whether a rendering is always a string that exists already (the value of the one
        #: variable the template is, or its source as written): it costs no memory.
        self.shares = len(parts) == 1 and not isinstance(parts[0], str) and not parts[0][1]
        #: The rendering of a template that is one reference, left as written (made once).
        self._as_written: Rendered | None = None

    def render(self, variables: Mapping[str, Value], limit: int | None = None) -> str:
        """The value with its variables substituted (a `Rendered` when it leaves a reference
        as written); `ValueTooLarge` past `limit` bytes."""
        return self.render_sized(variables, sys.maxsize if limit is None else limit)[0]

    def render_sized(self, variables: Mapping[str, Value], limit: int) -> tuple[str, int]:
        """The value and its size in UTF-8 bytes, counted part by part: `ValueTooLarge` as
        soon as the size passes `limit`, before anything is joined. A value that leaves a
        reference as written is a `Rendered` saying where each such use is."""
        out: list[str] = []
        size = 0
        left: list[int] | None = None  # the pieces of `out` that are references as written
        for part, known in zip(self.parts, self.sizes, strict=True):
            if isinstance(part, str):
                text = part
                size += known
            else:
                name, props, raw = part
                value = variables.get(name)
                if props and isinstance(value, str):
                    # Text with `.more` after it: both are counted before anything is joined.
                    out.append(value)
                    text = raw[len(name) + 1 :]
                    size += (len(value) if value.isascii() else utf8_size(value)) + len(text)
                else:
                    found = _lookup(variables, name, props)
                    if found is None:
                        text = raw
                        if left is None:
                            left = []
                        left.append(len(out))
                    else:
                        text = found
                    size += len(text) if text.isascii() else utf8_size(text)
            if size > limit:
                raise ValueTooLarge(size, limit)
            out.append(text)
        if left is None:
            return "".join(out), size
        if self.shares:
            # Still a string that exists already: the one reference, as written.
            if self._as_written is None:
                self._as_written = Rendered(self.source, ((0, len(self.source)),))
            return self._as_written, size
        return Rendered("".join(out), _spans(out, left)), size

    def __repr__(self) -> str:
        return f"Template({self.source!r})"


def _spans(pieces: list[str], chosen: list[int]) -> Spans:
    """Where the pieces at the indices `chosen` (in order) are in ``"".join(pieces)``."""
    spans: list[tuple[int, int]] = []
    at = 0
    wanted = iter(chosen)
    nxt = next(wanted)
    for index, piece in enumerate(pieces):
        if index == nxt:
            spans.append((at, at + len(piece)))
            nxt = next(wanted, -1)
        at += len(piece)
    return tuple(spans)


def _lookup(variables: Mapping[str, Value], name: str, props: tuple[str, ...]) -> str | None:
    """The text a reference stands for; None when it is left as written."""
    value = variables.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value + "".join("." + p for p in props)
    for prop in props:
        if not isinstance(value, Mapping):
            return None
        found = value.get(prop)
        if found is None:
            return None
        value = found
    return value if isinstance(value, str) else None


def compile_value(text: str, templates: Spans = ()) -> str | Template:
    """A plain string when `text` has no variable reference outside its server-side template
    parts (at `templates`: the parser's), else a Template."""
    if "$" not in text or VARIABLE.search(blanked(text, templates)) is None:
        return text
    return Template(text, templates)


def render(value: str | Template, variables: Mapping[str, Value]) -> str:
    return value if isinstance(value, str) else value.render(variables)


def substitute(text: str, variables: Mapping[str, Value]) -> str:
    """Substitute the variables in `text` (compiles it first; for one-off use)."""
    return render(compile_value(text), variables)


__all__ = [
    "Rendered",
    "Template",
    "ValueTooLarge",
    "compile_value",
    "render",
    "substitute",
    "uses_of",
]
