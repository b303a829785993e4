"""The shape of the catalog: commands, their parameters, and the vocabulary they are described in.

The catalog is data. Everything that knows about OzML commands (the linter, the XSD generator, the
builder, the interpreter, the HTTP client, the language server and the docs) reads it from here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import cached_property

from ozml.catalog.messages import undocumented
from ozml.record import Record


class Context(enum.Enum):
    """The kind of notification a document answers (DESIGN.md D4)."""

    EXTENSION = "extension"
    THREE_PCC = "3pcc"
    ROUTING = "routing"
    ANY = "any"

    @classmethod
    def concrete(cls) -> tuple[Context, ...]:
        return (cls.EXTENSION, cls.THREE_PCC, cls.ROUTING)

    @property
    def script(self) -> str:
        """``an extension script``, ``a 3pcc script``: a script answering this context."""
        article = "an" if self.value[0] in "aeiou" else "a"
        return f"{article} {self.value} script"

    @classmethod
    def listed(cls, contexts: Iterable[Context], joiner: str = ", ") -> str:
        """The concrete contexts among `contexts`, in `concrete` order, joined: ``extension,
        3pcc``; with ``" or "``, ``extension or 3pcc``. The one way ozml names a set of
        contexts (findings, the builder's checks, the trace, hover, pages, the audit)."""
        chosen = set(contexts)
        return joiner.join(c.value for c in cls.concrete() if c in chosen)

    @classmethod
    def parse(cls, text: str) -> Context:
        for ctx in cls:
            if ctx.value == text.strip().lower():
                return ctx
        allowed = ", ".join(c.value for c in cls)
        raise ValueError(f"unknown context {text!r} (expected one of: {allowed})")


EXTENSION_ONLY = frozenset({Context.EXTENSION})
THREE_PCC_ONLY = frozenset({Context.THREE_PCC})
ROUTING_ONLY = frozenset({Context.ROUTING})
CALL_CONTEXTS = frozenset({Context.EXTENSION, Context.THREE_PCC})
NO_CONTEXTS: frozenset[Context] = frozenset()


class Usage(enum.Enum):
    """Where a command can be used: inside an OzML document, as an HTTP API request, or both."""

    OZML = "ozml"
    HTTP = "http"


OZML_ONLY = frozenset({Usage.OZML})
HTTP_ONLY = frozenset({Usage.HTTP})
OZML_AND_HTTP = frozenset({Usage.OZML, Usage.HTTP})


class ValueType(enum.Enum):
    """The type of a parameter's value; `ozml.catalog.values` knows how to check each one."""

    STRING = "string"
    INTEGER = "integer"
    SECONDS = "seconds"
    BOOLEAN = "boolean"
    URL = "url"
    PHONE = "phone-number"
    DESTINATION = "destination"
    CALL_ID = "call-id"
    PARTY = "party"
    TRANSFEROR = "transferor-party"
    DTMF_KEYS = "dtmf-keys"
    DTMF_KEY = "dtmf-key"
    LANGUAGE = "language-code"
    EMAIL = "email"
    PATH = "file-path"
    IDENTIFIER = "identifier"
    ENUM = "enum"
    DATETIME = "datetime"
    SQL = "sql"
    URL_OR_SQL = "url-or-sql"
    OZML = "ozml"


class AliasKind(enum.Enum):
    """Why a name other than the canonical one is accepted."""

    LEGACY = "legacy"  # an older documentation generation's name (D1)
    MISSPELLING = "misspelling"  # a vendor typo kept for compatibility (D2)
    VARIANT = "variant"  # another spelling seen in vendor material


class ElementKind(enum.Enum):
    """What role an element plays in a document."""

    ROOT = "root"
    COMMAND = "command"
    PART = "part"  # a structural child of a command: InitialCommands, Inputs, Input, Item, ...


#: Attributes any root may carry: namespace declarations and schema hints for editors.
_ROOT_PREFIXES = ("xmlns", "xsi:")
#: XML's own attributes (``xml:lang``, ``xml:space``, ...), legal on every element.
_XML_PREFIX = "xml:"


def not_a_parameter(name: str, kind: ElementKind) -> bool:
    """Whether an attribute of an element of this kind is never one of its parameters, and so
    no unknown one: XML's own (``xml:lang``) on every element, and on a root the namespace
    declarations and schema hints editors use (``xmlns``, ``xsi:``). The one answer of the
    linter's unknown-attribute and of what a run says it does not pass on."""
    return name.startswith(_XML_PREFIX) or (
        kind is ElementKind.ROOT and name.startswith(_ROOT_PREFIXES)
    )


class ChildPolicy(enum.Enum):
    """What an element may contain besides its listed child elements."""

    NONE = "none"  # no child elements
    COMMANDS = "commands"  # any OzML command, in sequence
    LISTED = "listed"  # only the element names in `children`


class Basis(Record):
    """Why ozml holds a catalog fact: the vendor states it, or ozml assumes it.

    A fact is *stated* when a vendor page says it (`sources` are its keys). It is *assumed*
    when ozml-spec.md marks it UNKNOWN or "not stated", or when the two documentation
    generations disagree and ozml picked one (`spec` is the section saying so, `why` what is
    unknown). Findings that rest on an assumed fact are at most warnings (issue 11).
    """

    sources: tuple[str, ...]
    stated: bool
    spec: str
    why: str

    def __init__(
        self, sources: tuple[str, ...], stated: bool = True, spec: str = "", why: str = ""
    ) -> None:
        self._assign(locals())

    @property
    def keys(self) -> str:
        """``[oz4693][hu7663]``."""
        return "".join(f"[{key}]" for key in self.sources)

    def citation(self) -> str:
        """``spec §2 [oz4693]``: where an assumed fact's question is recorded."""
        return f"spec {self.spec} {self.keys}".replace("  ", " ").strip()

    def qualify(self, message: str) -> str:
        """`message` of a finding resting on this fact: an assumed fact's message says it is
        undocumented and cites the spec (``...; undocumented (spec §2 [oz4693]): why``)."""
        if self.stated:
            return message
        if undocumented(self.citation()).removeprefix("; ") in message:
            return message
        return message + undocumented(self.citation(), self.why)

    def label(self) -> str:
        """``stated [oz4583]`` or ``assumed (spec §2 [oz4693]: why)``: how docs and CLI show it."""
        if self.stated:
            return f"stated {self.keys}"
        why = f": {self.why}" if self.why else ""
        return f"assumed ({self.citation()}{why})"


#: Why a command whose parameter table marks no parameter as element text is taken to take
#: none (`Command.no_text_fact`).
NO_TEXT_WHY = (
    "no parameter in its table is marked as element text, though a command may take one"
    " parameter as its text (spec §1 [oz4254]); that it takes none is assumed"
)


def stated(*sources: str) -> Basis:
    return Basis(tuple(sources))


def assumed(spec: str, *sources: str, why: str) -> Basis:
    return Basis(tuple(sources), stated=False, spec=spec, why=why)


class Behaviour(Record):
    """How the PBX runs an element, as far as a lint rule rests on it (a repeated Input key)."""

    name: str
    value: str
    basis: Basis

    def __init__(self, name: str, value: str, basis: Basis) -> None:
        self._assign(locals())


class Alias(Record):
    """Another accepted spelling of a command, element or parameter name."""

    name: str
    kind: AliasKind
    source: str

    def __init__(self, name: str, kind: AliasKind, source: str) -> None:
        self._assign(locals())


class Param(Record):
    """One parameter of a command: an attribute, or the element text when `text` is set."""

    name: str
    type: ValueType
    doc: str
    source: str
    required_in: frozenset[Context]
    aliases: tuple[Alias, ...]
    values: tuple[str, ...]
    default: str | None
    text: bool
    minimum: int | None
    maximum: int | None
    max_digits: int | None
    only_in: frozenset[Context]
    usage: frozenset[Usage]
    example: str | None
    #: Exactly this many digits (SendAlarmNotification's AccountNumber: "4 digits").
    min_digits: int | None
    #: Why the parameter is mandatory where `required_in` says, or optional elsewhere;
    #: None: stated by `source`.
    required_basis: Basis | None
    #: Why its value is checked as `type` (and `values`); None: stated by `source`.
    type_basis: Basis | None
    #: Why it is (or is not) used only in `only_in`; None: stated by `source`.
    only_in_basis: Basis | None
    #: Why it may be written as the element text (`text`); None: stated by `source`.
    text_basis: Basis | None
    #: Why its value is at least `minimum` and at most `maximum`; None: assumed (`bounded`).
    bounds_basis: Basis | None
    #: Why its value is `default` when it is not given: stated where the spec's table gives
    #: the default for Ozeki 10 (D1), assumed where only the older pages give it; set wherever
    #: `default` is (None: assumed, see `defaulted`).
    default_basis: Basis | None
    #: Mandatory in an HTTP API request although a document may leave it out (a bare request
    #: answers no notification, so nothing defaults it), with why; None: an HTTP request needs
    #: it only where `required_in` says. Set from `ozml.catalog.contextual.HTTP_FACTS`.
    http_required: Basis | None
    #: What an empty value means, where the vendor states it (ErrorUrl: "empty → no error
    #: notification"): such a value is taken whatever the type (`empty`); None: an empty value
    #: is checked as the type says (`ozml.catalog.values.check`).
    empty_means: str | None
    #: Why an empty value is refused, where that rests on more than the type (Call's Url: only
    #: the older pages say an empty one hangs the call up); None: as `typed` says.
    empty_refused: Basis | None

    def __init__(
        self,
        name: str,
        type: ValueType,
        doc: str,
        source: str,
        required_in: frozenset[Context] = NO_CONTEXTS,
        aliases: tuple[Alias, ...] = (),
        values: tuple[str, ...] = (),
        default: str | None = None,
        text: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
        max_digits: int | None = None,
        only_in: frozenset[Context] = NO_CONTEXTS,
        usage: frozenset[Usage] = OZML_AND_HTTP,
        example: str | None = None,
        min_digits: int | None = None,
        required_basis: Basis | None = None,
        type_basis: Basis | None = None,
        only_in_basis: Basis | None = None,
        text_basis: Basis | None = None,
        http_required: Basis | None = None,
        bounds_basis: Basis | None = None,
        default_basis: Basis | None = None,
        empty_means: str | None = None,
        empty_refused: Basis | None = None,
    ) -> None:
        self._assign(locals())

    @property
    def empty(self) -> Basis | None:
        """Why an empty value is taken though the type refuses one: stated by `source`,
        where the vendor says what it means (`empty_means`); None where it does not."""
        return None if self.empty_means is None else stated(self.source)

    @property
    def defaulted(self) -> Basis:
        """Why the parameter's value is `default` when it is not given: `default_basis`, or,
        for a default the catalog gives no source for, assumed."""
        if self.default_basis is not None:
            return self.default_basis
        return assumed("§7", self.source, why=f"no source is recorded for {self.name}'s default")

    @property
    def required(self) -> Basis:
        return self.required_basis or stated(self.source)

    @property
    def typed(self) -> Basis:
        return self.type_basis or stated(self.source)

    @property
    def bounded(self) -> Basis:
        """Why a value below `minimum` or above `maximum` (a number of seconds: below 0) is
        wrong: the vendor gives such a parameter as a number (int, seconds) and states no least
        or greatest value (spec §7), so a bound is assumed unless `bounds_basis` cites where
        it is stated."""
        if self.bounds_basis is not None:
            return self.bounds_basis
        return assumed(
            "§7",
            self.source,
            why=f"the vendor gives {self.name} as a number and states no bound; that it is"
            f" {self.limits or 'bounded'} is assumed",
        )

    @property
    def limits(self) -> str:
        """``at least 0``, ``at least 1 and at most 9``: the bounds `ozml.catalog.values.check`
        holds a number of this parameter to (a number of seconds: at least 0, as it takes no
        sign), or "" for none."""
        least = 0 if self.type is ValueType.SECONDS else self.minimum
        limits = [f"at least {least}"] if least is not None else []
        limits += [f"at most {self.maximum}"] if self.maximum is not None else []
        return " and ".join(limits)

    @property
    def only(self) -> Basis:
        return self.only_in_basis or stated(self.source)

    @property
    def as_text(self) -> Basis:
        return self.text_basis or stated(self.source)

    def is_required(self, context: Context, valid_in: frozenset[Context]) -> bool:
        """Whether the parameter must be given in `context`.

        In context `any` a parameter is required only when it is required in every context the
        command is valid in, so that `any` reports only what holds everywhere (D4).
        """
        if not self.required_in or Usage.OZML not in self.usage:
            return False
        if context is Context.ANY:
            return bool(valid_in) and valid_in <= self.required_in
        return context in self.required_in

    @cached_property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *(a.name for a in self.aliases))


class Command(Record):
    """One element of the OzML vocabulary: a command, the root, or a structural part."""

    name: str
    kind: ElementKind
    doc: str
    source: str
    params: tuple[Param, ...]
    usage: frozenset[Usage]
    contexts: frozenset[Context]
    children: ChildPolicy
    child_names: tuple[str, ...]
    aliases: tuple[Alias, ...]
    documented: bool
    gen_b_page: bool
    result_codes: tuple[int, ...]
    notes: str
    #: False when the vendor documents no context for the command (UNKNOWN): `contexts` is then
    #: only the interpreter's assumption, and the context rules do not report the command.
    context_known: bool
    #: Why the command is usable in `contexts` (and not elsewhere); None: stated by `source`.
    contexts_basis: Basis | None
    #: Contexts outside `contexts` where the command's absence rests on an assumption.
    disputed_contexts: tuple[tuple[Context, Basis], ...]
    #: Why the element takes only the child elements `children` allows and no others, where
    #: a vendor source states its content (spec §2's table: Response, Inputs, Array,
    #: ReceiveAlarmNotification) or the spec records what is assumed; None: assumed (see
    #: `children_fact`).
    children_basis: Basis | None
    #: Why a command without a text parameter takes no element text; None: assumed (see
    #: `no_text_fact`).
    no_text_basis: Basis | None
    #: Why `result_codes` are what they are; None: stated by `source`.
    result_codes_basis: Basis | None
    #: Why the command is usable where `usage` says (OzML, HTTP); None: stated by `source`.
    usage_basis: Basis | None
    #: Why `params` are all the parameters there are, so that an unknown one is a mistake;
    #: None: stated by `source` (its parameter table is whole). Assumed where the vendor's
    #: table is cut off or its page for the target version was not found (spec §9).
    params_basis: Basis | None
    #: How the PBX runs the element, where a rule rests on it.
    behaviour: tuple[Behaviour, ...]

    def __init__(
        self,
        name: str,
        kind: ElementKind,
        doc: str,
        source: str,
        params: tuple[Param, ...] = (),
        usage: frozenset[Usage] = OZML_ONLY,
        contexts: frozenset[Context] = NO_CONTEXTS,
        children: ChildPolicy = ChildPolicy.NONE,
        child_names: tuple[str, ...] = (),
        aliases: tuple[Alias, ...] = (),
        documented: bool = True,
        gen_b_page: bool = True,
        result_codes: tuple[int, ...] = (),
        notes: str = "",
        context_known: bool = True,
        contexts_basis: Basis | None = None,
        disputed_contexts: tuple[tuple[Context, Basis], ...] = (),
        children_basis: Basis | None = None,
        no_text_basis: Basis | None = None,
        result_codes_basis: Basis | None = None,
        usage_basis: Basis | None = None,
        params_basis: Basis | None = None,
        behaviour: tuple[Behaviour, ...] = (),
    ) -> None:
        self._assign(locals())

    @property
    def params_fact(self) -> Basis:
        return self.params_basis or stated(self.source)

    def behaviour_fact(self, name: str) -> Basis:
        for known in self.behaviour:
            if known.name == name:
                return known.basis
        raise KeyError(f"{self.name} has no behaviour {name!r}")

    @property
    def usage_fact(self) -> Basis:
        if self.usage_basis is not None:
            return self.usage_basis
        if not self.documented:
            return assumed("§9", self.source, why="its page was not found")
        return stated(self.source)

    @property
    def children_fact(self) -> Basis:
        """Why the element takes only the child elements `children` allows. Spec §2 lists the
        combinations the vendor shows and leaves everything else UNKNOWN; of most commands §7
        says "Children: none seen" or "none documented", and no page says that they take none.
        So the fact is assumed unless `children_basis` records a vendor source for it."""
        if self.children_basis is not None:
            return self.children_basis
        if not self.documented:
            why = f"its page was not found; whether {self.name} takes child elements is UNKNOWN"
        elif self.children is ChildPolicy.NONE:
            why = (
                f"the vendor shows no child elements in {self.name}; whether it takes any is"
                " UNKNOWN"
            )
        else:
            why = (
                f"spec §2 does not list what {self.name} holds; that it holds only these is"
                " assumed"
            )
        return assumed("§2", self.source, why=why)

    @property
    def no_text_fact(self) -> Basis:
        """Why the element takes no text (it has no text parameter). Any command may have one
        parameter written as its text [oz4254], and the vendor's tables mark which for some
        commands only: where a table marks none, that the command takes none is assumed, unless
        `no_text_basis` records a vendor source saying so (ozml-spec.md §7's "Text?" column:
        "—" is "no evidence")."""
        if self.no_text_basis is not None:
            return self.no_text_basis
        return assumed("§7", self.source, "oz4254", why=NO_TEXT_WHY)

    @property
    def result_codes_fact(self) -> Basis:
        return self.result_codes_basis or stated(self.source)

    def context_fact(self, context: Context | None = None) -> Basis:
        """Why the command is (or is not) usable in `context` (None: its contexts as a whole)."""
        for disputed, basis in self.disputed_contexts:
            if disputed is context:
                return basis
        if self.contexts_basis is not None:
            return self.contexts_basis
        if not self.context_known:
            return assumed("§1.3", self.source, why="the vendor documents no context for it")
        return stated(self.source)

    @property
    def in_ozml(self) -> bool:
        return Usage.OZML in self.usage

    @property
    def in_http(self) -> bool:
        return Usage.HTTP in self.usage

    def usage_of(self, param: Param) -> frozenset[Usage]:
        """Where `param` may be given, as its entry says and this command allows: a parameter
        of a command usable in OzML only is given in OzML only, whatever its own entry (which
        says where parameters of its name are usable) says."""
        return param.usage & self.usage

    # Rules ask these of every element (and some of every attribute): worked out once.
    @cached_property
    def text_param(self) -> Param | None:
        for param in self.params:
            if param.text:
                return param
        return None

    @cached_property
    def ozml_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if Usage.OZML in p.usage)

    @property
    def http_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if Usage.HTTP in p.usage)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(f"{self.name} has no parameter {name!r}")

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *(a.name for a in self.aliases))


def names_of(items: Iterable[Command | Param]) -> list[str]:
    return [item.name for item in items]
