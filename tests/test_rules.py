"""Every lint rule, tested by tables of small documents with exact positions and messages.

Each row is a document and the exact findings of one rule in it, written
``"LINE:COLUMN-END_LINE:END_COLUMN message"`` (1-based, end exclusive, columns in characters).
The documents cover the awkward places: attributes on a later line of a multi-line start tag,
text after child elements, CDATA and comments, self-closing tags, single quotes, tabs, CRLF line
endings, a UTF-8 byte-order mark and non-ASCII characters before the finding.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from ozml.catalog import Context
from ozml.diagnostics import Diagnostic, Fix, Severity
from ozml.lint import RULES, LintSettings, Rule, lint
from ozml.parser import parse

BOM = b"\xef\xbb\xbf"

#: How duplicate-parameter says that two names are one parameter only by assumption.
CASE_ASSUMED = (
    "; undocumented (spec §1): whether names are case-insensitive is UNKNOWN; that both name one"
    " parameter is assumed (D3)"
)
SPELLINGS_ASSUMED = (
    "; undocumented (spec §8 [{source}]): the vendor's pages spell this parameter more than one"
    " way; that {alias} names the same parameter is assumed ({decision})"
)

#: How unreachable-command says that Hangup's ending the script is assumed (D9).
HANGUP_ENDS_ASSUMED = (
    "; undocumented (spec §7.6 [oz4585]): the vendor does not say that the commands after a"
    " Hangup of the current call do not run, and one of its responses holds several Hangups"
)

#: How misspelt-name says that its preference among the vendor's spellings is assumed (D2).
PREFERENCE_ASSUMED = (
    "; undocumented (spec §8 [{source}]): which spelling the PBX reads is UNKNOWN; ozml's"
    " preference for {name} is assumed (D2)"
)

#: How relative-url says that the PBX's needing an absolute URL is assumed.
ABSOLUTE_ASSUMED = (
    "; undocumented (spec §4, §5 [oz4801][oz4201]): the vendor shows only absolute http:// URLs"
    " and never says whether the PBX resolves a relative one, or against what; that it needs an"
    " absolute URL is assumed"
)

#: How invalid-input-key says that a key's being both BackKey and an Input's is undocumented.
BACK_KEY_ASSUMED = (
    "; undocumented (spec §7.32 [oz4693][hu7663]): the vendor does not say whether BackKey or an"
    " Input with the same key wins; if BackKey does, this branch never runs"
)

#: How duplicate-input-key cites the assumption it rests on (spec §7.32).
REPEATED_KEY_CITED = (
    "; undocumented (spec §7.32 [oz4693][hu7663]): the vendor does not say what a key given"
    " to two Input branches of one menu does"
)

#: How text-not-allowed (and missing-parameter, beside it) says that an element takes no text
#: only by assumption (spec §1 [oz4254], the element's section).
TEXT_ASSUMED = (
    "; undocumented ({cited}): no parameter in its table is marked as element text, though a"
    " command may take one parameter as its text (spec §1 [oz4254]); that it takes none is"
    " assumed"
)
CONTAINER_TEXT_ASSUMED = (
    "; undocumented ({cited}): the vendor shows only child elements in it, and spec §2 leaves"
    " anything else there UNKNOWN; that it takes no text is assumed"
)

#: How child-not-allowed says what stands in UserInput is assumed (spec §2).
USERINPUT_CHILDREN_ASSUMED = (
    " the vendor's examples put only InitialCommands and Inputs in it (the prompts in"
    " InitialCommands, the Input branches in Inputs); that nothing else may stand directly in"
    " UserInput is assumed"
)


def D(text: str) -> str:
    """A document written indented in this file, without the indentation."""
    return textwrap.dedent(text).lstrip("\n")


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def shown(found: Diagnostic) -> str:
    s = found.span
    return f"{s.line}:{s.column}-{s.end_line}:{s.end_column} {found.message}"


def only(code: str, source: str | bytes, **settings: Any) -> list[Diagnostic]:
    """The findings of one rule in a full lint run (each table is about one rule)."""
    return [d for d in lint(source, "<test>", LintSettings(**settings)) if d.code == code]


def apply(source: str, fix: Fix | None) -> str:
    assert fix is not None
    text = source
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


Row = tuple[str, "str | bytes", list[str], dict[str, Any]]


def row(name: str, source: str | bytes, *expected: str, **settings: Any) -> Row:
    return (name, source, list(expected), settings)


TABLES: dict[str, list[Row]] = {
    "OZ001": [
        row(
            "end tag missing at end of file",
            D("""
                <Response>
                  <Speak>Hello</Speak>
            """),
            "3:1-3:1 not well-formed XML: Premature end of data in tag Response line 1",
        ),
        row(
            "mismatched end tag after non-ASCII text",
            D("""
                <Response>
                  <Speak>Grüße</Spek>
                </Response>
            """),
            "2:22-2:22 not well-formed XML: Opening and ending tag mismatch: Speak line 2 and Spek",
        ),
        row(
            "tab and CRLF",
            "<Response>\r\n\t<Speak>Hi</Spek>\r\n</Response>\r\n",
            "2:18-2:18 not well-formed XML: Opening and ending tag mismatch: Speak line 2 and Spek",
        ),
        row(
            "byte-order mark is not a column",
            BOM + b"<Response><Speak>Hi</Spek></Response>",
            "1:27-1:27 not well-formed XML: Opening and ending tag mismatch: Speak line 1 and Spek",
        ),
        row(
            "undefined entity",
            D("""
                <Response>
                  <Speak>&nbsp;</Speak>
                </Response>
            """),
            "2:16-2:16 not well-formed XML: Entity 'nbsp' not defined",
        ),
        row(
            "content after the root",
            D("""
                <Response>
                  <Speak>Hi</Speak>
                </Response>
                <Response/>
            """),
            "4:1-4:1 not well-formed XML: Extra content at the end of the document",
        ),
        row(
            "empty",
            "",
            "1:1-1:1 not well-formed XML: the document is empty:"
            " expected an XML document with a <Response> root",
        ),
        row(
            "only white space",
            "  \n",
            "2:1-2:1 not well-formed XML: the document is empty:"
            " expected an XML document with a <Response> root",
        ),
        row(
            "binary",
            b"\x00\x01\x02",
            "1:1-1:1 not well-formed XML: the input is binary data, not XML text",
        ),
        row("well-formed", "<Response><Hangup/></Response>"),
    ],
    "OZ002": [
        row(
            "DOCTYPE",
            D("""
                <?xml version="1.0"?>
                <!DOCTYPE Response>
                <Response/>
            """),
            "2:1-2:10 DOCTYPE declarations are not allowed in OzML: entities are not expanded"
            " and nothing external is loaded",
        ),
        row(
            "DOCTYPE after a comment with non-ASCII text",
            '<?xml version="1.0"?>\n<!-- ü --><!DOCTYPE Response>\n<Response/>\n',
            "2:11-2:20 DOCTYPE declarations are not allowed in OzML: entities are not expanded"
            " and nothing external is loaded",
        ),
        row(
            "internal entity, and its use",
            D("""
                <!DOCTYPE Response [
                  <!ENTITY company "Example Company">
                ]>
                <Response>
                  <Speak>Welcome to &company;</Speak>
                </Response>
            """),
            "1:1-1:10 DOCTYPE declarations are not allowed in OzML: entities are not expanded"
            " and nothing external is loaded",
            "5:4-5:9 entity reference &company; is not expanded: OzML uses only the five"
            " predefined XML entities and character references",
        ),
        row(
            "external entity is never loaded",
            D("""
                <!DOCTYPE Response [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <Response><Speak>&secret;</Speak></Response>
            """),
            "1:1-1:10 DOCTYPE declarations are not allowed in OzML: entities are not expanded"
            " and nothing external is loaded",
            "2:12-2:17 entity reference &secret; is not expanded: OzML uses only the five"
            " predefined XML entities and character references",
        ),
        row(
            "predefined entities and character references",
            "<Response><Speak>Fish &amp; chips &#233; &lt;3</Speak></Response>",
        ),
    ],
    "OZ003": [
        row(
            "over the limit",
            "<Response/>",
            "1:1-1:1 the input is 11 bytes, larger than the 10-byte limit; it was not parsed",
            max_bytes=10,
        ),
        row(
            "bytes, not characters, are counted",
            "<Response><Speak>ééé</Speak></Response>",
            "1:1-1:1 the input is 42 bytes, larger than the 40-byte limit; it was not parsed",
            max_bytes=40,
        ),
        row(
            "big numbers are grouped",
            "<Response>" + " " * 980 + "</Response>",
            "1:1-1:1 the input is 1,001 bytes, larger than the 1,000-byte limit;"
            " it was not parsed",
            max_bytes=1000,
        ),
        row("exactly at the limit", "<Response/>", max_bytes=11),
    ],
    "OZ101": [
        row(
            "a command as the root",
            "<Speak>Hello</Speak>\n",
            "1:2-1:7 the root element must be Response, found Speak: wrap the commands in"
            " <Response>",
        ),
        row(
            "misspelt root after a prolog",
            D("""
                <?xml version="1.0"?>
                <!-- Grüße -->
                <Respons>
                  <Speak>Hi</Speak>
                </Respons>
            """),
            "3:2-3:9 the root element must be Response, found Respons",
        ),
        row(
            "a prefixed root",
            '<x:Response xmlns:x="urn:x"><Hangup/></x:Response>',
            "1:2-1:12 the root element must be Response, found x:Response",
        ),
        row("the legacy root is legacy-name's", "<OzML><Hangup/></OzML>"),
        row("another case is non-canonical-case's", "<response><Hangup/></response>"),
    ],
    "OZ102": [
        row(
            "shaped like a Request handler: the others are UNKNOWN, a warning",
            "<Response><Request><OnRinging/></Request></Response>",
            "1:21-1:30 OnRinging in Request is undocumented (spec §7.13 [hu7642]): the vendor"
            " documents OnSetup and OnError; whether Request takes others is UNKNOWN",
        ),
        row(
            "misspelt command",
            D("""
                <Response>
                  <Speek>Hello</Speek>
                </Response>
            """),
            "2:4-2:9 unknown element Speek in Response; did you mean Speak?",
        ),
        row(
            "in a listed-children part, suggesting from its children",
            D("""
                <Response>
                  <UserInput>
                    <Inputs>
                      <Imput Key="1"/>
                    </Inputs>
                  </UserInput>
                </Response>
            """),
            "4:8-4:13 unknown element Imput in Inputs; did you mean Input?",
        ),
        row(
            "after non-ASCII text on the same line",
            "<Response><Speak>ü</Speak><Spéak>x</Spéak></Response>",
            "1:28-1:33 unknown element Spéak in Response; did you mean Speak?",
        ),
        row(
            "nothing close, CRLF and tab",
            crlf("<Response>\n\t<Foo/>\n</Response>\n"),
            "2:3-2:6 unknown element Foo in Response",
        ),
    ],
    "OZ103": [
        row(
            "a command whose parameter table is incomplete: a warning",
            '<Response><GoTo Foo="x">http://a.example.com/b</GoTo></Response>',
            "1:17-1:20 GoTo has no parameter Foo; undocumented (spec §9 [oz4801]): its Ozeki 10"
            " page was not found; its parameters are the older page's",
        ),
        row(
            "on a later line of a multi-line start tag",
            D("""
                <Response>
                  <ForwardCall
                      CallId="Nt3uh"
                      Destinaton="102"/>
                </Response>
            """),
            "4:7-4:17 ForwardCall has no parameter Destinaton; did you mean Destination?",
        ),
        row(
            "single quotes after a tab",
            "<Response>\n\t<Speak\tPary='all'>Hi</Speak>\n</Response>\n",
            "2:9-2:13 Speak has no parameter Pary; did you mean Party?",
        ),
        row(
            "a command without parameters",
            '<Response>\n  <Reject Reason="closed"/>\n</Response>\n',
            "2:11-2:17 Reject takes no parameters, found Reason",
        ),
        row(
            "the root, which takes only namespace and schema attributes",
            '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            ' xsi:noNamespaceSchemaLocation="ozml.xsd" lang="en"/>',
            "1:106-1:110 Response takes no parameters, found lang; undocumented (spec §1"
            " [oz4254]): the vendor gives it no parameter table and shows it without"
            " attributes; that it takes no other attribute is assumed",
        ),
        row(
            "nothing close",
            '<Response><Hangup Reason="x"/></Response>',
            "1:19-1:25 Hangup has no parameter Reason",
        ),
        row("undocumented commands are not checked", '<Response><Beep Volume="3"/></Response>'),
    ],
    "OZ104": [
        row(
            "a part outside its home",
            D("""
                <Response>
                  <Input Key="1">
                    <Speak>One</Speak>
                  </Input>
                </Response>
            """),
            "2:4-2:9 Input is not allowed in Response; it belongs in Inputs",
        ),
        row(
            "a command among listed children",
            D("""
                <Response>
                  <UserInput>
                    <Speak>Press 1.</Speak>
                    <Inputs>
                      <Speak>One</Speak>
                    </Inputs>
                  </UserInput>
                </Response>
            """),
            "3:6-3:11 Speak directly inside UserInput is undocumented (spec §2 [oz4693]):"
            + USERINPUT_CHILDREN_ASSUMED,
            "5:8-5:13 Speak is not allowed in Inputs; expected Input",
        ),
        row(
            # Spec §2 lists InitialCommands and Inputs in UserInput and nothing else: an Input
            # directly in it is as undocumented as a prompt (it was an error, "stated").
            "a part directly inside UserInput, whose children are assumed",
            D("""
                <Response>
                  <UserInput>
                    <Input Key="1"><Hangup/></Input>
                  </UserInput>
                </Response>
            """),
            "3:6-3:11 Input directly inside UserInput is undocumented (spec §2 [oz4693]):"
            + USERINPUT_CHILDREN_ASSUMED
            + "; the vendor shows Input in Inputs",
        ),
        row(
            "an element that is no command inside ForEach: the vendor shows only commands",
            '<Response><ForEach Source="a"><Item>x</Item></ForEach></Response>',
            "1:32-1:36 Item directly inside ForEach is undocumented (spec §7.25 [oz5403][hu7654]):"
            " the vendor shows only commands in it (Speak, Play and MoveFile) and says nothing of"
            " other elements; that it holds commands and nothing else is assumed; the vendor"
            " shows Item in Array",
        ),
        row(
            "... and inside InitialCommands, Input and Received",
            D("""
                <Response>
                  <UserInput>
                    <InitialCommands><Inputs/></InitialCommands>
                    <Inputs><Input Key="1"><Item>x</Item></Input></Inputs>
                  </UserInput>
                  <ReceiveAlarmNotification><Received><Input Key="2"/></Received>
                  </ReceiveAlarmNotification>
                </Response>
            """),
            "3:23-3:29 Inputs directly inside InitialCommands is undocumented (spec §2"
            " [oz4693][hu7663]): the vendor shows only commands in it (Speak and Delay, the"
            " commands played while waiting) and says nothing of other elements; that it holds"
            " commands and nothing else is assumed; the vendor shows Inputs in UserInput",
            "4:29-4:33 Item directly inside Input is undocumented (spec §2"
            " [oz4693][hu7663][oz4801]): the vendor shows only commands in it (GoTo, Speak,"
            " Hangup, ForEach, BlindTransfer and a nested UserInput) and says nothing of other"
            " elements; that it holds commands and nothing else is assumed; the vendor shows Item"
            " in Array",
            "6:40-6:45 Input directly inside Received is undocumented (spec §2 [oz5556][hu7670]):"
            " the vendor shows only commands in it (Call, SendSms, SendEmail and SendMsg) and says"
            " nothing of other elements; that it holds commands and nothing else is assumed; the"
            " vendor shows Input in Inputs",
        ),
        row(
            "undocumented: children of Call and BlindTransfer, other Request handlers",
            D("""
                <Response>
                  <Call>100<Speak>Hi</Speak></Call>
                  <BlindTransfer>102<Hangup/></BlindTransfer>
                  <Request DialedAddress="102"><Speak>Hi</Speak></Request>
                </Response>
            """),
            "2:13-2:18 Speak directly inside Call is undocumented (spec §2 [oz4588]): whether"
            " Call takes child elements is UNKNOWN",
            "3:22-3:28 Hangup directly inside BlindTransfer is undocumented (spec §2"
            " [oz4583][oz4617][hu7631]): whether BlindTransfer takes child elements is UNKNOWN",
            "4:33-4:38 Speak directly inside Request is undocumented (spec §7.13 [hu7642]): only"
            " the OnSetup and OnError handlers are seen; the full set is UNKNOWN",
        ),
        row(
            # Spec §2 lists only what the vendor shows and leaves everything else UNKNOWN; no
            # page says a command takes no child elements. These were errors that said "Speak
            # takes no child elements" as if the vendor stated it.
            "an element in a command the vendor shows without child elements",
            D("""
                <Response>
                  <Speak>x<Play>a.wav</Play></Speak>
                  <Play>a.wav<Hangup/></Play>
                  <Hangup><Speak>Bye</Speak></Hangup>
                  <ForwardCall Destination="1"><Speak>x</Speak></ForwardCall>
                  <Speak>One<Input Key="1"/></Speak>
                </Response>
            """),
            "2:12-2:16 Play directly inside Speak is undocumented (spec §2 [hu7644]): the vendor"
            " shows no child elements in Speak; whether it takes any is UNKNOWN",
            "3:15-3:21 Hangup directly inside Play is undocumented (spec §2 [hu7640]): the vendor"
            " shows no child elements in Play; whether it takes any is UNKNOWN",
            "4:12-4:17 Speak directly inside Hangup is undocumented (spec §2 [hu7635]): the"
            " vendor shows no child elements in Hangup; whether it takes any is UNKNOWN",
            "5:33-5:38 Speak directly inside ForwardCall is undocumented (spec §2 [hu7633]): the"
            " vendor shows no child elements in ForwardCall; whether it takes any is UNKNOWN",
            "6:14-6:19 Input directly inside Speak is undocumented (spec §2 [hu7644]): the vendor"
            " shows no child elements in Speak; whether it takes any is UNKNOWN; the vendor shows"
            " Input in Inputs",
        ),
        row(
            "a nested root",
            "<Response>\n  <Response/>\n</Response>\n",
            "2:4-2:12 Response is the document root and cannot be nested in Response",
        ),
        row(
            # That a response is the enclosing element is stated [oz4254], wherever it is nested.
            "a nested root in a command and in a part",
            "<Response><Speak>x<Response/></Speak><UserInput><Inputs><Response/></Inputs>"
            "</UserInput></Response>",
            "1:20-1:28 Response is the document root and cannot be nested in Speak",
            "1:58-1:66 Response is the document root and cannot be nested in Inputs",
        ),
        row(
            "HTTP-only commands are http-only-command's",
            "<Response><Speak><ListActiveCalls/></Speak></Response>",
        ),
        row(
            # http-only-command only warns where OzML use is undocumented: where it stands is
            # judged as for any command, so a misplacement the vendor states (in Inputs) stays
            # an error (and the schema rejects it); in Hangup it is undocumented.
            "an HTTP command whose OzML use is undocumented, where no command may stand",
            "<Response><Hangup><ListCallHistory/></Hangup>"
            "<UserInput><Inputs><SendMessage/></Inputs></UserInput></Response>",
            "1:20-1:35 ListCallHistory directly inside Hangup is undocumented (spec §2 [hu7635]):"
            " the vendor shows no child elements in Hangup; whether it takes any is UNKNOWN",
            "1:66-1:77 SendMessage is not allowed in Inputs; expected Input",
        ),
        row(
            "undocumented commands may hold anything",
            "<Response><Exit><Speak>x</Speak></Exit></Response>",
        ),
    ],
    # Text where no parameter is documented as text: assumed (a warning saying so, citing the
    # element's section), as the general form lets a command take one parameter as its text
    # (spec §1); these were errors that claimed "takes no text" as stated. Only Reject, which
    # the vendor says has no parameters, is an error.
    "OZ105": [
        row(
            "prose after a command",
            D("""
                <Response>
                  <Speak>Hi</Speak>
                  prose here
                </Response>
            """),
            "3:3-3:13 Response is not known to take element text, found 'prose here'"
            + CONTAINER_TEXT_ASSUMED.format(cited="spec §2 [oz4254][oz5404]"),
        ),
        row(
            "a value as text for a command that wants an attribute",
            '<Response>\n  <ForwardCall Destination="1"><Speak>x</Speak> tail</ForwardCall>\n'
            "</Response>",
            "2:49-2:53 ForwardCall is not known to take element text, found 'tail';"
            " give the value as an attribute (CallId, Destination)"
            + TEXT_ASSUMED.format(cited="spec §7.4 [oz4584][hu7633]"),
        ),
        row(
            "text in CDATA",
            "<Response>\n  <Hangup><![CDATA[now]]></Hangup>\n</Response>",
            "2:20-2:23 Hangup is not known to take element text, found 'now'; give the value as"
            " an attribute (CallId)"
            + TEXT_ASSUMED.format(cited="spec §7.6 [oz4585][oz4689][hu7635]"),
        ),
        row(
            "a command without parameters, after a comment, BOM and CRLF: stated, an error",
            BOM + crlf("<Response>\n  <Reject><!-- no -->later</Reject>\n</Response>\n").encode(),
            "2:22-2:27 Reject takes no text, found 'later'",
        ),
        row(
            "long text is shortened",
            "<Response>Please say hello to the caller and then hang up</Response>",
            "1:11-1:58 Response is not known to take element text, found 'Please say hello to the"
            " cal...'" + CONTAINER_TEXT_ASSUMED.format(cited="spec §2 [oz4254][oz5404]"),
        ),
        row(
            "SendEmail's body: UNKNOWN (spec §7.18)",
            '<Response><SendEmail Recipient="a@example.com">Hi</SendEmail></Response>',
            "1:48-1:50 SendEmail is not known to take element text, found 'Hi'; give the value as"
            " an attribute (ApiExtension, Sender, Recipient, Message, Subject); undocumented"
            " (spec §7.18 [oz4774]): whether SendEmail takes its body as element text is"
            " UNKNOWN; that it takes none is assumed",
        ),
        row("a comment is not text", "<Response><Hangup><!-- x --></Hangup></Response>"),
    ],
    "OZ106": [
        row(
            "attribute and text",
            '<Response>\n  <Speak Text="Hello">Goodbye</Speak>\n</Response>\n',
            "2:23-2:30 Speak Text is given both as the Text attribute and as text; keep one",
        ),
        row(
            "an alias attribute and text on a later line, CRLF",
            crlf('<Response>\n  <Call\n    Dialled="100">\n    101\n  </Call>\n</Response>\n'),
            "4:5-4:8 Call Dialed is given both as the Dialled attribute and as text; keep one",
        ),
        row("text only", "<Response><Speak>Hello</Speak></Response>"),
    ],
    "OZ107": [
        # Never stated by the vendor (spec §1, §8): a warning that says the collision is assumed.
        row(
            "a name and its vendor typo",
            '<Response>\n  <AttendedTransfer TargetCallId="HL1bE" TransferredCallId="a1"'
            ' TranferredCallId="b2"/>\n</Response>\n',
            "2:65-2:81 AttendedTransfer TransferredCallId is given twice, as TransferredCallId"
            " and as TranferredCallId" + SPELLINGS_ASSUMED.format(
                source="hu7630", alias="TranferredCallId", decision="D2"
            ),
        ),
        row(
            "another letter case, on a later line",
            D("""
                <Response>
                  <ForwardCall
                    Destination="1"
                    destination='2'/>
                </Response>
            """),
            "4:5-4:16 ForwardCall Destination is given twice, as Destination and as destination"
            + CASE_ASSUMED,
        ),
        row(
            "three spellings",
            '<Response><Call Dialed="1" Dialled="2" dialed="3"/></Response>',
            "1:28-1:35 Call Dialed is given twice, as Dialed and as Dialled"
            + SPELLINGS_ASSUMED.format(source="oz4588", alias="Dialled", decision="D1"),
            "1:40-1:46 Call Dialed is given twice, as Dialed and as dialed" + CASE_ASSUMED,
        ),
        row(
            "a case variant and a vendor sample's spelling",
            '<Response><UserInput ForwardToUrl="http://a/" enteredUrl="http://b/"/></Response>',
            "1:47-1:57 UserInput ForwardToURL is given twice, as ForwardToUrl and as enteredUrl"
            + SPELLINGS_ASSUMED.format(source="ghIVR", alias="enteredUrl", decision="D2"),
        ),
    ],
    "OZ201": [
        row(
            "self-closing",
            D("""
                <?xml version="1.0"?>
                <!-- ForwardCall without Destination. -->
                <Response>
                  <ForwardCall CallId="Nt3uh"/>
                </Response>
            """),
            "4:4-4:15 ForwardCall needs Destination",
        ),
        row(
            "a text parameter",
            "<Response>\n  <Speak></Speak>\n</Response>\n",
            "2:4-2:9 Speak needs Text (as an attribute or as the element text)",
        ),
        row(
            # Whether "102" gives Destination is as unknown as whether ForwardCall takes text
            # (spec §1, §7.4): a warning that says so (it was an error, beside OZ105's).
            "text in a command none of whose parameters is documented as text",
            "<Response><ForwardCall>102</ForwardCall></Response>",
            "1:12-1:23 ForwardCall needs Destination (its text '102' is assumed not to give it)"
            + TEXT_ASSUMED.format(cited="spec §7.4 [oz4584][hu7633]"),
        ),
        row(
            "white space is no text: ForwardCall without Destination stays an error",
            "<Response><ForwardCall>  </ForwardCall></Response>",
            "1:12-1:23 ForwardCall needs Destination",
        ),
        row(
            "two missing, in parameter order",
            "<Response><CallSetup/></Response>",
            "1:12-1:21 CallSetup needs Caller",
            "1:12-1:21 CallSetup needs Callee",
        ),
        row(
            "a part",
            "<Response><UserInput><Inputs>\n<Input><Hangup/></Input>\n</Inputs></UserInput></Response>",
            "2:2-2:7 Input needs Key; undocumented (spec §7.32 [oz4693][hu7663]): every example"
            " gives Input a key; that it is mandatory is not stated",
        ),
        row(
            "mandatory only under 3pcc",
            '<Response>\n  <Speak>Hello</Speak>\n  <Play Party="all">a.wav</Play>\n</Response>\n',
            "2:4-2:9 Speak needs Party in a 3pcc script (context from --context); undocumented"
            " (spec §7.15 [oz4581][hu7644]): mandatory under 3PCC on the older page [oz4581],"
            " optional on the Ozeki 10 page [hu7644]",
            context=Context.THREE_PCC,
            context_origin="--context",
        ),
        row(
            "not under the default context",
            '<Response>\n  <Speak>Hello</Speak>\n</Response>\n',
        ),
        row(
            "a misspelt attribute is unknown-attribute's",
            '<Response><ForwardCall Destinaton="1"/></Response>',
        ),
        row(
            "credentials and CallId are never required in a document",
            '<Response><Hold/><ForwardCall Destination="1"/></Response>',
        ),
        row(
            "HTTP-only commands are http-only-command's",
            "<Response><ListAddressbookContacts/></Response>",
        ),
    ],
    "OZ202": [
        row(
            "a boolean",
            '<Response>\n  <Play Repeat="yes">hello.wav</Play>\n</Response>\n',
            "2:17-2:20 Play Repeat must be true or false, found 'yes'",
        ),
        row(
            "a choice in single quotes, with a suggestion",
            "<Response>\n  <Speak Party='calee'>Hi</Speak>\n</Response>\n",
            "2:17-2:22 Speak Party must be caller, callee or all, found 'calee';"
            " did you mean 'callee'?",
        ),
        row(
            "the element text",
            "<Response>\n  <Delay>\n    five\n  </Delay>\n</Response>\n",
            "3:5-3:9 Delay Time (the element text) must be a number of seconds such as 5 or 1.5,"
            " found 'five'",
        ),
        row(
            "after non-ASCII text, tab separated",
            '<Response><Speak Text="Grüße aus Köln"\tLanguage="de_DE"/></Response>',
            "1:50-1:55 Speak Language must be a language code such as en-US, found 'de_DE';"
            " undocumented (spec §7.15 [oz4692][hu7644]): typed \"string (language code)\";"
            " its exact form is not stated",
        ),
        row(
            "a value across lines",
            '<Response>\n  <Call Url="http://x/\n     y">100</Call>\n</Response>\n',
            "2:14-3:7 Call Url must be a URL without spaces, found 'http://x/      y'",
        ),
        row(
            "too many digits, long values shortened",
            D("""
                <Response>
                  <SendAlarmNotification PhoneNumber="1000" AccountNumber="12345" EventCode="110"
                    PartitionNumber="1" ZoneNumber="123456789012345678901234567890123456789012345"/>
                </Response>
            """),
            "2:60-2:65 SendAlarmNotification AccountNumber must be a number of exactly 4 digits,"
            " found '12345'",
            "3:37-3:82 SendAlarmNotification ZoneNumber must be a number of at most 3 digits,"
            " found '1234567890123456789012345678901234567...'",
        ),
        row(
            "variables and templates are not checked",
            '<Response><Delay>$wait</Delay><Play Repeat="{{ repeat }}">a.wav</Play></Response>',
        ),
        row(
            "another letter case is non-canonical-case's",
            '<Response><Play Repeat="True">a.wav</Play></Response>',
        ),
    ],
    "OZ301": [
        row(
            "a legacy command",
            '<Response>\n  <Forward Destination="102"></Forward>\n</Response>\n',
            "2:4-2:11 Forward is the legacy name of ForwardCall",
        ),
        row(
            "the legacy root",
            "<OzML>\n  <Hangup/>\n</OzML>\n",
            "1:2-1:6 OzML is the legacy name of Response",
        ),
        row(
            "a legacy attribute on a later line",
            "<Response>\n  <Call\n\tDialled='100'/>\n</Response>\n",
            "3:2-3:9 Dialled is the legacy name of Call's Dialed",
        ),
    ],
    "OZ302": [
        row(
            "the Ozeki 10 page's spelling",
            '<Response>\n  <AttendedTransfer TargetCallId="HL1bE" TranferredCallId="Nt3uh"/>\n'
            "</Response>",
            "2:42-2:58 TranferredCallId is AttendedTransfer's TransferredCallId as an Ozeki 10"
            " page spells it"
            + PREFERENCE_ASSUMED.format(source="hu7630", name="TransferredCallId"),
        ),
        row(
            "a vendor sample's spelling in a nested element",
            D("""
                <Response>
                  <UserInput enteredUrl="http://yourapp.com/dtmf.php"/>
                </Response>
            """),
            "2:14-2:24 enteredUrl is UserInput's ForwardToURL as a vendor sample spells it"
            + PREFERENCE_ASSUMED.format(source="ghIVR", name="ForwardToURL"),
        ),
        row(
            "single quotes, CRLF",
            crlf("<Response>\n  <SendSms Recipient='+3620' DelivaryReportURL='http://x/'>Hi</SendSms>\n</Response>"),
            "2:30-2:47 DelivaryReportURL is SendSms's DeliveryReportURL as an Ozeki 10 page"
            " spells it" + PREFERENCE_ASSUMED.format(source="hu7649", name="DeliveryReportURL"),
        ),
        row(
            "given twice is duplicate-parameter's",
            '<Response><AttendedTransfer TargetCallId="a" TransferredCallId="b"'
            ' TranferredCallId="c"/></Response>',
        ),
    ],
    "OZ303": [
        row(
            "an element",
            "<Response>\n  <speak>Hello</speak>\n</Response>\n",
            "2:4-2:9 speak should be written Speak",
        ),
        row(
            "the vendor's lower-case Var",
            '<Response><var id="greeting">Hello</var></Response>',
            "1:12-1:15 var should be written Var",
            "1:16-1:18 id should be written Id",
        ),
        row(
            "values",
            "<Response>\n  <Speak Party='All'>Hi</Speak>\n"
            '  <Play Repeat="TRUE">a.wav</Play>\n</Response>',
            "2:17-2:20 Speak Party value 'All' should be written 'all'",
            "3:17-3:21 Play Repeat value 'TRUE' should be written 'true'",
        ),
        row(
            "after non-ASCII text, BOM",
            BOM + "<Response><Speak>Ünïcödé</Speak><hangup/></Response>".encode(),
            "1:34-1:40 hangup should be written Hangup",
        ),
    ],
    "OZ401": [
        row(
            "after another command",
            "<Response>\n  <Speak>Sorry, we are closed.</Speak>\n  <Reject/>\n</Response>\n",
            "3:4-3:10 Reject must be the first command of the response",
        ),
        row(
            "inside a menu",
            D("""
                <Response>
                  <UserInput>
                    <Inputs>
                      <Input Key="1"><Reject/></Input>
                    </Inputs>
                  </UserInput>
                </Response>
            """),
            "4:23-4:29 Reject must be the first command of the response (it is inside Input)",
        ),
        row(
            "after an unknown element",
            "<Response><Foo/><Reject/></Response>",
            "1:18-1:24 Reject must be the first command of the response",
        ),
        row(
            "the second of two",
            "<Response><Reject/><Reject/></Response>",
            "1:21-1:27 Reject must be the first command of the response",
        ),
        row(
            "comments and processing instructions do not count",
            "<Response><!-- closed --><?php echo 1; ?><Reject/></Response>",
        ),
    ],
    "OZ402": [
        row(
            "after Hangup, reported once per block",
            D("""
                <Response>
                  <Speak>Thank you.</Speak>
                  <Hangup/>
                  <Speak>Goodbye.</Speak>
                  <Speak>Really.</Speak>
                </Response>
            """),
            "4:4-4:9 Speak never runs if the script ends at Hangup on line 3, as ozml assumes"
            " (D9)" + HANGUP_ENDS_ASSUMED,
        ),
        row(
            "Exit in one menu branch only, CRLF",
            crlf(D("""
                <Response>
                  <UserInput>
                    <Inputs>
                      <Input Key="1"><Exit/><Speak>one</Speak></Input>
                      <Input Key="2"><Speak>two</Speak></Input>
                    </Inputs>
                  </UserInput>
                  <Speak>after the menu</Speak>
                </Response>
            """)),
            "4:30-4:35 Speak never runs if the script ends at Exit on line 4, as ozml assumes"
            " (D9); undocumented (spec §7.36 [hu7666]): Exit has no page; what it does is"
            " UNKNOWN (D6)",
        ),
        row(
            "after Reject: the vendor states it",
            "<Response><Reject/><Hangup/></Response>",
            "1:21-1:27 Hangup is never run: the script ends at Reject on line 1",
        ),
        row(
            "under 3pcc, Hangup of the notified call: assumed all the same",
            "<Response><Hangup/><Speak Party='all'>Goodbye</Speak></Response>",
            "1:21-1:26 Speak never runs if the script ends at Hangup on line 1, as ozml assumes"
            " (D9)" + HANGUP_ENDS_ASSUMED,
            context=Context.THREE_PCC,
        ),
        row(
            "Hangup of another call and BlindTransfer do not end the script",
            '<Response><Hangup CallId="x"/><BlindTransfer>1</BlindTransfer><Hangup/></Response>',
        ),
    ],
    "OZ501": [
        row(
            "an HTTP-only command",
            "<Response>\n  <ListActiveCalls/>\n</Response>\n",
            "2:4-2:19 ListActiveCalls is an HTTP API command and cannot be used in an OzML"
            " document",
        ),
        row(
            "by its legacy name, nested",
            "<Response>\n  <UserInput><Inputs><Input Key='1'>\n    <GetCallHistory/>\n"
            "  </Input></Inputs></UserInput>\n</Response>",
            "3:6-3:20 ListCallHistory is documented only as an HTTP API command; in an OzML"
            " document it is undocumented (spec §7.5 [hu7634][oz4804]): no OzML use is shown;"
            " OzML: UNKNOWN",
        ),
        row(
            "undocumented and HTTP-only",
            "<Response><ListExtensionTypes/></Response>",
            "1:12-1:30 ListExtensionTypes is documented only as an HTTP API command; in an OzML"
            " document it is undocumented (spec §9 [hu7666]): its page was not found",
        ),
    ],
    "OZ502": [
        row(
            "an undocumented command",
            "<Response>\n  <Beep/>\n</Response>\n",
            "2:4-2:8 Beep is undocumented: its parameters are not checked",
        ),
        row(
            "with attributes, which are not checked",
            "<Response>\t<DeleteFile Path='old.wav'/>\t<Exit/></Response>",
            "1:13-1:23 DeleteFile is undocumented: its parameters are not checked",
            "1:42-1:46 Exit is undocumented: its parameters are not checked",
        ),
        row(
            "HTTP-only ones are http-only-command's",
            "<Response><ListAddressbookNames/></Response>",
        ),
    ],
    "OZ601": [
        row(
            "the vendor's pages disagree about Route in 3pcc: a warning",
            '<Response><Route Destination="102"/></Response>',
            "1:12-1:17 Route is not valid in a 3pcc script (context from the default); use it in"
            " routing scripts; undocumented (spec §1.2 [oz4697][oz4594]): the 3PCC index lists"
            " Route; its own page answers only RoutingInterception",
            context=Context.THREE_PCC,
        ),
        row(
            "a 3pcc command in an extension script, inline context",
            "<!-- ozml: context=extension -->\n<Response>\n  <Hold/>\n</Response>\n",
            "3:4-3:8 Hold is not valid in an extension script (context from the inline comment on"
            " line 1); use it in 3pcc scripts",
        ),
        row(
            "context from the command line",
            '<Response>\n  <Hold/>\n  <Route Destination="1000"/>\n</Response>\n',
            "2:4-2:8 Hold is not valid in an extension script (context from --context);"
            " use it in 3pcc scripts",
            "3:4-3:9 Route is not valid in an extension script (context from --context);"
            " use it in routing scripts",
            context=Context.EXTENSION,
            context_origin="--context",
        ),
        row(
            "a routing script; commands of unknown context are left alone",
            '<!-- ozml: context=routing -->\n<Response>\n  <Speak>Hi</Speak><CallSetup Caller="1"'
            ' Callee="2"/>\n</Response>\n',
            "3:4-3:9 Speak is not valid in a routing script (context from the inline comment on"
            " line 1); use it in extension or 3pcc scripts",
        ),
        row("nothing in context any", "<Response><Hold/><Route/></Response>"),
    ],
    "OZ602": [
        row(
            "on a later line of the start tag",
            "<!-- ozml: context=extension -->\n<Response>\n  <BlindTransfer\n"
            '      TransferorParty="caller">102</BlindTransfer>\n</Response>\n',
            "4:7-4:22 BlindTransfer TransferorParty is ignored in an extension script (context"
            " from the inline comment on line 1); it is used only in 3pcc scripts",
        ),
        row(
            "two, one in single quotes",
            "<!-- ozml: context=3pcc -->\n<Response>\n  <Record Duration=\"60\""
            " FinishDigits='#'/>\n</Response>\n",
            "3:11-3:19 Record Duration is ignored in a 3pcc script (context from the inline"
            " comment on line 1); it is used only in extension scripts",
            "3:25-3:37 Record FinishDigits is ignored in a 3pcc script (context from the inline"
            " comment on line 1); it is used only in extension scripts",
        ),
        row(
            "nothing in context any",
            '<Response><Record Duration="60"/><BlindTransfer TransferorParty="caller">1'
            "</BlindTransfer></Response>",
        ),
    ],
    "OZ701": [
        row(
            "a misspelt name, with a suggestion",
            D("""
                <Response>
                  <Var Id="name">Alice</Var>
                  <Speak>Hello $name, goodbye $nmae</Speak>
                </Response>
            """),
            "3:31-3:36 $nmae is not defined; did you mean $name?",
        ),
        row(
            "after non-ASCII text",
            "<Response>\n  <Speak>Grüße $who</Speak>\n</Response>\n",
            "2:16-2:20 $who is not defined",
        ),
        row(
            "used before its Var",
            '<Response>\n  <Speak>$who</Speak>\n  <Var Id="who">x</Var>\n</Response>\n',
            "2:10-2:14 $who is used before its Var on line 3",
        ),
        row(
            "an alarm field outside Received",
            '<Response>\n  <ReceiveAlarmNotification><Received><SendSms Recipient="1">$account'
            "</SendSms></Received></ReceiveAlarmNotification>\n  <Speak>$account</Speak>\n"
            "</Response>\n",
            "3:10-3:18 $account is set only inside Received (of ReceiveAlarmNotification)",
        ),
        row(
            "supplied by the PBX in extension scripts",
            "<!-- ozml: context=extension -->\n<Response><Speak>Hello $username</Speak></Response>",
        ),
    ],
    "OZ702": [
        row(
            "an unused Var",
            D("""
                <Response>
                  <Var Id="greeting">Welcome</Var>
                  <Speak>Hello</Speak>
                </Response>
            """),
            "2:12-2:20 Var greeting is defined but $greeting is never used",
        ),
        row(
            "an unread Array, Id on a later line in single quotes",
            "<Response>\n  <Array\n     Id='news'><Item>Sunny</Item></Array>\n</Response>\n",
            "3:10-3:14 Array news is defined but no ForEach reads it",
        ),
        row(
            "the script may go on elsewhere",
            '<Response><Var Id="greeting">Welcome</Var><GoTo>http://x/</GoTo></Response>',
        ),
        row(
            "used in another letter case",
            '<Response><Var Id="Greeting">Welcome</Var><Speak>$greeting</Speak></Response>',
        ),
    ],
    "OZ703": [
        row(
            "a misspelt array name",
            D("""
                <Response>
                  <Array Id="news"><Item>Sunny</Item></Array>
                  <ForEach Source="news"><Speak>$item</Speak></ForEach>
                  <ForEach Source="nwes"><Speak>$item</Speak></ForEach>
                </Response>
            """),
            "4:20-4:24 ForEach Source 'nwes' names no Array; did you mean 'news'?",
        ),
        row(
            "nothing close, tab and CRLF",
            crlf(
                '<Response>\n\t<ForEach Source="todo"><Speak>$item</Speak></ForEach>\n</Response>'
            ),
            "2:19-2:23 ForEach Source 'todo' names no Array",
        ),
        row(
            "the PBX's voicemails array",
            "<!-- ozml: context=extension -->\n<Response><ForEach Source=\"voicemails\">"
            "<Speak>$item.from</Speak></ForEach></Response>",
        ),
    ],
    "OZ704": [
        row(
            "after the loop, with a property",
            D("""
                <Response>
                  <Array Id="news"><Item>Sunny</Item></Array>
                  <ForEach Source="news"/>
                  <Speak>Now: $item, $item.date</Speak>
                </Response>
            """),
            "4:15-4:20 $item is set only inside ForEach",
            "4:22-4:32 $item.date is set only inside ForEach",
        ),
        row(
            "in the element text of Play",
            "<Response>\n  <Play>$item.file</Play>\n</Response>\n",
            "2:9-2:19 $item.file is set only inside ForEach",
        ),
    ],
    "OZ705": [
        row(
            "each Var repeats the one before ten times",
            "<Response>\n<Var Id=\"a0\">0123456789</Var>\n"
            + "".join(f'<Var Id="a{i}">' + f"$a{i - 1}" * 10 + "</Var>\n" for i in range(1, 8))
            + "<Speak>$a7</Speak>\n</Response>\n",
            "8:10-8:12 Var a6 expands to about 9.5 MiB (each of a1..a6 repeats the previous one"
            " 10 times); ozml run stops a value over 1 MiB",
        ),
        row(
            "ten times five times stays under 1 MiB",
            "<Response>\n<Var Id=\"a0\">0123456789</Var>\n"
            + "".join(f'<Var Id="a{i}">' + f"$a{i - 1}" * 10 + "</Var>\n" for i in range(1, 6))
            + "<Speak>$a5</Speak>\n</Response>\n",
        ),
        row(
            "one Id redefined, doubling",
            '<Response>\n<Var Id="s">' + "s" * 1000 + "</Var>\n"
            + '<Var Id="s">$s$s</Var>\n' * 12 + "<Speak>$s</Speak>\n</Response>\n",
            "13:10-13:11 Var s expands to about 2.0 MiB (11 of its definitions in a row each"
            " double the previous value); ozml run stops a value over 1 MiB",
        ),
        row(
            "one variable repeated, in an attribute",
            '<Response>\n  <Var Id="a">' + "a" * 300_000 + "</Var>\n"
            '  <Var Id="b" Value="$a $a $a $a"/>\n  <Speak>$b</Speak>\n</Response>\n',
            "3:12-3:13 Var b expands to about 1.1 MiB (it repeats $a 4 times); ozml run stops a"
            " value over 1 MiB",
        ),
        row(
            "referring to itself inside ForEach, lower-case id, non-ASCII before",
            D("""
                <Response>
                  <Array Id="rounds"><Item>1</Item><Item>2</Item></Array>
                  <Var Id="echo">Grüße</Var>
                  <ForEach Source="rounds">
                    <Var id='echo'>$echo $ECHO</Var>
                    <Var Id="log" Value="$log, $item"/>
                  </ForEach>
                  <Speak>$echo $log</Speak>
                </Response>
            """),
            "5:14-5:18 Var echo refers to itself inside ForEach, so it doubles on every pass;"
            " ozml run stops a value over 1 MiB",
            "6:14-6:17 Var log refers to itself inside ForEach, so it grows by about 3 bytes on"
            " every pass; ozml run stops a value over 1 MiB",
        ),
        row(
            "tripling inside ForEach, tab and CRLF",
            crlf(
                '<Response>\n\t<Array Id="n"><Item>1</Item></Array>\n\t<ForEach Source="n">\n'
                '\t\t<Var Id="s">$s$s$s</Var>\n\t</ForEach>\n\t<Speak>$s</Speak>\n</Response>\n'
            ),
            "4:12-4:13 Var s refers to itself inside ForEach, so it triples on every pass;"
            " ozml run stops a value over 1 MiB",
        ),
        row(
            "an Item over the limit, in UTF-8 bytes",
            '<Response>\n  <Array Id="big"><Item>small</Item><Item>' + "é" * 800_000
            + '</Item></Array>\n  <ForEach Source="big"><Speak>$item</Speak></ForEach>\n'
            "</Response>\n",
            "2:38-2:42 Array big Item 2 expands to about 1.5 MiB; ozml run stops a value over"
            " 1 MiB",
        ),
        row(
            "$item repeated, from the Array the loop reads",
            '<Response>\n  <Array Id="big"><Item>' + "x" * 600_000 + "</Item></Array>\n"
            '  <ForEach Source="big"><Var Id="v">$item$item</Var><Speak>$v</Speak></ForEach>\n'
            "</Response>\n",
            "3:34-3:35 Var v expands to about 1.1 MiB (it repeats $item 2 times); ozml run stops"
            " a value over 1 MiB",
        ),
        row(
            "a loop that does not refer to itself",
            '<Response><Array Id="n"><Item>1</Item></Array><ForEach Source="n">'
            '<Var Id="s">$item$item</Var><Speak>$s</Speak></ForEach></Response>',
        ),
    ],
    "OZ801": [
        row(
            "the same key twice",
            D("""
                <Response>
                  <UserInput>
                    <Inputs>
                      <Input Key="1"><Speak>Sales</Speak></Input>
                      <Input Key="1"><Speak>Support</Speak></Input>
                    </Inputs>
                  </UserInput>
                </Response>
            """),
            "5:19-5:20 Input key '1' is already used on line 4 of this menu;"
            " if the first branch runs, as ozml assumes, this one never does"
            + REPEATED_KEY_CITED,
        ),
        row(
            "DTMF letters in another case, single quotes",
            '<Response><UserInput><Inputs><Input Key="a"><Hangup/></Input>'
            "<Input Key='A'><Hangup/></Input></Inputs></UserInput></Response>",
            "1:74-1:75 Input key 'A' is already used on line 1 of this menu;"
            " if the first branch runs, as ozml assumes, this one never does"
            + REPEATED_KEY_CITED,
        ),
        row(
            "the same key in two menus",
            '<Response><UserInput><Inputs><Input Key="1"><UserInput><Inputs><Input Key="1">'
            "<Hangup/></Input></Inputs></UserInput></Input></Inputs></UserInput></Response>",
        ),
    ],
    "OZ802": [
        row(
            "longer than the digits read",
            D("""
                <Response>
                  <UserInput>
                    <Inputs>
                      <Input Key="1"><Speak>Sales</Speak></Input>
                      <Input Key="10"><Speak>Support</Speak></Input>
                    </Inputs>
                  </UserInput>
                </Response>
            """),
            "5:19-5:21 Input key '10' has 2 digits but the menu reads 1 digit (Digits defaults to"
            " 1); the caller cannot enter it",
        ),
        row(
            "the back key of a top-level menu: which one wins is undocumented",
            '<Response>\n  <UserInput BackKey="*">\n    <Inputs>\n      <Input Key="*"><Hangup/>'
            "</Input>\n    </Inputs>\n  </UserInput>\n</Response>\n",
            "4:19-4:20 Input key '*' is also the menu's BackKey, which goes on after this"
            " UserInput [hu7663]" + BACK_KEY_ASSUMED,
        ),
        row(
            "the back key of a nested menu",
            '<Response><UserInput><Inputs><Input Key="1"><UserInput BackKey="#"><Inputs>'
            '<Input Key="#"><Hangup/></Input></Inputs></UserInput></Input></Inputs></UserInput>'
            "</Response>",
            "1:88-1:89 Input key '#' is also the menu's BackKey, which returns to the menu"
            " around this one [hu7663]" + BACK_KEY_ASSUMED,
        ),
        row(
            "outside MinDigits to MaxDigits",
            '<Response>\n  <UserInput MinDigits="2" MaxDigits="3">\n    <Inputs>\n'
            '      <Input Key="1"><Hangup/></Input><Input Key="12"><Hangup/></Input>\n'
            "    </Inputs>\n  </UserInput>\n</Response>\n",
            "4:19-4:20 Input key '1' has 1 digit but the menu reads 2 to 3 digits"
            ' (MinDigits="2", MaxDigits="3"); the caller cannot enter it',
        ),
    ],
    "OZ803": [
        row(
            "prompts only, repeated",
            D("""
                <Response>
                  <UserInput Repeat="true" Timeout="5">
                    <InitialCommands>
                      <Speak>Press 1 for sales.</Speak>
                    </InitialCommands>
                  </UserInput>
                </Response>
            """),
            "2:4-2:13 UserInput has no Input branch and no ForwardToURL: the keys the caller"
            ' presses lead nowhere, and Repeat="true" plays the prompts until the caller hangs up',
        ),
        row(
            "empty, tab and CRLF",
            "<Response>\r\n\t<UserInput/>\r\n</Response>\r\n",
            "2:3-2:12 UserInput has no Input branch and no ForwardToURL: the keys the caller"
            " presses lead nowhere",
        ),
        row(
            "ForwardToURL decides",
            '<Response><UserInput ForwardToURL="http://yourapp.com/dtmf.php"/></Response>',
        ),
    ],
    "OZ804": [
        row(
            "a URL parameter whose type the table does not state: a warning",
            '<Response><CallSetup Caller="1" Callee="2" ErrorUrl="htp://x.example.com/e"/>'
            "</Response>",
            "1:54-1:75 CallSetup ErrorUrl 'htp://x.example.com/e' is not a usable URL: the PBX"
            " requests http:// and https:// URLs, not htp:; undocumented (spec §7.35 [hu7666]):"
            " the vendor's table states no type",
        ),
        row(
            "a misspelt scheme",
            '<Response>\n  <Call Url="htp://app.example.com/connected.php">102</Call>\n</Response>',
            "2:14-2:49 Call Url 'htp://app.example.com/connected.php' is not a usable URL: the PBX"
            " requests http:// and https:// URLs, not htp:",
        ),
        row(
            "a later line in single quotes; element text with spaces around",
            "<Response>\n  <Call\n    ErrorUrl='http//x.com/e.php'>102</Call>\n"
            "  <GoTo>  ftp://x/y  </GoTo>\n</Response>\n",
            "3:15-3:32 Call ErrorUrl 'http//x.com/e.php' is not a usable URL: a ':' is missing"
            " after http",
            "4:11-4:20 GoTo Url 'ftp://x/y' is not a usable URL: the PBX requests http:// and"
            " https:// URLs, not ftp:",
        ),
        row(
            "no host, a bad port, after non-ASCII text",
            '<Response>\n  <Speak>é</Speak><GoTo>http:/app</GoTo><Record FinishedUrl="http://x:99999/"'
            "/>\n</Response>\n",
            "2:25-2:34 GoTo Url 'http:/app' is not a usable URL: it has no host name after http://",
            "2:62-2:77 Record FinishedUrl 'http://x:99999/' is not a usable URL: its port is not a"
            " number from 1 to 65535",
        ),
        row(
            "templates and SQL are not URLs to check",
            "<Response><GoTo>{{ base_url }}/menu.php</GoTo><GoTo>SELECT text FROM t</GoTo>"
            "</Response>",
        ),
    ],
    "OZ805": [
        row(
            "a path",
            "<Response>\n  <GoTo>/ivr/menu.php</GoTo>\n</Response>\n",
            "2:9-2:22 GoTo Url '/ivr/menu.php' is a relative URL, and the PBX requests it itself"
            + ABSOLUTE_ASSUMED,
        ),
        row(
            "a host without http://, with a suggestion",
            '<Response>\n  <UserInput ForwardToURL="www.example.com/x.php"><Inputs><Input Key="1">'
            "<Hangup/></Input></Inputs></UserInput>\n</Response>\n",
            "2:28-2:49 UserInput ForwardToURL 'www.example.com/x.php' is a relative URL, and the"
            " PBX requests it itself; did you mean 'http://www.example.com/x.php'?"
            + ABSOLUTE_ASSUMED,
        ),
        row("a template", "<Response><GoTo>{{ base_url }}/menu.php</GoTo></Response>"),
    ],
    "OZ901": [
        row(
            "alone on its line, for the next line",
            D("""
                <Response>
                  <!-- ozml: noqa OZ201 -->
                  <ForwardCall Destination="102"/>
                </Response>
            """),
            "2:3-2:28 unused suppression: no OZ201 finding on line 3",
        ),
        row(
            "after content, for its own line; two codes",
            '<Response>\n  <ForwardCall Destination="102"/> <!-- ozml: noqa OZ201, OZ202 -->\n'
            "</Response>",
            "2:36-2:68 unused suppression: no OZ201 or OZ202 finding on line 2",
        ),
        row(
            "every code, after non-ASCII text",
            "<Response>\n  <Speak>Grüße</Speak> <!-- ozml: noqa -->\n</Response>",
            "2:24-2:43 unused suppression: nothing to suppress on line 2",
        ),
        row(
            "a whole file",
            "<!-- ozml: disable-file OZ402 -->\n<Response><Hangup/></Response>",
            "1:1-1:34 unused suppression: no OZ402 finding in this file",
        ),
        row(
            "a used suppression",
            "<Response>\n  <ForwardCall/> <!-- ozml: noqa OZ201 -->\n</Response>",
        ),
    ],
    "OZ902": [
        row(
            "a mistyped code",
            "<Response>\n  <ForwardCall/>  <!-- ozml: noqa OZ210 -->\n</Response>",
            "2:35-2:40 unknown rule code 'OZ210' in a suppression comment; did you mean OZ202?",
        ),
        row(
            "a mistyped rule name, flake8 spelling",
            "<Response>\n  <ForwardCall/>  <!-- ozml: noqa: missing-parametr -->\n</Response>",
            "2:36-2:52 unknown rule code 'missing-parametr' in a suppression comment;"
            " did you mean missing-parameter?",
        ),
        row(
            "a rule name",
            "<Response>\n  <ForwardCall/>  <!-- ozml: noqa missing-parameter -->\n</Response>",
        ),
    ],
    "OZ903": [
        row(
            "an unknown context",
            "<!-- ozml: context=3pc -->\n<Response><Hold/></Response>",
            "1:20-1:23 unknown context '3pc' in the ozml comment; expected one of: extension,"
            " 3pcc, routing, any",
        ),
        row(
            "a misspelt keyword",
            "<!-- ozml: contxt=3pcc -->\n<Response><Hold/></Response>",
            "1:1-1:27 unknown ozml comment 'contxt=3pcc'; expected noqa, disable-file or"
            " context=...",
        ),
        row(
            "empty",
            "<Response>\n\t<Hangup/><!-- ozml: -->\n</Response>",
            "2:11-2:25 empty ozml comment; expected noqa, disable-file or context=...",
        ),
        row(
            "a second context",
            D("""
                <!-- ozml: context=3pcc -->
                <!-- ozml: context=extension -->
                <Response><Hangup/></Response>
            """),
            "2:1-2:33 a second context comment; the one on line 1 already sets context 3pcc",
        ),
        row("a comment about ozml is not a directive", "<!-- ozml rocks --><Response/>"),
    ],
}


def _cases() -> list[Any]:
    return [
        pytest.param(code, source, expected, settings, id=f"{code} {name}")
        for code, rows in TABLES.items()
        for name, source, expected, settings in rows
    ]


@pytest.mark.parametrize(("code", "source", "expected", "settings"), _cases())
def test_rule_table(
    code: str, source: str | bytes, expected: list[str], settings: dict[str, Any]
) -> None:
    found = only(code, source, **settings)
    assert [shown(d) for d in found] == expected
    assert {d.code for d in found} <= {code}


#: The rules that read one document: the project rules (OZ811-OZ815) have their own tables,
#: over projects, in tests/test_project_rules.py.
PER_FILE = [rule for rule in RULES if not rule.project_rule]


def test_every_rule_has_a_table() -> None:
    assert sorted(TABLES) == [rule.code for rule in PER_FILE]
    for code, rows in TABLES.items():
        assert sum(bool(expected) for _, _, expected, _ in rows) >= 2 or code == "OZ003", code


@pytest.mark.parametrize("rule", PER_FILE, ids=lambda r: r.code)
def test_findings_carry_the_rule_name_and_severity(rule: type[Rule]) -> None:
    rows = [(source, settings) for _, source, expected, settings in TABLES[rule.code] if expected]
    seen: set[Severity] = set()
    for source, settings in rows:
        for found in only(rule.code, source, **settings):
            assert found.name == rule.name
            seen.add(found.severity)
            if "undocumented (spec §" in found.message and rule.severity is Severity.ERROR:
                # Resting on an assumed catalog fact: at most a warning (issue 11).
                assert found.severity is Severity.WARNING
            else:
                assert found.severity == rule.severity
    # What the rule's page, `ozml rule` and SARIF say (`Rule.severities`) is what it reports:
    # a rule whose findings have two severities declares both, and one that declares two
    # has both in its table.
    split = rule.severities()
    declared = {rule.severity} if split is None else {split.usual, split.other}
    assert seen == declared, rule.severity_label()


#: Rules every finding of which rests on what the vendor does not state: their declared
#: severity (what `ozml rules` and the rule's page show) is what every finding gets.
ALWAYS_ASSUMED = ["OZ107", "OZ302", "OZ801", "OZ805"]


@pytest.mark.parametrize("code", ALWAYS_ASSUMED)
def test_a_rule_resting_only_on_assumptions_is_a_warning(code: str) -> None:
    rule = next(rule for rule in RULES if rule.code == code)
    assert rule.severity is Severity.WARNING
    rows = [(source, settings) for _, source, expected, settings in TABLES[code] if expected]
    for source, settings in rows:
        for found in only(code, source, **settings):
            assert found.severity is Severity.WARNING
            assert "assume" in found.message, found.message


def test_unreachable_command_says_which_ending_is_assumed() -> None:
    # Reject's ending is the vendor's (spec §2); Hangup's and Exit's are assumed (D9, D6).
    rule = next(rule for rule in RULES if rule.code == "OZ402")
    assert rule.severity is Severity.WARNING
    reject = only("OZ402", "<Response><Reject/><Speak>x</Speak></Response>")
    assumed = [
        *only("OZ402", "<Response><Hangup/><Speak>x</Speak></Response>"),
        *only("OZ402", "<Response><Exit/><Speak>x</Speak></Response>"),
        *only("OZ402", "<Response><Hangup/><Speak>x</Speak></Response>",
              context=Context.THREE_PCC),
    ]
    assert [d.severity for d in reject + assumed] == [Severity.WARNING] * 4
    assert reject[0].message == "Speak is never run: the script ends at Reject on line 1"
    for found in assumed:
        assert "as ozml assumes" in found.message
        assert "; undocumented (spec §7." in found.message
    # A project that wants it to fail the build says so, and gets what it asked for.
    strict = only("OZ402", "<Response><Hangup/><Speak>x</Speak></Response>",
                  severities={"OZ402": Severity.ERROR})
    assert [d.severity for d in strict] == [Severity.ERROR]


def test_a_key_that_is_also_the_back_key_is_a_warning_that_claims_no_winner() -> None:
    found = only("OZ802", '<Response><UserInput BackKey="*"><Inputs><Input Key="*"><Hangup/>'
                          "</Input></Inputs></UserInput></Response>")
    assert [d.severity for d in found] == [Severity.WARNING]
    assert "instead of" not in found[0].message
    assert "; undocumented (spec §7.32 [oz4693][hu7663])" in found[0].message
    # The digit-count findings rest on what the vendor states (Digits defaults to 1): unchanged.
    found = only("OZ802", '<Response><UserInput><Inputs><Input Key="10"><Hangup/></Input>'
                          "</Inputs></UserInput></Response>")
    assert [d.message for d in found] == [
        "Input key '10' has 2 digits but the menu reads 1 digit (Digits defaults to 1); the"
        " caller cannot enter it"
    ]


def test_severities_can_be_overridden() -> None:
    settings = LintSettings(severities={"OZ303": Severity.ERROR, "OZ001": Severity.WARNING})
    found = lint("<Response><speak>Hi</speak></Response>", settings=settings)
    assert [(d.code, d.severity) for d in found] == [("OZ303", Severity.ERROR)]
    # A document that is not XML was never checked: its finding stays an error.
    found = lint("<Response>", settings=settings)
    assert [(d.code, d.severity) for d in found] == [("OZ001", Severity.ERROR)]


def test_elements_nested_too_deeply() -> None:
    source = "<Response>" + "<Input>" * 300 + "</Input>" * 300 + "</Response>"
    found = only("OZ001", source)
    assert [(d.line, d.message) for d in found] == [
        (1, "not well-formed XML: elements are nested too deeply (the limit is 256 levels)")
    ]


# -- fixes: the edits land on the exact names, end tags included ---------------------------------


@pytest.mark.parametrize(
    ("code", "source", "fixed"),
    [
        pytest.param(
            "OZ102",
            "<Response>\n  <Speek>Hello</Speek>\n</Response>",
            "<Response>\n  <Speak>Hello</Speak>\n</Response>",
            id="OZ102 both tags",
        ),
        pytest.param(
            "OZ101",
            "<Respons>\r\n\t<Hangup/>\r\n</Respons >",
            "<Response>\r\n\t<Hangup/>\r\n</Response >",
            id="OZ101 CRLF, space in the end tag",
        ),
        pytest.param(
            "OZ103",
            "<Response><ForwardCall\n   Destinaton='102'/></Response>",
            "<Response><ForwardCall\n   Destination='102'/></Response>",
            id="OZ103 later line",
        ),
        pytest.param(
            "OZ301",
            "<Response><Speak>é</Speak><Forward Destination='1'></Forward></Response>",
            "<Response><Speak>é</Speak><ForwardCall Destination='1'></ForwardCall></Response>",
            id="OZ301 after non-ASCII",
        ),
        pytest.param(
            "OZ301",
            "<Response><Call Dialled='100'/></Response>",
            "<Response><Call Dialed='100'/></Response>",
            id="OZ301 attribute",
        ),
        pytest.param(
            "OZ302",
            '<Response><AttendedTransfer TargetCallId="a" TranferredCallId="b"/></Response>',
            '<Response><AttendedTransfer TargetCallId="a" TransferredCallId="b"/></Response>',
            id="OZ302",
        ),
        pytest.param(
            "OZ303",
            "<Response>\n  <speak><!-- <speak> -->Hi</speak>\n  <hangup/>\n</Response>",
            "<Response>\n  <Speak><!-- <speak> -->Hi</Speak>\n  <hangup/>\n</Response>",
            id="OZ303 element, not the comment",
        ),
        pytest.param(
            "OZ303",
            "<Response><Speak Party='All'>Hi</Speak></Response>",
            "<Response><Speak Party='all'>Hi</Speak></Response>",
            id="OZ303 value",
        ),
    ],
)
def test_fix_edits(code: str, source: str, fixed: str) -> None:
    found = only(code, source)
    assert found
    assert apply(source, found[0].fix) == fixed
    # The fixed document no longer has that finding.
    assert [shown(d) for d in only(code, fixed) if d.line == found[0].line][:1] != [
        shown(found[0])
    ]


def test_renaming_one_vendor_spelling_to_another_is_unsafe() -> None:
    # Which spelling the PBX reads is UNKNOWN (spec §8): the rename is offered, never safe.
    found = only("OZ302", '<Response><AttendedTransfer TargetCallId="a" TranferredCallId="b"/>'
                          "</Response>")
    assert [(d.severity, d.suggestion) for d in found] == [(Severity.WARNING, "TransferredCallId")]
    fix = found[0].fix
    assert fix is not None
    assert not fix.safe


def test_fix_edits_with_a_byte_order_mark_are_offsets_in_the_text() -> None:
    data = BOM + b"<Response><Speek>Hi</Speek></Response>"
    found = only("OZ102", data)
    text = parse(data).source.text
    assert apply(text, found[0].fix) == "<Response><Speak>Hi</Speak></Response>"


# -- each rule's documentation examples ----------------------------------------------------------


@pytest.mark.parametrize("rule", PER_FILE, ids=lambda r: f"{r.code} {r.name}")
def test_docstring_examples(rule: type[Rule]) -> None:
    failing, passing = rule.examples()
    assert failing.strip(), f"{rule.code} has no Fails:: example"
    assert passing.strip(), f"{rule.code} has no Passes:: example"
    settings: dict[str, Any] = {}
    if rule.code == "OZ003":
        # The failing example stands for a file over the limit; lower the limit between the two.
        assert len(passing.encode()) < len(failing.encode())
        settings["max_bytes"] = len(passing.encode())
    assert rule.code in {d.code for d in only(rule.code, failing, **settings)}
    assert lint(passing, settings=LintSettings(**settings)) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code} {r.name}")
def test_rule_metadata(rule: type[Rule]) -> None:
    assert rule.code.startswith("OZ")
    assert len(rule.code) == 5
    assert rule.name == rule.name.lower()
    assert " " not in rule.name
    assert rule.summary().endswith(".")
    assert "Fails::" in rule.documentation()
    assert "Passes::" in rule.documentation()
