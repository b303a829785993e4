"""Completion at the cursor: elements, attributes, values and `$variables`.

The document is usually broken while the user types, so the cursor's situation comes from a
tolerant scan of the text before it (`ozml.lsp.scan.open_stack`): the open elements, and whether
the cursor is in an element name, an attribute name, an attribute value, an end tag or text.
What is offered then comes from the catalog: the children the enclosing element allows (in the
document's context), the parameters the element does not have yet, the values a parameter
allows, the variables in scope.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable

import attrs
from lsprotocol import types

from ozml.catalog import (
    COMMANDS,
    ROOTS,
    ChildPolicy,
    Command,
    Context,
    Param,
    ValueType,
    command,
    lookup_element,
    lookup_param,
)
from ozml.catalog.contextual import ignored, outside
from ozml.lsp.convert import LineIndex
from ozml.lsp.hover import describe_command, describe_param, mandatory
from ozml.lsp.scan import Scan, ScannedAttribute, Token, TokenKind, inside_part, open_stack
from ozml.lsp.variables import Kind, Variables
from ozml.syntaxes import DEFAULT

_WORD = re.compile(r"[^\s<>/=\"']*")
_VALUE_WORD = re.compile(r"[^\"'<>]*")
_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?$")


class Where(enum.Enum):
    ELEMENT = "element name"
    END_TAG = "end tag"
    ATTRIBUTE = "attribute name"
    VALUE = "attribute value"
    TEXT = "text"
    NOWHERE = "comment or other markup"


@attrs.frozen
class Cursor:
    """What the cursor is in, with the partial word to replace (`start`..`end`)."""

    where: Where
    parents: tuple[str, ...]
    start: int
    end: int
    prefix: str
    tag: Token | None = None
    attribute: ScannedAttribute | None = None


def cursor_at(
    text: str, offset: int, known: Scan | None = None, syntaxes: Iterable[str] = DEFAULT
) -> Cursor:
    """Where `offset` stands; `known`, a scan of this or an earlier version of the text, saves
    reading the text from its start (`ozml.lsp.scan.open_stack`). The template parts of
    `syntaxes` (those the document is read with) are the template's: inside one, nothing is
    offered."""
    stack, inside, text_start = open_stack(text, offset, known, syntaxes)
    parents = tuple(t.name for t in stack)

    def word_end(pattern: re.Pattern[str] = _WORD) -> int:
        found = pattern.match(text, offset)
        return found.end() if found else offset

    if inside is None:
        if inside_part(text, offset, known, syntaxes):
            return Cursor(Where.NOWHERE, parents, offset, offset, "")
        before = text[text_start:offset]
        if before.endswith("<"):
            return Cursor(Where.ELEMENT, parents, offset, word_end(), "")
        return Cursor(Where.TEXT, parents, offset, offset, "")
    if inside.kind is TokenKind.END:
        return Cursor(Where.END_TAG, parents, inside.name_start, word_end(), inside.name)
    if inside.kind is not TokenKind.START:
        return Cursor(Where.NOWHERE, parents, offset, offset, "")
    if offset == inside.name_end:
        return Cursor(Where.ELEMENT, parents, inside.name_start, word_end(), inside.name, inside)
    last = inside.attributes[-1] if inside.attributes else None
    if last is not None and last.quote is not None and not last.closed:
        prefix = text[last.value_start : offset]
        end = word_end(_VALUE_WORD)
        return Cursor(Where.VALUE, parents, last.value_start, end, prefix, inside, last)
    if last is not None and last.name_end == offset and not last.has_equals:
        return Cursor(Where.ATTRIBUTE, parents, last.start, word_end(), last.name, inside, last)
    if last is not None and last.has_equals and last.value is None:
        return Cursor(Where.VALUE, parents, offset, offset, "", inside, last)
    if text[offset - 1 : offset].isspace():
        return Cursor(Where.ATTRIBUTE, parents, offset, word_end(), "", inside)
    return Cursor(Where.NOWHERE, parents, offset, offset, "", inside)


def allowed_children(parent: str | None, context: Context) -> list[Command]:
    """The elements that may appear inside `parent` (None: at the top, the root)."""
    if parent is None:
        return list(ROOTS)
    match = lookup_element(parent)
    if match is None:
        return []
    cmd = match.command
    if cmd.children is ChildPolicy.LISTED:
        return [command(name) for name in cmd.child_names]
    if cmd.children is ChildPolicy.NONE:
        return []
    return [c for c in COMMANDS if c.in_ozml and not outside(c, context)]


@attrs.frozen
class Client:
    """What the editor can take."""

    snippets: bool = False
    markdown: bool = True


def _doc(text: str, client: Client) -> types.MarkupContent:
    kind = types.MarkupKind.Markdown if client.markdown else types.MarkupKind.PlainText
    return types.MarkupContent(kind=kind, value=text)


def complete(
    text: str,
    index: LineIndex,
    offset: int,
    context: Context,
    variables: Variables | Callable[[], Variables],
    client: Client,
    known: Scan | None = None,
    syntaxes: Iterable[str] = DEFAULT,
) -> list[types.CompletionItem]:
    """The completions at `offset`. `variables` may be a function that makes the index: it is
    called only when variables are offered; `known` and `syntaxes` as for `cursor_at`."""
    cursor = cursor_at(text, offset, known, syntaxes)
    make = variables if not isinstance(variables, Variables) else _given(variables)
    rng = index.range(cursor.start, cursor.end)
    parent = cursor.parents[-1] if cursor.parents else None
    if cursor.where is Where.ELEMENT:
        return _elements(parent, context, rng, client)
    if cursor.where is Where.END_TAG and parent is not None:
        item = types.CompletionItem(
            label=parent,
            kind=types.CompletionItemKind.Class,
            detail=f"close <{parent}>",
            text_edit=types.TextEdit(rng, parent + (">" if text[cursor.end :][:1] != ">" else "")),
        )
        return [item]
    if cursor.where is Where.ATTRIBUTE and cursor.tag is not None:
        return _attributes(cursor, context, rng, client)
    if cursor.where is Where.VALUE and cursor.tag is not None and cursor.attribute is not None:
        return _values(cursor, context, make, index, offset, client)
    if cursor.where is Where.TEXT:
        return _variables(text, offset, make, index, client)
    return []


def _elements(
    parent: str | None, context: Context, rng: types.Range, client: Client
) -> list[types.CompletionItem]:
    items = []
    for cmd in allowed_children(parent, context):
        detail = cmd.doc if cmd.documented else f"{cmd.doc}"
        items.append(
            types.CompletionItem(
                label=cmd.name,
                kind=types.CompletionItemKind.Class,
                detail=detail,
                documentation=_doc(describe_command(cmd), client),
                text_edit=types.TextEdit(rng, cmd.name),
                sort_text=("0" if cmd.documented else "1") + cmd.name,
            )
        )
    return items


def _params(cmd: Command, context: Context) -> list[Param]:
    """The parameters to offer: those of OzML the PBX does not ignore in `context` (what
    parameter-not-in-context reports, `ozml.catalog.contextual.ignored`)."""
    return [p for p in cmd.ozml_params if not ignored(cmd, p, context)]


def _attributes(
    cursor: Cursor, context: Context, rng: types.Range, client: Client
) -> list[types.CompletionItem]:
    assert cursor.tag is not None
    match = lookup_element(cursor.tag.name)
    if match is None:
        return []
    cmd = match.command
    present = set()
    for attr in cursor.tag.attributes:
        if attr is cursor.attribute:
            continue  # the one being typed
        pm = lookup_param(cmd, attr.name)
        if pm is not None:
            present.add(pm.param.name)
    items = []
    for param in _params(cmd, context):
        if param.name in present:
            continue
        need = mandatory(param, cmd, context)
        if client.snippets:
            insert, fmt = f'{param.name}="$1"', types.InsertTextFormat.Snippet
        else:
            insert, fmt = param.name, types.InsertTextFormat.PlainText
        items.append(
            types.CompletionItem(
                label=param.name,
                kind=types.CompletionItemKind.Property,
                detail=f"{param.type.value}, {need}",
                documentation=_doc(describe_param(cmd, param, context), client),
                text_edit=types.TextEdit(rng, insert),
                insert_text_format=fmt,
                sort_text=("0" if need.startswith("mandatory") else "1") + param.name,
            )
        )
    return items


def _values(
    cursor: Cursor,
    context: Context,
    variables: Callable[[], Variables],
    index: LineIndex,
    offset: int,
    client: Client,
) -> list[types.CompletionItem]:
    assert cursor.tag is not None
    assert cursor.attribute is not None
    quoted = cursor.attribute.quote is not None
    if _DOLLAR.search(cursor.prefix):
        return _variables(index.text, offset, variables, index, client)
    match = lookup_element(cursor.tag.name)
    pm = lookup_param(match.command, cursor.attribute.name) if match else None
    if match is None or pm is None:
        return []
    param = pm.param
    rng = index.range(cursor.start, cursor.end)
    choices: list[tuple[str, str]] = []
    if param.type is ValueType.BOOLEAN:
        choices = [("true", ""), ("false", "")]
    elif param.values:
        choices = [(v, "") for v in param.values]
    elif match.command.name == "ForEach" and param.name == "Source":
        choices = [(d.name, "array declared on this page") for d in variables().arrays()]
    items = []
    for value, detail in choices:
        if param.default == value:
            detail = "default" if param.defaulted.stated else "default (assumed)"
        items.append(
            types.CompletionItem(
                label=value,
                kind=types.CompletionItemKind.Value,
                detail=detail or None,
                text_edit=types.TextEdit(rng, value if quoted else f'"{value}"'),
            )
        )
    return items


def _given(variables: Variables) -> Callable[[], Variables]:
    return lambda: variables


def _variables(
    text: str, offset: int, variables: Callable[[], Variables], index: LineIndex, client: Client
) -> list[types.CompletionItem]:
    found = _DOLLAR.search(text, max(0, offset - 200), offset)
    if found is None:
        return []
    rng = index.range(found.start(), offset)
    items = []
    for d in variables().in_scope(offset):
        where = ""
        if d.located and d.kind is Kind.VAR:
            where = f" (line {index.position(d.start).line + 1})"
        items.append(
            types.CompletionItem(
                label=f"${d.name}",
                kind=types.CompletionItemKind.Variable,
                detail=d.kind.value + where,
                text_edit=types.TextEdit(rng, f"${d.name}"),
                filter_text=f"${d.name}",
            )
        )
    return items
