"""The flow model of one OzML document: every path a call can take through it, as a graph.

Nodes are the commands (UserInput's key choice, the start, the end of the script and the URLs
the PBX requests are nodes too); edges are the ways from one to the next: the sequence, menu
keys, timeouts and keys that match no Input, transfer success and failure, loops, and the
requests the PBX makes (labelled with the notification it sends). What each command does to the
flow is read from `ozml.flow.control`, the one table of it; the model draws every path where the
engine (`ozml.interpreter`) runs one.

Commands no path reaches are drawn all the same, without a way in. The linter says which are
dead (`ozml.flow.marks` colours its unreachable-command findings, the commands after a Hangup,
an Exit or a Reject); the model also leaves without a way in the commands after a GoTo (the
fetched OzML runs instead of them) and after a command none of whose ways goes on (a Request
whose handlers both end the script, a menu that repeats until an Input ends the script), which
the linter does not report: those are drawn uncoloured.

The model is built in one walk over the tree: each command is resolved once, each edge made once
(a block hands the ends still open after it to what follows, instead of searching for them), so
building it is linear in the number of commands and in their nesting.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

import attrs

from ozml import xmlspace
from ozml.callmodel.readings import read_flag
from ozml.catalog import Context, ElementKind
from ozml.diagnostics import Severity
from ozml.flow.control import FETCHES_OF, HANDLERS, Control, Fetch, control, ends_script
from ozml.nodes import Element
from ozml.resolve import Resolved, resolve_element


class Shape(enum.Enum):
    """What a node stands for; each renderer draws each shape its own way."""

    START = "start"
    COMMAND = "command"
    #: A command after which the script ends (Hangup, Exit, Reject).
    STOP = "stop"
    #: A UserInput's choice: which key came, or none in time.
    KEYS = "keys"
    #: How the script ends without a stopping command (end of script, transferred, routed).
    END = "end"
    #: A URL the PBX requests: the OzML of another document.
    URL = "url"
    #: Several commands in a row, folded into one node (`ozml.flow.collapse`).
    GROUP = "group"


class Way(enum.Enum):
    """What an edge stands for."""

    NEXT = "next"  # the next command
    KEY = "key"  # a menu key matched an Input
    TIMEOUT = "timeout"  # no key in time
    NO_MATCH = "no-match"  # a key that matches no Input
    BACK = "back"  # BackKey
    REPEAT = "repeat"  # the menu starts again (Repeat="true")
    SUCCESS = "success"  # a transfer, a route, a Request's OnSetup
    FAILURE = "failure"  # a failed transfer (D9), OnError, ...
    LOOP = "loop"  # ForEach: into its commands, and back for the next item
    JUMP = "jump"  # GoTo, ForwardToURL: the fetched OzML runs instead of the rest
    NOTIFY = "notify"  # a URL the PBX requests later (CallConnected, RecordCompleted, ...)


@attrs.frozen
class Node:
    """One node: `id` is stable (numbered in document order), `lines` its label."""

    id: str
    shape: Shape
    lines: tuple[str, ...]
    #: The command's line in the document (0 for the nodes the model adds).
    line: int = 0
    #: The command's element, for finding the linter's findings on it.
    element: Element | None = attrs.field(default=None, eq=False, repr=False)
    #: The worst severity of the findings on this node, and their codes and rule names
    #: (`ozml.flow.marks`).
    severity: Severity | None = None
    codes: tuple[str, ...] = ()
    #: A command after which the next one runs, and nothing else (`Control.NEXT`): what
    #: `ozml.flow.collapse` folds.
    plain: bool = False


@attrs.frozen
class Edge:
    source: str
    target: str
    way: Way
    label: str = ""


@attrs.define
class DocumentFlow:
    """The flow of one document: its nodes in document order, its edges, and its start."""

    name: str
    context: Context
    nodes: list[Node] = attrs.field(factory=list)
    edges: list[Edge] = attrs.field(factory=list)
    start: str = "S"
    #: The URLs the document's commands send the PBX to, with their nodes (`u1`, ...).
    urls: dict[str, str] = attrs.field(factory=dict)


#: An edge waiting for its target: (source, way, label).
Open = tuple[str, Way, str]

#: How much of a parameter's value a label shows.
SHOWN = 40


def shorten(text: str, limit: int = SHOWN) -> str:
    """`text` on one line (runs of white space as one space), cut to `limit` characters."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def end_label(context: Context) -> str:
    """What the end of a script means in `context` (D9 is stated for extension calls only)."""
    if context is Context.EXTENSION:
        return "the PBX hangs up (D9)"
    if context is Context.ANY:
        return "an extension call is hung up (D9)"
    return "the call goes on"


class _Builder:
    def __init__(self, flow: DocumentFlow) -> None:
        self.flow = flow
        self.commands = 0
        self.menus = 0
        self.terminals: dict[str, str] = {}
        #: The menus whose Input is being walked, innermost last (for BackKey).
        self.open_menus: list[str] = []

    # -- nodes and edges ---------------------------------------------------------------------

    def node(self, node: Node) -> str:
        self.flow.nodes.append(node)
        return node.id

    def connect(self, ends: Iterable[Open], target: str) -> None:
        append = self.flow.edges.append
        for source, way, label in ends:
            append(Edge(source, target, way, label))

    def terminal(self, key: str, lines: tuple[str, ...]) -> str:
        """The one node of an ending (end of script, transferred, routed), made when first met."""
        found = self.terminals.get(key)
        if found is None:
            found = self.terminals[key] = self.node(Node(key, Shape.END, lines))
        return found

    def url(self, value: str) -> str:
        urls = self.flow.urls
        found = urls.get(value)
        if found is None:
            found = urls[value] = f"u{len(urls) + 1}"
            self.node(Node(found, Shape.URL, (shorten(value, 60),)))
        return found

    # -- blocks and commands -----------------------------------------------------------------

    def block(
        self, elements: Iterable[Element], parent: Resolved | None, ends: list[Open]
    ) -> list[Open]:
        """Walk a block: `ends` lead to its first command; the ends after it are returned.

        Commands after one that ends the script get no way in (the linter's unreachable-command
        finding is on the first of them); they are drawn all the same, joined to each other.
        """
        for element in elements:
            rec = resolve_element(element, parent)
            ends = self.command(rec, ends)
        return ends

    def command(self, rec: Resolved, ends: list[Open]) -> list[Open]:
        self.commands += 1
        node_id = f"n{self.commands}"
        name = rec.name
        cmd = rec.command
        kind = control(name) if cmd is not None and cmd.kind is ElementKind.COMMAND else None
        params = rec.params() if cmd is not None else {}
        stops = kind is not None and ends_script(name, params, self.flow.context)
        plain = kind is None or kind is Control.NEXT or (kind is Control.HANGUP and not stops)
        lines = (f"{name} (line {rec.element.line})", *_summary(rec, params))
        self.node(
            Node(
                node_id,
                Shape.STOP if stops else Shape.COMMAND,
                lines,
                rec.element.line,
                rec.element,
                plain=plain,
            )
        )
        self.connect(ends, node_id)
        for fetch in FETCHES_OF.get(name, ()) if kind is not None else ():
            if not fetch.jump:
                self.fetch(node_id, fetch, params)
        if plain:
            return [(node_id, Way.NEXT, "")]
        if stops:
            return []
        if kind is Control.TRANSFER:
            done = self.terminal("T", ("call transferred",))
            self.flow.edges.append(Edge(node_id, done, Way.SUCCESS, "transferred"))
            return [(node_id, Way.FAILURE, "failed")]
        if kind is Control.ROUTE:
            done = self.terminal("R", ("call routed",))
            self.flow.edges.append(Edge(node_id, done, Way.SUCCESS, "answered"))
            return [(node_id, Way.FAILURE, "not answered")]
        if kind is Control.JUMP:
            for fetch in FETCHES_OF[name]:
                self.fetch(node_id, fetch, params)
            return []
        if kind is Control.LOOP:
            body = self.block(rec.element.elements, rec, [(node_id, Way.LOOP, "each item")])
            self.connect(((src, way, label or "next item") for src, way, label in body), node_id)
            return [(node_id, Way.NEXT, "done")]
        if kind is Control.HANDLERS or kind is Control.ALARM:
            return self.handlers(rec, node_id)
        return self.menu(rec, node_id, params)

    def fetch(self, node_id: str, fetch: Fetch, params: dict[str, str]) -> None:
        value = xmlspace.strip(params.get(fetch.param) or "")
        if not value:
            return
        way = Way.JUMP if fetch.jump else Way.NOTIFY
        label = fetch.name if fetch.command != "UserInput" else f"no match: {fetch.name}"
        self.flow.edges.append(Edge(node_id, self.url(value), way, label))

    def handlers(self, rec: Resolved, node_id: str) -> list[Open]:
        after: list[Open] = []
        handlers = HANDLERS[rec.name]
        ran = {h.part: False for h in handlers}
        for child in rec.element.elements:
            part = resolve_element(child, rec)
            handler = next((h for h in handlers if h.part == part.name), None)
            if handler is None:
                continue  # child-not-allowed reports it; the engine never runs it
            ran[handler.part] = True
            way = Way.SUCCESS if handler.success else Way.FAILURE
            after.extend(self.block(child.elements, part, [(node_id, way, handler.label)]))
        for handler in handlers:
            if not ran[handler.part]:
                way = Way.SUCCESS if handler.success else Way.FAILURE
                after.append((node_id, way, handler.label))
        if rec.name == "ReceiveAlarmNotification":
            after.append((node_id, Way.FAILURE, "no alarm"))
        return after

    def menu(self, rec: Resolved, node_id: str, params: dict[str, str]) -> list[Open]:
        # Repeat read as the linter and the dry run read it (a value it refuses: the default).
        repeat = read_flag(rec.name, "Repeat", params.get("Repeat"))[0]
        back = xmlspace.strip(params.get("BackKey", ""))
        forward = xmlspace.strip(params.get("ForwardToURL", ""))
        ends: list[Open] = [(node_id, Way.NEXT, "")]
        inputs: list[tuple[str, Element, Resolved]] = []
        for child in rec.element.elements:
            part = resolve_element(child, rec)
            if part.name == "InitialCommands":
                ends = self.block(child.elements, part, ends)
            elif part.name == "Inputs":
                for item in child.elements:
                    branch = resolve_element(item, part)
                    if branch.name == "Input":
                        key = branch.params().get("Key", "")
                        inputs.append((xmlspace.strip(key), item, branch))
        if not ends:
            return []  # the prompts end the script: no key is ever read
        self.menus += 1
        keys = self.node(Node(f"k{self.menus}", Shape.KEYS, ("key?",)))
        self.connect(ends, keys)
        after: list[Open] = []
        self.open_menus.append(node_id)
        try:
            for key, item, branch in inputs:
                label = f"key {key}" if key else "key (none given)"
                after.extend(self.block(item.elements, branch, [(keys, Way.KEY, label)]))
        finally:
            self.open_menus.pop()
        timeout = xmlspace.strip(params.get("Timeout", ""))
        waited = f"timeout {timeout} s" if timeout else "timeout"
        if repeat:
            self.flow.edges.append(Edge(keys, node_id, Way.REPEAT, f"{waited}: repeat"))
        else:
            after.append((keys, Way.TIMEOUT, waited))
        if forward:
            self.fetch(keys, FETCHES_OF["UserInput"][0], params)
        elif repeat:
            self.flow.edges.append(Edge(keys, node_id, Way.REPEAT, "no match: repeat"))
        else:
            after.append((keys, Way.NO_MATCH, "no match"))
        if back:
            label = f"BackKey {back}"
            if self.open_menus:
                self.flow.edges.append(Edge(keys, self.open_menus[-1], Way.BACK, label))
            else:
                after.append((keys, Way.BACK, label))
        return after


def _summary(rec: Resolved, params: dict[str, str]) -> tuple[str, ...]:
    """The label line under a command's name: what it says, plays, dials or fetches."""
    cmd = rec.command
    if cmd is None:
        return ("not an OzML command",)
    if cmd.kind is not ElementKind.COMMAND:
        return (f"{cmd.name} belongs inside its command",)
    if not cmd.in_ozml:
        return ("HTTP API command, not run (D5)",)
    text = cmd.text_param
    if text is not None and not xmlspace.is_blank(params.get(text.name, "")):
        return (shorten(params[text.name]),)
    if rec.name == "UserInput":
        shown = [f"{k} {params[k]}" for k in ("Timeout", "Repeat", "BackKey") if k in params]
        return (shorten(", ".join(shown)),) if shown else ()
    for key, value in params.items():
        if not xmlspace.is_blank(value):
            return (shorten(f"{key} {value}"),)
    return ()


def build(root: Element | None, name: str, context: Context = Context.ANY) -> DocumentFlow:
    """The flow of a parsed document's root (`ParseResult.document.root`); `name` is its path,
    `context` the kind of notification it answers (what its end means, D9)."""
    flow = DocumentFlow(name, context)
    builder = _Builder(flow)
    builder.node(Node("S", Shape.START, ("start",)))
    if root is None:
        return flow
    ends = builder.block(root.elements, resolve_element(root), [("S", Way.NEXT, "")])
    if ends:
        builder.connect(ends, builder.terminal("E", ("end of script", end_label(context))))
    return flow


def reachable(flow: DocumentFlow, starts: Sequence[str] | None = None) -> set[str]:
    """The ids of the nodes reached from `starts` (the start node), following every edge."""
    out: dict[str, list[str]] = {}
    for edge in flow.edges:
        out.setdefault(edge.source, []).append(edge.target)
    seen = set(starts or (flow.start,))
    stack = list(seen)
    while stack:
        for target in out.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


__all__ = [
    "DocumentFlow",
    "Edge",
    "Node",
    "Shape",
    "Way",
    "build",
    "end_label",
    "reachable",
    "shorten",
]
