"""The deepest document a parser reads (256 levels, `ozml.limits.MAX_DEPTH`) goes through every
stage, the command line's and the language server's, with room to spare under Python's
recursion limit (1,000 frames): each stage that walks the tree by recursion may cost at most
two frames a level, so that a caller already deep in its own stack (a test runner, a web
framework, an editor's thread) still has 300 or more."""

from __future__ import annotations

from deadline import within


def test_the_deepest_document_in_700_frames() -> None:
    # Compiling for the dry run cost three frames a level (772 for 256 levels); the builder
    # three too (RecursionError at 250 levels).
    within(
        """
        import sys

        from ozml.flow import dot, mermaid
        from ozml.flow.collapse import collapse
        from ozml.flow.graph import Graph
        from ozml.flow.marks import document_flow
        from ozml.fixes import fix_result
        from ozml.formatter import format_result
        from ozml.interpreter.clock import VirtualClock
        from ozml.interpreter.dryrun import DryRunExecutor
        from ozml.interpreter.engine import Engine, EngineOptions
        from ozml.interpreter.inputs import ListInput
        from ozml.interpreter.program import compile_document
        from ozml.interpreter.trace import NullSink
        from ozml.limits import MAX_DEPTH
        from ozml.lint import LintSettings, lint_result
        from ozml.lsp.convert import LineIndex
        from ozml.lsp.documents import OpenDocument
        from ozml.lsp.formatting import formatting_edits
        from ozml.lsp.linting import Linter
        from ozml.lsp.scan import scan
        from ozml.lsp.settings import ServerOptions
        from ozml.lsp.symbols import symbols
        from ozml.parser import parse
        from ozml.writer import write
        import ozml.builder as b

        loops = MAX_DEPTH - 2  # inside the Response, around the Speak
        text = (
            '<Response><Array Id="a"><Item>x</Item></Array>'
            + '<ForEach Source="a">' * loops + "<Speak>$item</Speak>" + "</ForEach>" * loops
            + "</Response>"
        )
        node = b.Speak("deep")
        for _ in range(loops):
            node = b.ForEach("a", node)
        built = b.Response(b.Array("a", b.Item("x")), node)
        sys.setrecursionlimit(700)

        result = parse(text)
        assert result.problems == ()
        assert write(result.document) == format_result(result).text
        assert lint_result(result, LintSettings()) == []
        flow, _ = document_flow(parse(text), "deep.xml")
        assert mermaid.render(Graph([flow])) and dot.render(Graph([collapse(flow)]))
        program = compile_document(result.document, "deep.xml", result.source)
        engine = Engine(
            DryRunExecutor(), inputs=ListInput([]), clock=VirtualClock(), sink=NullSink(),
            options=EngineOptions(),
        )
        assert engine.run(program).steps > loops
        assert parse(str(built)).problems == ()

        linter = Linter(ServerOptions, lambda message: None)
        opened = OpenDocument("file:///deep.xml", text, 1)
        assert linter.analyse(opened, text, 1).published == []
        assert symbols(scan(text), LineIndex(text))
        assert formatting_edits(result, LineIndex(text)) is not None
        assert fix_result(parse(text), LintSettings()) is not None
        """,
        seconds=120.0,
    )
