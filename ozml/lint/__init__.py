"""The linter: rules over the resolved tree, each its own module under `ozml.lint.rules`."""

from ozml.lint.linter import lint, lint_result
from ozml.lint.registry import RULES, find
from ozml.lint.rule import Fixable, Rule
from ozml.lint.settings import LintSettings

__all__ = ["RULES", "Fixable", "LintSettings", "Rule", "find", "lint", "lint_result"]
