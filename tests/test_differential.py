"""Differential tests: the linter's structural verdict agrees with two XSD validators.

The schema is generated from the same catalog the linter reads, so on everything an XSD can
express the three must agree: ozml (its structural findings), lxml's XMLSchema (libxml2, as
xmllint) and the pure-Python ``xmlschema``. The generators below stay inside that domain;
what lies outside it, and why, is listed in docs/schema.md ("Where the schema and ozml check
differ") and pinned by `test_documented_differences`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
import xmlschema
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st
from lxml import etree
from schema_support import padded, text_takes

from ozml import templates
from ozml.catalog import (
    ALL,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
    ValueType,
    command,
    lookup_element,
    lookup_param,
    values,
)
from ozml.diagnostics import Diagnostic, Severity
from ozml.generate.xsd import XS_NAMESPACE, _Node, _render, _Types, in_schema, type_name
from ozml.lint import LintSettings, lint

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schema" / "ozml.xsd"

LXML_SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA)))
PY_SCHEMA = xmlschema.XMLSchema10(str(SCHEMA))

#: Findings that are about structure, names and values: what an XSD can also judge.
STRUCTURAL = frozenset(
    {"OZ101", "OZ102", "OZ103", "OZ104", "OZ105", "OZ201", "OZ202", "OZ501"}
)
_NEEDS = re.compile(r"^(\w+) needs (\w+)")
_NO_TEXT = re.compile(r"^(\w+) takes no text")

ROOTS = [c for c in ALL if c.kind is ElementKind.ROOT]
PARTS = [c for c in ALL if c.kind is ElementKind.PART]
#: Every command. Those the vendor states are HTTP API commands only (ListActiveCalls) are
#: invalid to the schema and an error to ozml (http-only-command, OZ501).
COMMANDS = [c for c in ALL if c.kind is ElementKind.COMMAND]
#: The commands the schema declares: OzML's, and those whose use in OzML is undocumented
#: rather than excluded (ListCallHistory: an OZ501 warning).
OZML_COMMANDS = [c for c in COMMANDS if in_schema(c)]
#: The parameters whose values the schema checks. A value of a parameter whose type is
#: assumed is an invalid-value warning, and the schema takes any
#: (`test_schema_takes_what_only_an_assumed_fact_forbids`).
PARAMS = [
    (cmd, param)
    for cmd in PARTS + OZML_COMMANDS
    if cmd.documented
    for param in cmd.ozml_params
    if param.typed.stated
]


def text_may_give(cmd: Command) -> bool:
    """Whether the element's text may give a parameter for all the vendor says: its command
    has no text parameter, and that it takes none is assumed (missing-parameter then only
    warns about a parameter missing beside text)."""
    return cmd.text_param is None and not cmd.no_text_fact.stated


def structural(findings: list[Diagnostic]) -> list[Diagnostic]:
    """ozml's errors an XSD could also report. A warning is none: it rests on an assumed fact,
    and the schema takes what only an assumption forbids. Nor is a missing parameter that may
    be written as text (D7), or that the element's text may give (`text_may_give`): XSD 1.0
    cannot require an attribute only of an element without text."""
    found = []
    for finding in findings:
        if finding.code not in STRUCTURAL or finding.severity is not Severity.ERROR:
            continue
        if finding.code == "OZ201":
            match = _NEEDS.match(finding.message)
            assert match, finding.message
            cmd = command(match.group(1))
            if cmd.param(match.group(2)).text or text_may_give(cmd):
                continue
        found.append(finding)
    return found


def text_in_open_content(finding: Diagnostic) -> bool:
    """Whether `finding` is text the vendor states an element takes none of, where the element
    may take child elements as far as the vendor says (Reject's): XSD 1.0 cannot tell that
    text apart from the text beside child elements (DIFFERENCES)."""
    match = _NO_TEXT.match(finding.message) if finding.code == "OZ105" else None
    return match is not None and not command(match.group(1)).children_fact.stated


def verdicts(
    text: str, settings_: LintSettings | None = None, *, open_text: bool = True
) -> tuple[bool, bool, bool, str]:
    """(ozml, lxml, xmlschema, explanation): whether each finds the document structurally valid.
    With `open_text` False, ozml's findings leave out the documented difference of
    `text_in_open_content`."""
    data = text.encode("utf-8")
    findings = lint(data, settings=settings_ or LintSettings())
    found = structural(findings)
    ozml_ok = not (found if open_text else [f for f in found if not text_in_open_content(f)])
    lxml_ok = LXML_SCHEMA.validate(etree.fromstring(data))
    py_ok = PY_SCHEMA.is_valid(text)
    explanation = "\n".join(
        [
            f"document: {text}",
            f"ozml: {[f'{f.code} {f.message}' for f in findings]}",
            f"lxml: {[e.message for e in LXML_SCHEMA.error_log]}",
        ]
    )
    return ozml_ok, lxml_ok, py_ok, explanation


# --- values -------------------------------------------------------------------------------------

#: Characters the value checks care about, plus white space the XSD and Python see differently.
ALPHABET = "0123456789+-*#.:@_$%{}<>?=/\\\"' aAbBcCdDeEzZtrueflsTxyph\t\n\u00a0\u2003\u3000é"

DYNAMIC = st.sampled_from(
    [
        "$x",
        "$item.message",
        "a$b",
        "{{ n }}",
        "{% if x %}1{% endif %}",
        "<?php echo $n; ?>",
        "<?= n ?>",
        "${n}",
        "<% n %>",
        "$",
        "{{",
        "${",
        "$1",
        "<?xml?>",
    ]
)

_SAMPLES: dict[ValueType, list[str]] = {
    ValueType.INTEGER: ["0", "5", "+5", "-5", "-0", "007", "10000", "1.5", " 5", "5 ", "", "x"],
    ValueType.SECONDS: ["5", "1.5", ".5", "5.", "-1", " 5", "", "1e3"],
    ValueType.BOOLEAN: ["true", "false", "yes", "1", "", " true"],
    ValueType.URL: ["http://a.b/c?d=e&f", "a b", "x<y", 'x"y', "", " ", "http://\u00a0"],
    ValueType.PHONE: ["102", "+3620555", "*98#", "102@localhost", "a.b@c", "1 2", "", "+"],
    ValueType.DESTINATION: ["1000", "", " ", "line1", "a@b", "a@", "1 2", "+12"],
    ValueType.CALL_ID: ["Nt3uh", "a.b:c-d_e", "a b", "", "a/b"],
    ValueType.DTMF_KEYS: ["1", "01234#", "ABCD*", "E", "", "1 2"],
    ValueType.DTMF_KEY: ["1", "*", "#", "12", "", "e"],
    ValueType.LANGUAGE: ["en", "en-US", "hun", "e", "en-", "en-U", "en-123456789", ""],
    ValueType.EMAIL: ["a@b", "a@b@c", "a b@c", "@b", "", "x@y.z"],
    ValueType.IDENTIFIER: ["a", "_a1", "1a", "a-b", "", "Ab_9"],
    ValueType.DATETIME: ["2013-01-17", "2013-01-17 13:32:12", "2013-01-17T13:32", "2013", ""],
    ValueType.PATH: ["a.wav", " ", "", "\u00a0", "C:/x y.wav"],
    ValueType.SQL: ["SELECT 1", " ", ""],
    ValueType.URL_OR_SQL: ["http://a", "SELECT 1", "\t", ""],
}


def _pool(param: Param) -> list[str]:
    pool = list(param.values) + _SAMPLES.get(param.type, ["", "x"])
    pool += [v for v in (param.example, param.default) if v is not None]
    return pool


#: The syntaxes whose openers XML leaves as they are (``{{``, ``{%``, ``{#``, ``${``).
_BRACED = frozenset({"jinja", "el"})


def in_reach(value: str) -> bool:
    """Whether the schema can judge `value` as ozml reads it once lxml writes it: unless the
    value is dynamic only by a part whose opener begins with ``<`` (``<?= n ?>``, ``<% n %>``),
    which lxml writes ``&lt;%``, and which is then no part for ozml (docs/templates.md) but a
    dynamic value for the schema, which sees the characters and not how they were written
    (docs/schema.md, "Where the schema and ozml check differ")."""
    return values.is_dynamic(value) == values.is_dynamic(value, _BRACED)


def value_strategy(param: Param) -> st.SearchStrategy[str]:
    """Valid, invalid, dynamic and random values for `param` (never a mere case variant)."""
    strategy = st.one_of(
        st.sampled_from(_pool(param)),
        DYNAMIC,
        st.text(alphabet=ALPHABET, max_size=10),
    )
    # A value that differs from an allowed one only in letter case is a style finding for ozml
    # (non-canonical-case) and invalid for the schema, which knows canonical spellings only.
    return strategy.filter(lambda v: values.case_fix(param, v) is None and in_reach(v))


def valid_value_strategy(param: Param) -> st.SearchStrategy[str]:
    """Values ozml accepts for `param` (the schema must accept them too)."""
    good = [v for v in _pool(param) if values.check(param, v) is None]
    dynamic = DYNAMIC.filter(in_reach)
    return st.one_of(st.sampled_from(good), dynamic) if good else dynamic


def schema_takes(param: Param, value: str) -> bool:
    """Whether the schema takes `value` for `param`: ozml finds nothing wrong with it, or only
    what rests on an assumed fact (a bound the vendor does not state: `values.grounds`), of
    which invalid-value only warns."""
    return values.check(param, value) is None or not values.grounds(param, value).stated


def _attribute_type(cmd: Command, param: Param) -> xmlschema.validators.XsdSimpleType:
    return PY_SCHEMA.types[type_name(cmd)].attributes[param.name].type


@pytest.mark.parametrize(("cmd", "param"), PARAMS, ids=lambda x: getattr(x, "name", ""))
def test_attribute_value_types_agree(cmd: Command, param: Param) -> None:
    xsd_type = _attribute_type(cmd, param)

    @settings(max_examples=60, deadline=None)
    @given(value_strategy(param))
    def check(value: str) -> None:
        expected = schema_takes(param, value)
        assert xsd_type.is_valid(value) == expected, (cmd.name, param.name, value)

    check()


#: Text parameters whose type the vendor states (the text of one whose type is assumed is any
#: text to the schema: Route's Destination).
TEXT_PARAMS = [
    (cmd, cmd.text_param)
    for cmd in PARTS + OZML_COMMANDS
    if cmd.text_param and cmd.text_param.typed.stated
]


def _text_type(cmd: Command, param: Param) -> xmlschema.validators.XsdSimpleType | None:
    """The type the schema gives `param` written as `cmd`'s text where it checks that text: in
    an element the vendor states holds no child elements (simple content). No page states that
    of a command (spec §2), so the published schema takes child elements in every command and
    checks no text beside them (docs/schema.md); the generator's text type is checked here in a
    schema of its own (and as the strict schema holds it: tests/test_schema_strict.py). None:
    any text (``xs:string``)."""
    types = _Types()
    name = types.text(cmd, param)
    if name == "xs:string":
        return None
    node = _Node("xs:schema", (("xmlns:xs", XS_NAMESPACE),), tuple(types.nodes.values()))
    schema = xmlschema.XMLSchema10("\n".join(_render(node, 0)))
    found: xmlschema.validators.XsdSimpleType = schema.types[name]
    return found


@pytest.mark.parametrize(("cmd", "param"), TEXT_PARAMS, ids=lambda x: getattr(x, "name", ""))
def test_element_text_types_agree(cmd: Command, param: Param | None) -> None:
    assert param is not None
    content = _text_type(cmd, param)

    @settings(max_examples=60, deadline=None)
    @given(padded(value_strategy(param)))
    def check(text: str) -> None:
        expected = text_takes(param, text)
        assert (content is None or content.is_valid(text)) == expected, (cmd.name, text)

    check()


# --- documents ----------------------------------------------------------------------------------

#: Element names that are no OzML element in any letter case.
UNKNOWN_ELEMENTS = ["Speek", "Foo", "Respons", "Inputt", "Menu", "Forwardcall2"]
#: Attribute names no command has in any letter case (checked per command below).
UNKNOWN_ATTRIBUTES = ["Bogus", "Destinaton", "Url2", "Kee", "Id", "Text", "Party", "Foo"]


def unknown_attributes(cmd: Command) -> list[str]:
    """Names that are no OzML parameter of `cmd`: made up, or its HTTP-API-only parameters."""
    made_up = [n for n in UNKNOWN_ATTRIBUTES if lookup_param(cmd, n) is None]
    return made_up + [p.name for p in cmd.params if Usage.OZML not in p.usage]


LAYOUT = st.sampled_from(["", " ", "\n  ", "\t"])
STRAY_TEXT = st.sampled_from(["hello", "102", "$x", "5", "a<b"])

Node = etree._Element


def _element_name(draw: st.DrawFn, cmd: Command) -> str:
    return draw(st.sampled_from(cmd.all_names))


@attrs.define
class Noise:
    """Fault injection: each chance to go wrong fires with probability 1/`odds` while the
    document's budget of faults lasts. Few faults per document keep every fault visible."""

    budget: int
    odds: int = 6
    #: Draw any value as the text of an element whose child elements are only assumed (Delay,
    #: Call), not only one ozml accepts: for the strict schema, which types that text
    #: (tests/test_schema_strict.py); the published one cannot (`elements`).
    any_text: bool = False

    def __call__(self, draw: st.DrawFn) -> bool:
        if self.budget <= 0 or draw(st.integers(1, self.odds)) != 1:
            return False
        self.budget -= 1
        return True


def _value(draw: st.DrawFn, noise: Noise, param: Param) -> str:
    strategy = value_strategy(param) if noise(draw) else valid_value_strategy(param)
    return draw(strategy)


@st.composite
def elements(draw: st.DrawFn, cmd: Command | None, name: str, depth: int, noise: Noise) -> Node:
    """One element named `name` (the catalog's `cmd`, or None for an unknown name)."""
    element = etree.Element(name)
    if cmd is None:
        _children(draw, element, None, depth, noise)
        return element
    if not cmd.documented:
        for attr in draw(st.lists(st.sampled_from(UNKNOWN_ATTRIBUTES), max_size=2, unique=True)):
            element.set(attr, draw(st.text(alphabet=ALPHABET, max_size=5)))
        element.text = draw(st.one_of(LAYOUT, STRAY_TEXT))
        _children(draw, element, cmd, depth, noise)
        return element
    text_mode = draw(st.sampled_from(["attribute", "text", "neither"]))
    for param in cmd.ozml_params:
        if param.text and text_mode != "attribute":
            continue
        required = param.is_required(Context.ANY, cmd.contexts or frozenset(Context.concrete()))
        present = not noise(draw) if required else draw(st.booleans())
        if present:
            # One spelling per parameter: two spellings at once is duplicate-parameter (OZ107).
            spelling = draw(st.sampled_from(param.all_names))
            element.set(spelling, _value(draw, noise, param))
    if noise(draw):
        element.set(draw(st.sampled_from(unknown_attributes(cmd))), "1")
    text_param = cmd.text_param
    if text_param is not None:
        if text_mode == "text":
            # Beside child elements (Call, BlindTransfer) the schema cannot check text: only
            # values ozml accepts there ("text beside elements that may be assumed").
            checked = cmd.children_fact.stated or noise.any_text
            # (The strategy's dynamic samples include near misses such as "$".)
            value = _value(draw, noise, text_param) if checked else draw(
                valid_value_strategy(text_param).filter(
                    lambda v: values.check(text_param, v) is None
                )
            )
            element.text = draw(LAYOUT) + value + draw(LAYOUT)
    elif noise(draw):
        element.text = draw(STRAY_TEXT)
    else:
        element.text = draw(LAYOUT) or None
    _children(draw, element, cmd, depth, noise)
    return element


def _children(
    draw: st.DrawFn, element: Node, cmd: Command | None, depth: int, noise: Noise
) -> None:
    if depth >= 3:
        return
    if cmd is None or (cmd.children is ChildPolicy.NONE and cmd.documented):
        count = 1 if noise(draw) else 0
    else:
        count = draw(st.integers(0, 6 if depth == 0 else 3))
    for _ in range(count):
        child_cmd, child_name = draw(child_choices(cmd, noise))
        child = draw(elements(child_cmd, child_name, depth + 1, noise))
        if draw(st.integers(0, 6)) == 0:
            element.append(etree.Comment(" note "))
        element.append(child)
        child.tail = draw(LAYOUT) or None


@st.composite
def child_choices(
    draw: st.DrawFn, parent: Command | None, noise: Noise
) -> tuple[Command | None, str]:
    """Mostly a child the parent allows; sometimes a misplaced or an unknown element."""
    if noise(draw):
        if draw(st.booleans()):
            return None, draw(st.sampled_from(UNKNOWN_ELEMENTS))
    elif parent is not None:
        if parent.children is ChildPolicy.COMMANDS or not parent.documented:
            pool = OZML_COMMANDS
        elif parent.children is ChildPolicy.LISTED:
            pool = [command(n) for n in parent.child_names]
        else:
            pool = []
        if pool:
            cmd = draw(st.sampled_from(pool))
            return cmd, _element_name(draw, cmd)
    cmd = draw(st.sampled_from(ROOTS + PARTS + COMMANDS))
    return cmd, _element_name(draw, cmd)


@st.composite
def documents(draw: st.DrawFn, any_text: bool = False) -> str:
    noise = Noise(draw(st.sampled_from([0, 1, 1, 1, 2])), any_text=any_text)
    cmd: Command | None = draw(st.sampled_from(ROOTS))
    if noise(draw):
        cmd = draw(st.sampled_from([None, *PARTS, *COMMANDS]))
    name = _element_name(draw, cmd) if cmd else draw(st.sampled_from(UNKNOWN_ELEMENTS))
    root = draw(elements(cmd, name, 0, noise))
    if cmd is not None and cmd.kind is ElementKind.ROOT and draw(st.booleans()):
        # What editors add to find the schema: allowed by the schema and by ozml.
        xsi = "http://www.w3.org/2001/XMLSchema-instance"
        wrapper = etree.Element(name, nsmap={"xsi": xsi})
        wrapper.attrib.update(root.attrib)
        wrapper.set(f"{{{xsi}}}noNamespaceSchemaLocation", "ozml.xsd")
        wrapper.text = root.text
        wrapper.extend(list(root))
        root = wrapper
    return etree.tostring(root, encoding="unicode")


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
# Inputt is no word UserInput's children share (InitialCommands, Inputs): an unknown element,
# an error to ozml as to the schema, never the warning of a shape (found by this test).
@example("<Response><UserInput><Inputt/></UserInput></Response>")
# Reject's text beside a comment: the documented difference, left out (found by this test).
@example("<Response>hello<!-- note --><Reject>hello</Reject></Response>")
def test_linter_and_schemas_agree_on_structure(text: str) -> None:
    ozml_ok, lxml_ok, py_ok, explanation = verdicts(text, open_text=False)
    note(explanation)
    event(f"valid={ozml_ok}")
    assert lxml_ok == py_ok, "the two XSD validators disagree"
    assert ozml_ok == lxml_ok


# --- the same, exhaustively over small tables -------------------------------------------------


def _good_value(param: Param) -> str:
    return next(v for v in [*_pool(param), "$x"] if values.check(param, v) is None)


def minimal(cmd: Command, name: str | None = None) -> Node:
    """`cmd` with its mandatory parameters and nothing else."""
    element = etree.Element(name or cmd.name)
    if not cmd.documented:
        return element
    valid_in = cmd.contexts or frozenset(Context.concrete())
    for param in cmd.ozml_params:
        if param.is_required(Context.ANY, valid_in):
            if param.text:
                element.text = _good_value(param)
            else:
                element.set(param.name, _good_value(param))
    return element


def _home(cmd: Command) -> Command:
    """The element that holds `cmd` where it belongs (Response for a command)."""
    if cmd.kind is ElementKind.COMMAND:
        return ROOTS[0]
    return next(c for c in ALL if c.children is ChildPolicy.LISTED and cmd.name in c.child_names)


def placed(element: Node, cmd: Command) -> str:
    """A document holding `element` (an instance of `cmd`) where it belongs."""
    while cmd.kind is not ElementKind.ROOT:
        cmd = _home(cmd)
        parent = minimal(cmd)
        parent.append(element)
        element = parent
    return etree.tostring(element, encoding="unicode")


def _agree(text: str) -> bool:
    ozml_ok, lxml_ok, py_ok, explanation = verdicts(text)
    assert ozml_ok == lxml_ok == py_ok, explanation
    return ozml_ok


ELEMENTS = [(cmd, name) for cmd in PARTS + OZML_COMMANDS for name in cmd.all_names]
DOCUMENTED = [cmd for cmd in PARTS + OZML_COMMANDS if cmd.documented]


@pytest.mark.parametrize(("cmd", "name"), ELEMENTS, ids=[n for _, n in ELEMENTS])
def test_each_element_with_its_mandatory_parameters_is_valid(cmd: Command, name: str) -> None:
    assert _agree(placed(minimal(cmd, name), cmd))


def _severities(text: str, code: str, about: str = "") -> list[Severity]:
    return [f.severity for f in lint(text) if f.code == code and about in f.message]


@pytest.mark.parametrize("cmd", DOCUMENTED, ids=[c.name for c in DOCUMENTED])
def test_faults_in_each_element(cmd: Command) -> None:
    """Each fault is invalid to the schema exactly where ozml's finding is an error it can
    make; where the finding rests on an assumed fact (a warning), the schema takes it."""
    valid_in = cmd.contexts or frozenset(Context.concrete())
    for param in cmd.ozml_params:
        if cmd.in_ozml and param.is_required(Context.ANY, valid_in) and not param.text:
            element = minimal(cmd)
            del element.attrib[param.name]
            text = placed(element, cmd)
            error = param.required.stated
            needs = f"{cmd.name} needs {param.name}"
            assert _severities(text, "OZ201", needs) == [
                Severity.ERROR if error else Severity.WARNING
            ]
            assert _agree(text) == (not error or text_may_give(cmd)), f"without {param.name}"
            if text_may_give(cmd):
                # The same with text, which may give the parameter: a warning, and valid.
                element.text = "stray"
                text = placed(element, cmd)
                assert _severities(text, "OZ201", needs) == [Severity.WARNING]
                assert _agree(text), f"without {param.name}, with text"
    for name in unknown_attributes(cmd):
        element = minimal(cmd)
        element.set(name, "1")
        # An HTTP API parameter (Request's RequestOzML) is an error whatever the table.
        error = cmd.params_fact.stated or lookup_param(cmd, name) is not None
        assert _agree(placed(element, cmd)) == (not error), name
    if cmd.text_param is None:
        element = minimal(cmd)
        element.text = "stray"
        text = placed(element, cmd)
        if cmd.no_text_fact.stated and not cmd.children_fact.stated:
            # Reject's text is an error beside child elements it may take as far as the vendor
            # says: XSD 1.0 cannot tell the text apart (DIFFERENCES).
            assert _severities(text, "OZ105") == [Severity.ERROR]
            assert LXML_SCHEMA.validate(etree.fromstring(text.encode())), text
        else:
            assert _agree(text) == (not cmd.no_text_fact.stated), "text"


CONTAINERS = [c for c in ROOTS + PARTS + OZML_COMMANDS if c.children is not ChildPolicy.NONE]
CONTAINERS += [command("Beep"), command("Hangup"), command("Speak")]


def every_element_in(parent: Command, agree: Callable[[str], bool]) -> None:
    """`agree` (which asserts that ozml and a schema agree, and says whether the document is
    valid) of every element under every name in `parent`, and of an unknown element there,
    which must be invalid."""
    for child_cmd in ROOTS + PARTS + OZML_COMMANDS:
        for name in child_cmd.all_names:
            container = minimal(parent)
            container.append(minimal(child_cmd, name))
            agree(placed(container, parent))
        container = minimal(parent)
        container.append(etree.Element(UNKNOWN_ELEMENTS[0]))
        assert not agree(placed(container, parent))


@pytest.mark.parametrize("parent", CONTAINERS, ids=[c.name for c in CONTAINERS])
def test_every_element_in_every_container(parent: Command) -> None:
    every_element_in(parent, _agree)


@pytest.mark.parametrize(("cmd", "param"), PARAMS, ids=lambda x: getattr(x, "name", ""))
def test_every_sample_value_in_a_document(cmd: Command, param: Param) -> None:
    samples = [*_pool(param), "$x", "{{ x }}", "<?php echo $x; ?>", "a$", "$1"]
    for value in samples:
        if values.case_fix(param, value) is not None or not in_reach(value):
            continue
        element = minimal(cmd)
        if param.text:
            element.text = None
        element.set(param.name, value)
        assert _agree(placed(element, cmd)) == schema_takes(param, value), value
        if param.text and cmd.children_fact.stated:
            element = minimal(cmd)
            element.text = f" {value}\n"
            expected = not value.strip() or schema_takes(param, value.strip())
            assert _agree(placed(element, cmd)) == expected, value


# --- outside the domain: documented differences --------------------------------------------------

#: name → (document, context, verdicts of ozml, lxml and xmlschema), as docs/schema.md says.
DIFFERENCES: dict[str, tuple[str, Context, tuple[bool, bool, bool]]] = {
    "letter case (D3)": (
        "<Response><speak>Hi</speak></Response>",
        Context.ANY,
        (True, False, False),
    ),
    "Party under 3PCC (D4)": (
        "<Response><Play>a.wav</Play></Response>",
        Context.THREE_PCC,
        (False, True, True),
    ),
    "xsi attribute off the root": (
        '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<Hangup xsi:noNamespaceSchemaLocation="ozml.xsd"/></Response>',
        Context.ANY,
        (False, True, True),
    ),
    "text beside elements that may be assumed": (
        "<Response><Delay>soon</Delay><Call>not a number</Call></Response>",
        Context.ANY,
        (False, True, True),
    ),
    "text the vendor states none of, beside elements that may be assumed": (
        "<Response><Reject>now</Reject></Response>",
        Context.ANY,
        (False, True, True),
    ),
    "a template part written with character references": (
        '<Response><Play Repeat="&lt;%= r %&gt;">a.wav</Play></Response>',
        Context.ANY,
        (False, True, True),
    ),
}


@pytest.mark.parametrize("name", sorted(DIFFERENCES))
def test_documented_differences(name: str) -> None:
    text, context, expected = DIFFERENCES[name]
    ozml_ok, lxml_ok, py_ok, explanation = verdicts(text, LintSettings(context=context))
    assert (ozml_ok, lxml_ok, py_ok) == expected, explanation


@pytest.mark.parametrize(
    "text",
    [
        "<Response><Delay/></Response>",  # Delay needs Time: as attribute or text (D7)
        "<Response><Speak>Hi</Speak><Reject/></Response>",  # reject-not-first (D9)
        "<Response><Hangup/><Speak>Bye</Speak></Response>",  # unreachable-command (D9)
        '<Response><AttendedTransfer TargetCallId="a" TransferredCallId="b"'
        ' TranferredCallId="c"/></Response>',  # duplicate-parameter
        # child-not-allowed: whether Speak, Play, Hangup take child elements is UNKNOWN (§2)
        "<Response><Speak>x<Play>a.wav</Play></Speak><Hangup><Speak>y</Speak></Hangup></Response>",
    ],
)
def test_schema_accepts_what_only_ozml_check_reports(text: str) -> None:
    findings = lint(text)
    assert findings, "ozml check reports something here"
    assert LXML_SCHEMA.validate(etree.fromstring(text.encode()))
    assert PY_SCHEMA.is_valid(text)


#: Elements whose content beyond what the vendor shows is assumed (spec §2, §7.13, §7.25).
OPEN = [c for c in PARTS + OZML_COMMANDS if c.documented and not c.children_fact.stated]


def test_the_open_elements_are_those_the_spec_leaves_open() -> None:
    # Spec §2 states the content of Inputs, Array and ReceiveAlarmNotification (and of the
    # root); everything else is UNKNOWN, the commands shown without child elements included.
    closed = [c.name for c in PARTS + OZML_COMMANDS if c.documented and c not in OPEN]
    assert sorted(closed) == ["Array", "Inputs", "ReceiveAlarmNotification"]
    assert {"BlindTransfer", "Call", "ForEach", "Hangup", "Item", "Play", "Speak"} <= {
        c.name for c in OPEN
    }


@pytest.mark.parametrize("parent", OPEN, ids=[c.name for c in OPEN])
def test_schema_takes_what_only_an_assumption_forbids(parent: Command) -> None:
    """An element the vendor does not show in `parent` (an Item in ForEach, an Input in
    InitialCommands) is a child-not-allowed warning that says it is assumed, never an error, and
    valid to the schema; a nested Response stays an error and invalid to both."""
    for child in PARTS + OZML_COMMANDS:
        container = minimal(parent)
        container.append(minimal(child))
        text = placed(container, parent)
        found = [f for f in lint(text) if f.code == "OZ104"]
        assert all(f.severity is Severity.WARNING for f in found), found
        assert all(f"undocumented (spec {parent.children_fact.spec}" in f.message for f in found)
        assert LXML_SCHEMA.validate(etree.fromstring(text.encode())), (text, LXML_SCHEMA.error_log)
        assert PY_SCHEMA.is_valid(text), text
    container = minimal(parent)
    container.append(minimal(ROOTS[0]))
    text = placed(container, parent)
    assert [f.severity for f in lint(text) if f.code == "OZ104"] == [Severity.ERROR]
    assert not LXML_SCHEMA.validate(etree.fromstring(text.encode()))
    assert not PY_SCHEMA.is_valid(text)


def test_an_item_inside_foreach_is_a_warning_and_valid() -> None:
    text = '<Response><ForEach Source="a"><Item>x</Item></ForEach></Response>'
    found = [f for f in lint(text) if f.code == "OZ104"]
    assert [(f.severity, f.message) for f in found] == [
        (
            Severity.WARNING,
            "Item directly inside ForEach is undocumented (spec §7.25 [oz5403][hu7654]): the"
            " vendor shows only commands in it (Speak, Play and MoveFile) and says nothing of"
            " other elements; that it holds commands and nothing else is assumed; the vendor"
            " shows Item in Array",
        )
    ]
    assert LXML_SCHEMA.validate(etree.fromstring(text.encode()))
    assert PY_SCHEMA.is_valid(text)


def test_a_handler_name_request_may_take_is_a_warning_the_schema_cannot_take() -> None:
    """XSD 1.0 cannot take unknown elements by the shape of their name beside known ones (a
    wildcard would clash with the declared elements), so an element named like a Request
    handler is invalid to the schema though ozml only warns (docs/schema.md)."""
    text = "<Response><Request><OnRinging/></Request></Response>"
    assert [f.severity for f in lint(text) if f.code == "OZ102"] == [Severity.WARNING]
    assert not LXML_SCHEMA.validate(etree.fromstring(text.encode()))


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("<Response><Request><OnRinging/></Request></Response>", Severity.WARNING),
        # Not On followed by a word: no handler's shape.
        ("<Response><Request><Onion/></Request></Response>", Severity.ERROR),
        ("<Response><Request><On/></Request></Response>", Severity.ERROR),
        # InitialCommands and Inputs share the letters In, not a word: no shape at all.
        ("<Response><UserInput><Inputt/></UserInput></Response>", Severity.ERROR),
        ("<Response><UserInput><InCall/></UserInput></Response>", Severity.ERROR),
    ],
)
def test_only_a_name_shaped_like_the_listed_children_is_a_warning(
    text: str, severity: Severity
) -> None:
    """The shape of an open element's children is the words their names share (Request's
    handlers: On and a word); an unknown name without it is an error. The schema rejects
    each: the warning is the one divergence docs/schema.md lists, the errors agree."""
    assert [f.severity for f in lint(text) if f.code == "OZ102"] == [severity]
    assert not LXML_SCHEMA.validate(etree.fromstring(text.encode()))


def test_lookup_tables_used_by_the_generators_are_outside_the_catalog() -> None:
    for name in UNKNOWN_ELEMENTS:
        assert lookup_element(name) is None, name


def test_http_only_parameters_are_unknown_attributes_to_both() -> None:
    text = '<Response><Request DialedAddress="102" RequestOzML="x"/></Response>'
    findings = structural(lint(text))
    assert [(f.code, f.message, f.line, f.column) for f in findings] == [
        ("OZ103", "RequestOzML is an HTTP API parameter of Request, not an OzML one", 1, 40)
    ]
    assert not LXML_SCHEMA.validate(etree.fromstring(text.encode()))
    assert not PY_SCHEMA.is_valid(text)


# --- what only an assumed fact forbids: a warning, and valid to the schema -----------------------

#: Parameters whose type is assumed and whose values are checked: invalid-value only warns.
ASSUMED_TYPES = [
    (cmd, param)
    for cmd in PARTS + OZML_COMMANDS
    if cmd.documented
    for param in cmd.ozml_params
    if not param.typed.stated and not values.accepts_anything(param)
]


@pytest.mark.parametrize(("cmd", "param"), ASSUMED_TYPES, ids=lambda x: getattr(x, "name", ""))
def test_schema_takes_any_value_where_the_type_is_assumed(cmd: Command, param: Param) -> None:
    """A call ID with a space, a Var Id that is no name: invalid-value warns that the type is
    assumed, and the schema takes the value (as an attribute and as the element text)."""
    bad = [v for v in [*_pool(param), "a b", "<x>"] if values.check(param, v) is not None]
    assert bad
    for value in bad:
        element = minimal(cmd)
        if param.text:
            element.text = None
        element.set(param.name, value)
        writings = [placed(element, cmd)]
        if param.text and cmd.children_fact.stated:
            element = minimal(cmd)
            element.text = value
            writings.append(placed(element, cmd))
        for text in writings:
            found = [f for f in lint(text) if f.code == "OZ202"]
            assert [f.severity for f in found] == [Severity.WARNING], (text, found)
            basis = values.grounds(param, value)  # the type, or a bound it states no more of
            assert not basis.stated
            assert f"undocumented (spec {basis.spec}" in found[0].message
            assert _agree(text), text


def test_text_in_a_command_is_a_warning_and_valid_unless_the_vendor_states_it_takes_none() -> None:
    for text in (
        "<Response>Welcome<Hangup/></Response>",
        "<Response>\u00a0<Hangup/></Response>",  # no XML white space: text to libxml2
        "<Response><ForwardCall>102</ForwardCall></Response>",
        "<Response><UserInput>1<Inputs>2<Input>3</Input></Inputs></UserInput></Response>",
    ):
        assert {f.severity for f in lint(text)} <= {Severity.WARNING}, text
        assert _agree(text), text
    # Reject's is an error ("no parameters" [oz4691][hu7657]) that the schema cannot make:
    # whether Reject takes child elements is UNKNOWN, and XSD 1.0 cannot check text beside
    # them (DIFFERENCES).
    assert _severities("<Response><Reject>now</Reject></Response>", "OZ105") == [Severity.ERROR]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Text or a value of other white space alone, or around a value: whether the PBX trims
        # it as layout (as .NET's String.Trim would) is not known, so a finding only the XML
        # reading makes (U+00A0 is text) is a warning, and the schema takes it.
        ("<Response><Delay>\u00a05</Delay></Response>", [("OZ202", Severity.WARNING)]),
        ("<Response><Delay>\u00a0</Delay></Response>", [("OZ202", Severity.WARNING)]),
        ("<Response><Route>\u2003</Route></Response>", [("OZ202", Severity.WARNING)]),
        ('<Response><Route Destination="\u3000"/></Response>', [("OZ202", Severity.WARNING)]),
        # An attribute's value as an element's text: `Time="&#160;5"` as `<Delay>&#160;5</Delay>`.
        ('<Response><Delay Time="\u00a05"/></Response>', [("OZ202", Severity.WARNING)]),
        ('<Response><Play Repeat="\u00a0true">x</Play></Response>', [("OZ202", Severity.WARNING)]),
        # XML's own white space around a value: ozml reads it as layout (`Timeout=" 5 "` is 5),
        # whether the PBX does is not stated, so a value that suits only without it is a
        # warning (`values.SPACE_AROUND`), and the schema takes it.
        ('<Response><Delay Time=" 5 "/></Response>', [("OZ202", Severity.WARNING)]),
        ('<Response><Play Repeat="\ttrue\n">x</Play></Response>', [("OZ202", Severity.WARNING)]),
        ('<Response><Record Format=" WAV "/></Response>', [("OZ202", Severity.WARNING)]),
        ('<Response><Delay Time=" \u00a05"/></Response>', [("OZ202", Severity.WARNING)]),
        ("<Response><Reject>\u00a0</Reject></Response>", [("OZ105", Severity.WARNING)]),
        ("<Response>\u2028<Hangup/></Response>", [("OZ105", Severity.WARNING)]),  # assumed anyway
        # Text to XML, and so a value: nothing is missing, nothing is empty.
        ("<Response><Speak>\u00a0</Speak></Response>", []),
        ("<Response><Play>\u00a0</Play></Response>", []),
        ('<Response><Play AudioFile="\u00a0"/></Response>', []),
        # Wrong whether trimmed or not: an error.
        ('<Response><Delay Time="\u00a0x"/></Response>', [("OZ202", Severity.ERROR)]),
        ('<Response><Play Repeat="\u00a0yes">x</Play></Response>', [("OZ202", Severity.ERROR)]),
        ('<Response><Delay Time=" x "/></Response>', [("OZ202", Severity.ERROR)]),
        ('<Response><ForwardCall Destination="\u00a0"/></Response>', [("OZ202", Severity.ERROR)]),
    ],
)
def test_findings_only_white_space_around_a_value_makes_are_assumed(
    text: str, found: list[tuple[str, Severity]]
) -> None:
    findings = lint(text)
    assert [(f.code, f.severity) for f in findings] == found, findings
    for finding in findings:
        if finding.severity is Severity.WARNING:
            assert "undocumented (spec §" in finding.message, finding
    assert _agree(text) == all(severity is Severity.WARNING for _, severity in found)


#: Parameters with a fixed set of values (true and false included), whose letter case is D3's.
CASED = [(cmd, p) for cmd, p in PARAMS if values.has_canonical_case(p)]


@pytest.mark.parametrize(("cmd", "param"), CASED, ids=lambda x: getattr(x, "name", ""))
def test_a_value_in_another_letter_case_is_a_style_warning_and_valid(
    cmd: Command, param: Param
) -> None:
    """Whether the PBX reads ``True`` or ``ALL`` is not stated: non-canonical-case warns, and
    the schema takes the value (D3); a value that is none of them in any case stays invalid."""
    choices = param.values or ("true", "false")
    for value in [*(c.upper() for c in choices), *(c.title() for c in choices), "neither"]:
        element = minimal(cmd)
        element.set(param.name, value)
        text = placed(element, cmd)
        if values.case_fix(param, value) is None:
            assert not _agree(text), text  # no case of an allowed value
            continue
        assert _severities(text, "OZ303", param.name) == [Severity.WARNING], text
        assert _agree(text), text


HTTP_ONLY = [c for c in COMMANDS if not c.in_ozml]


def test_the_schema_declares_the_http_commands_whose_ozml_use_is_only_undocumented() -> None:
    assert [c.name for c in HTTP_ONLY if in_schema(c)] == [
        "ListCallHistory", "ListExtensionTypes", "ReceiveMessage", "SendMessage",
        "ListAddressbookContacts", "ListAddressbookNames",
    ]  # fmt: skip


@pytest.mark.parametrize("cmd", HTTP_ONLY, ids=[c.name for c in HTTP_ONLY])
def test_http_only_commands_are_invalid_where_ozml_reports_an_error(cmd: Command) -> None:
    """An HTTP API command in a document is an error and invalid where the vendor states it is
    HTTP only (ListActiveCalls); where its use in OzML is only undocumented it is a warning and
    valid, also inside Hangup (whether Hangup takes child elements is UNKNOWN, spec §2), but
    still an error and invalid where the vendor states what stands there (inside Inputs)."""
    for name in cmd.all_names:
        stated = cmd.usage_fact.stated
        for text in (
            f"<Response><{name}/></Response>",
            f"<Response><Hangup><{name}/></Hangup></Response>",
        ):
            assert _severities(text, "OZ501") == [Severity.ERROR if stated else Severity.WARNING]
            assert _agree(text) == (not stated), text
        text = f"<Response><UserInput><Inputs><{name}/></Inputs></UserInput></Response>"
        assert Severity.ERROR in {f.severity for f in lint(text)}, text
        assert not _agree(text), text


# --- template parts, with each templates setting (docs/templates.md) ----------------------------

#: Parts of every syntax that can stand in an attribute value or a text.
TEMPLATE_PARTS = [
    "{{ n }}",
    "{% if a %}1{% endif %}",
    "{# note #}",
    "${n}",
    "<?php echo $row['n']; ?>",
    "<?PHP echo 1 ?>",
    "<?= $n ?>",
    "<% n %>",
    "<%= n %>",
]
TEMPLATE_SETTINGS = [
    templates.DEFAULT,
    frozenset(),
    *(frozenset({name}) for name in sorted(templates.SYNTAXES)),
]
_HOLE = "TEMPLATEHOLE"


def _template_verdicts(
    cmd: Command, param: Param, part: str, syntaxes: frozenset[str]
) -> tuple[bool, bool, bool, str] | None:
    """(ozml, lxml, xmlschema, explanation) for `part` written as it is where `param` goes,
    linted with `syntaxes`; the schemas judge the value as the linter reads it (the parts of
    a syntax turned off are text: `templates.literal`). None when the document is not
    well-formed XML with that setting, or the part is a processing instruction (dynamic
    whatever the setting)."""
    element = minimal(cmd)
    if param.text:
        element.text = _HOLE
    else:
        element.set(param.name, _HOLE)
    document = placed(element, cmd)
    raw = document.replace(_HOLE, part)
    findings = lint(raw, settings=LintSettings(templates=syntaxes))
    if any(f.code == "OZ001" for f in findings):
        assert "<" in part, (raw, findings)  # only a part that is not XML can break it
        return None
    if param.text and part.lower().startswith("<?php") and "php" not in syntaxes:
        assert not structural(findings), (raw, findings)
        return None
    literal = templates.literal(part, syntaxes)
    data = document.replace(_HOLE, _xml_escape(literal))
    lxml_ok = LXML_SCHEMA.validate(etree.fromstring(data.encode()))
    py_ok = PY_SCHEMA.is_valid(data)
    explanation = f"{raw}\n{sorted(syntaxes)}\n{[f'{f.code} {f.message}' for f in findings]}"
    return not structural(findings), lxml_ok, py_ok, explanation


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;"
    )


#: The parameters whose values the schema checks: not the text of Call and BlindTransfer, which
#: stands beside child elements (`TEXT_PARAMS`).
CHECKED = [(cmd, p) for cmd, p in PARAMS if not p.text or cmd.children_fact.stated]


@pytest.mark.parametrize(("cmd", "param"), CHECKED, ids=lambda x: getattr(x, "name", ""))
def test_template_parts_with_each_setting(cmd: Command, param: Param) -> None:
    """A part of a syntax that is on is a dynamic value for ozml and for the schema; with the
    syntax off, ozml checks it as the text it then is, as the schema checks that text."""
    judged = 0
    for part in TEMPLATE_PARTS:
        for syntaxes in TEMPLATE_SETTINGS:
            found = _template_verdicts(cmd, param, part, syntaxes)
            if found is None:
                continue
            ozml_ok, lxml_ok, py_ok, explanation = found
            assert ozml_ok == lxml_ok == py_ok, explanation
            on = templates.syntax_of(part) in syntaxes
            if on:
                assert ozml_ok, explanation
            judged += 1
    assert judged >= len(TEMPLATE_PARTS) * 2


@pytest.mark.parametrize(("cmd", "param"), PARAMS[::7], ids=lambda x: getattr(x, "name", ""))
def test_values_with_template_parts_on_and_off(cmd: Command, param: Param) -> None:
    """Random values mixing parts and other characters: `values.check` with all syntaxes or
    none agrees with the schema on the value the linter then reads."""
    xsd_type = _attribute_type(cmd, param) if not param.text else None
    pieces = st.sampled_from([*TEMPLATE_PARTS, "{{", "}}", "{#", "#}", "${", "<%", "%>", "?>"])
    strategy = st.lists(st.one_of(pieces, st.text(alphabet=ALPHABET, max_size=4)), max_size=4)

    @settings(max_examples=40, deadline=None)
    @given(strategy.map("".join), st.sampled_from([templates.DEFAULT, frozenset()]))
    def check(value: str, syntaxes: frozenset[str]) -> None:
        if values.case_fix(param, value) is not None:
            return
        expected = values.check(param, value, syntaxes) is None
        literal = templates.literal(value, syntaxes)
        # invalid-value checks the literal text with every syntax: the same verdict.
        assert (values.check(param, literal) is None) == expected, (value, sorted(syntaxes))
        if xsd_type is not None:
            assert xsd_type.is_valid(literal) == expected, (value, sorted(syntaxes))
        assert values.is_dynamic(literal) == values.is_dynamic(value, syntaxes), value

    check()
