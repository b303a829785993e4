"""XML's white space: the one answer to "is this layout?".

XML 1.0 has four white-space characters (production S): space, tab, carriage return and line
feed. They alone are layout: between elements, and around an element's text, which ozml reads
without them (D7). Every other character is content, the other Unicode spaces included (U+00A0
NO-BREAK SPACE, U+2003 EM SPACE, U+3000, U+0085 NEL, U+2028, ...), which Python's
``str.strip``, ``str.isspace``, ``str.split()`` and ``\\s`` in `re` also take for white space:
the tree, the formatter and the writer keep them as they are, and the linter reads them as part
of a text or value. Use these functions, never those of `str`, wherever a question is one of
layout.

What the PBX does with such a space around a text is not known (spec §1 says nothing of it; a
.NET ``String.Trim`` would remove it): the linter's findings that depend on it are warnings that
say so (`ozml.catalog.values.OTHER_SPACE`).
"""

from __future__ import annotations

#: XML 1.0's white space (production S), for ``str.strip`` and friends.
XML_SPACE = " \t\r\n"
#: The same, as the body of a regular-expression character class (``[ \\t\\r\\n]``).
XML_SPACE_CLASS = r" \t\r\n"


def strip(text: str) -> str:
    """`text` without the XML white space around it (what ozml reads of element text)."""
    return text.strip(XML_SPACE)


def lstrip(text: str) -> str:
    """`text` without the XML white space before it."""
    return text.lstrip(XML_SPACE)


def rstrip(text: str) -> str:
    """`text` without the XML white space after it."""
    return text.rstrip(XML_SPACE)


def is_blank(text: str) -> bool:
    """Whether `text` is empty or XML white space alone: layout, no content."""
    return not text.strip(XML_SPACE)


def trimmed(text: str) -> str:
    """`text` without any Unicode white space around it, as a reader that trims more than XML's
    (Python's ``str.strip``, .NET's ``String.Trim``) would read it: only to ask whether a
    finding depends on that, never as ozml's own reading (`strip`)."""
    return text.strip()


__all__ = ["XML_SPACE", "XML_SPACE_CLASS", "is_blank", "lstrip", "rstrip", "strip", "trimmed"]
