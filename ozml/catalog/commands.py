"""Every OzML command, root and structural element, with every documented parameter.

Each entry cites the source key of ../shared/ozml-spec.md (e.g. ``hu7633``) it is taken from.
Where the vendor documentation is silent (UNKNOWN in the spec), the entry says so in `notes`
instead of guessing; undocumented commands (D6) accept any attribute.
"""

from __future__ import annotations

from collections.abc import Mapping

from ozml.catalog import contextual
from ozml.catalog.model import (
    CALL_CONTEXTS,
    EXTENSION_ONLY,
    HTTP_ONLY,
    NO_CONTEXTS,
    NO_TEXT_WHY,
    OZML_AND_HTTP,
    ROUTING_ONLY,
    THREE_PCC_ONLY,
    Alias,
    AliasKind,
    Basis,
    Behaviour,
    ChildPolicy,
    Command,
    Context,
    ElementKind,
    Param,
    Usage,
    ValueType,
    assumed,
    stated,
)

T = ValueType
EVERYWHERE = frozenset(Context.concrete())
UNDOCUMENTED_CONTEXTS = CALL_CONTEXTS  # context of Gen-B-only commands is UNKNOWN: do not report
PARTY_VALUES = ("caller", "callee", "all")
TRANSFEROR_VALUES = ("caller", "callee")
STANDARD_CODES = (200, 300, 301, 302, 303, 601)
#: Input's behaviour when two branches of one menu have the same key (duplicate-input-key).
REPEATED_KEY = "repeated key"


def call_id_format(section: str, *sources: str) -> Basis:
    """The spec types call IDs as "string": ozml's check of their characters is an assumption."""
    why = 'typed "string (call ID)"; which characters a call ID has is not stated'
    return assumed(section, *sources, why=why)


def not_stated(section: str, *sources: str) -> Basis:
    """The spec's table gives no type (Ozeki 10 tables have no type column, Route says "not
    stated"): the catalog's type is ozml's reading of the examples."""
    return assumed(section, *sources, why="the vendor's table states no type")


def call_id(
    source: str, section: str, doc: str = "ID of the call; defaults to the notified call."
) -> Param:
    """CallId: optional in OzML, where it defaults to the call of the notification (D5).

    Where it is honoured only under 3PCC is in the context table (`ozml.catalog.contextual`).
    """
    return Param(
        "CallId", T.CALL_ID, doc, source, example="345fad34",
        type_basis=call_id_format(section, source),
    )  # fmt: skip


def party(source: str, required_in: frozenset[Context] = NO_CONTEXTS) -> Param:
    """Party; where it is mandatory or honoured only under 3PCC is in the context table."""
    return Param(
        "Party",
        T.PARTY,
        "Which party of the call hears it: caller, callee or all.",
        source,
        required_in=required_in,
        values=PARTY_VALUES,
        example="all",
    )


def only_commands_shown(section: str, *sources: str, shown: str) -> Basis:
    """Why a block of commands is taken to hold commands and nothing else: the vendor shows
    commands in it (`shown`) and says nothing of any other element, so an element that is no
    command there (an Item in ForEach, an Input in InitialCommands) rests on an assumption
    (spec §2: only the combinations seen are listed, everything else is UNKNOWN)."""
    return assumed(
        section,
        *sources,
        why=f"the vendor shows only commands in it ({shown}) and says nothing of other"
        " elements; that it holds commands and nothing else is assumed",
    )


def no_parameter_table(section: str, *sources: str, shown: str) -> Basis:
    """Why a structural element (the root, a part of a command) is taken to take no attribute
    but those the catalog lists: the vendor gives it no parameter table and only shows it
    `shown` (spec §2 lists what was seen and leaves everything else UNKNOWN), so an attribute
    ozml does not know there rests on an assumption."""
    return assumed(
        section,
        *sources,
        why=f"the vendor gives it no parameter table and shows it {shown}; that it takes no"
        " other attribute is assumed",
    )


def legacy(name: str, source: str) -> Alias:
    return Alias(name, AliasKind.LEGACY, source)


def typo(name: str, source: str) -> Alias:
    return Alias(name, AliasKind.MISSPELLING, source)


def variant(name: str, source: str) -> Alias:
    return Alias(name, AliasKind.VARIANT, source)


ROOTS: tuple[Command, ...] = (
    Command(
        "Response",
        ElementKind.ROOT,
        "The root of every OzML document: the commands run top to bottom.",
        "oz4254",
        children=ChildPolicy.COMMANDS,
        # A response holds the commands the PBX runs (spec §1, §2: "any command").
        children_basis=stated("oz4254"),
        aliases=(legacy("OzML", "oz5554"),),
        params_basis=no_parameter_table("§1", "oz4254", shown="without attributes"),
    ),
)

PARTS: tuple[Command, ...] = (
    Command(
        "InitialCommands",
        ElementKind.PART,
        "Commands played while UserInput waits for keys (repeated when Repeat is true).",
        "oz4693",
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown(
            "§2", "oz4693", "hu7663", shown="Speak and Delay, the commands played while waiting"
        ),
        params_basis=no_parameter_table("§2", "oz4693", "hu7663", shown="without attributes"),
    ),
    Command(
        "Inputs",
        ElementKind.PART,
        "The Input branches of a UserInput menu.",
        "oz4693",
        children=ChildPolicy.LISTED,
        child_names=("Input",),
        children_basis=stated("oz4693", "oz4801"),
        params_basis=no_parameter_table("§2", "oz4693", "hu7663", shown="without attributes"),
    ),
    Command(
        "Input",
        ElementKind.PART,
        "One menu branch: its commands run when the caller enters its key.",
        "oz4693",
        params=(
            Param(
                "Key",
                T.DTMF_KEYS,
                "The DTMF digit or digit string that selects this branch.",
                "oz4693",
                required_in=EVERYWHERE,
                example="1",
                required_basis=assumed(
                    "§7.32", "oz4693", "hu7663",
                    why="every example gives Input a key; that it is mandatory is not stated",
                ),
            ),
        ),
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown(
            "§2", "oz4693", "hu7663", "oz4801",
            shown="GoTo, Speak, Hangup, ForEach, BlindTransfer and a nested UserInput",
        ),
        params_basis=no_parameter_table(
            "§7.32", "oz4693", "hu7663", "ghIVR", shown="with its key only"
        ),
        behaviour=(
            Behaviour(
                REPEATED_KEY,
                "the first branch with the key runs; a later one never does",
                assumed(
                    "§7.32", "oz4693", "hu7663",
                    why="the vendor does not say what a key given to two Input branches of one"
                    " menu does",
                ),
            ),
        ),
    ),
    Command(
        "Item",
        ElementKind.PART,
        "One value of an Array, written as the element text.",
        "hu7650",
        params=(
            Param("Value", T.STRING, "The item's value.", "hu7650", text=True, example="Item1",
                  text_basis=stated("oz5404", "hu7650")),
        ),
        params_basis=no_parameter_table(
            "§7.21", "oz5404", "hu7650", shown="with its value as text only"
        ),
    ),
    Command(
        "Received",
        ElementKind.PART,
        "Commands run after an alarm was received; the alarm fields are variables here.",
        "oz5556",
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown(
            "§2", "oz5556", "hu7670", shown="Call, SendSms, SendEmail and SendMsg"
        ),
        params_basis=no_parameter_table("§2", "oz5556", "hu7670", shown="without attributes"),
    ),
    Command(
        "OnSetup",
        ElementKind.PART,
        "Request handler run when the call is being set up.",
        "hu7642",
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown("§7.13", "hu7642", shown="SendMsg and Speak"),
        params_basis=no_parameter_table("§7.13", "hu7642", shown="without attributes"),
    ),
    Command(
        "OnError",
        ElementKind.PART,
        "Request handler run when the call fails.",
        "hu7642",
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown("§7.13", "hu7642", shown="SendMsg and Speak"),
        params_basis=no_parameter_table("§7.13", "hu7642", shown="without attributes"),
        notes="Request's full set of handlers is UNKNOWN; only OnSetup and OnError are documented.",
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "AttendedTransfer",
        ElementKind.COMMAND,
        "Joins a held call with a target call and drops the transferring party from both.",
        "hu7630",
        usage=OZML_AND_HTTP,
        contexts=THREE_PCC_ONLY,
        result_codes=STANDARD_CODES,
        params=(
            Param(
                "TransferredCallId",
                T.CALL_ID,
                "ID of the call to transfer; defaults to the notified call.",
                "hu7630",
                aliases=(typo("TranferredCallId", "hu7630"),),
                example="345fad34",
                type_basis=call_id_format("§7.1", "oz4582", "hu7630"),
            ),
            Param(
                "TargetCallId",
                T.CALL_ID,
                "ID of the call the transferred party is joined to.",
                "hu7630",
                required_in=EVERYWHERE,
                example="355dsc10",
                type_basis=call_id_format("§7.1", "oz4582", "hu7630"),
            ),
            Param(
                "TransferorParty",
                T.TRANSFEROR,
                "The party that makes the transfer: caller or callee (seen only in the example).",
                "oz4582",
                aliases=(typo("TranferorParty", "hu7631"),),
                values=TRANSFEROR_VALUES,
                example="caller",
                type_basis=assumed(
                    "§7.1",
                    "oz4582",
                    "hu7630",
                    why="seen only in the example; its values are BlindTransfer's",
                ),
                required_basis=assumed(
                    "§7.1", "oz4582", "hu7630",
                    why="seen only in the example; whether it is mandatory is UNKNOWN",
                ),
            ),
        ),
    ),
    Command(
        "BlindTransfer",
        ElementKind.COMMAND,
        "Transfers the other party to a target number without consulting it.",
        "hu7631",
        usage=OZML_AND_HTTP,
        contexts=CALL_CONTEXTS,
        result_codes=STANDARD_CODES,
        params=(
            call_id(
                "hu7631", "§7.2", "ID of the call to transfer from; defaults to the notified call."
            ),
            Param(
                "TransferorParty",
                T.TRANSFEROR,
                "The party that makes the transfer: caller or callee (3PCC only).",
                "hu7631",
                aliases=(typo("TranferorParty", "hu7631"),),
                values=TRANSFEROR_VALUES,
                example="caller",
                type_basis=stated("oz4583", "hu7631"),
            ),
            Param(
                "Target",
                T.PHONE,
                "The number the call is transferred to.",
                "hu7631",
                required_in=EVERYWHERE,
                text=True,
                example="100",
                text_basis=stated("oz4617", "ghIVR"),
            ),
            Param(
                "FinishedUrl",
                T.URL,
                "Requested when the transferred call ends.",
                "hu7631",
                example="http://yourapp.com/callfinished.php",
            ),
        ),
        notes="A failed transfer continues with the next command (D9).",
        children_basis=assumed(
            "§2",
            "oz4583",
            "oz4617",
            "hu7631",
            why="whether BlindTransfer takes child elements is UNKNOWN",
        ),
    ),
    Command(
        "Call",
        ElementKind.COMMAND,
        "An API extension dials a number; when answered, Url is requested for the call's OzML.",
        "hu7632",
        usage=OZML_AND_HTTP,
        contexts=EXTENSION_ONLY,
        result_codes=(200, 300, 301, 302, 303, 401, 402),
        params=(
            Param(
                "Dialed",
                T.PHONE,
                "Phone number of the callee.",
                "hu7632",
                required_in=EVERYWHERE,
                aliases=(legacy("Dialled", "oz4588"),),
                text=True,
                example="100",
                text_basis=stated("oz4588"),
            ),
            Param(
                "ApiExtension",
                T.PHONE,
                "API extension that places the call; may be omitted when answering a notification.",
                "hu7632",
                example="1000",
                required_basis=assumed(
                    "§7.3", "oz4588", "hu7632",
                    why="mandatory on the older pages, optional on the Ozeki 10 page (D1)",
                ),
            ),
            Param(
                "CallerId",
                T.PHONE,
                "Phone number shown to the callee.",
                "hu7632",
                example="1000",
            ),
            Param(
                "CallerDisplayName",
                T.STRING,
                "Name shown to the callee.",
                "hu7632",
                example="John Smith",
            ),
            Param(
                "Url",
                T.URL,
                "Requested (CallConnected) once the call is answered; its OzML runs on the call.",
                "hu7632",
                example="http://yourapp.com/callconnected.php",
                required_basis=assumed(
                    "§7.3", "oz4588", "hu7632",
                    why="mandatory on the older pages, optional on the Ozeki 10 page (D1)",
                ),
                empty_refused=assumed(
                    "§7.3", "oz4588", "hu7632",
                    why="the older pages say the call is hung up when Url is empty; the Ozeki 10"
                    " page makes Url optional and does not say what an empty one does; that"
                    " an empty one is wrong is assumed",
                ),
            ),
            Param(
                "ResponseOzML",
                T.OZML,
                "OzML run on the call when it connects.",
                "hu7632",
                example="hello",
            ),
            Param(
                "ErrorUrl",
                T.URL,
                "Requested if any error occurs during the call.",
                "hu7632",
                example="http://yourapp.com/error.php",
                empty_means="no error notification",
            ),
            Param(
                "FinishedUrl",
                T.URL,
                "Requested when the call completed successfully.",
                "hu7632",
                example="http://yourapp.com/callfinished.php",
            ),
            Param(
                "RingTime",
                T.INTEGER,
                "Ring time in seconds; the call is closed when it expires.",
                "hu7632",
                minimum=0,
                example="120",
            ),
        ),
        children_basis=assumed(
            "§2", "oz4588", why="whether Call takes child elements is UNKNOWN"
        ),
    ),
    Command(
        "ForwardCall",
        ElementKind.COMMAND,
        "Forwards a call that is still ringing to another destination.",
        "hu7633",
        usage=OZML_AND_HTTP,
        contexts=THREE_PCC_ONLY,
        aliases=(legacy("Forward", "oz4584"),),
        result_codes=STANDARD_CODES,
        params=(
            call_id("hu7633", "§7.4", "ID of the call to forward; defaults to the notified call."),
            Param(
                "Destination",
                T.PHONE,
                "The number the call is forwarded to.",
                "hu7633",
                required_in=EVERYWHERE,
                example="500",
            ),
        ),
    ),
    Command(
        "ListCallHistory",
        ElementKind.COMMAND,
        "Returns past calls, filtered and paged.",
        "hu7634",
        usage=HTTP_ONLY,
        usage_basis=assumed("§7.5", "hu7634", "oz4804", why="no OzML use is shown; OzML: UNKNOWN"),
        aliases=(legacy("GetCallHistory", "oz4804"),),
        params=(
            Param("CallerId", T.STRING, "Filter by caller ID.", "hu7634", example="400"),
            Param("CallId", T.CALL_ID, "Filter by call ID.", "hu7634", example="fba20",
                  type_basis=not_stated("§7.5", "hu7634")),
            Param(
                "Destination", T.STRING, "Filter by destination extension.", "hu7634",
                example="200",
            ),
            Param("Dialed", T.STRING, "Filter by dialled number.", "hu7634", example="300"),
            Param(
                "Direction",
                T.ENUM,
                "Filter by direction.",
                "hu7634",
                values=("Internal", "External", "Inbound", "Outbound"),
                example="Internal",
            ),
            Param("From", T.DATETIME, "Start date.", "hu7634", example="2013-01-17 13:32:12",
                  type_basis=not_stated("§7.5", "hu7634")),
            Param("PageNumber", T.INTEGER, "Page to query.", "hu7634", minimum=0, example="0",
                  type_basis=not_stated("§7.5", "hu7634")),
            Param(
                "RowsPerPage", T.INTEGER, "Maximum entries returned.", "hu7634", minimum=1,
                example="20", type_basis=not_stated("§7.5", "hu7634"),
            ),
            Param("Source", T.STRING, "Filter by source extension.", "hu7634", example="102"),
            Param("State", T.STRING, "Filter by result state.", "hu7634", example="CallerHangUp"),
            Param("Type", T.STRING, "Filter by call type.", "hu7634", example="Audio"),
        ),
    ),
    Command(
        "Hangup",
        ElementKind.COMMAND,
        "Ends a call.",
        "hu7635",
        usage=OZML_AND_HTTP,
        contexts=CALL_CONTEXTS,
        result_codes=STANDARD_CODES,
        params=(
            call_id("hu7635", "§7.6", "ID of the call to end; defaults to the current call."),
        ),
    ),
    Command(
        "Hold",
        ElementKind.COMMAND,
        "Puts both legs of a call on hold until Unhold.",
        "hu7636",
        usage=OZML_AND_HTTP,
        contexts=THREE_PCC_ONLY,
        result_codes=STANDARD_CODES,
        params=(
            call_id("hu7636", "§7.7", "ID of the call to hold; defaults to the notified call."),
        ),
    ),
    Command(
        "ListActiveCalls",
        ElementKind.COMMAND,
        "Lists the calls in progress with their details.",
        "hu7637",
        usage=HTTP_ONLY,
        result_codes=STANDARD_CODES,
    ),
    Command(
        "ListExtensions",
        ElementKind.COMMAND,
        "Lists the configured extensions.",
        "hu7638",
        usage=HTTP_ONLY,
        result_codes=(200, 300, 301, 302, 303),
        params=(
            Param("Type", T.STRING, "Only extensions of this type.", "hu7638", example="Phone"),
        ),
    ),
    Command(
        "ListExtensionTypes",
        ElementKind.COMMAND,
        "Lists extension types (undocumented: the vendor page was not found).",
        "hu7666",
        usage=HTTP_ONLY,
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "Play",
        ElementKind.COMMAND,
        "Plays a wav or mp3 file (local path or HTTP URL) into the call.",
        "hu7640",
        usage=OZML_AND_HTTP,
        contexts=CALL_CONTEXTS,
        result_codes=(200, 300, 301, 302, 303, 304, 305, 306, 307, 601),
        params=(
            Param(
                "AudioFile",
                T.PATH,
                "The file to play: a path (relative to ContentStorage/Static) or an HTTP URL.",
                "hu7640",
                required_in=EVERYWHERE,
                text=True,
                example="hello.wav",
                text_basis=stated("oz4234", "oz4690"),
            ),
            party("hu7640"),
            call_id("hu7640", "§7.11"),
            Param(
                "Repeat",
                T.BOOLEAN,
                "Play the file again and again.",
                "hu7640",
                default="false",
                default_basis=stated("oz4234", "hu7640"),  # §7.11 "default false"
                example="true",
            ),
            Param(
                "Timeout",
                T.INTEGER,
                "Stop playing after this many seconds.",
                "hu7640",
                minimum=0,
                example="10",
            ),
        ),
    ),
    Command(
        "Record",
        ElementKind.COMMAND,
        "Records the call into the HttpRecordings folder.",
        "hu7641",
        usage=OZML_AND_HTTP,
        contexts=CALL_CONTEXTS,
        result_codes=(200, 300, 301, 302, 303, 304, 305, 306, 307, 601),
        params=(
            call_id("hu7641", "§7.12"),
            Param(
                "Format",
                T.ENUM,
                "Audio format of the recording.",
                "hu7641",
                values=("mp3", "wav"),
                default="mp3",
                default_basis=stated("oz4803", "hu7641"),  # §7.12 "mp3 or wav, default mp3"
                example="wav",
            ),
            Param(
                "FinishedUrl",
                T.URL,
                "Requested (RecordCompleted, with RecordURL) when the recording ends.",
                "hu7641",
                example="http://yourapp.com/record_finished.php",
                # The older table's type cell says "int value" (spec §8 #6), but its example and
                # the Ozeki 10 page give a URL: either reading makes a malformed URL wrong.
                type_basis=stated("oz4803", "hu7641"),
            ),
            Param(
                "Duration",
                T.INTEGER,
                "Maximum length in seconds (extension control only).",
                "hu7641",
                minimum=0,
                example="60",
            ),
            Param(
                "Inactivity",
                T.INTEGER,
                "Stop after this many seconds of silence (extension control only).",
                "hu7641",
                minimum=0,
                example="5",
            ),
            Param(
                "FinishDigits",
                T.DTMF_KEYS,
                "Any of these keys stops the recording (extension control only).",
                "hu7641",
                example="1234567890*#",
            ),
            Param("RecordPath", T.PATH, "Where the file is saved.", "hu7641",
                  example="D:/recordings"),
        ),
    ),
    Command(
        "Request",
        ElementKind.COMMAND,
        "Places a call and runs the handler of each call state it reaches (OnSetup, OnError).",
        "hu7642",
        usage=OZML_AND_HTTP,
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        children=ChildPolicy.LISTED,
        child_names=("OnSetup", "OnError"),
        children_basis=assumed(
            "§7.13",
            "hu7642",
            why="only the OnSetup and OnError handlers are seen; the full set is UNKNOWN",
        ),
        params=(
            Param("CallerDisplayName", T.STRING, "Name shown to the callee.", "hu7642",
                  example="John Smith"),
            Param("CallerPhoneNumber", T.PHONE, "Number shown to the callee.", "hu7642",
                  example="105", type_basis=not_stated("§7.13", "hu7642")),
            Param(
                "DialedAddress",
                T.PHONE,
                "The callee.",
                "hu7642",
                required_in=EVERYWHERE,
                example="102@localhost",
                type_basis=not_stated("§7.13", "hu7642"),
            ),
            Param(
                "ExtensionAddress",
                T.PHONE,
                "The originating extension; must be an API extension.",
                "hu7642",
                example="105@localhost",
                type_basis=not_stated("§7.13", "hu7642"),
            ),
            Param(
                "RequestOzML",
                T.OZML,
                "The OzML holding the Request command (HTTP only).",
                "hu7642",
                usage=frozenset({Usage.HTTP}),
            ),
            Param("RingTime", T.INTEGER, "Ring time in seconds.", "hu7642", minimum=0,
                  example="120", type_basis=not_stated("§7.13", "hu7642")),
        ),
    ),
    Command(
        "SendDTMF",
        ElementKind.COMMAND,
        "Sends DTMF tones to the caller, the callee or both.",
        "hu7643",
        usage=OZML_AND_HTTP,
        contexts=THREE_PCC_ONLY,
        result_codes=STANDARD_CODES,
        params=(
            call_id("hu7643", "§7.14"),
            party("hu7643", required_in=EVERYWHERE),
            Param(
                "Keys",
                T.DTMF_KEYS,
                "The DTMF digits to send.",
                "hu7643",
                required_in=EVERYWHERE,
                example="01234#",
            ),
        ),
    ),
    Command(
        "Speak",
        ElementKind.COMMAND,
        "Reads text aloud into the call with text-to-speech.",
        "hu7644",
        usage=OZML_AND_HTTP,
        contexts=CALL_CONTEXTS,
        result_codes=STANDARD_CODES,
        params=(
            Param(
                "Text",
                T.STRING,
                "The text to speak; may hold $variables.",
                "hu7644",
                required_in=EVERYWHERE,
                text=True,
                example="hello world",
                text_basis=stated("oz4692", "hu7644"),
            ),
            party("hu7644"),
            call_id("hu7644", "§7.15"),
            Param(
                "Language",
                T.LANGUAGE,
                "Language code; must match an installed text-to-speech package.",
                "hu7644",
                example="en-US",
                type_basis=assumed(
                    "§7.15", "oz4692", "hu7644",
                    why='typed "string (language code)"; its exact form is not stated',
                ),
            ),
            Param("Voice", T.STRING, "Installed text-to-speech voice.", "hu7644",
                  example="Microsoft Anna"),
        ),
    ),
    Command(
        "Unhold",
        ElementKind.COMMAND,
        "Takes a held call off hold.",
        "hu7645",
        usage=OZML_AND_HTTP,
        contexts=THREE_PCC_ONLY,
        result_codes=STANDARD_CODES,
        params=(
            call_id("hu7645", "§7.16", "ID of the held call; defaults to the notified call."),
        ),
    ),
    Command(
        "ReceiveMessage",
        ElementKind.COMMAND,
        "Downloads received SMS messages from the SMS gateway.",
        "hu7646",
        usage=HTTP_ONLY,
        usage_basis=assumed("§7.17", "hu7646", why="its OzML use is UNKNOWN"),
        params=(
            Param("Action", T.STRING, "The gateway action (receivemessage).", "hu7646",
                  required_in=EVERYWHERE, example="receivemessage"),
            Param("AfterDownload", T.STRING, "What happens to messages after download.", "hu7646",
                  example="delete"),
            Param("Folder", T.STRING, "Folder to read; default inbox.", "hu7646",
                  default="inbox", example="inbox", default_basis=stated("hu7646")),
            Param("Limit", T.INTEGER, "Maximum messages per request.", "hu7646", minimum=1,
                  example="10", type_basis=not_stated("§7.17", "hu7646")),
            Param("ResponseFormat", T.STRING, "Format of the returned messages.", "hu7646",
                  example="html"),
        ),
    ),
    Command(
        "SendEmail",
        ElementKind.COMMAND,
        "Sends an e-mail through an e-mail provider connected to the PBX.",
        "oz4774",
        usage=OZML_AND_HTTP,
        contexts=EXTENSION_ONLY,
        gen_b_page=False,
        result_codes=(200, 300, 301, 302, 303, 304, 305, 306, 307, 501),
        params=(
            Param(
                "ApiExtension",
                T.PHONE,
                "API extension that sends the e-mail; may be omitted in a notification response.",
                "oz4774",
                example="9994",
                required_basis=assumed(
                    "§7.18", "oz4774", "oz5556",
                    why="mandatory on the HTTP page; the OzML example leaves it out",
                ),
            ),
            Param("Sender", T.EMAIL, "Sender address; default: the provider's sender.", "oz4774"),
            Param(
                "Recipient",
                T.EMAIL,
                "Recipient address.",
                "oz4774",
                required_in=EVERYWHERE,
                example="recipient@example.com",
            ),
            Param("Message", T.STRING, "The message body.", "oz4774", example="Hello world"),
            Param("Subject", T.STRING, "The subject line.", "oz5556", example="alarmTest"),
        ),
        notes="Whether the body may be written as element text is UNKNOWN.",
        no_text_basis=assumed(
            "§7.18", "oz4774",
            why="whether SendEmail takes its body as element text is UNKNOWN; that it takes"
            " none is assumed",
        ),
    ),
    Command(
        "SendMessage",
        ElementKind.COMMAND,
        "Sends an SMS (text, binary, WAP push, ...) through the SMS gateway.",
        "hu7648",
        usage=HTTP_ONLY,
        usage_basis=assumed("§7.19", "hu7648", why="its OzML use is UNKNOWN"),
        params=(
            Param("Action", T.STRING, "The gateway action (sendmessage).", "hu7648",
                  required_in=EVERYWHERE, example="sendmessage"),
            Param("Recipient", T.STRING, "Recipient number.", "hu7648", example="+36201112222",
                  type_basis=not_stated("§7.19", "hu7648"),
                  required_basis=assumed(
                      "§7.19", "hu7648",
                      why="its row of the parameter table is truncated (mandatory: UNKNOWN),"
                      " and the page's summary says a recipient must be given; ozml does not"
                      " require it",
                  )),
            Param("Originator", T.STRING, "Sender address.", "hu7648", example="+36201112222",
                  type_basis=not_stated("§7.19", "hu7648")),
            Param("MessageType", T.STRING, "Message type, e.g. SMS:TEXT.", "hu7648",
                  example="SMS:TEXT",
                  required_basis=assumed(
                      "§7.19", "hu7648",
                      why='its table row says "no", the page\'s summary that the message type'
                      " must be given; ozml follows the table",
                  )),
            Param(
                "MessageData",
                T.STRING,
                "The text or data to send.",
                "hu7648",
                required_in=EVERYWHERE,
                example="Hello World",
            ),
            Param("MessageCount", T.INTEGER, "Number of messages.", "hu7648", minimum=1,
                  example="2", type_basis=not_stated("§7.19", "hu7648")),
            Param("MaxResponse", T.INTEGER, "Maximum messages reported back.", "hu7648",
                  minimum=0, example="1000", type_basis=not_stated("§7.19", "hu7648")),
            Param("ContinueUrl", T.URL, "Target of the Continue link of an HTML response.",
                  "hu7648", example="http://www.ozekisms.com/index.php?owpn=159"),
            Param("_charset_", T.STRING, "Encoding of the data; default UTF-8.", "hu7648",
                  example="iso-8859-2", default="UTF-8", default_basis=stated("hu7648")),
        ),
        notes="The rest of the vendor's parameter table is UNKNOWN (truncated).",
    ),
    Command(
        "SendSms",
        ElementKind.COMMAND,
        "Sends an SMS through a connected SMS modem or SMPP service.",
        "hu7649",
        usage=OZML_AND_HTTP,
        contexts=EXTENSION_ONLY,
        result_codes=(200, 300, 301, 302, 303, 501),
        params=(
            Param("ApiExtension", T.PHONE, "API extension that sends the SMS.", "oz4589",
                  example="9994",
                  required_basis=assumed(
                      "§7.20", "oz4589", "hu7649",
                      why="mandatory on the older pages, not on the Ozeki 10 page (D1)",
                  )),
            Param("Sender", T.STRING,
                  "Sender: a number or a name; default: the modem's number.", "hu7649",
                  example="+061554669"),
            Param(
                "Recipient",
                T.STRING,
                "Recipient number.",
                "hu7649",
                required_in=EVERYWHERE,
                example="+062554670",
            ),
            Param(
                "Message",
                T.STRING,
                "The message text.",
                "hu7649",
                required_in=EVERYWHERE,
                text=True,
                example="Hello world",
                text_basis=stated("oz4589"),
            ),
            Param(
                "DeliveryReportURL",
                T.URL,
                "Requested (SMSDeliveryReport) when the delivery status is known.",
                "oz4589",
                aliases=(typo("DelivaryReportURL", "hu7649"),),
                example="http://yourapp.com/delivery.php",
                empty_means="no delivery report",
            ),
        ),
    ),
    Command(
        "Array",
        ElementKind.COMMAND,
        "Declares a named list of items for ForEach.",
        "hu7650",
        contexts=EXTENSION_ONLY,
        children=ChildPolicy.LISTED,
        child_names=("Item",),
        children_basis=stated("oz5404", "hu7650"),
        params=(
            Param(
                "Id",
                T.IDENTIFIER,
                "The array's name, used as ForEach's Source.",
                "hu7650",
                required_in=EVERYWHERE,
                example="sampleArray",
                type_basis=assumed(
                    "§7.21", "oz5404", "hu7650",
                    why='typed "string"; ozml wants a name usable as $name',
                ),
            ),
        ),
    ),
    Command(
        "Beep",
        ElementKind.COMMAND,
        "Plays a simple beep (undocumented: parameters unknown).",
        "hu6083",
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "Delay",
        ElementKind.COMMAND,
        "Waits before running the next command.",
        "hu7652",
        contexts=EXTENSION_ONLY,
        params=(
            Param(
                "Time",
                T.SECONDS,
                "How long to wait, in seconds.",
                "hu7652",
                required_in=EVERYWHERE,
                text=True,
                example="5",
                text_basis=stated("oz4688"),
            ),
        ),
    ),
    Command(
        "DeleteFile",
        ElementKind.COMMAND,
        "Deletes a file that is no longer needed (undocumented: parameters unknown).",
        "oz4254",
        contexts=EXTENSION_ONLY,
        usage_basis=assumed(
            "§9", "oz4254",
            why="the older pages list it among the OzML commands; its pages were not found, so"
            " whether the Ozeki 10 HTTP API has a request for it is UNKNOWN",
        ),
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "ForEach",
        ElementKind.COMMAND,
        "Runs its commands once per item of an array, with the item as $item.",
        "hu7654",
        contexts=EXTENSION_ONLY,
        children=ChildPolicy.COMMANDS,
        children_basis=only_commands_shown(
            "§7.25", "oz5403", "hu7654", shown="Speak, Play and MoveFile"
        ),
        params=(
            Param(
                "Source",
                T.IDENTIFIER,
                "The name of the array to loop over.",
                "hu7654",
                required_in=EVERYWHERE,
                example="sampleArray",
                type_basis=assumed(
                    "§7.25", "oz5403", "hu7654",
                    why='typed "string (array ID)"; ozml wants a name usable as $name',
                ),
            ),
        ),
    ),
    Command(
        "GoTo",
        ElementKind.COMMAND,
        "Continues with the OzML fetched from a URL (or returned by an SQL query).",
        "oz4801",
        contexts=EXTENSION_ONLY,
        gen_b_page=False,
        params=(
            Param(
                "Url",
                T.URL_OR_SQL,
                "Where the next OzML comes from: a URL, or an SQL query with SQL OzML.",
                "oz4801",
                required_in=EVERYWHERE,
                text=True,
                example="http://yourapp.com/menu.php",
                text_basis=stated("oz4801"),
            ),
        ),
    ),
    Command(
        "MoveFile",
        ElementKind.COMMAND,
        "Moves a file into a target directory.",
        "oz5401",
        contexts=EXTENSION_ONLY,
        gen_b_page=False,
        params=(
            Param(
                "SourceFile",
                T.PATH,
                "Full path of the file to move.",
                "oz5401",
                required_in=EVERYWHERE,
                example="$item.message",
            ),
            Param(
                "TargetDirectory",
                T.PATH,
                "Directory to move the file into.",
                "oz5401",
                required_in=EVERYWHERE,
                example="$oldmessagepath",
            ),
        ),
    ),
    Command(
        "Reject",
        ElementKind.COMMAND,
        "Refuses an incoming call without answering; only valid as the first command.",
        "hu7657",
        contexts=EXTENSION_ONLY,
    ),
    Command(
        "Route",
        ElementKind.COMMAND,
        "Answers a RoutingInterception with the destination to ring.",
        "hu7658",
        contexts=ROUTING_ONLY,
        contexts_basis=stated("oz4594", "hu7658"),
        disputed_contexts=(
            (
                Context.THREE_PCC,
                assumed(
                    "§1.2",
                    "oz4697",
                    "oz4594",
                    why="the 3PCC index lists Route; its own page answers only"
                    " RoutingInterception",
                ),
            ),
        ),
        params=(
            Param(
                "Destination",
                T.DESTINATION,
                "Extension number or outside-line name.",
                "hu7658",
                text=True,
                example="1000",
                empty_means="the caller is rejected",
                required_basis=assumed(
                    "§7.29", "oz4594", "hu7658",
                    why="mandatory on the older page, optional on the Ozeki 10 page",
                ),
                type_basis=not_stated("§7.29", "oz4594", "hu7658"),
                text_basis=stated("oz4594", "hu7658"),
            ),
            Param("RingTime", T.INTEGER, "Ring time in seconds (default 90).", "hu7658",
                  minimum=0, default="90", example="30",
                  type_basis=not_stated("§7.29", "oz4594", "hu7658"),
                  default_basis=stated("oz4594", "hu7658")),
            Param("CallerId", T.PHONE, "Caller identity shown to the callee.", "hu7658",
                  example="1000", type_basis=not_stated("§7.29", "oz4594", "hu7658")),
            Param("DialedNumber", T.PHONE, "Number dialled through the VoIP provider.", "hu7658",
                  example="234567", type_basis=not_stated("§7.29", "oz4594", "hu7658")),
        ),
    ),
    Command(
        "SendAlarmNotification",
        ElementKind.COMMAND,
        "Places a call and transmits an Ademco Contact ID alarm message.",
        "hu7659",
        usage=OZML_AND_HTTP,
        contexts=EXTENSION_ONLY,
        params=(
            Param(
                "PhoneNumber",
                T.PHONE,
                "Number of the alarm receiver.",
                "hu7659",
                required_in=EVERYWHERE,
                example="1000",
            ),
            Param("ApiExtension", T.PHONE, "API extension that places the call.", "hu7659",
                  example="9994"),
            Param("ResultUrl", T.URL, "Requested on success or failure.", "hu7659",
                  example="http://yourapp.com/alarmnotification.php"),
            Param(
                "AccountNumber",
                T.INTEGER,
                "Four-digit account number.",
                "hu7659",
                required_in=EVERYWHERE,
                minimum=0,
                min_digits=4,
                max_digits=4,
                example="1234",
            ),
            Param(
                "EventQualifier",
                T.ENUM,
                "Kind of event.",
                "hu7659",
                values=("NewEvent", "NewRestore", "StatusReport"),
                default="NewEvent",
                default_basis=stated("oz5554", "hu7659"),
                example="NewEvent",
            ),
            Param(
                "EventCode",
                T.INTEGER,
                "Event code, at most three digits.",
                "hu7659",
                required_in=EVERYWHERE,
                minimum=0,
                max_digits=3,
                example="110",
            ),
            Param(
                "PartitionNumber",
                T.INTEGER,
                "Partition number, at most two digits.",
                "hu7659",
                required_in=EVERYWHERE,
                minimum=0,
                max_digits=2,
                example="10",
            ),
            Param(
                "ZoneNumber",
                T.INTEGER,
                "Zone number, at most three digits.",
                "hu7659",
                required_in=EVERYWHERE,
                minimum=0,
                max_digits=3,
                example="30",
            ),
        ),
    ),
    Command(
        "SendMsg",
        ElementKind.COMMAND,
        "Hands a message to a named Ozeki connection (e.g. an e-mail client connection).",
        "hu7662",
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        params=(
            Param(
                "Text",
                T.STRING,
                "The message.",
                "hu7662",
                required_in=EVERYWHERE,
                text=True,
                example="Hello world!",
                text_basis=stated("hu7662"),
            ),
            Param("ToAddress", T.STRING, "Recipient address (some connections need it).",
                  "hu7662", example="test.ozeki@gmail.com"),
            Param(
                "ToConnection",
                T.STRING,
                "The connection that takes the message.",
                "hu7662",
                required_in=EVERYWHERE,
                example="gmail_client_1@localhost",
            ),
        ),
    ),
    Command(
        "UserInput",
        ElementKind.COMMAND,
        "Plays prompts while collecting DTMF digits and runs the matching Input branch.",
        "hu7663",
        contexts=EXTENSION_ONLY,
        children=ChildPolicy.LISTED,
        child_names=("InitialCommands", "Inputs"),
        children_basis=assumed(
            "§2",
            "oz4693",
            why="the vendor's examples put only InitialCommands and Inputs in it (the prompts in"
            " InitialCommands, the Input branches in Inputs); that nothing else may stand"
            " directly in UserInput is assumed",
        ),
        params=(
            Param("Repeat", T.BOOLEAN, "Repeat the prompts after Timeout.", "hu7663",
                  default="false", example="true", default_basis=stated("oz4693", "hu7663")),
            Param("Timeout", T.INTEGER, "Seconds to wait for input.", "hu7663", minimum=0,
                  default="0", example="10", default_basis=assumed(
                      "§7.32", "oz4693", "hu7663",
                      why='the spec\'s table gives only "Gen-A default 0", the older page\'s'
                      " default, and none from the Ozeki 10 page ozml follows (D1)",
                  )),
            Param("BackKey", T.DTMF_KEY, "Returns to the parent menu when nested.", "hu7663",
                  example="*"),
            Param("Digits", T.INTEGER, "Number of digits to collect.", "hu7663", minimum=1,
                  default="1", example="1", default_basis=stated("oz4693", "hu7663")),
            # MinDigits and MaxDigits: "1 (Gen-B)"; the older table is cut off at "MinDi...".
            Param("MinDigits", T.INTEGER, "Fewest digits accepted.", "hu7663", minimum=1,
                  default="1", example="1", default_basis=stated("hu7663")),
            Param("MaxDigits", T.INTEGER, "Most digits accepted.", "hu7663", minimum=1,
                  default="1", example="1", default_basis=stated("hu7663")),
            Param(
                "ForwardToURL",
                T.URL,
                "Requested (DtmfEntered) when the digits match no Input; its OzML runs.",
                "hu7663",
                aliases=(variant("enteredUrl", "ghIVR"),),
                example="http://yourapp.com/dtmf.php",
            ),
            Param("ExecuteSQL", T.SQL, "SQL run when the digits are entered.", "hu7663"),
        ),
    ),
    Command(
        "Var",
        ElementKind.COMMAND,
        "Stores a value under a name for later $name substitution.",
        "hu7664",
        contexts=EXTENSION_ONLY,
        params=(
            Param(
                "Id",
                T.IDENTIFIER,
                "The variable's name.",
                "hu7664",
                required_in=EVERYWHERE,
                example="greeting",
                type_basis=assumed(
                    "§7.33", "oz5405", "hu7664",
                    why='typed "string"; ozml wants a name usable as $name',
                ),
            ),
            Param(
                "Value",
                T.STRING,
                "The value.",
                "hu7664",
                required_in=EVERYWHERE,
                text=True,
                example="Hello",
                text_basis=stated("oz5405", "hu7664"),
            ),
        ),
    ),
    Command(
        "WaitForMsg",
        ElementKind.COMMAND,
        "Waits for a message from a connection and stores it in a variable (undocumented).",
        "hu6083",
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "CallSetup",
        ElementKind.COMMAND,
        "Connects two telephone numbers with each other.",
        "hu7666",
        usage=OZML_AND_HTTP,
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        result_codes=(200, 300, 301, 302, 303),
        result_codes_basis=assumed(
            "§6.3",
            "oz4235",
            "hu7666",
            why="the Ozeki 10 page shows only code 200; the others are the codes every command"
            " may return",
        ),
        params=(
            Param(
                "Caller",
                T.PHONE,
                "Number of the calling party (shown to the callee).",
                "hu7666",
                required_in=EVERYWHERE,
                example="102",
                type_basis=not_stated("§7.35", "hu7666"),
            ),
            Param(
                "Callee",
                T.PHONE,
                "Number of the called party.",
                "hu7666",
                required_in=EVERYWHERE,
                example="101",
                type_basis=not_stated("§7.35", "hu7666"),
            ),
            Param("ErrorUrl", T.URL, "Requested if any error occurs during the call.", "hu7666",
                  example="http://yourapp.com/error.php",
                  type_basis=not_stated("§7.35", "hu7666")),
        ),
    ),
    Command(
        "Exit",
        ElementKind.COMMAND,
        "Ends the script (undocumented: ozml assumes it stops execution).",
        "hu7666",
        contexts=UNDOCUMENTED_CONTEXTS,
        context_known=False,
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "ListAddressbookContacts",
        ElementKind.COMMAND,
        "Returns the contacts of one address book, filtered and paged.",
        "hu7668",
        usage=HTTP_ONLY,
        usage_basis=assumed(
            "§7.37", "hu7668",
            why="its Ozeki 10 page shows an HTTP request and no OzML example, which is an"
            " observation about the page (spec §1.3), not a statement that OzML cannot use it",
        ),
        params=(
            Param(
                "AddressbookName",
                T.STRING,
                "The address book to query.",
                "hu7668",
                required_in=EVERYWHERE,
                example="address_book_1",
            ),
            Param("Email", T.STRING, "Filter by e-mail.", "hu7668", example="email@address.com"),
            Param("FullName", T.STRING, "Filter by name.", "hu7668", example="John Doe"),
            Param("PageNumber", T.INTEGER, "Page to query; default 0.", "hu7668", minimum=0,
                  default="0", example="0", type_basis=not_stated("§7.37", "hu7668"),
                  default_basis=stated("hu7668")),
            Param("PhoneNumber", T.STRING, "Filter by phone number.", "hu7668",
                  example="+36 20 555 6666"),
            Param("RowsPerPage", T.INTEGER, "Maximum contacts; default 20.", "hu7668", minimum=1,
                  default="20", example="20", type_basis=not_stated("§7.37", "hu7668"),
                  default_basis=stated("hu7668")),
        ),
    ),
    Command(
        "ListAddressbookNames",
        ElementKind.COMMAND,
        "Lists the address books (undocumented: the vendor page was not found).",
        "hu7668",
        usage=HTTP_ONLY,
        documented=False,
        gen_b_page=False,
    ),
    Command(
        "ReceiveAlarmNotification",
        ElementKind.COMMAND,
        "Receives an Ademco Contact ID alarm over the call and runs Received on success.",
        "hu7670",
        contexts=EXTENSION_ONLY,
        children=ChildPolicy.LISTED,
        child_names=("Received",),
        children_basis=stated("oz5556", "hu7670"),
    ),
)

#: The alarm fields ReceiveAlarmNotification exposes inside <Received> [oz5556][hu7670].
RECEIVED_VARIABLES: tuple[str, ...] = (
    "account",
    "eventqualifier",
    "eventcode",
    "eventname",
    "partition",
    "zone",
)

#: Ozeki 10 pages whose parameter tables have no type column (spec §7): every type there is
#: ozml's reading of the examples.
NO_TYPE_COLUMN: dict[str, str] = {
    "ListCallHistory": "§7.5",
    "ListExtensions": "§7.9",
    "Request": "§7.13",
    "ReceiveMessage": "§7.17",
    "SendMessage": "§7.19",
    "CallSetup": "§7.35",
    "ListAddressbookContacts": "§7.37",
}


#: The pages that say which notifications each command answers (spec §1.2, §5 footers).
CONTEXT_SOURCES: dict[str, tuple[str, ...]] = {
    "AttendedTransfer": ("oz4582", "oz4697"),
    "BlindTransfer": ("oz4617", "oz4583"),
    "Call": ("oz4588", "oz4698"),
    "ForwardCall": ("oz4584", "oz4697"),
    "Hangup": ("oz4689", "oz4585"),
    "Hold": ("oz4086", "oz4697"),
    "Play": ("oz4690", "oz4234"),
    "Record": ("oz4776", "oz4803"),
    "SendDTMF": ("oz4580", "oz4697"),
    "Speak": ("oz4692", "oz4581"),
    "Unhold": ("oz4592", "oz4697"),
    "SendEmail": ("oz4254", "oz4698"),
    "SendSms": ("oz4589", "oz4698"),
    "Array": ("oz4254", "oz4698"),
    "Delay": ("oz4688",),
    "DeleteFile": ("oz4254", "oz4698"),
    "ForEach": ("oz4254", "oz4698"),
    "GoTo": ("oz4801",),
    "MoveFile": ("oz4254", "oz4698"),
    "Reject": ("oz4691",),
    "SendAlarmNotification": ("oz4254", "oz4698"),
    "UserInput": ("oz4254", "oz4698"),
    "Var": ("oz4254", "oz5405"),
    "ReceiveAlarmNotification": ("oz4254", "oz4698"),
}

#: The older HTTP pages that list each command's result codes (spec §6.3).
RESULT_CODE_SOURCES: dict[str, tuple[str, ...]] = {
    "AttendedTransfer": ("oz4576",),
    "BlindTransfer": ("oz4575",),
    "Call": ("oz4571",),
    "ForwardCall": ("oz4574",),
    "Hangup": ("oz4610",),
    "Hold": ("oz4572",),
    "Unhold": ("oz4573",),
    "Speak": ("oz4579",),
    "SendDTMF": ("oz4577",),
    "ListActiveCalls": ("oz4058",),
    "ListExtensions": ("oz4701",),
    "Play": ("oz4578",),
    "Record": ("oz4775",),
    "SendSms": ("oz4591",),
    "SendEmail": ("oz4774",),
}


#: Commands whose parameter tables are known to be incomplete for the target (D1, spec §9): an
#: unknown attribute on them may be a parameter the vendor's pages do not show.
INCOMPLETE_PARAMS: dict[str, Basis] = {
    "AttendedTransfer": assumed(
        "§7.1", "oz4582", "hu7630",
        why="the vendor's example uses TransferorParty, which neither parameter table lists"
        " (spec §8 #3)",
    ),
    "UserInput": assumed(
        "§7.32", "oz4693", "hu7663",
        why='the older page\'s parameter table is cut off at "MinDi..." (spec §9)',
    ),
    "SendMessage": assumed(
        "§7.19", "hu7648", why="the rest of its parameter table (Recipient, ...) is truncated"
    ),
    "ListCallHistory": assumed(
        "§7.5", "hu7634", "oz4804",
        why="the older request also carries General=, whose meaning is UNKNOWN",
    ),
    "SendEmail": assumed(
        "§7.18", "oz4774", "oz5556",
        why="its OzML page and its Ozeki 10 page were not found; its parameters are those of"
        " the older HTTP page",
    ),
    "GoTo": assumed(
        "§9", "oz4801", why="its Ozeki 10 page was not found; its parameters are the older page's"
    ),
    "MoveFile": assumed(
        "§9", "oz5401", why="its Ozeki 10 page was not found; its parameters are the older page's"
    ),
}


#: Why an OzML command is taken to have no HTTP API request, where no vendor page says so.
#: Spec §1.3 classifies these by the layout of their Ozeki 10 page, and says that this is
#: "an observation about page structure, not a statement from the vendor".
BY_PAGE_LAYOUT = (
    "Array", "Delay", "ForEach", "Reject", "Route", "SendMsg", "UserInput", "Var",
    "ReceiveAlarmNotification",
)  # fmt: skip
_LAYOUT_WHY = (
    "its Ozeki 10 page shows only parameters and an OzML example (no request parameters with"
    " Username and Password, no URL example); that the HTTP API has no request for it is an"
    " observation about page structure, not a statement from the vendor"
)
#: OzML commands documented only by the older pages (spec §9): the Ozeki 10 HTTP API is D1's.
_NO_PAGE_WHY = (
    "its Ozeki 10 page was not found and the older page shows only its OzML use; whether the"
    " Ozeki 10 HTTP API has a request for it is UNKNOWN"
)


def _ozml_only_usage(cmd: Command) -> Basis | None:
    """Why `cmd`, an OzML command, is taken to have no HTTP API request (None: not such)."""
    if cmd.in_http or not cmd.in_ozml or not cmd.documented:
        return None  # undocumented commands: `Command.usage_fact` (§9)
    if cmd.name in BY_PAGE_LAYOUT:
        return assumed("§1.3", cmd.source, why=_LAYOUT_WHY)
    if not cmd.gen_b_page:
        return assumed("§9", cmd.source, why=_NO_PAGE_WHY)
    return None


def _sourced(cmd: Command) -> dict[str, Basis]:
    """The changes that give `cmd` the sources of its contexts and result codes, where the
    catalog has them, and why it is taken to have no HTTP API request, where it is an OzML
    command."""
    changes: dict[str, Basis] = {}
    if cmd.contexts_basis is None and cmd.name in CONTEXT_SOURCES:
        changes["contexts_basis"] = stated(*CONTEXT_SOURCES[cmd.name])
    if cmd.result_codes_basis is None and cmd.name in RESULT_CODE_SOURCES:
        changes["result_codes_basis"] = stated(*RESULT_CODE_SOURCES[cmd.name])
    if cmd.params_basis is None and cmd.name in INCOMPLETE_PARAMS:
        changes["params_basis"] = INCOMPLETE_PARAMS[cmd.name]
    if cmd.usage_basis is None:
        usage = _ozml_only_usage(cmd)
        if usage is not None:
            changes["usage_basis"] = usage
    return changes


#: The section of ozml-spec.md, and its sources, that says what each element without a text
#: parameter holds, for the basis of "takes no element text" (text-not-allowed, OZ105). Every
#: one is assumed: the general form lets one parameter of a command be written as text
#: [oz4254], and these tables mark none ("—", no evidence, in §7's "Text?" column; §2 lists
#: only child elements in the containers and leaves everything else UNKNOWN). Reject, which
#: the vendor says has no parameters, is stated; SendEmail has its own entry.
NO_TEXT_SECTIONS: dict[str, tuple[str, ...]] = {
    "Response": ("§2", "oz4254", "oz5404"),
    "InitialCommands": ("§2", "oz4693"),
    "Inputs": ("§2", "oz4693"),
    "Input": ("§2", "oz4693"),
    "Received": ("§2", "oz5556", "hu7670"),
    "OnSetup": ("§7.13", "hu7642"),
    "OnError": ("§7.13", "hu7642"),
    "AttendedTransfer": ("§7.1", "oz4582", "hu7630"),
    "ForwardCall": ("§7.4", "oz4584", "hu7633"),
    "ListCallHistory": ("§7.5", "hu7634"),
    "Hangup": ("§7.6", "oz4585", "oz4689", "hu7635"),
    "Hold": ("§7.7", "oz4086", "hu7636"),
    "ListActiveCalls": ("§7.8", "hu7637"),
    "ListExtensions": ("§7.9", "hu7638"),
    "Record": ("§7.12", "oz4803", "oz4776", "hu7641"),
    "Request": ("§7.13", "hu7642"),
    "SendDTMF": ("§7.14", "oz4580", "hu7643"),
    "Unhold": ("§7.16", "oz4592", "hu7645"),
    "ReceiveMessage": ("§7.17", "hu7646"),
    "SendMessage": ("§7.19", "hu7648"),
    "Array": ("§7.21", "oz5404", "hu7650"),
    "ForEach": ("§7.25", "oz5403", "hu7654"),
    "MoveFile": ("§7.27", "oz5401"),
    "SendAlarmNotification": ("§7.30", "oz5554", "hu7659"),
    "UserInput": ("§7.32", "oz4693", "hu7663"),
    "CallSetup": ("§7.35", "hu7666"),
    "ListAddressbookContacts": ("§7.37", "hu7668"),
    "ReceiveAlarmNotification": ("§7.39", "oz5556", "hu7670"),
}

#: Why an element that holds only child elements is taken to take no text.
_CONTAINER_WHY = (
    "the vendor shows only child elements in it, and spec §2 leaves anything else there"
    " UNKNOWN; that it takes no text is assumed"
)


def _no_text(cmd: Command) -> dict[str, Basis]:
    """The change that gives `cmd` the basis of "takes no element text", where it has no text
    parameter."""
    if cmd.no_text_basis is not None or not cmd.documented or cmd.text_param is not None:
        return {}
    if cmd.name == "Reject":
        # "no parameters" [oz4691][hu7657], and element text is one of them [oz4254].
        return {"no_text_basis": stated("oz4691", "hu7657", "oz4254")}
    section, *sources = NO_TEXT_SECTIONS[cmd.name]
    container = cmd.kind is not ElementKind.COMMAND or (
        not cmd.params and cmd.children is not ChildPolicy.NONE
    )
    why = _CONTAINER_WHY if container else NO_TEXT_WHY
    return {"no_text_basis": assumed(section, *sources, why=why)}


def _params(cmd: Command) -> dict[str, tuple[Param, ...]]:
    """The change that gives `cmd`'s parameters their facts: the basis of their types, where
    the command's table has no Type column, and the context-dependent facts of
    `ozml.catalog.contextual`."""
    params = cmd.params
    section = NO_TYPE_COLUMN.get(cmd.name)
    if section is not None:
        params = tuple(
            p if p.type_basis is not None else p.replace(type_basis=not_stated(section, p.source))
            for p in params
        )
    params = contextual.apply(cmd, params)
    return {} if params is cmd.params else {"params": params}


def _completed(cmd: Command, changes: Mapping[str, object]) -> Command:
    """`cmd` with `changes`, in one copy (each copy of a command is made on every start)."""
    return cmd.replace(**changes) if changes else cmd


# Each change is worked out from the command as written: none reads what another sets.
COMMANDS = tuple(
    _completed(cmd, {**_params(cmd), **_sourced(cmd), **_no_text(cmd)}) for cmd in COMMANDS
)
ROOTS = tuple(_completed(cmd, _no_text(cmd)) for cmd in ROOTS)
PARTS = tuple(_completed(cmd, _no_text(cmd)) for cmd in PARTS)

ALL: tuple[Command, ...] = ROOTS + PARTS + COMMANDS
