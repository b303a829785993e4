"""The flow model: what each command does to the flow, edge by edge, with exact labels.

Each test builds the flow of a small document and compares its edges, written ``source
-label-> target`` (``->`` for an unlabelled edge), with the list the command's semantics give
(docs/graph.md, D9, docs/interpreter.md).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from ozml.catalog import Context
from ozml.diagnostics import Severity
from ozml.flow.collapse import collapse
from ozml.flow.control import CONTROL, FETCHES, Control, control
from ozml.flow.marks import document_flow
from ozml.flow.model import DocumentFlow, Shape, build, reachable
from ozml.lint import LintSettings
from ozml.parser import parse


def flow_of(body: str, context: Context = Context.ANY) -> DocumentFlow:
    text = f"<Response>\n{textwrap.dedent(body).strip()}\n</Response>\n"
    result = parse(text, "t.xml")
    assert result.document.root is not None, result.problems
    return document_flow(result, "t.xml", LintSettings(context=context))[0]


def edges(flow: DocumentFlow) -> list[str]:
    return [
        f"{e.source} -{e.label}-> {e.target}" if e.label else f"{e.source} -> {e.target}"
        for e in flow.edges
    ]


def labels(flow: DocumentFlow) -> dict[str, tuple[str, ...]]:
    return {node.id: node.lines for node in flow.nodes}


def test_a_sequence_ends_at_the_end_of_the_script_whose_meaning_is_the_contexts() -> None:
    body = "<Speak>Hello</Speak>\n<Delay>1</Delay>"
    flow = flow_of(body, Context.EXTENSION)
    assert edges(flow) == ["S -> n1", "n1 -> n2", "n2 -> E"]
    assert labels(flow) == {
        "S": ("start",),
        "n1": ("Speak (line 2)", "Hello"),
        "n2": ("Delay (line 3)", "1"),
        "E": ("end of script", "the PBX hangs up (D9)"),
    }
    assert labels(flow_of(body, Context.THREE_PCC))["E"] == ("end of script", "the call goes on")
    assert labels(flow_of(body))["E"] == ("end of script", "an extension call is hung up (D9)")


def test_the_context_comment_of_the_document_is_read_as_the_linter_reads_it() -> None:
    text = "<!-- ozml: context=extension -->\n<Response><Speak>Hi</Speak></Response>\n"
    flow, _ = document_flow(parse(text, "t.xml"), "t.xml")
    assert flow.context is Context.EXTENSION
    assert labels(flow)["E"] == ("end of script", "the PBX hangs up (D9)")


def test_a_failed_blind_transfer_runs_the_next_command_d9() -> None:
    flow = flow_of("<BlindTransfer>102</BlindTransfer>\n<Speak>Sorry</Speak>")
    assert edges(flow) == [
        "S -> n1", "n1 -transferred-> T", "n1 -failed-> n2", "n2 -> E",
    ]
    assert labels(flow)["T"] == ("call transferred",)


def test_hangup_exit_and_reject_end_the_script_and_a_hangup_of_another_call_does_not() -> None:
    for stop in ("<Hangup/>", "<Exit/>", "<hangup/>"):
        flow = flow_of(f"<Speak>a</Speak>\n{stop}")
        assert edges(flow) == ["S -> n1", "n1 -> n2"], stop
        assert flow.nodes[-1].shape is Shape.STOP
    flow = flow_of("<Reject/>")
    assert edges(flow) == ["S -> n1"]
    flow = flow_of('<Hangup CallId="other"/>\n<Speak>still here</Speak>')
    assert edges(flow) == ["S -> n1", "n1 -> n2", "n2 -> E"]


def test_commands_after_the_end_have_no_way_in_and_carry_the_linters_finding() -> None:
    flow = flow_of("<Hangup/>\n<Speak>a</Speak>\n<Speak>b</Speak>")
    assert edges(flow) == ["S -> n1", "n2 -> n3", "n3 -> E"]
    assert reachable(flow) == {"S", "n1"}
    found = {n.id: (n.severity, n.codes) for n in flow.nodes if n.severity}
    assert found == {"n2": (Severity.WARNING, ("OZ402 unreachable-command",))}


def test_other_findings_colour_their_command_in_their_severity() -> None:
    flow = flow_of("<ForwardCall/>\n<Speek>x</Speek>")
    found = {n.id: (n.severity, n.codes) for n in flow.nodes if n.severity}
    assert found == {
        "n1": (Severity.ERROR, ("OZ201 missing-parameter",)),
        "n2": (Severity.ERROR, ("OZ102 unknown-element",)),
    }
    assert labels(flow)["n2"] == ("Speek (line 3)", "not an OzML command")


def test_a_menu_branches_on_each_key_then_goes_on_after_it() -> None:
    flow = flow_of(
        """
        <UserInput Timeout="5">
          <InitialCommands><Speak>Press 1 or 2</Speak></InitialCommands>
          <Inputs>
            <Input Key="1"><Speak>One</Speak></Input>
            <Input Key="2"></Input>
          </Inputs>
        </UserInput>
        <Speak>After</Speak>
        """
    )
    assert edges(flow) == [
        "S -> n1",
        "n1 -> n2",
        "n2 -> k1",
        "k1 -key 1-> n3",
        "n3 -> n4",
        "k1 -key 2-> n4",
        "k1 -timeout 5 s-> n4",
        "k1 -no match-> n4",
        "n4 -> E",
    ]
    assert labels(flow)["n1"] == ("UserInput (line 2)", "Timeout 5")
    assert labels(flow)["k1"] == ("key?",)


def test_repeat_forward_to_url_and_back_keys() -> None:
    flow = flow_of(
        """
        <UserInput Repeat="true" ForwardToURL="http://app/unknown.php">
          <Inputs>
            <Input Key="1">
              <UserInput BackKey="*">
                <Inputs><Input Key="2"><Hangup/></Input></Inputs>
              </UserInput>
            </Input>
          </Inputs>
        </UserInput>
        <UserInput BackKey="#"><Inputs><Input Key="3"/></Inputs></UserInput>
        """
    )
    assert edges(flow) == [
        "S -> n1",
        "n1 -> k1",
        "k1 -key 1-> n2",
        "n2 -> k2",
        "k2 -key 2-> n3",
        "k2 -BackKey *-> n1",
        "k1 -timeout: repeat-> n1",
        "k1 -no match: DtmfEntered-> u1",
        "k2 -timeout-> n4",
        "k2 -no match-> n4",
        "n4 -> k3",
        "k3 -key 3-> E",
        "k3 -timeout-> E",
        "k3 -no match-> E",
        "k3 -BackKey #-> E",
    ]
    assert labels(flow)["u1"] == ("http://app/unknown.php",)
    assert [e.way.value for e in flow.edges if e.target == "u1"] == ["jump"]


def test_a_menu_whose_prompts_end_the_script_reads_no_key() -> None:
    flow = flow_of(
        "<UserInput><InitialCommands><Hangup/></InitialCommands>"
        '<Inputs><Input Key="1"><Speak>x</Speak></Input></Inputs></UserInput>'
    )
    assert edges(flow) == ["S -> n1", "n1 -> n2"]


def test_foreach_loops_over_its_commands_then_goes_on() -> None:
    flow = flow_of(
        """
        <Array Id="a"><Item>x</Item></Array>
        <ForEach Source="$a"><Speak>$item</Speak><Play>$item</Play></ForEach>
        <Speak>done</Speak>
        """
    )
    assert edges(flow) == [
        "S -> n1", "n1 -> n2", "n2 -each item-> n3", "n3 -> n4", "n4 -next item-> n2",
        "n2 -done-> n5", "n5 -> E",
    ]


def test_request_runs_its_handlers_and_alarm_its_received_commands() -> None:
    flow = flow_of(
        """
        <Request DialedAddress="102@localhost"><OnSetup><Speak>up</Speak></OnSetup></Request>
        <ReceiveAlarmNotification><Received><Speak>alarm</Speak></Received></ReceiveAlarmNotification>
        """
    )
    assert edges(flow) == [
        "S -> n1",
        "n1 -OnSetup-> n2",
        "n2 -> n3",
        "n1 -OnError-> n3",
        "n3 -Received-> n4",
        "n4 -> E",
        "n3 -no alarm-> E",
    ]


def test_route_goto_and_the_urls_the_pbx_requests() -> None:
    flow = flow_of(
        """
        <Call Url="http://app/connected.php" ErrorUrl="http://app/error.php">102</Call>
        <Record FinishedUrl="http://app/recorded.php"/>
        <SendSms Recipient="+3620" DeliveryReportURL="$report">Hi</SendSms>
        <GoTo>http://app/connected.php</GoTo>
        <Speak>never</Speak>
        """
    )
    assert edges(flow) == [
        "S -> n1",
        "n1 -CallConnected-> u1",
        "n1 -Error-> u2",
        "n1 -> n2",
        "n2 -RecordCompleted-> u3",
        "n2 -> n3",
        "n3 -SMSDeliveryReport-> u4",
        "n3 -> n4",
        "n4 -GoTo-> u1",
        "n5 -> E",
    ]
    assert labels(flow)["u4"] == ("$report",)
    assert [e.way.value for e in flow.edges if e.label == "CallConnected"] == ["notify"]
    routes = flow_of("<Route>100</Route>\n<Route>200</Route>")
    assert edges(routes) == [
        "S -> n1", "n1 -answered-> R", "n1 -not answered-> n2", "n2 -answered-> R",
        "n2 -not answered-> E",
    ]


def test_node_ids_are_the_same_for_the_same_document_and_labels_are_cut() -> None:
    body = "<Speak>" + "word " * 30 + "</Speak>"
    first, second = flow_of(body), flow_of(body)
    assert first.nodes == second.nodes
    assert first.edges == second.edges
    assert labels(first)["n1"][1] == "word word word word word word word word…"
    assert len(labels(first)["n1"][1]) == 40


def test_collapse_folds_straight_runs_only() -> None:
    flow = flow_of(
        """
        <Speak>a</Speak><Play>b.wav</Play><Delay>1</Delay>
        <BlindTransfer>102</BlindTransfer>
        <Speak>c</Speak><Hangup/><Speak>dead</Speak>
        """
    )
    folded = collapse(flow)
    assert edges(folded) == [
        "S -> n1", "n1 -> n4", "n4 -transferred-> T", "n4 -failed-> n5", "n5 -> n6",
        "n7 -> E",
    ]
    assert labels(folded)["n1"] == ("3 commands (lines 2–2)", "Speak, Play, Delay")
    assert folded.nodes[1].shape is Shape.GROUP
    assert [n.id for n in folded.nodes if n.severity] == ["n7"]
    many = collapse(flow_of("".join(f"<Speak>{i}</Speak>\n" for i in range(6))))
    assert labels(many)["n1"] == ("6 commands (lines 2–7)", "Speak, Speak, Speak, Speak, …")
    assert edges(many) == ["S -> n1", "n1 -> E"]


def test_the_control_table_names_catalog_commands_and_notifications() -> None:
    from ozml.callmodel.notifications import KINDS
    from ozml.catalog import command

    for name in CONTROL:
        assert command(name).name == name
    for fetch in FETCHES:
        assert fetch.notification in KINDS
        assert command(fetch.command).param(fetch.param).name == fetch.param
    assert control("Speak") is Control.NEXT
    assert control("BlindTransfer") is Control.TRANSFER


def test_build_without_a_root_is_the_start_alone() -> None:
    flow = build(None, "empty.xml")
    assert [n.id for n in flow.nodes] == ["S"]
    assert flow.edges == []


def test_the_flow_package_imports_neither_the_interpreter_nor_the_command_line() -> None:
    """The flow model sits beside the linter; its control table imports not even the linter,
    so that the engine could read it."""
    code = textwrap.dedent(
        """
        import sys
        import ozml.flow.control
        assert not [m for m in sys.modules if m.startswith(("ozml.lint", "ozml.interpreter",
                    "ozml.cli"))], sorted(sys.modules)
        import ozml.flow.collapse, ozml.flow.dot, ozml.flow.graph, ozml.flow.marks
        import ozml.flow.mermaid, ozml.flow.model
        found = [m for m in sys.modules if m.startswith(("ozml.interpreter", "ozml.cli"))]
        assert not found, found
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import grimp

    graph = grimp.build_graph("ozml")
    for forbidden in ("ozml.interpreter", "ozml.cli"):
        assert not graph.chain_exists("ozml.flow", forbidden, as_packages=True), forbidden
    assert not graph.chain_exists("ozml.flow.control", "ozml.lint", as_packages=True)
