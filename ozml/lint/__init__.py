"""The linter: rules over the resolved tree, each its own module under `ozml.lint.rules`.

The names below are loaded on first use (PEP 562), so that importing one submodule (say
`ozml.lint.settings`, or the quick check) does not load every rule: `ozml check` on a clean
file never needs them (cold start, DESIGN.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozml.lazy import loader

if TYPE_CHECKING:
    from ozml.lint.linter import lint, lint_result
    from ozml.lint.registry import RULES, find
    from ozml.lint.rule import Fixable, Rule
    from ozml.lint.settings import LintSettings

_HOMES = {
    "lint": "ozml.lint.linter",
    "lint_result": "ozml.lint.linter",
    "RULES": "ozml.lint.registry",
    "find": "ozml.lint.registry",
    "Fixable": "ozml.lint.rule",
    "Rule": "ozml.lint.rule",
    "LintSettings": "ozml.lint.settings",
}


__getattr__ = loader(__name__, _HOMES, globals())


__all__ = ["RULES", "Fixable", "LintSettings", "Rule", "find", "lint", "lint_result"]
