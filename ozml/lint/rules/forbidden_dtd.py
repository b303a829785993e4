from __future__ import annotations

from typing import ClassVar

from ozml.diagnostics import Severity
from ozml.lint.rule import Rule
from ozml.parser import FORBIDDEN_DTD


class ForbiddenDtd(Rule):
    """A DOCTYPE declaration or an entity reference appears in the document.

    OzML documents have no DTD. ozml never loads a DTD, never expands an entity and never
    fetches anything external, so entity tricks (billion laughs, external entities that read
    local files or URLs) cannot hurt it; the document is reported instead. Use the predefined
    entities (``&amp;``, ``&lt;``, ...) and character references (``&#233;``) only.

    Fails::

        <!DOCTYPE Response [<!ENTITY greeting "Hello">]>
        <Response>
          <Speak>&greeting;</Speak>
        </Response>

    Passes::

        <Response>
          <Speak>Hello &amp; welcome</Speak>
        </Response>
    """

    code = FORBIDDEN_DTD[0]
    name = FORBIDDEN_DTD[1]
    severity = Severity.ERROR
    parser_rule: ClassVar[bool] = True
