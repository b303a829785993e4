"""What each command does to the flow of a script, in one table.

The engine (`ozml.interpreter.engine`) runs one path through a script; the flow model
(`ozml.flow.model`) draws every path. Both need the same facts about each command: whether the
script goes on after it, ends, jumps to fetched OzML, branches on an outcome or loops, and which
of its URL parameters the PBX requests with which notification. They are written down here, once,
from the catalog's names and the notification table (`ozml.callmodel.notifications`), with the
decision or assumption behind each (docs/decisions.md, docs/interpreter.md).

This module imports only the catalog, the call model and the project's table of links
(`ozml.project.links`, which imports neither the linter nor the interpreter), so that the engine
could read it too (the linter and the interpreter never import each other; both may import this).
Its classes are records, not attrs classes: a run of the linter with a finding reads it, and
pays for each attrs class it defines (`ozml.record`). For the same reason the table of links is
read when `FETCHES` or `FETCHES_OF` is first asked for (the flow model's), not at import: the
linter reads this module for `ENDING` alone.
"""

from __future__ import annotations

import enum
from collections.abc import Container, Mapping
from typing import TYPE_CHECKING, Any, Final

from ozml.catalog import command
from ozml.catalog.contextual import ignored
from ozml.catalog.model import Basis, Context, assumed, stated
from ozml.record import Record


class Control(enum.Enum):
    """How the script goes on after a command (the engine's `Kind`, seen from the flow)."""

    #: The next command runs (Speak, Play, Var, Delay, AttendedTransfer, ... and anything the
    #: engine skips: unknown elements, HTTP-only commands (D5), misplaced parts).
    NEXT = "next"
    #: The script ends here: Exit (assumed, D6), Reject (D9), Hangup of the current call (D9).
    ENDS = "ends"
    #: Hangup ends the script unless its CallId names another call (spec §7.6).
    HANGUP = "hangup"
    #: BlindTransfer: success ends the script (assumed: the engine's blind_transfer = "end"),
    #: failure continues with the next command (D9).
    TRANSFER = "transfer"
    #: Route: answered ends the script; not answered, the next command (the next Route) runs.
    ROUTE = "route"
    #: GoTo: the script continues with the OzML fetched from Url (spec §4); nothing after it runs.
    JUMP = "jump"
    #: UserInput: prompts, then a branch per Input key, timeout, no match, BackKey (spec §7.32).
    MENU = "menu"
    #: ForEach: its commands once per item of the array, then the next command (spec §7.25).
    LOOP = "loop"
    #: Request: OnSetup when the call is set up, OnError when it fails; then the next command.
    HANDLERS = "handlers"
    #: ReceiveAlarmNotification: Received when an alarm comes; then the next command.
    ALARM = "alarm"


#: Commands whose control is not NEXT, by canonical catalog name.
CONTROL: Final[Mapping[str, Control]] = {
    "Exit": Control.ENDS,
    "Reject": Control.ENDS,
    "Hangup": Control.HANGUP,
    "BlindTransfer": Control.TRANSFER,
    "Route": Control.ROUTE,
    "GoTo": Control.JUMP,
    "UserInput": Control.MENU,
    "ForEach": Control.LOOP,
    "Request": Control.HANDLERS,
    "ReceiveAlarmNotification": Control.ALARM,
}


def control(name: str) -> Control:
    """The control of the command with this canonical name (NEXT for every other name)."""
    return CONTROL.get(name, Control.NEXT)


#: The commands that may end the script (`ends_script` is True for some parameters).
ENDING: Final[frozenset[str]] = frozenset(
    name for name, kind in CONTROL.items() if kind in (Control.ENDS, Control.HANGUP)
)


def ends_script(name: str, params: Container[str], context: Context = Context.ANY) -> bool:
    """Whether running the command with this canonical name and these parameters (canonical
    names) in a script of `context` ends the script (D9): Exit and Reject always, Hangup unless
    its CallId names another call, which it does only where the PBX honours CallId (in a 3pcc
    script, [oz4689]; in an extension script it is ignored and the current call is hung up;
    in ``any``, it may be honoured). The one definition the linter (unreachable-command), the
    builder's check, the flow model and the engine read."""
    kind = CONTROL.get(name)
    if kind is Control.HANGUP:
        return "CallId" not in params or not names_other_call(context)
    return kind is Control.ENDS


def names_other_call(context: Context) -> bool:
    """Whether a Hangup's CallId may name another call in `context`: whether the PBX may
    honour it there (`ozml.catalog.contextual.ignored`)."""
    hangup = command("Hangup")
    param = hangup.param("CallId")
    return param is None or not ignored(hangup, param, context)


#: Why each command that ends the script is taken to end it. Reject's ending is the vendor's:
#: the call is not answered and the rest of the OzML does not run (spec §2). Hangup's and
#: Exit's are ozml's assumptions (D9, D6): a finding that rests on them is at most a warning
#: and says so (`ozml.lint.context.LintContext.grounded`).
ENDING_BASIS: Final[Mapping[str, Basis]] = {
    "Reject": stated("oz4254", "oz4691", "hu7657"),
    "Hangup": assumed(
        "§7.6",
        "oz4585",
        why="the vendor does not say that the commands after a Hangup of the current call do"
        " not run, and one of its responses holds several Hangups",
    ),
    "Exit": assumed("§7.36", "hu7666", why="Exit has no page; what it does is UNKNOWN (D6)"),
}


#: Which runs when the keys a menu reads are both its BackKey and an Input's key: the vendor
#: states what BackKey does and that the matching Input runs (spec §7.32), not which is tried
#: first. The one fact behind invalid-input-key (OZ802), which reports such a key, and the dry
#: run's `back_key` setting (`ozml.interpreter.engine.EngineOptions`), whose trace says so.
BACK_OR_BRANCH: Final[Basis] = assumed(
    "§7.32",
    "oz4693",
    "hu7663",
    why="the vendor does not say whether BackKey or an Input with the same key wins; if BackKey"
    " does, this branch never runs",
)


def never_runs(command: str, stop: str, where: str = "") -> str:
    """The words of unreachable-command (OZ402), the linter's and the builder's: `command`
    follows `stop`, a command that ends the script (`where`: `` on line 3``, or nothing). What
    rests on an assumed ending says so and cites the spec (`ENDING_BASIS`)."""
    basis = ENDING_BASIS[stop]
    if basis.stated:
        return f"{command} is never run: the script ends at {stop}{where}"
    return basis.qualify(
        f"{command} never runs if the script ends at {stop}{where}, as ozml assumes (D9)"
    )


class Handler(Record):
    """A part of a command holding commands that run on an outcome (Request's OnSetup)."""

    part: str
    #: The edge's label: when the part runs.
    label: str
    success: bool

    def __init__(self, part: str, label: str, success: bool) -> None:
        self._assign(locals())


#: The parts holding commands, per command whose control runs them (spec §7.13, §7.39).
HANDLERS: Final[Mapping[str, tuple[Handler, ...]]] = {
    "Request": (
        Handler("OnSetup", "OnSetup", True),
        Handler("OnError", "OnError", False),
    ),
    "ReceiveAlarmNotification": (Handler("Received", "Received", True),),
}


class Fetch(Record):
    """A URL parameter the PBX requests, and the notification (`KINDS` key) it sends there.

    `jump` says the answer's OzML replaces the rest of the script (GoTo, UserInput's
    ForwardToURL); otherwise it runs later, for another event (a call that connects, a
    recording that ends) while the script goes on.
    """

    command: str
    param: str
    notification: str
    jump: bool

    def __init__(self, command: str, param: str, notification: str, jump: bool = False) -> None:
        self._assign(locals())

    @property
    def name(self) -> str:
        """The notification's NotificationName (the default one, `NotificationNames`)."""
        # The notification table is read here, not at import: the linter reads this module
        # for `ENDING` alone, and a run with a finding need not load the table.
        from ozml.callmodel.notifications import KINDS

        return KINDS[self.notification].name


#: The URL parameters whose answer replaces the rest of the script.
JUMPS: Final[frozenset[tuple[str, str]]] = frozenset(
    {("GoTo", "Url"), ("UserInput", "ForwardToURL")}
)

if TYPE_CHECKING:
    #: Every URL parameter of an OzML command that the PBX requests (spec §5.1, §7), from the
    #: one table of them, `ozml.project.links.LINK_KINDS` (the project's links are the same
    #: requests). Made when first asked for (`__getattr__`).
    FETCHES: tuple[Fetch, ...]
    #: `FETCHES` by command name, in the table's order.
    FETCHES_OF: Mapping[str, tuple[Fetch, ...]]


def _fetches() -> tuple[Fetch, ...]:
    """`FETCHES`, made from `ozml.project.links.LINK_KINDS`."""
    from ozml.project.links import LINK_KINDS

    return tuple(
        Fetch(command, param, kind.notification, jump=(command, param) in JUMPS)
        for (command, param), kind in LINK_KINDS.items()
    )


def _fetches_of() -> Mapping[str, tuple[Fetch, ...]]:
    """`FETCHES_OF`, made from `FETCHES`."""
    fetches: tuple[Fetch, ...] = globals().get("FETCHES") or __getattr__("FETCHES")
    return {
        name: tuple(f for f in fetches if f.command == name)
        for name in dict.fromkeys(f.command for f in fetches)
    }


_MADE_LATER = {"FETCHES": _fetches, "FETCHES_OF": _fetches_of}


def __getattr__(name: str) -> Any:
    """`FETCHES` and `FETCHES_OF`, each made at its first asking and kept (PEP 562)."""
    make = _MADE_LATER.get(name)
    if make is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = make()
    return value


__all__ = [
    "BACK_OR_BRANCH",
    "CONTROL",
    "ENDING",
    "FETCHES",
    "FETCHES_OF",
    "HANDLERS",
    "JUMPS",
    "Control",
    "Fetch",
    "Handler",
    "control",
]
