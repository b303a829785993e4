"""Which files are scenarios.

A scenario file is a ``*.scenario.toml`` file anywhere, or any ``*.toml`` file under a folder
named ``scenarios`` (at any depth below it: ``scenarios/web/sales.toml``). Configuration files
(``ozml.toml``, ``pyproject.toml``) never are. `is_scenario_file` is that definition, for
``ozml test`` and for the pytest plugin alike.

Folders are walked by `ozml.files.discover`, the walk of ``ozml check``: no symbolic link to a
folder followed, version control, environments and tool caches skipped
(`ozml.files.DEFAULT_EXCLUDE`), and what ``.gitignore``/``.ignore`` files and git's excludes
ignore left out unless `respect_gitignore` is off. The scenarios of one folder come in one name
order of folders and files together, as pytest collects them. A file named on the command line
is always taken, whatever its name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

#: Never scenarios, even under a ``scenarios`` folder.
NOT_SCENARIOS = frozenset({"ozml.toml", "pyproject.toml"})
SCENARIO_SUFFIX = ".scenario.toml"
SCENARIOS_FOLDER = "scenarios"


def is_scenario_file(path: Path, under_scenarios: bool) -> bool:
    """Whether a file found in a folder is a scenario (`under_scenarios`: some folder above
    it, inside the searched tree or the searched folder itself, is named ``scenarios``)."""
    name = path.name
    if name in NOT_SCENARIOS or not name.endswith(".toml"):
        return False
    return name.endswith(SCENARIO_SUFFIX) or under_scenarios


#: How `ozml.files.discover` says a folder or glob held no file.
_WALK_FOUND_NOTHING = ("no matching files in this folder", "no file matches this glob")


def _under_scenarios(path: str) -> bool:
    return SCENARIOS_FOLDER in Path(os.path.abspath(path)).parent.parts


def discover_scenarios(
    paths: Sequence[Path],
    warn: Callable[[str], None] | None = None,
    *,
    respect_gitignore: bool = True,
    fail: Callable[[str], None] | None = None,
) -> list[Path]:
    """The scenario files of `paths` (files as given, folders searched), each once, in order.

    A folder holding no scenario is told to `warn`; a path that does not exist and a folder or
    file of a walk that cannot be read are told to `fail` (``PATH: REASON``, as ``ozml check``
    says them), or to `warn` without it.
    """
    from ozml.files import GLOB_CHARS, Found, Ignores, Matcher, discover, unreadable

    told = warn if warn is not None else (lambda message: None)
    failed = fail if fail is not None else told
    matcher = Matcher(["*.toml"])
    ignores = Ignores(told) if respect_gitignore else None
    found: list[Path] = []
    seen: set[str] = set()
    for given in paths:
        text = os.fspath(given)
        missing: OSError | None = None
        try:
            os.lstat(text)
        except OSError as error:  # none there, or a name the system refuses (too long)
            missing = error
        exists = missing is None
        # A glob (a PATH that does not exist but holds *, ? or [) is expanded as `ozml check`
        # expands it: its files are taken as a folder's are.
        walked = (os.path.isdir(text) and not os.path.islink(text)) or (
            not exists and bool(GLOB_CHARS.intersection(text))
        )
        if missing is not None and not walked:
            failed(unreadable(text, missing))
            continue
        if not walked:
            # A named file is taken as it is; the runner reports one it cannot read.
            _add(found, seen, Path(text))
            continue
        files: list[tuple[tuple[str, ...], Path]] = []
        # Warnings of the walk itself (links not followed, unreadable ignore files) pass on;
        # its "no file found" is replaced by the scenario-specific one below.
        def passed_on(message: str) -> None:
            if not message.endswith(_WALK_FOUND_NOTHING):
                told(message)

        for item in discover([text], matcher, passed_on, ignores=ignores):
            if not isinstance(item, Found) or item.fspath is None:
                if not isinstance(item, Found):
                    failed(str(item))  # a folder or file of the walk that cannot be read
                continue
            if not is_scenario_file(Path(item.fspath), _under_scenarios(item.fspath)):
                continue
            files.append((Path(item.path).parts, Path(item.path)))
        if not files:
            told(f"{text}: no scenario files (*.scenario.toml, or *.toml under scenarios/)")
        files.sort(key=lambda pair: pair[0])  # pytest's order: folders and files together
        for _, file in files:
            _add(found, seen, file)
    return found


def _add(found: list[Path], seen: set[str], file: Path) -> None:
    key = os.path.normpath(file)
    if key not in seen:
        seen.add(key)
        found.append(file)


__all__ = ["NOT_SCENARIOS", "SCENARIOS_FOLDER", "discover_scenarios", "is_scenario_file"]
