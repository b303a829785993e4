"""Hover: the catalog's word on the command, parameter or variable under the cursor.

The text is Markdown built from the catalog alone (one source of truth): the one-line doc, the
type, whether the parameter is mandatory in the document's context, allowed values, default,
aliases and the vendor source the entry is taken from (a key of the OzML spec's source table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lsprotocol import types

from ozml.catalog import (
    AliasKind,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
    ValueType,
    lookup_element,
    lookup_param,
)
from ozml.lsp.convert import LineIndex
from ozml.lsp.scan import Scan, Token, TokenKind, token_at
from ozml.lsp.variables import Definition, Kind, Reference, Variables, canonical
from ozml.syntaxes import DEFAULT

_EVERYWHERE = frozenset(Context.concrete())
_KIND = {ElementKind.ROOT: "root element", ElementKind.COMMAND: "command", ElementKind.PART: "part"}
_ALIAS = {
    AliasKind.LEGACY: "legacy name",
    AliasKind.MISSPELLING: "vendor misspelling",
    AliasKind.VARIANT: "variant spelling",
}


def mandatory(param: Param, cmd: Command, context: Context) -> str:
    """Whether the parameter must be given, in the words a user needs."""
    if Usage.OZML not in param.usage:
        return "HTTP API only"
    if not param.required_in:
        return "optional"
    valid_in = cmd.contexts or _EVERYWHERE
    if valid_in <= param.required_in:
        return "mandatory"
    where = Context.listed(param.required_in)
    if context is Context.ANY:
        return f"mandatory in {where} scripts"
    state = "mandatory" if context in param.required_in else "optional"
    return f"{state} here ({context.value}); mandatory in {where} scripts"


def _type(param: Param) -> str:
    if param.type is ValueType.BOOLEAN:
        return "boolean (true or false)"
    if param.values:
        return f"{param.type.value}: " + " | ".join(param.values)
    bounds = []
    if param.minimum is not None:
        bounds.append(f"≥ {param.minimum}")
    if param.maximum is not None:
        bounds.append(f"≤ {param.maximum}")
    if bounds and not param.bounded.stated:
        bounds[-1] += " (assumed)"
    if param.max_digits is not None:
        bounds.append(f"at most {param.max_digits} digits")
    return str(param.type.value) + (f" ({', '.join(bounds)})" if bounds else "")


def describe_param(cmd: Command, param: Param, context: Context, written: str | None = None) -> str:
    lines = [
        f"**{cmd.name}** · **{param.name}** — {_type(param)}, {mandatory(param, cmd, context)}"
    ]
    if written is not None and written != param.name:
        alias = next((a for a in param.aliases if a.name.lower() == written.lower()), None)
        why = _ALIAS[alias.kind] if alias else "other letter case"
        lines.append(f"`{written}` is a {why} of `{param.name}`.")
    lines.append("")
    lines.append(param.doc)
    facts = []
    if param.text:
        facts.append(f"may be written as the element text: `<{cmd.name}>…</{cmd.name}>`")
    if param.default is not None:
        assumed = "" if param.defaulted.stated else " (assumed)"
        facts.append(f"default `{param.default}`{assumed}")
    if param.empty_means is not None:
        facts.append(f"empty: {param.empty_means}")
    if param.only_in:
        facts.append(f"only in {Context.listed(param.only_in)} scripts")
    if param.aliases:
        names = ", ".join(f"`{a.name}` ({_ALIAS[a.kind]})" for a in param.aliases)
        facts.append(f"also accepted: {names}")
    if param.example:
        facts.append(f'example `{param.name}="{param.example}"`')
    facts.append(f"source: [{param.source}]")
    lines.append("")
    lines.append(" · ".join(facts))
    return "\n".join(lines)


def describe_command(cmd: Command, written: str | None = None) -> str:
    lines = [f"**{cmd.name}** — {_KIND[cmd.kind]}"]
    if written is not None and written != cmd.name:
        alias = next((a for a in cmd.aliases if a.name.lower() == written.lower()), None)
        why = _ALIAS[alias.kind] if alias else "other letter case"
        lines.append(f"`{written}` is a {why} of `{cmd.name}`.")
    lines.append("")
    lines.append(cmd.doc)
    if not cmd.documented:
        lines.append("")
        lines.append("Undocumented by the vendor: its parameters are not checked.")
    if cmd.notes:
        lines.append("")
        lines.append(cmd.notes)
    params = cmd.ozml_params
    if params:
        lines.append("")
        for param in params:
            need = " (mandatory)" if param.required_in >= (cmd.contexts or _EVERYWHERE) else ""
            text = " (or element text)" if param.text else ""
            lines.append(f"- `{param.name}`{need}{text}: {param.doc}")
    facts = []
    if cmd.contexts:
        facts.append(f"contexts: {Context.listed(cmd.contexts)}")
    usage = [u for u in (Usage.OZML, Usage.HTTP) if u in cmd.usage]
    facts.append("usage: " + " and ".join("OzML" if u is Usage.OZML else "HTTP API" for u in usage))
    if cmd.children is ChildPolicy.LISTED:
        facts.append("children: " + ", ".join(cmd.child_names))
    elif cmd.children is ChildPolicy.COMMANDS:
        facts.append("children: commands")
    if cmd.aliases:
        facts.append("also accepted: " + ", ".join(f"`{a.name}`" for a in cmd.aliases))
    facts.append(f"source: [{cmd.source}]")
    lines.append("")
    lines.append(" · ".join(facts))
    return "\n".join(lines)


def describe_variable(
    target: Definition | Reference, variables: Variables, index: LineIndex
) -> str:
    defs = variables.family(target) if isinstance(target, Definition) else variables.resolve(target)
    name = target.name
    if isinstance(target, Reference) and not target.dollar:
        head = f"**{name}** — array looped over by ForEach"
    else:
        head = f"**${name}** — variable"
    if not defs:
        return f"{head}\n\nNot defined in this document nor configured (known_variables)."
    first = defs[0]
    what = first.kind.value  # "set by Var": the element's name keeps its capital
    lines = [head, "", what[:1].upper() + what[1:] + "."]
    for d in defs[:5]:
        if not d.located:
            continue
        line = index.position(d.start).line + 1
        if d.kind is Kind.VAR:
            value = f": `{d.detail}`" if d.detail else ""
            lines.append(f"- line {line}{value}")
        elif d.kind is Kind.ITEM:
            lines.append(f"- ForEach over `{d.detail}` on line {line}")
        else:
            lines.append(f"- line {line}")
    return "\n".join(lines)


def hover(
    scan: Scan | None,
    index: LineIndex,
    offset: int,
    context: Context,
    variables: Variables | Callable[[], Variables],
    markdown: bool = True,
    known: Scan | None = None,
    syntaxes: Iterable[str] = DEFAULT,
) -> types.Hover | None:
    """The hover at `offset`. Without `scan` (a scan of the current text), the token under the
    cursor is read from `known`, a scan of this or an earlier version, and the text after it
    (`ozml.lsp.scan.token_at`, with the template syntaxes the document is read with);
    `variables` may then be a function that makes the index, called only when the cursor may
    be on a variable."""
    text = index.text
    token = scan.token_at(offset) if scan is not None else token_at(text, offset, known, syntaxes)
    if isinstance(variables, Variables) or _may_be_variable(text, offset, token):
        found = variables if isinstance(variables, Variables) else variables()
        target = found.at(offset)
        if target is not None:
            start, end = target.start, target.end
            described = describe_variable(target, found, index)
            return _hover(described, index, start, end, markdown)
    if token is None or token.kind not in (TokenKind.START, TokenKind.END):
        return None
    match = lookup_element(token.name)
    if match is None:
        return None
    cmd = match.command
    if token.name_start <= offset <= token.name_end:
        text = describe_command(cmd, token.name)
        return _hover(text, index, token.name_start, token.name_end, markdown)
    for attr in token.attributes:
        in_name = attr.start <= offset <= attr.name_end
        in_value = attr.value is not None and attr.value_start <= offset <= attr.value_end
        if in_name or in_value:
            pm = lookup_param(cmd, attr.name)
            if pm is None:
                return None
            text = describe_param(cmd, pm.param, context, attr.name)
            start, end = (
                (attr.start, attr.name_end) if in_name else (attr.value_start, attr.value_end)
            )
            return _hover(text, index, start, end, markdown)
    return None


def _may_be_variable(text: str, offset: int, token: Token | None) -> bool:
    """Whether `offset` may be on a variable (`Variables.at`): on or in a ``$name``, or in a
    value of a Var, Array or ForEach (which name variables without a ``$``)."""
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_."):
        start -= 1
    if text[start - 1 : start] == "$" or text[offset : offset + 1] == "$":
        return True
    if token is None or token.kind is not TokenKind.START:
        return False
    if canonical(token) not in ("Var", "Array", "ForEach"):
        return False
    return any(
        a.value is not None and a.value_start <= offset <= a.value_end for a in token.attributes
    )


def _hover(text: str, index: LineIndex, start: int, end: int, markdown: bool) -> types.Hover:
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=text),
        range=index.range(start, end),
    )
