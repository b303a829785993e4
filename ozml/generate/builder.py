"""Generates `ozml/builder/_generated.py`: one typed builder class per OzML element.

Every element an OzML document may hold (the root, the commands and the structural parts; not
the HTTP-only commands) becomes a class whose keyword arguments are its parameters in
snake_case, typed from the catalog (``Literal`` for a fixed set of values, ``int`` for whole
numbers, ``bool`` for true/false, ...) and documented with the catalog's text, so that editors
complete them and mypy catches mistakes. Parameters mandatory in every context come first and
may be given by position (``Speak("Hello")``, ``Var("greeting", "Hello")``); the rest are
keyword-only. Elements that hold others take them as further positional arguments.
"""

from __future__ import annotations

import keyword
import re
import textwrap
from pathlib import Path

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, Param, ValueType
from ozml.catalog.audit import default_text

TARGET = Path("ozml/builder/_generated.py")
WIDTH = 100

HEADER = '''\
"""The typed builder classes, one per OzML element (generated from the catalog: do not edit).

Regenerate with ``python -m ozml.generate``; the test suite fails when this file and the catalog
disagree. The machinery (checking, writing) is in `ozml.builder.base`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from ozml.builder.base import (
    CommandChild,
    CommandElement,
    Comment,
    Dynamic,
    PartElement,
    RootElement,
)
'''

#: Python types for a parameter's value, besides `str`-only types (`STRING_TYPE`). Every
#: parameter also takes a `Dynamic`: a str is plain text, and a template part is written only
#: from a Dynamic.
_TYPES: dict[ValueType, str] = {
    ValueType.INTEGER: "int | Dynamic",
    ValueType.SECONDS: "float | Dynamic",
    ValueType.BOOLEAN: "bool | Dynamic",
    ValueType.PHONE: "str | int | Dynamic",
    ValueType.DESTINATION: "str | int | Dynamic",
    ValueType.DTMF_KEYS: "str | int | Dynamic",
    ValueType.DTMF_KEY: "str | int | Dynamic",
}
STRING_TYPE = "str | Dynamic"

EVERYWHERE = frozenset(Context.concrete())
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

_BASES = {
    ElementKind.ROOT: "RootElement",
    ElementKind.COMMAND: "CommandElement",
    ElementKind.PART: "PartElement",
}


def python_name(name: str) -> str:
    """The keyword argument for a parameter: ``TargetCallId`` → ``target_call_id``.

    >>> [python_name(n) for n in ("CallId", "DeliveryReportURL", "ResponseOzML", "ExecuteSQL")]
    ['call_id', 'delivery_report_url', 'response_ozml', 'execute_sql']
    """
    words = _WORD_BREAK.sub("_", name.replace("OzML", "Ozml"))
    snake = words.strip("_").lower()
    return snake + "_" if keyword.iskeyword(snake) else snake


def required_everywhere(cmd: Command, param: Param) -> bool:
    """Whether `param` must be given whatever the context (the generated signatures require it)."""
    return param.is_required(Context.ANY, cmd.contexts or EVERYWHERE)


def elements() -> list[Command]:
    """The catalog entries that get a class: everything an OzML document may hold."""
    return [cmd for cmd in ALL if cmd.in_ozml]


def _params(cmd: Command) -> list[Param]:
    return list(cmd.ozml_params)


def annotation(cmd: Command, param: Param) -> str:
    if param.values:
        choices = ", ".join(f'"{v}"' for v in param.values)
        base = f"Literal[{choices}] | Dynamic"
    else:
        base = _TYPES.get(param.type, STRING_TYPE)
    return base if required_everywhere(cmd, param) else f"{base} | None"


def _contexts(cmd: Command) -> str:
    if not cmd.context_known or not cmd.contexts:
        return ""
    return f"Valid in {Context.listed(cmd.contexts, ' and ')} scripts."


def _param_doc(cmd: Command, param: Param) -> str:
    notes = [param.doc.rstrip(".") + "."]
    if required_everywhere(cmd, param):
        notes.append("Mandatory.")
    elif param.required_in:
        notes.append(f"Mandatory in {Context.listed(param.required_in, ' and ')} scripts.")
    if param.values:
        notes.append("One of " + ", ".join(param.values) + ".")
    if param.default is not None:
        notes.append(f"Default {default_text(param)}.")
    if param.only_in:
        notes.append(f"Used only in {Context.listed(param.only_in, ' and ')} scripts.")
    if param.text:
        notes.append("Written as the element text.")
    notes.append(f"(``{param.name}``)")
    return " ".join(notes)


def _wrap(text: str, indent: str, hanging: str = "") -> list[str]:
    """`text` wrapped at `WIDTH`; lines after the first are indented by `hanging` more."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _children_arg(cmd: Command) -> tuple[str, str] | None:
    """The varargs name and type of the elements `cmd` holds, if any."""
    if cmd.children is ChildPolicy.COMMANDS:
        return "commands", "CommandChild"
    if cmd.children is ChildPolicy.LISTED:
        kinds = [*cmd.child_names, "str"] if cmd.name == "Array" else list(cmd.child_names)
        return "children", " | ".join([*kinds, "Comment"])
    return None


def _docstring(cmd: Command) -> list[str]:
    pad = "    "
    lines = [f'{pad}"""{cmd.doc}']
    intro = " ".join(part for part in (_contexts(cmd), cmd.notes) if part)
    if not cmd.documented:
        intro = (
            "Undocumented by the vendor (D6): its parameters are unknown, so pass attributes as"
            " they are to be written; they are not checked. " + intro
        ).strip()
    if intro:
        lines.append("")
        lines.extend(_wrap(intro, pad))
    args = [(python_name(p.name), _param_doc(cmd, p)) for p in _params(cmd)]
    held = _children_arg(cmd)
    if held is not None:
        what = "The commands, run in order." if held[0] == "commands" else (
            "The " + " and ".join(cmd.child_names) + " elements"
            + (" (a str is an Item)." if cmd.name == "Array" else ".")
        )
        args.append((f"*{held[0]}", what))
    if not cmd.documented:
        args.append(("attributes", "Attributes written as given (name → value)."))
    if args:
        lines.extend(["", f"{pad}Args:"])
        for name, doc in args:
            lines.extend(_wrap(f"{name}: {doc}", pad + "    ", "    "))
    lines.append(f'{pad}"""')
    return lines


def _signature(cmd: Command) -> list[str]:
    positional: list[str] = []
    keyword: list[str] = []
    mandatory = [p for p in _params(cmd) if required_everywhere(cmd, p)]
    for param in mandatory:
        positional.append(f"{python_name(param.name)}: {annotation(cmd, param)}")
    text = cmd.text_param
    if text is not None and text not in mandatory and text in _params(cmd):
        positional.append(f"{python_name(text.name)}: {annotation(cmd, text)} = None")
    for param in _params(cmd):
        if param in mandatory or param is text:
            continue
        keyword.append(f"{python_name(param.name)}: {annotation(cmd, param)} = None")
    if not cmd.documented:
        keyword.append("attributes: Mapping[str, str] | None = None")
    held = _children_arg(cmd)
    args = ["self", *positional]
    if held is not None:
        args.append(f"*{held[0]}: {held[1]}")
    elif keyword:
        args.append("*")
    args.extend(keyword)
    one_line = f"    def __init__({', '.join(args)}) -> None:"
    if len(one_line) <= WIDTH:
        return [one_line]
    return ["    def __init__(", *(f"        {a}," for a in args), "    ) -> None:"]


def _body(cmd: Command) -> list[str]:
    pad = "        "
    params = _params(cmd)
    held = _children_arg(cmd)
    children = held[0] if held else "()"
    attributes = "attributes" if not cmd.documented else None
    if not params:
        call = f"super().__init__({{}}, {children}"
        call += f", {attributes})" if attributes else ")"
        return [pad + call]
    lines = [pad + "super().__init__(", pad + "    {"]
    for param in params:
        lines.append(f'{pad}        "{param.name}": {python_name(param.name)},')
    lines.append(pad + "    },")
    if held:
        lines.append(f"{pad}    {children},")
    lines.append(pad + ")")
    return lines


def class_source(cmd: Command) -> str:
    lines = [f"class {cmd.name}({_BASES[cmd.kind]}):", *_docstring(cmd), ""]
    lines.append("    __slots__ = ()")
    lines.append(f'    ozml_name: ClassVar[str] = "{cmd.name}"')
    lines.append("")
    lines.extend(_signature(cmd))
    lines.extend(_body(cmd))
    return "\n".join(lines) + "\n"


def generate() -> str:
    chosen = elements()
    names = sorted(cmd.name for cmd in chosen)
    parts = [HEADER, "__all__ = [", *(f'    "{n}",' for n in names), "]", ""]
    for cmd in chosen:
        parts.append("")
        parts.append(class_source(cmd))
    return "\n".join(parts).rstrip("\n") + "\n"


def outputs(root: Path) -> dict[Path, str]:
    return {TARGET: generate()}
