"""What may contain what: the one answer of the linter (child-not-allowed, OZ104) and the
builder (`BuildError` OZ104), with the catalog fact it rests on and the words of the finding.

Spec §2 lists the combinations the vendor shows and leaves everything else UNKNOWN, so most
misplacements rest on an assumed fact (`Command.children_fact`): their message says the element
is undocumented there and cites the spec, never that the vendor forbids it. Only the content
the vendor states (the root holds commands, Inputs holds Input, Array holds Item,
ReceiveAlarmNotification holds Received) and a nested document root are the vendor's.
"""

from __future__ import annotations

from ozml.catalog.commands import ALL
from ozml.catalog.model import Basis, ChildPolicy, Command, ElementKind, stated
from ozml.record import Record

__all__ = ["HOMES", "Misplaced", "holds", "misplaced"]

#: Where each structural part is shown (Input in Inputs, Item in Array, ...), for the message.
HOMES: dict[str, str] = {
    name: cmd.name for cmd in ALL if cmd.children is ChildPolicy.LISTED for name in cmd.child_names
}


class Misplaced(Record):
    """A child where the catalog does not take it: the finding's words and what it rests on."""

    message: str
    basis: Basis

    def __init__(self, message: str, basis: Basis) -> None:
        self._assign(locals())


def holds(parent: Command, child: Command) -> bool:
    """Whether `parent` holds `child` as the catalog records it. An undocumented command (D6)
    holds anything: its content is unknown."""
    if not parent.documented:
        return True
    if parent.children is ChildPolicy.COMMANDS:
        return child.kind is ElementKind.COMMAND
    if parent.children is ChildPolicy.LISTED:
        return child.name in parent.child_names
    return False


def misplaced(parent: Command, child: Command) -> Misplaced | None:
    """None when `parent` holds `child`; else what the finding says and the fact it rests on.

    A nested root is the vendor's (a response is always the enclosing element [oz4254]).
    Anything else rests on what the parent's content is known to be (`children_fact`): where
    that is assumed, the message says the child is undocumented there, with the spec's
    citation and what is not known (``Play directly inside Speak is undocumented (spec §2
    [hu7644]): ...``).
    """
    if holds(parent, child):
        return None
    if child.kind is ElementKind.ROOT:
        message = f"{child.name} is the document root and cannot be nested in {parent.name}"
        return Misplaced(message, stated(child.source))
    basis = parent.children_fact
    home = HOMES.get(child.name)
    if not basis.stated:
        message = (
            f"{child.name} directly inside {parent.name} is undocumented"
            f" ({basis.citation()}): {basis.why}"
        )
        if home:
            message += f"; the vendor shows {child.name} in {home}"
    elif parent.children is ChildPolicy.NONE:
        message = f"{parent.name} takes no child elements, found {child.name}"
    elif parent.children is ChildPolicy.LISTED:
        message = (
            f"{child.name} is not allowed in {parent.name}; expected"
            f" {' or '.join(parent.child_names)}"
        )
    else:
        message = f"{child.name} is not allowed in {parent.name}"
        if home:
            message += f"; it belongs in {home}"
    return Misplaced(message, basis)
