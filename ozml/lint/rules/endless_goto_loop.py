"""OZ813 endless-goto-loop: documents that GoTo each other with nothing on the way to stop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.rule import Rule

if TYPE_CHECKING:
    from pathlib import Path  # annotations only: a lint of one file does without pathlib

    from ozml.lint.project import ProjectContext

#: How many documents of a loop a message names.
_SHOWN = 5


class EndlessGotoLoop(Rule):
    """A GoTo that closes a loop a call goes round for ever.

    Runs only when the configuration maps URLs to files (``[urls]``, docs/project.md). GoTo
    fetches OzML from its URL and continues with it at once, on the same call (spec §4
    [oz4801]). A loop of documents, each of which reaches its GoTo to the next without waiting
    or ending, never ends: nobody can press a key, and nothing hangs up.

    A GoTo counts when it is a direct child of the root (not inside a UserInput's Input, run
    only when a key is pressed, nor a ForEach) and no command before it in the root stops the
    call from going on by itself: UserInput (waits for keys [oz4693]), Hangup, Reject, Exit, a
    transfer (BlindTransfer, ForwardCall, AttendedTransfer: the call leaves the script),
    Route or WaitForMsg. A document whose structure a template part may change (a
    ``<?php if ... ?>`` or ``{% if %}`` outside attribute values) is never counted, nor is a
    dynamic GoTo. A UserInput's ForwardToURL is requested only after the caller pressed keys, so
    a menu that loops back through it is not endless.

    The vendor documents no limit on GoTo fetches, so this is a warning whose message says it
    is assumed. It is reported at every GoTo on the loop. The examples are ``app/example.xml``
    of the example project (docs/project.md), which ``http://ivr.example.com/example.php``
    answers.

    Fails::

        <Response>
          <Speak>Please hold.</Speak>
          <GoTo>http://ivr.example.com/example.php</GoTo>
        </Response>

    Passes::

        <Response>
          <UserInput Timeout="10">
            <InitialCommands><Speak>Press 1 to hear this again.</Speak></InitialCommands>
            <Inputs>
              <Input Key="1"><GoTo>http://ivr.example.com/example.php</GoTo></Input>
            </Inputs>
          </UserInput>
        </Response>
    """

    code = "OZ813"
    name = "endless-goto-loop"
    severity = Severity.WARNING
    project_rule = True

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        graph = project.project
        for members, edges in graph.endless_cycles():
            names = sorted(project.shown(graph.documents[i].path) for i in members)
            listed = ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")
            for edge in edges:
                source = graph.documents[edge.source]
                link = edge.link
                if edge.targets[0] == edge.source:
                    loop = f"it leads back to {project.shown(source.path)} itself"
                else:
                    loop = f"the call goes round {listed} for ever"
                message = (
                    f"GoTo {link.value} loops with no UserInput, Hangup or transfer on the way:"
                    f" {loop}; assumed: the vendor documents no limit on GoTo (spec §4 [oz4801])"
                )
                yield project.finding(self, source, message, link.span)
