"""Running the rules over a document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

from ozml.catalog import Command, Context, MatchKind, ParamMatch, Usage
from ozml.diagnostics import Diagnostic
from ozml.gcpause import collector_paused
from ozml.lint import manifest
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule, holds_dollar
from ozml.lint.settings import DIRECTIVE_MARK, LintSettings
from ozml.parser import STREAM_FROM, ParseResult, parse
from ozml.rawbytes import holds
from ozml.resolve import Resolved, shape_of

if TYPE_CHECKING:
    from ozml.lint.directives import Directive

DEFAULT_SETTINGS = LintSettings()

Hook = Callable[[LintContext, Resolved], Iterator[Diagnostic]]


def active_rules(settings: LintSettings) -> list[Rule]:
    """The rules that run on one document with `settings`: the enabled ones of `RULES`, less
    the project rules, which read a whole application (`ozml.lint.project` runs them)."""
    from ozml.lint.registry import RULES

    return [rule() for rule in RULES if not rule.project_rule and settings.enabled(rule.code)]


class LazyRules(Sequence[Rule]):
    """`active_rules(settings)`, each rule imported and made when it is first used: the rules
    of `ozml.lint.registry.RULES` in its order, less the project rules and those `settings`
    leave out, chosen by their codes in `ozml.lint.manifest` (generated from the rules).

    A `Plan` made of these imports only the rules a document can trigger: the element rules
    that apply to one of its elements (`manifest.APPLIES`), the whole-document rules whose
    needed commands it holds (`manifest.NEEDS`). Loading the forty rule modules at once was
    most of the cold start of a run with a finding (docs/performance.md). Anything else that
    reads the list (by index, or every rule) has the same rules `active_rules` makes.
    """

    __slots__ = ("_every", "_made", "numbers")

    def __init__(self, settings: LintSettings) -> None:
        #: The number in `manifest.RULES` of each rule, in order.
        self.numbers: tuple[int, ...] = tuple(
            n
            for n, (code, _, _) in enumerate(manifest.RULES)
            if manifest.KIND[n] != "project" and settings.enabled(code)
        )
        self._made: list[Rule | None] = [None] * len(self.numbers)
        self._every: tuple[Rule, ...] | None = None

    def every(self) -> tuple[Rule, ...]:
        """Every rule, imported: one tuple, made once (a plan made of it is kept)."""
        if self._every is None:
            self._every = tuple(self)
        return self._every

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, i: int) -> Rule: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Rule]: ...

    def __getitem__(self, i: int | slice) -> Rule | Sequence[Rule]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self.numbers))[i]]
        rule = self._made[i]
        if rule is None:
            _, module, name = manifest.RULES[self.numbers[i]]
            # __import__, not importlib.import_module: `python -X importtime` shows it.
            home = __import__(f"ozml.lint.rules.{module}", fromlist=[name])
            made: Rule = getattr(home, name)()
            rule = self._made[i] = made
        return rule

    def kind(self, i: int) -> str:
        """What `Plan` makes of rule `i` (`manifest.KIND`), without importing it."""
        return manifest.KIND[self.numbers[i]]

    def needs(self, i: int) -> frozenset[str]:
        """The commands whole-document rule `i` needs (`Rule.needs`), without importing it."""
        return frozenset(manifest.NEEDS[self.numbers[i]])

    def needs_dollar(self, i: int) -> bool:
        """Whether whole-document rule `i` finds nothing without a ``$`` in the document
        (`Rule.needs_dollar`), without importing it."""
        return manifest.DOLLAR[self.numbers[i]]

    def applies(self, i: int, context: Context) -> int:
        """The elements element rule `i` applies to in `context`, as a mask of
        `manifest.ELEMENTS` (`Rule.applies`), without importing it."""
        masks = manifest.APPLIES[self.numbers[i]]
        return _EVERY if masks is None else masks[manifest.CONTEXTS.index(context.value)]


#: The bit of each catalog element in a mask of `manifest.APPLIES`; an unknown element's.
_BITS: dict[str, int] = {name: bit for bit, name in enumerate(manifest.ELEMENTS)}
_UNKNOWN_BIT = len(manifest.ELEMENTS)
#: A mask that holds every element.
_EVERY = -1


def _bit(command: Command | None) -> int | None:
    """The bit of `command` in a mask of `manifest.APPLIES`; None for a command the manifest
    does not name (then every rule is asked)."""
    return _UNKNOWN_BIT if command is None else _BITS.get(command.name)


class _Entry:
    """The element hooks for one catalog command (None: an unknown element) in one context.

    `plain_hooks` leave out the `names_only` rules: they serve an element written with the
    command's own name whose every attribute is one of the `plain` parameters, written with
    its own name (no alias, no other letter case). A plain parameter is used in documents in
    every context. Each is a pair: the hooks of the rules that read the element's shape, and
    those that read its content (`Rule.reads`). `reads_text`: whether any of the content rules
    reads the element's text itself (`Rule.reads_text`), which then belongs to its content;
    `valued`: the ids of the command's parameters whose values any of them reads
    (`Rule.reads_value`), None when that is all of them. `attribute_hooks`: by the id of each
    of the command's parameters, the attribute hooks of the rules that judge its attributes
    (`Rule.reads_attribute`), for the parameters that have some.
    """

    __slots__ = (
        "attribute_hooks", "command", "hooks", "plain", "plain_hooks", "reads_text", "valued",
    )  # fmt: skip

    def __init__(
        self, command: Command | None, context: Context, rules: list[tuple[int, Rule]]
    ) -> None:
        self.command = command
        chosen = [(i, rule) for i, rule in rules if rule.applies(command, context)]
        plain_chosen = [(i, rule) for i, rule in chosen if not rule.names_only]
        self.hooks: tuple[Hooks, Hooks] = _by_reads(chosen)
        content = [rule for _, rule in chosen if rule.reads != "shape"]
        self.reads_text = any(rule.reads_text(command) for rule in content)
        self.valued = _valued(command, content)
        self.plain_hooks: tuple[Hooks, Hooks] = _by_reads(plain_chosen)
        self.plain: frozenset[int] = frozenset(
            id(param)
            for param in (command.params if command is not None else ())
            if Usage.OZML in param.usage and not param.only_in
        )
        self.attribute_hooks: dict[int, AttributeHooks] = {}
        for param in command.params if command is not None else ():
            judged = tuple((i, rule.attribute) for i, rule in chosen if rule.reads_attribute(param))
            if judged:
                self.attribute_hooks[id(param)] = judged


Hooks = tuple[tuple[int, Hook], ...]
AttributeHook = Callable[[LintContext, Resolved, int, ParamMatch, bool], Iterator[Diagnostic]]
AttributeHooks = tuple[tuple[int, AttributeHook], ...]
#: The findings of one document's run so far, by the number of the rule that found them: only
#: the rules that found something have a list (most documents have no finding at all).
Found = dict[int, list[Diagnostic]]


def add_findings(found: Found, i: int, findings: Iterable[Diagnostic]) -> bool:
    """Add `findings` (of rule number `i`) to `found`; whether there were any."""
    got = [*findings]
    if not got:
        return False
    known = found.get(i)
    if known is None:
        found[i] = got
    else:
        known.extend(got)
    return True


def _valued(command: Command | None, rules: Sequence[Rule]) -> frozenset[int] | None:
    """The ids of `command`'s parameters whose values one of `rules` reads
    (`Rule.reads_value`); None when that is every parameter, or the element is unknown."""
    if command is None:
        return None
    params = command.params
    read = frozenset(id(p) for p in params if any(rule.reads_value(p) for rule in rules))
    return None if len(read) == len(params) else read


def _by_reads(rules: list[tuple[int, Rule]]) -> tuple[Hooks, Hooks]:
    """The element hooks of `rules`: (those that read the shape, those that read the content)."""
    shape = tuple((i, r.element) for i, r in rules if r.reads == "shape")
    content = tuple((i, r.element) for i, r in rules if r.reads != "shape")
    return shape, content


class CleanMemory:
    """The elements found clean so far by one plan with one set of template syntaxes, by their
    shapes (for the rules that read the shape) and their contents (for the others), as keys,
    and the attributes found clean by the attribute hooks.

    A shape is (name, parent's name, attribute names, has text, text is None); a content is the
    shape with the attribute values and the text. `shapes` holds, per shape met, the hooks
    left to run on an element of that shape (`_Known`): the catalog command, the letter case
    and the attributes' parameters follow from the names, so the table and the plain hooks
    (`_Entry`) are chosen once per shape, and each shape hook is dropped once it has found
    nothing in it. `contents` holds the contents the content hooks found nothing in, and
    `values`, by (element name, attribute name, whether it is the first attribute for its
    parameter), the values of such attributes the attribute hooks found nothing in: what
    `Rule.attribute` may read. Findings are never kept, only the knowledge that an element or
    an attribute like this one has none, so one seen before costs a lookup. All are bounded
    (`_CLEAN_KEPT` shapes, contents and values); contents and values longer than
    `_CONTENT_LIMIT` characters are not kept.
    """

    __slots__ = ("contents", "kept_values", "shapes", "values")

    def __init__(self) -> None:
        self.shapes: dict[tuple[object, ...], _Known] = {}
        self.contents: set[tuple[object, ...]] = set()
        self.values: dict[tuple[str, str, bool], set[str]] = {}
        #: How many values `values` holds in all.
        self.kept_values = 0

    def clean_values(self, tag: str, name: str, first: bool) -> set[str]:
        """The values found clean in an attribute `name` (first for its parameter or not) of
        an element `tag`: one of `values`, made when first asked for while there is room for
        more (`_CLEAN_KEPT`), else an empty set that keeps nothing (`_UNKEPT`)."""
        key = (tag, name, first)
        known = self.values.get(key)
        if known is None:
            if len(self.values) >= _CLEAN_KEPT:
                return _UNKEPT
            known = self.values[key] = set()
        return known

    def keep_value(self, known: set[str], value: str) -> None:
        """Remember `value` as clean in `known` (from `clean_values`), unless all are full."""
        if known is not _UNKEPT and self.kept_values < _CLEAN_KEPT:
            known.add(value)
            self.kept_values += 1


#: What `CleanMemory.clean_values` gives once it keeps no more attributes: it stays empty.
_UNKEPT: set[str] = set()


class _Known:
    """What is left to run on an element of one shape (`CleanMemory.shapes`): the shape hooks that
    found something in it (all until they have run once), the content hooks, what of the
    content they read (`_Entry.reads_text`, and of the attribute values `counted_values` of
    `_Entry.valued`), and the attribute hooks of its attributes: for each attribute they
    judge, what they are told of it (`_Judged`), the hooks, and the values found clean in
    such an attribute (`CleanMemory.values`).

    Content hooks that read neither the text nor any value of an element of this shape (its
    content is then its shape and a None per attribute: `content_of`) are shape hooks here.
    """

    __slots__ = ("attributes", "content", "counted", "reads_text", "shape")

    def __init__(
        self, rec: Resolved, hooks: tuple[Hooks, Hooks], entry: _Entry, clean: CleanMemory
    ) -> None:
        self.shape, self.content = hooks
        if self.content and _shape_only(rec, entry):
            self.shape, self.content = self.shape + self.content, ()
        self.reads_text = entry.reads_text
        self.counted = counted_values(rec, entry.valued)
        tag = rec.tag
        written = rec.written
        self.attributes = tuple(
            (judged, hooks, clean.clean_values(tag, written[judged[0]][0], judged[2]))
            for judged, hooks in _judged(rec, entry)
        )


def _shape_only(rec: Resolved, entry: _Entry) -> bool:
    """Whether `content_of` gives for `rec` only what its shape says: the content hooks of its
    command read no text of it (`_Entry.reads_text`) and no value of any of its attributes,
    each of which stands for a parameter (`_Entry.valued`)."""
    if entry.reads_text:
        return False
    valued = entry.valued
    if valued is None:
        return not rec.written
    return not any(pm is None or id(pm.param) in valued for pm in rec.matches)


#: One attribute the attribute hooks judge: its place among the element's attributes, the
#: parameter it stands for, and whether it is the first attribute that stands for it. The same
#: for every element of a shape (`shape_of`).
_Judged = tuple[int, ParamMatch, bool]


def _judged(rec: Resolved, entry: _Entry) -> list[tuple[_Judged, AttributeHooks]]:
    """The attributes of `rec` that attribute hooks judge (`entry.attribute_hooks`), each
    with its hooks."""
    judged = entry.attribute_hooks
    found: list[tuple[_Judged, AttributeHooks]] = []
    if not judged:
        return found
    seen: set[int] = set()
    for place, pm in enumerate(rec.matches):
        if pm is None:
            continue
        key = id(pm.param)
        hooks = judged.get(key)
        if hooks is not None:
            found.append(((place, pm, key not in seen), hooks))
        seen.add(key)
    return found


#: How many shapes, contents, attributes and values a `CleanMemory` keeps (each; a few MiB at
#: most): once full, it keeps what it has (the contents that come back most often come early)
#: rather than start again, which on a large corpus of unique contents would forget them all
#: over and over.
_CLEAN_KEPT = 1 << 13
#: The longest content (attribute values and text, in characters) kept as clean.
_CONTENT_LIMIT = 256


def _memorable(ctx: LintContext) -> bool:
    """Whether the elements of this document are fully described by their shape and content:
    no template part, no processing instruction (a PI in a text makes it dynamic), no UTF-16
    (`LintContext.templated`), no DOCTYPE (entity references)."""
    if ctx.templated:
        return False
    data = ctx.result.source.data
    return not holds(data, b"<!DOCTYPE") if isinstance(data, bytes) else "<!DOCTYPE" not in data


class Plan:
    """How one list of rules runs in one context: the rules that read the whole document, and
    per catalog command the element hooks that apply to it (a table filled once per command)."""

    def __init__(self, rules: Sequence[Rule], context: Context) -> None:
        self.rules: Sequence[Rule] = rules if isinstance(rules, LazyRules) else tuple(rules)
        self.context = context
        # The whole-document rules by number, each with the commands it needs and whether it
        # needs a ``$`` (`LazyRules.needs_dollar` or `Rule.needs_dollar`: one declaration), and the
        # element rules by number, each with the elements it applies to in `context` (a mask
        # of `manifest.ELEMENTS`: `LazyRules.applies`; every element when the rules are given
        # made). `entry` still asks `Rule.applies` of each rule the mask leaves in. Of
        # `LazyRules`, a rule is imported when a document needs it (`run`, `entry`).
        if isinstance(rules, LazyRules):
            count = range(len(rules))
            self._whole = [
                (i, rules.needs(i), rules.needs_dollar(i))
                for i in count
                if rules.kind(i) == "whole"
            ]
            self._each = [
                (i, rules.applies(i, context)) for i in count if rules.kind(i) == "element"
            ]
        else:
            # By `Rule.kind`, as the manifest's `KIND` (a suppression rule finds nothing here:
            # `ozml.lint.noqa` makes its findings).
            self._whole = [
                (i, rule.needs, rule.needs_dollar)
                for i, rule in enumerate(rules)
                if rule.kind() == "whole"
            ]
            self._each = [(i, _EVERY) for i, rule in enumerate(rules) if rule.kind() == "element"]
        self._tables: dict[int, _Entry] = {}
        self._clean: dict[frozenset[str], CleanMemory] = {}

    @property
    def whole(self) -> list[tuple[int, Rule]]:
        """The rules that read the whole document, each with its number (all imported)."""
        return [(i, self.rules[i]) for i, _, _ in self._whole]

    @property
    def each(self) -> list[tuple[int, Rule]]:
        """The element rules, each with its number (all imported)."""
        return [(i, self.rules[i]) for i, _ in self._each]

    def entry(self, command: Command | None) -> _Entry:
        entry = self._tables.get(id(command))
        if entry is None or entry.command is not command:
            bit = _bit(command)
            chosen = [
                (i, self.rules[i])
                for i, mask in self._each
                if bit is None or mask >> bit & 1
            ]
            entry = self._tables[id(command)] = _Entry(command, self.context, chosen)
        return entry

    def clean(self, ctx: LintContext) -> CleanMemory | None:
        """What this plan has found clean with the document's template syntaxes; None when
        the document's elements cannot be judged by their shape and content (`_memorable`)."""
        if not _memorable(ctx):
            return None
        syntaxes = ctx.settings.templates
        clean = self._clean.get(syntaxes)
        if clean is None:
            if len(self._clean) >= _MAX_KEPT:
                self._clean.clear()
            clean = self._clean[syntaxes] = CleanMemory()
        return clean

    def run(self, ctx: LintContext) -> Iterator[Diagnostic]:
        """Every rule's findings, rule after rule, each in the order its own walk gives them.
        A whole-document rule that needs commands the document does not hold (`Rule.needs`),
        or a ``$`` it does not hold (`Rule.needs_dollar`), is not run."""
        found: Found = {}
        present: set[str] | None = None
        dollar: bool | None = None
        rules = self.rules
        for i, needs, needs_dollar in self._whole:
            if needs:
                if present is None:
                    present = {rec.name for rec in ctx.records}
                if needs.isdisjoint(present):
                    continue
            if needs_dollar:
                if dollar is None:
                    dollar = holds_dollar(ctx)
                if not dollar:
                    continue
            add_findings(found, i, rules[i].check(ctx))
        if self._each:
            self.elements(ctx, ctx.records, found, self.clean(ctx))
        for i in sorted(found):
            yield from found[i]

    def elements(
        self, ctx: LintContext, records: Sequence[Resolved], found: Found, clean: CleanMemory | None
    ) -> None:
        """The element and attribute hooks' findings in `records` (every record, or a run of
        them: `ozml.lint.stream`), each added to its rule's list: for each element, those of
        its attributes (in the order written), then its own. An element whose shape (or
        content) was found clean before skips the hooks that read only that, and an attribute
        found clean before skips the attribute hooks (`clean`: what `clean` gives for the
        document)."""
        if clean is None:
            for rec in records:
                table = self.entry(rec.command)
                for judged, hooks in _judged(rec, table):
                    _run_attribute_hooks(hooks, ctx, rec, judged, found)
                shape_hooks, content_hooks = _hooks(rec, table)
                _run_hooks(shape_hooks, ctx, rec, found)
                _run_hooks(content_hooks, ctx, rec, found)
            return
        shapes, contents = clean.shapes, clean.contents
        for rec in records:
            shape = shape_of(rec)
            known = shapes.get(shape)
            if known is None:
                table = self.entry(rec.command)
                known = _Known(rec, _hooks(rec, table), table, clean)
                if len(shapes) < _CLEAN_KEPT:
                    shapes[shape] = known
            if known.attributes:
                written = rec.written
                for judged, hooks, values in known.attributes:
                    value = written[judged[0]][1]
                    if value in values:
                        continue
                    if len(value) > _CONTENT_LIMIT:
                        _run_attribute_hooks(hooks, ctx, rec, judged, found)
                    elif _attribute_hooks_clean(hooks, ctx, rec, judged, found):
                        clean.keep_value(values, value)
            if known.shape:
                known.shape = _finding_hooks(known.shape, ctx, rec, found)
            content_hooks = known.content
            if not content_hooks:
                continue
            content = content_of(shape, rec, known.reads_text, known.counted)
            if content is None:
                _run_hooks(content_hooks, ctx, rec, found)
            elif content not in contents and _hooks_clean(content_hooks, ctx, rec, found):
                _keep(contents, content)


def _hooks(rec: Resolved, table: _Entry) -> tuple[Hooks, Hooks]:
    """The element hooks for `rec` in its command's `table`: (shape hooks, content hooks),
    the plain ones when it is plain (`_Entry`)."""
    match = rec.match
    if match is not None and match.kind is MatchKind.EXACT:
        plain = table.plain
        exact = MatchKind.EXACT
        for pm in rec.matches:
            if pm is None or pm.kind is not exact or id(pm.param) not in plain:
                return table.hooks
        return table.plain_hooks
    return table.hooks


def content_of(
    shape: tuple[object, ...],
    rec: Resolved,
    with_text: bool = True,
    counted: tuple[bool, ...] | None = None,
) -> tuple[object, ...] | None:
    """What a ``reads = "content"`` rule may read of an element: its shape, its attribute
    values and its text (unless `with_text` is False: no such rule reads the text of this
    command, `Rule.reads_text`); None when they are longer than `_CONTENT_LIMIT` characters.
    `counted` (None: all; `counted_values`) says for each attribute whether its value counts:
    one that does not counts as None."""
    written = rec.written
    if not written:
        values: tuple[str | None, ...] = ()
    elif counted is None:
        values = tuple([value for _, value in written])
    else:
        values = tuple(
            [value if count else None for (_, value), count in zip(written, counted, strict=True)]
        )
    text = rec.text if with_text else None
    size = len(text) if text else 0
    for value in values:
        if value is not None:
            size += len(value)
    if size > _CONTENT_LIMIT:
        return None
    return (shape, values, text) if with_text else (shape, values)


def counted_values(rec: Resolved, valued: frozenset[int] | None) -> tuple[bool, ...] | None:
    """For `content_of`: which attribute values of `rec` count when the parameters whose
    values count are `valued` (by id(); None: all, `Rule.reads_value`). An attribute that
    stands for another parameter does not count; one that stands for none does, with its
    value. The same for every element of a shape (`shape_of`): its name gives its command,
    and each attribute's name the parameter it stands for."""
    if valued is None:
        return None
    return tuple([pm is None or id(pm.param) in valued for pm in rec.matches])


def _keep(known: set[tuple[object, ...]], key: tuple[object, ...]) -> None:
    """Remember `key` as clean, unless `known` is full (`_CLEAN_KEPT`)."""
    if len(known) < _CLEAN_KEPT:
        known.add(key)


def _run_hooks(
    hooks: Hooks, ctx: LintContext, rec: Resolved, found: Found
) -> None:
    """Run `hooks` on one element, adding their findings."""
    for i, hook in hooks:
        add_findings(found, i, hook(ctx, rec))


def _finding_hooks(
    hooks: Hooks, ctx: LintContext, rec: Resolved, found: Found
) -> Hooks:
    """Run shape `hooks` on one element, adding their findings; those that found something
    (each finds the same in every element of the shape: the others need not run again)."""
    left: list[tuple[int, Hook]] = []
    for i, hook in hooks:
        if add_findings(found, i, hook(ctx, rec)):
            left.append((i, hook))
    return hooks if len(left) == len(hooks) else tuple(left)


def _hooks_clean(
    hooks: Hooks, ctx: LintContext, rec: Resolved, found: Found
) -> bool:
    """Run `hooks` on one element, adding their findings; whether they found nothing."""
    return _none_found(found, ((i, hook(ctx, rec)) for i, hook in hooks))


def _none_found(
    found: Found, runs: Iterable[tuple[int, Iterable[Diagnostic]]]
) -> bool:
    """Add the findings of each run to the list of its rule (by number); whether none of
    them found anything."""
    none = True
    for i, findings in runs:
        if add_findings(found, i, findings):
            none = False
    return none


def _run_attribute_hooks(
    hooks: AttributeHooks,
    ctx: LintContext,
    rec: Resolved,
    judged: _Judged,
    found: Found,
) -> None:
    """Run attribute `hooks` on one attribute of `rec` (`judged`: where it stands, the
    parameter it stands for, whether it is the first for it), adding their findings."""
    place, pm, first = judged
    for i, hook in hooks:
        add_findings(found, i, hook(ctx, rec, place, pm, first))


def _attribute_hooks_clean(
    hooks: AttributeHooks,
    ctx: LintContext,
    rec: Resolved,
    judged: _Judged,
    found: Found,
) -> bool:
    """Run attribute `hooks` on one attribute of `rec` (as `_run_attribute_hooks`), adding
    their findings; whether they found nothing."""
    place, pm, first = judged
    return _none_found(found, ((i, hook(ctx, rec, place, pm, first)) for i, hook in hooks))


#: Rule lists by the settings that choose them, and plans by rule list and context: built once,
#: not per document. Both stay small (a run has a few settings); they are emptied when they grow.
_ACTIVE: dict[tuple[object, ...], LazyRules] = {}
_PLANS: dict[tuple[int, Context], Plan] = {}
_MAX_KEPT = 64


def lazy_rules(settings: LintSettings) -> LazyRules:
    """The rules that run on one document with `settings` (`active_rules`), each imported
    when a document needs it (`LazyRules`), made once per rule choice and kept."""
    key = (settings.select, settings.extend_select, settings.ignore)
    rules = _ACTIVE.get(key)
    if rules is None:
        if len(_ACTIVE) >= _MAX_KEPT:
            _ACTIVE.clear()
        rules = _ACTIVE[key] = LazyRules(settings)
    return rules


def plan_for(rules: Sequence[Rule], context: Context) -> Plan:
    """The plan `rules` run by in `context`, made once and kept (for `_MAX_KEPT` lists of
    rules): the linter's, and the streamed lint's (`ozml.lint.stream`)."""
    key = (id(rules), context)
    plan = _PLANS.get(key)
    # Compared by identity: a list changed since is planned again (`LazyRules` never change).
    chosen: Sequence[Rule] = rules if isinstance(rules, LazyRules) else tuple(rules)
    if plan is None or (
        plan.rules is not chosen if isinstance(chosen, LazyRules) else plan.rules != chosen
    ):
        if len(_PLANS) >= _MAX_KEPT:
            _PLANS.clear()
        plan = _PLANS[key] = Plan(chosen, context)
    return plan


_PER_FILE: dict[int, tuple[LintSettings, LintSettings]] = {}
#: `ozml.lint.registry.PROJECT_CODES`, from the manifest (the registry imports every rule).
_PROJECT_CODES: frozenset[str] = frozenset(
    code
    for (code, _, _), kind in zip(manifest.RULES, manifest.KIND, strict=True)
    if kind == "project"
)


def _per_file(settings: LintSettings) -> LintSettings:
    """The settings suppressions are applied with: the project rules (OZ811-OZ815) left out,
    since this pass cannot know whether a comment naming one of them suppresses something
    (the project pass applies those comments itself: `ozml.lint.project`)."""
    known = _PER_FILE.get(id(settings))
    if known is None or known[0] is not settings:
        if len(_PER_FILE) >= _MAX_KEPT:
            _PER_FILE.clear()
        codes = _PROJECT_CODES
        select = None if settings.select is None else settings.select - codes
        known = _PER_FILE[id(settings)] = (
            settings,
            settings.replace(
                select=select,
                extend_select=settings.extend_select - codes,
                ignore=settings.ignore | codes,
            ),
        )
    return known[1]


def check_rules(ctx: LintContext, rules: Sequence[Rule]) -> list[Diagnostic]:
    """The findings of `rules` in `ctx` in the order of ``[d for rule in rules for d in
    rule.check(ctx)]`` (parser rules find nothing there), found in one pass over the tree."""
    return list(plan_for(rules, ctx.context).run(ctx))


def lint_result(
    result: ParseResult,
    settings: LintSettings = DEFAULT_SETTINGS,
    rules: Sequence[Rule] | None = None,
    *,
    walk: bool = False,
    taken: list[tuple[Diagnostic, Directive]] | None = None,
) -> list[Diagnostic]:
    """Every finding for a parsed document, parser findings included, in source order.

    ``<!-- ozml: ... -->`` comments are honoured: an inline context applies unless the settings
    lock the context, and suppressed findings are left out (`ozml.lint.noqa`). The parser's
    findings OZ001-OZ003 are never left out: not by a comment, nor by the settings. Each
    finding left out is added to `taken`, when given, with the comment that suppressed it (the
    formatter asks, to keep it suppressed: `ozml.noqalayout`).

    The rules run in one pass over the tree (`Plan`); `walk` runs each rule's own walk
    instead, which gives the same findings (the tests compare them).
    """
    found_directives: list[Directive] = []
    if result.source.holds(DIRECTIVE_MARK):
        # Loaded for a document that may hold directives only: most hold none (cold start,
        # docs/performance.md).
        from ozml.lint import directives, noqa

        found_directives = directives.scan(result.source)
    if found_directives:

        settings = noqa.inline_context(settings, found_directives, result.source)
    chosen = lazy_rules(settings) if rules is None else rules
    found: list[Diagnostic] = []
    for problem in result.problems:
        if settings.enabled(problem.code):
            severity = settings.severity(problem.code, problem.severity)
            if severity is not problem.severity:
                problem = Diagnostic(
                    problem.code, problem.name, severity, problem.message, problem.span
                )
            found.append(problem)
    if result.ok:
        ctx = LintContext(result, settings)
        # The records the rules make live as long as the tree: nothing for the cyclic
        # collector to find while they are made (`ozml.gcpause`; a third of a 5 MB lint).
        with collector_paused():
            if walk:
                for rule in chosen:
                    if not rule.parser_rule:
                        found.extend(rule.check(ctx))
            else:
                found.extend(plan_for(chosen, settings.context).run(ctx))
    if found_directives:
        checked = result.ok
        found = noqa.apply(
            found,
            found_directives,
            _per_file(settings),
            result.source,
            checked=checked,
            taken=taken,
        )
    found.sort(key=Diagnostic.sort_key)
    return found


def lint_document(
    data: bytes | str,
    path: str = "<string>",
    settings: LintSettings = DEFAULT_SETTINGS,
    rules: Sequence[Rule] | None = None,
) -> tuple[ParseResult, list[Diagnostic]]:
    """Parse and lint one document: the parse result and `lint_result`'s findings.

    A large plain document is linted as the parser reads it, a run of records at a time
    (`ozml.lint.stream`): its records are never all held at once. The findings are the same.
    """
    sink = None
    if isinstance(data, bytes) and len(data) >= STREAM_FROM:
        from ozml.lint.stream import Stream  # only large documents are read so

        chosen = lazy_rules(settings) if rules is None else rules
        # Every rule: a large document's runs are planned with them all.
        sink = Stream(settings, chosen.every() if isinstance(chosen, LazyRules) else chosen)
    parsed = parse(
        data,
        path,
        max_bytes=settings.max_bytes,
        templates=settings.templates,
        records=True if sink is None else sink,
    )
    if sink is not None:
        found = sink.finish(parsed)
        if found is not None:
            return parsed, found
    return parsed, lint_result(parsed, settings, rules)


def lint(
    data: bytes | str,
    path: str = "<string>",
    settings: LintSettings = DEFAULT_SETTINGS,
) -> list[Diagnostic]:
    """Parse and lint one document."""
    return lint_document(data, path, settings)[1]
