"""Which files are scenarios.

A scenario file is a ``*.scenario.toml`` file anywhere, or any ``*.toml`` file under a folder
named ``scenarios`` (at any depth below it: ``scenarios/web/sales.toml``). Configuration files
(``ozml.toml``, ``pyproject.toml``) never are. Folders are searched recursively in name order,
without following symbolic links, skipping hidden folders (``.git``, ``.venv``, ...) and the
usual homes of other people's files (``node_modules``, ``__pycache__``, ``venv``,
``site-packages``). A file named on the command line is always taken, whatever its name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

#: Never scenarios, even under a ``scenarios`` folder.
NOT_SCENARIOS = frozenset({"ozml.toml", "pyproject.toml"})
#: Folders never searched (besides hidden ones, whose names start with a dot).
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "__pycache__", "venv", "site-packages", "__pypackages__"}
)
SCENARIO_SUFFIX = ".scenario.toml"
SCENARIOS_FOLDER = "scenarios"


def is_scenario_file(path: Path, under_scenarios: bool) -> bool:
    """Whether a file found in a folder is a scenario (`under_scenarios`: some folder above
    it, inside the searched tree or the searched folder itself, is named ``scenarios``)."""
    name = path.name
    if name in NOT_SCENARIOS or not name.endswith(".toml"):
        return False
    return name.endswith(SCENARIO_SUFFIX) or under_scenarios


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS


def _entries(folder: Path) -> Iterator[tuple[str, bool, bool]]:
    """(name, is a folder, is a file) of each entry, in name order; nothing if unreadable."""
    try:
        with os.scandir(folder) as scan:
            listed = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable folder holds nothing ozml can test
    for entry in listed:
        try:
            yield entry.name, entry.is_dir(follow_symlinks=False), entry.is_file()
        except OSError:
            continue


def _walk(folder: Path) -> Iterator[Path]:
    """Scenario files under `folder`, in name order, folders and files sorted together (as
    pytest collects)."""
    start = SCENARIOS_FOLDER in folder.resolve().parts
    # A stack of listings instead of recursion: any depth of folders, no RecursionError.
    stack: list[tuple[Path, bool, Iterator[tuple[str, bool, bool]]]] = [
        (folder, start, _entries(folder))
    ]
    while stack:
        current, under, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name, is_dir, is_file = entry
        path = current / name
        if is_dir:
            if not _skipped(name):
                inside = under or name == SCENARIOS_FOLDER
                stack.append((path, inside, _entries(path)))
        elif is_file and is_scenario_file(path, under):
            yield path


def discover_scenarios(
    paths: Sequence[Path], warn: Callable[[str], None] | None = None
) -> list[Path]:
    """The scenario files of `paths` (files as given, folders searched), each once, in order.

    A path that does not exist, or a folder holding no scenario, is told to `warn`.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = list(_walk(path))
            if not files and warn is not None:
                warn(f"{path}: no scenario files (*.scenario.toml, or *.toml under scenarios/)")
        elif path.exists() or path.is_symlink():
            files = [path]
        else:
            if warn is not None:
                warn(f"{path}: no such file or folder")
            continue
        for file in files:
            key = Path(os.path.normpath(file))
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found


__all__ = ["NOT_SCENARIOS", "SKIPPED_FOLDERS", "discover_scenarios", "is_scenario_file"]
