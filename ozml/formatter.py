"""Formatting OzML: parse, normalise what never changes meaning, write canonically.

What formatting changes (docs/formatter.md is the user's version of this list):

- Layout: the declaration ``<?xml version="1.0" encoding="UTF-8"?>``, two-space indentation, one
  element per line, attributes in catalog order with double quotes, empty elements self-closed,
  escaping; the output is UTF-8, with the line ending of the input's first line. A PHP template
  without a declaration gets none (`_declared`): with PHP's ``short_open_tag`` on, ``<?xml``
  opens PHP code.
- Blank lines: where the author separated two elements, comments or processing instructions with
  one or more blank lines, exactly one is kept; nowhere else.
- Text: the XML white space (space, tab, line ends: `ozml.xmlspace`) around the text of an
  element that holds only text (``<Speak>`` over three lines) is removed; ozml reads such text
  without it (`Element.text`) anyway. Any other character, a no-break space included, is text
  and kept. Not inside mixed content or ``xml:space="preserve"``, where white space is part of
  the text: such elements are written exactly as they are (`ozml.writer`).
- Names (unless `keep_names`): known element and attribute names are written canonically (D1,
  D3): ``speak`` → ``Speak``, ``Forward`` → ``ForwardCall``; and allowed values in their
  canonical case (``All`` → ``all``, ``True`` → ``true``). Catalog aliases mean the same command
  or parameter, so this keeps what the script does. The vendor's other spellings of a parameter
  (``TranferredCallId``, ``enteredUrl``: D2) are kept, written as the vendor writes them: which
  spelling the PBX reads is UNKNOWN, so renaming one is misspelt-name's unsafe fix, never the
  formatter's. Unknown names are never touched (guessing is `ozml check --fix`'s business), and
  a rename that would repeat an attribute is skipped, as is one whose finding (OZ301, OZ303) a
  ``noqa`` or ``disable-file`` comment suppresses (`ozml.noqalayout`): ``ozml check --fix``
  leaves such a name alone too, and renaming it would leave the comment suppressing nothing.

Comments, processing instructions and CDATA sections are kept where they are (a processing
instruction with the white space after its target as written: `Layout.separators`). Server-side
template parts (``{{ name }}``, ``<?= $x ?>``, ``{% for %}`` between commands; `ozml.templates`)
are kept byte for byte: inside a value or text exactly where they are, between commands each on
its own line. A document that is not well-formed (or has a DOCTYPE, or is too large), or has a
template part the tree cannot hold (inside a tag, or outside the root), is refused with
`FormatError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Self

import attrs

from ozml import xmlspace
from ozml.catalog import AliasKind, Param, lookup_element, lookup_param, values
from ozml.lint.settings import DIRECTIVE_MARK, LintSettings
from ozml.nodes import (
    Attribute,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Template,
    Text,
)
from ozml.parser import DEFAULT_MAX_BYTES, ParseResult, parse
from ozml.shapes import ShapeMemo
from ozml.templates import Where
from ozml.writer import ATTRIBUTE_ORDERS, INDENT_STYLES, WIDTH, Layout, Style, write

if TYPE_CHECKING:
    from ozml.noqalayout import Suppressed

#: The formatter's settings: the keys of the ``[format]`` table, what each one does.
FORMAT_KEYS: dict[str, str] = {
    "line-length": "a start tag with two or more attributes that would end past this column"
    " is written one attribute per line (1-320, default 100)",
    "indent-width": "columns per level of indentation (1-16, default 2); a tab counts as this"
    " many when lines are measured",
    "indent-style": "space or tab (default space)",
    "attribute-order": "catalog (the command's parameter table), keep (as written) or sort"
    " (alphabetical) (default catalog)",
    "keep-names": "leave legacy and wrongly cased names as written (default false)",
    "line-ending": "auto (as the input's first line), lf, cr-lf or native (default auto)",
}
LINE_LENGTHS = range(1, 321)
INDENT_WIDTHS = range(1, 17)
LINE_ENDINGS = ("auto", "lf", "cr-lf", "native")
_CHOICES: dict[str, tuple[str, ...]] = {
    "indent-style": INDENT_STYLES,
    "attribute-order": ATTRIBUTE_ORDERS,
    "line-ending": LINE_ENDINGS,
}
_RANGES: dict[str, range] = {"line-length": LINE_LENGTHS, "indent-width": INDENT_WIDTHS}


class SettingError(ValueError):
    """A formatter setting that is not allowed: `key` names it, `reason` says what is allowed."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def check_setting(key: str, value: object) -> object:
    """`value` when it is allowed for the formatter setting `key` (a `FORMAT_KEYS` key), else a
    `ValueError` saying what is allowed; a choice in another letter case is taken as written in
    `FORMAT_KEYS` (``Tab`` → ``tab``)."""
    from ozml.lint.suggest import closest

    if key in _RANGES:
        allowed = _RANGES[key]
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            raise ValueError(
                f"expected a whole number from {allowed.start} to {allowed.stop - 1},"
                f" found {_shown(value)}"
            )
        return value
    if key in _CHOICES:
        choices = _CHOICES[key]
        if isinstance(value, str) and value.strip().lower() in choices:
            return value.strip().lower()
        guess = closest(value, choices) if isinstance(value, str) else None
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise ValueError(f"expected one of {', '.join(choices)}, found {_shown(value)}{hint}")
    if key == "keep-names":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, found {_shown(value)}")
        return value
    raise ValueError(f"{key!r} is not a formatter setting")


def _shown(value: object) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "a table"}  # fmt: skip
    return kinds.get(type(value), type(value).__name__) + f" ({value!r})"


@attrs.frozen
class FormatOptions:
    """The formatter's settings (docs/formatter.md); the defaults are its classic layout.

    Each field is the ``[format]`` key of the same name with ``_`` for ``-``; a value that is
    not allowed is a `ValueError` (`check_setting`).
    """

    line_length: int = WIDTH
    indent_width: int = 2
    indent_style: str = "space"
    attribute_order: str = "catalog"
    keep_names: bool = False
    line_ending: str = "auto"

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(FormatOptions):
            value = getattr(self, field.name)
            checked = check_setting(field.name.replace("_", "-"), value)
            if checked != value:
                object.__setattr__(self, field.name, checked)

    @classmethod
    def from_table(cls, table: Mapping[str, Any], base: FormatOptions | None = None) -> Self:
        """Options from a ``[format]`` table (`base`'s, or the defaults, for absent keys);
        `SettingError` for an unknown key or a value that is not allowed."""
        changes: dict[str, Any] = {}
        for key, value in table.items():
            if key not in FORMAT_KEYS:
                from ozml.lint.suggest import closest

                guess = closest(key, FORMAT_KEYS)
                hint = f"; did you mean {guess!r}?" if guess else ""
                raise SettingError(key, f"unknown key{hint} (allowed: {', '.join(FORMAT_KEYS)})")
            try:
                changes[key.replace("-", "_")] = check_setting(key, value)
            except ValueError as error:
                raise SettingError(key, str(error)) from None
        return cls(**{**attrs.asdict(base or cls()), **changes})

    def style(self) -> Style:
        """What the writer needs of these options."""
        return Style(self.indent_width, self.indent_style, self.line_length, self.attribute_order)

    def items(self) -> list[tuple[str, object]]:
        """``(key, value)`` for every setting, keys as in `FORMAT_KEYS`."""
        return [(f.name.replace("_", "-"), getattr(self, f.name)) for f in attrs.fields(type(self))]


DEFAULT_OPTIONS = FormatOptions()


class FormatError(Exception):
    """A document the formatter will not touch; the message says where and why."""


@attrs.frozen
class Formatted:
    """The formatted text of a document and whether it differs from the input text."""

    text: str
    changed: bool


def format_result(
    result: ParseResult,
    *,
    keep_names: bool = False,
    options: FormatOptions | None = None,
    settings: LintSettings | None = None,
) -> Formatted:
    """Format a parsed document with `options` (the defaults when None; `keep_names` true
    turns keep-names on whatever they say); `FormatError` when it is not well-formed or has a
    DOCTYPE. `settings` are the linter's settings for the document (the defaults when None),
    with which the findings its suppression comments suppress are worked out: formatting
    keeps them suppressed (`ozml.noqalayout`)."""
    if result.problems or result.document.root is None:
        problem = min(result.problems, key=lambda d: d.sort_key())
        where = f"{result.source.path}:{problem.line}:{problem.column}"
        raise FormatError(f"{where}: {problem.code} {problem.message}; not formatted")
    _refuse_lost_templates(result)
    options = options or DEFAULT_OPTIONS
    keep_names = keep_names or options.keep_names
    suppressed = _suppressed(result, settings)
    document = normalise(result.document, keep_names=keep_names, suppressed=suppressed)
    # Literal text stays literal with the syntaxes the document was read with (`ozml.templates`).
    style = attrs.evolve(options.style(), templates=result.templates)
    original = result.source.text
    declared = _declared(original)
    kept = layout(document, result)
    text = write(document, declaration=declared, layout=kept, style=style)
    if suppressed is not None and suppressed.coverage:
        text = _still_suppressing(text, result, document, kept, suppressed, declared, style)
    if _line_end(options.line_ending, original) == "\r\n":
        text = text.replace("\n", "\r\n")
    return Formatted(text, text != original)


def format_text(
    data: bytes | str,
    path: str = "<string>",
    *,
    keep_names: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    templates: Iterable[str] | None = None,
    options: FormatOptions | None = None,
    settings: LintSettings | None = None,
) -> str:
    """The formatted text of an OzML document (`FormatError` when it cannot be formatted).

    `templates` names the template syntaxes whose parts are kept byte for byte (None: all;
    `ozml.templates`); `options` are the formatter's settings (`FormatOptions`); `settings`
    the linter's, as for `format_result`."""
    result = parse(data, path, max_bytes=max_bytes, templates=templates)
    return format_result(result, keep_names=keep_names, options=options, settings=settings).text


def _still_suppressing(
    text: str,
    result: ParseResult,
    document: Document,
    kept: Layout,
    before: Suppressed,
    declared: bool,
    style: Style,
) -> str:
    """`text`, the formatted document, when its ``noqa`` comments suppress what the original's
    did; else the document written with the comments that would not moved to the lines of the
    elements whose findings they suppressed (`ozml.noqalayout.relocated`); a `FormatError` when
    even that does not keep them."""
    from ozml.noqalayout import Suppressed, keeps, moved, noqa_comments, relocated

    def judged(written: str) -> Suppressed:
        again = parse(written, result.source.path, max_bytes=len(written) * 4 + 1024,
                      templates=result.templates)  # fmt: skip
        return Suppressed(again, before.settings)

    after = judged(text)
    if keeps(before, after):
        return text
    comments = comments_by_start(document, result)
    which = moved(before, after)
    laid = relocated(document, kept, before, comments, which) if which else None
    if laid is not None:
        text = write(laid[0], declaration=declared, layout=laid[1], style=style)
        if keeps(before, judged(text), in_place=False):
            return text
    line, column = result.source.position(min(
        (d.start for d in noqa_comments(result.source)), default=0
    ))  # fmt: skip
    raise FormatError(
        f"{result.source.path}:{line}:{column}: formatting would change what a noqa comment"
        " suppresses; not formatted"
    )


def _suppressed(result: ParseResult, settings: LintSettings | None) -> Suppressed | None:
    """What the document's suppression comments suppress (`ozml.noqalayout`); None, without
    loading the linter, for a document that holds no ``ozml:`` comment (most): nothing
    constrains its formatting."""
    if not result.source.holds(DIRECTIVE_MARK):
        return None
    from ozml.noqalayout import Suppressed

    return Suppressed(result, settings if settings is not None else LintSettings())


#: Where PHP code opens: ``<?php`` (in any letter case) or ``<?=``.
_PHP_OPEN = re.compile(r"<\?(?:php|=)", re.IGNORECASE)


def _declared(original: str) -> bool:
    """Whether the formatted document begins with the XML declaration: always, but for a PHP
    template written without one. PHP reads the whole file, comments and CDATA included, and
    with its ``short_open_tag`` setting on, ``<?xml`` opens PHP code, which a declaration
    added to such a template would make a syntax error; whether the declaration is required at
    all is UNKNOWN (spec §1), and the vendor's examples omit it as often as they write it."""
    declared = _DECLARATION.match(original.removeprefix("\ufeff")) is not None
    return declared or _PHP_OPEN.search(original) is None


def _line_end(setting: str, original: str) -> str:
    """The line end to write: ``\\r\\n`` or ``\\n``."""
    if setting == "cr-lf" or (setting == "native" and os.linesep == "\r\n"):
        return "\r\n"
    if setting == "auto":
        return "\r\n" if _first_line_end(original) == "\r\n" else "\n"
    return "\n"


def _refuse_lost_templates(result: ParseResult) -> None:
    """A `FormatError` for a template part the tree does not hold (inside a tag, or outside the
    root element): writing the tree would lose it."""
    for part in result.template_parts:
        if part.where in (Where.TAG, Where.OUTSIDE):
            line, column = result.source.position(part.start)
            place = "inside a tag" if part.where == Where.TAG else "outside the root element"
            raise FormatError(
                f"{result.source.path}:{line}:{column}: a template part {place} cannot be kept"
                " by the formatter; not formatted"
            )


def _first_line_end(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


# --- normalisation --------------------------------------------------------------------------


def normalise(
    document: Document, *, keep_names: bool = False, suppressed: Suppressed | None = None
) -> Document:
    """The document with the formatter's meaning-preserving changes (see the module docstring);
    `suppressed` says which names suppressed findings are about (kept as written)."""
    assert document.root is not None
    root = _element(document.root, keep_names, False, False, suppressed)
    return attrs.evolve(document, root=root)


def _element(
    element: Element,
    keep_names: bool,
    inline: bool,
    preserve: bool,
    suppressed: Suppressed | None,
) -> Element:
    """`element` normalised; `inline` when it lies in the text of an element around it (mixed
    content, written exactly), `preserve` inside ``xml:space="preserve"``: in either, white
    space is content and stays."""
    tag = element.tag
    attributes = element.attributes
    if not keep_names:
        tag, attributes = _canonical_names(element, suppressed)
    if attributes:
        space = element.get("xml:space")
        if space is not None:
            preserve = space == "preserve"
    written = element.children
    children = written
    if len(written) == 1 and isinstance(written[0], Text) and not (inline or preserve):
        children = (_stripped(written[0]),)
    elif written:
        if not inline:
            for child in written:
                if isinstance(child, Text):
                    inline = True
                    break
        kept: list[Node] = []
        changed = False
        for child in written:
            if isinstance(child, Element):
                new = _element(child, keep_names, inline, preserve, suppressed)
                changed = changed or new is not child
                kept.append(new)
            else:
                kept.append(child)
        if changed:
            children = tuple(kept)
    if tag == element.tag and attributes is element.attributes and children == written:
        return element
    return attrs.evolve(element, tag=tag, attributes=attributes, children=children)


def _stripped(text: Text) -> Text:
    """`text` without the XML white space around it (`ozml.xmlspace`: any other character, a
    no-break space included, is content and stays); its template parts (which never begin or
    end with white space) move with it."""
    value = xmlspace.strip(text.value)
    if value == text.value:
        return text
    if not text.templates:
        return attrs.evolve(text, value=value)
    lead = len(text.value) - len(xmlspace.lstrip(text.value))
    spans = tuple((start - lead, end - lead) for start, end in text.templates)
    return attrs.evolve(text, value=value, templates=spans)


def _canonical_names(
    element: Element, kept: Suppressed | None = None
) -> tuple[str, tuple[Attribute, ...]]:
    """The element's name and attributes written canonically (the element's own attributes,
    the same tuple, when nothing changes), but for the names and values whose findings `kept`
    says are suppressed."""
    written = element.attributes
    tag, renames, unchanged = _name_plans(element)
    if tag is None:
        return element.tag, written
    held = kept is not None and kept.keeps(element)
    if held and kept is not None and kept.keeps_tag(element):
        tag = element.tag
    if unchanged:
        return tag, written  # the names as written, and no value that has a canonical case
    out: list[Attribute] = []
    changed = False
    for attr, (name, param) in zip(written, renames, strict=True):
        value = attr.value
        if held and kept is not None:
            if kept.keeps_name(element, attr.name):
                name = attr.name
            if kept.keeps_value(element, attr.name):
                param = None
        if param is not None and not attr.templates:
            value = values.case_fix(param, value) or value
        if name == attr.name and value == attr.value:
            out.append(attr)  # most attributes: nothing to change, nothing to copy
        else:
            out.append(attrs.evolve(attr, name=name, value=value))
            changed = True
    return tag, tuple(out) if changed else written


#: What `_canonical_names` does to an element of a shape (`ozml.shapes`): the canonical name
#: of the element (None: not a command, nothing changes); for each attribute, the name it is
#: written with and the parameter whose allowed values it may need to write in their canonical
#: case (None: an unknown attribute, or any value is written as it is); and whether every name
#: is written canonically already and no value can change (nothing to do).
_NamePlan = tuple[str | None, tuple[tuple[str, Param | None], ...], bool]


def _name_plan(tag: str, names: tuple[str, ...]) -> _NamePlan:
    match = lookup_element(tag)
    if match is None:
        return None, (), True
    cmd = match.command
    written = set(names)
    renames: list[tuple[str, Param | None]] = []
    unchanged = cmd.name == tag
    for as_written in names:
        pm = lookup_param(cmd, as_written)
        if pm is None:
            renames.append((as_written, None))
            continue
        name = pm.param.name
        if pm.alias is not None and pm.alias.kind is not AliasKind.LEGACY:
            # One of the vendor's other spellings (D2): which one the PBX reads is UNKNOWN, so
            # it is kept, in the vendor's letter case (misspelt-name's fix is unsafe).
            name = pm.alias.name
        if name != as_written and name in written:
            name = as_written  # the canonical spelling is given too: renaming would repeat it
        written.add(name)
        cased = values.has_canonical_case(pm.param)
        renames.append((name, pm.param if cased else None))
        unchanged = unchanged and name == as_written and not cased
    return cmd.name, tuple(renames), unchanged


#: `_name_plan` of an element, worked out once per shape.
_name_plans = ShapeMemo(_name_plan)


# --- the author's layout -------------------------------------------------------------------

# Comments and processing instructions in document order; CDATA is matched only to skip it.
_MISC = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_DECLARATION = re.compile(r"<\?xml\s")
#: White space holding two or more line ends (a blank line), to its end: each line end is
#: ``\r\n``, ``\r`` or ``\n``, and ``\r\n`` counts once.
_BLANK_RUN = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)[ \t\r\n]*")


def layout(document: Document, result: ParseResult) -> Layout:
    """Which nodes the author separated by a blank line, and which comments and processing
    instructions they wrote at the end of a line (after a tag or another comment).

    Elements are found in the source by their index; comments and processing instructions by
    their order, which is the same in the text as in the tree.
    """
    source = result.source
    text = source.text
    # Comments and processing instructions are found in what the XML parser read: a template
    # part may hold what looks like one (``<?= $x ?>``, ``{{ "<!--" }}``).
    markup = result.masked.text if result.masked is not None else text
    parts = result.masked.parts if result.masked is not None else ()
    in_tree = [p for p in parts if p.where in (Where.CONTENT, Where.VALUE)]
    # Where each comment and processing instruction stands, by id (a document holds few; a
    # document without ``<!--`` or ``<?`` past its declaration, most, none). Elements and
    # template parts are asked where they stand as `block` meets them.
    spans: dict[int, tuple[int, int]] = {}
    separators: dict[int, str] = {}
    for misc_node, match in _misc_places(document, markup):
        spans[id(misc_node)] = (match.start(), match.end())
        if isinstance(misc_node, ProcessingInstruction):
            space = _separator(markup, match.start(), misc_node.target)
            if space is not None and (space != " " or not misc_node.text):
                separators[id(misc_node)] = space
    # Where a run of white space holding a blank line ends: a node that begins there had a
    # blank line before it. Without one, and without a comment or processing instruction,
    # there is no layout to keep (most generated documents).
    if not spans and _BLANK_RUN.search(text) is None:
        return Layout()
    blank_at = {match.end() for match in _BLANK_RUN.finditer(text)}
    blank: set[int] = set()
    trailing: set[int] = set()

    def block(items: tuple[Node, ...], previous_end: int | None) -> None:
        for item in items:
            inner: tuple[Node, ...] = ()  # an element's nodes, read after it
            tag_end = 0  # where its start tag ends, which they follow
            if isinstance(item, Element):
                extent = source.extent(item)
                if extent is None:
                    previous_end = None
                    continue
                start, tag_end, end = extent
                inner = item.children
            elif isinstance(item, Template) and 0 <= item.index < len(in_tree):
                part = in_tree[item.index]
                start, end = part.start, part.end
            else:
                span = spans.get(id(item))
                if span is None:
                    previous_end = None
                    continue
                start, end = span
                if previous_end is not None and not text[previous_end:start].strip(" \t"):
                    trailing.add(id(item))  # on the line of the tag or comment before it
                    previous_end = end
                    continue
            # The white space just before the node ends at its start; it begins after the
            # node before it, which ends with markup (``>``), never with white space.
            if start in blank_at:
                blank.add(id(item))
            previous_end = end
            if inner:
                block(inner, tag_end)  # noqa: F821  (deleted below, once the walk is done)

    assert document.root is not None
    block((*document.prolog, document.root, *document.epilog), None)
    # `block` refers to itself: a cycle, which would keep the document's source and text
    # until the cyclic collector runs (the language server runs it seldom, `ozml.gcpause`).
    del block
    return Layout(frozenset(blank), frozenset(trailing), separators)


def _misc_places(
    document: Document, markup: str
) -> list[tuple[Comment | ProcessingInstruction, re.Match[str]]]:
    """Each comment and processing instruction of the tree, with where it stands in `markup`
    (what the XML parser read); none when the two cannot be paired."""
    if not _may_hold_misc(markup):
        return []
    misc_nodes = [
        n for n in _document_order(document) if isinstance(n, Comment | ProcessingInstruction)
    ]
    misc = [
        m
        for m in (_MISC.finditer(markup) if misc_nodes else ())
        if not m.group().startswith("<![CDATA[")
        and not (m.start() == 0 and _DECLARATION.match(m.group()))
    ]
    if len(misc_nodes) != len(misc):
        return []
    return list(zip(misc_nodes, misc, strict=True))


def comments_by_start(document: Document, result: ParseResult) -> dict[int, Comment]:
    """The comments of `document` (`result`'s tree, normalised) by where they begin in the
    text, as the linter's directives are found (`ozml.noqalayout`)."""
    markup = result.masked.text if result.masked is not None else result.source.text
    return {
        match.start(): node
        for node, match in _misc_places(document, markup)
        if isinstance(node, Comment)
    }


#: The white space after a processing instruction's target.
_SEPARATOR = re.compile(r"[ \t\r\n]+")


def _separator(markup: str, start: int, target: str) -> str | None:
    """The white space between the target and the text of the processing instruction that
    begins at `start`, its line ends written ``\n`` (the writer's; a document's own are put
    back after); None when the target is not where the tree says."""
    at = start + 2 + len(target)
    if markup[start + 2 : at] != target:
        return None
    found = _SEPARATOR.match(markup, at)
    if found is None:
        return None
    return found.group().replace("\r\n", "\n").replace("\r", "\n")


def _may_hold_misc(markup: str) -> bool:
    """Whether `markup` may hold a comment or a processing instruction: the XML declaration
    that begins most documents is neither."""
    if "<!--" in markup or markup.find("<?", 1) != -1:
        return True
    return markup.startswith("<?") and _DECLARATION.match(markup) is None


def _document_order(document: Document) -> list[Node]:
    assert document.root is not None
    out: list[Node] = list(document.prolog)
    stack: list[Node] = [document.root]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, Element):
            stack.extend(reversed(node.children))
    out.extend(document.epilog)
    return out


__all__ = [
    "DEFAULT_OPTIONS",
    "FORMAT_KEYS",
    "FormatError",
    "FormatOptions",
    "Formatted",
    "SettingError",
    "check_setting",
    "format_result",
    "format_text",
    "layout",
    "normalise",
]
