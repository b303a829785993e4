from __future__ import annotations

from collections.abc import Iterator

from ozml import templates, xmlspace
from ozml.catalog import Command, Context, Param, ParamMatch, messages, values
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import trim_value
from ozml.lint.rule import Fixable, Rule, Severities
from ozml.lint.suggest import closest
from ozml.lint.templated import literal_text, text_dynamic
from ozml.resolve import Resolved

#: id(command) → (the command, ids of its parameters whose every value is valid): worked out
#: once per command, not per element.
_FREE: dict[int, tuple[Command, frozenset[int]]] = {}


def _free(cmd: Command) -> frozenset[int]:
    entry = _FREE.get(id(cmd))
    if entry is None or entry[0] is not cmd:
        ids = frozenset(id(p) for p in cmd.params if values.accepts_anything(p))
        entry = _FREE[id(cmd)] = (cmd, ids)
    return entry[1]


#: (id(parameter), value) → what `values.check` expected of the value as plain text (None: the
#: value suits): values such as Party="caller" or Timeout="30" come back in every document.
#: Short values only, and a bounded number of them.
_VERDICTS: dict[tuple[int, str], tuple[Param, str | None]] = {}
#: The template syntaxes a value is checked with once the parser's spans have said it holds no
#: part (docs/templates.md): none, so that only a ``$variable`` makes it dynamic.
_PLAIN: frozenset[str] = frozenset()


def _expected(param: Param, value: str) -> str | None:
    """What `values.check` expects of `value`, a value that holds no template part."""
    if len(value) > 64:
        return values.check(param, value, _PLAIN)
    key = (id(param), value)
    found = _VERDICTS.get(key)
    if found is None or found[0] is not param:
        if len(_VERDICTS) >= 4096:
            _VERDICTS.clear()
        found = _VERDICTS[key] = (param, values.check(param, value, _PLAIN))
    return found[1]


class InvalidValue(Rule):
    """A parameter's value does not fit its type or its allowed values.

    Each parameter has a type in the catalog (whole number, seconds, true/false, party, DTMF keys,
    language code, URL, phone number, ...) and some have a fixed set of values (Party is caller,
    callee or all; Record Format is mp3 or wav). A value the PBX cannot use is reported with what
    was expected. Values holding a ``$variable`` or a server-side template placeholder are only
    known at run time and are not checked (D8). A value that differs from an allowed one only in
    letter case is reported by non-canonical-case instead. An empty value (XML white space
    alone) is reported unless the parameter's type takes one (a string, a Destination) or the
    vendor states what it means: an empty ErrorUrl asks for no error notification, an empty
    DeliveryReportURL for no delivery report (the command pages list these). ozml reads XML's
    white space around a value as layout, as around an element's text; whether the PBX does is
    not stated, so a value that suits only without it (``Timeout=" 5 "``) is a warning, and the
    dry run reads it without it; the fix (safe) removes that white space.

    Fails::

        <Response>
          <Play Repeat="yes">hello.wav</Play>
        </Response>

    Passes::

        <Response>
          <Play Repeat="true">hello.wav</Play>
        </Response>
    """

    code = "OZ202"
    name = "invalid-value"
    severity = Severity.ERROR
    fixable = Fixable.SOMETIMES

    per_element = True

    @classmethod
    def severities(cls) -> Severities:
        return Severities(
            Severity.ERROR,
            Severity.WARNING,
            "the parameter's type is assumed (the vendor's table states none, or the two"
            " documentation generations disagree), the value is a whole number outside a bound"
            " the vendor does not state (a negative Timeout), the value would suit were the white"
            " space around it trimmed (XML's, which ozml reads as layout, or another kind such as"
            " a no-break space, which it reads as content), or the text is literal"
            " only by ozml's rule that a CDATA section holds no template part",
        )

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and not all(map(values.accepts_anything, command.params))

    @classmethod
    def reads_text(cls, command: Command | None) -> bool:
        text_param = command.text_param if command is not None else None
        return text_param is not None and not values.accepts_anything(text_param)

    @classmethod
    def reads_value(cls, param: Param) -> bool:
        return False  # the attributes are judged one at a time (`attribute`)

    @classmethod
    def reads_attribute(cls, param: Param) -> bool:
        return not values.accepts_anything(param)

    def attribute(
        self, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        name, value = rec.written[place]
        parts = rec.value_templates(place)
        if parts and templates.dynamic(value, parts, ctx.settings.templates):
            return  # a template's value (not known until it has run)
        param = pm.param
        expected = _expected(param, value)
        if expected is None or values.case_fix(param, value) is not None:
            return
        basis = values.grounds(param, value, _PLAIN)
        fix = None
        guess: str | None
        if basis is values.SPACE_AROUND:
            # The value without the white space: what ozml reads, and what the fix writes.
            bare = xmlspace.strip(value)
            guess = values.case_fix(param, bare) or bare
            fix = trim_value(ctx.source, rec, name, f"Write {bare!r}")
        else:
            guess = closest(value, param.values) if param.values else None
        message = messages.invalid_value(rec.name, param.name, expected, value, guess)
        span = ctx.source.attribute_span(rec, name, value=True)
        found = self.report(ctx, message, span, suggestion=guess, fix=fix)
        yield ctx.grounded(found, basis)

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        cmd = rec.command
        assert cmd is not None  # `applies`
        text_param = cmd.text_param
        if text_param is None or id(text_param) in _free(cmd):
            return
        text = rec.text
        if text is None or rec.place_of(text_param) is not None:
            return
        if text_dynamic(ctx, rec, text):
            return
        expected = values.check(text_param, text, _PLAIN)
        if expected is None:
            return
        found = self.report(
            ctx,
            messages.invalid_text(rec.name, text_param.name, expected, text),
            ctx.source.text_span(rec),
        )
        basis = values.grounds(text_param, text, _PLAIN, text=True)
        yield literal_text(ctx, rec, ctx.grounded(found, basis))
