"""OZ815 linked-context-mismatch: a link leads to a document written for another context."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ozml.catalog import Context, ElementKind
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.rule import Rule, Severities
from ozml.project.links import NOTIFICATION_CONTEXTS
from ozml.resolve import Resolved

if TYPE_CHECKING:
    from pathlib import Path  # annotations only: a lint of one file does without pathlib

    from ozml.lint.project import ProjectContext
    from ozml.project.graph import Document


class LinkedContextMismatch(Rule):
    """A link leads to a document that cannot run in the context of the link's notification.

    Runs only when the configuration maps URLs to files (``[urls]``, docs/project.md). Each
    link says which notification the PBX sends to its URL, and so in which context the OzML
    it gets back runs (D4): GoTo, UserInput's ForwardToURL (DtmfEntered), Call's Url
    (CallConnected) and SendSms's DeliveryReportURL (SMSDeliveryReport) are answered by
    ext-control commands (``extension``, spec §5.1 [oz4688]). A target document that uses a
    command of another context only (Hold, AttendedTransfer, ForwardCall are 3PCC commands;
    Route answers RoutingInterception), or whose configured or inline context is another one
    (``--context`` on the command line is the run's choice, not compared), does not do what it
    says there.

    The reverse is checked at the entry points: a document listed in ``[entry-points]`` under
    CallChanged (3pcc) that uses UserInput, or under IncomingCall (extension) that uses Hold, is
    reported at its root element.

    Record's FinishedUrl (RecordCompleted) is answered in both contexts, and for ErrorUrl,
    FinishedUrl and ResultUrl the vendor does not say: those links are not checked. The finding
    is at the link, naming the target and its first command of the wrong context; it is an
    error when the vendor states both the command's contexts and the link's notification, else
    a warning whose message says what is assumed. The examples are ``app/example.xml`` of the
    example project (docs/project.md), beside ``app/menu.xml`` and an ``app/hold.xml`` that
    holds the call (``<Hold/>``, a 3PCC command).

    Fails::

        <Response>
          <UserInput ForwardToURL="http://ivr.example.com/hold.php">
            <InitialCommands><Speak>Press a key.</Speak></InitialCommands>
          </UserInput>
        </Response>

    Passes::

        <Response>
          <UserInput ForwardToURL="http://ivr.example.com/menu.php">
            <InitialCommands><Speak>Press a key.</Speak></InitialCommands>
          </UserInput>
        </Response>
    """

    code = "OZ815"
    name = "linked-context-mismatch"
    severity = Severity.ERROR
    project_rule = True

    @classmethod
    def severities(cls) -> Severities:
        # A link is checked only where the vendor states that its answer runs (its kind has a
        # context): what is left to assume is the command's context, as command-not-in-context
        # has it.
        from ozml.lint.rules.command_not_in_context import CommandNotInContext

        return CommandNotInContext.severities()
    example_files: ClassVar[dict[str, str]] = {
        "app/menu.xml": "<Response>\n  <Speak>Main menu.</Speak>\n</Response>\n",
        "app/hold.xml": "<Response>\n  <Hold/>\n</Response>\n",
    }

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        graph = project.project
        first: dict[tuple[int, Context], Resolved | None] = {}
        for edge in graph.edges:
            context = edge.link.kind.context
            if context is None or not edge.targets:
                continue
            source = graph.documents[edge.source]
            link = edge.link
            what = (
                f"{link.label} sends a {link.kind.notification} notification, answered in"
                f" context {context.value} ({link.kind.sources})"
            )
            for index in edge.targets:
                found = _mismatch(project, graph.documents[index], context, what, first)
                if found is not None:
                    message, stated = found
                    severity = None if stated and link.kind.runs else Severity.WARNING
                    yield project.finding(self, source, message, link.span, severity=severity)
        # The reverse: an entry point's document written for another context than its
        # notification's (a CallChanged answer with a UserInput), at its root element.
        for name, indexes in graph.entry_points.items():
            context = NOTIFICATION_CONTEXTS.get(name)
            if context is None:
                continue
            what = f"[entry-points] {name} is answered in context {context.value} (D4)"
            for index in indexes:
                document = graph.documents[index]
                found = _mismatch(project, document, context, what, first)
                if found is not None:
                    assert document.result is not None
                    root = document.result.document.root
                    assert root is not None
                    span = document.result.source.element_span(root)
                    message, stated = found
                    severity = None if stated else Severity.WARNING
                    yield project.finding(self, document, message, span, severity=severity)


def _mismatch(
    project: ProjectContext,
    target: Document,
    context: Context,
    what: str,
    first: dict[tuple[int, Context], Resolved | None],
) -> tuple[str, bool] | None:
    """(message, whether the vendor states it) when `target` cannot run in `context`: its
    configured context is another one, or it uses a command of another context only."""
    if not target.ok:
        return None
    settings = project.settings(target)
    # A context given on the command line (--context) is the run's choice for every file, not
    # what the document is written for: only configured and inline contexts are compared.
    if not settings.context_locked and settings.context not in (Context.ANY, context):
        return (
            f"{what}, but {project.shown(target.path)} is checked as"
            f" {settings.context.value} (from {settings.context_origin})",
            True,
        )
    key = (target.index, context)
    if key not in first:
        first[key] = _first_outside(project, target, context)
    rec = first[key]
    if rec is None or rec.command is None:
        return None
    command = rec.command
    assert target.result is not None
    line = target.result.source.element_span(rec).line
    contexts = ", ".join(sorted(c.value for c in command.contexts)) or "none"
    message = (
        f"{what}, but {project.shown(target.path)} uses {command.name} on line"
        f" {line}, a command of context {contexts} only"
    )
    basis = command.context_fact(context)
    return basis.qualify(message), basis.stated


def _first_outside(
    project: ProjectContext, document: Document, context: Context
) -> Resolved | None:
    """The document's first command that the catalog says is not usable in `context`."""
    for rec in project.lint_context(document).records:
        command = rec.command
        if (
            command is not None
            and command.kind is ElementKind.COMMAND
            and command.context_known
            and command.in_ozml
            and command.contexts
            and context not in command.contexts
        ):
            return rec
    return None
