"""The words of the findings about a command's parameters, written once.

The linter's rules, the builder's `BuildError`s and the HTTP request validation
(`ozml.api.validate`) say the same thing of the same mistake: ``ForwardCall needs Destination``,
``Speak Party must be caller, callee or all, found 'everyone'; did you mean 'all'?``. Each
message is built here, below all three, so none can drift from the others. The callers decide
*whether* to report and work out a did-you-mean guess with their own matcher; this module only
words the finding.

A finding resting on a fact the catalog only assumes ends with `undocumented`'s citation
(``; undocumented (spec §2 [oz4693]): why``), added by `ozml.catalog.model.Basis.qualify`.
"""

from __future__ import annotations

__all__ = [
    "AS_TEXT",
    "duplicate_parameter",
    "http_parameter_in_document",
    "invalid_text",
    "invalid_value",
    "malformed_url",
    "missing_parameter",
    "no_parameters",
    "ozml_parameter_in_request",
    "shown",
    "undocumented",
    "unknown_parameter",
    "value_case",
]

#: How a mandatory parameter that may be written as element text (D7) is asked for.
AS_TEXT = " (as an attribute or as the element text)"

#: How long a value is shown before it is cut (with ``...``).
_SHOWN = 40


def shown(value: str) -> str:
    """A value as a finding quotes it: ``'everyone'``, long ones cut to 40 characters."""
    return repr(value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "...")


def missing_parameter(command: str, param: str, *, text: bool = False, scope: str = "") -> str:
    """OZ201: ``ForwardCall needs Destination``; `text` when the element text would do too,
    `scope` where it is mandatory (`` in a 3pcc script (...)``, `` in an HTTP request``)."""
    return f"{command} needs {param}{AS_TEXT if text else ''}{scope}"


def invalid_value(
    command: str, param: str, expected: str, value: str, guess: str | None = None
) -> str:
    """OZ202: ``Speak Party must be caller, callee or all, found 'everyone'``, with
    ``; did you mean 'all'?`` when an allowed value is close."""
    message = f"{command} {param} must be {expected}, found {shown(value)}"
    return f"{message}; did you mean {guess!r}?" if guess else message


def invalid_text(command: str, param: str, expected: str, text: str) -> str:
    """OZ202 for a value written as the element text (D7)."""
    return f"{command} {param} (the element text) must be {expected}, found {shown(text)}"


def value_case(command: str, param: str, value: str, fixed: str) -> str:
    """OZ303: ``Speak Party value 'Caller' should be written 'caller'``."""
    return f"{command} {param} value {value!r} should be written {fixed!r}"


def malformed_url(command: str, param: str, value: str, wrong: str) -> str:
    """OZ804: ``Call Url 'htp://x' is not a usable URL: ...``."""
    return f"{command} {param} {value!r} is not a usable URL: {wrong}"


def unknown_parameter(command: str, name: str, guess: str | None = None) -> str:
    """OZ103: ``ForwardCall has no parameter Destnation; did you mean Destination?``."""
    message = f"{command} has no parameter {name}"
    return f"{message}; did you mean {guess}?" if guess else message


def no_parameters(command: str, name: str) -> str:
    """OZ103 for a command without parameters: ``Hangup takes no parameters, found X``."""
    return f"{command} takes no parameters, found {name}"


def http_parameter_in_document(command: str, name: str) -> str:
    """OZ103 for an HTTP API parameter written in a document (Request's RequestOzML)."""
    return f"{name} is an HTTP API parameter of {command}, not an OzML one"


def ozml_parameter_in_request(command: str, name: str) -> str:
    """OZ103 for an OzML-only parameter sent in an HTTP request."""
    return f"{name} is an OzML parameter of {command}, not an HTTP API one"


def duplicate_parameter(command: str, param: str, first: str, second: str) -> str:
    """OZ107: ``ForwardCall Destination is given twice, as Destination and as destination``."""
    return f"{command} {param} is given twice, as {first} and as {second}"


def undocumented(citation: str, why: str = "") -> str:
    """The ending of a finding that rests on an assumed fact:
    ``; undocumented (spec §2 [oz4693]): why``."""
    return f"; undocumented ({citation}): {why}" if why else f"; undocumented ({citation})"
