"""`ozml lsp`: the language server for editors, over standard input and output."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import Any

from ozml.cli.common import add_config_options, cannot_write, config_choice, error, nonempty
from ozml.cli.exits import USAGE

HELP = "Run the OzML language server over stdio (for editors; needs ozml[lsp])."

DESCRIPTION = """\
Run the OzML language server, speaking the Language Server Protocol over standard input and
output: diagnostics as you type, completion, hover, code actions, formatting, go-to-definition
and references for $variables, and an outline. Editors start it themselves; see docs/editors.md.
Each document is linted with the configuration `ozml check` would use for its file (or the one
--config names, or none with --isolated).
It needs the lsp extra: pip install 'ozml[lsp]'."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.add_argument(
        "--stdio",
        action="store_true",
        help="speak over standard input and output (the default; editors may pass it)",
    )
    parser.add_argument(
        "--log-file",
        metavar="PATH",
        type=nonempty,
        help="write the server's log to PATH (standard output carries the protocol)",
    )
    add_config_options(parser, what="every document's settings")


def missing_extra() -> str | None:
    """What is missing for the language server, if anything."""
    for module in ("pygls", "lsprotocol"):
        try:
            found = importlib.util.find_spec(module)
        except (ImportError, ValueError):  # a broken or blocked installation counts as missing
            found = None
        if found is None:
            return module
    return None


def _pygls_log_in_one_line() -> None:
    """Without a log file, what pygls logs at WARNING and above goes to standard error one
    line each, as ozml's own failures do (`ozml.lsp.server._log_failure`): Python's last-resort
    handler would add the traceback of pygls' own ``logger.exception`` (for a message body that
    is not JSON)."""
    import logging

    class OneLine(logging.Formatter):
        def formatException(self, ei: Any) -> str:
            return ""

        def formatStack(self, stack_info: str) -> str:
            return ""

    one_line = logging.StreamHandler()
    one_line.setLevel(logging.WARNING)
    one_line.setFormatter(OneLine("%(message)s"))
    pygls_log = logging.getLogger("pygls")
    pygls_log.addHandler(one_line)
    pygls_log.propagate = False


def run(args: argparse.Namespace) -> int:
    missing = missing_extra()
    if missing is not None:
        print(
            f"ozml lsp: the language server needs {missing}, which is not installed;"
            " install ozml[lsp] (pip install 'ozml[lsp]')",
            file=sys.stderr,
        )
        return USAGE
    import logging

    config_file, isolated = config_choice(args)
    if config_file is not None and not isolated:
        # Read now, as `ozml check` does: a missing or bad file is a usage error before any
        # editor traffic, not a surprise on the first document.
        from ozml.config import ConfigError, load_explicit

        try:
            load_explicit(config_file)
        except ConfigError as problem:
            return error(str(problem))
    if args.log_file:
        try:
            from ozml.atomic import open_append

            stream = open(open_append(args.log_file), "a", encoding="utf-8")  # noqa: SIM115
            handler: logging.Handler = logging.StreamHandler(stream)
        except OSError as problem:
            return cannot_write(args.log_file, problem)
        logging.basicConfig(level=logging.INFO, handlers=[handler])
    else:
        _pygls_log_in_one_line()
    from ozml.lsp.server import serve

    return serve(config_file=config_file, isolated=isolated)
