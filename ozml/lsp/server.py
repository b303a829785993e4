"""The OzML language server: pygls wiring of the features in the sibling modules.

Every feature lives in its own module (completion, hover, symbols, variables, actions); this
module only registers handlers, keeps the open documents, and sends diagnostics.

Every request gets an answer, whatever the editor sends:

* a request whose parameters cannot be read (a negative or too large position, a wrong type)
  is answered with the JSON-RPC error InvalidParams (pygls alone answers nothing and logs a
  traceback); a notification that cannot be read is logged, and when it is an edit the document
  is dropped (its text is no longer the editor's) until the editor opens it again;
* positions past the end of a line or of the document, inside a surrogate pair, ranges whose
  start is after their end, and unknown documents are all answered (`ozml.lsp.convert` clamps
  positions; an unknown document gets the empty answer);
* a failure of ozml itself inside a handler is logged in one line and answered with the empty
  result, never with a traceback (`OzmlServer.feature`);
* a body that is not JSON is answered with JSON-RPC's ParseError, JSON that is not a JSON-RPC
  2.0 message and a request after shutdown with InvalidRequest (pygls answers none of them).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import cattrs
from cattrs.v import format_exception
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
)

from ozml import __version__
from ozml.gcpause import collect_less_often, collector_paused
from ozml.lsp import actions, completion, formatting, hover, scan, symbols
from ozml.lsp.convert import UTF16
from ozml.lsp.documents import Analysis, DocumentStore, LintScheduler, OpenDocument, path_of
from ozml.lsp.linting import Linter
from ozml.lsp.settings import ServerOptions
from ozml.lsp.stdin import BoundedNumbers
from ozml.lsp.variables import Reference, Variables
from ozml.parser import parse

logger = logging.getLogger(__name__)

#: Seconds to wait for the editor's answer to workspace/configuration.
CONFIGURATION_TIMEOUT = 10.0

#: Files whose change may change lint settings.
CONFIG_FILES = ("ozml.toml", "pyproject.toml")

#: JSON-RPC's error code for parameters that do not fit the method.
INVALID_PARAMS = -32602

#: JSON-RPC's error code for a message that is not a request (LSP: also a request after
#: shutdown).
INVALID_REQUEST = -32600

#: JSON-RPC's error code for a body that is not JSON.
PARSE_ERROR = -32700

F = TypeVar("F", bound=Callable[..., Any])


class _Unreadable:
    """Stands for a message whose parameters could not be read; already dealt with."""

    __slots__ = ()


_UNREADABLE = _Unreadable()


class Verbatim:
    """An answer already in the protocol's JSON form, sent as it is (`OzmlProtocol`): pygls
    converts an answer with cattrs, which recurses a few frames per level of nesting and takes
    longer than making a large answer (`ozml.lsp.symbols`)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


def _problems(error: Exception) -> str:
    """What was wrong with a message, in a line (cattrs names each bad field by its path)."""
    if isinstance(error, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        found = cattrs.transform_error(error, path="$", format_exception=_problem)
        return "; ".join(found[:3]) + ("; ..." if len(found) > 3 else "")
    return f"{type(error).__name__}: {error}"


def _problem(error: BaseException, expected: type | None) -> str:
    # lsprotocol's range checks say what they expected ("Position.line should be in range
    # [0:2147483647], but was -1"); cattrs' own words are kept for the rest.
    if type(error) is ValueError and " should be " in str(error):
        return str(error)
    return format_exception(error, expected)


def _log_failure(what: str, error: BaseException) -> None:
    """Log a failure in one line, with its traceback only where a log is kept (--log-file)."""
    logger.error(
        "%s failed: %s: %s",
        what,
        type(error).__name__,
        error,
        exc_info=error if logging.getLogger().handlers else None,
    )


class OzmlProtocol(LanguageServerProtocol):
    """pygls' protocol with an answer for every request it cannot read, and without pygls' own
    copy of each open document (`OzmlServer.documents` keeps the text; a second copy would
    double the memory and the work of every edit, and raise on an edit of an unknown document).
    """

    _server: OzmlServer

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Read one message (pygls calls this for every JSON object, innermost first)."""
        if "jsonrpc" not in data:
            return data
        try:
            if "id" in data:
                if "error" in data:
                    return self._converter.structure(data, types.ResponseErrorMessage)
                if "method" in data:
                    request = self.get_message_type(data["method"]) or JsonRPCRequestMessage
                    return self._converter.structure(data, request)
                response = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
                return self._converter.structure(data, response)
            notification = self.get_message_type(data.get("method", "")) or JsonRPCNotification
            return self._converter.structure(data, notification)
        except Exception as error:
            self._unreadable(data, error)
            return _UNREADABLE

    def _unreadable(self, data: dict[str, Any], error: Exception) -> None:
        method = data.get("method")
        problems = _problems(error)
        logger.warning("could not read a %s message: %s", method or "response", problems)
        msg_id = data.get("id")
        if isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
            msg_id = None
        if method is None:
            # The editor's answer to a request of ours: whoever awaits it gets an error now
            # rather than waiting for a timeout (unless nobody waits any more: shutdown
            # cancels every wait, and a cancelled future takes no error).
            future = self._request_futures.get(msg_id) if msg_id is not None else None
            if msg_id is not None and future is not None and not future.done():
                answer = types.ResponseError(code=INVALID_PARAMS, message=problems)
                self._handle_response(msg_id, None, answer)
            return
        if not isinstance(method, str):
            return
        if "id" in data:
            message = f"ozml could not read the parameters of {method}: {problems}"
            self._refuse(msg_id, message, INVALID_PARAMS)
        elif method == types.TEXT_DOCUMENT_DID_CHANGE:
            self._server.lost_track(data.get("params"), problems)

    def handle_message(self, message: Any) -> None:
        if message is _UNREADABLE:
            return
        if not hasattr(message, "jsonrpc"):  # JSON, but not a JSON-RPC object
            self._not_a_message(message)
            return
        method = getattr(message, "method", None)
        if hasattr(message, "id") and isinstance(method, str):  # a request
            if message.jsonrpc != self.VERSION:
                self._refuse(message.id, f"ozml speaks JSON-RPC 2.0, not {message.jsonrpc!r}")
                return
            if self._shutdown and method != types.EXIT:
                # The protocol asks for InvalidRequest; pygls answers nothing.
                self._refuse(message.id, f"the server is shut down; {method} is not answered")
                return
        super().handle_message(message)

    def _refuse(self, msg_id: int | str | None, message: str, code: int = INVALID_REQUEST) -> None:
        """Answer with an error, as JSON (pygls leaves out an identifier that is None, where
        JSON-RPC answers ``"id": null`` to a request whose identifier it cannot read)."""
        error = {"code": code, "message": message}
        self._send_data({"jsonrpc": self.VERSION, "id": msg_id, "error": error})

    def _not_a_message(self, data: object) -> None:
        """Answer JSON that is not a JSON-RPC message (an array, a number, an object without
        ``jsonrpc``) with InvalidRequest, as JSON-RPC asks: under its ``id`` when it has one
        that can be read, else null. What looks like an answer of the editor's is only
        logged: an answer is never answered."""
        logger.warning("not a JSON-RPC message: %.200r", data)
        msg_id = None
        if isinstance(data, dict):
            if "method" not in data and ("result" in data or "error" in data):
                return
            msg_id = data.get("id")
        if isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
            msg_id = None
        self._refuse(msg_id, "not a JSON-RPC 2.0 message (an object with \"jsonrpc\": \"2.0\")")

    def _serialize_message(self, data: Any) -> Any:
        if isinstance(data, JsonRPCResponseMessage) and isinstance(data.result, Verbatim):
            return {"id": data.id, "jsonrpc": data.jsonrpc, "result": data.result.value}
        return super()._serialize_message(data)

    # pygls keeps every open document in its workspace by these handlers; ozml keeps its own.
    # They are plain calls, not generators as pygls' are: pygls keeps the future of a generator
    # (or coroutine) handler of a notification in `_request_futures` under a fresh identifier
    # and never removes it, which cost about 1.8 KB per keystroke (`_execute_handler` below
    # removes such futures too, for the handlers that must stay coroutines).

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            handler(params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            handler(params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            handler(params)

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        """pygls' `_execute_handler`, after which the future it may have kept for the handler
        is removed from `_request_futures` when it finishes. pygls removes a request's when it
        answers, but never a notification's (a coroutine handler's such as ``initialized`` or
        ``workspace/didChangeConfiguration``, or a generator's), nor that of each step of a
        generator handler, each kept under a fresh identifier: the table grew with every
        such message for as long as the server ran."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(functools.partial(self._finished, msg_id))

    def _finished(self, msg_id: Any, future: Any) -> None:
        # Later, not now: a future cancelled at shutdown calls this while pygls walks the table.
        try:
            asyncio.get_running_loop().call_soon(self._drop, msg_id, future)
        except RuntimeError:  # no event loop in this thread
            self._drop(msg_id, future)

    def _drop(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]


def _guarded(name: str, handler: F) -> F:
    """`handler` answering with the empty result (None) when ozml itself fails in it.

    A handler that is not a coroutine runs with the cyclic garbage collector paused
    (`ozml.gcpause`): what it makes (symbols, completions, actions, edits) lives on until the
    answer is sent, and the collector walked it again and again (hover on a 20,000-element
    document took 1.16 times as long with it on, code actions over 25,600 findings 1.7 times).
    A coroutine is not paused: others run while it waits."""
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def guarded_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except Exception as error:
                _log_failure(name, error)
                return None

        return guarded_async  # type: ignore[return-value]

    @functools.wraps(handler)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            with collector_paused():
                return handler(*args, **kwargs)
        except Exception as error:
            _log_failure(name, error)
            return None

    return guarded  # type: ignore[return-value]


class OzmlServer(LanguageServer):
    """A pygls server holding ozml's per-document state."""

    def __init__(self, *, config_file: Path | None = None, isolated: bool = False) -> None:
        super().__init__("ozml", __version__, protocol_cls=OzmlProtocol)
        self.options = ServerOptions()
        self.documents = DocumentStore()
        self.linter = Linter(
            lambda: self.options,
            self.report_problem,
            config_file=config_file,
            isolated=isolated,
            note=self.log_note,
        )
        self.scheduler = LintScheduler(
            self.documents,
            self.linter.analyse,
            self.publish,
            lambda: self.options.debounce_ms / 1000,
            lambda doc: self.linter.forget(doc.path),
        )
        self._variables: dict[str, tuple[str, Variables]] = {}
        #: The editor's options as given at start-up (`initializationOptions`).
        self.initial_options: object = None
        #: The event loop the protocol runs on (messages to the editor are sent from it).
        self._loop: asyncio.AbstractEventLoop | None = None
        #: Standard input as `serve` reads it (None when the protocol is driven otherwise).
        self.stdin: BoundedNumbers | None = None
        #: The folders whose configurations' ``max-bytes`` set the largest message read
        #: (`follow_max_bytes`): the working directory, then the workspace's folders.
        self.roots: list[Path] = _working_directory()

    def feature(self, feature_name: str, options: Any | None = None) -> Callable[[F], F]:
        """Register a handler (as pygls does), guarded by `_guarded`."""
        register = super().feature(feature_name, options)

        def decorator(handler: F) -> F:
            return register(_guarded(feature_name, handler))

        return decorator

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message pygls could not handle: logged (pygls would also pop up an error). A body
        that is not JSON (pygls' reader reports it with `JsonRpcException` as the source)
        is answered with JSON-RPC's ParseError, to the identifier null as JSON-RPC asks."""
        _log_failure("handling a message", error)
        protocol = self.protocol
        unreadable = source is JsonRpcException and isinstance(error, ValueError | RecursionError)
        if unreadable and isinstance(protocol, OzmlProtocol):
            protocol._refuse(None, f"ozml could not read a message: {error}", PARSE_ERROR)

    # -- state -------------------------------------------------------------------------------

    def lost_track(self, params: object, problems: str) -> None:
        """An edit could not be read: the document's text is no longer the editor's. Drop it
        (and its diagnostics) until the editor opens it again, and say so."""
        uri = None
        if isinstance(params, dict) and isinstance(params.get("textDocument"), dict):
            uri = params["textDocument"].get("uri")
        if not isinstance(uri, str) or self.documents.get(uri) is None:
            return
        self.forget(uri)
        self.report_problem(
            f"ozml: an edit of {uri} could not be read ({problems}); close and reopen the"
            " document to lint it again"
        )

    def forget(self, uri: str) -> None:
        """Stop tracking a document, drop what is kept for it, and clear its diagnostics."""
        doc = self.documents.get(uri)
        self.documents.close(uri)
        self._variables.pop(uri, None)
        scan.forget()  # the scanner's last readings may be of this document's texts
        if doc is not None:
            self.linter.forget(doc.path)  # made again if another document has the same file
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def set_options(self, raw: object) -> bool:
        """Use the editor's options `raw`; whether they differ from those in use."""
        options, problems = ServerOptions.from_client(raw)
        changed = options != self.options
        self.options = options
        if changed:
            self.linter.invalidate()
        for problem in problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )
        return changed

    def report_problem(self, message: str) -> None:
        """Show a problem to the user; callable from the lint thread too."""
        self._on_loop(
            lambda: self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )
        )

    def log_note(self, message: str) -> None:
        """Write a note to the editor's log (not shown as a message); callable from the lint
        thread too."""
        self._on_loop(
            lambda: self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Info, message=message)
            )
        )

    def _on_loop(self, send: Callable[[], None]) -> None:
        """Run `send` (a notification to the client) on the event loop's thread."""
        if self._loop is None:
            send()
        else:
            self._loop.call_soon_threadsafe(send)

    async def pull_options(self) -> None:
        """Ask the editor for its ``ozml`` settings (the pull model most editors use).

        Settings found there win over `initializationOptions`, option by option
        (`apply_workspace_options`); an empty section (``{}`` or null: nothing set there)
        means `initializationOptions`, and the defaults for what those do not set. An editor
        that refuses or never answers leaves the options as they are.
        """
        if not self.can_pull:
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
        self.apply_workspace_options(found[0] if found else None)

    @property
    def can_pull(self) -> bool:
        """Whether the editor answers workspace/configuration."""
        ws = self.client_capabilities.workspace
        return bool(ws and ws.configuration)

    def apply_workspace_options(self, section: object) -> None:
        """Use the workspace's ``ozml`` section over `initializationOptions`, option by option,
        and lint every document again if that changes the options in use. An option the
        section gives replaces the start-up one, also when it is null or empty (cleared: its
        default); one it leaves out keeps it. None and ``{}`` give none."""
        base = self.initial_options if isinstance(self.initial_options, Mapping) else {}
        if section is None:
            section = {}
        if self.set_options({**base, **section} if isinstance(section, Mapping) else section):
            self.relint_all()

    def publish(self, doc: OpenDocument, analysis: Analysis) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=doc.uri, diagnostics=analysis.published, version=analysis.version
            )
        )

    def follow_max_bytes(self) -> None:
        """Let standard input carry the documents that the configurations of `roots` have
        linted: its message limit follows their largest ``max-bytes`` (`ozml.lsp.stdin`)."""
        if self.stdin is not None:
            self.stdin.allow(self.linter.largest_max_bytes(self.roots))

    def follow_document(self, doc: OpenDocument) -> None:
        """Let standard input carry the next messages of `doc` (its changes in full) at the
        size its configuration's ``max-bytes`` lints, a subfolder's configuration included."""
        if self.stdin is not None:
            self.stdin.allow(self.linter.settings(doc.path).max_bytes)

    def add_roots(self, uris: Sequence[str | None]) -> None:
        """Count the folders of `uris` (the workspace's) among `roots`."""
        for uri in uris:
            folder = path_of(uri) if uri else None
            if folder is not None and folder not in self.roots:
                self.roots.append(folder)
        self.follow_max_bytes()

    def relint_all(self) -> None:
        self.linter.invalidate()
        self._variables.clear()  # made with the old settings (known variables, templates)
        self.scheduler.restart()

    def variables(self, doc: OpenDocument) -> Variables:
        """The variable index of the document's current text (kept until the text changes)."""
        cached = self._variables.get(doc.uri)
        if cached is not None and cached[0] is doc.text:
            return cached[1]
        settings = self.linter.document_settings(doc)
        found = Variables(
            doc.scanned(settings.templates), settings.known_variables, settings.templates
        )
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


def _working_directory() -> list[Path]:
    """The folder the server runs in, where an editor starts it in its workspace (none when it
    was removed)."""
    try:
        return [Path.cwd()]
    except OSError:
        return []


def build(*, config_file: Path | None = None, isolated: bool = False) -> OzmlServer:
    """A server with every feature registered; `config_file` and `isolated` are ``ozml lsp
    --config FILE`` and ``--isolated``, as for ``ozml check``."""
    server = OzmlServer(config_file=config_file, isolated=isolated)

    @server.feature(types.INITIALIZE)
    def initialize(ls: OzmlServer, params: types.InitializeParams) -> None:
        ls._loop = asyncio.get_running_loop()
        ls.documents.encoding = _encoding(ls)
        ls.initial_options = _section(params.initialization_options)
        ls.set_options(ls.initial_options)
        # Before the first document is read: its message may be as large as the workspace's
        # max-bytes allows.
        root = params.root_uri or (Path(params.root_path).as_uri() if params.root_path else None)
        ls.add_roots([root, *(folder.uri for folder in params.workspace_folders or ())])

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
        raw = params.settings
        if isinstance(raw, dict) and "ozml" in raw:
            # The push model: the section comes with the event ({} or null: cleared).
            ls.apply_workspace_options(raw["ozml"])
        elif isinstance(raw, dict) and raw:
            ls.apply_workspace_options(raw)  # the section's content itself
        elif ls.can_pull:
            await ls.pull_options()  # the pull model: the event only says "ask again"
        else:
            ls.apply_workspace_options(None)  # nothing set, and nothing to ask: the defaults

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: OzmlServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()
        ls.follow_max_bytes()  # a configuration may raise max-bytes

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(
        ls: OzmlServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        ls.add_roots([folder.uri for folder in params.event.added or ()])

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: OzmlServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        doc = ls.documents.open(item.uri, item.text, item.version)
        ls.follow_document(doc)
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
        uri = params.text_document.uri
        config = ls.linter.config_file
        if uri.endswith(tuple("/" + name for name in CONFIG_FILES)) or (
            config is not None and path_of(uri) == config.resolve()
        ):
            ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: OzmlServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["<", "/", " ", '"', "'", "$"]),
    )
    def complete(ls: OzmlServer, params: types.CompletionParams) -> types.CompletionList | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        offset = doc.index.offset(params.position)
        settings = ls.linter.document_settings(doc)
        # The cursor is found from the last scan and the text after it; the variable index (a
        # scan of the whole text) is made only when variables are offered.
        items = completion.complete(
            doc.text,
            doc.index,
            offset,
            settings.context,
            lambda: ls.variables(doc),
            ls.client,
            doc.known_scan(settings.templates),
            settings.templates,
        )
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: OzmlServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        offset = doc.index.offset(params.position)
        settings = ls.linter.document_settings(doc)
        # As completion: the token under the cursor from the last scan and the text after it;
        # the variable index only when the cursor may be on a variable.
        return hover.hover(
            None,
            doc.index,
            offset,
            settings.context,
            lambda: ls.variables(doc),
            ls.client.markdown,
            doc.known_scan(settings.templates),
            settings.templates,
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
        found = await ls.scheduler.linted(uri)  # the lint of the text the editor has now
        if found is None:
            return None
        doc, analysis = found
        return actions.code_actions(
            uri,
            analysis,
            _ordered(params.range),
            params.context.only,
            doc.encoding,
            ls.versioned_edits,
        )

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    async def format_document(
        ls: OzmlServer, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit] | None:
        uri = params.text_document.uri
        found = await ls.scheduler.linted(uri)  # the lint of the text the editor has now
        if found is None:
            return None
        doc, analysis = found
        if ls.linter.excluded(doc):
            return None
        if analysis.result is not None:
            result = analysis.result
        else:  # the quick check proved it clean without parsing: parse as the lint would have
            settings = ls.linter.document_settings(doc)
            result = parse(
                doc.text,
                str(doc.path or doc.uri),
                max_bytes=settings.max_bytes,
                templates=settings.templates,
            )
        edits = formatting.formatting_edits(
            result, doc.index, options=ls.linter.format_options(doc)
        )
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
    def document_symbols(ls: OzmlServer, params: types.DocumentSymbolParams) -> Verbatim | None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return None
        scanned = doc.scanned(ls.linter.document_settings(doc).templates)
        return Verbatim(symbols.symbols(scanned, doc.index))  # DocumentSymbol[] as JSON

    return server


def _ordered(rng: types.Range) -> types.Range:
    """`rng` with its ends in order (an editor may send them the other way round)."""
    start, end = rng.start, rng.end
    if (start.line, start.character) > (end.line, end.character):
        return types.Range(end, start)
    return rng


def _section(raw: Any) -> object:
    """The ``ozml`` section of a settings object, or the object itself when it has none."""
    if isinstance(raw, dict) and isinstance(raw.get("ozml"), dict):
        return raw["ozml"]
    return raw


def serve(*, config_file: Path | None = None, isolated: bool = False) -> int:
    """Speak LSP over standard input and output until the client says exit; the exit status
    the protocol asks for: 0 after a shutdown request, 1 when exit came without one."""
    server = build(config_file=config_file, isolated=isolated)
    # A lint makes tens of thousands of short-lived, acyclic objects (the tree, its records);
    # the cyclic collector's frequent passes over them, and its full passes over everything
    # loaded at start-up, showed up as latency spikes. Objects of start-up are frozen out of
    # its view and it runs less often; reference counting still frees the trees at once.
    gc.freeze()
    collect_less_often()
    try:
        # Numbers of more digits than Python reads become numbers out of range, so that the
        # request holding one is answered; a message is read up to the limit that the largest
        # max-bytes configured sets (ozml.lsp.stdin).
        server.stdin = BoundedNumbers(sys.stdin.buffer)
        server.follow_max_bytes()
        server.start_io(stdin=server.stdin)  # type: ignore[arg-type]
    finally:
        # pygls closes standard output when the editor says exit; whatever flushes it after
        # that (the interpreter at exit does) must find an open stream.
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None and buffer.closed:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
