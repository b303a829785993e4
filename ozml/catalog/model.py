"""The shape of the catalog: commands, their parameters, and the vocabulary they are described in.

The catalog is data. Everything that knows about OzML commands (the linter, the XSD generator, the
builder, the interpreter, the HTTP client, the language server and the docs) reads it from here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from functools import cached_property

import attrs


class Context(enum.Enum):
    """The kind of notification a document answers (DESIGN.md D4)."""

    EXTENSION = "extension"
    THREE_PCC = "3pcc"
    ROUTING = "routing"
    ANY = "any"

    @classmethod
    def concrete(cls) -> tuple[Context, ...]:
        return (cls.EXTENSION, cls.THREE_PCC, cls.ROUTING)

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


class ChildPolicy(enum.Enum):
    """What an element may contain besides its listed child elements."""

    NONE = "none"  # no child elements
    COMMANDS = "commands"  # any OzML command, in sequence
    LISTED = "listed"  # only the element names in `children`


@attrs.frozen
class Alias:
    """Another accepted spelling of a command, element or parameter name."""

    name: str
    kind: AliasKind
    source: str


@attrs.frozen
class Param:
    """One parameter of a command: an attribute, or the element text when `text` is set."""

    name: str
    type: ValueType
    doc: str
    source: str
    required_in: frozenset[Context] = NO_CONTEXTS
    aliases: tuple[Alias, ...] = ()
    values: tuple[str, ...] = ()
    default: str | None = None
    text: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_digits: int | None = None
    only_in: frozenset[Context] = NO_CONTEXTS
    usage: frozenset[Usage] = OZML_AND_HTTP
    example: str | None = None

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


@attrs.frozen
class Command:
    """One element of the OzML vocabulary: a command, the root, or a structural part."""

    name: str
    kind: ElementKind
    doc: str
    source: str
    params: tuple[Param, ...] = ()
    usage: frozenset[Usage] = OZML_ONLY
    contexts: frozenset[Context] = NO_CONTEXTS
    children: ChildPolicy = ChildPolicy.NONE
    child_names: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = ()
    documented: bool = True
    gen_b_page: bool = True
    result_codes: tuple[int, ...] = ()
    notes: str = ""
    #: False when the vendor documents no context for the command (UNKNOWN): `contexts` is then
    #: only the interpreter's assumption, and the context rules do not report the command.
    context_known: bool = True

    @property
    def in_ozml(self) -> bool:
        return Usage.OZML in self.usage

    @property
    def in_http(self) -> bool:
        return Usage.HTTP in self.usage

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
