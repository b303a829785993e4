"""The one table of context-dependent parameter facts (D4, issue 11 class 3).

Which parameters are mandatory only in some contexts, and which are honoured only in some, is
written here and nowhere else: `apply` sets each parameter's `required_in` and `only_in` (with
their bases) from this table, and the rules (missing-parameter, parameter-not-in-context) read
those fields without naming any command. So Speak's and Play's Party, BlindTransfer's
TransferorParty and FinishedUrl cannot be treated differently by accident.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from ozml.catalog.model import (
    EXTENSION_ONLY,
    THREE_PCC_ONLY,
    Basis,
    Command,
    Context,
    Param,
    assumed,
    stated,
)


class Kind(enum.Enum):
    #: The parameter must be given in these contexts (missing-parameter, OZ201).
    MANDATORY = "mandatory in"
    #: The PBX honours the parameter only in these contexts (parameter-not-in-context, OZ602).
    ONLY = "used only in"


@attrs.frozen
class ContextFact:
    command: str
    param: str
    kind: Kind
    contexts: frozenset[Context]
    basis: Basis


def _gen_a_only(section: str, gen_a: str, gen_b: str) -> Basis:
    return assumed(
        section,
        gen_a,
        gen_b,
        why=f"mandatory under 3PCC on the older page [{gen_a}], optional on the Ozeki 10 page"
        f" [{gen_b}]",
    )


CONTEXT_FACTS: tuple[ContextFact, ...] = (
    # Party: "only honoured under 3PCC and mandatory there" [oz4692][oz4690].
    ContextFact("Speak", "Party", Kind.MANDATORY, THREE_PCC_ONLY,
                _gen_a_only("§7.15", "oz4581", "hu7644")),
    ContextFact("Speak", "Party", Kind.ONLY, THREE_PCC_ONLY, stated("oz4692")),
    ContextFact("Play", "Party", Kind.MANDATORY, THREE_PCC_ONLY, stated("oz4234", "hu7640")),
    ContextFact("Play", "Party", Kind.ONLY, THREE_PCC_ONLY, stated("oz4690")),
    # BlindTransfer: CallId, TransferorParty, FinishedUrl are 3PCC-only, TransferorParty is
    # mandatory there [oz4617][oz4583]; Ozeki 10 marks TransferorParty optional [hu7631].
    ContextFact("BlindTransfer", "TransferorParty", Kind.MANDATORY, THREE_PCC_ONLY,
                _gen_a_only("§7.2", "oz4583", "hu7631")),
    ContextFact("BlindTransfer", "TransferorParty", Kind.ONLY, THREE_PCC_ONLY, stated("oz4617")),
    ContextFact("BlindTransfer", "FinishedUrl", Kind.ONLY, THREE_PCC_ONLY,
                stated("oz4617", "oz4583")),
    ContextFact("BlindTransfer", "CallId", Kind.ONLY, THREE_PCC_ONLY, stated("oz4617")),
    # CallId is honoured only under 3PCC [oz4692][oz4690][oz4776][oz4689].
    ContextFact("Speak", "CallId", Kind.ONLY, THREE_PCC_ONLY, stated("oz4692")),
    ContextFact("Play", "CallId", Kind.ONLY, THREE_PCC_ONLY, stated("oz4690")),
    ContextFact("Record", "CallId", Kind.ONLY, THREE_PCC_ONLY, stated("oz4776")),
    ContextFact("Hangup", "CallId", Kind.ONLY, THREE_PCC_ONLY, stated("oz4689")),
    # Record: Duration, Inactivity, FinishDigits are extension-control only [oz4776].
    ContextFact("Record", "Duration", Kind.ONLY, EXTENSION_ONLY, stated("oz4776")),
    ContextFact("Record", "Inactivity", Kind.ONLY, EXTENSION_ONLY, stated("oz4776")),
    ContextFact("Record", "FinishDigits", Kind.ONLY, EXTENSION_ONLY, stated("oz4776")),
)  # fmt: skip


def _applied(cmd: Command, facts: list[ContextFact]) -> Command:
    params: list[Param] = []
    for param in cmd.params:
        for fact in facts:
            if fact.param != param.name:
                continue
            if fact.kind is Kind.MANDATORY:
                param = attrs.evolve(param, required_in=fact.contexts, required_basis=fact.basis)
            else:
                param = attrs.evolve(param, only_in=fact.contexts, only_in_basis=fact.basis)
        params.append(param)
    return attrs.evolve(cmd, params=tuple(params))


def apply(commands: Iterable[Command]) -> tuple[Command, ...]:
    """`commands` with every fact of `CONTEXT_FACTS` set on its parameter."""
    found: list[Command] = []
    for cmd in commands:
        facts = [f for f in CONTEXT_FACTS if f.command == cmd.name]
        names = {p.name for p in cmd.params}
        for fact in facts:
            if fact.param not in names:
                raise AssertionError(f"context table: {cmd.name} has no parameter {fact.param}")
        found.append(_applied(cmd, facts) if facts else cmd)
    return tuple(found)


__all__ = ["CONTEXT_FACTS", "ContextFact", "Kind", "apply"]
