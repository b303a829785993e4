"""The UserInput menus of a document: their Input keys and how many digits they read.

Shared by the menu rules and worked out once per lint run. A menu reads ``Digits`` keys (1 by
default [oz4693][hu7663]); ``MinDigits`` and ``MaxDigits`` widen that to a range, read as a run
reads them (`ozml.callmodel.readings.menu_keys`). When any of them is only known at run time, or
invalid, the lengths are unknown and not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from ozml import xmlspace
from ozml.callmodel.readings import menu_keys
from ozml.diagnostics import Diagnostic
from ozml.limits import PAST
from ozml.lint.context import LintContext
from ozml.lint.folds import AnalysisFold, Findings
from ozml.lint.rule import Fold, Rule
from ozml.lint.templated import attribute_dynamic
from ozml.record import Record
from ozml.resolve import Resolved


class Key(Record):
    """One Input's key as written, with the Input element and the attribute's written name."""

    value: str
    rec: Resolved
    attribute: str

    def __init__(self, value: str, rec: Resolved, attribute: str) -> None:
        self._assign(locals())


class Menu:
    """A UserInput and the keys of its Inputs."""

    __slots__ = ("keys", "other_inputs", "rec")

    def __init__(self, rec: Resolved, keys: list[Key] | None = None, other_inputs: int = 0) -> None:
        self.rec = rec
        self.keys: list[Key] = [] if keys is None else keys
        #: Inputs with no Key at all (missing-parameter reports them), or a dynamic one.
        self.other_inputs = other_inputs

    def param(self, name: str) -> str | None:
        return self.rec.params().get(name)

    def lengths(self) -> tuple[int, int, str] | None:
        """(fewest, most) digits the menu reads and how that was set, as a run reads them
        (`ozml.callmodel.readings.menu_keys`); None when a count is refused or only known at
        run time (invalid-value reports it), or past every key."""
        keys = menu_keys(self.rec.name, self.rec.params())
        if keys.refused or keys.low >= PAST or keys.high >= PAST:
            return None
        return keys.low, keys.high, keys.how


def menus(ctx: LintContext) -> list[Menu]:
    """Every UserInput of the document with its Input keys, in document order (worked out
    once per lint: `LintContext.shared`)."""
    shared = ctx.shared.get(menus)
    if shared is not None:
        return shared  # type: ignore[return-value]  # what this function put there
    finding = _Finding(ctx)
    finding.take(ctx.records)
    found = finding.done()
    ctx.shared[menus] = found
    return found


def fold_menus(ctx: LintContext, findings: Findings) -> Fold:
    """The fold of a menu rule (`Rule.fold`) whose `findings` read only `menus(ctx)`."""
    return AnalysisFold(ctx, menus, _Finding, findings)


class MenuRule(Rule):
    """Base of the menu rules (duplicate-input-key, invalid-input-key, menu-without-exit),
    whose findings (`check`) read only the document's menus (`menus`): they run only where
    the document holds a UserInput (`Rule.needs`), and their fold is the menus' (`fold_menus`)."""

    needs: ClassVar[frozenset[str]] = frozenset({"UserInput"})

    def fold(self, ctx: LintContext) -> Fold:
        return fold_menus(ctx, self.check)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """The findings, from `ozml.lint.menus`'s analysis of the whole document."""
        raise NotImplementedError


#: The elements `_Finding` reads.
_READ = frozenset({"UserInput", "Input"})


class _Finding:
    """Finds the menus (`menus`) in runs of records, in document order (`AnalysisFold`). A
    menu keeps its UserInput's record, by which its Inputs find it: an id() that stays its
    own while the record is kept."""

    __slots__ = ("by_rec", "ctx", "found")

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        self.by_rec: dict[int, Menu] = {}
        self.found: list[Menu] = []

    def take(self, records: Sequence[Resolved]) -> None:
        by_rec, found, ctx = self.by_rec, self.found, self.ctx
        for rec in [rec for rec in records if rec.name in _READ]:
            name = rec.name
            if name == "UserInput":
                menu = Menu(rec)
                by_rec[id(rec)] = menu
                found.append(menu)
            elif name == "Input":
                inputs = rec.parent
                owner = inputs.parent if inputs is not None and inputs.name == "Inputs" else None
                menu_of = by_rec.get(id(owner)) if owner is not None else None
                if menu_of is None:
                    continue  # misplaced: child-not-allowed reports it
                command = rec.command
                assert command is not None
                place = rec.place_of(command.param("Key"))
                if place is None or attribute_dynamic(ctx, rec, place):
                    menu_of.other_inputs += 1
                else:
                    name, value = rec.written[place]
                    menu_of.keys.append(Key(xmlspace.strip(value), rec, name))

    def done(self) -> list[Menu]:
        return self.found


__all__ = ["Key", "Menu", "MenuRule", "fold_menus", "menus"]
