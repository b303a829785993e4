"""Document symbols: the script as an outline of its elements, from the tolerant scan.

Each element becomes a symbol named as written, with a short detail that tells siblings apart
(a Var's name, an Input's key, the start of a Speak's text), so the outline reads like the
script. It works on broken documents too: an element missing its end tag runs to where its
parent ends.
"""

from __future__ import annotations

from lsprotocol import types

from ozml.catalog import ElementKind, lookup_element
from ozml.gcpause import paused
from ozml.lsp.convert import LineIndex
from ozml.lsp.scan import Scan, ScannedElement
from ozml.lsp.variables import param_value

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
def symbols(scan: Scan, index: LineIndex) -> list[types.DocumentSymbol]:
    """The outline of the scanned document: a symbol per element, nested as they are.

    The symbols live on until they are sent: the cyclic garbage collector is paused while
    they are made (`ozml.gcpause`), as for the scan."""

    def build(element: ScannedElement) -> types.DocumentSymbol:
        tag = element.tag
        return types.DocumentSymbol(
            name=element.name,
            kind=_kind(element),
            range=index.range(tag.start, max(element.end, tag.end)),
            selection_range=index.range(tag.name_start, tag.name_end),
            detail=_detail(scan, element) or None,
            children=[],
        )

    # Iterative, since a broken document can nest unclosed elements arbitrarily deep.
    top: list[types.DocumentSymbol] = []
    stack: list[tuple[ScannedElement, list[types.DocumentSymbol]]] = [
        (root, top) for root in reversed(scan.roots)
    ]
    while stack:
        element, siblings = stack.pop()
        kids: list[types.DocumentSymbol] = []
        symbol = build(element)
        symbol.children = kids
        siblings.append(symbol)
        stack.extend((child, kids) for child in reversed(element.children))
    return top
