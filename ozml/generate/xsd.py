"""Generating the OzML XML Schema (``schema/ozml.xsd``) from the catalog.

The schema is for editors and for XML tools (xmllint, IDE validation, hover text). It says as
much as XSD 1.0 can say about OzML and nothing the linter would contradict; docs/schema.md lists
what it cannot say. The design decisions:

* Only the roots (``Response`` and its legacy alias ``OzML``) are global elements. XSD 1.0 lets
  any global element be a document's root, so declaring every command globally would make
  ``<Hangup/>`` on its own a valid document; commands and parts are therefore local elements,
  each in a named group (``<xs:group name="Speak">``) that holds it under every accepted name
  (canonical and aliases, D1/D2), and content models refer to those groups.
* Every complex type is named ``<Element>Type``; every value type has a named simple type.
* Values: a parameter that may hold a ``$variable`` or a template placeholder (D8) must still
  validate, so each checked type is a union of its literal form and ``DynamicValue``, a type
  whose patterns mirror ``ozml.catalog.values.is_dynamic``. Literal patterns mirror the checks
  of ``ozml.catalog.values`` exactly, including which white space counts as blank.
* White space around a value: the linter reads XML's as layout and only warns of an attribute's
  value that suits only without it (`values.SPACE_AROUND`), so attribute types allow white space
  around the literal, as text types do. The linter strips element text before checking it, so
  text types also accept blank text (a missing text parameter is reported by the linter, and
  XSD cannot say "attribute or text", D7).
* A command the vendor states takes no child elements would get simple content: its text
  type, or white space alone where the vendor also states it takes no text (XSD's empty content
  would reject ``<Reject> </Reject>``, which OzML allows). No page states that of any command
  yet (below), so in the published schema every command's content is open and its text
  unchecked; the strict schema (below) gives every such command simple content.
* The schema rejects only what the vendor states: a schema violation is an error, and where a
  catalog fact is only assumed the linter's finding is a warning (`LintContext.grounded`). Each
  strictness below is read from the fact the linter's finding rests on, never from a list of
  its own:

  - nesting (``Command.children_fact``, child-not-allowed): where what an element may hold
    beyond what the vendor shows is assumed (every element but Response, Inputs, Array and
    ReceiveAlarmNotification, whose content the vendor states: spec §2 lists what is seen and
    leaves everything else UNKNOWN, and no page says a command takes no child elements), the
    schema takes any OzML element there but a root (``<xs:group name="Elements">``); a text
    parameter beside it is then unchecked (mixed content), as XSD 1.0 cannot type text that
    stands between elements;
  - text (``Command.no_text_fact``, text-not-allowed): an element without a text parameter
    takes any text unless the vendor states it takes none (Reject);
  - attributes (``Command.params_fact``, unknown-attribute): where the parameter table is not
    known to be whole, any other attribute is accepted (``xs:anyAttribute``);
  - values (``Param.typed``, invalid-value): a parameter whose type is assumed is ``xs:string``;
  - mandatory parameters (``Param.required``, missing-parameter): ``use="required"`` only where
    being mandatory is stated, and not in an element whose text may give the parameter (its
    command takes no text by assumption only);
  - HTTP-only commands (``Command.usage_fact``, http-only-command): only those the vendor states
    are not OzML are left out; those whose OzML use is only undocumented are declared.

The strict schema (``schema/ozml-strict.xsd``, ``ozml schema --strict``) is the same schema with
one switch, ``strict``: it also enforces the assumed child-element facts, reading every
``Command.children_fact`` as if the vendor stated it. So it rejects what child-not-allowed only
warns about (``<Speak>x<Play>a.wav</Play></Speak>``, ``<ForEach><Item/></ForEach>``), and an
element the vendor shows without child elements gets simple content, which types its text again
(``<Delay>soon</Delay>``, ``<Reject>now</Reject>``: errors to ozml). Every other fact is read as in
the published schema.

The output is deterministic: catalog order for elements and attributes, first-use order for
simple types, two-space indentation.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ozml import namespaces as _namespaces
from ozml import xmlspace
from ozml.catalog import ALL, AliasKind, ChildPolicy, Command, Context, ElementKind, Param
from ozml.catalog.audit import default_text
from ozml.catalog.model import Alias, ValueType

SCHEMA_PATH = Path("schema/ozml.xsd")
PACKAGE_PATH = Path("ozml/data/ozml.xsd")
#: The strict schema (``ozml schema --strict``): the assumed child-element facts enforced too.
STRICT_SCHEMA_PATH = Path("schema/ozml-strict.xsd")
STRICT_PACKAGE_PATH = Path("ozml/data/ozml-strict.xsd")

XS_NAMESPACE = "http://www.w3.org/2001/XMLSchema"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
#: XML's own attributes (xml:lang, xml:space, ...): accepted on every element, as the linter
#: does (docs/decisions.md, "XML's own attributes").
XML_NAMESPACE = _namespaces.XML_NAMESPACE
_EVERYWHERE = frozenset(Context.concrete())

HEADER = """\
OzML schema (XSD 1.0) for the call-control XML of the Ozeki Phone System.

Generated by `python -m ozml.generate` from the ozml catalog (ozml/catalog/commands.py).
Do not edit by hand: change the catalog and regenerate. A test fails when this file and the
catalog disagree.

The schema checks names, nesting, value types and parameters that are mandatory everywhere.
It cannot check what depends on letter case, on text-or-attribute parameters, on the context a
script runs in, on variables or on control flow: run `ozml check` for those (docs/schema.md).
Editors find the schema through xsi:noNamespaceSchemaLocation on the root element."""

#: What the strict schema's header says beside `HEADER` (docs/schema.md, "The strict schema").
STRICT_HEADER = """\
THE STRICT SCHEMA: ozml-strict.xsd, which `ozml schema` prints with its strict option. It also
rejects what `ozml check` only warns about as child-not-allowed (OZ104): child elements where
the vendor does not show them (an element inside Speak, Play, Hangup or any command the vendor
shows without child elements, an Item inside ForEach). The vendor never states that a command
takes none (spec section 2: everything else is UNKNOWN), so these rejections rest on assumed
facts. In exchange it checks element text again (Delay's text is a number, Reject takes none).
The published schema, ozml.xsd (`ozml schema`), rejects only what `ozml check` reports as an
error: use it where a rejection must mean an error, this one to hold scripts to the nesting the
vendor shows and to have element text checked."""


# ---------------------------------------------------------------------------------------------
# A small XML writer: the schema's layout (indentation, attribute order, character references
# for anything outside printable ASCII) is part of its drift-checked content, so it is written
# explicitly rather than left to a serializer's defaults.


@attrs.frozen
class _Node:
    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    children: tuple[_Node | _Comment, ...] = ()
    text: str | None = None


@attrs.frozen
class _Comment:
    text: str


def _escape(value: str, quote: bool) -> str:
    out = []
    for char in value:
        if char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char == '"' and quote:
            out.append("&quot;")
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"&#x{ord(char):X};")
    return "".join(out)


def _render(node: _Node | _Comment, depth: int) -> Iterator[str]:
    pad = "  " * depth
    if isinstance(node, _Comment):
        yield f"{pad}<!-- {node.text} -->"
        return
    attributes = "".join(f' {name}="{_escape(value, True)}"' for name, value in node.attributes)
    if node.text is not None:
        yield f"{pad}<{node.tag}{attributes}>{_escape(node.text, False)}</{node.tag}>"
    elif not node.children:
        yield f"{pad}<{node.tag}{attributes}/>"
    else:
        yield f"{pad}<{node.tag}{attributes}>"
        for child in node.children:
            yield from _render(child, depth + 1)
        yield f"{pad}</{node.tag}>"


def _xs(tag: str, *children: _Node | _Comment, **attributes: str) -> _Node:
    """An ``xs:`` element with the given children and attributes (in keyword order)."""
    return _Node(f"xs:{tag}", tuple(attributes.items()), children)


def _doc(text: str) -> _Node:
    return _Node("xs:annotation", (), (_Node("xs:documentation", (), (), text),))


# ---------------------------------------------------------------------------------------------
# Regular expressions, in XSD syntax, mirroring ozml.catalog.values.

#: Characters Python's ``str.strip`` and ``\s`` treat as white space and XML 1.0 allows: XML's
#: four (XSD's own ``\s``) and the other Unicode spaces (U+00A0, U+2003, U+3000, NEL, ...). Not
#: the linter's blank test, which is XML's (`ozml.xmlspace`: a no-break space is content, so
#: `NON_BLANK` is XML's), but where a finding depends on those other spaces, the linter's
#: finding is a warning (`ozml.catalog.values.OTHER_SPACE`: the PBX may trim them, as .NET's
#: String.Trim does), and the schema takes what only a warning reports. So a value or an element
#: text may have any of them around it (`_padded`), element text, a value that may be empty and
#: `NoText` may be made of them (`BLANK`); and a URL or an e-mail address holds none of them
#: within, as ``\s`` in `ozml.catalog.values` says.
_PY_SPACE = "".join(
    c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and (c in "\t\n\r" or c >= " ")
)


def _char_class_body(chars: str) -> str:
    """A character-class body listing `chars`, with runs as ranges and ``\\s`` for XML space."""
    rest = sorted(set(chars) - set(xmlspace.XML_SPACE))
    parts = [r"\s"]
    i = 0
    while i < len(rest):
        j = i
        while j + 1 < len(rest) and ord(rest[j + 1]) == ord(rest[j]) + 1:
            j += 1
        parts.append(rest[i] if i == j else f"{rest[i]}-{rest[j]}")
        i = j + 1
    return "".join(parts)


WS = _char_class_body(_PY_SPACE)
ANY = r"[\s\S]*"
BLANK = f"[{WS}]*"
#: Not XML white space alone (`ozml.xmlspace.is_blank`): a no-break space is a value.
NON_BLANK = f"{ANY}[^\\s]{ANY}"
#: ``ozml.catalog.values.VARIABLE`` and ``TEMPLATE``, as "contains" patterns.
DYNAMIC_PATTERNS: tuple[str, ...] = (
    f"{ANY}$[A-Za-z_]{ANY}",
    f"{ANY}\\{{\\{{{ANY}\\}}\\}}{ANY}",
    f"{ANY}\\{{%{ANY}%\\}}{ANY}",
    f"{ANY}\\{{#{ANY}#\\}}{ANY}",
    f"{ANY}<\\?(php|PHP|=){ANY}\\?>{ANY}",
    f"{ANY}$\\{{[^\\}}]*\\}}{ANY}",
    f"{ANY}<%{ANY}%>{ANY}",
)

_PHONE = (r"\+?[0-9*#]+", r"[A-Za-z0-9._+\-]+@[A-Za-z0-9._\-]+")
_DESTINATION = (r"\+?[0-9*#]+", r"[A-Za-z0-9._+\-]+(@[A-Za-z0-9._\-]+)?")


def _regex_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\|.-^?*+{}()[]" else c for c in text)


@functools.cache
def _case_twins() -> dict[str, str]:
    """Each lower-case letter → the other characters ``str.lower`` makes it (``k`` → ``K``
    and U+212A KELVIN SIGN)."""
    twins: dict[str, str] = {}
    for char in map(chr, range(sys.maxunicode + 1)):
        lower = char.lower()
        if len(lower) == 1 and lower != char:
            twins[lower] = twins.get(lower, "") + char
    return twins


def _any_case(text: str) -> str:
    """A pattern for `text` in any letter case, as `values.case_fix` compares values (their
    ``str.lower``; the values with a fixed set are ASCII, and only the letter ``i`` has a
    twin whose ``lower`` is two characters: U+0130, which then ends in a non-ASCII one)."""
    out = []
    for char in text:
        lower = char.lower()
        same = lower + _case_twins().get(lower, "") if len(lower) == 1 else char
        out.append(f"[{same}]" if len(same) > 1 else _regex_escape(char))
    return "".join(out)


def _integer_patterns(
    minimum: int | None, maximum: int | None, max_digits: int | None
) -> tuple[str, ...] | None:
    """Patterns for the whole numbers `values._integer` accepts, when a pattern can say it.

    Bounds other than a minimum of 0 or 1 have no pattern here; the caller then falls back to
    ``xs:integer`` facets, which also accept surrounding white space (docs/schema.md).
    """
    if maximum is not None or minimum not in (None, 0, 1):
        return None
    digits = "+" if max_digits is None else f"{{1,{max_digits}}}"
    if minimum is None:
        return (f"[+\\-]?[0-9]{digits}",)
    if minimum == 0:
        return (f"\\+?[0-9]{digits}", f"-0{digits}")
    if max_digits is None:
        return (r"\+?0*[1-9][0-9]*",)
    # At least 1 with at most `max_digits` digits, leading zeros counted (as `values` does).
    return tuple(
        f"\\+?{'0' * zeros}[1-9][0-9]{{0,{max_digits - 1 - zeros}}}" for zeros in range(max_digits)
    )


def _integer_name(minimum: int | None, maximum: int | None, max_digits: int | None) -> str:
    base = {None: "Integer", 0: "NonNegativeInteger", 1: "PositiveInteger"}.get(
        minimum, f"IntegerFrom{minimum}"
    )
    if maximum is not None:
        base += f"To{maximum}"
    if max_digits is not None:
        base += f"UpTo{max_digits}Digits"
    return base


# ---------------------------------------------------------------------------------------------
# Value types.


@attrs.frozen
class _Literal:
    """The literal (non-dynamic) form of a parameter's values."""

    name: str
    doc: str
    patterns: tuple[str, ...] = ()
    enumeration: tuple[str, ...] = ()
    blank_ok: bool = False
    #: Any non-blank text: such a type needs no DynamicValue member (dynamic text is non-blank).
    non_blank: bool = False
    #: Fallback for integer bounds no pattern expresses: (minimum, maximum).
    integer_bounds: tuple[int | None, int | None] | None = None


_FIXED: dict[ValueType, _Literal] = {
    ValueType.SECONDS: _Literal(
        "NonNegativeSeconds", "A number of seconds such as 5 or 1.5.", (r"[0-9]+(\.[0-9]+)?",)
    ),
    ValueType.BOOLEAN: _Literal("Boolean", "true or false.", enumeration=("true", "false")),
    ValueType.URL: _Literal("Url", "A URL without spaces.", (f'[^{WS}<>"]+',)),
    ValueType.PHONE: _Literal(
        "PhoneNumber", "A phone number or extension such as 102 or +3620555, or user@host.", _PHONE
    ),
    ValueType.DESTINATION: _Literal(
        "Destination", "An extension number or outside-line name.", _DESTINATION
    ),
    ValueType.CALL_ID: _Literal("CallId", "A call ID such as Nt3uh.", (r"[A-Za-z0-9_.:\-]+",)),
    ValueType.DTMF_KEYS: _Literal("DtmfKeys", "DTMF keys (0-9, *, #, A-D).", (r"[0-9*#A-Da-d]+",)),
    ValueType.DTMF_KEY: _Literal("DtmfKey", "One DTMF key (0-9, *, #, A-D).", (r"[0-9*#A-Da-d]",)),
    ValueType.LANGUAGE: _Literal(
        "LanguageCode", "A language code such as en-US.", (r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*",)
    ),
    ValueType.EMAIL: _Literal("EmailAddress", "An e-mail address.", (f"[^@{WS}]+@[^@{WS}]+",)),
    ValueType.IDENTIFIER: _Literal(
        "Identifier", "A name of letters, digits and _.", (r"[A-Za-z_][A-Za-z0-9_]*",)
    ),
    ValueType.DATETIME: _Literal(
        "DateTime",
        "A date such as 2013-01-17 or 2013-01-17 13:32:12.",
        (r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?",),
    ),
    ValueType.PATH: _Literal(
        "FilePath", "A file path or URL (any non-blank text).", (NON_BLANK,), non_blank=True
    ),
    ValueType.SQL: _Literal(
        "Sql", "An SQL statement (any non-blank text).", (NON_BLANK,), non_blank=True
    ),
    ValueType.URL_OR_SQL: _Literal(
        "UrlOrSql", "A URL, or an SQL query (any non-blank text).", (NON_BLANK,), non_blank=True
    ),
}

#: Seconds where that they are not below 0 is assumed: a sign is taken.
_SIGNED_SECONDS = _Literal(
    "Seconds",
    "A number of seconds such as 5 or 1.5 (a negative one is taken: that none is below 0 is"
    " assumed).",
    (r"-?[0-9]+(\.[0-9]+)?",),
)

_SHARED_CHOICES = {ValueType.PARTY: "Party", ValueType.TRANSFEROR: "TransferorParty"}


def _literal(cmd: Command, param: Param) -> _Literal | None:
    """The literal form of `param`'s values; None when any text is fine (``xs:string``): its
    type accepts anything, or its type is assumed (invalid-value only warns about it)."""
    kind = param.type
    if kind in (ValueType.STRING, ValueType.OZML) or not param.typed.stated:
        return None
    if kind is ValueType.SECONDS and not param.bounded.stated:
        return _SIGNED_SECONDS  # that it is not below 0 is assumed (`values.grounds`)
    if kind in _FIXED:
        literal = _FIXED[kind]
        refused = param.empty_refused
        if (param.empty is not None or (refused and not refused.stated)) and not literal.blank_ok:
            # The vendor states what an empty value means (ErrorUrl's: no error notification),
            # or that one is wrong is assumed (Call's Url: invalid-value only warns).
            return attrs.evolve(
                literal,
                name=f"{literal.name}OrEmpty",
                doc=f"{literal.doc[:-1]}, or empty (where the vendor states what that means, or"
                " where that it is wrong is assumed).",
                blank_ok=True,
            )
        return literal
    if kind is ValueType.INTEGER and param.min_digits is not None:
        if param.min_digits != param.max_digits:
            raise ValueError(f"no XSD type for a least number of digits ({cmd.name} {param.name})")
        digits = param.min_digits
        pattern = f"[0-9]{{{digits}}}"
        return _Literal(f"IntegerOf{digits}Digits", f"Exactly {digits} digits.", (pattern,))
    if kind is ValueType.INTEGER:
        # Bounds only where they are stated: beyond an assumed one, invalid-value only warns
        # (`values.grounds`).
        low, high = (param.minimum, param.maximum) if param.bounded.stated else (None, None)
        name = _integer_name(low, high, param.max_digits)
        patterns = _integer_patterns(low, high, param.max_digits)
        bounds = [f"at least {low}"] if low is not None else []
        bounds += [f"at most {high}"] if high is not None else []
        doc = "A whole number" + (" of " + " and ".join(bounds) if bounds else "")
        if param.max_digits is not None:
            doc += f", at most {param.max_digits} digits"
        if patterns is None:
            return _Literal(name, doc + ".", integer_bounds=(low, high))
        return _Literal(name, doc + ".", patterns)
    if kind in (ValueType.PARTY, ValueType.TRANSFEROR, ValueType.ENUM):
        choices = ", ".join(param.values[:-1]) + " or " + param.values[-1]
        name = _SHARED_CHOICES.get(kind, f"{cmd.name}{param.name}")
        return _Literal(name, f"One of: {choices}.", enumeration=param.values)
    raise ValueError(f"no XSD type for value type {kind.value} ({cmd.name} {param.name})")


def _alternatives(literal: _Literal) -> tuple[str, ...]:
    """`literal`'s values as patterns (its fixed set of values escaped)."""
    return literal.patterns or tuple(map(_regex_escape, literal.enumeration))


def _padded(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """`patterns` with white space of any kind (`WS`) around each: what the linter only warns
    about, in a value or a text (`values.SPACE_AROUND`, `values.OTHER_SPACE`)."""
    return tuple(f"[{WS}]*({p})[{WS}]*" for p in patterns)


class _Types:
    """The named simple types, defined on first use, in first-use order."""

    def __init__(self) -> None:
        self.nodes: dict[str, _Node] = {}
        self._literals: dict[str, _Literal] = {}
        self._define(
            "DynamicValue",
            "A value only known at run time, which is not type-checked (D8): it holds a $variable"
            " ($name, $name.prop) or a server-side template placeholder ({{ }}, {% %}, <?php ?>,"
            " <?= ?>, ${ }, <% %>).",
            patterns=DYNAMIC_PATTERNS,
        )

    def no_text(self) -> str:
        """The type of the text of an element the vendor states takes none, and no child
        elements (white space alone: XSD's empty content would reject ``<Reject> </Reject>``)."""
        return self._define(
            "NoText",
            "No text: only white space (and comments) between the tags.",
            patterns=(BLANK,),
        )

    def _define(
        self,
        name: str,
        doc: str,
        *,
        patterns: Iterable[str] = (),
        enumeration: Iterable[str] = (),
        base: str = "xs:string",
        facets: Iterable[_Node] = (),
    ) -> str:
        if name not in self.nodes:
            restriction = _xs(
                "restriction",
                *(_xs("enumeration", value=v) for v in enumeration),
                *(_xs("pattern", value=p) for p in patterns),
                *facets,
                base=base,
            )
            self.nodes[name] = _xs("simpleType", _doc(doc), restriction, name=name)
        return name

    def _union(self, name: str, doc: str, members: str) -> str:
        if name not in self.nodes:
            self.nodes[name] = _xs(
                "simpleType", _doc(doc), _xs("union", memberTypes=members), name=name
            )
        return name

    def _check_unique(self, literal: _Literal) -> None:
        seen = self._literals.setdefault(literal.name, literal)
        if seen != literal:
            raise ValueError(f"two different value types are both named {literal.name}")

    def _integer_fallback(self, name: str, doc: str, literal: _Literal) -> str:
        assert literal.integer_bounds is not None
        low, high = literal.integer_bounds
        facets = []
        if low is not None:
            facets.append(_xs("minInclusive", value=str(low)))
        if high is not None:
            facets.append(_xs("maxInclusive", value=str(high)))
        return self._define(name, doc, base="xs:integer", facets=facets)

    def attribute(self, cmd: Command, param: Param) -> str:
        """The type of `param` written as an attribute."""
        literal = _literal(cmd, param)
        if literal is None:
            return "xs:string"
        self._check_unique(literal)
        if literal.non_blank:
            return self._define(literal.name, literal.doc, patterns=literal.patterns)
        name = literal.name
        literal_name = f"{name}Literal"
        if literal.integer_bounds is not None:
            self._integer_fallback(literal_name, literal.doc, literal)
        else:
            # White space around the value: a finding only it makes is a warning
            # (`values.SPACE_AROUND`, `values.OTHER_SPACE`), so the schema takes it, as in text.
            patterns = _padded(_alternatives(literal)) + ((BLANK,) if literal.blank_ok else ())
            self._define(literal_name, literal.doc, patterns=patterns)
        members = f"{literal_name} DynamicValue"
        if literal.enumeration:
            # Whether the PBX reads values in another letter case is not stated: ozml reports
            # one as a style warning (non-canonical-case, D3), so the schema takes it.
            any_case = self._define(
                f"{name}AnyCase",
                f"{literal.doc} In any letter case (ozml check reports a case other than this"
                " as a style warning: non-canonical-case, D3).",
                patterns=_padded(tuple(map(_any_case, literal.enumeration))),
            )
            members = f"{literal_name} {any_case} DynamicValue"
        return self._union(name, f"{literal.doc} Or a dynamic value.", members)

    def text(self, cmd: Command, param: Param) -> str:
        """The type of `param` written as element text, which the linter strips first."""
        literal = _literal(cmd, param)
        if literal is None or literal.non_blank:
            return "xs:string"  # blank text is no value; any other text is non-blank
        self._check_unique(literal)
        name = f"{literal.name}Text"
        literal_name = f"{name}Literal"
        doc = f"As element text: {literal.doc[0].lower()}{literal.doc[1:]}"
        if literal.integer_bounds is not None:
            self._integer_fallback(literal_name, doc, literal)
        else:
            self._define(literal_name, doc, patterns=(BLANK, *_padded(_alternatives(literal))))
        return self._union(name, f"{doc} Or a dynamic value.", f"{literal_name} DynamicValue")


# ---------------------------------------------------------------------------------------------
# Elements, attributes and content models.

_ALIAS_PHRASE = {
    AliasKind.LEGACY: "Legacy name of",
    AliasKind.MISSPELLING: "Vendor misspelling of",
    AliasKind.VARIANT: "Variant spelling of",
}


def _alias_doc(alias: Alias, canonical: str, doc: str) -> str:
    return f"{_ALIAS_PHRASE[alias.kind]} {canonical}, accepted for compatibility. {doc}"


def type_name(cmd: Command) -> str:
    """The name of the complex type of an element."""
    return f"{cmd.name}Type"


def _valid_in(cmd: Command) -> frozenset[Context]:
    return cmd.contexts or _EVERYWHERE


def in_schema(cmd: Command) -> bool:
    """Whether the schema declares `cmd`: every OzML element, and the HTTP API commands whose
    use in OzML is undocumented rather than excluded (http-only-command only warns there);
    those the vendor states are HTTP API commands only are left out (D5)."""
    return cmd.in_ozml or not cmd.usage_fact.stated


def text_may_give(cmd: Command) -> bool:
    """Whether an element of `cmd` may give a parameter as its text for all the vendor says:
    its command has no text parameter, and that it takes no text is assumed. missing-parameter
    only warns about a parameter missing beside such text (``Command.no_text_fact``)."""
    return cmd.documented and cmd.text_param is None and not cmd.no_text_fact.stated


def is_required(cmd: Command, param: Param) -> bool:
    """Whether the schema marks `param` ``use="required"``: only where missing-parameter reports
    its absence as an error whatever else the element holds.

    That is what is mandatory in every context the command is valid in (D4), in an OzML
    command, where the vendor states it is mandatory (``Param.required``), and only for
    parameters that must be attributes: a text parameter may be written as text instead (D7),
    a parameter with other accepted spellings may be written under one of those, and in an
    element whose command takes no text by assumption only, the text may give it (XSD 1.0
    cannot make an attribute required only when the element has no text).
    """
    return (
        cmd.in_ozml
        and param.is_required(Context.ANY, _valid_in(cmd))
        and param.required.stated
        and not param.text
        and not param.aliases
        and not text_may_give(cmd)
    )


def _param_doc(param: Param, cmd: Command) -> str:
    doc = param.doc
    if param.text:
        doc += " May also be written as the element text."
    required_in = param.required_in & _valid_in(cmd)
    mandatory = cmd.in_ozml and param.is_required(Context.ANY, _valid_in(cmd)) and not param.text
    if required_in and not param.is_required(Context.ANY, _valid_in(cmd)):
        where = ", ".join(sorted(c.value for c in required_in))
        doc += f" Mandatory in {where} scripts."
    elif mandatory and not is_required(cmd, param):
        # Not use="required": say why, as missing-parameter's finding would.
        if not param.required.stated:
            doc += f" Taken to be mandatory: {param.required.label()}."
        elif text_may_give(cmd):
            doc += " Mandatory, unless the element's text gives it (which is undocumented)."
        else:
            doc += " Mandatory (under any of its spellings)."
    if param.default is not None:
        doc += f" Default: {default_text(param, why=True)}."
    if param.empty_means is not None:
        doc += f" Empty: {param.empty_means}."
    if not param.typed.stated and param.type not in (ValueType.STRING, ValueType.OZML):
        doc += f" Its type ({param.type.value}) is {param.typed.label()}: not checked here."
    return doc


def _attributes(cmd: Command, types: _Types) -> list[_Node]:
    found = []
    if not cmd.params_fact.stated and len(cmd.ozml_params) != len(cmd.params):
        # Any attribute is taken beside the parameters (below): an HTTP API parameter, which
        # unknown-attribute reports as an error whatever the table, would be taken too.
        raise ValueError(f"{cmd.name}: HTTP API parameters beside an open parameter table")
    for param in cmd.ozml_params:
        type_ = types.attribute(cmd, param)
        doc = _param_doc(param, cmd)
        extra = {"use": "required"} if is_required(cmd, param) else {}
        found.append(_xs("attribute", _doc(doc), name=param.name, type=type_, **extra))
        for alias in param.aliases:
            found.append(
                _xs(
                    "attribute",
                    _doc(_alias_doc(alias, param.name, doc)),
                    name=alias.name,
                    type=type_,
                )
            )
    return found


def _element_decls(cmd: Command) -> list[_Node]:
    """Declarations of `cmd` under its canonical name and each alias, all of one type."""
    decls = [_xs("element", _doc(cmd.doc), name=cmd.name, type=type_name(cmd))]
    for alias in cmd.aliases:
        decls.append(
            _xs(
                "element",
                _doc(_alias_doc(alias, cmd.name, cmd.doc)),
                name=alias.name,
                type=type_name(cmd),
            )
        )
    return decls


def closed(cmd: Command, strict: bool) -> bool:
    """Whether the schema rejects a child element `cmd`'s content does not take
    (`ozml.catalog.nesting.holds`): where the vendor states that content
    (``Command.children_fact``), and in the strict schema everywhere, the assumed facts too."""
    return strict or cmd.children_fact.stated


def _open(cmd: Command, strict: bool) -> bool:
    """Whether `cmd`'s content is the open `Elements` group (any element but a root)."""
    return cmd.documented and not closed(cmd, strict)


def _many(*particles: _Node) -> _Node:
    return _xs("choice", *particles, minOccurs="0", maxOccurs="unbounded")


def _complex_type(cmd: Command, types: _Types, strict: bool = False) -> _Node:
    name = type_name(cmd)
    if not cmd.documented:
        # D6: parameters and content unknown. Any attribute; any text; any known element (an
        # unknown one is still reported, as the linter does).
        return _xs(
            "complexType",
            _doc(f"{cmd.doc} Undocumented (D6): any attribute, text and OzML element."),
            _xs("group", ref="AnyElement", minOccurs="0", maxOccurs="unbounded"),
            _xs("anyAttribute", processContents="skip"),
            name=name,
            mixed="true",
        )
    attributes = _attributes(cmd, types)
    if cmd.kind is ElementKind.ROOT and not cmd.params_fact.stated:
        # That the root takes no attribute is assumed: unknown-attribute only warns. Any
        # attribute, and the xsi: ones editors add are still checked where they are known.
        attributes.append(_xs("anyAttribute", processContents="lax"))
    elif cmd.kind is ElementKind.ROOT:
        # Editors add xsi:noNamespaceSchemaLocation. Validators allow the four standard xsi:
        # attributes anywhere; this admits any other xsi: attribute on the root, as the linter
        # does, and nothing from other namespaces but XML's own, which the linter reports.
        namespaces = f"{XSI_NAMESPACE} {XML_NAMESPACE}"
        attributes.append(_xs("anyAttribute", namespace=namespaces, processContents="lax"))
    elif not cmd.params_fact.stated:
        # Its parameter table is not known to be whole: unknown-attribute only warns.
        attributes.append(_xs("anyAttribute", processContents="skip"))
    else:
        attributes.append(_xs("anyAttribute", namespace=XML_NAMESPACE, processContents="skip"))
    text_param = cmd.text_param
    # Text where no parameter is marked as text: text-not-allowed only warns, unless the
    # vendor states the element takes none (`no_text_fact`).
    any_text = text_param is None and not cmd.no_text_fact.stated
    doc = _complex_doc(cmd, strict)
    if not closed(cmd, strict):
        # What it holds beyond what the vendor shows is assumed: the linter warns, the schema
        # takes any element but a root (which the linter reports as an error everywhere).
        particle = _xs("group", ref="Elements", minOccurs="0", maxOccurs="unbounded")
    elif cmd.children is ChildPolicy.NONE:
        if text_param is not None:
            base = types.text(cmd, text_param)
        else:
            base = "xs:string" if any_text else types.no_text()
        content = _xs("simpleContent", _xs("extension", *attributes, base=base))
        return _xs("complexType", _doc(doc), content, name=name)
    elif cmd.children is ChildPolicy.COMMANDS:
        particle = _xs("group", ref="Commands", minOccurs="0", maxOccurs="unbounded")
    else:
        particle = _many(*(_xs("group", ref=child) for child in cmd.child_names))
    # Text beside child elements: mixed content, the text unchecked (XSD 1.0 cannot type it).
    # Even where the vendor states the element takes no text (Reject), text of white space
    # other than XML's (U+00A0) is only a warning (the PBX may trim it), and element-only
    # content would reject it.
    return _xs("complexType", _doc(doc), particle, *attributes, name=name, mixed="true")


def _complex_doc(cmd: Command, strict: bool = False) -> str:
    """`cmd`'s description, and what the schema takes because a fact about it is assumed (and
    in the strict schema, what it refuses though the fact is assumed)."""
    doc = cmd.doc
    if not cmd.usage_fact.stated and not cmd.in_ozml:
        basis = cmd.usage_fact.label()
        doc += f" Documented as an HTTP API command; that it is no OzML is {basis}."
    if cmd.text_param is None and not cmd.no_text_fact.stated:
        doc += " The schema takes text in it: that it takes none is only assumed."
    if not cmd.params_fact.stated:
        doc += (
            " The schema takes any attribute: that its parameter table is whole is only"
            f" assumed ({cmd.params_fact.citation()}: {cmd.params_fact.why})."
        )
    if strict and not cmd.children_fact.stated:
        fact = cmd.children_fact
        doc += (
            f" Strict schema: {_children_phrase(cmd)} refused, though that is only assumed"
            f" ({fact.citation()}: {fact.why}); ozml check warns (child-not-allowed, OZ104)."
        )
    return doc


def _children_phrase(cmd: Command) -> str:
    """What the strict schema refuses in `cmd`: the child elements its content does not take."""
    if cmd.children is ChildPolicy.NONE:
        return "child elements are"
    if cmd.children is ChildPolicy.COMMANDS:
        return "child elements other than commands are"
    return f"child elements other than {' and '.join(cmd.child_names)} are"


def _ozml_elements() -> tuple[list[Command], list[Command], list[Command]]:
    roots = [c for c in ALL if c.kind is ElementKind.ROOT]
    parts = [c for c in ALL if c.kind is ElementKind.PART]
    commands = [c for c in ALL if c.kind is ElementKind.COMMAND and in_schema(c)]
    return roots, parts, commands


def schema_node(strict: bool = False) -> _Node:
    """The schema; `strict`: the strict schema, which also enforces the assumed child-element
    facts (the module's docstring)."""
    roots, parts, commands = _ozml_elements()
    types = _Types()
    group_names = {"Commands", "AnyElement", "Elements"}
    for cmd in parts + commands:
        if cmd.name in group_names:
            raise ValueError(f"element name {cmd.name} clashes with a schema group name")
        group_names.add(cmd.name)

    root_decls = [decl for cmd in roots for decl in _element_decls(cmd)]
    groups = [
        _xs("group", _xs("choice", *_element_decls(cmd)), name=cmd.name) for cmd in parts + commands
    ]
    any_element = _xs(
        "group",
        _doc("Any OzML element: the content of an undocumented command (D6)."),
        _xs(
            "choice",
            *(_xs("element", ref=name) for cmd in roots for name in cmd.all_names),
            *(_xs("group", ref=cmd.name) for cmd in parts + commands),
        ),
        name="AnyElement",
    )
    command_group = _xs(
        "group",
        _doc(
            "Any OzML command, and any HTTP API command whose use in OzML is undocumented rather"
            " than excluded (the vendor's HTTP-API-only commands are not OzML, D5)."
        ),
        _xs("choice", *(_xs("group", ref=cmd.name) for cmd in commands)),
        name="Commands",
    )
    element_group = _xs(
        "group",
        _doc(
            "Any OzML command or part: the content of an element whose content beyond what the"
            " vendor shows is assumed (ozml check warns about what the vendor does not show)."
        ),
        _xs("choice", *(_xs("group", ref=cmd.name) for cmd in parts + commands)),
        name="Elements",
    )
    complex_types = [_complex_type(cmd, types, strict) for cmd in roots + parts + commands]
    # The open content (`Elements`) only where an element takes it: not in the strict schema.
    elements = roots + parts + commands
    open_content = [element_group] if any(_open(c, strict) for c in elements) else []
    clash = {type_name(cmd) for cmd in roots + parts + commands} & set(types.nodes)
    if clash:
        raise ValueError(f"type names used twice: {sorted(clash)}")
    body: list[_Node | _Comment] = [
        _Comment("Document roots: the only global elements, so nothing else can be a root."),
        *root_decls,
        _Comment("Commands and parts, each under every accepted name."),
        command_group,
        *open_content,
        any_element,
        *groups,
        _Comment("Content and parameters of each element."),
        *complex_types,
        _Comment("Value types; each checked type also accepts a DynamicValue."),
        *types.nodes.values(),
    ]
    return _Node("xs:schema", (("xmlns:xs", XS_NAMESPACE),), tuple(body))


def generate(strict: bool = False) -> str:
    """The text of ``schema/ozml.xsd``, or with `strict` of ``schema/ozml-strict.xsd``."""
    text = HEADER + ("\n\n" + STRICT_HEADER if strict else "")
    if "--" in text:
        raise ValueError("an XML comment cannot hold two hyphens in a row")
    header = "\n".join(f"  {line}" if line else "" for line in text.splitlines())
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!--", header, "-->"]
    lines.extend(_render(schema_node(strict), 0))
    return "\n".join(lines) + "\n"


def outputs(root: Path) -> dict[Path, str]:
    """The checked-in schemas and the copies shipped inside the package (`ozml schema`,
    `ozml schema --strict`)."""
    text, strict = generate(), generate(strict=True)
    return {
        SCHEMA_PATH: text,
        PACKAGE_PATH: text,
        STRICT_SCHEMA_PATH: strict,
        STRICT_PACKAGE_PATH: strict,
    }
