"""Document symbols: the script as an outline of its elements, from the tolerant scan.

Each element becomes a symbol named as written, with a short detail that tells siblings apart
(a Var's name, an Input's key, the start of a Speak's text), so the outline reads like the
script. It works on broken documents too: an element missing its end tag runs to where its
parent ends.

The outline is made as the protocol's JSON (a `DocumentSymbol` per element, as a dict) and sent
as it is (`ozml.lsp.server.Verbatim`): converting 70,000 lsprotocol objects to JSON took longer
than scanning the document and making them, and that conversion recurses, a few Python frames
per level, so that an outline about 200 levels deep was never sent at all (RecursionError).
It nests `MAX_OUTLINE_DEPTH` levels, as deep as a well-formed document can (libxml2's limit,
`ozml.limits.MAX_DEPTH`); the elements of a broken document nested deeper are listed, in
document order, as children of their ancestor at that level.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from ozml.catalog import ElementKind, lookup_element
from ozml.gcpause import paused
from ozml.limits import MAX_DEPTH
from ozml.lsp.convert import LineIndex
from ozml.lsp.scan import Scan, ScannedElement
from ozml.lsp.variables import param_value

#: The deepest level the outline nests to (the top-level elements are level 1).
MAX_OUTLINE_DEPTH = MAX_DEPTH

#: A `DocumentSymbol` as the protocol's JSON.
JSONSymbol = dict[str, Any]

_DETAIL_WIDTH = 40

#: Which parameter names an element best, per command.
_NAMING = {"Var": "Id", "Array": "Id", "ForEach": "Source", "Input": "Key"}


def _kind(element: ScannedElement) -> types.SymbolKind:
    match = lookup_element(element.name)
    if match is None:
        return types.SymbolKind.Object
    cmd = match.command
    if cmd.kind is ElementKind.ROOT:
        return types.SymbolKind.Module
    if cmd.name == "Var":
        return types.SymbolKind.Variable
    if cmd.name == "Array":
        return types.SymbolKind.Array
    if cmd.kind is ElementKind.PART:
        return types.SymbolKind.Namespace
    return types.SymbolKind.Function


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL_WIDTH else text[: _DETAIL_WIDTH - 1] + "…"


def _detail(scan: Scan, element: ScannedElement) -> str:
    match = lookup_element(element.name)
    if match is not None:
        cmd = match.command
        naming = _NAMING.get(cmd.name)
        if naming is not None and (found := param_value(element.tag, naming)) is not None:
            return _shorten(f"{naming}={found[0]}")
        text_param = cmd.text_param
        if text_param is not None:
            if (found := param_value(element.tag, text_param.name)) is not None:
                return _shorten(found[0])
            if not element.children and element.tag.complete and not element.tag.self_closing:
                return _shorten(scan.text[element.content_start : element.content_end])
    pairs = [f"{a.name}={a.value}" for a in element.tag.attributes if a.value is not None]
    return _shorten(" ".join(pairs))


@paused
def symbols(scan: Scan, index: LineIndex) -> list[JSONSymbol]:
    """The outline of the scanned document, as the protocol's JSON: a symbol per element,
    nested as they are down to `MAX_OUTLINE_DEPTH` levels, the deeper ones flat below.

    The symbols live on until they are sent: the cyclic garbage collector is paused while
    they are made (`ozml.gcpause`), as for the scan."""
    kinds: dict[str, int] = {}

    def build(element: ScannedElement) -> JSONSymbol:
        tag = element.tag
        name = element.name
        kind = kinds.get(name)
        if kind is None:
            kind = kinds[name] = _kind(element).value
        symbol: JSONSymbol = {
            "name": name,
            "kind": kind,
            "range": index.json_range(tag.start, max(element.end, tag.end)),
            "selectionRange": index.json_range(tag.name_start, tag.name_end),
        }
        if detail := _detail(scan, element):
            symbol["detail"] = detail
        return symbol

    # Iterative, since a broken document can nest unclosed elements arbitrarily deep.
    top: list[JSONSymbol] = []
    stack: list[tuple[ScannedElement, list[JSONSymbol], int]] = [
        (root, top, 1) for root in reversed(scan.roots)
    ]
    while stack:
        element, siblings, level = stack.pop()
        symbol = build(element)
        siblings.append(symbol)
        if not element.children:
            continue
        kids: list[JSONSymbol] = []
        symbol["children"] = kids
        if level < MAX_OUTLINE_DEPTH:
            stack.extend((child, kids, level + 1) for child in reversed(element.children))
        else:  # every element below, in document order, as a child of this one
            below = list(reversed(element.children))
            while below:
                node = below.pop()
                kids.append(build(node))
                below.extend(reversed(node.children))
    return top
