"""Artefacts generated from the catalog and the rules, checked in, with a drift check.

Each generator module defines ``outputs(root: Path) -> dict[Path, str]``: the files it owns
(paths relative to the repository root) and their exact contents. ``python -m ozml.generate``
writes them all; ``python -m ozml.generate --check`` exits 1 and lists the files that differ.
``.ci/run`` runs that check over every generated file, so that a catalog change without
regeneration fails CI. The test suite compares only some of them with their generator: the
schema (tests/test_schema.py), the builder module (tests/test_builder.py), the rule manifest
(tests/test_rule_manifest.py) and the pages of the project rules OZ811-OZ815
(tests/test_project_rules.py); the other reference pages and the API
client (ozml/api/methods.py, docs/api-client.md) are checked by ``.ci/run`` alone.
"""

from __future__ import annotations

import importlib
from pathlib import Path

#: Generator name → module.
GENERATORS: dict[str, str] = {
    "xsd": "ozml.generate.xsd",
    "builder": "ozml.generate.builder",
    "docs": "ozml.generate.docs",
    "manifest": "ozml.generate.manifest",
    "api": "ozml.api.codegen",
}


def all_outputs(root: Path) -> dict[Path, str]:
    """Every generated file and its expected content, from every generator present."""
    found: dict[Path, str] = {}
    for module_name in GENERATORS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        found.update(module.outputs(root))
    return found


def drift(root: Path) -> list[Path]:
    """Generated files whose checked-in content differs from what the generators produce."""
    stale = []
    for path, content in sorted(all_outputs(root).items()):
        target = root / path
        if not target.exists() or target.read_text(encoding="utf-8") != content:
            stale.append(path)
    return stale


def write_all(root: Path) -> list[Path]:
    """Write every generated file that differs under `root`; the paths written.

    Each goes through `ozml.atomic.write_atomic`, and no folder below `root` on the way to it
    may be a symbolic link (a checkout's ``docs -> /elsewhere`` would have the generated pages
    written elsewhere): `RefusedWrite` names it, before anything more is written."""
    from ozml.atomic import RefusedWrite, write_atomic

    written = []
    for path, content in sorted(all_outputs(root).items()):
        target = root / path
        folder = root
        for part in path.parts[:-1]:
            folder = folder / part
            if folder.is_symlink():
                raise RefusedWrite(
                    f"{folder}: is a symbolic link; the generated files are written only into"
                    " the repository's own folders"
                )
        if target.exists() and target.read_text(encoding="utf-8") == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, content.encode("utf-8"))
        written.append(path)
    return written
