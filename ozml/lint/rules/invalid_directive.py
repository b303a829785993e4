from __future__ import annotations

from ozml.diagnostics import Severity
from ozml.lint.rule import Rule


class InvalidDirective(Rule):
    """A comment starting ``ozml:`` that ozml cannot understand.

    ozml reads four comments: ``<!-- ozml: context=3pcc -->``, ``<!-- ozml: noqa -->``,
    ``<!-- ozml: noqa OZ201,OZ305 -->`` and ``<!-- ozml: disable-file OZ201 -->``. Anything else
    after ``ozml:`` (a misspelt keyword, an unknown context such as ``context=3pc``, a second
    context comment) would otherwise be silently ignored, and the document linted in a way its
    author did not intend. A suppression that names OZ001, OZ002 or OZ003 is reported too: a
    document that is not XML, has a DOCTYPE or is too large always fails, and nothing can
    suppress that (docs/suppressions.md).

    Fails::

        <!-- ozml: context=3pc -->
        <Response>
          <Hold/>
        </Response>

    Passes::

        <!-- ozml: context=3pcc -->
        <Response>
          <Hold/>
        </Response>
    """

    code = "OZ903"
    name = "invalid-directive"
    severity = Severity.ERROR
