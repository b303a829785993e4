"""The one table of context-dependent parameter facts (D4, issue 11 class 3), and the one table
of what an HTTP request must carry beyond them (issue 11 class 5).

Which parameters are mandatory only in some contexts, and which are honoured only in some, is
written here and nowhere else: `apply` sets each parameter's `required_in` and `only_in` (with
their bases) from this table, and the rules (missing-parameter, parameter-not-in-context) read
those fields without naming any command. So Speak's and Play's Party, BlindTransfer's
TransferorParty and FinishedUrl cannot be treated differently by accident.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

from ozml.catalog.model import (
    EXTENSION_ONLY,
    THREE_PCC_ONLY,
    Basis,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
    assumed,
    stated,
)
from ozml.record import Record


class Kind(enum.Enum):
    #: The parameter must be given in these contexts (missing-parameter, OZ201).
    MANDATORY = "mandatory in"
    #: The PBX honours the parameter only in these contexts (parameter-not-in-context, OZ602).
    ONLY = "used only in"


class ContextFact(Record):
    """A parameter that is mandatory (or honoured) only in some contexts."""

    command: str
    param: str
    kind: Kind
    contexts: frozenset[Context]
    basis: Basis

    def __init__(
        self, command: str, param: str, kind: Kind, contexts: frozenset[Context], basis: Basis
    ) -> None:
        self._assign(locals())


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


class HttpFact(Record):
    """A parameter an HTTP API request must carry although an OzML document may omit it."""

    command: str
    param: str
    basis: Basis

    def __init__(self, command: str, param: str, basis: Basis) -> None:
        self._assign(locals())


def _call_of_request(command: str, param: str, gen_a_http: str, *gen_b: str) -> HttpFact:
    """The call a call-control command acts on, where both documentation generations make it
    mandatory over HTTP: in OzML it defaults to the notified call (D5); the older HTTP page
    marks it mandatory, and the Ozeki 10 page marks it "yes" too while saying it may be
    omitted in a response to a call notification (spec §8 #15), which a bare request is not."""
    return HttpFact(command, param, stated(gen_a_http, *gen_b))


def _disputed_call(section: str, command: str, param: str, gen_a_http: str, gen_b: str) -> HttpFact:
    """The call a call-control command acts on, where the generations disagree: the older HTTP
    page marks it mandatory, the Ozeki 10 table optional ("HTTP Gen-A Yes; Gen-B no" in the
    spec). ozml asks for it, as a bare request has no notified call to default to (D5), but
    that is its assumption: a missing one is a warning, and the request is sent."""
    return HttpFact(command, param, assumed(
        section, gen_a_http, gen_b,
        why=f"mandatory on the older HTTP page [{gen_a_http}], optional on the Ozeki 10 page"
        f" [{gen_b}]; assumed mandatory, as a bare request has no notified call to default to",
    ))


#: What an HTTP request must carry beyond what the table above and the command tables make
#: mandatory in every context (ozml-spec.md §7; docs/live-pbx.md "What is checked").
HTTP_FACTS: tuple[HttpFact, ...] = (
    # Ozeki 10 marks Play's Party mandatory [hu7640] (the older pages: under 3PCC only).
    HttpFact("Play", "Party", stated("hu7640")),
    # SendEmail's only HTTP page marks ApiExtension mandatory [oz4774].
    HttpFact("SendEmail", "ApiExtension", stated("oz4774")),
    HttpFact("Call", "ApiExtension", assumed(
        "§7.3", "oz4571", "hu7632", "ghAR",
        why="mandatory on the older HTTP page; the Ozeki 10 page omits it only when answering"
        " a call notification, which a bare request is not; the vendor's sample omits it",
    )),
    HttpFact("SendSms", "ApiExtension", assumed(
        "§7.20", "oz4591", "hu7649",
        why="mandatory on the older HTTP page; the Ozeki 10 page does not list it",
    )),
    # "HTTP Gen-A Yes; Gen-B no" (spec §7.1, §7.2, §7.4, §7.14, §7.15): assumed.
    _disputed_call("§7.1", "AttendedTransfer", "TransferredCallId", "oz4576", "hu7630"),
    _disputed_call("§7.2", "BlindTransfer", "CallId", "oz4575", "hu7631"),
    _disputed_call("§7.4", "ForwardCall", "CallId", "oz4574", "hu7633"),
    _disputed_call("§7.14", "SendDTMF", "CallId", "oz4577", "hu7643"),
    _disputed_call("§7.15", "Speak", "CallId", "oz4579", "hu7644"),
    # Ozeki 10 marks these "yes" while saying they may be omitted in a response (§8 #15).
    _call_of_request("Hangup", "CallId", "oz4610", "hu7635"),
    _call_of_request("Hold", "CallId", "oz4572", "hu7636"),
    _call_of_request("Unhold", "CallId", "oz4573", "hu7645"),
    _call_of_request("Play", "CallId", "oz4578", "hu7640"),
    # "OzML No; HTTP Yes" (spec §7.12); the Ozeki 10 page does not contradict it.
    _call_of_request("Record", "CallId", "oz4775"),
)  # fmt: skip


_Fact = TypeVar("_Fact", ContextFact, HttpFact)


def _by_command(facts: Iterable[_Fact]) -> dict[str, list[_Fact]]:
    found: dict[str, list[_Fact]] = {}
    for fact in facts:
        found.setdefault(fact.command, []).append(fact)
    return found


_CONTEXT_BY_COMMAND = _by_command(CONTEXT_FACTS)
_HTTP_BY_COMMAND = _by_command(HTTP_FACTS)


def apply(cmd: Command, params: tuple[Param, ...]) -> tuple[Param, ...]:
    """`params`, the parameters of `cmd`, with every fact of `CONTEXT_FACTS` and `HTTP_FACTS`
    on `cmd` set on its parameter; `params` itself when there is none. Each parameter changed
    is copied once, whatever the number of its facts."""
    facts = _CONTEXT_BY_COMMAND.get(cmd.name, ())
    http = _HTTP_BY_COMMAND.get(cmd.name, ())
    if not facts and not http:
        return params
    names = {p.name for p in params}
    for fact in facts:
        if fact.param not in names:
            raise AssertionError(f"context table: {cmd.name} has no parameter {fact.param}")
    http_names = {p.name for p in params if Usage.HTTP in p.usage}
    for http_fact in http:
        if not cmd.in_http or http_fact.param not in http_names:
            raise AssertionError(f"HTTP table: {cmd.name} has no HTTP {http_fact.param}")
    found: list[Param] = []
    for param in params:
        changes: dict[str, object] = {}
        for http_fact in http:
            if http_fact.param == param.name:
                changes["http_required"] = http_fact.basis
        for fact in facts:
            if fact.param != param.name:
                continue
            if fact.kind is Kind.MANDATORY:
                changes["required_in"] = fact.contexts
                changes["required_basis"] = fact.basis
            else:
                changes["only_in"] = fact.contexts
                changes["only_in_basis"] = fact.basis
        found.append(param.replace(**changes) if changes else param)
    return tuple(found)


def outside(command: Command, context: Context) -> bool:
    """Whether `command` is known not to run in `context`: a command of OzML documents whose
    contexts the vendor documents (`Command.context_known`), none of them `context`. In the
    default context ``any`` nothing is known of the notification, and a command whose context
    the vendor does not document (CallSetup, Request, SendMsg, ...) is outside none.

    The one answer command-not-in-context (OZ601) reports and the language server's completion
    follows (it offers the commands this leaves in)."""
    return (
        context is not Context.ANY
        and command.kind is ElementKind.COMMAND
        and command.in_ozml
        and command.context_known
        and bool(command.contexts)
        and context not in command.contexts
    )


def usable_in(command: Command) -> tuple[Context, ...]:
    """The concrete contexts a document may use `command` in (those it is not `outside`), in
    `Context.concrete` order: where its parameters are asked for (`ozml command` lists the
    contexts a parameter is mandatory in among these)."""
    return tuple(c for c in Context.concrete() if not outside(command, c))


def ignored(command: Command, param: Param, context: Context) -> bool:
    """Whether the PBX ignores `command`'s parameter `param` in `context`: it is honoured only
    in other contexts (`Param.only_in`, from `CONTEXT_FACTS`), of a command whose contexts the
    vendor documents; never in the default context ``any``.

    The one answer parameter-not-in-context (OZ602) reports and the language server's
    completion follows (it does not offer such a parameter)."""
    return (
        context is not Context.ANY
        and command.context_known
        and bool(param.only_in)
        and context not in param.only_in
    )


__all__ = [
    "CONTEXT_FACTS",
    "HTTP_FACTS",
    "ContextFact",
    "HttpFact",
    "Kind",
    "apply",
    "ignored",
    "outside",
    "usable_in",
]
