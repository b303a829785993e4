"""Context rules (D4): command-not-in-context, parameter-not-in-context, Party under 3PCC.

Each case is a document, the context it is linted in, and the exact findings (line:col-end
code message). The context's origin is part of every message, so the precedence of
``--context``, the inline comment and the configuration is tested through the messages too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ozml.lint.rules
from ozml.catalog import COMMANDS, Context, command
from ozml.catalog.contextual import CONTEXT_FACTS, ContextFact, Kind
from ozml.diagnostics import Severity
from ozml.lint import LintSettings, lint
from ozml.lint.rules.command_not_in_context import CommandNotInContext
from ozml.lint.rules.parameter_not_in_context import ParameterNotInContext


def findings(doc: str, settings: LintSettings) -> list[str]:
    return [
        f"{d.line}:{d.column}-{d.span.end_line}:{d.span.end_column} {d.code} {d.message}"
        for d in lint(doc, "t.xml", settings)
    ]


def cli(context: Context) -> LintSettings:
    return LintSettings(context=context, context_origin="--context", context_locked=True)


THREE_PCC_COMMANDS = """\
<Response>
  <AttendedTransfer TargetCallId="HL1bE"/>
  <ForwardCall Destination="102"/>
  <Hold/>
  <Unhold/>
  <SendDTMF Party="caller" Keys="12"/>
</Response>
"""


def test_3pcc_commands_in_an_extension_script() -> None:
    assert findings(THREE_PCC_COMMANDS, cli(Context.EXTENSION)) == [
        "2:4-2:20 OZ601 AttendedTransfer is not valid in an extension script"
        " (context from --context); use it in 3pcc scripts",
        "3:4-3:15 OZ601 ForwardCall is not valid in an extension script"
        " (context from --context); use it in 3pcc scripts",
        "4:4-4:8 OZ601 Hold is not valid in an extension script"
        " (context from --context); use it in 3pcc scripts",
        "5:4-5:10 OZ601 Unhold is not valid in an extension script"
        " (context from --context); use it in 3pcc scripts",
        "6:4-6:12 OZ601 SendDTMF is not valid in an extension script"
        " (context from --context); use it in 3pcc scripts",
    ]


def test_3pcc_commands_are_fine_under_3pcc_and_any() -> None:
    assert findings(THREE_PCC_COMMANDS, cli(Context.THREE_PCC)) == []
    assert findings(THREE_PCC_COMMANDS, LintSettings()) == []


def test_route_outside_routing_and_userinput_under_3pcc() -> None:
    doc = (
        "<Response>\n"
        '  <Route Destination="1000"/>\n'
        "  <UserInput>\n"
        '    <Inputs><Input Key="1"><Speak Party="all">One</Speak></Input></Inputs>\n'
        "  </UserInput>\n"
        "</Response>\n"
    )
    assert findings(doc, cli(Context.THREE_PCC)) == [
        "2:4-2:9 OZ601 Route is not valid in a 3pcc script (context from --context);"
        " use it in routing scripts; undocumented (spec §1.2 [oz4697][oz4594]): the 3PCC index"
        " lists Route; its own page answers only RoutingInterception",
        "3:4-3:13 OZ601 UserInput is not valid in a 3pcc script (context from --context);"
        " use it in extension scripts",
    ]


def test_a_routing_script_holds_only_route() -> None:
    doc = '<Response>\n  <Route Destination="1000"/>\n  <Speak>Hi</Speak>\n</Response>\n'
    assert findings(doc, cli(Context.ROUTING)) == [
        "3:4-3:9 OZ601 Speak is not valid in a routing script (context from --context);"
        " use it in extension or 3pcc scripts",
    ]


def test_commands_of_undocumented_context_are_never_reported() -> None:
    # CallSetup, Request, SendMsg, Beep, WaitForMsg and Exit: the vendor documents no context.
    doc = "<Response>\n  <CallSetup Caller=\"101\" Callee=\"102\"/>\n  <Beep/>\n</Response>\n"
    for context in Context.concrete():
        assert [f for f in findings(doc, cli(context)) if "OZ60" in f] == []
    unknown = {c.name for c in COMMANDS if not c.context_known}
    assert unknown == {"Beep", "SendMsg", "WaitForMsg", "CallSetup", "Exit", "Request"}


def test_http_only_commands_are_left_to_http_only_command() -> None:
    doc = "<Response>\n  <ListActiveCalls/>\n</Response>\n"
    assert [f.split()[1] for f in findings(doc, cli(Context.EXTENSION))] == ["OZ501"]


@pytest.mark.parametrize(
    ("command", "severity", "note"),
    [
        (
            "Speak",
            Severity.WARNING,
            "; undocumented (spec §7.15 [oz4581][hu7644]): mandatory under 3PCC on the older"
            " page [oz4581], optional on the Ozeki 10 page [hu7644]",
        ),
        ("Play", Severity.ERROR, ""),
    ],
)
def test_party_is_mandatory_under_3pcc_for_speak_and_play(
    command: str, severity: Severity, note: str
) -> None:
    # Play: both generations make Party mandatory; Speak: only the older 3PCC page does.
    doc = f"<Response>\n  <{command}>hello.wav</{command}>\n</Response>\n"
    end = 4 + len(command)
    assert findings(doc, cli(Context.THREE_PCC)) == [
        f"2:4-2:{end} OZ201 {command} needs Party in a 3pcc script (context from --context)"
        + note,
    ]
    assert [d.severity for d in lint(doc, "t.xml", cli(Context.THREE_PCC))] == [severity]
    assert findings(doc, cli(Context.EXTENSION)) == []
    assert findings(doc, LintSettings()) == []


# -- the one table of context facts (issue 11 class 3) -------------------------------------------


def _fact_document(fact: ContextFact) -> tuple[str, Context]:
    """A document breaking `fact`, and the context it breaks it in."""
    cmd = command(fact.command)
    param = cmd.param(fact.param)
    if fact.kind is Kind.MANDATORY:
        context = sorted(fact.contexts, key=lambda c: c.value)[0]
    else:
        others = [c for c in cmd.contexts if c not in fact.contexts]
        context = sorted(others, key=lambda c: c.value)[0]
    # Every other parameter mandatory in that context, so that only `fact` is broken.
    attrs = [
        f'{p.name}="{p.example}"'
        for p in cmd.ozml_params
        if context in p.required_in and p is not param and not p.text
    ]
    if fact.kind is Kind.ONLY:
        attrs.append(f'{param.name}="{param.example}"')
    text = cmd.text_param.example if cmd.text_param is not None else None
    head = " ".join([f"<{cmd.name}", *attrs])
    body = f"{head}>{text}</{cmd.name}>" if text else f"{head}/>"
    return f"<Response>\n  {body}\n</Response>\n", context


@pytest.mark.parametrize(
    "fact", CONTEXT_FACTS, ids=lambda f: f"{f.command}.{f.param} {f.kind.value}"
)
def test_every_context_fact_produces_its_finding(fact: ContextFact) -> None:
    doc, context = _fact_document(fact)
    found = [d for d in lint(doc, "t.xml", cli(context)) if d.code in ("OZ201", "OZ602")]
    assert len(found) == 1, (doc, found)
    (finding,) = found
    if fact.kind is Kind.MANDATORY:
        assert finding.code == "OZ201"
        assert finding.message.startswith(f"{fact.command} needs {fact.param}")
        expected = Severity.ERROR if fact.basis.stated else Severity.WARNING
    else:
        assert finding.code == "OZ602"
        assert finding.message.startswith(f"{fact.command} {fact.param} is ignored")
        expected = Severity.WARNING
    assert finding.severity is expected
    assert ("undocumented (spec" in finding.message) is (not fact.basis.stated)


def test_the_context_table_is_the_only_source_of_context_dependent_parameters() -> None:
    table = {(f.command, f.param, f.kind) for f in CONTEXT_FACTS}
    everywhere = frozenset(Context.concrete())
    for cmd in COMMANDS:
        for param in cmd.params:
            if param.only_in:
                assert (cmd.name, param.name, Kind.ONLY) in table
            if param.required_in and param.required_in != everywhere:
                assert (cmd.name, param.name, Kind.MANDATORY) in table
    # Speak's and Play's Party and BlindTransfer's TransferorParty: one rule, one table.
    assert {("Speak", "Party"), ("Play", "Party"), ("BlindTransfer", "TransferorParty")} <= {
        (f.command, f.param) for f in CONTEXT_FACTS if f.kind is Kind.MANDATORY
    }
    assert ("BlindTransfer", "FinishedUrl", Kind.ONLY) in table


def test_no_rule_names_a_command_for_a_context_fact() -> None:
    rules = Path(ozml.lint.rules.__file__).parent
    names = {f.command for f in CONTEXT_FACTS} | {f.param for f in CONTEXT_FACTS}
    for module in ("missing_parameter", "parameter_not_in_context", "command_not_in_context"):
        code = (rules / f"{module}.py").read_text(encoding="utf-8").split('"""', 2)
        # The docstring may name examples; the code after it may not.
        body = code[2] if len(code) == 3 else code[0]
        body = body.split('"""', 2)[-1]
        for name in names:
            assert f'"{name}"' not in body, (module, name)
            assert f"'{name}'" not in body, (module, name)


def test_blindtransfer_in_3pcc_and_extension() -> None:
    doc = (
        "<Response>\n"
        '  <BlindTransfer FinishedUrl="http://app.example.com/done">102</BlindTransfer>\n'
        "</Response>\n"
    )
    assert findings(doc, cli(Context.EXTENSION)) == [
        "2:18-2:29 OZ602 BlindTransfer FinishedUrl is ignored in an extension script"
        " (context from --context); it is used only in 3pcc scripts",
    ]
    assert findings(doc, cli(Context.THREE_PCC)) == [
        "2:4-2:17 OZ201 BlindTransfer needs TransferorParty in a 3pcc script (context from"
        " --context); undocumented (spec §7.2 [oz4583][hu7631]): mandatory under 3PCC on the"
        " older page [oz4583], optional on the Ozeki 10 page [hu7631]",
    ]


def test_senddtmf_needs_party_in_every_context() -> None:
    doc = '<Response>\n  <SendDTMF Keys="12"/>\n</Response>\n'
    assert findings(doc, LintSettings()) == ["2:4-2:12 OZ201 SendDTMF needs Party"]
    assert findings(doc, cli(Context.THREE_PCC)) == ["2:4-2:12 OZ201 SendDTMF needs Party"]


def test_parameter_only_honoured_in_another_context() -> None:
    doc = (
        "<Response>\n"
        '  <BlindTransfer TransferorParty="caller">102</BlindTransfer>\n'
        '  <Record Duration="60" FinishDigits="#"/>\n'
        "</Response>\n"
    )
    assert findings(doc, cli(Context.EXTENSION)) == [
        "2:18-2:33 OZ602 BlindTransfer TransferorParty is ignored in an extension script"
        " (context from --context); it is used only in 3pcc scripts",
    ]
    assert findings(doc, cli(Context.THREE_PCC)) == [
        "3:11-3:19 OZ602 Record Duration is ignored in a 3pcc script"
        " (context from --context); it is used only in extension scripts",
        "3:25-3:37 OZ602 Record FinishDigits is ignored in a 3pcc script"
        " (context from --context); it is used only in extension scripts",
    ]
    assert findings(doc, LintSettings()) == []


def test_parameter_rule_is_quiet_when_the_command_itself_is_invalid() -> None:
    doc = '<Response>\n  <BlindTransfer TransferorParty="caller">102</BlindTransfer>\n</Response>\n'
    assert [f.split()[1] for f in findings(doc, cli(Context.ROUTING))] == ["OZ601"]


# --- where the context comes from ---------------------------------------------------------------

INLINE = "<!-- ozml: context=extension -->\n<Response>\n  <Hold/>\n</Response>\n"


def test_inline_comment_sets_the_context_and_is_named() -> None:
    assert findings(INLINE, LintSettings()) == [
        "3:4-3:8 OZ601 Hold is not valid in an extension script"
        " (context from the inline comment on line 1); use it in 3pcc scripts",
    ]


def test_inline_comment_beats_the_configuration() -> None:
    configured = LintSettings(
        context=Context.THREE_PCC, context_origin='ozml.toml per-file-contexts "calls/*"'
    )
    assert findings(INLINE, configured) == findings(INLINE, LintSettings())


def test_command_line_flag_beats_the_inline_comment() -> None:
    assert findings(INLINE, cli(Context.THREE_PCC)) == []
    menu = INLINE.replace("<Hold/>", '<UserInput ForwardToURL="http://a.example/k"/>')
    assert findings(menu, cli(Context.THREE_PCC)) == [
        "3:4-3:13 OZ601 UserInput is not valid in a 3pcc script (context from --context);"
        " use it in extension scripts",
    ]


def test_configuration_origin_is_named_without_an_inline_comment() -> None:
    configured = LintSettings(
        context=Context.EXTENSION, context_origin='ozml.toml per-file-contexts "calls/*"'
    )
    assert findings(INLINE.split("\n", 1)[1], configured) == [
        "2:4-2:8 OZ601 Hold is not valid in an extension script"
        ' (context from ozml.toml per-file-contexts "calls/*"); use it in 3pcc scripts',
    ]


def test_inline_comment_inside_the_root_and_after_the_declaration() -> None:
    doc = (
        '<?xml version="1.0"?>\n<Response>\n  <!-- ozml: context=routing -->\n'
        "  <Hold/>\n</Response>\n"
    )
    assert findings(doc, LintSettings()) == [
        "4:4-4:8 OZ601 Hold is not valid in a routing script"
        " (context from the inline comment on line 3); use it in 3pcc scripts",
    ]


def test_a_second_context_comment_is_reported_and_the_first_wins() -> None:
    doc = (
        "<!-- ozml: context=3pcc -->\n<!-- ozml: context=extension -->\n"
        "<Response>\n  <Hold/>\n</Response>\n"
    )
    assert findings(doc, LintSettings()) == [
        "2:1-2:33 OZ903 a second context comment; the one on line 1 already sets context 3pcc",
    ]


def test_context_any_inline_switches_context_rules_off() -> None:
    doc = "<!-- ozml: context=any -->\n<Response>\n  <Hold/>\n</Response>\n"
    assert findings(doc, LintSettings(context=Context.EXTENSION, context_origin="x")) == []


def test_a_bad_inline_context_is_reported_and_ignored() -> None:
    doc = "<!-- ozml: context=3PC -->\n<Response>\n  <Hold/>\n</Response>\n"
    assert findings(doc, LintSettings()) == [
        "1:20-1:23 OZ903 unknown context '3PC' in the ozml comment;"
        " expected one of: extension, 3pcc, routing, any",
    ]


@pytest.mark.parametrize("rule", [CommandNotInContext, ParameterNotInContext])
def test_rule_documentation_examples(rule: type[CommandNotInContext]) -> None:
    failing, passing = rule.examples()
    assert rule.code in {d.code for d in lint(failing)}
    assert lint(passing) == []
    assert rule.context_rule
