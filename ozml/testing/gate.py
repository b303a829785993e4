"""The lint gate before a run: a script with lint errors is refused, unless forced.

`ozml run`, `ozml test` and the pytest plugin all come through `prepare`, and show what it found
through `lint_text`: ``ozml check``'s own text reporter (`ozml.report.text`), so a refused script
reads exactly as ``ozml check`` would print it.

The lint settings are the script's configuration (the nearest ``ozml.toml`` or
``pyproject.toml``, or ``--config FILE``, or none with ``--isolated``: `ozml.config.Resolver`),
with the context of the run on top: the explicit one (``--context``, or the scenario's), else the
document's own ``<!-- ozml: context=... -->`` comment, else the configuration's, else ``any``.
The same context drives the lint and the run (only an extension script hangs up at its end, D9).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import attrs

from ozml.catalog import Context

if TYPE_CHECKING:
    from ozml.config import Resolver
    from ozml.diagnostics import Diagnostic
    from ozml.interpreter.program import Program
    from ozml.lint import LintSettings
    from ozml.positions import Source


@attrs.frozen
class Prepared:
    """A script ready to run, or why it is not."""

    program: Program | None
    context: Context
    #: The lint errors found (shown when the script is refused, or run with --force).
    errors: tuple[Diagnostic, ...]
    #: Why the script cannot run; None when it can.
    refusal: str | None = None
    #: The name the script goes by (its path, or the URL it came from) and its text, for
    #: showing the errors with their source lines.
    name: str = ""
    source: Source | None = None


def settings_for(resolver: Resolver | None, name: str) -> LintSettings:
    """The configured lint settings of the script `name` (the defaults without a resolver,
    or for a script that is not a file, such as a URL)."""
    from ozml.lint import LintSettings

    if resolver is None or "://" in name:
        return LintSettings()
    return resolver.settings_for(name)


def prepare(
    data: bytes,
    name: str,
    explicit: Context | None,
    force: bool,
    settings: LintSettings | None = None,
) -> Prepared:
    """Lint, then compile a script; refuse it when it has lint errors and `force` is off.

    `settings` are the script's configured lint settings (the defaults when None); the
    context is chosen as the module says.
    """
    from ozml.diagnostics import Severity
    from ozml.interpreter.program import compile_document
    from ozml.lint import LintSettings, lint_result
    from ozml.lint.directives import scan
    from ozml.lint.noqa import inline_context
    from ozml.parser import parse

    base = settings if settings is not None else LintSettings()
    parsed = parse(data, name, max_bytes=base.max_bytes, templates=base.templates)
    program = compile_document(parsed.document, name, parsed.source)
    if explicit is not None:
        chosen = base.replace(
            context=explicit, context_origin="--context or the scenario",
            context_locked=True,
        )
    else:  # the document's own comment, read as `ozml check` reads it
        chosen = inline_context(base, scan(parsed.source), parsed.source).replace(
            context_locked=True
        )
    context = chosen.context
    errors = tuple(d for d in lint_result(parsed, chosen) if d.severity >= Severity.ERROR)
    if parsed.document.root is None:
        return Prepared(
            None, context, errors, f"cannot run {name}: it is not well-formed XML",
            name, parsed.source,
        )
    if errors and not force:
        count = f"{len(errors)} lint error{'s' if len(errors) != 1 else ''}"
        return Prepared(
            None, context, errors,
            f"refusing to run {name}: {count} (fix them, or pass --force to run anyway)",
            name, parsed.source,
        )
    return Prepared(program, context, errors, None, name, parsed.source)


def lint_text(prepared: Prepared, *, color: bool = False, summary: bool = True) -> str:
    """The gate's findings as ``ozml check`` prints them (its text format), or ""."""
    from ozml.report import FileReport, Options, Summary
    from ozml.report.text import Reporter

    if not prepared.errors:
        return ""
    stream = io.StringIO()
    reporter = Reporter(stream, Options(color=color, quiet=not summary))
    report = FileReport(prepared.name, list(prepared.errors), prepared.source)
    reporter.file(report)
    totals = Summary()
    totals.add(report)
    reporter.finish(totals)
    return stream.getvalue()


__all__ = ["Prepared", "lint_text", "prepare", "settings_for"]
