from __future__ import annotations

from ozml.diagnostics import Severity
from ozml.lint.rule import Rule


class UnknownNoqaCode(Rule):
    """A suppression names a code that is not an ozml rule.

    ``<!-- ozml: noqa OZ210 -->`` suppresses nothing when no rule has the code OZ210; it is
    usually a typo for the code that was meant (the finding suggests the closest one). Codes are
    written as shown in findings (``OZ201``) or as rule names (``missing-parameter``); prefixes
    such as ``OZ2`` are not accepted in comments (they are in the configuration's ``ignore``).

    Fails::

        <Response>
          <ForwardCall/>  <!-- ozml: noqa OZ210 -->
        </Response>

    Passes::

        <Response>
          <ForwardCall/>  <!-- ozml: noqa OZ201 -->
        </Response>
    """

    code = "OZ902"
    name = "unknown-noqa-code"
    severity = Severity.WARNING
