"""The OzML language server: pygls wiring of the features in the sibling modules.

Every feature lives in its own module (completion, hover, symbols, variables, actions); this
module only registers handlers, keeps the open documents, and sends diagnostics.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ozml import __version__
from ozml.lsp import actions, completion, formatting, hover, symbols
from ozml.lsp.convert import UTF16
from ozml.lsp.documents import Analysis, DocumentStore, LintScheduler, OpenDocument
from ozml.lsp.linting import Linter
from ozml.lsp.settings import ServerOptions
from ozml.lsp.variables import Reference, Variables
from ozml.parser import parse

logger = logging.getLogger(__name__)

#: Allocations between two passes of the cyclic garbage collector (Python's default: 700).
GC_THRESHOLD = 50_000

#: Seconds to wait for the editor's answer to workspace/configuration.
CONFIGURATION_TIMEOUT = 10.0

#: Files whose change may change lint settings.
CONFIG_FILES = ("ozml.toml", "pyproject.toml")


class OzmlServer(LanguageServer):
    """A pygls server holding ozml's per-document state."""

    def __init__(self) -> None:
        super().__init__("ozml", __version__)
        self.options = ServerOptions()
        self.documents = DocumentStore()
        self.linter = Linter(lambda: self.options, self.report_problem)
        self.scheduler = LintScheduler(
            self.documents,
            self.linter.analyse,
            self.publish,
            lambda: self.options.debounce_ms / 1000,
        )
        self._variables: dict[str, tuple[str, Variables]] = {}
        #: The editor's options as given at start-up (`initializationOptions`).
        self.initial_options: object = None
        #: The event loop the protocol runs on (messages to the editor are sent from it).
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- state -------------------------------------------------------------------------------

    def set_options(self, raw: object) -> None:
        options, problems = ServerOptions.from_client(raw)
        self.options = options
        self.linter.invalidate()
        for problem in problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )

    def report_problem(self, message: str) -> None:
        """Show a problem to the user; callable from the lint thread too."""

        def show() -> None:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )

        if self._loop is None:
            show()
        else:
            self._loop.call_soon_threadsafe(show)

    async def pull_options(self) -> None:
        """Ask the editor for its ``ozml`` settings (the pull model most editors use).

        Settings found there win over `initializationOptions`; an editor without any keeps those.
        """
        ws = self.client_capabilities.workspace
        if not (ws and ws.configuration):
            return
        try:
            found = await asyncio.wait_for(
                self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section="ozml")])
                ),
                CONFIGURATION_TIMEOUT,
            )
        except Exception as error:  # an editor that refuses or never answers: keep what we have
            logger.info("workspace/configuration failed: %s", error)
            return
        pulled = found[0] if found else None
        if isinstance(pulled, dict) and pulled:
            base = self.initial_options if isinstance(self.initial_options, dict) else {}
            self.set_options({**base, **pulled})
            self.relint_all()

    def publish(self, doc: OpenDocument, analysis: Analysis) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=doc.uri, diagnostics=analysis.published, version=analysis.version
            )
        )

    def relint_all(self) -> None:
        self.linter.invalidate()
        self.scheduler.restart()

    def variables(self, doc: OpenDocument) -> Variables:
        """The variable index of the document's current text (kept until the text changes)."""
        cached = self._variables.get(doc.uri)
        if cached is not None and cached[0] is doc.text:
            return cached[1]
        known = self.linter.settings(doc.path).known_variables
        found = Variables(doc.scanned, known)
        self._variables[doc.uri] = (doc.text, found)
        return found

    @property
    def client(self) -> completion.Client:
        caps = self.client_capabilities.text_document
        snippets = bool(
            caps
            and caps.completion
            and caps.completion.completion_item
            and caps.completion.completion_item.snippet_support
        )
        formats = caps.hover.content_format if caps and caps.hover else None
        markdown = formats is None or types.MarkupKind.Markdown in formats
        return completion.Client(snippets=snippets, markdown=markdown)

    @property
    def versioned_edits(self) -> bool:
        ws = self.client_capabilities.workspace
        return bool(ws and ws.workspace_edit and ws.workspace_edit.document_changes)


def _encoding(server: OzmlServer) -> str:
    """The position encoding pygls agreed with the client (UTF-16 unless both prefer another)."""
    encoding = server.workspace.position_encoding
    if encoding is None:
        return UTF16
    return str(getattr(encoding, "value", encoding))


def build() -> OzmlServer:
    """A server with every feature registered."""
    server = OzmlServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: OzmlServer, params: types.InitializeParams) -> None:
        ls._loop = asyncio.get_running_loop()
        ls.documents.encoding = _encoding(ls)
        ls.initial_options = _section(params.initialization_options)
        ls.set_options(ls.initial_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: OzmlServer, params: types.InitializedParams) -> None:
        ws = ls.client_capabilities.workspace
        watch = (
            ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration
        )
        if watch:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="ozml-config-files",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=watchers
                            ),
                        )
                    ]
                )
            )
        await ls.pull_options()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: OzmlServer, params: None) -> None:
        ls.scheduler.shutdown()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: OzmlServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = _section(params.settings)
        if isinstance(settings, dict) and settings:
            ls.set_options(settings)  # the push model: the settings come with the event
            ls.relint_all()
        else:
            await ls.pull_options()  # the pull model: the event only says "ask again"

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: OzmlServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OzmlServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents.open(item.uri, item.text, item.version)
        ls.scheduler.request(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: OzmlServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return
        doc.apply(params.content_changes, params.text_document.version)
        ls.scheduler.request(doc.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: OzmlServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.endswith(tuple("/" + name for name in CONFIG_FILES)):
            ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OzmlServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.close(uri)
        ls._variables.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["<", "/", " ", '"', "'", "$"]),
    )
    def complete(ls: OzmlServer, params: types.CompletionParams) -> types.CompletionList | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        offset = doc.index.offset(params.position)
        context = ls.linter.settings(doc.path).context
        items = completion.complete(
            doc.text, doc.index, offset, context, ls.variables(doc), ls.client
        )
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: OzmlServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        offset = doc.index.offset(params.position)
        context = ls.linter.settings(doc.path).context
        return hover.hover(
            doc.scanned, doc.index, offset, context, ls.variables(doc), ls.client.markdown
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.SourceFixAll,
                actions.FIX_ALL,
            ]
        ),
    )
    async def code_action(
        ls: OzmlServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        analysis = await ls.scheduler.current(uri)
        doc = ls.documents.get(uri)
        if analysis is None or doc is None or analysis.version != doc.version:
            return None
        return actions.code_actions(
            uri, analysis, params.range, params.context.only, doc.encoding, ls.versioned_edits
        )

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def format_document(
        ls: OzmlServer, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        uri = params.text_document.uri
        analysis = await ls.scheduler.current(uri)
        doc = ls.documents.get(uri)
        if analysis is None or doc is None or analysis.version != doc.version:
            return None
        result = analysis.result or parse(doc.text, str(doc.path or doc.uri))
        edits = formatting.formatting_edits(result, doc.index)
        if edits is None:
            ls.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Info,
                    message=f"ozml: {uri} is not well-formed XML; not formatted",
                )
            )
        return edits

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: OzmlServer, params: types.DefinitionParams) -> list[types.Location] | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        variables = ls.variables(doc)
        target = variables.at(doc.index.offset(params.position))
        if target is None:
            return None
        defs = variables.resolve(target) if isinstance(target, Reference) else [target]
        located = [d for d in defs if d.located]
        return [
            types.Location(uri=doc.uri, range=doc.index.range(d.start, d.end)) for d in located[:1]
        ]

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: OzmlServer, params: types.ReferenceParams) -> list[types.Location] | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        variables = ls.variables(doc)
        target = variables.at(doc.index.offset(params.position))
        if target is None:
            return None
        spans = [(r.start, r.end) for r in variables.uses(target)]
        if params.context.include_declaration:
            spans += [(d.start, d.end) for d in variables.family(target) if d.located]
        return [
            types.Location(uri=doc.uri, range=doc.index.range(start, end))
            for start, end in sorted(set(spans))
        ]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(
        ls: OzmlServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        return symbols.symbols(doc.scanned, doc.index)

    return server


def _section(raw: Any) -> object:
    """The ``ozml`` section of a settings object, or the object itself when it has none."""
    if isinstance(raw, dict) and isinstance(raw.get("ozml"), dict):
        return raw["ozml"]
    return raw


def serve() -> None:
    """Speak LSP over standard input and output until the client says exit."""
    server = build()
    # A lint makes tens of thousands of short-lived, acyclic objects (the tree, its records);
    # the cyclic collector's frequent passes over them, and its full passes over everything
    # loaded at start-up, showed up as latency spikes. Objects of start-up are frozen out of
    # its view and it runs less often; reference counting still frees the trees at once.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 20)
    server.start_io()
