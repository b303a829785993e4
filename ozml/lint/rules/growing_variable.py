from __future__ import annotations

from collections.abc import Iterator

from ozml import templates, xmlspace
from ozml.catalog import Param
from ozml.catalog.values import variable_key
from ozml.catalog.variables import ITEM
from ozml.diagnostics import Diagnostic, Severity
from ozml.limits import MAX_VALUE_BYTES, describe_size, utf8_size
from ozml.lint.context import LintContext
from ozml.lint.variables import Definition, VariableRule, analyse, definition_span, tokens
from ozml.record import Record
from ozml.resolve import Resolved

#: Estimates stop growing here: capped arithmetic keeps every number small however many times a
#: document doubles a value (26 doublings are 2**26 times; 200 would be a 61-digit number).
CAP = 1 << 60
_LOOP = "ForEach"
_LIMIT = describe_size(MAX_VALUE_BYTES)


def _add(a: int, b: int) -> int:
    return min(a + b, CAP)


def _times(a: int, n: int) -> int:
    return CAP if n and a > CAP // n else min(a * n, CAP)


class _Chain(Record):
    """Vars each repeating the one before: the first of them, how many, and how often each."""

    first: str
    length: int
    fewest: int
    most: int

    def __init__(self, first: str, length: int, fewest: int, most: int) -> None:
        self._assign(locals())


class _Estimate(Record):
    """What a variable is known to expand to, as far as the document shows."""

    size: int
    #: The Var it grows from by repeating it, when it does.
    chain: _Chain | None
    #: It is over the limit already, or grows from a variable that is: reported once, there.
    reported: bool

    def __init__(self, size: int, chain: _Chain | None = None, reported: bool = False) -> None:
        self._assign(locals())


class _Value(Record):
    """The estimate of one value and what it is made of."""

    size: int
    #: The variable it repeats most, as written, and how many times (0: none).
    main: str
    count: int
    #: How many times it refers to the variable being defined, and its size without them.
    itself: int
    rest: int
    #: It uses a variable already reported.
    tainted: bool

    def __init__(
        self,
        size: int,
        main: str = "",
        count: int = 0,
        itself: int = 0,
        rest: int = 0,
        tainted: bool = False,
    ) -> None:
        self._assign(locals())


class GrowingVariable(VariableRule):
    """A Var whose value can grow past the size `ozml run` allows.

    Each ``$name`` in a Var's value is replaced by that variable's whole value, so a Var that uses
    another one twice is twice as long: 26 Vars each doubling the one before
    (``<Var Id="a1" Value="$a0$a0"/>``, ``<Var Id="a2" Value="$a1$a1"/>``, ...) fit in less than
    1 KB of valid OzML, and the last is 2**25 times as long as the first (32 MiB from one byte);
    every further Var doubles it again. The vendor
    documents no size limit; ``ozml run`` stops a run at a value over 1 MiB (its
    ``max_value_bytes`` protection, see docs/interpreter.md), and a PBX may fail in its own way.

    The rule estimates what every Var and Array Item expands to, in one pass over the document
    and without building anything: the bytes written, plus, for each ``$name``, the estimate of
    that variable (the largest of its definitions so far), for ``$item`` the largest Item of the
    array its ForEach reads. It warns at the first Var (or Item) that can pass 1 MiB, and not
    again for the values that grow from it. It also warns about a Var that refers to itself
    inside a ForEach: it grows on every pass of the loop, however small it starts. A cycle
    through several Vars, a menu that repeats, a GoTo back to the same document and values the
    PBX or the scenario supply are not followed; ``ozml run`` still stops them at the limit.

    Fails::

        <Response>
          <Array Id="rounds"><Item>1</Item><Item>2</Item><Item>3</Item></Array>
          <Var Id="echo">Hello</Var>
          <ForEach Source="rounds">
            <Var Id="echo">$echo $echo</Var>
          </ForEach>
          <Speak>$echo</Speak>
        </Response>

    Passes::

        <Response>
          <Array Id="rounds"><Item>1</Item><Item>2</Item><Item>3</Item></Array>
          <Var Id="echo">Hello</Var>
          <ForEach Source="rounds">
            <Speak>$echo $echo, round $item</Speak>
          </ForEach>
        </Response>
    """

    code = "OZ705"
    name = "growing-variable"
    severity = Severity.WARNING
    needs = frozenset({"Var", "Array"})

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        analysis = analyse(ctx)
        if not analysis.variables and not analysis.arrays:
            return
        definitions = sorted(
            (d for group in (analysis.variables, analysis.arrays) for ds in group.values()
             for d in ds),
            key=lambda d: d.order,
        )
        yield from _Walk(self, ctx).run(definitions)


class _Walk:
    """One pass over a document's definitions, in document order."""

    def __init__(self, rule: GrowingVariable, ctx: LintContext) -> None:
        self.rule = rule
        self.ctx = ctx
        #: Lower-cased variable name → its estimate.
        self.vars: dict[str, _Estimate] = {}
        #: Lower-cased array name → the largest Item's estimate.
        self.arrays: dict[str, _Estimate] = {}
        #: id(element record) → the nearest ForEach that is it or holds it, worked out once per
        #: element on the way up, so that deep nesting costs nothing per definition.
        self.loops: dict[int, Resolved | None] = {}

    def run(self, definitions: list[Definition]) -> Iterator[Diagnostic]:
        for definition in definitions:
            if definition.rec.name == "Var":
                yield from self.var(definition)
            else:
                yield from self.array(definition)

    # -- the values ----------------------------------------------------------------------------

    def spans(self, rec: Resolved, param: Param | None) -> templates.Spans:
        """Where the template parts are in the value of `param` of `rec` (`Resolved.value`;
        None: its text), as the parser found them."""
        if not self.ctx.templated:
            return ()
        place = rec.place_of(param) if param is not None else None
        if place is not None:
            return rec.value_templates(place)
        return templates.text_parts(rec.element)

    def value(
        self, text: str, rec: Resolved, itself: str | None, spans: templates.Spans = ()
    ) -> _Value:
        """Estimate `text`, whose template parts are at `spans`, as a value of `rec`
        (`itself`: the lower-cased name it defines): a ``$`` in a part is the template's."""
        size = rest = utf8_size(text)
        if "$" not in text:
            return _Value(size, "", 0, 0, rest, False)  # no reference (`tokens` finds none)
        counts: dict[str, int] = {}
        sizes: dict[str, int] = {}
        shown: dict[str, str] = {}
        own = 0
        tainted = False
        for match in tokens(text, spans, self.ctx.settings.templates):
            token, name = match.group(0), match.group(1)
            lowered = variable_key(name)
            size -= len(token)
            rest -= len(token)
            estimate = self.reference(lowered, rec, bool(match.group(2)))
            if estimate is None:
                part = len(token)  # left as written
            else:
                part = _add(estimate.size, len(match.group(2)) if lowered != ITEM else 0)
                tainted = tainted or estimate.reported
            size = _add(size, part)
            if lowered == itself:
                own += 1
            else:
                rest = _add(rest, part)
            if estimate is None:
                continue
            counts[lowered] = counts.get(lowered, 0) + 1
            sizes[lowered] = part
            shown.setdefault(lowered, name)
        main, count = "", 0
        if counts:
            lowered = max(counts, key=lambda n: _times(sizes[n], counts[n]))
            main, count = shown[lowered], counts[lowered]
        return _Value(size, main, count, own, rest, tainted)

    def reference(self, lowered: str, rec: Resolved, props: bool) -> _Estimate | None:
        if lowered == ITEM:
            if props:
                return None  # a property of an item the PBX or the scenario supplies
            loop = self.enclosing(rec)
            source = _source(loop) if loop is not None else None
            return self.arrays.get(source) if source else None
        return self.vars.get(lowered)

    def enclosing(self, rec: Resolved) -> Resolved | None:
        """The nearest ForEach around `rec`."""
        path: list[Resolved] = []
        node = rec.parent
        found: Resolved | None = None
        while node is not None:
            if id(node) in self.loops:
                found = self.loops[id(node)]
                break
            path.append(node)
            node = node.parent
        # `found` is the loop the top of the path is in; walk back down, remembering each one.
        for node in reversed(path):
            if node.name == _LOOP:
                found = node
            self.loops[id(node)] = found
        return found

    # -- definitions ---------------------------------------------------------------------------

    def var(self, definition: Definition) -> Iterator[Diagnostic]:
        rec = definition.rec
        command = rec.command
        assert command is not None
        lowered = variable_key(definition.name)
        param = command.param("Value")
        value = self.value(rec.value(param) or "", rec, lowered, self.spans(rec, param))
        before = self.vars.get(lowered)
        loop = self.enclosing(rec) if value.itself else None
        if loop is not None:
            # It grows on every pass however small it starts: reported here, not again.
            self.vars[lowered] = _Estimate(_add(value.size, before.size if before else 0),
                                           reported=True)
            if not value.tainted:
                yield self.report(definition, _loop_message(definition.name, loop, value))
            return
        chain = _chain(definition.name, value, self.vars.get(variable_key(value.main)))
        size = max(value.size, before.size) if before else value.size
        over = value.size > MAX_VALUE_BYTES
        reported = value.tainted or over or bool(before and before.reported)
        self.vars[lowered] = _Estimate(size, chain, reported)
        if over and not value.tainted:
            yield self.report(definition, _size_message(f"Var {definition.name}", value, chain))

    def array(self, definition: Definition) -> Iterator[Diagnostic]:
        rec = definition.rec
        lowered = variable_key(definition.name)
        largest = self.arrays.get(lowered) or _Estimate(0)
        number = 0
        for item in self.ctx.children(rec):
            if item.name != "Item":
                continue
            number += 1
            value = self.value(item.text or "", item, None, self.spans(item, None))
            over = value.size > MAX_VALUE_BYTES
            if over and not value.tainted and not largest.reported:
                subject = f"Array {definition.name} Item {number}"
                yield self.rule.report(
                    self.ctx, _size_message(subject, value, None),
                    self.ctx.source.element_span(item),
                )
            largest = _Estimate(
                max(largest.size, value.size),
                reported=largest.reported or over or value.tainted,
            )
        self.arrays[lowered] = largest

    def report(self, definition: Definition, message: str) -> Diagnostic:
        return self.rule.report(self.ctx, message, definition_span(self.ctx, definition))


def _source(loop: Resolved) -> str | None:
    command = loop.command
    if command is None:
        return None
    text = loop.value(command.param("Source"))
    return variable_key(xmlspace.strip(text).lstrip("$")) if text else None


def _chain(name: str, value: _Value, grown_from: _Estimate | None) -> _Chain | None:
    """The chain of repeating Vars this one extends, when it repeats the one before."""
    if value.count < 2 or grown_from is None:
        return None
    previous = grown_from.chain
    if previous is None:
        return _Chain(name, 1, value.count, value.count)
    return _Chain(
        previous.first, previous.length + 1, min(previous.fewest, value.count),
        max(previous.most, value.count),
    )


def _about(size: int) -> str:
    return "at least 1024 PiB" if size >= CAP else f"about {describe_size(size)}"


def _repeats(chain: _Chain, what: str, plural: bool) -> str:
    """``doubles the previous one``, ``repeat the previous value 10 times``, ..."""
    s = "" if plural else "s"
    if chain.fewest == chain.most == 2:
        return f"double{s} {what}"
    if chain.fewest == chain.most == 3:
        return f"triple{s} {what}"
    times = str(chain.most) if chain.fewest == chain.most else f"{chain.fewest} to {chain.most}"
    return f"repeat{s} {what} {times} times"


def _size_message(subject: str, value: _Value, chain: _Chain | None) -> str:
    why = ""
    if chain is not None and chain.length > 1:
        last = subject.removeprefix("Var ")
        if variable_key(chain.first) == variable_key(last):
            verb = _repeats(chain, "the previous value", plural=True)
            why = f" ({chain.length} of its definitions in a row each {verb})"
        else:
            why = f" (each of {chain.first}..{last} {_repeats(chain, 'the previous one', False)})"
    elif value.count >= 2:
        why = f" (it repeats ${value.main} {value.count} times)"
    return (
        f"{subject} expands to {_about(value.size)}{why}; ozml run stops a value over {_LIMIT}"
    )


def _loop_message(name: str, loop: Resolved, value: _Value) -> str:
    if value.itself == 2:
        growth = "doubles"
    elif value.itself == 3:
        growth = "triples"
    elif value.itself > 3:
        growth = f"grows {value.itself}-fold"
    else:
        growth = f"grows by {_about(value.rest)}"
    return (
        f"Var {name} refers to itself inside {loop.name}, so it {growth} on every pass;"
        f" ozml run stops a value over {_LIMIT}"
    )
