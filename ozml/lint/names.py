"""The rules about how an element of a known command writes its names: duplicate-parameter,
legacy-name, misspelt-name and non-canonical-case (`NameRule`).

A parameter may be written under another of its names: a legacy one (D1), another of the
vendor's spellings (D2), or the canonical name in another letter case (D3). Each naming rule
renames such attributes to the canonical name, except those of a parameter the element gives
twice under different names (`duplicated`): duplicate-parameter reports them, and a rename would
write the same attribute twice, which is not well-formed XML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ozml.catalog import Command, Context, ParamMatch
from ozml.diagnostics import Diagnostic
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_attribute, rename_element
from ozml.lint.rule import Rule
from ozml.resolve import Resolved


class NameRule(Rule):
    """Base of the naming rules: they look at one element of a known command at a time, and
    what they find in it depends only on how its names are written (the element's and its
    attributes'; non-canonical-case judges the values it knows the canonical case of one at a
    time, `attribute`), so an element written with the command's own name whose every
    attribute is a plain parameter written with its own name holds nothing for them."""

    per_element = True
    reads = "shape"
    names_only = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None

    def element_rename(
        self, ctx: LintContext, rec: Resolved, new: str, message: str
    ) -> Diagnostic:
        """The finding that `rec` should be named `new`, with the fix that renames it."""
        source = ctx.source
        return self.report(
            ctx,
            message,
            source.element_span(rec),
            suggestion=new,
            fix=rename_element(source, rec, new, f"Rename {rec.tag} to {new}"),
        )

    def attribute_rename(
        self, ctx: LintContext, rec: Resolved, name: str, new: str, message: str, *,
        safe: bool = True,
    ) -> Diagnostic:
        """The finding that the attribute `name` of `rec` should be named `new`, with the fix
        that renames it (`safe`: applied by ``ozml check --fix``, or only with
        ``--unsafe-fixes``)."""
        source = ctx.source
        return self.report(
            ctx,
            message,
            source.attribute_span(rec, name),
            suggestion=new,
            fix=rename_attribute(source, rec, name, new, f"Rename {name} to {new}", safe=safe),
        )


def duplicated(rec: Resolved) -> frozenset[str]:
    """Canonical names of the parameters `rec` gives more than once, under different spellings.

    The naming rules leave such attributes to duplicate-parameter: renaming one spelling to the
    canonical name would write the same attribute twice, which is not well-formed XML.
    """
    if len(rec.written) < 2:
        return frozenset()
    seen: set[str] = set()
    twice: set[str] = set()
    for pm in rec.matches:
        if pm is not None:
            name = pm.param.name
            (twice if name in seen else seen).add(name)
    return frozenset(twice)


def renamed(
    rec: Resolved, written: Callable[[ParamMatch], bool]
) -> Iterator[tuple[str, ParamMatch]]:
    """The attributes of `rec` a naming rule renames, in the order written, each with its name
    as written and its match: those whose match `written` picks (the parameter written under
    the name the rule is about), less those of a parameter `rec` gives twice (`duplicated`)."""
    twice: frozenset[str] | None = None
    for (name, _), pm in zip(rec.written, rec.matches, strict=True):
        if pm is None or not written(pm):
            continue
        if twice is None:
            twice = duplicated(rec)
        if pm.param.name not in twice:
            yield name, pm


__all__ = ["NameRule", "duplicated", "renamed"]
