from __future__ import annotations

from typing import ClassVar

from ozml.diagnostics import Severity
from ozml.lint.rule import Rule
from ozml.parser import NOT_WELL_FORMED


class NotWellFormed(Rule):
    """The document is not well-formed XML.

    An OzML document must be well-formed XML before anything else can be said about it: the PBX
    cannot run a document it cannot parse. The finding points at the place the XML parser gave
    up and says what it expected. Empty files, binary files, bad encodings and nesting deeper
    than 256 levels are reported here too.

    Fails::

        <Response>
          <Speak>Hello</Speak>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = NOT_WELL_FORMED[0]
    name = NOT_WELL_FORMED[1]
    severity = Severity.ERROR
    parser_rule: ClassVar[bool] = True
