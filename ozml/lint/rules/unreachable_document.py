"""OZ812 unreachable-document: a document of the project no entry point leads to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.rule import Rule

if TYPE_CHECKING:
    from pathlib import Path  # annotations only: a lint of one file does without pathlib

    from ozml.lint.project import ProjectContext


class UnreachableDocument(Rule):
    """A document of the project that no chain of links leads to from an entry point.

    Runs only when the configuration maps URLs to files (``[urls]``) and names entry points
    (``[entry-points]``: the documents answering IncomingCall, CallChanged, ...; docs/project.md).
    The documents of the project are the entry points' documents, every file the URL map
    names (exact targets, files matching a pattern's target, files below a prefix's folder) and
    the checked files the links lead to. One that no link of a reachable document leads to is
    probably left over from an older version of the application, or its link is mistyped.

    A document that answers a request made from outside OzML (a Call placed through the HTTP
    API from your web application, whose Url answers CallConnected) is reached from no
    document: list it under its notification in ``[entry-points]``. The finding is a warning
    at the document's root element.

    The examples are ``app/example.xml``, the IncomingCall entry point of the example project
    (docs/project.md), beside ``app/menu.xml`` and an ``app/old.xml`` that the failing example
    no longer links to.

    Fails::

        <Response>
          <Speak>Welcome.</Speak>
          <GoTo>http://ivr.example.com/menu.php</GoTo>
        </Response>

    Passes::

        <Response>
          <UserInput>
            <InitialCommands><Speak>Press 1 or 2.</Speak></InitialCommands>
            <Inputs>
              <Input Key="1"><GoTo>http://ivr.example.com/menu.php</GoTo></Input>
              <Input Key="2"><GoTo>http://ivr.example.com/old.php</GoTo></Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ812"
    name = "unreachable-document"
    severity = Severity.WARNING
    project_rule = True
    example_files: ClassVar[dict[str, str]] = {
        "app/menu.xml": "<Response>\n  <Speak>Main menu.</Speak>\n</Response>\n",
        "app/old.xml": "<Response>\n  <Speak>The old menu.</Speak>\n</Response>\n",
    }

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        graph = project.project
        unreachable = graph.unreachable
        if not unreachable:
            return
        names = ", ".join(sorted(graph.entry_points))
        for document in unreachable:
            if not document.ok:
                continue
            assert document.result is not None
            assert document.result.document.root is not None
            root = document.result.document.root
            span = document.result.source.element_span(root)
            message = (
                f"{project.shown(document.path)} is reachable from no entry point ({names}):"
                " no chain of links from an entry point's document leads to it"
            )
            yield project.finding(self, document, message, span)
