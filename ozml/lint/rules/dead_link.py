"""OZ811 dead-link: a link to a URL of the application that no file answers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.rule import Rule, Severities

if TYPE_CHECKING:
    # For annotations only: a lint of one file imports every rule, and pathlib (with
    # urllib.parse and ipaddress) costs it milliseconds (cold start, docs/performance.md).
    from pathlib import Path

    from ozml.lint.project import ProjectContext


class DeadLink(Rule):
    """A link to a URL of the application that no file answers.

    Runs only when the configuration maps URLs to files (``[urls]``, docs/project.md). A link is
    a URL parameter the PBX requests later: GoTo's Url, UserInput's ForwardToURL, Call's Url,
    ErrorUrl and FinishedUrl, Record's FinishedUrl, SendSms's DeliveryReportURL,
    SendAlarmNotification's ResultUrl. It is dead when an entry of the map covers its URL but
    the file the entry names does not exist (an error: the PBX would get no OzML there), or,
    for a dynamic link (``$variable`` or template part inside a ``{name}`` placeholder), when
    no file matches the target's glob.

    A URL on one of the application's own hosts (a scheme and host some entry names) that no
    entry covers is reported as a warning: the map is either incomplete or the link is wrong.
    URLs on other hosts are someone else's and are not reported; links whose dynamic part is
    outside any placeholder are not followed.

    The finding points at the link's attribute (or the element text) in the linking document;
    the message names the file that was expected. The examples are ``app/example.xml`` of the
    example project (docs/project.md), beside an ``app/menu.xml``.

    Fails::

        <Response>
          <GoTo>http://ivr.example.com/missing.php</GoTo>
        </Response>

    Passes::

        <Response>
          <GoTo>http://ivr.example.com/menu.php</GoTo>
        </Response>
    """

    code = "OZ811"
    name = "dead-link"
    severity = Severity.ERROR
    project_rule = True

    @classmethod
    def severities(cls) -> Severities:
        return Severities(
            Severity.ERROR,
            Severity.WARNING,
            "the URL is on the application's own host and no [urls] entry covers it, or the"
            " link's text is literal only by ozml's rule that a CDATA section holds no template"
            " part",
        )
    example_files: ClassVar[dict[str, str]] = {
        "app/menu.xml": "<Response>\n  <Speak>Main menu.</Speak>\n</Response>\n"
    }

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        from ozml.project.urlmap import TargetKind
        from ozml.templates import CDATA_ASSUMED, literal_in_cdata

        graph = project.project
        for edge in graph.edges:
            if not edge.dead:
                continue
            link, target = edge.link, edge.target
            source = graph.documents[edge.source]
            what = f"{link.label} {target.url}"
            if target.kind is TargetKind.DEAD:
                # Text that would be a template part but for its CDATA section (docs/templates.md).
                assumed = link.attribute is None and literal_in_cdata(
                    link.rec.element, link.result.templates
                )
                assert target.entry is not None
                expected = project.shown(target.expected)
                if target.dynamic:
                    message = (
                        f"{what} leads nowhere: the URL map sends it to {expected}"
                        f' ("{target.entry.url}"), and no file matches'
                    )
                else:
                    # A folder, a FIFO or a device in its place is not a document either.
                    state = (
                        "is not a regular file"
                        if os.path.lexists(target.expected)
                        else "does not exist"
                    )
                    message = (
                        f"{what} leads nowhere: the URL map sends it to {expected}"
                        f' ("{target.entry.url}"), which {state}'
                    )
                if assumed:
                    message = f"{message}; {CDATA_ASSUMED}"
                severity = Severity.WARNING if assumed else None
                yield project.finding(self, source, message, link.span, severity=severity)
            else:
                message = f"{what} is on the application's own host, but no [urls] entry covers it"
                yield project.finding(self, source, message, link.span, severity=Severity.WARNING)
