"""The typed builder classes, one per OzML element (generated from the catalog: do not edit).

Regenerate with ``python -m ozml.generate``; the test suite fails when this file and the catalog
disagree. The machinery (checking, writing) is in `ozml.builder.base`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from ozml.builder.base import (
    CommandChild,
    CommandElement,
    Comment,
    Dynamic,
    PartElement,
    RootElement,
)

__all__ = [
    "Array",
    "AttendedTransfer",
    "Beep",
    "BlindTransfer",
    "Call",
    "CallSetup",
    "Delay",
    "DeleteFile",
    "Exit",
    "ForEach",
    "ForwardCall",
    "GoTo",
    "Hangup",
    "Hold",
    "InitialCommands",
    "Input",
    "Inputs",
    "Item",
    "MoveFile",
    "OnError",
    "OnSetup",
    "Play",
    "ReceiveAlarmNotification",
    "Received",
    "Record",
    "Reject",
    "Request",
    "Response",
    "Route",
    "SendAlarmNotification",
    "SendDTMF",
    "SendEmail",
    "SendMsg",
    "SendSms",
    "Speak",
    "Unhold",
    "UserInput",
    "Var",
    "WaitForMsg",
]


class Response(RootElement):
    """The root of every OzML document: the commands run top to bottom.

    Args:
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Response"

    def __init__(self, *commands: CommandChild) -> None:
        super().__init__({}, commands)


class InitialCommands(PartElement):
    """Commands played while UserInput waits for keys (repeated when Repeat is true).

    Args:
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "InitialCommands"

    def __init__(self, *commands: CommandChild) -> None:
        super().__init__({}, commands)


class Inputs(PartElement):
    """The Input branches of a UserInput menu.

    Args:
        *children: The Input elements.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Inputs"

    def __init__(self, *children: Input | Comment) -> None:
        super().__init__({}, children)


class Input(PartElement):
    """One menu branch: its commands run when the caller enters its key.

    Args:
        key: The DTMF digit or digit string that selects this branch. Mandatory. (``Key``)
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Input"

    def __init__(self, key: str | int | Dynamic, *commands: CommandChild) -> None:
        super().__init__(
            {
                "Key": key,
            },
            commands,
        )


class Item(PartElement):
    """One value of an Array, written as the element text.

    Args:
        value: The item's value. Written as the element text. (``Value``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Item"

    def __init__(self, value: str | Dynamic | None = None) -> None:
        super().__init__(
            {
                "Value": value,
            },
        )


class Received(PartElement):
    """Commands run after an alarm was received; the alarm fields are variables here.

    Args:
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Received"

    def __init__(self, *commands: CommandChild) -> None:
        super().__init__({}, commands)


class OnSetup(PartElement):
    """Request handler run when the call is being set up.

    Args:
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "OnSetup"

    def __init__(self, *commands: CommandChild) -> None:
        super().__init__({}, commands)


class OnError(PartElement):
    """Request handler run when the call fails.

    Request's full set of handlers is UNKNOWN; only OnSetup and OnError are documented.

    Args:
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "OnError"

    def __init__(self, *commands: CommandChild) -> None:
        super().__init__({}, commands)


class AttendedTransfer(CommandElement):
    """Joins a held call with a target call and drops the transferring party from both.

    Valid in 3pcc scripts.

    Args:
        transferred_call_id: ID of the call to transfer; defaults to the notified call.
            (``TransferredCallId``)
        target_call_id: ID of the call the transferred party is joined to. Mandatory.
            (``TargetCallId``)
        transferor_party: The party that makes the transfer: caller or callee (seen only in the
            example). One of caller, callee. (``TransferorParty``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "AttendedTransfer"

    def __init__(
        self,
        target_call_id: str | Dynamic,
        *,
        transferred_call_id: str | Dynamic | None = None,
        transferor_party: Literal["caller", "callee"] | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "TransferredCallId": transferred_call_id,
                "TargetCallId": target_call_id,
                "TransferorParty": transferor_party,
            },
        )


class BlindTransfer(CommandElement):
    """Transfers the other party to a target number without consulting it.

    Valid in extension and 3pcc scripts. A failed transfer continues with the next command (D9).

    Args:
        call_id: ID of the call to transfer from; defaults to the notified call. Used only in 3pcc
            scripts. (``CallId``)
        transferor_party: The party that makes the transfer: caller or callee (3PCC only). Mandatory
            in 3pcc scripts. One of caller, callee. Used only in 3pcc scripts. (``TransferorParty``)
        target: The number the call is transferred to. Mandatory. Written as the element text.
            (``Target``)
        finished_url: Requested when the transferred call ends. Used only in 3pcc scripts.
            (``FinishedUrl``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "BlindTransfer"

    def __init__(
        self,
        target: str | int | Dynamic,
        *,
        call_id: str | Dynamic | None = None,
        transferor_party: Literal["caller", "callee"] | Dynamic | None = None,
        finished_url: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "CallId": call_id,
                "TransferorParty": transferor_party,
                "Target": target,
                "FinishedUrl": finished_url,
            },
        )


class Call(CommandElement):
    """An API extension dials a number; when answered, Url is requested for the call's OzML.

    Valid in extension scripts.

    Args:
        dialed: Phone number of the callee. Mandatory. Written as the element text. (``Dialed``)
        api_extension: API extension that places the call; may be omitted when answering a
            notification. (``ApiExtension``)
        caller_id: Phone number shown to the callee. (``CallerId``)
        caller_display_name: Name shown to the callee. (``CallerDisplayName``)
        url: Requested (CallConnected) once the call is answered; its OzML runs on the call.
            (``Url``)
        response_ozml: OzML run on the call when it connects. (``ResponseOzML``)
        error_url: Requested if any error occurs during the call. (``ErrorUrl``)
        finished_url: Requested when the call completed successfully. (``FinishedUrl``)
        ring_time: Ring time in seconds; the call is closed when it expires. (``RingTime``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Call"

    def __init__(
        self,
        dialed: str | int | Dynamic,
        *,
        api_extension: str | int | Dynamic | None = None,
        caller_id: str | int | Dynamic | None = None,
        caller_display_name: str | Dynamic | None = None,
        url: str | Dynamic | None = None,
        response_ozml: str | Dynamic | None = None,
        error_url: str | Dynamic | None = None,
        finished_url: str | Dynamic | None = None,
        ring_time: int | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Dialed": dialed,
                "ApiExtension": api_extension,
                "CallerId": caller_id,
                "CallerDisplayName": caller_display_name,
                "Url": url,
                "ResponseOzML": response_ozml,
                "ErrorUrl": error_url,
                "FinishedUrl": finished_url,
                "RingTime": ring_time,
            },
        )


class ForwardCall(CommandElement):
    """Forwards a call that is still ringing to another destination.

    Valid in 3pcc scripts.

    Args:
        call_id: ID of the call to forward; defaults to the notified call. (``CallId``)
        destination: The number the call is forwarded to. Mandatory. (``Destination``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "ForwardCall"

    def __init__(
        self,
        destination: str | int | Dynamic,
        *,
        call_id: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "CallId": call_id,
                "Destination": destination,
            },
        )


class Hangup(CommandElement):
    """Ends a call.

    Valid in extension and 3pcc scripts.

    Args:
        call_id: ID of the call to end; defaults to the current call. Used only in 3pcc scripts.
            (``CallId``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Hangup"

    def __init__(self, *, call_id: str | Dynamic | None = None) -> None:
        super().__init__(
            {
                "CallId": call_id,
            },
        )


class Hold(CommandElement):
    """Puts both legs of a call on hold until Unhold.

    Valid in 3pcc scripts.

    Args:
        call_id: ID of the call to hold; defaults to the notified call. (``CallId``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Hold"

    def __init__(self, *, call_id: str | Dynamic | None = None) -> None:
        super().__init__(
            {
                "CallId": call_id,
            },
        )


class Play(CommandElement):
    """Plays a wav or mp3 file (local path or HTTP URL) into the call.

    Valid in extension and 3pcc scripts.

    Args:
        audio_file: The file to play: a path (relative to ContentStorage/Static) or an HTTP URL.
            Mandatory. Written as the element text. (``AudioFile``)
        party: Which party of the call hears it: caller, callee or all. Mandatory in 3pcc scripts.
            One of caller, callee, all. Used only in 3pcc scripts. (``Party``)
        call_id: ID of the call; defaults to the notified call. Used only in 3pcc scripts.
            (``CallId``)
        repeat: Play the file again and again. Default false. (``Repeat``)
        timeout: Stop playing after this many seconds. (``Timeout``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Play"

    def __init__(
        self,
        audio_file: str | Dynamic,
        *,
        party: Literal["caller", "callee", "all"] | Dynamic | None = None,
        call_id: str | Dynamic | None = None,
        repeat: bool | Dynamic | None = None,
        timeout: int | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "AudioFile": audio_file,
                "Party": party,
                "CallId": call_id,
                "Repeat": repeat,
                "Timeout": timeout,
            },
        )


class Record(CommandElement):
    """Records the call into the HttpRecordings folder.

    Valid in extension and 3pcc scripts.

    Args:
        call_id: ID of the call; defaults to the notified call. Used only in 3pcc scripts.
            (``CallId``)
        format: Audio format of the recording. One of mp3, wav. Default mp3. (``Format``)
        finished_url: Requested (RecordCompleted, with RecordURL) when the recording ends.
            (``FinishedUrl``)
        duration: Maximum length in seconds (extension control only). Used only in extension
            scripts. (``Duration``)
        inactivity: Stop after this many seconds of silence (extension control only). Used only in
            extension scripts. (``Inactivity``)
        finish_digits: Any of these keys stops the recording (extension control only). Used only in
            extension scripts. (``FinishDigits``)
        record_path: Where the file is saved. (``RecordPath``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Record"

    def __init__(
        self,
        *,
        call_id: str | Dynamic | None = None,
        format: Literal["mp3", "wav"] | Dynamic | None = None,
        finished_url: str | Dynamic | None = None,
        duration: int | Dynamic | None = None,
        inactivity: int | Dynamic | None = None,
        finish_digits: str | int | Dynamic | None = None,
        record_path: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "CallId": call_id,
                "Format": format,
                "FinishedUrl": finished_url,
                "Duration": duration,
                "Inactivity": inactivity,
                "FinishDigits": finish_digits,
                "RecordPath": record_path,
            },
        )


class Request(CommandElement):
    """Places a call and runs the handler of each call state it reaches (OnSetup, OnError).

    Args:
        caller_display_name: Name shown to the callee. (``CallerDisplayName``)
        caller_phone_number: Number shown to the callee. (``CallerPhoneNumber``)
        dialed_address: The callee. Mandatory. (``DialedAddress``)
        extension_address: The originating extension; must be an API extension.
            (``ExtensionAddress``)
        ring_time: Ring time in seconds. (``RingTime``)
        *children: The OnSetup and OnError elements.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Request"

    def __init__(
        self,
        dialed_address: str | int | Dynamic,
        *children: OnSetup | OnError | Comment,
        caller_display_name: str | Dynamic | None = None,
        caller_phone_number: str | int | Dynamic | None = None,
        extension_address: str | int | Dynamic | None = None,
        ring_time: int | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "CallerDisplayName": caller_display_name,
                "CallerPhoneNumber": caller_phone_number,
                "DialedAddress": dialed_address,
                "ExtensionAddress": extension_address,
                "RingTime": ring_time,
            },
            children,
        )


class SendDTMF(CommandElement):
    """Sends DTMF tones to the caller, the callee or both.

    Valid in 3pcc scripts.

    Args:
        call_id: ID of the call; defaults to the notified call. (``CallId``)
        party: Which party of the call hears it: caller, callee or all. Mandatory. One of caller,
            callee, all. (``Party``)
        keys: The DTMF digits to send. Mandatory. (``Keys``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "SendDTMF"

    def __init__(
        self,
        party: Literal["caller", "callee", "all"] | Dynamic,
        keys: str | int | Dynamic,
        *,
        call_id: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "CallId": call_id,
                "Party": party,
                "Keys": keys,
            },
        )


class Speak(CommandElement):
    """Reads text aloud into the call with text-to-speech.

    Valid in extension and 3pcc scripts.

    Args:
        text: The text to speak; may hold $variables. Mandatory. Written as the element text.
            (``Text``)
        party: Which party of the call hears it: caller, callee or all. Mandatory in 3pcc scripts.
            One of caller, callee, all. Used only in 3pcc scripts. (``Party``)
        call_id: ID of the call; defaults to the notified call. Used only in 3pcc scripts.
            (``CallId``)
        language: Language code; must match an installed text-to-speech package. (``Language``)
        voice: Installed text-to-speech voice. (``Voice``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Speak"

    def __init__(
        self,
        text: str | Dynamic,
        *,
        party: Literal["caller", "callee", "all"] | Dynamic | None = None,
        call_id: str | Dynamic | None = None,
        language: str | Dynamic | None = None,
        voice: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Text": text,
                "Party": party,
                "CallId": call_id,
                "Language": language,
                "Voice": voice,
            },
        )


class Unhold(CommandElement):
    """Takes a held call off hold.

    Valid in 3pcc scripts.

    Args:
        call_id: ID of the held call; defaults to the notified call. (``CallId``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Unhold"

    def __init__(self, *, call_id: str | Dynamic | None = None) -> None:
        super().__init__(
            {
                "CallId": call_id,
            },
        )


class SendEmail(CommandElement):
    """Sends an e-mail through an e-mail provider connected to the PBX.

    Valid in extension scripts. Whether the body may be written as element text is UNKNOWN.

    Args:
        api_extension: API extension that sends the e-mail; may be omitted in a notification
            response. (``ApiExtension``)
        sender: Sender address; default: the provider's sender. (``Sender``)
        recipient: Recipient address. Mandatory. (``Recipient``)
        message: The message body. (``Message``)
        subject: The subject line. (``Subject``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "SendEmail"

    def __init__(
        self,
        recipient: str | Dynamic,
        *,
        api_extension: str | int | Dynamic | None = None,
        sender: str | Dynamic | None = None,
        message: str | Dynamic | None = None,
        subject: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "ApiExtension": api_extension,
                "Sender": sender,
                "Recipient": recipient,
                "Message": message,
                "Subject": subject,
            },
        )


class SendSms(CommandElement):
    """Sends an SMS through a connected SMS modem or SMPP service.

    Valid in extension scripts.

    Args:
        api_extension: API extension that sends the SMS. (``ApiExtension``)
        sender: Sender: a number or a name; default: the modem's number. (``Sender``)
        recipient: Recipient number. Mandatory. (``Recipient``)
        message: The message text. Mandatory. Written as the element text. (``Message``)
        delivery_report_url: Requested (SMSDeliveryReport) when the delivery status is known.
            (``DeliveryReportURL``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "SendSms"

    def __init__(
        self,
        recipient: str | Dynamic,
        message: str | Dynamic,
        *,
        api_extension: str | int | Dynamic | None = None,
        sender: str | Dynamic | None = None,
        delivery_report_url: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "ApiExtension": api_extension,
                "Sender": sender,
                "Recipient": recipient,
                "Message": message,
                "DeliveryReportURL": delivery_report_url,
            },
        )


class Array(CommandElement):
    """Declares a named list of items for ForEach.

    Valid in extension scripts.

    Args:
        id: The array's name, used as ForEach's Source. Mandatory. (``Id``)
        *children: The Item elements (a str is an Item).
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Array"

    def __init__(self, id: str | Dynamic, *children: Item | str | Comment) -> None:
        super().__init__(
            {
                "Id": id,
            },
            children,
        )


class Beep(CommandElement):
    """Plays a simple beep (undocumented: parameters unknown).

    Undocumented by the vendor (D6): its parameters are unknown, so pass attributes as they are to
    be written; they are not checked.

    Args:
        attributes: Attributes written as given (name → value).
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Beep"

    def __init__(self, *, attributes: Mapping[str, str] | None = None) -> None:
        super().__init__({}, (), attributes)


class Delay(CommandElement):
    """Waits before running the next command.

    Valid in extension scripts.

    Args:
        time: How long to wait, in seconds. Mandatory. Written as the element text. (``Time``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Delay"

    def __init__(self, time: float | Dynamic) -> None:
        super().__init__(
            {
                "Time": time,
            },
        )


class DeleteFile(CommandElement):
    """Deletes a file that is no longer needed (undocumented: parameters unknown).

    Undocumented by the vendor (D6): its parameters are unknown, so pass attributes as they are to
    be written; they are not checked. Valid in extension scripts.

    Args:
        attributes: Attributes written as given (name → value).
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "DeleteFile"

    def __init__(self, *, attributes: Mapping[str, str] | None = None) -> None:
        super().__init__({}, (), attributes)


class ForEach(CommandElement):
    """Runs its commands once per item of an array, with the item as $item.

    Valid in extension scripts.

    Args:
        source: The name of the array to loop over. Mandatory. (``Source``)
        *commands: The commands, run in order.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "ForEach"

    def __init__(self, source: str | Dynamic, *commands: CommandChild) -> None:
        super().__init__(
            {
                "Source": source,
            },
            commands,
        )


class GoTo(CommandElement):
    """Continues with the OzML fetched from a URL (or returned by an SQL query).

    Valid in extension scripts.

    Args:
        url: Where the next OzML comes from: a URL, or an SQL query with SQL OzML. Mandatory.
            Written as the element text. (``Url``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "GoTo"

    def __init__(self, url: str | Dynamic) -> None:
        super().__init__(
            {
                "Url": url,
            },
        )


class MoveFile(CommandElement):
    """Moves a file into a target directory.

    Valid in extension scripts.

    Args:
        source_file: Full path of the file to move. Mandatory. (``SourceFile``)
        target_directory: Directory to move the file into. Mandatory. (``TargetDirectory``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "MoveFile"

    def __init__(self, source_file: str | Dynamic, target_directory: str | Dynamic) -> None:
        super().__init__(
            {
                "SourceFile": source_file,
                "TargetDirectory": target_directory,
            },
        )


class Reject(CommandElement):
    """Refuses an incoming call without answering; only valid as the first command.

    Valid in extension scripts.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Reject"

    def __init__(self) -> None:
        super().__init__({}, ())


class Route(CommandElement):
    """Answers a RoutingInterception with the destination to ring.

    Valid in routing scripts.

    Args:
        destination: Extension number or outside-line name. Written as the element text.
            (``Destination``)
        ring_time: Ring time in seconds (default 90). Default 90. (``RingTime``)
        caller_id: Caller identity shown to the callee. (``CallerId``)
        dialed_number: Number dialled through the VoIP provider. (``DialedNumber``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Route"

    def __init__(
        self,
        destination: str | int | Dynamic | None = None,
        *,
        ring_time: int | Dynamic | None = None,
        caller_id: str | int | Dynamic | None = None,
        dialed_number: str | int | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Destination": destination,
                "RingTime": ring_time,
                "CallerId": caller_id,
                "DialedNumber": dialed_number,
            },
        )


class SendAlarmNotification(CommandElement):
    """Places a call and transmits an Ademco Contact ID alarm message.

    Valid in extension scripts.

    Args:
        phone_number: Number of the alarm receiver. Mandatory. (``PhoneNumber``)
        api_extension: API extension that places the call. (``ApiExtension``)
        result_url: Requested on success or failure. (``ResultUrl``)
        account_number: Four-digit account number. Mandatory. (``AccountNumber``)
        event_qualifier: Kind of event. One of NewEvent, NewRestore, StatusReport. Default NewEvent.
            (``EventQualifier``)
        event_code: Event code, at most three digits. Mandatory. (``EventCode``)
        partition_number: Partition number, at most two digits. Mandatory. (``PartitionNumber``)
        zone_number: Zone number, at most three digits. Mandatory. (``ZoneNumber``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "SendAlarmNotification"

    def __init__(
        self,
        phone_number: str | int | Dynamic,
        account_number: int | Dynamic,
        event_code: int | Dynamic,
        partition_number: int | Dynamic,
        zone_number: int | Dynamic,
        *,
        api_extension: str | int | Dynamic | None = None,
        result_url: str | Dynamic | None = None,
        event_qualifier: Literal["NewEvent", "NewRestore", "StatusReport"] | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "PhoneNumber": phone_number,
                "ApiExtension": api_extension,
                "ResultUrl": result_url,
                "AccountNumber": account_number,
                "EventQualifier": event_qualifier,
                "EventCode": event_code,
                "PartitionNumber": partition_number,
                "ZoneNumber": zone_number,
            },
        )


class SendMsg(CommandElement):
    """Hands a message to a named Ozeki connection (e.g. an e-mail client connection).

    Args:
        text: The message. Mandatory. Written as the element text. (``Text``)
        to_address: Recipient address (some connections need it). (``ToAddress``)
        to_connection: The connection that takes the message. Mandatory. (``ToConnection``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "SendMsg"

    def __init__(
        self,
        text: str | Dynamic,
        to_connection: str | Dynamic,
        *,
        to_address: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Text": text,
                "ToAddress": to_address,
                "ToConnection": to_connection,
            },
        )


class UserInput(CommandElement):
    """Plays prompts while collecting DTMF digits and runs the matching Input branch.

    Valid in extension scripts.

    Args:
        repeat: Repeat the prompts after Timeout. Default false. (``Repeat``)
        timeout: Seconds to wait for input. Default 0 (assumed). (``Timeout``)
        back_key: Returns to the parent menu when nested. (``BackKey``)
        digits: Number of digits to collect. Default 1. (``Digits``)
        min_digits: Fewest digits accepted. Default 1. (``MinDigits``)
        max_digits: Most digits accepted. Default 1. (``MaxDigits``)
        forward_to_url: Requested (DtmfEntered) when the digits match no Input; its OzML runs.
            (``ForwardToURL``)
        execute_sql: SQL run when the digits are entered. (``ExecuteSQL``)
        *children: The InitialCommands and Inputs elements.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "UserInput"

    def __init__(
        self,
        *children: InitialCommands | Inputs | Comment,
        repeat: bool | Dynamic | None = None,
        timeout: int | Dynamic | None = None,
        back_key: str | int | Dynamic | None = None,
        digits: int | Dynamic | None = None,
        min_digits: int | Dynamic | None = None,
        max_digits: int | Dynamic | None = None,
        forward_to_url: str | Dynamic | None = None,
        execute_sql: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Repeat": repeat,
                "Timeout": timeout,
                "BackKey": back_key,
                "Digits": digits,
                "MinDigits": min_digits,
                "MaxDigits": max_digits,
                "ForwardToURL": forward_to_url,
                "ExecuteSQL": execute_sql,
            },
            children,
        )


class Var(CommandElement):
    """Stores a value under a name for later $name substitution.

    Valid in extension scripts.

    Args:
        id: The variable's name. Mandatory. (``Id``)
        value: The value. Mandatory. Written as the element text. (``Value``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Var"

    def __init__(self, id: str | Dynamic, value: str | Dynamic) -> None:
        super().__init__(
            {
                "Id": id,
                "Value": value,
            },
        )


class WaitForMsg(CommandElement):
    """Waits for a message from a connection and stores it in a variable (undocumented).

    Undocumented by the vendor (D6): its parameters are unknown, so pass attributes as they are to
    be written; they are not checked.

    Args:
        attributes: Attributes written as given (name → value).
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "WaitForMsg"

    def __init__(self, *, attributes: Mapping[str, str] | None = None) -> None:
        super().__init__({}, (), attributes)


class CallSetup(CommandElement):
    """Connects two telephone numbers with each other.

    Args:
        caller: Number of the calling party (shown to the callee). Mandatory. (``Caller``)
        callee: Number of the called party. Mandatory. (``Callee``)
        error_url: Requested if any error occurs during the call. (``ErrorUrl``)
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "CallSetup"

    def __init__(
        self,
        caller: str | int | Dynamic,
        callee: str | int | Dynamic,
        *,
        error_url: str | Dynamic | None = None,
    ) -> None:
        super().__init__(
            {
                "Caller": caller,
                "Callee": callee,
                "ErrorUrl": error_url,
            },
        )


class Exit(CommandElement):
    """Ends the script (undocumented: ozml assumes it stops execution).

    Undocumented by the vendor (D6): its parameters are unknown, so pass attributes as they are to
    be written; they are not checked.

    Args:
        attributes: Attributes written as given (name → value).
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "Exit"

    def __init__(self, *, attributes: Mapping[str, str] | None = None) -> None:
        super().__init__({}, (), attributes)


class ReceiveAlarmNotification(CommandElement):
    """Receives an Ademco Contact ID alarm over the call and runs Received on success.

    Valid in extension scripts.

    Args:
        *children: The Received elements.
    """

    __slots__ = ()
    ozml_name: ClassVar[str] = "ReceiveAlarmNotification"

    def __init__(self, *children: Received | Comment) -> None:
        super().__init__({}, children)
