"""What a lint rule is: a small self-describing class with a code, a name and a check."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from ozml.diagnostics import Diagnostic, Fix, Severity, Span
from ozml.record import Record

if TYPE_CHECKING:
    from pathlib import Path

    from ozml.catalog import Command, Context, Param, ParamMatch
    from ozml.lint.context import LintContext
    from ozml.lint.project import ProjectContext
    from ozml.resolve import Resolved


class Fixable(enum.Enum):
    """Whether a rule's findings can be fixed automatically, and how safely."""

    NO = "no"
    SAFE = "safe"  # applied by `ozml check --fix`
    UNSAFE = "unsafe"  # applied only with `--unsafe-fixes`
    SOMETIMES = "sometimes"  # safe when the right change is unambiguous


class Severities(Record):
    """The severities of a rule whose findings do not all have one (`Rule.severities`): a
    finding resting on an assumed fact is at most a warning (`LintContext.grounded`), so a rule
    declared `error` reports some findings as warnings, or most of them. `usual` is the
    severity of the findings `where` does not name, `other` that of the ones it names."""

    usual: Severity
    other: Severity
    #: Which findings have `other`, as a phrase after "where": "the vendor states it: ...".
    where: str

    def __init__(self, usual: Severity, other: Severity, where: str) -> None:
        self._assign(locals())

    @property
    def label(self) -> str:
        """``warning (error where the vendor states it: Reject's text)``."""
        return f"{self.usual.label} ({self.other.label} where {self.where})"

    @property
    def short(self) -> str:
        """``warning/error``: for tables of rules, whose pages say which is which."""
        return f"{self.usual.label}/{self.other.label}"

    @classmethod
    def by_fact(
        cls,
        commands: Iterable[Command],
        stated: Callable[[Command], bool],
        where: str,
        *,
        usual: Literal[Severity.ERROR, Severity.WARNING] = Severity.ERROR,
        conjunction: str = "and",
    ) -> Severities:
        """A rule's finding about a command is an error where the vendor states the fact it
        rests on (`stated`) and a warning where ozml assumes it. `usual` is the severity of
        most of them; `where` is the phrase naming the others, with ``{}`` for the names of the
        `commands` whose findings have the other severity (the assumed ones when `usual` is
        ERROR, the stated ones when it is WARNING), listed with `conjunction`."""
        other = Severity.WARNING if usual is Severity.ERROR else Severity.ERROR
        names = [c.name for c in commands if stated(c) == (other is Severity.ERROR)]
        return cls(usual, other, where.format(listing(names, conjunction)))


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """``A``, ``A and B``, ``A, B and C``: the names a `Severities.where` lists."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


class Fold:
    """How a whole-document rule reads the records (`Rule.fold`): `take` is given them in
    document order, all at once or a run at a time (a large document linted as it is read,
    `ozml.lint.stream`: each run holds whole top-level commands, the first the root; a record
    not kept by the fold is gone once its run is), and `finish` gives the findings after the
    last. What a fold knows of a record it does not keep is keyed by `Resolved.index`, not by
    id(): a record of a run that is gone may share the id of a later one."""

    __slots__ = ()

    def take(self, records: Sequence[Resolved]) -> None:
        """The next records, in document order."""

    def finish(self) -> Iterable[Diagnostic]:
        """The findings, once every record has been taken."""
        return ()


class Rule:
    """Base of every rule. The docstring is the rule's documentation page.

    A rule docstring has a summary line, an explanation, and two examples introduced by lines
    ``Fails::`` and ``Passes::`` (indented blocks); the test suite lints both.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    #: The severity of the rule's findings, the highest where they have two (`severities`):
    #: the one the configuration's ``severity`` table replaces, for every finding.
    severity: ClassVar[Severity]
    fixable: ClassVar[Fixable] = Fixable.NO
    #: Rules the parser reports; their `check` yields nothing.
    parser_rule: ClassVar[bool] = False
    #: Rules that hold only under a concrete context (issue: contexts) set this.
    context_rule: ClassVar[bool] = False
    #: Rules that look at one element at a time set this and define `element` (and `applies`),
    #: and `attribute` (with `reads_attribute`) when they judge attribute values one at a
    #: time, instead of walking the tree: the linter's one pass calls them (`ozml.lint.linter`).
    per_element: ClassVar[bool] = False
    #: `per_element` rules that find nothing in an element whose name and attribute names are
    #: written as the catalog writes them, each attribute a plain parameter (one used in
    #: documents in every context: `ozml.lint.linter._Entry`) set this: the linter does not
    #: call them there.
    names_only: ClassVar[bool] = False
    #: What a `per_element` rule's findings in one element depend on, for the linter's memory
    #: of elements found clean (`ozml.lint.linter`): ``"shape"``: the element's name, its
    #: parent's name, its attribute names as written, whether it has text and whether its
    #: text is None; ``"content"``: that, the attribute values and the text. Whatever else a
    #: rule reads (a sibling, the document, a position) makes it a whole-document rule. The
    #: tests hold every rule to what it declares (tests/test_fused_equivalence.py).
    reads: ClassVar[Literal["shape", "content"]] = "content"
    #: A whole-document rule that can find something only in a document holding one of these
    #: commands (canonical names, as `Resolved.name` gives them) names them, and the linter
    #: runs it only there: the menu rules need a UserInput, unreachable-command a command that
    #: ends the script. Empty: every document. The tests hold every rule to it.
    needs: ClassVar[frozenset[str]] = frozenset()
    #: A whole-document rule that can find something only where the document uses a variable
    #: sets this: its findings are about the uses of `ozml.lint.variables` (``$name`` in a
    #: value or a text), which are looked for only in a document whose text holds a ``$``
    #: (`holds_dollar`). The linter runs it only there (`ozml.lint.linter.Plan`), whether its
    #: rules are imported or given made. A rule that reports a definition (a Var, an Array, a
    #: ForEach) without a use does not set it. The tests hold every rule to it.
    needs_dollar: ClassVar[bool] = False
    #: A whole-document rule whose findings depend only on the document's variables (the
    #: analysis of `ozml.lint.variables`: each top-level command's definitions, uses and loops,
    #: with the elements they stand in and those around them) and on the settings sets this.
    #: The language server does not run it again after an edit that left that analysis as it
    #: was, when it found nothing before (`ozml.lsp.incremental`); the tests hold the result
    #: to a full lint's over random edits.
    reads_variables: ClassVar[bool] = False
    #: Rules that look across the documents of a project (a URL map is configured: see
    #: docs/project.md) set this and define `check_project`. The per-file linter never runs
    #: them; `ozml.lint.project` does, once per project, after the per-file pass.
    project_rule: ClassVar[bool] = False
    #: A project rule's examples are ``app/example.xml`` of the example project
    #: (`ozml.lint.project.EXAMPLE_CONFIG`), beside these files (path → text).
    example_files: ClassVar[dict[str, str]] = {}

    @classmethod
    def kind(cls) -> str:
        """What the linter's plan makes of the rule (`ozml.lint.linter.Plan`, and the manifest's
        `KIND`, generated from this): ``project`` (`project_rule`: never run on one document),
        ``parser`` (the parser reports its findings), ``element`` (`per_element`), ``whole``
        (a `check` or a `fold` of its own) or ``suppression`` (neither: its findings are made by
        `ozml.lint.noqa`)."""
        if cls.project_rule:
            return "project"
        if cls.parser_rule:
            return "parser"
        if cls.per_element:
            return "element"
        if cls.check is not Rule.check or cls.fold is not Rule.fold:
            return "whole"
        return "suppression"

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        """Whether `element` may find anything in an element of `command` (None: an unknown
        element) in `context`. Asked once per command and context, never per element.
        `element` and `attribute` are called only where it holds (`check`, and the linter's
        tables: `ozml.lint.linter`), so they do not ask again."""
        return True

    @classmethod
    def reads_text(cls, command: Command | None) -> bool:
        """For a ``reads = "content"`` rule: whether its verdict on an element of `command` may
        depend on the element's text itself (whether it has one is its shape). A rule that
        reads only attribute values there says False, and an element that differs from one
        found clean only in its text skips it. Asked once per command."""
        return True

    @classmethod
    def reads_value(cls, param: Param) -> bool:
        """For a ``reads = "content"`` rule: whether its verdict on an element may depend on the
        value of an attribute that stands for `param` (under any name the catalog accepts for
        it). A rule that reads only some parameters' values says False for the others, and an
        element that differs from one found clean only in those values skips it. The values of
        attributes that stand for no parameter always count. Asked once per parameter."""
        return True

    @classmethod
    def reads_attribute(cls, param: Param) -> bool:
        """For a `per_element` rule that judges some attributes one at a time (`attribute`):
        whether it may find anything in an attribute that stands for `param` (under any name
        the catalog accepts for it). Asked once per parameter; False (the default) for every
        parameter: the rule has no `attribute`."""
        return False

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        """The findings in one element (`per_element` rules), one whose command (`rec.command`)
        the rule `applies` to in the document's context (`ctx.context`): it is called for no
        other."""
        return iter(())

    def attribute(
        self, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        """The findings in the attribute of `rec` at `place` (its name as written and its value:
        ``rec.written[place]``; where template parts are in its value:
        ``rec.value_templates(place)``), which stands for `pm.param`, a parameter
        `reads_attribute` names, in an element the rule `applies` to; `first` says whether it
        is the first attribute of the element that stands for that parameter. The findings may
        depend only on the context, the element's command, the attribute's name as written,
        its value, and `first`: the linter remembers the attributes found clean by these and
        does not call the rule again for one like them. Called for each such attribute, in the
        order written, before `element` is called for the element. The record's attribute
        nodes are not made for it (`Resolved.written`)."""
        return iter(())

    def fold(self, ctx: LintContext) -> Fold | None:
        """For a whole-document rule that reads the records in document order, each once (or
        reads none: `ozml.lint.folds.AnalysisFold`), what it reads them with (`Fold`); unless
        the rule defines `check` itself, its `check` is that fold over every record. A large
        document is linted with it as it is read (`ozml.lint.stream`). None (the default):
        the rule's `check` reads what it needs of the document."""
        return None

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """The findings in the document. A `per_element` rule's own walk, which calls its
        hooks where it `applies` and nowhere else, as the linter's tables do: the linter
        dispatches to `element` instead, and the tests hold the two to the same results. A
        rule with a `fold`: that fold over every record."""
        fold = None if self.per_element else self.fold(ctx)
        if fold is not None:
            fold.take(ctx.records)
            yield from fold.finish()
        elif self.per_element:
            context = ctx.context
            applies: dict[int, bool] = {}
            reads: dict[int, bool] = {}
            for rec in ctx.records:
                command = rec.command
                chosen = applies.get(id(command))
                if chosen is None:
                    chosen = applies[id(command)] = self.applies(command, context)
                if not chosen:
                    continue
                seen: set[int] = set()
                for place, pm in enumerate(rec.matches):
                    if pm is None:
                        continue
                    key = id(pm.param)
                    first = key not in seen
                    seen.add(key)
                    read = reads.get(key)
                    if read is None:
                        read = reads[key] = self.reads_attribute(pm.param)
                    if read:
                        yield from self.attribute(ctx, rec, place, pm, first)
                yield from self.element(ctx, rec)

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        """The findings of a project rule: (the document they are in, the finding)."""
        return iter(())

    def report(
        self,
        ctx: LintContext,
        message: str,
        span: Span,
        *,
        suggestion: str | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            self.code,
            self.name,
            ctx.severity_of(self),
            message,
            span,
            suggestion=suggestion,
            fix=fix,
        )

    @classmethod
    def severities(cls) -> Severities | None:
        """For a rule whose findings do not all have `severity` (some or most rest on an
        assumed fact, and are warnings): which severity they have where, as the rule's page,
        ``ozml rule``, ``ozml rules`` and SARIF show it. None: every finding has `severity`.
        The tests hold each rule's findings to what it declares."""
        return None

    @classmethod
    def severity_label(cls) -> str:
        """``error``, or ``warning (error where the vendor states it: Reject's text)``."""
        split = cls.severities()
        return cls.severity.label if split is None else split.label

    @classmethod
    def severity_short(cls) -> str:
        """``error``, or ``warning/error``: for tables of rules."""
        split = cls.severities()
        return cls.severity.label if split is None else split.short

    @classmethod
    def summary(cls) -> str:
        return (inspect.getdoc(cls) or "").strip().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def examples(cls) -> tuple[str, str]:
        """The (failing, passing) examples from the docstring."""
        doc = cls.documentation()
        return _block(doc, "Fails::"), _block(doc, "Passes::")


def _block(doc: str, marker: str) -> str:
    match = re.search(re.escape(marker) + r"\n\n((?:(?:    .*)?\n)+)", doc + "\n")
    if match is None:
        return ""
    lines = match.group(1).rstrip().splitlines()
    return "\n".join(line[4:] for line in lines) + "\n"


def holds_dollar(ctx: LintContext) -> bool:
    """Whether the document's raw text holds a ``$`` at all, where any use of a variable is
    (`Rule.needs_dollar`, `ozml.lint.variables`): most documents do not, and one search spares
    looking for uses in every value. (UTF-16 is decoded first; other encodings keep ASCII.)"""
    return ctx.source.holds("$")
