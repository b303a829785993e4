"""Whether a value a rule judges is only known once a server template has run: the one rule of
`ozml.templates` (docs/templates.md), asked of the values of the document the rule reads.

A value's text never says it alone: its template parts are where the parser found them
(`ozml.nodes.Text.templates`, `ozml.nodes.Attribute.templates`), so that a ``{{ s }}`` in a
CDATA section, or written ``&#123;{ s }}``, is the literal text it reads as, and is judged as
such. Such a finding rests on ozml's rule that a CDATA section holds no template part, which
the OzML documentation does not give: it is at most a warning and says so (`literal_text`).
"""

from __future__ import annotations

from ozml import templates
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.rawbytes import holds, wide
from ozml.resolve import Resolved


def attribute_dynamic(ctx: LintContext, rec: Resolved, place: int) -> bool:
    """Whether the value of the attribute of `rec` at `place` is dynamic (D8)."""
    value = rec.written[place][1]
    return templates.dynamic_value(value, rec.value_templates(place), ctx.settings.templates)


def text_spans(ctx: LintContext, rec: Resolved) -> templates.Spans:
    """Where the template parts of the element's text (`Resolved.text`) are. A document
    without any (`LintContext.templated` is false) is not asked: its tree may not be built."""
    return templates.text_parts(rec.element) if ctx.templated else ()


def text_dynamic(ctx: LintContext, rec: Resolved, text: str) -> bool:
    """Whether the element's text, `text`, is dynamic (D8): it holds a template part of the
    document's syntaxes or a ``$variable``, or a processing instruction stands in it
    (`ozml.templates.dynamic_content`)."""
    if ctx.templated and templates.dynamic_content(rec.element, ctx.settings.templates):
        return True
    return templates.dynamic_value(text, (), ctx.settings.templates)


def _may_hold_cdata(ctx: LintContext) -> bool:
    """Whether the document may hold a CDATA section, searched for once per document: each
    finding about a text asks (with a search each, n findings cost n times the document)."""
    found = ctx.shared.get(_may_hold_cdata)
    if found is None:
        data = ctx.source.data
        if isinstance(data, str):
            found = "<![CDATA[" in data
        else:
            found = holds(data, b"<![CDATA[") or wide(data)
        ctx.shared[_may_hold_cdata] = found
    return bool(found)


def rests_on_cdata(ctx: LintContext, rec: Resolved) -> bool:
    """Whether the element's text is literal only by ozml's rule that a CDATA section holds
    no template part (`ozml.templates.literal_in_cdata`). Asked only of a finding, and
    worked out once per element (each reads the element's whole text: n findings about one
    text cost n times the text)."""
    if not _may_hold_cdata(ctx):
        return False
    known = ctx.shared.get(rests_on_cdata)
    if not isinstance(known, dict):
        known = ctx.shared[rests_on_cdata] = {}
    found = known.get(rec.index)
    if found is None:
        found = known[rec.index] = templates.literal_in_cdata(
            rec.element, ctx.settings.templates
        )
    return bool(found)


def literal_text(ctx: LintContext, rec: Resolved, found: Diagnostic) -> Diagnostic:
    """`found`, a finding about the element's text, as far as the text is known: when it
    rests on ozml's CDATA rule (`rests_on_cdata`), at most a warning (unless the
    configuration sets the rule's severity) that says so (`ozml.templates.CDATA_ASSUMED`)."""
    if not rests_on_cdata(ctx, rec):
        return found
    severity = found.severity
    if found.code not in ctx.settings.severities:
        severity = min(severity, Severity.WARNING)
    return found.replace(severity=severity, message=f"{found.message}; {templates.CDATA_ASSUMED}")


__all__ = [
    "attribute_dynamic",
    "literal_text",
    "rests_on_cdata",
    "text_dynamic",
    "text_spans",
]
