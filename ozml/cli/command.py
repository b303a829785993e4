"""`ozml command NAME`: everything the catalog knows about one command."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from ozml.cli.common import one_of
from ozml.cli.exits import OK, USAGE

if TYPE_CHECKING:
    from ozml.catalog import Command, Param

HELP = "Show a command's parameters, values, defaults, children and notes (NAME in any case)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="a command or element name, or an alias")
    parser.add_argument(
        "--format", "--output-format", dest="format", **one_of(("text", "json")), default="text"
    )


def _contexts_of(cmd: Command) -> list[Any]:
    """The contexts a document may use `cmd` in, as command-not-in-context holds it: a
    command whose context the vendor does not document, every one."""
    from ozml.catalog.contextual import usable_in

    return list(usable_in(cmd))


def facts_lines(cmd: Command) -> list[str]:
    """Where each fact comes from: the rows of the reference page's table (one rendering)."""
    from ozml.catalog.audit import fact_rows

    rows = fact_rows(cmd)
    if not rows:
        return []
    lines = ["", "Where each fact comes from (stated by the vendor, or assumed by ozml):"]
    for param, fact, value, label in rows:
        subject = f"{param} {fact}" if param else fact
        lines.append(f"  {subject}: {value}")
        lines.append(f"      {label}")
    return lines


def mandatory_in(cmd: Command, param: Param) -> list[str]:
    """The contexts in which `param` must be given (by attribute or, if allowed, as text)."""
    valid_in = cmd.contexts or frozenset(_contexts_of(cmd))
    return [c.value for c in _contexts_of(cmd) if param.is_required(c, valid_in)]


def _usage(usages: frozenset[Any]) -> list[str]:
    return [usage.value for usage in sorted(usages, key=lambda u: u.value, reverse=True)]


def param_info(cmd: Command, param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "aliases": [
            {"name": a.name, "kind": a.kind.value, "source": a.source} for a in param.aliases
        ],
        "type": param.type.value,
        "values": list(param.values),
        "default": param.default,
        "mandatory_in": mandatory_in(cmd, param),
        "text": param.text,
        "usage": _usage(cmd.usage_of(param)),
        "only_in": sorted(c.value for c in param.only_in),
        "minimum": param.minimum,
        "maximum": param.maximum,
        "max_digits": param.max_digits,
        "empty_means": param.empty_means,
        "example": param.example,
        "doc": param.doc,
        "source": param.source,
    }


def command_info(cmd: Command) -> dict[str, Any]:
    from ozml.catalog.audit import facts_of
    from ozml.cli.commands import context_values

    return {
        "name": cmd.name,
        "kind": cmd.kind.value,
        "aliases": [
            {"name": a.name, "kind": a.kind.value, "source": a.source} for a in cmd.aliases
        ],
        "usage": _usage(cmd.usage),
        "contexts": context_values(cmd),
        "documented": cmd.documented,
        "doc": cmd.doc,
        "source": cmd.source,
        "params": [param_info(cmd, p) for p in cmd.params],
        "children": cmd.children.value,
        "child_names": list(cmd.child_names),
        "result_codes": list(cmd.result_codes),
        "notes": cmd.notes,
        "facts": [
            {
                "param": fact.param or None,
                "fact": fact.fact,
                "value": fact.value,
                "stated": fact.basis.stated,
                "sources": list(fact.basis.sources),
                "spec": fact.basis.spec or None,
                "why": fact.basis.why or None,
                "label": fact.label,
            }
            for fact in facts_of(cmd)
        ],
    }


def _param_lines(cmd: Command, param: Param) -> list[str]:
    from ozml.catalog.audit import default_text

    info = param_info(cmd, param)
    lines = [f"  {param.name}  ({param.type.value})", f"      {param.doc}"]

    def field(label: str, value: str) -> None:
        lines.append(f"      {label + ':':<15} {value}")

    if param.aliases:
        field("Aliases", ", ".join(f"{a.name} ({a.kind.value})" for a in param.aliases))
    if param.values:
        field("Values", ", ".join(param.values))
    if param.minimum is not None or param.maximum is not None:
        low = "" if param.minimum is None else str(param.minimum)
        high = "" if param.maximum is None else str(param.maximum)
        field("Range", f"{low}..{high}")
    if param.max_digits is not None:
        field("Max digits", str(param.max_digits))
    field("Default", default_text(param) or "-")
    if param.empty_means is not None:
        field("Empty", param.empty_means)
    required = info["mandatory_in"]
    field("Mandatory", ("in " + ", ".join(required)) if required else "no")
    field("Text content", "yes: may be written as the element text" if param.text else "no")
    field("Usage", ", ".join("OzML" if u == "ozml" else "HTTP" for u in info["usage"]))
    if param.only_in:
        field("Only in", ", ".join(info["only_in"]))
    if param.example is not None:
        field("Example", param.example)
    field("Source", param.source)
    return lines


def describe(cmd: Command, written: str | None = None) -> str:
    """The text page of `ozml command`."""
    from ozml.catalog.audit import children_text, context_statement
    from ozml.cli.commands import usage_label

    lines = [f"{cmd.name}  ({cmd.kind.value}; {usage_label(cmd)})"]
    if written is not None:
        lines.append(written)
    lines += ["", cmd.doc, ""]
    lines.append(f"Contexts:      {context_statement(cmd)}")
    documented = "yes" if cmd.documented else "no: its parameters are not checked"
    lines.append(f"Documented:    {documented}")
    if cmd.aliases:
        lines.append(
            "Aliases:       " + ", ".join(f"{a.name} ({a.kind.value})" for a in cmd.aliases)
        )
    lines.append(f"Children:      {children_text(cmd)}")
    if cmd.result_codes:
        lines.append("Result codes:  " + ", ".join(str(code) for code in cmd.result_codes))
    lines.append(f"Source:        {cmd.source}")
    lines.append("")
    if cmd.params:
        lines.append("Parameters:")
        for param in cmd.params:
            lines += _param_lines(cmd, param)
    else:
        lines.append("Parameters:    none" if cmd.documented else "Parameters:    unknown")
    lines += facts_lines(cmd)
    if cmd.notes:
        lines += ["", f"Notes: {cmd.notes}"]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from ozml.catalog import ALL, MatchKind, lookup_element

    match = lookup_element(args.name.strip())
    if match is None:
        from ozml.lint.suggest import closest

        names = [name for cmd in ALL for name in cmd.all_names]
        guess = closest(args.name, names, cutoff=0.6)
        hint = f"; did you mean {guess}?" if guess else ""
        print(
            f"ozml: error: unknown command {args.name!r}{hint} (`ozml commands` lists them all)",
            file=sys.stderr,
        )
        return USAGE
    cmd = match.command
    if args.format == "json":
        print(json.dumps(command_info(cmd), indent=2))
        return OK
    written = None
    if match.kind is MatchKind.ALIAS and match.alias is not None:
        written = f"({match.alias.name} is a {match.alias.kind.value} name of {cmd.name})"
    print(describe(cmd, written), end="")
    return OK
