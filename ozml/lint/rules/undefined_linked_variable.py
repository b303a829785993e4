"""OZ814 undefined-linked-variable: a variable a fetched document uses that no document defines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from ozml.catalog.values import variable_key
from ozml.catalog.variables import RECEIVED, supplied_variables
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.rule import Rule
from ozml.lint.variables import Analysis, Use, analyse, is_item, use_finding, use_span

if TYPE_CHECKING:
    from pathlib import Path  # annotations only: a lint of one file does without pathlib

    from ozml.lint.project import ProjectContext
    from ozml.project.graph import Project

#: How many linking documents a message names.
_SHOWN = 3


class UndefinedLinkedVariable(Rule):
    """A ``$variable`` a fetched document uses that no document on any path to it defines.

    Runs only when the configuration maps URLs to files (``[urls]``, docs/project.md). A
    document some link leads to (a GoTo target, a UserInput's ForwardToURL, ...) may use a
    variable that an earlier document defined with Var or Array. undefined-variable (OZ701)
    cannot see the earlier documents, so in a fetched document this rule takes over the uses of
    names the document defines nowhere: it reports those that no document with a chain of links
    to this one defines either, and OZ701 reports them no more (it still reports a use before
    the document's own Var, and everything in documents no link leads to).

    Whether the PBX keeps variables across a GoTo or a notification is not documented (spec §3:
    UNKNOWN). ozml assumes they may survive, so a name defined upstream is accepted, and this
    rule is a warning whose message says so. Names the configuration's ``known-variables``
    lists, and those the PBX supplies in the document's context, are always defined.

    The examples are ``app/example.xml`` of the example project (docs/project.md); the finding
    is in ``app/greet.xml``, which says ``<Speak>You chose $choice.</Speak>``.

    Fails::

        <Response>
          <GoTo>http://ivr.example.com/greet.php</GoTo>
        </Response>

    Passes::

        <Response>
          <Var Id="choice">sales</Var>
          <GoTo>http://ivr.example.com/greet.php</GoTo>
        </Response>
    """

    code = "OZ814"
    name = "undefined-linked-variable"
    severity = Severity.WARNING
    project_rule = True
    example_files: ClassVar[dict[str, str]] = {
        "app/greet.xml": "<Response>\n  <Speak>You chose $choice.</Speak>\n</Response>\n"
    }

    def check_project(self, project: ProjectContext) -> Iterator[tuple[Path, Diagnostic]]:
        graph = project.project
        wanted: dict[int, list[Use]] = {}
        names: dict[str, int] = {}
        for document in graph:
            if not document.ok or not graph.fetched(document.index):
                continue
            uses = _undefined_here(project, document.index)
            if uses:
                wanted[document.index] = uses
                for use in uses:
                    names.setdefault(variable_key(use.name), len(names))
        if not wanted:
            return
        upstream = _upstream(project, graph, names)
        for index, uses in wanted.items():
            document = graph.documents[index]
            ctx = project.lint_context(document)
            spans = project.handed_over.setdefault(index, set())
            linking = sorted(
                {project.shown(graph.documents[e.source].path) for e in graph.incoming(index)}
            )
            shown = ", ".join(linking[:_SHOWN]) + (", ..." if len(linking) > _SHOWN else "")
            for use in uses:
                span = use_span(ctx, use)
                spans.add((span.line, span.column))
                if upstream[index] >> names[variable_key(use.name)] & 1:
                    continue
                message = (
                    f"${use.name} is defined neither here nor in any document that leads here"
                    f" ({shown}); assumed: variables may survive a GoTo or a notification,"
                    " which the vendor does not document (spec §3)"
                )
                path, found = project.finding(self, document, message, span)
                yield path, use_finding(ctx, use, found)


def _undefined_here(project: ProjectContext, index: int) -> list[Use]:
    """The uses OZ701 would report as "not defined" (the name is defined nowhere in the
    document): the ones this rule takes over."""
    document = project.project.documents[index]
    ctx = project.lint_context(document)
    analysis = analyse(ctx)
    if not analysis.uses or analysis.dynamic_variables:
        return []
    settings = ctx.settings
    known = {variable_key(n) for n in settings.known_variables}
    known |= supplied_variables(settings.context) | analysis.undocumented_names
    found = []
    for use in analysis.uses:
        lowered = variable_key(use.name)
        if lowered in known or is_item(use) or lowered in RECEIVED:
            continue
        if analysis.variables.get(lowered) or analysis.arrays.get(lowered):
            continue
        found.append(use)
    return found


def _defines(analysis: Analysis, names: dict[str, int], everything: int) -> int:
    if analysis.dynamic_variables:
        return everything
    mask = 0
    for table in (analysis.variables, analysis.arrays):
        for name in table:
            bit = names.get(name)
            if bit is not None:
                mask |= 1 << bit
    return mask


def _upstream(project: ProjectContext, graph: Project, names: dict[str, int]) -> list[int]:
    """Per document, the wanted names (bits of `names`) some document with a chain of links
    to it defines: one pass over the strongly connected components in topological order."""
    everything = (1 << len(names)) - 1
    count = len(graph.documents)
    defines = [0] * count
    for document in graph:
        if document.ok and document.links:
            defines[document.index] = _defines(
                analyse(project.lint_context(document)), names, everything
            )
    components = graph.components()
    where = [0] * count
    for number, members in enumerate(components):
        for index in members:
            where[index] = number
    inside = [0] * len(components)
    reached = [0] * len(components)
    for number, members in enumerate(components):
        for index in members:
            inside[number] |= defines[index]
    # A component with a cycle reaches its own members.
    for edge in graph.edges:
        for target in edge.targets:
            if where[target] == where[edge.source]:
                reached[where[target]] |= inside[where[target]]
    outgoing: list[list[int]] = [[] for _ in components]
    for edge in graph.edges:
        for target in edge.targets:
            if where[target] != where[edge.source]:
                outgoing[where[edge.source]].append(where[target])
    # Tarjan's algorithm gives the components sinks first: walk them sources first.
    for number in range(len(components) - 1, -1, -1):
        carried = inside[number] | reached[number]
        for following in outgoing[number]:
            reached[following] |= carried
    return [reached[where[index]] for index in range(count)]
