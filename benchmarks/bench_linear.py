"""Linear in every dimension: each stage's time as one dimension of the input doubles.

For each dimension of a document (attributes on one element, elements, unknown elements,
nesting depth, text length, CDATA sections, references and findings in one text, variables,
ForEach loops, menu entries, comments, runs of comments before one element, findings, line
length, server-template parts), documents are generated at sizes n, 2n, 4n and 8n, and every
stage that takes a document is timed on each: `ozml check` (`Checker.check_bytes`, the quick
check first) as a short run checks a file (the quick check's schema) and as a run of 1,000
files or more does (its regular expressions), the full linter without the quick check, the
parser alone, `ozml fmt` and the diff `ozml fmt --diff` prints, the fixes, ``--add-noqa``,
``--write-baseline``, the text, JSON and SARIF reports, the dry run (compile and run), and the
language server's handlers (the first lint of an opened document, formatting, code actions over
the whole document, document symbols, completion and hover at the end of the document, the
re-lint after a one-character edit, and an edit at a cursor on every line), and `ozml graph`
(Mermaid, and DOT of the collapsed flow). Other dimensions are not a document's, and have
stages of their own (`KINDS`): the depth of a file's path and the length of its names, which
the include and exclude globs are matched against (a file named on the command line, one
walked, one below a nested configuration); the lines of ``.gitignore`` files; the attributes,
commands and levels of a document built with ozml.builder (building it, and writing it); the
parts of a key and the ``per-file-ignores`` globs of an ``ozml.toml`` (reading it as a command
does); the keys pressed and the expected lines of a scenario (``ozml test``); the documents one
link of a project reaches (``ozml graph`` joining and drawing them); the simulator's calls
(each found by its ID) and a routing answer's destinations (rung in turn); a notification's
fields and the length of a value; and the records of an HTTP API answer. The table shows the
median time at each size and the ratio per doubling: about 2.0 is linear, and a ratio above 2.6
(`--threshold`) is flagged. A run that takes longer than `--limit` seconds is stopped and the
larger sizes of that row are skipped (a quadratic row would otherwise run for hours).

    python benchmarks/bench_linear.py                 # the whole table: about an hour
    python benchmarks/bench_linear.py --quick         # a small smoke version
    python benchmarks/bench_linear.py --dims attributes,variables --stages check,lint
    python benchmarks/bench_linear.py --strict        # exit 1 when a ratio is flagged
    python benchmarks/bench_linear.py --gc            # the garbage collector on, as in a real run

Exit status 0 when the table was printed (with ``--strict``: 1 when a row is flagged).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import math
import os
import re
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import attrs
from lsprotocol import types

from ozml.api.responses import parse_response
from ozml.baseline import BaselineWriter
from ozml.builder import (
    Array,
    CommandChild,
    Comment,
    Delay,
    DeleteFile,
    ForEach,
    Play,
    Response,
    SendSms,
    Speak,
    UnknownElement,
)
from ozml.callmodel.switchboard import ManualScheduler, Route, Switchboard
from ozml.cli.check import Checker
from ozml.cli.fixing import unified_diff
from ozml.config import ConfigError, Resolver, load
from ozml.files import Ignores, Matcher
from ozml.fixes import fix_result
from ozml.flow import dot, mermaid
from ozml.flow.collapse import collapse_graph
from ozml.flow.graph import Graph
from ozml.flow.marks import document_flow
from ozml.flow.model import DocumentFlow
from ozml.flow.model import build as build_flow
from ozml.flow.project import join
from ozml.formatter import format_result
from ozml.gcpause import collect_less_often
from ozml.interpreter.clock import VirtualClock
from ozml.interpreter.dryrun import DryRunExecutor
from ozml.interpreter.engine import Engine, EngineOptions
from ozml.interpreter.inputs import ListInput, parse_entry
from ozml.interpreter.program import compile_document
from ozml.interpreter.trace import NullSink
from ozml.lint import LintSettings, directives, lint_result, noqa
from ozml.lint.project import check_project
from ozml.lint.quick import set_long_run
from ozml.lsp import actions, completion, hover, symbols
from ozml.lsp.convert import UTF16, LineIndex
from ozml.lsp.diagnostics import to_lsp
from ozml.lsp.documents import Analysis, OpenDocument
from ozml.lsp.formatting import formatting_edits
from ozml.lsp.linting import Linter
from ozml.lsp.scan import scan
from ozml.lsp.settings import ServerOptions
from ozml.lsp.variables import Variables
from ozml.notifications import parse as parse_notification
from ozml.parser import parse
from ozml.project.graph import Project
from ozml.project.urlmap import UrlMap
from ozml.report import FileReport, Options, Summary, reporter
from ozml.simulator.config import default_config as simulator_config
from ozml.testing.outcome import check_scenario

THRESHOLD = 2.6
DOUBLINGS = 4  # sizes n, 2n, 4n, 8n
SETTINGS = LintSettings()

# --- documents --------------------------------------------------------------------------------


def _response(body: Iterator[str] | list[str], sep: str = "\n  ") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response>'
        + sep
        + sep.join(body)
        + ("\n</Response>\n" if sep.startswith("\n") else "</Response>\n")
    )


def attributes(n: int) -> str:
    """One element with n attributes on one line, none of them known (a finding each)."""
    attrs = " ".join(f'Extra{i}="v{i}"' for i in range(n))
    return _response([f"<Speak {attrs}>Hello</Speak>"])


def namespaces(n: int) -> str:
    """n namespaces declared on the root, and n commands, each with an attribute in one of
    them (the last declared first: an unknown attribute each)."""
    declared = " ".join(f'xmlns:p{i}="urn:ozml:bench:{i}"' for i in range(n))
    body = (f'<Speak p{n - 1 - i}:tone="{i}">Hello</Speak>' for i in range(n))
    return f"<Response {declared}>\n  " + "\n  ".join(body) + "\n</Response>\n"


_COMMANDS = (
    '<Speak Language="en-US">Hello caller {i}, welcome.</Speak>',
    '<Play Repeat="false">welcome{i}.wav</Play>',
    "<Delay>1</Delay>",
    '<SendSms Recipient="+3620555{i}" Message="Call {i}"/>',
)


def elements(n: int) -> str:
    """n known commands, one per line, clean."""
    return _response(_COMMANDS[i % len(_COMMANDS)].format(i=i) for i in range(n))


_UNKNOWN = ("Speek{i}", "Plya", "Dealy", "Hnagup", "Transfer{i}x", "Whatever{i}")


def unknown_elements(n: int) -> str:
    """n unknown elements, each close to a known name or to none (a suggestion each)."""
    names = (_UNKNOWN[i % len(_UNKNOWN)].format(i=i) for i in range(n))
    return _response(f"<{name}>Hello {name}</{name}>" for name in names)


CHAINS = 25


def nesting(n: int) -> str:
    """CHAINS menus each nested n deep (UserInput > Inputs > Input, 3 levels per menu)."""

    def chain() -> str:
        head = "".join('<UserInput Repeat="false"><Inputs><Input Key="1">' for _ in range(n))
        tail = "".join("</Input></Inputs></UserInput>" for _ in range(n))
        return f"{head}<Speak>Deep $caller</Speak>{tail}"

    return _response(['<Var Id="caller">you</Var>'] + [chain() for _ in range(CHAINS)])


def text(n: int) -> str:
    """A Speak whose text has n words, every 50th an undefined ``$variable`` (a finding each),
    a SendSms whose Message attribute has the same words, and a Hangup with that text
    (text-not-allowed)."""
    words = " ".join(f"$w{i}" if i % 50 == 49 else f"word{i % 97}" for i in range(n))
    plain = " ".join(f"word{i % 97}" for i in range(n))
    return _response(
        [
            f"<Speak>{words}</Speak>",
            f'<SendSms Recipient="+3620555" Message="{words}"/>',
            f"<Hangup>{plain}</Hangup>",
        ]
    )


def text_findings(n: int) -> str:
    """A Speak whose text is n lines, each reading an undefined ``$variable`` beside a CDATA
    section that holds ``{{ s }}``: n findings about one text, each resting on ozml's rule
    that a CDATA section holds no template part."""
    lines = "".join(f"line {i}: $nobody <![CDATA[{{{{ s }}}}]]>\n" for i in range(n))
    return _response([f"<Speak>{lines}</Speak>"])


def variables(n: int) -> str:
    """n Var definitions and n uses; every 8th use is undefined (a did-you-mean against every
    Var); a Var ``total`` set again and read after every 4th; n/16 uses come before the n/16
    Vars of their name at the end of the script."""
    late = max(n // 16, 1)
    body = [f"<Speak>Early $late{i % 4}</Speak>" for i in range(late)]
    for i in range(n):
        body.append(f'<Var Id="name{i}">value {i}</Var>')
        used = f"nmae{i}" if i % 8 == 7 else f"name{i}"
        body.append(f"<Speak>Hello ${used}, and ${used}.</Speak>")
        if i % 4 == 3:
            body.append(f'<Var Id="total">{i}</Var><Speak>Total $total</Speak>')
    body.extend(f'<Var Id="late{i % 4}">{i}</Var>' for i in range(late))
    return _response(body)


def loops(n: int) -> str:
    """n ForEach loops over one Array, each reading ``$item`` twice and a Var once: a clean
    document, so the quick check reads all of it (where each ``$item`` stands among the
    loops)."""
    body = [
        '<Array Id="messages"><Item>a.wav</Item><Item>b.wav</Item></Array>',
        '<Var Id="folder">old</Var>',
    ]
    body.extend(
        '<ForEach Source="messages"><Play>$item</Play>'
        '<MoveFile SourceFile="$item" TargetDirectory="$folder"/></ForEach>'
        for _ in range(n)
    )
    return _response(body)


def comment_runs(n: int) -> str:
    """n suppression comments, each alone on its line, before one Speak with a finding and n
    lines of text: every comment applies to the Speak (the first suppresses its finding, the
    others are unused)."""
    comments = "\n  ".join("<!-- ozml: noqa OZ103 -->" for _ in range(n))
    words = "\n".join("word" for _ in range(n))
    return f'<Response>\n  {comments}\n  <Speak Bogus="1">{words}</Speak>\n</Response>\n'


def cdata_sections(n: int) -> str:
    """A Speak whose text is n CDATA sections between words, and a Hangup with that text
    (text-not-allowed)."""
    pieces = "".join(f"<![CDATA[word <{i}>]]> and " for i in range(n))
    return _response([f"<Speak>{pieces}</Speak>", f"<Hangup>{pieces}</Hangup>"])


def references(n: int) -> str:
    """A Speak whose text is n character references and n entity references (clean: the
    quick check's schema would read it, were it not left to the linter)."""
    return _response(["<Speak>" + "&#x41;&amp;" * n + "</Speak>"])


def menu_entries(n: int) -> str:
    """One UserInput with n Inputs (6-digit keys); every 16th key repeats an earlier one."""
    inputs = []
    for i in range(n):
        key = i - 8 if i % 16 == 15 else i
        inputs.append(f'<Input Key="{key:06d}"><Speak>Option {i}</Speak></Input>')
    menu = (
        '<UserInput Digits="6" Repeat="false"><InitialCommands><Speak>Choose</Speak>'
        "</InitialCommands><Inputs>\n    " + "\n    ".join(inputs) + "\n  </Inputs></UserInput>"
    )
    return _response([menu])


def comments(n: int) -> str:
    """n comments: ordinary ones on lines of their own, every 4th a noqa for a finding, and
    n/4 more at the end of the first line (trailing comments, which the formatter keeps
    there)."""
    trailing = " ".join(f"<!-- aside {i} -->" for i in range(max(n // 4, 1)))
    body = [f"<Speak>Welcome</Speak> {trailing}"]
    for i in range(n):
        if i % 4 == 3:
            body.append(f'<Speak Bogus="{i}">Hi</Speak> <!-- ozml: noqa OZ103 -->')
        else:
            body.append(f"<!-- note {i}: the next command greets -->")
            body.append(f"<Speak>Hello {i}</Speak>")
    return _response(body)


_FINDINGS = (
    '<Speak Bogus="{i}">Hi</Speak>',  # unknown-attribute
    "<speak>Hi {i}</speak>",  # non-canonical-case
    '<Forward Destination="10{i}"/>',  # legacy-name
    '<Play Repeat="maybe">a{i}.wav</Play>',  # invalid-value
    "<ForwardCall/>",  # missing-parameter
    "<Speek>Hi {i}</Speek>",  # unknown-element
    "<GoTo>next{i}.php</GoTo>",  # relative-url
    "<Delay>soon</Delay>",  # invalid-value (text)
    "<Speak>Hello $nobody{i}</Speak>",  # undefined-variable
    '<Play Repeat="True">b{i}.wav</Play>',  # non-canonical-case (value)
)


def broken_nesting(n: int) -> str:
    """A document being typed: n Speak elements left open, each with a ``$variable`` in its
    text, nested n deep, then n stray end tags. Only the language server's tolerant scan reads
    it; the parser stops at libxml2's depth limit (not well-formed)."""
    opened = "".join(f"<Speak>Hello $who{i % 10} " for i in range(n))
    stray = "".join("</Play>" for _ in range(n))
    return f'<?xml version="1.0"?>\n<Response><Var Id="who0">you</Var>{opened}{stray}</Response>\n'


def findings(n: int) -> str:
    """n elements, each with a finding (ten kinds in turn), after a Hangup (unreachable)."""
    return _response(_FINDINGS[i % len(_FINDINGS)].format(i=i) for i in range(n))


def line_length(n: int) -> str:
    """The findings document written on one line, with a noqa comment after each unknown
    attribute (every 10th element), and a greeting that is not ASCII."""
    body = ["<Speak>Üdvözöljük!</Speak>"]
    for i in range(n):
        body.append(_FINDINGS[i % len(_FINDINGS)].format(i=i))
        if i % len(_FINDINGS) == 0:
            body.append("<!-- ozml: noqa OZ103 -->")
    return _response(body, sep="")


def template_parts(n: int) -> str:
    """n server-template parts of every syntax: in element text and attribute values, control
    blocks between commands (``{% if %}``, ``<?php if () { ?>``, ``<% If %>``, ``{{#each}}``),
    and openers whose closer never comes (``{{``, ``${`` in a text and in a value)."""
    kinds = (
        "<Speak>Hello {{{{ name{i} }}}} and <?= $v{i} ?> and <%= w{i} %> ${{x{i}}}</Speak>",
        '<Play Repeat="{{{{ r{i} }}}}">a<?php echo $f{i}; ?>.wav</Play>',
        '<Speak Party="{{% if p{i} %}}all{{% endif %}}">Hi {{# note #}} ${{y{i}}}</Speak>',
        "{{% if a{i} %}}<Speak>Yes {i}</Speak>{{% else %}}<Hangup/>{{% endif %}}",
        "<?php if ($x{i}) {{ ?><Speak>P {i}</Speak><?php }} ?>",
        "<% If x{i} Then %><Speak>A {i}</Speak><% End If %>"
        "{{{{#each l{i}}}}}<Delay>1</Delay>{{{{/each}}}}",
        '<Speak Language="{{{{ open ${{too">{{{{ a{i} ${{b never closed</Speak>',
    )
    return _response(kinds[i % len(kinds)].format(i=i) for i in range(n))


# --- inputs that are not documents ---------------------------------------------------------------


def built_attributes(n: int) -> Response:
    """A document built with ozml.builder whose unknown element and undocumented command
    (DeleteFile, whose parameters are unknown: D6) are each given n attributes."""
    given = {f"Extra{i}": f"v{i}" for i in range(n)}
    return Response(UnknownElement("Whisper", attributes=given), DeleteFile(attributes=given))


def built_children(n: int) -> Response:
    """A document built with ozml.builder of n commands, with a comment every tenth."""
    commands: list[CommandChild] = []
    for i in range(n):
        if i % 10 == 9:
            commands.append(Comment(f"step {i}"))
        kind = i % 4
        if kind == 0:
            commands.append(Speak(f"Hello caller {i}, welcome.", language="en-US"))
        elif kind == 1:
            commands.append(Play(f"welcome{i}.wav", repeat=False))
        elif kind == 2:
            commands.append(Delay(1))
        else:
            commands.append(SendSms(f"+3620555{i}", f"Call {i}"))
    return Response(*commands)


def built_nesting(n: int) -> Response:
    """A document built with ozml.builder: CHAINS ForEach loops each nested n deep (at most
    `ozml.limits.MAX_DEPTH` levels), with a Speak beside each level and ten at the bottom."""

    def chain() -> ForEach:
        inner = ForEach("a", *(Speak(f"item $item {i}") for i in range(10)))
        for level in range(n - 1):
            inner = ForEach("a", inner, Speak(f"level {level}"))
        return inner

    return Response(Array("a", "x", "y"), *(chain() for _ in range(CHAINS)))


def _written(build: Callable[[int], Response]) -> Callable[[int], str]:
    def generate(n: int) -> str:
        return build(n).to_xml()

    generate.__doc__ = build.__doc__
    return generate


def config_key_parts(n: int) -> str:
    """An ``ozml.toml`` whose ``[format]`` table has a dotted key of n parts (``k0.k1...``):
    tomllib's time grows with the square of a key's parts, and ozml refuses a key of more
    than `ozml.dataformats.MAX_KEY_PARTS` before tomllib reads it."""
    return 'context = "extension"\n\n[format]\n' + ".".join(f"k{i}" for i in range(n)) + " = 1\n"


def config_globs(n: int) -> str:
    """An ``ozml.toml`` with n ``per-file-ignores`` entries, each a glob and a rule code."""
    codes = ("OZ103", "OZ2", "unknown-element", "OZ402")
    entries = "".join(f'"calls/part{i}/*.xml" = ["{codes[i % 4]}"]\n' for i in range(n))
    return f"[per-file-ignores]\n{entries}"


_MENU = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <UserInput Repeat="false" Timeout="1">
    <InitialCommands><Speak>Choose</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><GoTo>http://app.example.com/menu.php</GoTo></Input>
      <Input Key="2"><Speak>Goodbye</Speak></Input>
    </Inputs>
  </UserInput>
</Response>
"""


#: How a dimension whose input is several files (`bundle`) writes each file's path.
_FILE_HEADER = re.compile(r"^==> (.+) <==\n", re.MULTILINE)


def bundle(files: dict[str, str]) -> str:
    """Several files as one text, each after a ``==> path <==`` line (`unbundle` reads it)."""
    return "".join(f"==> {path} <==\n{text}" for path, text in files.items())


def unbundle(text: str) -> dict[str, str]:
    pieces = _FILE_HEADER.split(text)
    return dict(zip(pieces[1::2], pieces[2::2], strict=True))


def scenario_keys(n: int) -> str:
    """A scenario (``ozml test``) whose caller presses 1 n times, each time at a menu whose
    key 1 fetches the menu again from the scenario's ``[urls]``, then 2."""
    keys = ", ".join(['"1"'] * n + ['"2"'])
    scenario = (
        'script = "script.xml"\n\n[input]\n'
        f"dtmf = [{keys}]\n\n"
        '[urls]\n"http://app.example.com/menu.php" = { file = "script.xml" }\n\n'
        f"[engine]\nmax_steps = {100 * n + 1000}\n\n[expect]\nend = \"end-of-script\"\n"
    )
    return bundle({"bench.scenario.toml": scenario, "script.xml": _MENU})


def scenario_trace(n: int) -> str:
    """A scenario whose script has n Speaks and whose ``[expect] trace`` has n lines, each one
    off (the run's times differ): the comparison and its diff."""
    lines = "".join(f"    '{i}s Speak Text=\"Line {i}\" -> ok',\n" for i in range(n))
    return bundle(
        {
            "bench.scenario.toml": f'script = "script.xml"\n\n[expect]\ntrace = [\n{lines}]\n',
            "script.xml": _response(f"<Speak>Line {i}</Speak>" for i in range(n)),
        }
    )


def placed_calls(n: int) -> str:
    """A scenario whose script places n Calls, each answered and running the OzML its Url
    answers (a Speak), so that the run ends n + 1 calls, each with a notification to send:
    what one call's end looks at must not grow with the calls before it."""
    calls = (f'<Call Dialed="1{i:05d}" Url="http://app.example.com/c.php"/>' for i in range(n))
    scenario = (
        'script = "script.xml"\n\n'
        '[urls]\n"http://app.example.com/c.php" = "<Response><Speak>Hi</Speak></Response>"\n\n'
        f"[engine]\nmax_steps = {4 * n + 1000}\n"
    )
    return bundle({"bench.scenario.toml": scenario, "script.xml": _response(calls)})


def project_pages(n: int) -> str:
    """An application (``ozml graph`` of a project) whose ``ozml.toml`` maps a URL pattern to
    n page documents: a hub's GoTo, whose page comes from the template, leads to every page."""
    goto = "<GoTo>http://app.example.com/{{ page }}.php</GoTo>"
    files = {
        "ozml.toml": (
            '[urls]\n"http://app.example.com/{name}.php" = "pages/{name}.xml"\n'
            '"http://app.example.com/hub.php" = "hub.xml"\n\n'
            '[entry-points]\nIncomingCall = ["hub.xml"]\n'
        ),
        "hub.xml": _response(
            [
                f'<UserInput><Inputs><Input Key="1">{goto}</Input>'
                f'<Input Key="2">{goto}</Input></Inputs></UserInput>'
            ]
        ),
    }
    for i in range(n):
        files[f"pages/p{i}.xml"] = _response([f"<Speak>Page {i}</Speak>"])
    return bundle(files)


def simulated_calls(n: int) -> str:
    """n inbound calls of the simulator (`ozml.callmodel.switchboard`), each ended at once
    (its number is not found), as a load test places them; the control requests that place
    them are what `generate` makes."""
    return "".join(f"from=%2B3620555{i}&to=999\n" for i in range(n))


def route_destinations(n: int) -> str:
    """A RoutingInterception's answer with n Route commands, each to a number that is not
    found: the simulator rings them in turn."""
    return _response(f"<Route>9{i}</Route>" for i in range(n))


def notification_fields(n: int) -> str:
    """A notification's form with n fields (at most `ozml.notifications.MAX_FIELDS`)."""
    fields = "".join(f"&Field{i}=value+%C3%A9+{i}" for i in range(n - 1))
    return f"NotificationName=IncomingCall{fields}"


def notification_value(n: int) -> str:
    """A notification's form whose CallerID is n escaped characters (within the 1 MiB a
    notification may have)."""
    return "NotificationName=IncomingCall&CallerID=" + "%C3%A9+" * n


def api_records(n: int) -> str:
    """An HTTP API answer (ListActiveCalls) with n calls."""
    calls = "".join(
        f"<Call><CallId>c{i}</CallId><CallState>InCall</CallState><Source>10{i}</Source>"
        f"<RingDuration>{i % 30}.5</RingDuration><TalkDuration>12</TalkDuration></Call>"
        for i in range(n)
    )
    return (
        "<Response><Code>200</Code><Message>OK</Message>"
        f"<ActiveCalls>{calls}</ActiveCalls></Response>"
    )


@dataclass(frozen=True)
class Dimension:
    name: str
    unit: str
    base: int
    generate: Callable[[int], str]
    #: The dry run's DTMF entries for size n.
    entries: Callable[[int], list[str]] = field(default=lambda n: [])
    #: What `generate` makes, and so which stages time it (`KINDS`): a document (`STAGES`),
    #: a path (`PATH_STAGES`), the text of a ``.gitignore`` (`IGNORE_STAGES`), or one of the
    #: inputs that are not documents (a built document, a configuration, a scenario, ...).
    kind: str = "document"
    #: For a ``builder`` dimension: the document it builds for size n (`generate` writes it).
    build: Callable[[int], Response] | None = None

    @property
    def stages(self) -> dict[str, Stage]:
        return KINDS[self.kind]


def path_depth(n: int) -> str:
    """A file n folders deep: 2,000 is about as deep as the system opens (4,096 bytes)."""
    return "/".join(["a"] * n) + "/f.xml"


def name_length(n: int) -> str:
    """A file whose name and its folder's are n letters ``a`` long, any part of which a ``*``
    of a glob may stand for (a system allows 255, the matching has no limit)."""
    return "src/" + "a" * n + "/" + "a" * n + ".xml"


def ignore_lines(n: int) -> str:
    """A ``.gitignore`` of n lines of every kind: folders, ``*`` suffixes, anchored names,
    negations and ``**`` (what `IGNORE_STAGES` read and match)."""
    kinds = ("gen{i}/", "*.x{i}", "/top{i}", "!keep{i}.x{i}", "d{i}/**/f*", "a*a*a*a*{i}b")
    return "".join(kinds[i % len(kinds)].format(i=i) + "\n" for i in range(n))


DIMENSIONS = (
    Dimension("attributes", "attributes", 5_000, attributes),
    Dimension("namespaces", "namespaces", 1_000, namespaces),
    Dimension("elements", "elements", 2_500, elements),
    Dimension("unknown elements", "elements", 2_000, unknown_elements),
    Dimension("nesting", "levels", 10, nesting, lambda n: ["1"] * n),
    Dimension("text", "words", 25_000, text),
    Dimension("cdata sections", "sections", 4_000, cdata_sections),
    Dimension("references", "references", 10_000, references),
    Dimension("text findings", "lines", 2_500, text_findings),
    Dimension("variables", "Vars", 600, variables),
    Dimension("loops", "ForEach", 1_000, loops),
    Dimension("menu entries", "Inputs", 1_000, menu_entries, lambda n: [f"{n - 1:06d}"]),
    Dimension("comments", "comments", 1_500, comments),
    Dimension("comment runs", "comments", 1_000, comment_runs),
    Dimension("broken nesting", "levels", 5_000, broken_nesting),
    Dimension("findings", "elements", 800, findings),
    Dimension("line length", "elements", 800, line_length),
    Dimension("template parts", "parts", 700, template_parts),
    Dimension("path depth", "folders", 250, path_depth, kind="path"),
    Dimension("name length", "letters", 250, name_length, kind="path"),
    Dimension("ignore lines", "lines", 2_500, ignore_lines, kind="ignore file"),
    Dimension(
        "built attrs", "attributes", 2_000, _written(built_attributes), kind="builder",
        build=built_attributes,
    ),
    Dimension(
        "built commands", "commands", 2_000, _written(built_children), kind="builder",
        build=built_children,
    ),
    Dimension(
        "built nesting", "levels", 25, _written(built_nesting), kind="builder",
        build=built_nesting,
    ),
    Dimension("config key parts", "parts", 1_000, config_key_parts, kind="config"),
    Dimension("config globs", "globs", 125, config_globs, kind="config"),
    Dimension("scenario keys", "keys", 250, scenario_keys, kind="scenario"),
    Dimension("scenario trace", "lines", 500, scenario_trace, kind="scenario"),
    Dimension("placed calls", "Calls", 1_000, placed_calls, kind="scenario"),
    Dimension("project pages", "documents", 500, project_pages, kind="project"),
    Dimension("simulated calls", "calls", 2_000, simulated_calls, kind="calls"),
    Dimension("route answer", "Routes", 20_000, route_destinations, kind="routes"),
    Dimension("notif fields", "fields", 125, notification_fields, kind="notification"),
    Dimension("notif value", "characters", 15_000, notification_value, kind="notification"),
    Dimension("api answer", "calls", 2_500, api_records, kind="api answer"),
)

# --- stages -----------------------------------------------------------------------------------

#: A stage takes the document's text and returns the work to time (setup is not timed), or
#: None when the stage does not apply to the document (formatting a document that is not
#: well-formed).
Stage = Callable[[str, Dimension, int], Callable[[], object] | None]


def _check(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    checker = Checker(SETTINGS)
    data = text.encode()
    return lambda: checker.check_bytes(data, "bench.xml", settings=SETTINGS)


def _check_long_run(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """`_check` as a run of 1,000 files or more checks a file: the quick check by its regular
    expressions (compiled here once, not timed; the other stages keep the schema)."""
    context = SETTINGS.context
    set_long_run(context, True)
    set_long_run(context, False)
    work = _check(text, dim, n)

    def run() -> object:
        set_long_run(context, True)  # in the child process the run is made in
        return work()

    return run


def _lint(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    result = parse(text.encode(), "bench.xml")
    return lambda: lint_result(result, SETTINGS)


def _parse(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    data = text.encode()
    return lambda: parse(data, "bench.xml")


def _fmt(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    result = parse(text.encode(), "bench.xml")
    if result.problems:
        return None
    return lambda: format_result(result)


def _fmt_diff(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    """What ``ozml fmt --diff`` prints: the document against its formatted text."""
    result = parse(text.encode(), "bench.xml")
    if result.problems:
        return None
    formatted = format_result(result).text
    return lambda: unified_diff("bench.xml", text, formatted)


def _fix(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    result = parse(text.encode(), "bench.xml")
    return lambda: fix_result(result, SETTINGS)


def _baseline(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """``ozml check --write-baseline``: every finding's fingerprint (the findings are found
    first, not timed; a SARIF report reads the same fingerprints)."""
    result = parse(text.encode(), "bench.xml")
    found = lint_result(result, SETTINGS)

    def run() -> object:
        writer = BaselineWriter("bench-baseline.json")
        writer.add("bench.xml", found, result.source)
        return writer.entries

    return run


def _report(format_name: str) -> Stage:
    """``ozml check --format FORMAT``: the report of the document's findings (found first,
    not timed), with its source excerpts, positions and fingerprints."""

    def stage(text: str, dim: Dimension, n: int) -> Callable[[], object]:
        result = parse(text.encode(), "bench.xml")
        found = lint_result(result, SETTINGS)

        def run() -> object:
            out = io.StringIO()
            report = FileReport("bench.xml", list(found), result.source)
            summary = Summary()
            summary.add(report)
            writer = reporter(format_name, out, Options())
            writer.file(report)
            writer.finish(summary)
            return out

        return run

    return stage


def _add_noqa(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    """``ozml check --add-noqa``: a suppression comment for each finding (the findings are
    found first, not timed)."""
    result = parse(text.encode(), "bench.xml")
    if result.problems:
        return None
    found = lint_result(result, SETTINGS)
    scanned = directives.scan(result.source)
    return lambda: noqa.add(result.source, scanned, found, result.document)


def _dry_run(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    result = parse(text.encode(), "bench.xml")
    if result.document.root is None:
        return None
    entries = [parse_entry(e) for e in dim.entries(n)]
    options = EngineOptions(max_steps=100_000_000)

    def run() -> object:
        program = compile_document(result.document, "bench.xml", result.source)
        engine = Engine(
            DryRunExecutor(),
            inputs=ListInput(entries),
            clock=VirtualClock(),
            sink=NullSink(),
            options=options,
        )
        return engine.run(program)

    return run


def _graph(render: Callable[[Graph], str], *, folded: bool) -> Stage:
    """``ozml graph`` of the document (``--format mermaid``, or ``dot --collapse``): its flow,
    coloured by the linter's findings, drawn."""

    def stage(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
        result = parse(text.encode(), "bench.xml")
        if result.document.root is None:
            return None

        def run() -> object:
            graph = Graph([document_flow(result, "bench.xml", SETTINGS)[0]])
            return render(collapse_graph(graph) if folded else graph)

        return run

    return stage


def _linter() -> Linter:
    return Linter(ServerOptions, lambda message: None)


def _lsp_lint(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    linter = _linter()
    doc = OpenDocument("file:///bench.xml", text, 1)
    return lambda: linter.analyse(doc, text, 1)


def _lsp_format(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    """The language server's formatting: the line edits that format the document."""
    result = parse(text.encode(), "bench.xml")
    if result.problems:
        return None
    return lambda: formatting_edits(result, LineIndex(text))


def _lsp_actions(text: str, dim: Dimension, n: int) -> Callable[[], object] | None:
    """The language server's code actions over the whole document (every finding's fix and
    suppression, and fix all), from its lint (made first, not timed)."""
    result = parse(text.encode(), "bench.xml")
    if result.problems:
        return None
    found = lint_result(result, SETTINGS)
    index = LineIndex(result.source.text)
    published = to_lsp(found, lambda: index, lambda code, name: None)
    analysis = Analysis(1, result, found, published)
    everything = types.Range(types.Position(0, 0), types.Position(text.count("\n") + 1, 0))
    uri = "file:///bench.xml"
    return lambda: actions.code_actions(uri, analysis, everything, None, UTF16, True)


def _lsp_symbols(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    return lambda: symbols.symbols(scan(text), LineIndex(text))


def _end(text: str) -> int:
    return text.rindex("</Response>")


def _lsp_completion(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    offset = _end(text) + 2  # in the end tag's name: `</|Response>`

    def run() -> object:
        scanned = scan(text)
        index = LineIndex(text)
        found = Variables(scanned, SETTINGS.known_variables)
        return completion.complete(
            text, index, offset, SETTINGS.context, found, completion.Client()
        )

    return run


def _lsp_hover(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    offset = _end(text) + 3  # on the root's end tag name

    def run() -> object:
        scanned = scan(text)
        index = LineIndex(text)
        found = Variables(scanned, SETTINGS.known_variables)
        return hover.hover(scanned, index, offset, SETTINGS.context, found)

    return run


def _lsp_edit(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    linter = _linter()
    doc = OpenDocument("file:///bench.xml", text, 1)
    doc.analysis = linter.analyse(doc, text, 1)
    index = doc.index
    # One space typed in the middle of the document, between two elements where possible.
    at = text.find("\n", len(text) // 2)
    at = at if 0 <= at < _end(text) else _end(text)
    where = index.position(at)
    change = types.TextDocumentContentChangePartial(types.Range(where, where), " ")

    def run() -> object:
        doc.apply([change], 2)
        return linter.analyse(doc, doc.text, 2)

    return run


def _lsp_cursors(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """One didChange that types a space at the start of every line, as an edit at a cursor
    on each line (or a replace-all) sends it: one change per line, the last first."""
    lines = text.count("\n") + 1
    space = [
        types.TextDocumentContentChangePartial(
            types.Range(types.Position(line, 0), types.Position(line, 0)), " "
        )
        for line in reversed(range(lines))
    ]

    def run() -> object:
        doc = OpenDocument("file:///bench.xml", text, 1)
        doc.apply(space, 2)
        return doc

    return run


def _lsp_references(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    at = text.rfind("$")
    offset = at + 1 if at >= 0 else _end(text)  # on the last use of a variable, if any

    def run() -> object:
        found = Variables(scan(text), SETTINGS.known_variables)
        target = found.at(offset)
        return found.uses(target) if target is not None else []

    return run


#: Globs as a configuration writes them; one holds "/", so a walked path is matched whole,
#: not by its name alone. None matches the path, so every one is tried to the end.
_GLOBS = ("build/out", "*.tmp.xml", "gen?/*.xml")
#: Globs with ``**``: the search retries the ``**`` from each folder of the path.
_DEEP_GLOBS = ("**/generated/*.xml", "vendor/**/*.tmp")
#: Globs with several ``*`` in one component, each of which could stand for any part of a
#: long name (`ozml.files._piece` tries few places for each).
_STAR_GLOBS = ("a*a*a*a*a*b.xml", "**/a*a*a*b/**")
#: Each timed run matches the path this many times (one match is a few microseconds).
_MATCHES = 100


def _matching(globs: tuple[str, ...], how: str) -> Stage:
    def stage(path: str, dim: Dimension, n: int) -> Callable[[], object]:
        matcher = Matcher(include=globs, exclude=globs, default_exclude=())
        ask: Callable[[str], bool] = {
            "named": lambda p: matcher.excluded(p, walked=False),
            "walked": lambda p: matcher.excluded(p, walked=True, name=os.path.basename(p)),
            "included": lambda p: matcher.included(p),
        }[how]
        return lambda: [ask(path) for _ in range(_MATCHES)]

    return stage


#: Lines of a ``.gitignore`` with several ``*`` in one component (and around ``**``), each of
#: which could stand for any part of a long name: matched by google-re2 sets
#: (`ozml.gitignore.IgnoreList`); Python's expressions backtrack, about 32 times as long at each
#: doubling of the name.
_STAR_IGNORES = ("a*a*a*a*a*b", "**/a*a*a*a*b/**", "a*a*a*a*a*b/", "!a*a*a*a*a*b.xml")


def _ignoring(lines: tuple[str, ...]) -> Stage:
    """`Ignores.named_file_ignored` (what ``--force-exclude`` asks of a file named
    explicitly, and the walk of each file and folder) in a repository whose ``.gitignore``
    holds `lines`; the path need not exist. The ignore file is read before the timing."""

    def stage(path: str, dim: Dimension, n: int) -> Callable[[], object]:
        repo = _ignore_repository(lines)
        named = os.path.join(repo, path)
        ignores = Ignores()
        ignores.named_file_ignored(named)
        return lambda: [ignores.named_file_ignored(named) for _ in range(_MATCHES)]

    return stage


_REPOSITORIES: dict[tuple[str, ...], str] = {}

#: A path below the repository of an `ignore_lines` file that no line matches: each line is
#: tried (by its set) for it and for each folder above it.
_UNMATCHED = "src/main/calls/welcome.xml"


def _ignore_read(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Reading and compiling a ``.gitignore`` of n lines (`ignore_lines`), and the first
    question asked of it, as the first file named in its folder costs."""
    repo = _ignore_repository(tuple(text.splitlines()))
    named = os.path.join(repo, _UNMATCHED)
    return lambda: Ignores().named_file_ignored(named)


def _ignore_match(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Matching paths against a ``.gitignore`` of n lines read before the timing."""
    repo = _ignore_repository(tuple(text.splitlines()))
    named = os.path.join(repo, _UNMATCHED)
    ignores = Ignores()
    ignores.named_file_ignored(named)
    specs = ignores.specs_of(os.path.join(repo, ".gitignore"), os.path.join(repo, ".ignore"))
    assert specs is not None
    return lambda: [specs.match(_UNMATCHED, False) for _ in range(_MATCHES)]


def _ignore_repository(lines: tuple[str, ...]) -> str:
    """A folder with ``.git`` and a ``.gitignore`` of `lines` (one per run, removed at exit)."""
    if lines not in _REPOSITORIES:
        import atexit
        import shutil
        import tempfile

        repo = tempfile.mkdtemp(prefix="ozml-bench-ignore-")
        atexit.register(shutil.rmtree, repo, True)
        os.mkdir(os.path.join(repo, ".git"))
        with open(os.path.join(repo, ".gitignore"), "w", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
        _REPOSITORIES[lines] = repo
    return _REPOSITORIES[lines]


#: The stages of the path dimensions: `Matcher.excluded` for a file named explicitly (and for
#: a nested configuration's exclude, which asks the same) and for a walked one, and
#: `Matcher.included`, each with plain globs, with ``**``, and with several ``*``; and the
#: ignore files' lines with several ``*``.
PATH_STAGES: dict[str, Stage] = {
    "exclude named": _matching(_GLOBS, "named"),
    "exclude walked": _matching(_GLOBS, "walked"),
    "include": _matching(_GLOBS, "included"),
    "exclude ** named": _matching(_DEEP_GLOBS, "named"),
    "exclude ** walk": _matching(_DEEP_GLOBS, "walked"),
    "exclude * named": _matching(_STAR_GLOBS, "named"),
    "exclude * walked": _matching(_STAR_GLOBS, "walked"),
    "include *": _matching(_STAR_GLOBS, "included"),
    "ignore *": _ignoring(_STAR_IGNORES),
}

#: The stages of the ignore file's lines: reading and compiling them, and matching them.
IGNORE_STAGES: dict[str, Stage] = {"ignore read": _ignore_read, "ignore match": _ignore_match}


# --- the stages of the inputs that are not documents --------------------------------------------


def _built(dim: Dimension) -> Callable[[int], Response]:
    assert dim.build is not None, f"{dim.name} has no builder"
    return dim.build


def _build(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Building the document with ozml.builder: each value checked as the linter checks it,
    each element's children checked against the catalog."""
    build = _built(dim)
    return lambda: build(n)


def _write(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Writing the built document (built first, not timed): its tree, checked for a context
    (the whole tree walked), and its canonical XML."""
    built = _built(dim)(n)
    return lambda: built.to_xml("extension")


#: The folders of the inputs written to disk for `_folder`, by their text (one per run,
#: removed at exit).
_FOLDERS: dict[str, Path] = {}


def _folder(text: str, files: dict[str, str]) -> Path:
    """A folder holding `files` (by path), the input whose text is `text`."""
    if text not in _FOLDERS:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="ozml-bench-"))
        atexit.register(shutil.rmtree, folder, True)
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(content, encoding="utf-8")
        _FOLDERS[text] = folder
    return _FOLDERS[text]


def _config(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Reading the ``ozml.toml`` `text` as every command does for a file in its folder: the
    TOML, every key validated, the settings of one file (each glob matched against it); a
    configuration ozml refuses gives its message, as the command would print it."""
    named = str(_folder(text, {"ozml.toml": text}) / "calls" / "welcome.xml")

    def run() -> object:
        try:
            return Resolver().settings_for(named)
        except ConfigError as error:
            return str(error)

    return run


def _scenario(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """``ozml test`` of the scenario in `text` (with its script, `bundle`): reading it,
    linting its script, the dry run, and the comparison with its ``[expect]`` section
    (`ozml.testing.outcome.check_scenario`)."""
    path = _folder(text, unbundle(text)) / "bench.scenario.toml"
    return lambda: check_scenario(path)


#: The project of each size, built once (not timed): the graph's join is what is timed.
_PROJECTS: dict[tuple[str, int], tuple[Project, list[DocumentFlow], list[int | None]]] = {}


def _graph_project(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """``ozml graph`` of a project (its documents and links found first, not timed): every
    link joined to the documents answering it (`ozml.flow.project.join`), drawn as Mermaid."""
    key = (dim.name, n)
    if key not in _PROJECTS:
        folder = _folder(text, unbundle(text))
        config = load(folder / "ozml.toml")
        url_map = UrlMap.from_config(config)
        assert config is not None
        assert url_map is not None
        found = check_project(
            url_map, config.entry_points, Resolver().settings_for, root=config.root
        )
        assert found.project is not None
        documents = [d for d in found.project.documents if d.result is not None]
        flows = [build_flow(d.result.document.root, str(d.path)) for d in documents if d.result]
        _PROJECTS[key] = (found.project, flows, [d.index for d in documents])
    project, flows, indexes = _PROJECTS[key]
    fresh = [attrs.evolve(flow) for flow in flows]  # join replaces a flow's nodes and edges
    return lambda: mermaid.render(join(fresh, list(indexes), project))


#: The switchboard of each size with its calls ended (made once, not timed).
_BOARDS: dict[int, tuple[Switchboard, list[str]]] = {}


def _call_lookups(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """The simulator's state view of every call a load test placed (``GET /_ozml/calls/ID``
    finds each by its ID), after n calls ended."""
    if n not in _BOARDS:
        clock = ManualScheduler()
        board = Switchboard(simulator_config(), clock)
        ids = [board.place(f"+3620555{i}", "999", origin="Inbound").id for i in range(n)]
        clock.run()
        _BOARDS[n] = (board, ids)
    board, ids = _BOARDS[n]
    return lambda: [board.find(call_id) for call_id in ids]


def _route_answer(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """The simulator ringing the destinations of a routing answer (`text`'s Route commands)
    in turn, each not found, until none is left."""
    destinations = [Route(found.group(1)) for found in re.finditer(r"<Route>(.*?)</Route>", text)]
    clock = ManualScheduler()
    board = Switchboard(simulator_config(), clock)
    call = board.place("+3620555", "100", origin="Inbound")

    def run() -> object:
        board.route(call, destinations)
        return clock.run()

    return run


def _notification(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """Reading a notification's body as the framework helpers do
    (`ozml.notifications.parse`, with its default limits)."""
    body = text.encode()
    return lambda: parse_notification(body)


def _api_answer(text: str, dim: Dimension, n: int) -> Callable[[], object]:
    """The HTTP API client reading an answer into its typed result."""
    body = text.encode()
    return lambda: parse_response(body, "ListActiveCalls")


STAGES: dict[str, Stage] = {
    "check": _check,
    "check long run": _check_long_run,
    "lint": _lint,
    "parse": _parse,
    "fmt": _fmt,
    "fmt diff": _fmt_diff,
    "fix": _fix,
    "add noqa": _add_noqa,
    "baseline": _baseline,
    "report text": _report("text"),
    "report json": _report("json"),
    "report sarif": _report("sarif"),
    "dry run": _dry_run,
    "lsp lint": _lsp_lint,
    "lsp format": _lsp_format,
    "lsp actions": _lsp_actions,
    "lsp symbols": _lsp_symbols,
    "lsp completion": _lsp_completion,
    "lsp hover": _lsp_hover,
    "lsp references": _lsp_references,
    "lsp edit": _lsp_edit,
    "lsp cursors": _lsp_cursors,
    "graph": _graph(mermaid.render, folded=False),
    "graph dot": _graph(dot.render, folded=True),
}

#: The stages of each kind of input (`Dimension.kind`).
KINDS: dict[str, dict[str, Stage]] = {
    "document": STAGES,
    "path": PATH_STAGES,
    "ignore file": IGNORE_STAGES,
    "builder": {"build": _build, "write": _write},
    "config": {"config": _config},
    "scenario": {"ozml test": _scenario},
    "project": {"graph project": _graph_project},
    "calls": {"call lookups": _call_lookups},
    "routes": {"route answer": _route_answer},
    "notification": {"notification": _notification},
    "api answer": {"api answer": _api_answer},
}

# --- measuring --------------------------------------------------------------------------------


class _TooLong(BaseException):  # not caught by handlers that catch Exception
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop the block with `_TooLong` after `seconds` (main thread, Unix; else no limit)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure(stage: Stage, text: str, dim: Dimension, n: int, args: argparse.Namespace) -> float:
    """The median CPU time of ``args.repeats`` runs, and of more (up to 25) until they add up
    to 50 ms (not with ``--quick``); inf past ``args.limit``; nan when the stage does not apply.

    CPU time, not wall time: the machine is shared, and the others' load should count as
    little as possible. As `timeit` does, the cyclic garbage collector is off while a run is
    timed (unless ``--gc``): its collections land at random in a run and grow with everything
    alive, which blurs the ratios that this benchmark is about. They are part of a real run,
    though, and where ozml makes many objects that live on, the collector walks them again and
    again while they are made: ``--gc`` shows that (docs/performance.md), and such work pauses
    the collector (`ozml.gcpause`).

    Each run is made in a child process forked for it (where the system can fork): ozml
    remembers what it worked out for one document to spend less on the next (the elements it
    found clean, did-you-mean answers, verdicts on values), and a run of a document seen
    before would be cheaper than a first one by as much as that memory holds, which changes
    with the size: the ratios would measure the memory, not the work. Forked, every run meets
    the document as the first time, with everything else of the process as it was.
    """
    times: list[float] = []
    spent = 0.0
    at_least = 0.0 if args.quick else 0.05
    while len(times) < args.repeats or (spent < at_least and len(times) < 25):
        work = stage(text, dim, n)
        if work is None:
            return float("nan")
        if not args.quick:
            gc.collect()  # garbage of the previous run is not this run's cost
        took = _forked(work, args) if hasattr(os, "fork") else _timed(work, args)
        if math.isinf(took):
            return took
        times.append(took)
        spent += took
    return statistics.median(times)


def _timed(work: Callable[[], object], args: argparse.Namespace) -> float:
    """One run's CPU time in this process; inf past ``args.limit``."""
    if not args.gc:
        gc.disable()
    try:
        with _deadline(args.limit):
            started = time.process_time()
            work()
            return time.process_time() - started
    except _TooLong:
        return float("inf")
    finally:
        gc.enable()


def _forked(work: Callable[[], object], args: argparse.Namespace) -> float:
    """`_timed` in a child process; the child's failure is this process's error."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: time the run, write the figure (or the error), leave at once
        os.close(read)
        status = 0
        try:
            answer = repr(_timed(work, args))
        except BaseException as error:  # reported by the parent
            answer = f"error {type(error).__name__}: {error}"
            status = 1
        os.write(write, answer.encode())
        os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read().decode()
    os.waitpid(pid, 0)
    if answer.startswith("error ") or not answer:
        raise RuntimeError(f"a timed run failed in its child process: {answer or 'no answer'}")
    return float(answer)


@dataclass
class Row:
    dimension: str
    stage: str
    sizes: list[int]
    seconds: list[float | None]

    def ratios(self) -> list[float | None]:
        out: list[float | None] = []
        for a, b in zip(self.seconds, self.seconds[1:], strict=False):
            if a is None or b is None or math.isnan(a) or math.isnan(b) or a <= 0:
                out.append(None)
            else:
                out.append(b / a)
        return out

    @property
    def stopped(self) -> bool:
        """Whether a run went past the limit, or a size was skipped because one would have."""
        return any(s is None or s == float("inf") for s in self.seconds)

    def flagged(self, threshold: float) -> bool:
        """Super-linear: the last measured doubling is above the threshold, or a run was
        stopped at the limit."""
        if any(s == float("inf") for s in self.seconds if s is not None):
            return True
        measured = [r for r in self.ratios() if r is not None]
        return bool(measured) and measured[-1] > threshold


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds == float("inf"):
        return "timeout"
    if math.isnan(seconds):
        return "n/a"
    return f"{seconds * 1000:,.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None or value == float("inf") else f"{value:.2f}"


def _row(
    stage: Stage, texts: list[str], dim: Dimension, sizes: list[int], args: argparse.Namespace
) -> list[float | None]:
    """The times of one stage at every size; None for sizes skipped once a run went on too
    long (a quadratic row would run past the limit)."""
    seconds: list[float | None] = []
    for size, text in zip(sizes, texts, strict=True):
        last = seconds[-1] if seconds else 0.0
        if last is None or last == float("inf") or last * 4 > args.limit:
            seconds.append(None)
            continue
        seconds.append(measure(stage, text, dim, size, args))
    return seconds


def run(args: argparse.Namespace) -> list[Row]:
    dims = [d for d in DIMENSIONS if not args.dims or d.name in args.dims]
    rows: list[Row] = []
    header = (
        f"{'dimension':<17} {'stage':<15}"
        + "".join(f"{label:>11}" for label in ("n ms", "2n ms", "4n ms", "8n ms"))
        + "   ratios per doubling"
    )
    print(
        f"ozml linear-time benchmark; {os.cpu_count()} CPUs; Python"
        f" {sys.version.split()[0]}; median CPU time of {args.repeats} runs"
        f"{'' if args.gc else ', garbage collector off'}; flag > {args.threshold}"
    )
    for dim in dims:
        chosen = [s for s in dim.stages if not args.stages or s in args.stages]
        if not chosen:
            continue  # none of its stages asked for: not even its inputs are made
        base = max(int(dim.base * args.scale), 1)
        sizes = [base * 2**k for k in range(DOUBLINGS)]
        texts = [dim.generate(size) for size in sizes]
        described = ", ".join(
            f"{s:,} {dim.unit}: {len(t.encode()):,} B" for s, t in zip(sizes, texts, strict=True)
        )
        print(f"\n{dim.name}: {described}")
        print(header)
        stages = dim.stages
        for name in chosen:
            row = Row(dim.name, name, sizes, _row(stages[name], texts, dim, sizes, args))
            note = ""
            if row.flagged(args.threshold) and args.recheck and not row.stopped:
                # On a shared machine one doubling can look super-linear by chance: measure
                # the row again, with more runs, and keep the measurement that looks better.
                again = argparse.Namespace(**{**vars(args), "repeats": 2 * args.repeats + 1})
                second = Row(dim.name, name, sizes, _row(stages[name], texts, dim, sizes, again))
                if not second.flagged(args.threshold):
                    row, note = second, "  (measured twice)"
            rows.append(row)
            flag = "  SUPER-LINEAR" if row.flagged(args.threshold) else note
            seconds = row.seconds
            print(
                f"{dim.name:<17} {name:<15}"
                + "".join(f"{_ms(s):>11}" for s in seconds)
                + "   "
                + " ".join(f"{_ratio(r):>5}" for r in row.ratios())
                + flag,
                flush=True,
            )
    flagged = [r for r in rows if r.flagged(args.threshold)]
    print(
        f"\n{len(rows)} rows, {len(flagged)} flagged"
        + (": " + "; ".join(f"{r.dimension} / {r.stage}" for r in flagged) if flagged else "")
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    parser.add_argument("--scale", type=float, default=None, help="multiply every base size")
    parser.add_argument("--repeats", type=int, default=None, help="runs per cell (median)")
    parser.add_argument(
        "--dims",
        type=lambda s: s.split(","),
        default=None,
        help="comma-separated dimensions (default: all)",
    )
    parser.add_argument(
        "--stages",
        type=lambda s: s.split(","),
        default=None,
        help="comma-separated stages (default: all)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        help=f"flag a ratio per doubling above this (default {THRESHOLD})",
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=60.0,
        help="seconds one run may take before its row stops (default 60)",
    )
    parser.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector on while timing, at the thresholds the ozml program"
        " and the language server run with",
    )
    parser.add_argument(
        "--no-recheck",
        dest="recheck",
        action="store_false",
        help="report a flagged row as measured, without measuring it a second time",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a row is flagged")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = 0.1 if args.quick else 1.0
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    for chosen, known in (
        (args.dims, [d.name for d in DIMENSIONS]),
        (args.stages, list(dict.fromkeys(s for stages in KINDS.values() for s in stages))),
    ):
        unknown = [c for c in chosen or () if c not in known]
        if unknown:
            parser.error(f"unknown {', '.join(unknown)}; choose from {', '.join(known)}")
    if args.gc:
        # As in a real run: the program and the language server set these from their start.
        collect_less_often()
    rows = run(args)
    if args.json:
        data: list[dict[str, Any]] = [
            {
                "dimension": r.dimension,
                "stage": r.stage,
                "sizes": r.sizes,
                "seconds": [None if s is None or not math.isfinite(s) else s for s in r.seconds],
                "ratios": r.ratios(),
                "flagged": r.flagged(args.threshold),
            }
            for r in rows
        ]
        args.json.write_text(json.dumps(data, indent=1))
    if args.strict and any(r.flagged(args.threshold) for r in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
