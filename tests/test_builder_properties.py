"""Properties of builder output over documents drawn from the catalog (tests/strategies.py)."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import responses

from ozml.builder import Response
from ozml.lint import lint
from ozml.parser import parse


@settings(max_examples=100, deadline=None)
@given(responses())
def test_builder_output_lints_clean_and_reads_back_as_built(built: Response) -> None:
    xml = built.to_xml()
    found = [(d.code, d.message) for d in lint(xml)]
    # Undocumented commands (Beep, Exit, ...) are built as asked, and reported for information.
    assert [f for f in found if f[0] != "OZ502"] == [], xml
    assert all(message.endswith("its parameters are not checked") for _, message in found)
    assert parse(xml).document == built.to_document()
    assert built.to_node() is built.to_node()  # built once, kept
