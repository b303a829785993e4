"""The quick check's strict XML Schema for one context (see `ozml.lint.quick_plan`).

libxml2 validates a parsed document against it in C. It accepts only what the plan accepts, so
it is much stricter than the published schema (`ozml.generate.xsd`, which says what OzML
allows): a document valid here has nothing the linter reports but for what a schema cannot say
(variables, comments inside text, distinct menu keys), which `ozml.lint.quick` checks after.

Two details of the encoding:

* "Not blank" here asks for a character that is no white space of any kind, XML's (XSD's
  ``\\s``) or the Unicode separators and NEL, as Python's str.strip takes them: a pattern over
  every character of a text, unless the document is ASCII only (and has no character
  references), where the two agree and the cheaper ``xs:token`` with ``minLength 1`` says the
  same (`schema_source` with ``ascii``). The linter reads only XML's as white space
  (`ozml.xmlspace`: ``<Speak>\u00a0</Speak>`` has its Text), so this is stricter than it: such a
  text is left to the linter, which reports nothing the pattern would let by.
* The patterns are written so that libxml2 runs them in linear time (no overlapping
  repetitions): a huge value cannot make validation slow.
"""

from __future__ import annotations

from collections.abc import Iterable

from ozml.catalog import Context, ElementKind
from ozml.lint.quick_plan import (
    INPUT,
    INPUTS,
    PROMPTS,
    ROOT,
    Content,
    Element,
    Form,
    Plan,
    Text,
    Value,
    plan,
)

#: The characters Python's str.strip removes that XML allows: XSD's ``\s`` (the four XML
#: white-space characters), the Unicode separators, and NEL (a stricter "not blank" than the
#: linter's, which is XML's alone: see the module's docstring).
PY_SPACE = "\\s\\p{Z}\x85"
_NON_BLANK = f"[{PY_SPACE}]*[^{PY_SPACE}][\\s\\S]*"
_OPTIONAL = ' minOccurs="0"'
_MANY = ' maxOccurs="unbounded"'
_REQUIRED = ' use="required"'


def _attribute(value: str) -> str:
    """`value` escaped for a double-quoted attribute (saxutils would cost an import)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class _Writer:
    def __init__(self, accepted: Plan, ascii: bool) -> None:
        self.plan = accepted
        self.ascii = ascii
        self.names = {e.name for e in accepted.elements}
        self.types: dict[tuple[str, str], str] = {}  # (base, facets) -> simple type name

    def schema(self) -> str | None:
        if ROOT not in self.names:
            return None
        parts = [self._element(e) for e in self.plan.elements]
        ender = self.plan.ender()
        end = _element_ref(ender.name, _OPTIONAL) if ender is not None else ""
        blocks = "".join(
            self._block(name, [e.name for e in self.plan.commands(top)], end)
            for name, top in (("Top", True), ("Block", False))
        )
        types = "".join(
            f'<xs:simpleType name="{name}"><xs:restriction base="{base}">{facets}'
            "</xs:restriction></xs:simpleType>"
            for (base, facets), name in self.types.items()
        )
        return (
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            f'<xs:element name="{ROOT}" type="T.{ROOT}"/>'
            f"{blocks}{''.join(parts)}{types}</xs:schema>\n"
        )

    @staticmethod
    def _block(name: str, groups: Iterable[str], end: str) -> str:
        """A sequence of commands, the one that ends the script only last."""
        choice = "".join(_element_ref(g) for g in groups)
        return (
            f'<xs:group name="{name}"><xs:sequence>'
            f'<xs:choice minOccurs="0" maxOccurs="unbounded">{choice}</xs:choice>'
            f"{end}</xs:sequence></xs:group>"
        )

    def _element(self, element: Element) -> str:
        name = element.name
        attributes = "".join(
            f'<xs:attribute name="{a.name}" type="{self._value(a.value)}"'
            f"{_REQUIRED if a.required else ''}/>"
            for a in element.attributes
        )
        if element.content == Content.TEXT:
            base = self._text(element.text)
            body = (
                f'<xs:simpleContent><xs:extension base="{base}">{attributes}'
                "</xs:extension></xs:simpleContent>"
            )
        else:
            body = self._content(element) + attributes
        return f'<xs:complexType name="T.{name}">{body}</xs:complexType>'

    def _content(self, element: Element) -> str:
        if element.content == Content.COMMANDS:
            block = "Top" if element.kind is ElementKind.ROOT else "Block"
            return f'<xs:sequence><xs:group ref="{block}"/></xs:sequence>'
        if element.content == Content.MENU:
            prompts = (
                _element_ref(PROMPTS, _OPTIONAL) if PROMPTS in self.names else ""
            )
            return f"<xs:sequence>{prompts}{_element_ref(INPUTS)}</xs:sequence>"
        if element.content == Content.INPUTS:
            return (
                f"<xs:sequence>{_element_ref(INPUT, _MANY)}</xs:sequence>"
            )
        choice = "".join(_element_ref(n) for n in element.children if n in self.names)
        return f'<xs:choice minOccurs="0" maxOccurs="unbounded">{choice}</xs:choice>'

    def _value(self, value: Value) -> str:
        """The simple type of an attribute's values."""
        if value.form == Form.ANY:
            return "xs:string"
        if value.form == Form.NON_BLANK:
            return self._non_blank()
        if value.form == Form.CHOICES:
            return self._simple(
                "xs:string",
                "".join(f'<xs:enumeration value="{_attribute(c)}"/>' for c in value.choices),
            )
        return self._pattern(value.xsd)

    def _text(self, text: Text | None) -> str:
        """The simple type of an element's text (the linter strips it before checking)."""
        if text is None:
            return self._pattern("\\s*")
        value, required = text.value, text.required
        if value.form == Form.ANY or value.form == Form.NON_BLANK:
            if text.defining:
                # A defined value holding `$` is itself a use: left to the linter.
                if required:
                    return self._non_blank("[^$]*", f"[{PY_SPACE}]*[^{PY_SPACE}$][^$]*")
                return self._pattern("[^$]*")
            return self._non_blank() if required else "xs:string"
        if value.form == Form.CHOICES:
            pattern = "|".join(_escape(c) for c in value.choices)
        else:
            pattern = value.xsd
        if required:
            return self._pattern(f"\\s*({pattern})\\s*")
        return self._pattern(f"\\s*(({pattern})\\s*)?")

    def _non_blank(self, pattern: str = "", unicode: str = _NON_BLANK) -> str:
        """Values with something other than white space in them (and matching `pattern`)."""
        if self.ascii:
            facets = '<xs:minLength value="1"/>'
            if pattern:
                facets += f'<xs:pattern value="{_attribute(pattern)}"/>'
            return self._simple("xs:token", facets)
        return self._pattern(unicode)

    def _pattern(self, pattern: str) -> str:
        return self._simple("xs:string", f'<xs:pattern value="{_attribute(pattern)}"/>')

    def _simple(self, base: str, facets: str) -> str:
        name = self.types.get((base, facets))
        if name is None:
            name = self.types[base, facets] = f"V{len(self.types)}"
        return name


def _element_ref(name: str, occurs: str = "") -> str:
    """A local declaration of element `name` with its type. Declared in place in every content
    model rather than once in a named group: libxml2 compiles the schema twice as fast so, and a
    schema is compiled on every start of `ozml check`."""
    return f'<xs:element name="{name}" type="T.{name}"{occurs}/>'


def _escape(value: str) -> str:
    return "".join("\\" + c if c in "\\|.?*+(){}-[]^" else c for c in value)


def schema_source(context: Context, ascii: bool = False) -> str | None:
    """The strict schema for `context`, or None when the catalog leaves nothing to prove; with
    `ascii`, for documents of ASCII characters only, without character references."""
    return _Writer(plan(context), ascii).schema()


__all__ = ["PY_SPACE", "schema_source"]
