"""Writing OzML: a syntax tree back to XML text, in two modes.

Canonical (`write`) serialises a tree in the house layout: the declaration
``<?xml version="1.0" encoding="UTF-8"?>``, two-space indentation, one element per line, known
parameters in catalog order (namespace declarations first, unknown attributes last in their
written order), double quotes, empty elements self-closed, and escaping that is always correct
(``&``, ``<``, ``>``, quotes, and the white space that attribute-value normalisation would
otherwise turn into spaces). An element holding text (or under ``xml:space="preserve"``) is
written on one line exactly as its content is, white space between its nodes included, so that
reading the output back gives the same tree and the same text: ``parse(write(doc)).document ==
doc``.

Preserving (`apply_edits`, `encode_like`) changes the author's text only where an edit says so,
keeping every comment, blank line, quote and byte of layout elsewhere: with no edits it gives the
input back byte for byte. Fixes are applied this way (`ozml.fixes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

import attrs

from ozml import templates
from ozml.catalog import lookup_element, lookup_param
from ozml.diagnostics import Edit
from ozml.nodes import (
    Attribute,
    Comment,
    Document,
    Element,
    EntityRef,
    Node,
    ProcessingInstruction,
    Template,
    Text,
)
from ozml.positions import Source, codec_of, decoding
from ozml.shapes import ShapeMemo

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
INDENT = "  "
#: Start tags that would run past this column have one attribute per line.
WIDTH = 100
#: How `Style.attribute_order` may order attributes (see `attribute_order`).
ATTRIBUTE_ORDERS = ("catalog", "keep", "sort")
INDENT_STYLES = ("space", "tab")

# The characters XML 1.0 can hold from U+007F up, one definition for the patterns below (each
# adds the ASCII characters it lets through: tab, line ends, the printable range or part of it).
_XML_ABOVE_ASCII = "\x7f-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
# Characters XML 1.0 cannot hold at all, not even as character references.
_NOT_XML = re.compile(f"[^\t\n\r\x20-\x7e{_XML_ABOVE_ASCII}]")
_NAME_START = (
    "A-Z_a-z:\xc0-\xd6\xd8-\xf6\xf8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME = re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\xb7\u0300-\u036f\u203f-\u2040]*")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# The characters of a text that need a look: one XML cannot hold, or one written as a reference
# (``&``, ``<``, ``>``, carriage return). Most texts have none and are written as they are.
_TEXT_ATTENTION = re.compile(f"[^\t\n\x20-\x25\x27-\x3b\x3d\x3f-\x7e{_XML_ABOVE_ASCII}]")
# Tab, newline and carriage return in an attribute value become spaces when read back unless
# they are written as character references.
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
# The same for an attribute value, whose references are also ``"``, tab and line ends.
_ATTRIBUTE_ATTENTION = re.compile(f"[^\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x7e{_XML_ABOVE_ASCII}]")
#: Names found to be XML names (`check_name`), up to `_NAMES_KEPT` of at most 64 characters.
_XML_NAMES: set[str] = set()
_NAMES_KEPT = 4096


class WriteError(ValueError):
    """A tree that no XML text can represent (a name that is not an XML name, `--` in a comment,
    a character XML forbids). Trees from the parser never raise it."""


def check_text(value: str, what: str = "text") -> str:
    """`value` when XML can hold it (as text or an attribute value), else a `WriteError`."""
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise WriteError(f"{what} holds {bad.group()!r}, a character XML cannot represent")
    return value


def check_name(name: str, what: str = "name") -> str:
    """`name` when it is an XML name (``Speak``, ``xsi:type``), else a `WriteError`."""
    if name in _XML_NAMES:
        return name
    if not _NAME.fullmatch(name):
        raise WriteError(f"{what} {name!r} is not an XML name")
    if len(name) <= 64 and len(_XML_NAMES) < _NAMES_KEPT:
        _XML_NAMES.add(name)
    return name


def escape_text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` (so that ``]]>`` never appears) as references."""
    if _TEXT_ATTENTION.search(value) is None:
        return value
    return check_text(value, "text").translate(_TEXT_ESCAPES)


def escape_attribute(value: str) -> str:
    """An attribute value for double quotes, with tab and line ends kept as references."""
    if _ATTRIBUTE_ATTENTION.search(value) is None:
        return value
    return check_text(value, "an attribute value").translate(_ATTRIBUTE_ESCAPES)


#: The brace of each template opener (``{{``, ``{%``, ``{#``, ``${``: `ozml.templates`).
_OPENER_BRACE = re.compile(r"\{(?=[{%#])|(?<=\$)\{")


def _no_part(written: str, style: Style, *, attribute: bool = False) -> str:
    """`written` (escaped text, or an attribute value) of a text that holds no template part,
    such that it reads back so with the template syntaxes of `style`: where the parser would
    read a part in it (`ozml.templates.written_parts`; a ``{{ x }}`` read from a CDATA
    section or written ``&#123;{ x }}``), or anywhere with `Style.literal_openers`, the
    brace of each opener is written as a reference, which opens none."""
    if "{" not in written:
        return written
    if not style.literal_openers and not templates.written_parts(
        written, style.templates, attribute=attribute
    ):
        return written
    return _OPENER_BRACE.sub("&#123;", written)


def _with_templates(
    value: str,
    spans: tuple[tuple[int, int], ...],
    escape: Callable[[str], str],
    style: Style,
    *,
    attribute: bool = False,
) -> str:
    """`value` escaped by `escape` but for its template parts (`spans`), written as they are:
    the template reads them before any XML parser does (`ozml.templates`). Should the text
    around them then read as a part of its own with the syntaxes of `style`, or change where
    one ends (or with `Style.literal_openers`), the braces of its openers are written as
    references (`_no_part`)."""
    pieces: list[str] = []
    expected: list[tuple[int, int]] = []
    size = 0
    pos = 0
    for start, end in spans:
        piece = escape(value[pos:start])
        part = check_text(value[start:end], "a template part")
        pieces += (piece, part)
        size += len(piece)
        expected.append((size, size + len(part)))
        size += len(part)
        pos = end
    pieces.append(escape(value[pos:]))
    written = "".join(pieces)
    if "{" not in written:
        return written
    if not style.literal_openers and templates.written_parts(
        written, style.templates, attribute=attribute
    ) == tuple(expected):
        return written
    return "".join(
        _OPENER_BRACE.sub("&#123;", piece) if i % 2 == 0 else piece
        for i, piece in enumerate(pieces)
    )


def cdata_section(value: str) -> str | None:
    """`value` as CDATA, split where it holds ``]]>``; None when CDATA cannot keep it exactly.

    A carriage return inside CDATA would be read back as a line feed, so such text is escaped.
    """
    if "\r" in check_text(value, "text"):
        return None
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


#: Why a comment or a processing instruction cannot hold a carriage return: XML reads every
#: line end as a line feed, and neither can hold the character reference text uses (``&#13;``).
_CARRIAGE_RETURN = "a carriage return, which XML reads back as a line feed"


def comment(text: str) -> str:
    if "--" in text or text.endswith("-"):
        raise WriteError(f"a comment cannot hold '--' or end with '-': {text!r}")
    if "\r" in text:
        raise WriteError(f"a comment cannot hold {_CARRIAGE_RETURN}: {text!r}")
    return f"<!--{check_text(text, 'a comment')}-->"


def processing_instruction(pi: ProcessingInstruction, space: str | None = None) -> str:
    """``<?target text?>``, the target and the text apart by `space`: white space, which the
    formatter keeps as the author wrote it (`Layout.separators`), even before no text at all
    (``<?php ?>``, which PHP would not read as ``<?php?>``); None: one space, and none before
    no text."""
    check_name(pi.target, "processing instruction target")
    if space is not None and (not space or space.strip(" \t\n")):
        raise WriteError(
            f"a processing instruction's target and text are apart by white space: {space!r}"
        )
    if pi.target.lower() == "xml":
        raise WriteError("'xml' is reserved and cannot be a processing instruction target")
    if "?>" in pi.text:
        raise WriteError(f"a processing instruction cannot hold '?>': {pi.text!r}")
    if "\r" in pi.text:
        raise WriteError(f"a processing instruction cannot hold {_CARRIAGE_RETURN}: {pi.text!r}")
    if pi.text[:1] in (" ", "\t", "\n", "\r"):
        # The white space after the target only separates it: it would not be read back.
        raise WriteError(
            f"a processing instruction's text cannot start with white space: {pi.text!r}"
        )
    body = check_text(pi.text, "a processing instruction")
    if space is None:
        space = " " if body else ""
    return f"<?{pi.target}{space}{body}?>"


@attrs.frozen
class Style:
    """How the canonical writer lays a tree out (the formatter's settings, docs/formatter.md).

    - `indent_width`: the columns of one level of indentation (spaces, or what a tab counts
      for when lines are measured);
    - `indent_style`: ``space`` or ``tab`` (one tab per level; attributes of a wrapped start tag
      are still aligned with spaces after the tabs);
    - `line_length`: a start tag with two or more attributes that would end past this column is
      written one attribute per line, aligned under the first;
    - `attribute_order`: ``catalog``, ``keep`` or ``sort`` (see `attribute_order`);
    - `templates`: the template syntaxes the text is read with (`ozml.templates`; by default
      all): text that holds no part of them is written so that it reads back holding none;
    - `literal_openers`: the brace of every template opener (``{{``, ``{%``, ``{#``, ``${``)
      in text and values outside the template parts is written as a reference (``&#123;{``),
      also where ozml would read no part (an opener whose closer is in another text, or whose
      part would hold markup): a template engine reads none there either, whatever it pairs
      an opener with. The builder's (`ozml.builder`): its text is plain text, never a part.
      The formatter keeps text as written, which a template engine runs as it reads it.
    """

    indent_width: int = 2
    indent_style: str = "space"
    line_length: int = WIDTH
    attribute_order: str = "catalog"
    templates: frozenset[str] = templates.DEFAULT
    literal_openers: bool = False

    @property
    def indent(self) -> str:
        """One level of indentation."""
        return "\t" if self.indent_style == "tab" else " " * self.indent_width


DEFAULT_STYLE = Style()


def attribute_order(element: Element, order: str = "catalog") -> tuple[Attribute, ...]:
    """The attributes in the order the writer writes them.

    ``catalog`` (the default): namespace declarations, then known parameters in catalog order,
    then the rest as written; parameters given twice under different spellings keep their
    written order between them. ``keep``: as written. ``sort``: namespace declarations, then
    the rest by name, regardless of letter case (names that differ only in case as written).
    """
    written = element.attributes
    if len(written) < 2 or order == "keep":
        return written
    if order == "sort":
        return tuple(
            attr
            for _, attr in sorted(
                enumerate(written),
                key=lambda item: (
                    not _is_namespace(item[1].name), item[1].name.casefold(), item[0]
                ),
            )
        )
    return tuple([written[i] for i in _catalog_places(element)])


def _catalog_order(tag: str, names: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of attributes written with `names`, on an element written `tag`, in the
    order of ``attribute_order(..., "catalog")``."""
    match = lookup_element(tag)
    cmd = match.command if match is not None else None
    rank = {param.name: i for i, param in enumerate(cmd.params)} if cmd is not None else {}
    last = len(rank)

    def key(position: int) -> tuple[int, int]:
        name = names[position]
        if _is_namespace(name):
            return (-1, position)
        pm = lookup_param(cmd, name) if cmd is not None else None
        return (rank[pm.param.name] if pm is not None else last, position)

    return tuple(sorted(range(len(names)), key=key))


#: Where each written attribute goes in the catalog order, by the element's shape
#: (`ozml.shapes`): worked out once per shape, not per element.
_catalog_places = ShapeMemo(_catalog_order)


def _is_namespace(name: str) -> bool:
    return name == "xmlns" or name.startswith("xmlns:")


def _cdata_or_text(piece: str) -> str:
    """Text as a CDATA section, or escaped where CDATA cannot keep it."""
    section = cdata_section(piece) if piece else None
    return escape_text(piece) if section is None else section


def start_tag(
    element: Element,
    *,
    empty: bool = False,
    column: int | None = None,
    style: Style = DEFAULT_STYLE,
    pad: str | None = None,
) -> str:
    """The start tag (``<Speak Party="all">``, or ``<Hangup/>`` when `empty`).

    Given the `column` it starts at, a tag with two or more attributes that would run past the
    style's line length puts each attribute on its own line, aligned under the first (white
    space inside a tag is not content); `pad` is the indentation written before the tag
    (`column` spaces when None).
    """
    tag = check_name(element.tag, "element name")
    parts = [tag]
    for attr in attribute_order(element, style.attribute_order):
        value = (
            _with_templates(attr.value, attr.templates, escape_attribute, style, attribute=True)
            if attr.templates
            else _no_part(escape_attribute(attr.value), style, attribute=True)
        )
        parts.append(f'{check_name(attr.name, "attribute name")}="{value}"')
    close = "/>" if empty else ">"
    one_line = "<" + " ".join(parts) + close
    if column is None or len(parts) < 3 or column + len(one_line) <= style.line_length:
        return one_line
    under = "\n" + (" " * column if pad is None else pad) + " " * (len(tag) + 2)
    return f"<{tag} " + under.join(parts[1:]) + close


def _inline(
    node: Node,
    out: list[str],
    column: int | None = None,
    style: Style = DEFAULT_STYLE,
    pad: str | None = None,
    layout: Layout | None = None,
) -> None:
    """A node without added white space (text content is written exactly); given the `column`
    it starts at, a long start tag of its own is wrapped (see `start_tag`); with a `layout`,
    a processing instruction keeps the white space after its target (`Layout.separators`)."""
    if isinstance(node, Element):
        if not node.children:
            out.append(start_tag(node, empty=True, column=column, style=style, pad=pad))
            return
        out.append(start_tag(node, column=column, style=style, pad=pad))
        for child in node.children:
            if type(child) is Text and not child.cdata and not child.templates:
                # What the branch below does, for most text.
                out.append(_no_part(escape_text(child.value), style))
            else:
                _inline(child, out, style=style, layout=layout)
        out.append(f"</{node.tag}>")
    elif isinstance(node, Text):
        if node.templates:
            # Not as CDATA: a part may hold ``]]>``, which CDATA would have to split. The text
            # around the parts is, when the author wrote some of the text so.
            escape = _cdata_or_text if node.cdata else escape_text
            out.append(_with_templates(node.value, node.templates, escape, style))
            return
        section = cdata_section(node.value) if node.cdata else None
        if section is None:
            section = _no_part(escape_text(node.value), style)
        out.append(section)
    elif isinstance(node, Template):
        out.append(check_text(node.text, "a template part"))
    elif isinstance(node, Comment):
        out.append(comment(node.text))
    elif isinstance(node, ProcessingInstruction):
        space = None if layout is None else layout.separators.get(id(node))
        out.append(processing_instruction(node, space))
    else:
        out.append(f"&{check_name(node.name, 'entity name')};")


def is_block(element: Element) -> bool:
    """Whether the element's content can be laid out one node per line.

    White space between child elements is not content (the parser drops it), so it can be added
    freely; next to text it would become part of the text, so such elements stay on one line,
    and so do elements under ``xml:space="preserve"``, where white space is always content.
    Everything inside an element written on one line is written exactly as it is, and so is an
    element holding processing instructions but no element (they stand for its text).
    """
    children = element.children
    if not children:
        return False
    has_element = has_instruction = False
    for child in children:  # one look at the children answers the three questions below
        if isinstance(child, _TEXTUAL):
            return False
        if isinstance(child, Element):
            has_element = True
        elif isinstance(child, ProcessingInstruction):
            has_instruction = True
    if element.get("xml:space") == "preserve":
        return False
    # A processing instruction with no element beside it stands for the element's text
    # (``<Speak><?php echo $x; ?></Speak>``): white space added around it would be text.
    return has_element or not has_instruction


_TEXTUAL = (Text, EntityRef)


@attrs.frozen
class Layout:
    """Where the author's layout is kept: the `id()` of nodes that get one blank line before
    them, and of comments and processing instructions that stay at the end of the line before
    them (so that a ``<!-- ozml: noqa -->`` keeps applying to its line)."""

    blank_before: Container[int] = frozenset()
    trailing: Container[int] = frozenset()
    #: The white space between the target and the text of processing instructions, by `id()`,
    #: where it is not one space (``<?php`` and a line end, before a block of PHP code), or
    #: there is no text after it (``<?php ?>``).
    separators: Mapping[int, str] = attrs.field(factory=dict)


_NO_LAYOUT = Layout()


def _lines(
    items: Sequence[Node],
    depth: int,
    out: list[str],
    layout: Layout,
    style: Style,
    *,
    blank_first: bool,
) -> None:
    """Block content: one node per line, indented by `depth`."""
    pad = style.indent * depth
    column = style.indent_width * depth  # a tab counts for indent_width columns
    blank_before = layout.blank_before
    for i, item in enumerate(items):
        if isinstance(item, Element):
            if (i or (blank_first and out)) and id(item) in blank_before:
                out.append("")
            _block(item, depth, pad, column, out, layout, style)
            continue
        if out and id(item) in layout.trailing:
            piece: list[str] = []
            _inline(item, piece, style=style, layout=layout)
            out[-1] += " " + "".join(piece)
            continue
        if (i or (blank_first and out)) and id(item) in blank_before:
            out.append("")
        line = [pad]
        _inline(item, line, style=style, layout=layout)
        out.append("".join(line))


def _block(
    element: Element,
    depth: int,
    pad: str,
    column: int,
    out: list[str],
    layout: Layout,
    style: Style,
) -> None:
    """An element at `depth`, indented by `pad` (`column` columns wide)."""
    if not is_block(element):
        line: list[str] = [pad]
        _inline(element, line, column, style, pad, layout)
        out.append("".join(line))
        return
    out.append(pad + start_tag(element, column=column, style=style, pad=pad))
    _lines(element.children, depth + 1, out, layout, style, blank_first=False)
    out.append(f"{pad}</{element.tag}>")


def write(
    node: Document | Element,
    *,
    declaration: bool = True,
    layout: Layout = _NO_LAYOUT,
    style: Style = DEFAULT_STYLE,
) -> str:
    """The canonical text of a document (or of one element, as a fragment).

    A document gets the declaration unless `declaration` is false, and ends with a newline;
    `layout` (from the formatter) keeps the author's blank lines and end-of-line comments;
    `style` sets indentation, line length and attribute order (default: two spaces, 100
    columns, catalog order). A document without a root (a source that was not well-formed)
    cannot be written.
    """
    out: list[str] = []
    if isinstance(node, Element):
        _block(node, 0, "", 0, out, layout, style)
        return "\n".join(out) + "\n"
    if node.root is None:
        raise WriteError("the document has no root element (it was not well-formed)")
    if declaration:
        out.append(DECLARATION)
    _lines((*node.prolog, node.root, *node.epilog), 0, out, layout, style, blank_first=True)
    return "\n".join(out) + "\n"


# --- preserving mode ------------------------------------------------------------------------


class EditConflict(ValueError):
    """Edits that overlap, or that reach outside the text."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """`text` with each edit's range replaced, everything else untouched.

    Edits may come in any order but must not overlap (two insertions at one offset are applied in
    the order given); `ozml.fixes` chooses a non-overlapping set.
    """
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    pieces: list[str] = []
    pos = 0
    for _, edit in ordered:
        if edit.start < pos or edit.end < edit.start or edit.end > len(text):
            raise EditConflict(
                f"edit {edit.start}-{edit.end} overlaps another edit or lies outside the text"
            )
        pieces.append(text[pos : edit.start])
        pieces.append(edit.text)
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces)


def encode_like(text: str, source: Source) -> bytes:
    """`text` encoded as the source was: same byte-order mark, same declared encoding.

    `Source.text` decodes by byte-order mark, else the declared encoding, else UTF-8
    (`ozml.positions.decoding`, which both ask); this is its inverse, so
    ``encode_like(source.text, source)`` is the original bytes. Characters the encoding lacks
    become character references.

    A source given as str has no bytes to copy: its text is encoded as its declaration says
    (UTF-8 when it declares nothing, or an encoding Python does not know), so that the bytes
    read back as the same text.
    """
    data = source.data
    if isinstance(data, str):
        codec = codec_of(source.encoding)
        mark = b""
        if text.startswith("\ufeff"):
            text = text[1:]
            if codec.startswith("utf-") and codec not in ("utf-16", "utf-32"):
                mark = "\ufeff".encode(codec)  # (utf-16 and utf-32 write their own)
        return mark + text.encode(codec, "xmlcharrefreplace")
    mark, codec = decoding(data, source.encoding)
    return mark + text.encode(codec, "xmlcharrefreplace")


__all__ = [
    "ATTRIBUTE_ORDERS",
    "DECLARATION",
    "DEFAULT_STYLE",
    "INDENT",
    "INDENT_STYLES",
    "WIDTH",
    "EditConflict",
    "Layout",
    "Style",
    "WriteError",
    "apply_edits",
    "attribute_order",
    "cdata_section",
    "check_name",
    "check_text",
    "encode_like",
    "escape_attribute",
    "escape_text",
    "is_block",
    "write",
]
