"""ozml: the toolkit for OzML, the XML call-control language of the Ozeki Phone System.

Parse, lint, format, generate and run OzML documents::

    >>> from ozml import parse, lint
    >>> [d.code for d in lint('<Response><ForwardCall/></Response>')]
    ['OZ201']
"""

from ozml.diagnostics import Diagnostic, Severity
from ozml.lint import LintSettings, lint
from ozml.nodes import Attribute, Comment, Document, Element, ProcessingInstruction, Text
from ozml.parser import ParseResult, parse

__version__ = "0.1.0"

__all__ = [
    "Attribute",
    "Comment",
    "Diagnostic",
    "Document",
    "Element",
    "LintSettings",
    "ParseResult",
    "ProcessingInstruction",
    "Severity",
    "Text",
    "__version__",
    "lint",
    "parse",
]
