"""The builder's machinery: typed elements that check themselves against the catalog.

The classes users build with (`Speak`, `UserInput`, `Response`, ...) are generated from the
catalog into `ozml.builder._generated`; each is a thin subclass of the classes here, naming its
catalog entry and passing its keyword arguments on by canonical parameter name. Everything else
lives here: converting Python values to OzML text, checking them exactly as the linter does
(raising `BuildError` with the linter's code and message), checking what may contain what, and
turning the result into an `ozml.nodes` tree and canonical XML (`ozml.writer`).
"""

from __future__ import annotations

import decimal
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar, Self, TypeAlias

from ozml import nodes, templates, xmlspace
from ozml.catalog import (
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    ValueType,
    command,
    lookup_element,
    lookup_param,
    messages,
    nesting,
    values,
)
from ozml.flow import control
from ozml.generate.builder import python_name, required_everywhere
from ozml.limits import MAX_DEPTH
from ozml.parser import TOO_DEEP
from ozml.syntaxes import SYNTAXES
from ozml.writer import (
    Style,
    check_name,
    check_text,
    comment,
    escape_attribute,
    escape_text,
    write,
)

_EVERYWHERE = frozenset(Context.concrete())
#: How the builder writes: a `str` is plain text, so no template engine may read a part in it,
#: wherever its openers stand (`ozml.writer.Style.literal_openers`).
WRITING = Style(literal_openers=True)
#: Where the builder's findings say the context came from (the linter names its option or file).
CONTEXT_ORIGIN = "the builder"


class BuildError(ValueError):
    """A document the linter would report: `code` and `message` are the linter's finding.

    >>> from ozml.builder import Play
    >>> Play("hello.wav", repeat="yes")  # type: ignore[arg-type]
    Traceback (most recent call last):
    ...
    ozml.builder.base.BuildError: OZ202 Play Repeat must be true or false, found 'yes'
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def _expect_str(value: object, what: str) -> str:
    """`value`, or a `TypeError` naming `what` when it is not a str."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, found {type(value).__name__} {value!r}")
    return value


class Dynamic:
    """A value known only when the script runs: it holds a ``$variable`` (D8) or a server-side
    template part (``{{ timeout }}``, ``<?= $timeout ?>``), for any parameter.

    A str is plain text; a template part is written only from a Dynamic, as it is (the
    template reads it before any XML parser does), and refused where ozml would not read it
    back as that part (`template_parts`).

    >>> from ozml.builder import Speak, UserInput
    >>> UserInput(timeout=Dynamic("$timeout")).to_xml()
    '<UserInput Timeout="$timeout"/>\\n'
    >>> Speak(Dynamic("{% if a < b %}Hello{% endif %}")).to_xml()
    '<Speak>{% if a < b %}Hello{% endif %}</Speak>\\n'
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        _expect_str(text, "Dynamic text")
        if not values.is_dynamic(text):
            raise ValueError(
                f"Dynamic({text!r}): the value holds no $variable or template placeholder"
            )
        self.text = text

    def __repr__(self) -> str:
        return f"Dynamic({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Dynamic) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class Comment:
    """An XML comment among the commands; it cannot hold ``--`` or end with ``-``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        comment(_expect_str(text, "Comment text"))  # ValueError for what a comment cannot hold
        self.text = text

    def to_node(self) -> nodes.Comment:
        return nodes.Comment(self.text)

    def __repr__(self) -> str:
        return f"Comment({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Comment) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


# --- values -----------------------------------------------------------------------------------

_NUMBERS = frozenset(
    {ValueType.INTEGER, ValueType.SECONDS, ValueType.PHONE, ValueType.DESTINATION,
     ValueType.DTMF_KEYS, ValueType.DTMF_KEY}
)  # fmt: skip


# The builder speaks as the linter does without depending on it (DESIGN.md: the builder and the
# linter are siblings); tests/test_builder.py checks each message against the linter's.


def _closest(value: str, choices: Sequence[str]) -> str | None:
    """The allowed value most like `value`, as the linter's did-you-mean picks it."""
    pool = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(value.lower(), list(pool), n=2, cutoff=0.7)
    return pool[found[0]] if found else None


def _seconds(number: float) -> str:
    # repr gives the shortest exact form; Decimal spells 1e-05 as 0.00001.
    return format(decimal.Decimal(repr(float(number))), "f")


def _as_text(cmd: Command, param: Param, value: object) -> str:
    """The OzML text of a Python value for `param`, or `TypeError` for a value of the wrong kind."""
    if isinstance(value, Dynamic):
        return value.text
    if isinstance(value, str):
        return value
    kind = param.type
    if isinstance(value, bool):
        if kind is ValueType.BOOLEAN:
            return "true" if value else "false"
    elif isinstance(value, int):
        if kind in _NUMBERS:
            return values.written(value)
    elif isinstance(value, float) and kind is ValueType.SECONDS:
        return _seconds(value)
    article = "an" if kind.value[:1] in "aeiou" else "a"
    raise TypeError(
        f"{cmd.name} {param.name}: {type(value).__name__} is not a value for {article}"
        f" {kind.value} parameter"
    )


#: The template syntaxes a plain value is read with: none, so that only ``$variables`` are dynamic.
_PLAIN: frozenset[str] = frozenset()
#: Template spans: (start, end) of each part in a value.
Spans: TypeAlias = tuple[tuple[int, int], ...]


def braced_part(value: str) -> str | None:
    """The first template part ozml would read in `value` once written as plain text, escaped
    (`ozml.templates.written_parts`, the one rule), or None: a ``{{ name }}``, ``{% if %}``,
    ``{# #}`` or ``${x}``, which escaping leaves as they are. The openers of the other
    syntaxes (``<%``, ``<?php``, ``<?=``) are written ``&lt;%``, which opens no part; so is a
    ``<`` that would be markup, so the ``<`` are read as the same number of other characters."""
    if "{" not in value:
        return None
    found = templates.written_parts(value.replace("<", " "))
    return value[found[0][0] : found[0][1]] if found else None


def plain_text(what: str, value: str, *, attribute: bool) -> None:
    """Refuse (`ValueError`) a plain attribute value holding a part of a template syntax
    (`braced_part`). It could be written as plain text, its openers' braces as references
    (`WRITING`), as element text is; but a value such as a URL holding a whole part is a
    template part given as a `str` far more often than text meant so, and a URL's braces
    would then reach the PBX as they are: the builder asks which it is."""
    part = braced_part(value) if attribute else None
    if part is None:
        return
    raise ValueError(
        f"{what}: {value!r} holds {part!r}, which ozml reads as a template part, in an"
        " attribute value, where it is taken for one given as plain text; give a template part"
        " as Dynamic(...)"
    )


def template_parts(what: str, value: str, *, attribute: bool) -> Spans:
    """Where the template parts of a `Dynamic` value are, to be written as they are: each
    must be read back as that same part where it stands (in element text, or in an attribute
    value when `attribute`), else `ValueError`. In element text a ``<?php ?>`` part is an XML
    processing instruction, and a ``{{ }}`` part cannot hold markup (``{{ "<b>" }}``); in an
    attribute value a ``{{ }}`` part cannot hold its quote (docs/templates.md)."""
    spans = tuple(values.template_spans(value))
    if not spans:
        return ()
    escape = escape_attribute if attribute else escape_text
    pieces = ['<a b="' if attribute else "<a>"]
    size = len(pieces[0])
    expected: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans:
        for piece in (escape(value[pos:start]), value[start:end]):
            pieces.append(piece)
            size += len(piece)
        expected.append((size - (end - start), size))
        pos = end
    pieces.append(escape(value[pos:]) + ('"/>' if attribute else "</a>"))
    found = {(part.start, part.end) for part in templates.find("".join(pieces))}
    for (start, end), at in zip(spans, expected, strict=True):
        if at in found:
            continue
        part = value[start:end]
        if attribute:
            why = "in an attribute value it cannot hold the value's quote (\")"
        elif part.startswith(("<?php", "<?PHP")):
            why = "in element text it is an XML processing instruction (write <?= ... ?>)"
        else:
            why = "in element text it cannot hold markup"
        raise ValueError(
            f"{what}: the template part {part!r} would not be read back as one: {why}"
        )
    return spans


def text_written(param: Param, value: str) -> bool:
    """Whether the builder writes a text parameter's value as element text (D7).

    Element text is read without the XML white space around it, and whether the PBX also trims
    other spaces (U+00A0) is not known (`ozml.xmlspace`), so a value that is empty or begins or
    ends with any white space is written as an attribute, where it is kept exactly.
    """
    return param.text and bool(value) and value == xmlspace.trimmed(value)


def check_value(cmd: Command, param: Param, text: str, *, dynamic: bool = False) -> None:
    """Raise the linter's finding (OZ303 or OZ202) for a value it would report.

    A plain value (not `dynamic`) is checked as the linter checks it with no template syntax
    on (``templates = []``): only a ``$variable`` makes it dynamic; a `Dynamic` one's template
    parts count too."""
    check_text(text, f"{cmd.name} {param.name}")
    fixed = values.case_fix(param, text)
    if fixed is not None:
        raise BuildError("OZ303", messages.value_case(cmd.name, param.name, text, fixed))
    expected = values.check(param, text, values.ALL_SYNTAXES if dynamic else _PLAIN)
    if expected is None:
        return
    basis = values.grounds(param, text)  # the type, or a bound the vendor does not state
    if text_written(param, text):
        raise BuildError(
            "OZ202", basis.qualify(messages.invalid_text(cmd.name, param.name, expected, text))
        )
    guess = _closest(text, param.values) if param.values else None
    message = messages.invalid_value(cmd.name, param.name, expected, text, guess)
    raise BuildError("OZ202", basis.qualify(message))


def missing(cmd: Command, param: Param, context: Context = Context.ANY) -> BuildError:
    scope = ""
    if param.required_in != _EVERYWHERE and context is not Context.ANY:
        scope = f" {_where(context)}"
    message = messages.missing_parameter(cmd.name, param.name, text=param.text, scope=scope)
    return BuildError("OZ201", param.required.qualify(message))


def _where(context: Context) -> str:
    article = "an" if context.value[0] in "aeiou" else "a"
    return f"in {article} {context.value} script (context from {CONTEXT_ORIGIN})"


# --- names and unknown attributes -------------------------------------------------------------

#: The one prefix bound without a declaration (``xml:lang``, ``xml:space``: docs/decisions.md).
_XML_PREFIX = "xml"


def check_element_name(name: object) -> str:
    """`name` when the builder can write it as an element's name, else `TypeError` (not a
    str) or `ValueError` (not an XML name, or a name with a namespace prefix: OzML has no
    namespaces, and the builder declares none, so a prefix would be undeclared)."""
    if not isinstance(name, str):
        raise TypeError(f"element name must be a str, found {type(name).__name__} {name!r}")
    check_name(name, "element name")
    if ":" in name:
        raise ValueError(
            f"element name {name!r} has a namespace prefix, which the builder cannot declare:"
            " OzML elements have none"
        )
    return name


def check_attribute_name(name: object) -> str:
    """`name` when the builder can write it as an attribute's name: an XML name without a
    namespace prefix, or ``xml:`` and one (``xml:lang``: that prefix needs no declaration).

    A namespace declaration (``xmlns``, ``xmlns:p``) is refused: OzML has no namespaces, and
    a prefix it declared could not be used, since the builder refuses other prefixes (an
    element cannot see the declarations of the elements it is put in, which are built after
    it). `TypeError` for a name that is not a str, `ValueError` for the rest."""
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be a str, found {type(name).__name__} {name!r}")
    check_name(name, "attribute name")
    if name == "xmlns" or name.startswith("xmlns:"):
        raise ValueError(
            f"attribute {name!r} declares a namespace: the builder writes OzML, which has none,"
            " and declares no namespaces"
        )
    prefix, colon, local = name.partition(":")
    if not colon:
        return name
    if prefix == _XML_PREFIX:
        if ":" in local or not _is_xml_name(local):
            raise ValueError(f"attribute name {name!r}: xml: must be followed by a name")
        return name
    raise ValueError(
        f"attribute name {name!r} has a namespace prefix, which the builder cannot declare;"
        " only xml: attributes such as xml:lang need no declaration"
    )


def _is_xml_name(name: str) -> bool:
    try:
        check_name(name)
    except ValueError:
        return False
    return True


def _given(attributes: Mapping[str, str] | None, owner: str) -> Mapping[str, str]:
    """The `attributes` argument of an element, as a mapping (name → value)."""
    if attributes is None:
        return {}
    if not isinstance(attributes, Mapping):
        raise TypeError(
            f"{owner} attributes must be a mapping of names to values, found"
            f" {type(attributes).__name__}"
        )
    return attributes


def unknown_attribute(
    owner: str, name: str, value: object, existing: tuple[nodes.Attribute, ...]
) -> nodes.Attribute:
    """The attribute `name` (checked by `check_attribute_name`) with `value`, for an element
    `owner` that has the attributes `existing`: a value that is not a str is a `TypeError`;
    one XML cannot hold, or a name the element already has, a `ValueError`."""
    if not isinstance(value, str):
        raise TypeError(
            f"{owner} {name}: the value of an attribute must be a str, found"
            f" {type(value).__name__} {value!r}"
        )
    check_text(value, f"{owner} {name}")
    if any(a.name == name for a in existing):
        raise ValueError(f"{owner} already has an attribute {name}")
    plain_text(f"{owner} {name}", value, attribute=True)
    return nodes.Attribute(name, value)


def _check_layout(tag: str, text: str, attributes: Mapping[str, str] | None) -> None:
    """Refuse (`ValueError`) element text that starts or ends with XML white space
    (`ozml.xmlspace`), which ozml reads as layout and drops (D7: a known element writes such a
    text parameter as an attribute, `text_written`; an unknown one has no attribute for it),
    unless the element keeps it (``xml:space="preserve"``)."""
    if _given(attributes, tag).get("xml:space") == "preserve":
        return
    what = "white space alone" if xmlspace.is_blank(text) else "white space around text"
    raise ValueError(
        f"{tag} text {text!r}: {what} is layout, which ozml does not read back as text;"
        ' leave it out, or give the element xml:space="preserve"'
    )


def _text(value: str, spans: Spans) -> nodes.Text:
    """Element text: a Dynamic value's template parts (`spans`) written as they are; the rest
    plain text, written with the brace of each template opener as a reference (`WRITING`)."""
    return nodes.Text(value, templates=spans)


# --- elements -------------------------------------------------------------------------------


def _depth(children: tuple[Child, ...]) -> int:
    """The levels of elements an element holding `children` makes, itself included; refused
    past what a parser reads (OZ001, as the parser reports it)."""
    depth = 1 + max((c._depth for c in children if isinstance(c, OzmlElement)), default=0)
    if depth > MAX_DEPTH:
        raise BuildError("OZ001", f"not well-formed XML: {TOO_DEEP}")
    return depth


class OzmlElement:
    """An element of a document being built: a command, a structural part or the root.

    Elements are immutable values: built once, checked once, comparable with ``==``.
    """

    __slots__ = ("_children", "_depth", "_extra", "_node", "_params", "_templates")
    #: The canonical name of the catalog entry a subclass builds.
    ozml_name: ClassVar[str]

    def __init__(
        self,
        params: Mapping[str, object] | None = None,
        children: Iterable[Child | str] = (),
        attributes: Mapping[str, str] | None = None,
    ) -> None:
        cmd = self.catalog_entry()
        given: dict[str, str] = {}
        parts: dict[str, Spans] = {}
        for name, value in (params or {}).items():
            param = cmd.param(name)
            if value is None:
                if required_everywhere(cmd, param):
                    raise missing(cmd, param)
                continue
            text = _as_text(cmd, param, value)
            dynamic = isinstance(value, Dynamic)
            check_value(cmd, param, text, dynamic=dynamic)
            what = f"{cmd.name} {param.name}"
            attribute = not text_written(param, text)
            if dynamic:
                spans = template_parts(what, text, attribute=attribute)
                if spans:
                    parts[name] = spans
            else:
                plain_text(what, text, attribute=attribute)
            given[name] = text
        self._params = given
        self._templates = parts
        self._children = tuple(self._check_children(cmd, children))
        self._depth = _depth(self._children)
        self._node: nodes.Element | None = None
        # A mapping's names are distinct: none needs comparing with the others, and the tuple
        # is made once (n attributes cost n, not n²).
        self._extra: tuple[nodes.Attribute, ...] = tuple(
            self._unknown(cmd, name, value, ())
            for name, value in _given(attributes, cmd.name).items()
        )
        if cmd.children is ChildPolicy.COMMANDS:
            check_block(cmd, self._children, top=cmd.kind is ElementKind.ROOT)

    @classmethod
    def catalog_entry(cls) -> Command:
        return command(cls.ozml_name)

    # children ---------------------------------------------------------------------------

    @staticmethod
    def _check_children(cmd: Command, children: Iterable[Child | str]) -> Iterator[Child]:
        for child in children:
            if isinstance(child, str) and cmd.name == "Array":
                from ozml.builder._generated import Item

                yield Item(child)
                continue
            if not isinstance(child, OzmlElement | Comment):
                raise TypeError(
                    f"{cmd.name} cannot hold {type(child).__name__} {child!r}: give builder"
                    " elements such as Speak(...) or Comment(...)"
                )
            if isinstance(child, OzmlElement):
                problem = child_problem(cmd, child.catalog_entry_or_none())
                if problem is not None:
                    raise BuildError("OZ104", problem)
            yield child

    def catalog_entry_or_none(self) -> Command | None:
        return self.catalog_entry()

    # the escape hatch ---------------------------------------------------------------------

    def with_unknown_attribute(self, name: str, value: str) -> Self:
        """A copy with an attribute the catalog does not know, added deliberately.

        The linter reports it (unknown-attribute, OZ103): use it for a parameter the vendor
        added after ozml's catalog was written. A known parameter is refused: pass it by name.
        """
        copy = self._copy()
        copy._extra = (*self._extra, self._unknown(self.catalog_entry(), name, value, self._extra))
        return copy

    def _unknown(
        self, cmd: Command, name: str, value: str, existing: tuple[nodes.Attribute, ...]
    ) -> nodes.Attribute:
        check_attribute_name(name)
        pm = lookup_param(cmd, name)
        if pm is not None:
            arg = python_name(pm.param.name)
            raise ValueError(f"{name} is {cmd.name}'s {pm.param.name}: pass it as {arg}=...")
        return unknown_attribute(cmd.name, name, value, existing)

    def _copy(self) -> Self:
        copy = object.__new__(type(self))
        copy._params = self._params
        copy._templates = self._templates
        copy._children = self._children
        copy._depth = self._depth
        copy._extra = self._extra
        copy._node = None
        return copy

    # reading back -------------------------------------------------------------------------

    @property
    def params(self) -> dict[str, str]:
        """The parameters given, canonical name → OzML text."""
        return dict(self._params)

    @property
    def children(self) -> tuple[Child, ...]:
        return self._children

    def to_node(self) -> nodes.Element:
        """The element as an `ozml.nodes` tree (what the parser makes of `to_xml()`).

        Built from the deepest elements up, without recursion: an element may hold
        `MAX_DEPTH` levels, three Python frames each when each built its children's."""
        if self._node is None:
            pending: list[tuple[OzmlElement, bool]] = [(self, False)]
            while pending:
                element, ready = pending.pop()
                if element._node is not None:
                    continue
                if ready:  # its children's nodes are made
                    element._node = element._build_node()
                    continue
                pending.append((element, True))
                pending.extend(
                    (child, False)
                    for child in reversed(element._children)
                    if isinstance(child, OzmlElement) and child._node is None
                )
        assert self._node is not None
        return self._node

    def _build_node(self) -> nodes.Element:
        cmd = self.catalog_entry()
        attributes: list[nodes.Attribute] = []
        content: list[nodes.Node] = []
        for param in cmd.params:
            text = self._params.get(param.name)
            if text is None:
                continue
            spans = self._templates.get(param.name, ())
            if text_written(param, text):
                content.append(_text(text, spans))
            else:
                attributes.append(nodes.Attribute(param.name, text, spans))
        attributes.extend(self._extra)
        content.extend(child.to_node() for child in self._children)
        return nodes.Element(cmd.name, tuple(attributes), tuple(content))

    def to_xml(self) -> str:
        """This element alone, as canonical XML (no declaration)."""
        return write(self.to_node(), style=WRITING)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OzmlElement) and self.to_node() == other.to_node()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        cmd = self.catalog_entry()
        parts = [repr(child) for child in self._children]
        parts.extend(f"{python_name(n)}={v!r}" for n, v in self._params.items())
        if self._extra:
            extra = {a.name: a.value for a in self._extra}
            parts.append(f"unknown_attributes={extra!r}")
        return f"{cmd.name}({', '.join(parts)})"


class CommandElement(OzmlElement):
    """A command: what `Response`, `Input`, `ForEach` and the other command blocks hold."""

    __slots__ = ()


class PartElement(OzmlElement):
    """A structural part of a command: InitialCommands, Inputs, Input, Item, Received, ..."""

    __slots__ = ()


class UnknownElement(CommandElement):
    """An element the catalog does not know, added deliberately (the escape hatch).

    The linter reports it (unknown-element, OZ102). Its attributes and children are taken as
    given; a known name is refused, since the typed class for it says more.
    """

    __slots__ = ("_tag", "_text")
    ozml_name = ""

    def __init__(
        self,
        tag: str,
        *children: Child,
        attributes: Mapping[str, str] | None = None,
        text: str | None = None,
    ) -> None:
        check_element_name(tag)
        known = lookup_element(tag)
        if known is not None:
            name = known.command.name
            raise ValueError(f"{tag} is {name}: use ozml.builder.{name}")
        self._tag = tag
        self._text = check_text(_expect_str(text, f"{tag} text"), tag) if text is not None else None
        if self._text is not None:
            plain_text(f"{tag} text", self._text, attribute=False)
            if self._text != xmlspace.strip(self._text):
                _check_layout(tag, self._text, attributes)
        self._params = {}
        self._templates = {}
        for child in children:
            if not isinstance(child, OzmlElement | Comment):
                raise TypeError(f"{tag} cannot hold {type(child).__name__} {child!r}")
            if isinstance(child, OzmlElement) and child.ozml_name == "Reject":
                message = f"Reject must be the first command of the response (it is inside {tag})"
                raise BuildError("OZ401", message)
        self._children = tuple(children)
        self._depth = _depth(self._children)
        self._node = None
        # A mapping's names are distinct (as in `OzmlElement`): n attributes cost n, not n².
        self._extra = tuple(
            unknown_attribute(tag, check_attribute_name(name), value, ())
            for name, value in _given(attributes, tag).items()
        )

    def catalog_entry_or_none(self) -> Command | None:
        return None

    def with_unknown_attribute(self, name: str, value: str) -> Self:
        """A copy with one more attribute (an attribute it already has is refused)."""
        check_attribute_name(name)
        copy = self._copy()
        copy._extra = (*self._extra, unknown_attribute(self._tag, name, value, self._extra))
        return copy

    def _copy(self) -> Self:
        copy = super()._copy()
        copy._tag = self._tag
        copy._text = self._text
        return copy

    def _build_node(self) -> nodes.Element:
        content: list[nodes.Node] = [_text(self._text, ())] if self._text else []
        content.extend(child.to_node() for child in self._children)
        return nodes.Element(self._tag, self._extra, tuple(content))

    def __repr__(self) -> str:
        parts = [repr(self._tag), *(repr(c) for c in self._children)]
        if self._extra:
            parts.append(f"attributes={ {a.name: a.value for a in self._extra}!r}")
        if self._text is not None:
            parts.append(f"text={self._text!r}")
        return f"UnknownElement({', '.join(parts)})"


Child: TypeAlias = OzmlElement | Comment
#: What a command block (Response, InitialCommands, Input, ForEach, ...) holds.
CommandChild: TypeAlias = CommandElement | Comment


def child_problem(parent: Command, child: Command | None) -> str | None:
    """The linter's child-not-allowed message when `child` may not stand in `parent`
    (`ozml.catalog.nesting`): the builder makes no document the linter would report, and where
    what `parent` holds is only assumed its refusal says so, as the linter's warning does."""
    if child is None:
        return None  # unknown elements are the linter's unknown-element business
    found = nesting.misplaced(parent, child)
    return found.message if found is not None else None


def _ends_script(element: OzmlElement) -> bool:
    """Hangup of the current call, Exit and Reject end the script (D9: Hangup's and Exit's
    ending assumed; `ozml.flow.control.ends_script`)."""
    return control.ends_script(element.ozml_name, element.params)


def check_block(cmd: Command, children: Sequence[Child], *, top: bool) -> None:
    """Reject first (and only at the top), nothing after the end of the script (D9)."""
    first = True
    stop: OzmlElement | None = None
    for child in children:
        if not isinstance(child, OzmlElement):
            continue
        if stop is not None:
            name = child.to_node().tag
            raise BuildError("OZ402", control.never_runs(name, stop.ozml_name))
        if child.ozml_name == "Reject" and not (top and first):
            where = "" if top else f" (it is inside {cmd.name})"
            raise BuildError("OZ401", f"Reject must be the first command of the response{where}")
        first = False
        if _ends_script(child):
            stop = child


class RootElement(OzmlElement):
    """The document root: builds the whole document and checks it for a context."""

    __slots__ = ()

    def check(self, context: Context | str = Context.ANY) -> None:
        """Raise the first finding the context adds (D4): mandatory parameters (OZ201),
        commands (OZ601) and parameters (OZ602) that do not belong in it.

        `context` is a `Context` or its name (``"3pcc"``): anything else is a `TypeError`, a
        name that is none a `ValueError`."""
        ctx = _context(context)
        if ctx is Context.ANY:
            return
        for element in _walk(self):
            cmd = element.catalog_entry_or_none()
            if cmd is None:
                continue
            if (
                cmd.kind is ElementKind.COMMAND
                and cmd.context_known
                and cmd.contexts
                and ctx not in cmd.contexts
            ):
                raise BuildError(
                    "OZ601",
                    f"{cmd.name} is not valid {_where(ctx)}; use it in"
                    f" {Context.listed(cmd.contexts, ' or ')} scripts",
                )
            valid_in = cmd.contexts or _EVERYWHERE
            for param in cmd.params:
                given = param.name in element.params
                if not given and cmd.documented and param.is_required(ctx, valid_in):
                    raise missing(cmd, param, ctx)
                if given and cmd.context_known and param.only_in and ctx not in param.only_in:
                    raise BuildError(
                        "OZ602",
                        f"{cmd.name} {param.name} is ignored {_where(ctx)}; it is used only in"
                        f" {Context.listed(param.only_in, ' or ')} scripts",
                    )

    def to_document(self, context: Context | str = Context.ANY) -> nodes.Document:
        """The whole document, checked for `context`."""
        self.check(context)
        document = nodes.Document(self.to_node())
        if any(element._templates for element in _walk(self)):
            _check_masks(document)
            _check_comments(self)
        return document

    def to_xml(self, context: Context | str = Context.ANY) -> str:
        """The document as canonical XML, with the declaration, checked for `context`."""
        return write(self.to_document(context), style=WRITING)

    def to_bytes(self, context: Context | str = Context.ANY) -> bytes:
        """The document as UTF-8 bytes, ready to be an HTTP response body."""
        return self.to_xml(context).encode("utf-8")

    def __str__(self) -> str:
        return self.to_xml()


def _check_masks(document: nodes.Document) -> None:
    """Refuse (`ValueError`) a document with template parts that also holds a character ozml
    masks parts with (`ozml.templates.mask_character`): such a document is read without
    masking, so that each part would be read back as literal text (linted as a value, escaped
    by ``ozml fmt``), or make it not well-formed (``{{ a < b }}``)."""
    found = templates.mask_character(write(document, style=WRITING))
    if found is not None:
        raise ValueError(
            f"the document holds template parts and {found!r}, a character ozml masks"
            " template parts with, so it would read the parts back as plain text; leave out"
            " one or the other"
        )


#: What opens a part of each template syntax ozml knows (`ozml.syntaxes`).
_OPENERS = tuple(sorted({opener for s in SYNTAXES.values() for opener, _ in s.delimiters}))


def _check_comments(response: OzmlElement) -> None:
    """Refuse (`ValueError`) a document with template parts whose comment holds a template
    opener: the document is a template, and a template engine runs a part in a comment as
    anywhere else (ozml reads none there), while a comment cannot hold a reference that would
    keep it plain text."""
    for element in _walk(response):
        for child in element.children:
            if isinstance(child, Comment):
                found = [opener for opener in _OPENERS if opener in child.text]
                if found:
                    raise ValueError(
                        f"Comment {child.text!r} holds {found[0]!r}, which a template engine"
                        " reads as the start of a template part, in a document with template"
                        " parts (a template); leave it out of the comment"
                    )


def _context(context: object) -> Context:
    if isinstance(context, Context):
        return context
    if isinstance(context, str):
        return Context.parse(context)
    names = ", ".join(repr(c.value) for c in Context)
    raise TypeError(
        f"context must be a Context or its name ({names}), found {type(context).__name__}"
        f" {context!r}"
    )


def _walk(element: OzmlElement) -> Iterator[OzmlElement]:
    """Every element of the tree, in document order, without recursion: nested generators
    would hand each element up through every level above it (elements x depth)."""
    stack = [element]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(
            reversed([c for c in current.children if isinstance(c, OzmlElement)])
        )
