from __future__ import annotations

from ozml.diagnostics import Severity
from ozml.lint.rule import Fixable, Rule


class UnusedNoqa(Rule):
    """A suppression comment that suppresses nothing.

    ``<!-- ozml: noqa OZ201 -->`` on a line with no OZ201 finding, or ``<!-- ozml: disable-file
    OZ402 -->`` in a file without an OZ402 finding, no longer does anything: the problem was fixed,
    or the comment sits on the wrong line (a comment alone on its line applies to the next line; a
    comment after content applies to its own line). Stale suppressions hide the next real problem
    on that line, so they are reported; the fix removes the unused codes, or the whole comment when
    none of its codes is used. Codes of rules that are switched off in the settings are not
    reported as unused. Suppressions cannot suppress this finding: switch it off with ``ignore``.

    Fails::

        <Response>
          <!-- ozml: noqa OZ201 -->
          <ForwardCall Destination="102"/>
        </Response>

    Passes::

        <Response>
          <!-- ozml: noqa OZ201 -->
          <ForwardCall/>
        </Response>
    """

    code = "OZ901"
    name = "unused-noqa"
    severity = Severity.WARNING
    fixable = Fixable.SAFE
