"""`ozml completion SHELL`: the tab-completion script for bash, zsh or fish.

Completion is answered by ozml's own argument parser (through argcomplete), so it always offers
exactly the subcommands, options and choices of the installed version. The script printed here
asks ``ozml`` for completions with the ``_ARGCOMPLETE`` environment variable set; `complete`
answers and ends the process. Rule codes and command names are offered where an option takes
them (``ozml rule OZ2<TAB>``, ``--select``).

Installing it (docs/cli.md#shell-completion)::

    ozml completion bash > ~/.local/share/bash-completion/completions/ozml
    ozml completion zsh > "${fpath[1]}/_ozml"
    ozml completion fish > ~/.config/fish/completions/ozml.fish
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from ozml.cli.common import one_of
from ozml.cli.exits import OK

HELP = "Print the shell completion script for bash, zsh or fish."

SHELLS = ("bash", "zsh", "fish")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", **one_of(SHELLS), metavar="SHELL", help="bash, zsh or fish")


def run(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["ozml"], shell=args.shell))
    return OK


def _rule_codes(**_: Any) -> Iterable[str]:
    from ozml.lint import registry

    return [*registry.BY_CODE, *sorted(registry.BY_NAME)]


def _command_names(**_: Any) -> Iterable[str]:
    from ozml.catalog import COMMANDS

    return sorted(command.name for command in COMMANDS)


#: Destination of an argument → what completes it (beyond argparse's own choices).
COMPLETERS = {
    "rule": _rule_codes,
    "select": _rule_codes,
    "extend_select": _rule_codes,
    "ignore": _rule_codes,
    "name": _command_names,
}


def _attach(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:  # argparse has no public walk
        completer = COMPLETERS.get(action.dest)
        if completer is not None and not action.choices:
            action.completer = completer  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                _attach(sub)


def complete(parser: argparse.ArgumentParser) -> NoReturn:
    """Answer the shell's completion request for `parser`, and end the process."""
    import os

    import argcomplete

    _attach(parser)
    argcomplete.autocomplete(parser, always_complete_options="long")
    # argcomplete returns only when the request was not for this program.
    sys.stdout.flush()
    os._exit(OK)
