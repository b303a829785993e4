from __future__ import annotations

from typing import ClassVar

from ozml.diagnostics import Severity
from ozml.lint.rule import Rule
from ozml.parser import TOO_LARGE


class InputTooLarge(Rule):
    """The input is larger than the size limit, so it was not parsed.

    OzML responses are small; a multi-megabyte document is almost certainly a mistake or an
    attack. The limit is 10 MiB by default and is set with ``max-bytes`` in the configuration.
    The example below stands for a file over the limit (the test suite lowers the limit to run it).

    Fails::

        <Response><Speak>a very long text over the limit</Speak></Response>

    Passes::

        <Response><Speak>Hi</Speak></Response>
    """

    code = TOO_LARGE[0]
    name = TOO_LARGE[1]
    severity = Severity.ERROR
    parser_rule: ClassVar[bool] = True
