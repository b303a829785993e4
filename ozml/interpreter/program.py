"""Compiling a parsed document into the engine's instructions, once per document.

Everything that does not change while a script runs is worked out here, so that running a step
costs a dictionary lookup and a call: which catalog command an element is (case variants and
aliases resolve to canonical names through `ozml.resolve`), its canonical parameters (the text
content included), which values hold `$variables` (compiled to templates; the others stay plain
strings), its source position, and the structure of menus, loops and Request handlers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence

from ozml import xmlspace
from ozml.callmodel.readings import catalog_param
from ozml.catalog import (
    ALL,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    lookup_element,
    values,
)
from ozml.catalog.contextual import ignored as ignored_in
from ozml.catalog.contextual import outside
from ozml.catalog.model import Basis, not_a_parameter
from ozml.gcpause import paused
from ozml.interpreter.context import Position
from ozml.interpreter.substitute import Template, compile_value
from ozml.interpreter.trace import first_named
from ozml.nodes import Document, Element
from ozml.positions import Source
from ozml.resolve import Resolved, resolve_element
from ozml.templates import Spans, text_parts


class Kind(enum.IntEnum):
    """What the engine does with an instruction."""

    EFFECT = 0  # a side effect: handed to the executor as a Step
    VAR = 1
    ARRAY = 2
    FOREACH = 3
    USERINPUT = 4
    GOTO = 5
    DELAY = 6
    EXIT = 7
    HANGUP = 8  # executor step, then the script ends (for the current call)
    REJECT = 9  # executor step, then the script ends
    TRANSFER = 10  # BlindTransfer: executor step; success ends the script, failure continues
    REQUEST = 11  # executor step, then OnSetup (success) or OnError (failure)
    ALARM = 12  # ReceiveAlarmNotification: executor step, then Received on success
    HTTP_ONLY = 13  # an HTTP API command inside a document: refused by the engine (D5)
    UNKNOWN = 14  # an element the catalog does not know: skipped
    MISPLACED = 15  # a structural part outside its command (e.g. <Input> under <Response>)
    ROUTE = 16  # Route: executor step; answered ends the script, else the next Route is tried


#: Commands whose behaviour is the engine's alone: no executor ever sees them.
ENGINE_COMMANDS: dict[str, Kind] = {
    "Var": Kind.VAR,
    "Array": Kind.ARRAY,
    "ForEach": Kind.FOREACH,
    "UserInput": Kind.USERINPUT,
    "GoTo": Kind.GOTO,
    "Delay": Kind.DELAY,
    "Exit": Kind.EXIT,
}

#: Commands the executor carries out and whose outcome the engine then acts on.
FLOW_STEPS: dict[str, Kind] = {
    "Hangup": Kind.HANGUP,
    "Reject": Kind.REJECT,
    "BlindTransfer": Kind.TRANSFER,
    "Request": Kind.REQUEST,
    "ReceiveAlarmNotification": Kind.ALARM,
    "Route": Kind.ROUTE,
}

Value = str | Template
Params = tuple[tuple[str, Value], ...]


class Op:
    """One instruction: an element, resolved and compiled."""

    __slots__ = (
        "alt",
        "body",
        "contextual",
        "detail",
        "documented_in",
        "element",
        "ignored",
        "inputs",
        "items",
        "kind",
        "name",
        "params",
        "position",
        "prompts",
        "static",
    )

    def __init__(
        self,
        kind: Kind,
        name: str,
        element: Element,
        position: Position,
        params: Params = (),
        detail: str = "",
    ) -> None:
        self.kind = kind
        self.name = name
        self.element = element
        self.position = position
        self.params = params
        #: The parameters as a ready dict when none holds a variable (shared, never mutated).
        self.static: dict[str, str] | None = (
            {k: v for k, v in params if isinstance(v, str)}
            if all(isinstance(v, str) for _, v in params)
            else None
        )
        self.detail = detail
        #: What the trace says of what the element holds that its command is not known to
        #: take: its text (`ignored`), its child elements (`not_run`).
        self.ignored = ""
        #: The parameters given whose use depends on the script's context (BlindTransfer's
        #: TransferorParty, Hangup's CallId, ...), with their command (`unheard`).
        self.contextual: tuple[tuple[Command, Param], ...] = ()
        #: The command, when the vendor documents the contexts it is used in (`elsewhere`).
        self.documented_in: Command | None = None
        self.body: tuple[Op, ...] = ()
        self.alt: tuple[Op, ...] = ()
        self.prompts: tuple[Op, ...] = ()
        self.inputs: tuple[tuple[Value, tuple[Op, ...], Position], ...] = ()
        self.items: tuple[Value, ...] = ()

    def param(self, name: str) -> Value | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    def __repr__(self) -> str:
        return f"Op({self.kind.name}, {self.name!r}, {self.position})"


class Program:
    """A compiled document: its top-level instructions and where it came from."""

    __slots__ = ("name", "ops", "root")

    def __init__(self, name: str, ops: tuple[Op, ...], root: str | None) -> None:
        self.name = name
        self.ops = ops
        self.root = root

    def walk(self) -> Iterable[Op]:
        """Every instruction, nested ones included, in document order."""
        stack = list(reversed(self.ops))
        while stack:
            op = stack.pop()
            yield op
            nested: list[Op] = [*op.prompts]
            for _, block, _ in op.inputs:
                nested.extend(block)
            nested.extend(op.body)
            nested.extend(op.alt)
            stack.extend(reversed(nested))


class _Compiler:
    def __init__(self, name: str, source: Source | None) -> None:
        self.name = name
        self.source = source

    def position(self, element: Element) -> Position:
        if self.source is not None and element.index >= 0:
            span = self.source.element_span(element)
            return Position(self.name, span.line, span.column)
        return Position(self.name, element.line, 0)

    def block(self, elements: Iterable[Element], parent: Resolved | None) -> tuple[Op, ...]:
        # A loop, not a generator: each level of nesting then costs two Python frames, not
        # three (256 levels of ForEach needed 772 above the caller, of the 1,000 Python allows).
        ops = []
        for el in elements:
            ops.append(self.command(el, parent))
        return tuple(ops)

    def command(self, element: Element, parent: Resolved | None) -> Op:
        resolved = resolve_element(element, parent)
        match = resolved.match
        position = self.position(element)
        if match is None:
            return Op(
                Kind.UNKNOWN, element.tag, element, position, _as_written(element),
                detail=f"<{element.tag}> is not an OzML command",
            )
        cmd = match.command
        if cmd.kind is not ElementKind.COMMAND:
            where = "the root of a document" if cmd.kind is ElementKind.ROOT else _owners(cmd.name)
            return Op(
                Kind.MISPLACED, cmd.name, element, position, _as_written(element),
                detail=f"{cmd.name} belongs {where}",
            )
        if not cmd.in_ozml:
            return Op(
                Kind.HTTP_ONLY, cmd.name, element, position, _params(resolved),
                detail=f"{cmd.name} is an HTTP API command, not an OzML command; not run (D5)",
            )
        kind = ENGINE_COMMANDS.get(cmd.name) or FLOW_STEPS.get(cmd.name) or Kind.EFFECT
        op = Op(kind, cmd.name, element, position, _params(resolved))
        if cmd.context_known:
            op.documented_in = cmd
            op.contextual = tuple(
                (cmd, param)
                for name, _ in op.params
                # An undocumented command's attributes keep the names they were written with.
                if (param := catalog_param(cmd.name, name)) is not None and param.only_in
            )
        if cmd.documented and cmd.text_param is None:
            text = element.text
            if text:
                op.ignored = ignored(cmd.name, text)
        if cmd.documented:
            op.ignored = _join(op.ignored, left_out(resolved, cmd))
        if cmd.children is ChildPolicy.NONE and element.children:
            held = tuple(element.elements)
            if held:
                op.ignored = _join(op.ignored, not_run(cmd.name, held))
        if kind is Kind.USERINPUT:
            self.menu(op, element, resolved)
        elif kind is Kind.ARRAY:
            op.items = tuple(
                compile_value(child.text or "", text_parts(child))
                for child in element.elements
                if _canonical(child) == "Item"
            )
        elif kind is Kind.REQUEST:
            op.body = self.handlers(element, resolved, "OnSetup")
            op.alt = self.handlers(element, resolved, "OnError")
        elif kind is Kind.ALARM:
            op.body = self.handlers(element, resolved, "Received")
        elif cmd.children is ChildPolicy.COMMANDS:
            op.body = self.block(element.elements, resolved)
        return op

    def handlers(self, element: Element, resolved: Resolved, part: str) -> tuple[Op, ...]:
        ops: list[Op] = []
        for child in element.elements:
            if _canonical(child) == part:
                ops.extend(self.block(child.elements, resolve_element(child, resolved)))
        return tuple(ops)

    def menu(self, op: Op, element: Element, resolved: Resolved) -> None:
        prompts: list[Op] = []
        inputs: list[tuple[Value, tuple[Op, ...], Position]] = []
        for child in element.elements:
            name = _canonical(child)
            if name == "InitialCommands":
                prompts.extend(self.block(child.elements, resolve_element(child, resolved)))
            elif name == "Inputs":
                holder = resolve_element(child, resolved)
                for item in child.elements:
                    if _canonical(item) != "Input":
                        prompts.append(self.misplaced(item, "Inputs holds only Input elements"))
                        continue
                    branch = resolve_element(item, holder)
                    key = next((v for k, v in _params(branch) if k == "Key"), "")
                    inputs.append(
                        (key, self.block(item.elements, branch), self.position(item))
                    )
            else:
                prompts.append(
                    self.misplaced(
                        child,
                        "the vendor puts only InitialCommands and Inputs in UserInput; what a"
                        " PBX does with anything else there is undocumented (spec §2), and"
                        " ozml assumes it does not run",
                    )
                )
        op.prompts = tuple(prompts)
        op.inputs = tuple(inputs)

    def misplaced(self, element: Element, why: str) -> Op:
        resolved = resolve_element(element)
        known = resolved.command is not None and resolved.command.kind is ElementKind.COMMAND
        return Op(
            Kind.MISPLACED, resolved.name, element, self.position(element),
            _params(resolved) if known else _as_written(element), detail=why,
        )


def _shown(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "...")


def _cited(basis: Basis) -> str:
    """A catalog fact as a trace line cites it: its sources when the vendor states it, else
    that it is assumed and why."""
    return basis.keys if basis.stated else f"(assumed: {basis.why})"


def ignored(command: str, text: str) -> str:
    """What the trace says of the text of an element whose command takes none (``<Hangup>now
    </Hangup>``): the engine runs the command without it, as if it were not there. The vendor
    does not say what a PBX does with such text (the linter's text-not-allowed, OZ105), so that
    is an assumption, and the trace says so."""
    return (
        f"its text {_shown(text)} is ignored (assumed: the vendor does not say what {command}"
        " does with element text)"
    )


def elsewhere(op: Op, context: Context) -> str:
    """What the trace says of a command the vendor documents for other contexts than
    `context` (`ozml.catalog.contextual.outside`: the linter's command-not-in-context, OZ601):
    what a PBX does with it there is not stated, and the engine runs it all the same, which is
    assumed. "" for a command `context` may use."""
    cmd = op.documented_in
    if cmd is None or not outside(cmd, context):
        return ""
    return (
        f"{cmd.name} is used in {Context.listed(cmd.contexts, ' or ')} scripts"
        f" {_cited(cmd.context_fact(context))}; what a PBX does with it in {context.script} is"
        " not stated: it is run as written (assumed)"
    )


def unheard(
    op: Op, params: Mapping[str, str], context: Context
) -> tuple[Mapping[str, str], str]:
    """`params` without those the PBX ignores in a script of `context` (a parameter honoured
    only in other contexts, `ozml.catalog.contextual.ignored`, what the linter's
    parameter-not-in-context reports), and what the trace says of them: ``its CallId '2' is
    ignored: Hangup's CallId is used only in 3pcc scripts [oz4689]``. The engine runs the
    command without them, so its executor never sees them."""
    kept: dict[str, str] | None = None
    notes = []
    for cmd, param in op.contextual:
        name = param.name
        if name not in params or not ignored_in(cmd, param, context):
            continue
        if kept is None:
            kept = dict(params)  # `params` may be the op's own, shared between steps
        value = kept.pop(name)
        notes.append(
            f"its {name} {_shown(value)} is ignored: {cmd.name}'s {name} is used only in"
            f" {Context.listed(param.only_in, ' or ')} scripts {_cited(param.only)}"
        )
    return (params, "") if kept is None else (kept, "; ".join(notes))


#: How many child elements `not_run` (attributes, `left_out`) names; it counts the rest.
_NAMED = 3


def left_out(resolved: Resolved, cmd: Command) -> str:
    """What the trace says of what a documented command's element gives that the engine
    does not pass on, each an assumption the linter reports: an attribute that is no parameter
    of the command (unknown-attribute, OZ103), one that repeats a parameter already given
    (duplicate-parameter: the first is used), and text beside the attribute of the parameter
    written as text (text-and-attribute, OZ106: the attribute is used). What a PBX does with
    any of them is not stated. And the XML white space around a value that suits only without
    it (invalid-value's warning, `values.SPACE_AROUND`: ``Timeout=" 5 "`` is read as 5), which
    a PBX may read as part of the value. "" when the element gives none of them."""
    unknown: list[str] = []
    repeated: list[str] = []
    padded: list[str] = []
    seen: set[str] = set()
    for (name, value), pm in zip(resolved.written, resolved.matches, strict=True):
        if pm is None:
            if not not_a_parameter(name, cmd.kind):
                unknown.append(f"{name}={_shown(value)}")
        elif pm.param.name in seen:
            repeated.append(f"{name}={_shown(value)}")
        else:
            seen.add(pm.param.name)
            if _padded(pm.param, value):
                padded.append(f"{name}={_shown(value)}")
    notes = []
    if unknown:
        one = len(unknown) == 1
        notes.append(
            f"{_listed(unknown)} {'is no' if one else 'are no'} {cmd.name}"
            f" parameter{'' if one else 's'}: not passed on (assumed: the vendor does not say"
            " what a PBX does with one)"
        )
    if repeated:
        notes.append(
            f"{_listed(repeated)} {'gives' if len(repeated) == 1 else 'give'} a parameter"
            " again: the first is used (assumed: which one a PBX takes is not stated)"
        )
    if padded:
        one = len(padded) == 1
        notes.append(
            f"{_listed(padded)} {'is' if one else 'are'} read without the white space around"
            f" {'it' if one else 'them'} (assumed: {values.SPACE_AROUND.why})"
        )
    param = cmd.text_param
    if param is not None and param.name in seen:
        text = resolved.text
        given = resolved.written_for(param)  # the first, the one used
        if text is not None and given is not None and text != given[1]:
            notes.append(
                f"its text {_shown(text)} is not used: {param.name} is given as an attribute"
                " too, and the attribute is used (assumed: which a PBX uses is not stated)"
            )
    return "; ".join(notes)


def _padded(param: Param, value: str) -> bool:
    """Whether `value` suits `param` only without the XML white space around it, as a run reads
    it (`ozml.callmodel.readings.bare`; only a ``$variable`` is dynamic there)."""
    return (
        xmlspace.strip(value) != value
        and values.check(param, value, ()) is not None
        and values.grounds(param, value, ()) is values.SPACE_AROUND
    )


def _listed(items: Sequence[str], noun: str = "attribute") -> str:
    """``its attribute Foo='1'``, ``its attributes A='1', B='2', C='3' and 4 more``: how the
    trace names what it says something of (attributes, `left_out`; child elements,
    `not_run`), the first `_NAMED` of them."""
    if len(items) == 1:
        return f"its {noun} {items[0]}"
    return f"its {noun}s {first_named(items, _NAMED)}"


def not_run(command: str, children: Sequence[Element]) -> str:
    """What the trace says of the child elements of a command the vendor shows without any
    (``<Speak>x<Play>a.wav</Play></Speak>``): the engine does not run them. Whether the command
    takes child elements, and what a PBX does with them, is UNKNOWN (spec §2; the linter's
    child-not-allowed, OZ104, warns), so that is an assumption, and the trace says so."""
    listed = _listed([child.tag for child in children], "child element")
    verb = "is" if len(children) == 1 else "are"
    return (
        f"{listed} {verb} not run (assumed: the vendor does not say what {command} does with"
        " child elements)"
    )


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second


def _canonical(element: Element) -> str | None:
    resolved = resolve_element(element)
    return resolved.match.command.name if resolved.match else None


def _owners(part: str) -> str:
    owners = [cmd.name for cmd in ALL if part in cmd.child_names]
    return "inside " + " or ".join(owners) if owners else "inside its command"


def _as_written(element: Element) -> Params:
    return tuple(
        (attr.name, compile_value(attr.value, attr.templates)) for attr in element.attributes
    )


def _params(resolved: Resolved) -> Params:
    """Canonical name → compiled value; undocumented commands keep their attributes as written.
    A ``$`` in a server-side template part of a value is the template's (`compile_value`)."""
    cmd = resolved.command
    if cmd is None:
        return ()
    if not cmd.documented:
        return _as_written(resolved.element)
    return tuple(
        (name, compile_value(value, _parts(resolved, cmd.param(name)) if "$" in value else ()))
        for name, value in resolved.params().items()
    )


def _parts(resolved: Resolved, param: Param) -> Spans:
    """Where the parser found template parts in the value `resolved.params()` gives `param`:
    its first attribute's, else the element's text."""
    place = resolved.place_of(param)
    if place is not None:
        return resolved.attributes[place][0].templates
    return text_parts(resolved.element)


@paused
def compile_document(document: Document, name: str, source: Source | None = None) -> Program:
    """Compile a parsed document; `name` is what positions call it (a path or a URL).

    The program lives on for the run: the cyclic garbage collector is paused while it is made
    (`ozml.gcpause`; 20,000 commands took twice as long with it on, 40,000 2.4 times as long
    again)."""
    root = document.root
    if root is None:
        return Program(name, (), None)
    compiler = _Compiler(name, source)
    resolved_root = resolve_element(root)
    return Program(name, compiler.block(root.elements, resolved_root), root.tag)


def no_ozml_root(root: Element) -> str | None:
    """Why an answer whose root element is `root` is no OzML a call can run (None: it is):
    its root is not ``Response`` in any spelling the catalog knows (an HTML error page's
    ``<html>``, JSON read as XML). What a PBX does with such an answer is not stated; the run
    takes it for no OzML, as it takes an answer that is not XML at all (assumed)."""
    match = lookup_element(root.tag)
    if match is not None and match.command.kind is ElementKind.ROOT:
        return None
    return (
        f"its root element is <{root.tag}>, not <Response> (assumed: the vendor does not say"
        " what a PBX does with such an answer)"
    )


__all__ = [
    "ENGINE_COMMANDS", "FLOW_STEPS", "Kind", "Op", "Program", "compile_document", "no_ozml_root",
]  # fmt: skip
