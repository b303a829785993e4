"""Everything a rule may look at while checking one document."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ozml.catalog import Context
from ozml.diagnostics import Severity
from ozml.lint.settings import LintSettings
from ozml.nodes import Document, Element
from ozml.parser import ParseResult
from ozml.positions import Source
from ozml.resolve import Resolved, resolve

if TYPE_CHECKING:
    from ozml.lint.rule import Rule


class LintContext:
    """One parsed document, its resolved elements, and the run's settings."""

    def __init__(self, result: ParseResult, settings: LintSettings) -> None:
        self.result = result
        self.settings = settings

    @property
    def document(self) -> Document:
        return self.result.document

    @property
    def source(self) -> Source:
        return self.result.source

    @property
    def context(self) -> Context:
        return self.settings.context

    @cached_property
    def records(self) -> list[Resolved]:
        root = self.document.root
        return resolve(root) if root is not None else []

    @cached_property
    def by_element(self) -> dict[int, Resolved]:
        return {id(rec.element): rec for rec in self.records}

    def record(self, element: Element) -> Resolved:
        return self.by_element[id(element)]

    def severity_of(self, rule: Rule) -> Severity:
        return self.settings.severity(rule.code, rule.severity)
