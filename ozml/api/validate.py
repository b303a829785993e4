"""Checking an HTTP API request against the catalog's HTTP view, before it is sent.

The same request the linter would reject in an OzML document is rejected here, with the
linter's codes and words: ``ForwardCall needs Destination`` (OZ201 missing-parameter),
``Speak Party must be caller, callee or all, found 'everyone'`` (OZ202 invalid-value), an
unknown parameter (OZ103), a repeated one (OZ107, a warning: which value the PBX takes, and
whether it reads two spellings as one parameter, is undocumented), a value in the wrong letter
case (OZ303, a warning), a URL the PBX cannot request (OZ804). What an HTTP request must carry
is `ozml.api.wire.http_requirements`: a requirement the vendor states is an error, one ozml only
assumes is a warning whose message says so and cites its source.

`validate_request` is the one entry point. The client (`Client(validate=True)`, the default),
``ozml api`` and ``ozml run --live`` call it before anything goes on the wire; the simulator can
call it with the parameters of a request it received (each `Problem` names its parameter, the
``'{0}'`` of a 302 answer). ``--no-validate`` / ``validate=False`` send a request as it is.

Every message is worded by `ozml.catalog.messages`, as the lint rules word theirs
(tests/test_api_validation.py also runs the linter on the same values and compares the text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ozml.api.wire import HttpRequirement, http_requirements, request_command
from ozml.catalog import Command, Context, Param, Usage, ValueType, lookup_param, messages, values
from ozml.diagnostics import Severity
from ozml.lint.rules.duplicate_parameter import DuplicateParameter, collision
from ozml.lint.rules.invalid_value import InvalidValue
from ozml.lint.rules.malformed_url import MalformedUrl
from ozml.lint.rules.missing_parameter import MissingParameter
from ozml.lint.rules.non_canonical_case import NonCanonicalCase
from ozml.lint.rules.unknown_attribute import UnknownAttribute
from ozml.lint.suggest import closest
from ozml.lint.urls import problem as url_problem

__all__ = [
    "InvalidRequest",
    "Problem",
    "RequestWarning",
    "format_problems",
    "validate_request",
]

_EVERYWHERE = frozenset(Context.concrete())

#: What a parameter's value may be given as (the client's `Value`, or text from a command line).
RawValue = str | int | bool | None


@attrs.frozen
class Problem:
    """One thing wrong with a request, as the linter would report it.

    `param` is the parameter concerned (its canonical name, or the name as written when the
    command has no such parameter); `assumed` is set on warnings about what ozml only assumes.
    """

    code: str
    name: str
    severity: Severity
    message: str
    param: str | None = None
    suggestion: str | None = None
    assumed: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity >= Severity.ERROR

    def __str__(self) -> str:
        return f"{self.severity.label} {self.code} {self.message}"


class InvalidRequest(ValueError):
    """The request breaks what the vendor states about it; it was not sent.

    `problems` holds every finding (errors and warnings); `str()` lists the errors, one a line.
    """

    def __init__(self, command: str, problems: Sequence[Problem]) -> None:
        self.command = command
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__("\n".join(str(p) for p in errors))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


class RequestWarning(UserWarning):
    """A request breaks something ozml only assumes (undocumented or contradicted by the
    vendor's other documentation generation): it is sent, and this warning says why it may
    fail."""


# -- the checks -------------------------------------------------------------------------------


def _assumed(param: Param, value: str) -> str | None:
    """The citation suffix of why `value` is refused when the catalog only assumes it (an
    assumed type, or a bound the vendor does not state: `values.grounds`), else None."""
    basis = values.grounds(param, value)
    if basis.stated:
        return None
    return messages.undocumented(basis.citation(), basis.why)


def _missing(cmd: Command, req: HttpRequirement) -> Problem:
    everywhere = bool(req.param.required_in) and req.param.required_in >= _EVERYWHERE
    scope = "" if everywhere else " in an HTTP request"
    message = messages.missing_parameter(cmd.name, req.param.name, scope=scope)
    if not req.stated:
        message += messages.undocumented(req.citation(), req.why)
    return Problem(
        MissingParameter.code,
        MissingParameter.name,
        Severity.ERROR if req.stated else Severity.WARNING,
        message,
        param=req.param.name,
        assumed=not req.stated,
    )


def _value_problems(cmd: Command, param: Param, value: str) -> list[Problem]:
    expected = values.check(param, value)
    if expected is None:
        if param.type is ValueType.URL and value.strip():
            wrong = url_problem(value)
            if wrong is not None:
                return [
                    Problem(
                        MalformedUrl.code,
                        MalformedUrl.name,
                        Severity.ERROR,
                        messages.malformed_url(cmd.name, param.name, value, wrong),
                        param=param.name,
                    )
                ]
        return []
    fixed = values.case_fix(param, value)
    if fixed is not None:
        return [
            Problem(
                NonCanonicalCase.code,
                NonCanonicalCase.name,
                Severity.WARNING,
                messages.value_case(cmd.name, param.name, value, fixed),
                param=param.name,
                suggestion=fixed,
            )
        ]
    assumed = _assumed(param, value)
    guess = closest(value, param.values) if param.values else None
    message = messages.invalid_value(cmd.name, param.name, expected, value, guess)
    return [
        Problem(
            InvalidValue.code,
            InvalidValue.name,
            Severity.ERROR if assumed is None else Severity.WARNING,
            message if assumed is None else message + assumed,
            param=param.name,
            suggestion=guess,
            assumed=assumed is not None,
        )
    ]


def validate_request(
    command: str | Command,
    params: Iterable[tuple[str, RawValue]],
    *,
    check_names: bool = True,
) -> tuple[Problem, ...]:
    """Everything wrong with an HTTP request for `command` with `params` (``(name, value)``
    pairs, None values not sent), errors and warnings, in the order the linter reports them:
    missing parameters first, then each parameter as given.

    An unknown command, or one the vendor does not document (D6), gives no problems: there is
    nothing to check it against. An OzML command the HTTP API is only assumed to have no
    request for (`ozml.api.wire.assumed_request`: SendMsg) is checked against its OzML
    parameters, every finding a warning. `check_names` off lets unknown parameter names pass
    (``ozml api --unchecked``).
    """
    cmd = command if isinstance(command, Command) else request_command(command)
    if cmd is None or not cmd.documented:
        return ()
    found = _problems(cmd, params, check_names)
    if cmd.in_http:
        return found
    return tuple(_undocumented_request(cmd, p) for p in found)


def _undocumented_request(cmd: Command, problem: Problem) -> Problem:
    """`problem` of a request for an OzML command: a warning, as what such a request needs,
    if the HTTP API takes it at all, is not documented."""
    if not problem.is_error:
        return problem
    why = f"the vendor documents no HTTP request for {cmd.name}; these are its OzML parameters"
    return attrs.evolve(
        problem,
        severity=Severity.WARNING,
        message=problem.message + messages.undocumented(cmd.usage_fact.citation(), why),
        assumed=True,
    )


def _problems(
    cmd: Command, params: Iterable[tuple[str, RawValue]], check_names: bool
) -> tuple[Problem, ...]:
    """`validate_request`'s findings for documented `cmd`, as its tables have them."""
    given: dict[str, str] = {}  # canonical name -> the name as written first
    found: list[Problem] = []
    checked: list[Problem] = []
    http_names = [n for p in cmd.http_params for n in p.all_names]
    for name, raw in params:
        if raw is None:
            continue
        value = values.written(raw)
        match = lookup_param(cmd, name)
        if match is None or Usage.HTTP not in match.param.usage:
            if not check_names:
                continue
            if match is not None:
                message = messages.ozml_parameter_in_request(cmd.name, name)
                guess = None
            elif not cmd.http_params:
                message, guess = messages.no_parameters(cmd.name, name), None
            else:
                guess = closest(name, http_names)
                message = messages.unknown_parameter(cmd.name, name, guess)
            # Where the parameter table is incomplete, the name may be one ozml does not know.
            complete = match is not None or cmd.params_fact.stated
            checked.append(
                Problem(
                    UnknownAttribute.code,
                    UnknownAttribute.name,
                    Severity.ERROR if complete else Severity.WARNING,
                    message if complete else cmd.params_fact.qualify(message),
                    param=name,
                    suggestion=guess,
                    assumed=not complete,
                )
            )
            continue
        param = match.param
        first = given.get(param.name)
        if first is not None:
            # Which value the PBX takes, and whether it takes two spellings as one parameter,
            # is undocumented: a warning, as the linter's (the request is sent).
            checked.append(
                Problem(
                    DuplicateParameter.code,
                    DuplicateParameter.name,
                    Severity.WARNING,
                    collision(cmd, first, name).qualify(
                        messages.duplicate_parameter(cmd.name, param.name, first, name)
                    ),
                    param=param.name,
                    assumed=True,
                )
            )
            continue
        given[param.name] = name
        checked += _value_problems(cmd, param, value)
    unknown = [
        p.param for p in checked if p.code == UnknownAttribute.code and p.param and p.is_error
    ]
    for req in http_requirements(cmd):
        if req.param.name in given:
            continue
        # A misspelling of the parameter is reported as such (OZ103), not also as missing.
        if any(closest(name, [req.param.name]) for name in unknown):
            continue
        found.append(_missing(cmd, req))
    return (*found, *checked)


def format_problems(problems: Iterable[Problem], prefix: str) -> list[str]:
    """One line per problem, as ``ozml api`` and ``ozml run --live`` print them."""
    return [f"{prefix}{p}" for p in problems]
