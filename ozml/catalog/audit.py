"""The catalog audit: every fact of every entry with its basis (stated or assumed).

One list of facts, rendered the same way by ``ozml command NAME``, the command reference pages
(docs/commands/) and the audit table of docs/decisions.md, so that none can say a fact is
documented while another says it is assumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ozml.catalog.contextual import usable_in
from ozml.catalog.model import (
    Basis,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
)


@attrs.frozen
class Fact:
    """One thing the catalog holds about an element or one of its parameters."""

    element: str
    #: The parameter the fact is about, or "" for the element itself.
    param: str
    fact: str
    value: str
    basis: Basis

    @property
    def label(self) -> str:
        return self.basis.label()


def contexts_text(cmd: Command) -> str:
    """Where the command may be used, with the "(assumed)" note where the vendor is silent."""
    text = Context.listed(cmd.contexts) or "-"
    if not cmd.context_fact().stated:
        text += " (assumed)"
    return text


def context_statement(cmd: Command) -> str:
    """Where the element may be used, as its reference page and ``ozml command`` say it: the
    root in every context, a part in those of its command, and a command in `contexts_text`,
    with what the context rules do where the vendor documents no context."""
    if cmd.kind is ElementKind.ROOT:
        return "every context"
    if cmd.kind is ElementKind.PART:
        return "those of the command it belongs to"
    if not cmd.in_ozml:
        return "none (not used in documents)"
    text = contexts_text(cmd)
    if not cmd.context_known:
        text += ": the vendor documents no context, so the context rules leave it alone"
    return text


def mandatory_text(cmd: Command, param: Param) -> str:
    """``yes``, ``no`` or ``in 3pcc``: where the parameter must be given in a document, among
    the contexts a document may use the command in (`ozml.catalog.contextual.usable_in`)."""
    if not param.required_in:
        return "no"
    if not cmd.in_ozml or Usage.OZML not in param.usage:
        return "yes"
    valid = frozenset(usable_in(cmd))
    required = param.required_in & valid
    if not required:
        return "no"
    if required == valid:
        return "yes"
    return f"in {Context.listed(required)}"


def children_text(cmd: Command, name: Callable[[str], str] = str) -> str:
    """What the element holds, as ``ozml command NAME`` and its command page show it, with
    "(assumed)" where the vendor does not state it (`Command.children_fact`); `name` writes
    each child's name (a link, on the pages)."""
    if not cmd.documented:
        return "unknown"
    if cmd.children is ChildPolicy.COMMANDS:
        text = "any OzML commands, run in order"
    elif cmd.children is ChildPolicy.LISTED:
        text = ", ".join(name(n) for n in cmd.child_names)
    else:
        text = "none"
    return text if cmd.children_fact.stated else f"{text} (assumed)"


def children_value(cmd: Command) -> str:
    if cmd.children is ChildPolicy.COMMANDS:
        return "any OzML commands"
    if cmd.children is ChildPolicy.LISTED:
        return "only " + ", ".join(cmd.child_names)
    return "none"


def _type_value(param: Param) -> str:
    if param.values:
        return f"{param.type.value}: " + ", ".join(param.values)
    return param.type.value


def param_facts(cmd: Command, param: Param) -> list[Fact]:
    facts = [
        Fact(cmd.name, param.name, "mandatory", mandatory_text(cmd, param), param.required),
        Fact(cmd.name, param.name, "type", _type_value(param), param.typed),
    ]
    if param.http_required is not None:
        facts.append(
            Fact(cmd.name, param.name, "mandatory over HTTP", "yes", param.http_required)
        )
    if param.only_in:
        facts.append(
            Fact(cmd.name, param.name, "used only in", Context.listed(param.only_in), param.only)
        )
    if param.text:
        facts.append(Fact(cmd.name, param.name, "element text", "yes", param.as_text))
    if param.limits:
        facts.append(Fact(cmd.name, param.name, "bounds", param.limits, param.bounded))
    if param.default is not None:
        facts.append(Fact(cmd.name, param.name, "default", param.default, param.defaulted))
    if param.empty is not None and param.empty_means is not None:
        facts.append(Fact(cmd.name, param.name, "empty value", param.empty_means, param.empty))
    if param.empty_refused is not None:
        facts.append(Fact(cmd.name, param.name, "empty value", "refused", param.empty_refused))
    return facts


def default_text(param: Param, *, why: bool = False) -> str:
    """`param`'s default as every place that shows one shows it: ``90``, or ``0 (assumed)``
    where it is only assumed (with `why`: ``0 (assumed: why; spec §7.32 [oz4693][hu7663])``);
    "" for none."""
    if param.default is None:
        return ""
    basis = param.defaulted
    if basis.stated:
        return param.default
    if why:
        return f"{param.default} (assumed: {basis.why}; {basis.citation()})"
    return f"{param.default} (assumed)"


def command_facts(cmd: Command) -> list[Fact]:
    """The element's own facts (usage, contexts, children, text, result codes)."""
    facts: list[Fact] = []
    if cmd.kind is ElementKind.COMMAND:
        usage = ", ".join(
            label for u, label in ((Usage.OZML, "OzML"), (Usage.HTTP, "HTTP")) if u in cmd.usage
        )
        facts.append(Fact(cmd.name, "", "usable in", usage, cmd.usage_fact))
        if cmd.in_ozml:
            facts.append(
                Fact(cmd.name, "", "contexts", Context.listed(cmd.contexts), cmd.context_fact())
            )
            for context, basis in cmd.disputed_contexts:
                facts.append(Fact(cmd.name, "", "not valid in", context.value, basis))
    if cmd.documented and (
        cmd.params or cmd.kind is ElementKind.COMMAND or not cmd.params_fact.stated
    ):
        complete = "complete" if cmd.params_fact.stated else "taken as complete"
        facts.append(Fact(cmd.name, "", "parameter list", complete, cmd.params_fact))
    if cmd.in_ozml and cmd.documented:
        facts.append(Fact(cmd.name, "", "child elements", children_value(cmd), cmd.children_fact))
        if cmd.text_param is None:
            facts.append(Fact(cmd.name, "", "element text", "none", cmd.no_text_fact))
    for known in cmd.behaviour:
        facts.append(Fact(cmd.name, "", known.name, known.value, known.basis))
    if cmd.result_codes:
        codes = ", ".join(str(c) for c in cmd.result_codes)
        facts.append(Fact(cmd.name, "", "HTTP result codes", codes, cmd.result_codes_fact))
    return facts


def facts_of(cmd: Command) -> list[Fact]:
    """Every fact of one catalog entry: its own, then each parameter's."""
    found = command_facts(cmd)
    if cmd.documented:
        for param in cmd.params:
            found += param_facts(cmd, param)
    return found


def all_facts(commands: Iterable[Command]) -> list[Fact]:
    return [fact for cmd in commands for fact in facts_of(cmd)]


def fact_rows(cmd: Command) -> list[tuple[str, str, str, str]]:
    """(parameter or "", fact, value, basis label): how docs and ``ozml command`` show facts."""
    return [(f.param, f.fact, f.value, f.label) for f in facts_of(cmd)]


__all__ = [
    "Fact",
    "all_facts",
    "children_text",
    "children_value",
    "command_facts",
    "context_statement",
    "contexts_text",
    "default_text",
    "fact_rows",
    "facts_of",
    "mandatory_text",
    "param_facts",
]
