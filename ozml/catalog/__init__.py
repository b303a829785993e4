"""The catalog: the single source of truth for every OzML command (DESIGN.md, Architecture).

Names are looked up case-insensitively (D3) and through aliases (D1, D2); a lookup says how the
written name matched so that the linter can report legacy, misspelt or wrongly cased names.
"""

from __future__ import annotations

import enum

from ozml.catalog.commands import ALL, COMMANDS, PARTS, RECEIVED_VARIABLES, ROOTS
from ozml.catalog.model import (
    Alias,
    AliasKind,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
    ValueType,
)
from ozml.record import Record

__all__ = [
    "ALL",
    "COMMANDS",
    "PARTS",
    "RECEIVED_VARIABLES",
    "ROOTS",
    "Alias",
    "AliasKind",
    "ChildPolicy",
    "Command",
    "Context",
    "ElementKind",
    "Match",
    "MatchKind",
    "Param",
    "ParamMatch",
    "Usage",
    "ValueType",
    "command",
    "lookup_element",
    "lookup_param",
]


class MatchKind(enum.Enum):
    EXACT = "exact"
    CASE = "case"  # right name, other letter case (D3)
    ALIAS = "alias"  # an alias, in its own case or not (D1, D2)


class Match(Record):
    """How a written element name matches the catalog: its entry, how, and through which alias."""

    command: Command
    kind: MatchKind
    alias: Alias | None

    def __init__(self, command: Command, kind: MatchKind, alias: Alias | None) -> None:
        self._assign(locals())


class ParamMatch(Record):
    """How a written attribute name matches a parameter: the parameter, how, and through which
    alias."""

    param: Param
    kind: MatchKind
    alias: Alias | None

    def __init__(self, param: Param, kind: MatchKind, alias: Alias | None) -> None:
        self._assign(locals())


def _element_index() -> dict[str, tuple[Command, Alias | None]]:
    index: dict[str, tuple[Command, Alias | None]] = {}
    for cmd in ALL:
        for name, alias in ((cmd.name, None), *((a.name, a) for a in cmd.aliases)):
            key = name.lower()
            if key in index:
                raise AssertionError(f"catalog: element name {name!r} is defined twice")
            index[key] = (cmd, alias)
    return index


def _param_index(cmd: Command) -> dict[str, tuple[Param, Alias | None]]:
    index: dict[str, tuple[Param, Alias | None]] = {}
    for param in cmd.params:
        for name, alias in ((param.name, None), *((a.name, a) for a in param.aliases)):
            key = name.lower()
            if key in index:
                raise AssertionError(f"catalog: {cmd.name} parameter {name!r} is defined twice")
            index[key] = (param, alias)
    return index


_ELEMENTS = _element_index()
_PARAMS = {cmd.name: _param_index(cmd) for cmd in ALL}
_BY_NAME = {cmd.name: cmd for cmd in ALL}
_ELEMENT_CACHE: dict[str, Match | None] = {}
_PARAM_CACHE: dict[tuple[str, str], ParamMatch | None] = {}


def command(name: str) -> Command:
    """The catalog entry with this exact canonical name."""
    return _BY_NAME[name]


def lookup_element(name: str) -> Match | None:
    """How a written element name matches the catalog, or None for an unknown element."""
    try:
        return _ELEMENT_CACHE[name]
    except KeyError:
        pass
    found = _ELEMENTS.get(name.lower())
    result: Match | None = None
    if found is not None:
        cmd, alias = found
        if alias is not None:
            result = Match(cmd, MatchKind.ALIAS, alias)
        elif name == cmd.name:
            result = Match(cmd, MatchKind.EXACT, None)
        else:
            result = Match(cmd, MatchKind.CASE, None)
    if len(_ELEMENT_CACHE) < 4096:
        _ELEMENT_CACHE[name] = result
    return result


def lookup_param(cmd: Command, name: str) -> ParamMatch | None:
    """How a written attribute name matches one of `cmd`'s parameters, or None."""
    key = (cmd.name, name)
    try:
        return _PARAM_CACHE[key]
    except KeyError:
        pass
    found = _PARAMS[cmd.name].get(name.lower())
    result: ParamMatch | None = None
    if found is not None:
        param, alias = found
        if alias is not None:
            result = ParamMatch(param, MatchKind.ALIAS, alias)
        elif name == param.name:
            result = ParamMatch(param, MatchKind.EXACT, None)
        else:
            result = ParamMatch(param, MatchKind.CASE, None)
    if len(_PARAM_CACHE) < 8192:  # bounded: attribute names come from untrusted documents
        _PARAM_CACHE[key] = result
    return result


def element_names(kinds: frozenset[ElementKind] | None = None) -> list[str]:
    """Canonical names, optionally only of some kinds, for suggestions and completion (worked
    out once per set of kinds: a finding of an unknown element asks for them)."""
    names = _NAMES.get(kinds)
    if names is None:
        names = tuple(cmd.name for cmd in ALL if kinds is None or cmd.kind in kinds)
        if len(_NAMES) < 64:  # the kinds are a handful
            _NAMES[kinds] = names
    return list(names)


_NAMES: dict[frozenset[ElementKind] | None, tuple[str, ...]] = {}
