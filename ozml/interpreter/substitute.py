"""Variable substitution in text and attribute values (D8): `$name` and `$name.prop`.

A value is compiled once, when its document is compiled: a value without `$` stays a plain
string and costs nothing at run time; one with variables becomes a `Template` of literal parts
and references. What the engine assumes where the vendor is silent (docs/interpreter.md):

* Names are case-sensitive and end at the first character that is not a letter, digit or `_`
  (`$username .` and `$username.` both end the name before the dot).
* `$item.date` reads the property `date` of an item with properties; a missing property, or an
  undefined variable, leaves the reference exactly as written, so it shows in the trace.
* `$name.more` where `name` is plain text substitutes the text and keeps `.more` as written
  (so "Hello $name.Welcome" reads "Hello Ann.Welcome").
* An array (a list) is not text: `$sampleArray` is left as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from ozml.catalog.values import VARIABLE
from ozml.interpreter.context import Value


class Template:
    """A value with `$variables`: literal text and references, rendered against variables."""

    __slots__ = ("parts", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        parts: list[str | tuple[str, tuple[str, ...], str]] = []
        last = 0
        for match in VARIABLE.finditer(source):
            if match.start() > last:
                parts.append(source[last : match.start()])
            props = tuple(p for p in match.group(2).split(".") if p)
            parts.append((match.group(1), props, match.group(0)))
            last = match.end()
        if last < len(source):
            parts.append(source[last:])
        self.parts = tuple(parts)

    def render(self, variables: Mapping[str, Value]) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                out.append(_lookup(variables, part[0], part[1], part[2]))
        return "".join(out)

    def __repr__(self) -> str:
        return f"Template({self.source!r})"


def _lookup(variables: Mapping[str, Value], name: str, props: tuple[str, ...], raw: str) -> str:
    value = variables.get(name)
    if value is None:
        return raw
    if isinstance(value, str):
        return value + "".join("." + p for p in props)
    for prop in props:
        if not isinstance(value, Mapping):
            return raw
        found = value.get(prop)
        if found is None:
            return raw
        value = found
    return value if isinstance(value, str) else raw


def compile_value(text: str) -> str | Template:
    """A plain string when `text` has no variable reference, else a Template."""
    if "$" not in text or VARIABLE.search(text) is None:
        return text
    return Template(text)


def render(value: str | Template, variables: Mapping[str, Value]) -> str:
    return value if isinstance(value, str) else value.render(variables)


def substitute(text: str, variables: Mapping[str, Value]) -> str:
    """Substitute the variables in `text` (compiles it first; for one-off use)."""
    return render(compile_value(text), variables)


__all__ = ["Template", "compile_value", "render", "substitute"]
