"""Where a document defines and uses its variables (D8), worked out once per document.

Var defines ``$name``, Array defines a list for ForEach, ForEach binds ``$item`` in its body, and
ReceiveAlarmNotification sets the alarm fields inside ``<Received>``. Uses are ``$name`` and
``$name.prop`` in attribute values and element text. Server-side template parts (``{{ }}``,
``{% %}``, ``<?php ?>``, ``${ }``, ``<% %>``) are blanked out before looking for ``$``, so that
``{{ $user }}`` in a Blade template is not taken for an OzML variable: the parts the parser found
(`ozml.templates`, the one rule: none in a CDATA section, where every ``$name`` is a variable).

Names are compared ignoring letter case (`ozml.catalog.values.variable_key`, the definition the
dry run uses too): whether the PBX does is UNKNOWN, and a linter that guessed wrong would report
working scripts.

The variable rules (`VariableRule`) share one `Analysis`, kept in the lint's context
(`LintContext.shared`), so that a document is scanned once however many of them are enabled; a
document without ``$`` and without Var, Array or ForEach costs one pass over its elements.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Collection, Iterator, Sequence

from ozml import lazy, templates, xmlspace
from ozml.catalog import ALL, values
from ozml.catalog.values import variable_key
from ozml.catalog.variables import ITEM
from ozml.diagnostics import Diagnostic, Span
from ozml.lint.context import LintContext
from ozml.lint.folds import AnalysisFold, Findings
from ozml.lint.rule import Fold, Rule, holds_dollar
from ozml.lint.templated import literal_text
from ozml.record import Record
from ozml.resolve import Resolved

#: Elements whose body runs more than once: a Var inside may serve a use above it.
_LOOPS = frozenset({"ForEach", "UserInput"})
#: Commands after which the script continues in another document that may use our variables.
_ELSEWHERE = frozenset({"GoTo"})


class Use(Record):
    """One ``$name`` or ``$name.prop`` in a value: `token` as written, `name` its base name."""

    token: str
    name: str
    rec: Resolved
    #: The attribute it is in, as written; None for the element text.
    attribute: str | None
    #: Which occurrence of `token` in that value (0 for the first), to find its position.
    occurrence: int
    order: int

    def __init__(
        self,
        token: str,
        name: str,
        rec: Resolved,
        attribute: str | None,
        occurrence: int,
        order: int,
    ) -> None:
        self._assign(locals())


class Definition(Record):
    """A Var or Array, by its Id."""

    name: str
    rec: Resolved
    #: The Id attribute as written (``Id`` or ``id``), for the position.
    attribute: str
    order: int

    def __init__(self, name: str, rec: Resolved, attribute: str, order: int) -> None:
        self._assign(locals())


class Analysis:
    """What the variable rules read of a document (or of one of its top-level commands): its
    definitions, uses and loops, the names it reads, and its flags (`HELD` and `FLAGS`)."""

    #: The fields that hold definitions, uses, loops or names (lists, dictionaries, sets).
    HELD = (
        "uses", "variables", "arrays", "loops", "used_names", "array_reads", "undocumented_names",
    )  # fmt: skip
    #: The flags, each False until something in the document sets it.
    FLAGS = ("dynamic_variables", "dynamic_arrays", "dynamic_reads", "continues_elsewhere")

    __slots__ = (*HELD, *FLAGS, "_offsets", "_reach")

    def __init__(self) -> None:
        self.uses: list[Use] = []
        self.variables: dict[str, list[Definition]] = {}
        self.arrays: dict[str, list[Definition]] = {}
        #: ForEach elements with their Source value and its attribute name.
        self.loops: list[tuple[Resolved, str, str, int]] = []
        #: Names lower-cased: every Var Id, Array Id and ForEach Source read.
        self.used_names: set[str] = set()
        self.array_reads: set[str] = set()
        #: Attribute values of commands whose parameters are undocumented (WaitForMsg stores a
        #: message "in a variable"; which attribute names it is UNKNOWN).
        self.undocumented_names: set[str] = set()
        #: A Var or Array Id is only known at run time: any name may be defined.
        self.dynamic_variables = False
        self.dynamic_arrays = False
        #: A ForEach Source is only known at run time: any array may be read.
        self.dynamic_reads = False
        #: The script may continue in another document (GoTo, UserInput ForwardToURL).
        self.continues_elsewhere = False
        #: Per list of definitions (by id; the lists live in `variables` and `arrays`): the
        #: first definition's order and the loops that hold a definition (`defined_before`).
        self._reach: dict[int, tuple[int, frozenset[int]]] = {}
        #: Per value a use was found in: where each token stands (`use_span`).
        self._offsets: dict[tuple[int, str | None], dict[str, list[int]]] = {}

    def defined_before(self, definitions: list[Definition], use_order: int, rec: Resolved) -> bool:
        """`defined_before`, with what it needs of `definitions` worked out once per list: a
        name defined many times and used many times costs no more than the uses."""
        reach = self._reach.get(id(definitions))
        if reach is None:
            reach = self._reach[id(definitions)] = _reach(definitions)
        first, loops = reach
        if first < use_order:
            return True
        if not loops:
            return False
        node: Resolved | None = rec
        while node is not None:
            if id(node) in loops:
                return True
            node = node.parent
        return False


def analyse(ctx: LintContext) -> Analysis:
    """The document's variable definitions and uses (worked out once per lint:
    `LintContext.shared`).

    A context that follows the lint of an earlier version (`LintContext.earlier`, the language
    server's) is analysed command by command, taking the analysis of each top-level command
    the edit left from the earlier one (`in_parts`), then merged: the same analysis.
    """
    shared = ctx.shared
    found = shared.get(analyse)
    if found is None:
        made = _made(ctx) if ctx.earlier is not None else None
        if made is None:
            found = _analyse(ctx.records, holds_dollar(ctx), _syntaxes(ctx))
        else:
            found = _merged(made[1])
        shared[analyse] = found
    return found  # type: ignore[return-value]  # what this function put there


def fold_variables(ctx: LintContext, findings: Findings) -> Fold:
    """The fold of a variable rule (`Rule.fold`) whose `findings` read only `analyse(ctx)`."""
    return AnalysisFold(ctx, analyse, _Building, findings)


class VariableRule(Rule):
    """Base of the variable rules (undefined-variable, unused-variable, undefined-array,
    item-outside-foreach, growing-variable), whose findings (`check`) read only the
    document's `Analysis` and the settings: they say so (`Rule.reads_variables`), and their
    fold is the analysis' (`fold_variables`)."""

    reads_variables = True

    def fold(self, ctx: LintContext) -> Fold:
        return fold_variables(ctx, self.check)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """The findings, from `ozml.lint.variables`'s analysis of the whole document."""
        raise NotImplementedError


class _Building:
    """The analysis of a document linted as it is read (`AnalysisFold`): that of each run is
    made on its own (`_fill`), kept when it holds anything, and merged in document order at
    the end (`_merged`), as the language server's parts are. The records an analysis holds
    keep their children (`LintContext.keep_children`): where a use in an element's text
    stands is found between them (`use_span`), and an Array's items are its children."""

    __slots__ = ("ctx", "dollar", "parts", "syntaxes")

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        self.dollar = holds_dollar(ctx)
        self.syntaxes = _syntaxes(ctx)
        self.parts: list[Analysis] = []

    def take(self, records: Sequence[Resolved]) -> None:
        part = Analysis()
        _fill(part, records, 0, len(records), self.dollar, self.syntaxes, records[0].index)
        if not any(_HELD(part)) and not any(_flags([part])):
            return
        keep = self.ctx.keep_children
        for use in part.uses:
            keep(use.rec)
        for group in (part.variables, part.arrays):
            for definitions in group.values():
                for definition in definitions:
                    keep(definition.rec)
        self.parts.append(part)

    def done(self) -> Analysis:
        return _merged(self.parts)


def in_parts(ctx: LintContext) -> _Parts | None:
    """The analysis of each top-level command of a context that follows an earlier lint (the
    language server's), without merging them (`unchanged` compares two of them); None for
    another context, or a tree that is not a parser's."""
    made = _made(ctx) if ctx.earlier is not None else None
    return made[0] if made is not None else None


def _made(ctx: LintContext) -> tuple[_Parts, list[Analysis]] | None:
    """The analysis of each top-level command of a context that follows an earlier lint, made
    once per lint (`LintContext.shared`): its parts, and each command's analysis in document
    order (None: no parts)."""
    shared = ctx.shared
    if _made in shared:
        return shared[_made]  # type: ignore[return-value]  # what this function put there
    earlier = ctx.earlier
    assert earlier is not None
    previous, earlier.variables = earlier.variables, None
    kept = previous if isinstance(previous, _Parts) else None
    made = _in_parts(ctx.records, holds_dollar(ctx), _syntaxes(ctx), kept)
    shared[_made] = made
    return made


def parts_of(ctx: LintContext) -> object:
    """What the next lint of the document may take from this one's analysis (for `Earlier`):
    None when the analysis was not made (no rule asked) or not made in parts."""
    made = ctx.shared.get(_made)
    return made[0] if isinstance(made, tuple) else None


def _syntaxes(ctx: LintContext) -> frozenset[str]:
    """The template syntaxes whose parts the analysis leaves out: the document's; none for a
    document that holds no part (`LintContext.templated`), whose tree need not be read."""
    return ctx.settings.templates if ctx.templated else frozenset()


def tokens(
    value: str, spans: templates.Spans = (), syntaxes: Collection[str] = values.ALL_SYNTAXES
) -> Iterator[re.Match[str]]:
    """The ``$name`` tokens of a value whose template parts are at `spans` (the parser's),
    outside its parts of `syntaxes` (a ``$`` in a part is the template's: ``{{ $user }}``,
    ``<?php echo $row; ?>``, ``{# $note #}``): `ozml.templates.variables`."""
    return templates.variables(value, spans, syntaxes)


def _add_uses(analysis: Analysis, rec: Resolved, attribute: str | None, value: str,
              spans: templates.Spans, order: int, syntaxes: Collection[str]) -> None:
    seen: dict[str, int] = {}
    for match in tokens(value, spans, syntaxes):
        token = match.group(0)
        occurrence = seen.get(token, 0)
        seen[token] = occurrence + 1
        name = match.group(1)
        analysis.uses.append(Use(token, name, rec, attribute, occurrence, order))
        analysis.used_names.add(variable_key(name))


def _analyse(
    records: list[Resolved],
    dollar: bool = True,
    syntaxes: Collection[str] = values.ALL_SYNTAXES,
) -> Analysis:
    analysis = Analysis()
    _fill(analysis, records, 0, len(records), dollar, syntaxes)
    return analysis


#: What an analysis holds (its lists, dictionaries and sets), as one tuple; and its flags.
_HELD = operator.attrgetter(*Analysis.HELD)
_FLAGS = Analysis.FLAGS


def _flags(parts: list[Analysis]) -> tuple[bool, ...]:
    """The flags (`_FLAGS`) of the merge of `parts`: each is set when a part sets it."""
    return tuple([any(map(operator.attrgetter(name), parts)) for name in _FLAGS])


class _Parts:
    """The analysis of each top-level command of a document, by the id of the command's
    record: (the record, where its records start and stop, its analysis); the document's `$`
    answer and template syntaxes they were made with; `held`, the analyses that hold any
    definition, use, loop or name, each with where its command's records start, in document
    order (most commands define, use and read no variable); and the flags of the whole
    (`_flags`)."""

    __slots__ = ("dollar", "flags", "found", "held", "syntaxes")

    def __init__(self, dollar: bool, syntaxes: Collection[str]) -> None:
        self.dollar = dollar
        self.syntaxes = syntaxes
        self.found: dict[int, tuple[Resolved, int, int, Analysis]] = {}
        self.held: list[tuple[int, Analysis]] = []
        self.flags: tuple[bool, ...] = ()


def unchanged(before: object, after: object) -> bool:
    """Whether two analyses made in parts (`parts_of`, of two versions of a document) hold the
    same for the rules that read them (`Rule.reads_variables`): the same flags, and the same
    commands holding any definition, use, loop or name, in the same order, the others holding
    none.

    A command's analysis is taken into the next version only when its records are the same at
    the same places (`_in_parts`): the same object then holds the same. A command analysed
    again (an edit touched it, or the lines around it) holds the same when its `_signature`
    is the same: the same definitions, uses and loops, in the same elements, at the same places
    within the command; the commands between those that hold any hold none, so they stand in
    the same order among those of the other commands too. Only positions in the text may
    differ, which a rule reads only for what it finds."""
    if not isinstance(before, _Parts) or not isinstance(after, _Parts):
        return False
    made = before.dollar, before.syntaxes, before.flags
    if made != (after.dollar, after.syntaxes, after.flags):
        return False
    old, new = before.held, after.held
    if len(old) != len(new):
        return False
    for (old_start, old_part), (new_start, new_part) in zip(old, new, strict=True):
        if old_part is not new_part and _signature(old_start, old_part) != _signature(
            new_start, new_part
        ):
            return False
    return True


#: The fields of `Analysis` that `_signature` describes (the tests hold it to every field but
#: the caches, so that a new field cannot go unread).
SIGNED = (
    "uses", "variables", "arrays", "loops", "used_names", "array_reads", "undocumented_names",
    "dynamic_variables", "dynamic_arrays", "dynamic_reads", "continues_elsewhere",
)  # fmt: skip


def _signature(start: int, part: Analysis) -> tuple[object, ...]:
    """What the variable rules read of the analysis of one command whose records start at
    `start`, with places counted from there: each use's token, name, attribute and occurrence;
    each definition's name, attribute and element (a Var's value and an Array's items, which
    growing-variable estimates); each loop's Source; each of these at its place, in elements
    at their places with their names up to the command (what `inside` and `defined_before`
    climb); the names read and the flags."""

    def path(rec: Resolved) -> tuple[tuple[int, str], ...]:
        steps = []
        node: Resolved | None = rec
        while node is not None and node.parent is not None:  # up to the command
            steps.append((node.index - start, node.name))
            node = node.parent
        return tuple(steps)

    definitions = tuple(
        (kind, name, tuple((d.name, d.attribute, d.order - start, path(d.rec), d.rec.element)
                           for d in found))
        for kind, group in (("var", part.variables), ("array", part.arrays))
        for name, found in group.items()
    )
    return (
        tuple((u.token, u.name, u.attribute, u.occurrence, u.order - start, path(u.rec))
              for u in part.uses),
        definitions,
        tuple((source, attribute, order - start, path(rec))
              for rec, source, attribute, order in part.loops),
        frozenset(part.used_names),
        frozenset(part.array_reads),
        frozenset(part.undocumented_names),
        part.dynamic_variables,
        part.dynamic_arrays,
        part.dynamic_reads,
        part.continues_elsewhere,
    )


def _in_parts(
    records: list[Resolved], dollar: bool, syntaxes: Collection[str], kept: _Parts | None
) -> tuple[_Parts, list[Analysis]] | None:
    """`_analyse`, made command by command (their merge in document order is the analysis);
    the analysis of a command is taken from `kept` when it has the same records at the same
    places (a parser's tree numbers its elements in document order, the order of `records`).
    None when there are no records, or the tree is not a parser's."""
    if not records:
        return None
    if kept is not None and (kept.dollar != dollar or kept.syntaxes != syntaxes):
        kept = None
    root = records[0].element
    from ozml.nodes import Element  # the tree is built: its classes are loaded

    kids = [child for child in root.children if isinstance(child, Element)]
    inner = [kid.index for kid in kids]
    if inner and (min(inner) < 1 or max(inner) >= len(records)):
        return None  # not a parser's tree: no parts
    if not all(map(operator.is_, [records[at].element for at in inner], kids)):
        return None
    starts = [0, *inner, len(records)]
    parts = _Parts(dollar, syntaxes)
    found: list[Analysis] = []
    made, earlier, held = parts.found, kept.found if kept is not None else {}, parts.held
    for start, stop in itertools.pairwise(starts):
        rec = records[start]
        known = earlier.get(id(rec))
        if known is not None and known[0] is rec and known[1] == start and known[2] == stop:
            part = known[3]
        else:
            part = Analysis()
            _fill(part, records, start, stop, dollar, syntaxes)
        made[id(rec)] = (rec, start, stop, part)
        found.append(part)
        if any(_HELD(part)):
            held.append((start, part))
    parts.flags = _flags(found)
    return parts, found


def _merged(parts: list[Analysis]) -> Analysis:
    """One analysis of the parts of a document, given in document order.

    The parts are taken a field at a time, each in one call where Python offers one (a
    document's commands are its parts: the language server merges a few thousand of them
    after every edit, most of them holding no definition at all)."""
    out = Analysis()
    out.uses = list(itertools.chain.from_iterable([part.uses for part in parts]))
    out.loops = list(itertools.chain.from_iterable([part.loops for part in parts]))
    for mine, groups in (
        (out.variables, [part.variables for part in parts if part.variables]),
        (out.arrays, [part.arrays for part in parts if part.arrays]),
    ):
        for theirs in groups:
            for name, definitions in theirs.items():
                known = mine.get(name)
                if known is None:
                    mine[name] = list(definitions)
                else:
                    known.extend(definitions)
    out.used_names = set().union(*[part.used_names for part in parts])
    out.array_reads = set().union(*[part.array_reads for part in parts])
    out.undocumented_names = set().union(*[part.undocumented_names for part in parts])
    for name, value in zip(_FLAGS, _flags(parts), strict=True):
        setattr(out, name, value)
    return out


def _fill(
    analysis: Analysis,
    records: Sequence[Resolved],
    start: int,
    stop: int,
    dollar: bool,
    syntaxes: Collection[str],
    base: int = 0,
) -> None:
    """Adds what `records[start:stop]` define and use to `analysis`; the first of `records`
    is record number `base` of the document (each one's order is its number)."""
    # Most elements are none of `_NOTED`: for them, without a ``$`` in the document, one test.
    noted = _NOTED
    part = records if start == 0 and stop == len(records) else records[start:stop]
    for order, rec in enumerate(part, base + start):
        name = rec.name
        skip: str | None = None
        if name in noted:
            if name in _DEFINING:
                skip = _definition(analysis, rec, order, syntaxes)
            elif name in _ELSEWHERE or (name == "UserInput" and _forwards(rec)):
                analysis.continues_elsewhere = True
            if name in _UNDOCUMENTED:
                analysis.undocumented_names.update(variable_key(value) for _, value in rec.written)
        if not dollar:
            continue
        for place, (attribute, value) in enumerate(rec.written):
            if "$" in value and attribute != skip:
                spans = rec.value_templates(place) if syntaxes else ()
                _add_uses(analysis, rec, attribute, value, spans, order, syntaxes)
        text = rec.text
        if text and "$" in text:
            spans = templates.text_parts(rec.element) if syntaxes else ()
            _add_uses(analysis, rec, None, text, spans, order, syntaxes)


#: The commands that define (Var, Array) or bind (ForEach) a name.
_DEFINING = frozenset({"Var", "Array", "ForEach"})
#: The commands whose parameters are undocumented: their attribute values may name variables.
_UNDOCUMENTED = frozenset(cmd.name for cmd in ALL if not cmd.documented)
#: What `_fill` looks at besides uses: a record's name is its command's canonical name, so
#: an element of none of these commands is none of these names.
_NOTED = _DEFINING | _ELSEWHERE | {"UserInput"} | _UNDOCUMENTED


def _forwards(rec: Resolved) -> bool:
    """Whether a UserInput's ForwardToURL is given and not empty (as ``rec.params()`` says:
    the first attribute for it)."""
    command = rec.command
    assert command is not None
    given = rec.written_for(command.param("ForwardToURL"))
    return given is not None and bool(given[1])


def _definition(
    analysis: Analysis, rec: Resolved, order: int, syntaxes: Collection[str]
) -> str | None:
    """Record a Var, Array or ForEach; returns the attribute that is a name, not a value."""
    command = rec.command
    assert command is not None
    place = rec.place_of(command.param("Source" if rec.name == "ForEach" else "Id"))
    if place is None:
        return None
    attribute, written = rec.written[place]
    dynamic = templates.dynamic_value(
        written, rec.value_templates(place) if syntaxes else (), syntaxes
    )
    value = xmlspace.strip(written)
    if rec.name == "ForEach":
        if dynamic:
            analysis.dynamic_reads = True
        elif value:
            analysis.loops.append((rec, value, attribute, order))
            analysis.array_reads.add(variable_key(value))
        return attribute
    if rec.name == "Var":
        if dynamic:
            analysis.dynamic_variables = True
        elif value:
            analysis.variables.setdefault(variable_key(value), []).append(
                Definition(value, rec, attribute, order)
            )
    else:
        if dynamic:
            analysis.dynamic_arrays = True
        elif value:
            analysis.arrays.setdefault(variable_key(value), []).append(
                Definition(value, rec, attribute, order)
            )
    return attribute


def inside(rec: Resolved, names: frozenset[str]) -> Resolved | None:
    """The nearest enclosing element with one of these canonical names."""
    parent = rec.parent
    while parent is not None:
        if parent.name in names:
            return parent
        parent = parent.parent
    return None


def defined_before(definitions: list[Definition], use_order: int, rec: Resolved) -> bool:
    """Whether some definition can have run before the use (earlier, or in a shared loop).

    Rules asking for many uses go through `Analysis.defined_before`, which remembers the
    summary of each list of definitions.
    """
    first, loops = _reach(definitions)
    if first < use_order:
        return True
    node: Resolved | None = rec
    while node is not None and loops:
        if id(node) in loops:
            return True
        node = node.parent
    return False


def _reach(definitions: list[Definition]) -> tuple[int, frozenset[int]]:
    """The first definition's order, and the ids of every loop (ForEach, UserInput) that holds
    one of the definitions: a use inside such a loop may run after the definition."""
    first = min((d.order for d in definitions), default=1 << 62)
    loops: set[int] = set()
    for definition in definitions:
        loop = inside(definition.rec, _LOOPS)
        while loop is not None and id(loop) not in loops:
            loops.add(id(loop))
            loop = inside(loop, _LOOPS)
    return first, frozenset(loops)


def is_item(use: Use) -> bool:
    return variable_key(use.name) == ITEM


# --- positions (only computed for findings) -----------------------------------------------------


def use_span(ctx: LintContext, use: Use) -> Span:
    """The exact position of a use's ``$token`` in the source."""
    source = ctx.source
    element = use.rec
    info = source.tag(element)
    if info is None:
        return source.element_span(element)
    if use.attribute is not None:
        attr = info.attribute(use.attribute)
        if attr is None:
            return source.element_span(element)
        found = _offsets(ctx, use, attr.value_start, attr.value_end, False)
        if found is None:
            return source.attribute_span(element, use.attribute, value=True)
        return source.span(found, found + len(use.token))
    if info.close_start is None:
        return source.element_span(element)
    found = _offsets(ctx, use, info.end, info.close_start, True)
    if found is None:
        return source.text_span(element)
    return source.span(found, found + len(use.token))


def definition_span(ctx: LintContext, definition: Definition) -> Span:
    """Where a finding about a Var or an Array stands: the value of its Id."""
    return ctx.source.attribute_span(definition.rec, definition.attribute, value=True)


def use_finding(ctx: LintContext, use: Use, found: Diagnostic) -> Diagnostic:
    """`found`, a finding about `use`, as far as its value is known: a use in an element's
    text that is a variable only by ozml's rule that a CDATA section holds no template part
    (``<![CDATA[{{ $w }}]]>``) says so (`ozml.lint.templated.literal_text`)."""
    return found if use.attribute is not None else literal_text(ctx, use.rec, found)


def _offsets(
    ctx: LintContext, use: Use, start: int, end: int, text: bool
) -> int | None:
    """Where the use's occurrence of its token stands in ``text[start:end]`` (with `text`, the
    element's content: only its own character data is read, between its child elements, and
    outside its comments and PIs).

    The tokens of a value are found once, for all its uses: a text with thousands of
    ``$variables`` is scanned once, not once per variable.
    """
    key = (id(use.rec), use.attribute)
    cache = analyse(ctx)._offsets
    by_token = cache.get(key)
    if by_token is None:
        gaps = _gaps(ctx, use.rec, start, end) if text else [(start, end)]
        # Only a document that may hold a comment or a PI asks whether this element holds one.
        markup = text and (ctx.templated or ctx.commented) and _holds_markup(ctx, use.rec, gaps)
        by_token = cache[key] = _token_offsets(ctx.source.text, gaps, markup, _parts(ctx))
    found = by_token.get(use.token)
    if found is None or use.occurrence >= len(found):
        return None
    return found[use.occurrence]


def _parts(ctx: LintContext) -> list[tuple[int, int]]:
    """Where in the source text the template parts of the document's syntaxes are, as the
    parser found them (`ozml.parser.ParseResult.template_parts`), in order: worked out once
    per lint (`LintContext.shared`)."""
    found = ctx.shared.get(_parts)
    if not isinstance(found, list):
        syntaxes = _syntaxes(ctx)
        found = [(p.start, p.end) for p in ctx.result.template_parts if p.syntax in syntaxes]
        ctx.shared[_parts] = found
    return found


def _gaps(ctx: LintContext, rec: Resolved, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of an element's content, ``text[start:end]``, between its child elements
    (in order; some may be empty): where its own text, comments and PIs are. An element's
    descendants are read for it, never again for each of its ancestors."""
    source = ctx.source
    gaps = []
    at = start
    for child in ctx.children(rec):
        info = source.tag(child)
        if info is None:
            span = source.whole_span(child)
            child_start, child_end = span.start, span.end
        else:
            child_start, child_end = info.start, info.close_end or info.end
        gaps.append((at, child_start))
        at = child_end
    gaps.append((at, end))
    return gaps


def _holds_markup(ctx: LintContext, rec: Resolved, gaps: list[tuple[int, int]]) -> bool:
    """Whether the element of `rec`, whose content between its child elements is `gaps`,
    holds a comment or processing instruction of its own. Read from the tree when it is built
    (a document that is not plain builds it as it is parsed); a plain document's (no CDATA,
    template parts or DTD) says it in its text: there, a ``<!--`` or ``<?`` between its child
    elements is one."""
    if ctx.result.built:
        from ozml.nodes import Comment, ProcessingInstruction  # the tree's classes: loaded

        return any(isinstance(c, Comment | ProcessingInstruction) for c in rec.element.children)
    find = ctx.source.text.find
    return any(find("<!--", a, b) >= 0 or find("<?", a, b) >= 0 for a, b in gaps)


#: Comments and processing instructions (``<!--.*?-->|<\?.*?\?>``) in an element's content.
_MARKUP_OPENER = lazy.pattern(r"<!--|<\?")
_MARKUP_CLOSER = {"<!--": "-->", "<?": "?>"}


def _token_offsets(
    text: str,
    gaps: list[tuple[int, int]],
    markup: bool,
    parts: Sequence[tuple[int, int]] = (),
) -> dict[str, list[int]]:
    """The offsets of each ``$token`` in the stretches `gaps` of `text` (in order), outside
    every template part (`parts`: where in `text` the parser found those of the document's
    syntaxes, in order) and, with `markup`, every comment and PI, in order. Each stretch is
    read on its own: a comment or a PI cannot hold a child element, and neither can a
    template part (the parser masks them before lxml reads it), so none runs from one
    stretch into the next."""
    found: dict[str, list[int]] = {}
    for start, end in gaps:
        piece = text[start:end]
        if "$" not in piece:
            continue
        skip = (
            list(values.delimited_spans(piece, _MARKUP_OPENER(), _MARKUP_CLOSER)) if markup else []
        )
        inside: list[tuple[int, int]] = []
        at = bisect.bisect_left(parts, (start, -1))
        while at < len(parts) and parts[at][0] < end:
            inside.append((parts[at][0] - start, parts[at][1] - start))
            at += 1
        next_span = 0
        for match in tokens(piece, tuple(inside)):
            offset = match.start()
            # The spans are in order and do not overlap: pass those that end before the token.
            while next_span < len(skip) and skip[next_span][1] <= offset:
                next_span += 1
            if next_span < len(skip) and skip[next_span][0] <= offset:
                continue
            found.setdefault(match.group(0), []).append(start + offset)
    return found


__all__ = [
    "Analysis", "Definition", "Use", "VariableRule", "analyse", "defined_before",
    "definition_span", "fold_variables", "inside", "use_finding", "use_span",
]  # fmt: skip
