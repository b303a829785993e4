"""Only XML white space is layout for template parts and the language server's scanner too.

`ozml.xmlspace` is the one answer to "is this layout?". An element's text is stripped of XML
white space only (a no-break space is content), so the template parts of the text are placed
after the same strip, and the language server's tolerant scanner splits names and attributes
at XML white space only, as the parser does: U+1680 is a name character to XML.
"""

from __future__ import annotations

import pytest

from ozml import parse, templates
from ozml.lsp.scan import scan


@pytest.mark.parametrize("lead", ["", " ", "\n  ", "\u00a0", " \u00a0", "\u2003\t"])
def test_a_texts_parts_are_placed_in_the_text_as_the_element_gives_it(lead: str) -> None:
    element = parse(f"<Response><Speak>{lead}{{{{ x }}}}</Speak></Response>").document.root
    assert element is not None
    speak = element.children[0]
    text = speak.text  # type: ignore[union-attr]
    assert text is not None
    [(start, end)] = templates.text_parts(speak)  # type: ignore[arg-type]
    assert text[start:end] == "{{ x }}"


def test_the_scanner_splits_names_at_xml_white_space_only() -> None:
    name = "Speak\u1680Voice"  # U+1680 is a name character to XML, though Python calls it space
    found = scan(f"<Response><{name}/></Response>")
    assert [t.name for t in found.tokens][:2] == ["Response", name]
    attributes = scan('<Response><Speak Text="a"\u00a0Voice="b"/></Response>')
    speak = attributes.tokens[1]
    # Not well-formed (no XML white space after the value): no separator, so no Voice.
    assert [a.name for a in speak.attributes] == ["Text", "\u00a0Voice"]
