"""One method per HTTP API command (generated from the catalog by ozml.api.codegen).

Do not edit: run ``python -m ozml.generate``. Parameters are keyword-only, named in
snake_case after the catalog's canonical names, and sent in the catalog's order (which is
the order of the vendor's URL examples); None means "not sent".
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import TypeVar

from ozml.api.responses import (
    ActiveCallsResult,
    ApiResult,
    CallHistoryResult,
    ContactsResult,
    ExtensionsResult,
    SmsResult,
)

__all__ = ["CommandMethods", "Value"]

#: A parameter's value: text, a whole number, or a boolean (sent as true/false).
Value = str | int | bool
R = TypeVar("R", bound=ApiResult)


class CommandMethods(abc.ABC):
    """The HTTP API commands; `ozml.api.Client` supplies `_call`."""

    @abc.abstractmethod
    def _call(
        self, command: str, params: Sequence[tuple[str, Value | None]], result: type[R]
    ) -> R:
        """Send `command` with the given parameters (None values left out)."""

    def attended_transfer(
        self,
        *,
        transferred_call_id: str | None = None,
        target_call_id: str,
        transferor_party: str | None = None,
    ) -> ApiResult:
        """Joins a held call with a target call and drops the transferring party from both.

        Sends ``command=AttendedTransfer&TransferredCallId=345fad34&TargetCallId=355dsc10``
        [hu7630].

        Args:
            transferred_call_id: ``TransferredCallId``: ID of the call to transfer; defaults to
                the notified call. Optional; ozml assumes it is mandatory and warns when it is
                left out.
            target_call_id: ``TargetCallId``: ID of the call the transferred party is joined to.
            transferor_party: ``TransferorParty``: The party that makes the transfer: caller or
                callee (seen only in the example). Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "AttendedTransfer",
            (
                ("TransferredCallId", transferred_call_id),
                ("TargetCallId", target_call_id),
                ("TransferorParty", transferor_party),
            ),
            ApiResult,
        )

    def blind_transfer(
        self,
        *,
        call_id: str | None = None,
        transferor_party: str | None = None,
        target: str,
        finished_url: str | None = None,
    ) -> ApiResult:
        """Transfers the other party to a target number without consulting it.

        Sends ``command=BlindTransfer&CallId=345fad34&Target=100`` [hu7631].

        Args:
            call_id: ``CallId``: ID of the call to transfer from; defaults to the notified call.
                Optional; ozml assumes it is mandatory and warns when it is left out.
            transferor_party: ``TransferorParty``: The party that makes the transfer: caller or
                callee (3PCC only). Optional.
            target: ``Target``: The number the call is transferred to.
            finished_url: ``FinishedUrl``: Requested when the transferred call ends. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "BlindTransfer",
            (
                ("CallId", call_id),
                ("TransferorParty", transferor_party),
                ("Target", target),
                ("FinishedUrl", finished_url),
            ),
            ApiResult,
        )

    def call(
        self,
        *,
        dialed: str,
        api_extension: str | None = None,
        caller_id: str | None = None,
        caller_display_name: str | None = None,
        url: str | None = None,
        response_ozml: str | None = None,
        error_url: str | None = None,
        finished_url: str | None = None,
        ring_time: int | str | None = None,
    ) -> ApiResult:
        """An API extension dials a number; when answered, Url is requested for the call's OzML.

        Sends ``command=Call&Dialed=100&ApiExtension=1000`` [hu7632].

        Args:
            dialed: ``Dialed``: Phone number of the callee.
            api_extension: ``ApiExtension``: API extension that places the call; may be omitted
                when answering a notification. Optional; ozml assumes it is mandatory and warns
                when it is left out.
            caller_id: ``CallerId``: Phone number shown to the callee. Optional.
            caller_display_name: ``CallerDisplayName``: Name shown to the callee. Optional.
            url: ``Url``: Requested (CallConnected) once the call is answered; its OzML runs on
                the call. Optional.
            response_ozml: ``ResponseOzML``: OzML run on the call when it connects. Optional.
            error_url: ``ErrorUrl``: Requested if any error occurs during the call. Optional.
            finished_url: ``FinishedUrl``: Requested when the call completed successfully.
                Optional.
            ring_time: ``RingTime``: Ring time in seconds; the call is closed when it expires.
                Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), ApiExtensionUnavailable (401), CallConnectFailed (402);
            a `TransportError` when no usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "Call",
            (
                ("Dialed", dialed),
                ("ApiExtension", api_extension),
                ("CallerId", caller_id),
                ("CallerDisplayName", caller_display_name),
                ("Url", url),
                ("ResponseOzML", response_ozml),
                ("ErrorUrl", error_url),
                ("FinishedUrl", finished_url),
                ("RingTime", ring_time),
            ),
            ApiResult,
        )

    def forward_call(self, *, call_id: str | None = None, destination: str) -> ApiResult:
        """Forwards a call that is still ringing to another destination.

        Sends ``command=ForwardCall&CallId=345fad34&Destination=500`` [hu7633].

        Args:
            call_id: ``CallId``: ID of the call to forward; defaults to the notified call.
                Optional; ozml assumes it is mandatory and warns when it is left out.
            destination: ``Destination``: The number the call is forwarded to.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "ForwardCall",
            (
                ("CallId", call_id),
                ("Destination", destination),
            ),
            ApiResult,
        )

    def list_call_history(
        self,
        *,
        caller_id: str | None = None,
        call_id: str | None = None,
        destination: str | None = None,
        dialed: str | None = None,
        direction: str | None = None,
        from_: str | None = None,
        page_number: int | str | None = None,
        rows_per_page: int | str | None = None,
        source: str | None = None,
        state: str | None = None,
        type: str | None = None,
    ) -> CallHistoryResult:
        """Returns past calls, filtered and paged.

        Sends ``command=ListCallHistory`` [hu7634].

        Args:
            caller_id: ``CallerId``: Filter by caller ID. Optional.
            call_id: ``CallId``: Filter by call ID. Optional.
            destination: ``Destination``: Filter by destination extension. Optional.
            dialed: ``Dialed``: Filter by dialled number. Optional.
            direction: ``Direction``: Filter by direction. Optional.
            from_: ``From``: Start date. Optional.
            page_number: ``PageNumber``: Page to query. Optional.
            rows_per_page: ``RowsPerPage``: Maximum entries returned. Optional.
            source: ``Source``: Filter by source extension. Optional.
            state: ``State``: Filter by result state. Optional.
            type: ``Type``: Filter by call type. Optional.

        Read-only: retried once when the connection could not be made.
        """
        return self._call(
            "ListCallHistory",
            (
                ("CallerId", caller_id),
                ("CallId", call_id),
                ("Destination", destination),
                ("Dialed", dialed),
                ("Direction", direction),
                ("From", from_),
                ("PageNumber", page_number),
                ("RowsPerPage", rows_per_page),
                ("Source", source),
                ("State", state),
                ("Type", type),
            ),
            CallHistoryResult,
        )

    def hangup(self, *, call_id: str) -> ApiResult:
        """Ends a call.

        Sends ``command=Hangup&CallId=345fad34`` [hu7635].

        Args:
            call_id: ``CallId``: ID of the call to end; defaults to the current call.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call("Hangup", (("CallId", call_id), ), ApiResult)

    def hold(self, *, call_id: str) -> ApiResult:
        """Puts both legs of a call on hold until Unhold.

        Sends ``command=Hold&CallId=345fad34`` [hu7636].

        Args:
            call_id: ``CallId``: ID of the call to hold; defaults to the notified call.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call("Hold", (("CallId", call_id), ), ApiResult)

    def list_active_calls(self) -> ActiveCallsResult:
        """Lists the calls in progress with their details.

        Sends ``command=ListActiveCalls`` [hu7637].

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Read-only: retried once when the connection could not be made.
        """
        return self._call("ListActiveCalls", (), ActiveCallsResult)

    def list_extensions(self, *, type: str | None = None) -> ExtensionsResult:
        """Lists the configured extensions.

        Sends ``command=ListExtensions`` [hu7638].

        Args:
            type: ``Type``: Only extensions of this type. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303); a `TransportError` when no usable answer came back.

        Read-only: retried once when the connection could not be made.
        """
        return self._call("ListExtensions", (("Type", type), ), ExtensionsResult)

    def list_extension_types(self, **params: str) -> ApiResult:
        """Lists extension types (undocumented: the vendor page was not found).

        Sends ``command=ListExtensionTypes`` [hu7666].

        The vendor does not document this command's parameters; any given as keyword
        arguments are sent as they are.

        Read-only: retried once when the connection could not be made.
        """
        return self._call("ListExtensionTypes", tuple(params.items()), ApiResult)

    def play(
        self,
        *,
        audio_file: str,
        party: str,
        call_id: str,
        repeat: bool | str | None = None,
        timeout: int | str | None = None,
    ) -> ApiResult:
        """Plays a wav or mp3 file (local path or HTTP URL) into the call.

        Sends ``command=Play&AudioFile=hello.wav&Party=all&CallId=345fad34`` [hu7640].

        Args:
            audio_file: ``AudioFile``: The file to play: a path (relative to
                ContentStorage/Static) or an HTTP URL.
            party: ``Party``: Which party of the call hears it: caller, callee or all.
            call_id: ``CallId``: ID of the call; defaults to the notified call.
            repeat: ``Repeat``: Play the file again and again. Optional.
            timeout: ``Timeout``: Stop playing after this many seconds. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), AuthenticationRequired (304), AuthenticationFailed
            (305), ForbiddenUser (306), ForbiddenAddress (307), CallNotFound (601); a
            `TransportError` when no usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "Play",
            (
                ("AudioFile", audio_file),
                ("Party", party),
                ("CallId", call_id),
                ("Repeat", repeat),
                ("Timeout", timeout),
            ),
            ApiResult,
        )

    def record(
        self,
        *,
        call_id: str,
        format: str | None = None,
        finished_url: str | None = None,
        duration: int | str | None = None,
        inactivity: int | str | None = None,
        finish_digits: str | None = None,
        record_path: str | None = None,
    ) -> ApiResult:
        """Records the call into the HttpRecordings folder.

        Sends ``command=Record&CallId=345fad34`` [hu7641].

        Args:
            call_id: ``CallId``: ID of the call; defaults to the notified call.
            format: ``Format``: Audio format of the recording. Optional.
            finished_url: ``FinishedUrl``: Requested (RecordCompleted, with RecordURL) when the
                recording ends. Optional.
            duration: ``Duration``: Maximum length in seconds (extension control only).
                Optional.
            inactivity: ``Inactivity``: Stop after this many seconds of silence (extension
                control only). Optional.
            finish_digits: ``FinishDigits``: Any of these keys stops the recording (extension
                control only). Optional.
            record_path: ``RecordPath``: Where the file is saved. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), AuthenticationRequired (304), AuthenticationFailed
            (305), ForbiddenUser (306), ForbiddenAddress (307), CallNotFound (601); a
            `TransportError` when no usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "Record",
            (
                ("CallId", call_id),
                ("Format", format),
                ("FinishedUrl", finished_url),
                ("Duration", duration),
                ("Inactivity", inactivity),
                ("FinishDigits", finish_digits),
                ("RecordPath", record_path),
            ),
            ApiResult,
        )

    def request(
        self,
        *,
        caller_display_name: str | None = None,
        caller_phone_number: str | None = None,
        dialed_address: str,
        extension_address: str | None = None,
        request_ozml: str | None = None,
        ring_time: int | str | None = None,
    ) -> ApiResult:
        """Places a call and runs the handler of each call state it reaches (OnSetup, OnError).

        Sends ``command=Request&DialedAddress=102@localhost`` [hu7642].

        Args:
            caller_display_name: ``CallerDisplayName``: Name shown to the callee. Optional.
            caller_phone_number: ``CallerPhoneNumber``: Number shown to the callee. Optional.
            dialed_address: ``DialedAddress``: The callee.
            extension_address: ``ExtensionAddress``: The originating extension; must be an API
                extension. Optional.
            request_ozml: ``RequestOzML``: The OzML holding the Request command (HTTP only).
                Optional.
            ring_time: ``RingTime``: Ring time in seconds. Optional.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "Request",
            (
                ("CallerDisplayName", caller_display_name),
                ("CallerPhoneNumber", caller_phone_number),
                ("DialedAddress", dialed_address),
                ("ExtensionAddress", extension_address),
                ("RequestOzML", request_ozml),
                ("RingTime", ring_time),
            ),
            ApiResult,
        )

    def send_dtmf(self, *, call_id: str | None = None, party: str, keys: str) -> ApiResult:
        """Sends DTMF tones to the caller, the callee or both.

        Sends ``command=SendDTMF&CallId=345fad34&Party=all&Keys=01234#`` [hu7643].

        Args:
            call_id: ``CallId``: ID of the call; defaults to the notified call. Optional; ozml
                assumes it is mandatory and warns when it is left out.
            party: ``Party``: Which party of the call hears it: caller, callee or all.
            keys: ``Keys``: The DTMF digits to send.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "SendDTMF",
            (
                ("CallId", call_id),
                ("Party", party),
                ("Keys", keys),
            ),
            ApiResult,
        )

    def speak(
        self,
        *,
        text: str,
        party: str | None = None,
        call_id: str | None = None,
        language: str | None = None,
        voice: str | None = None,
    ) -> ApiResult:
        """Reads text aloud into the call with text-to-speech.

        Sends ``command=Speak&Text=hello world&CallId=345fad34`` [hu7644].

        Args:
            text: ``Text``: The text to speak; may hold $variables.
            party: ``Party``: Which party of the call hears it: caller, callee or all. Optional.
            call_id: ``CallId``: ID of the call; defaults to the notified call. Optional; ozml
                assumes it is mandatory and warns when it is left out.
            language: ``Language``: Language code; must match an installed text-to-speech
                package. Optional.
            voice: ``Voice``: Installed text-to-speech voice. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "Speak",
            (
                ("Text", text),
                ("Party", party),
                ("CallId", call_id),
                ("Language", language),
                ("Voice", voice),
            ),
            ApiResult,
        )

    def unhold(self, *, call_id: str) -> ApiResult:
        """Takes a held call off hold.

        Sends ``command=Unhold&CallId=345fad34`` [hu7645].

        Args:
            call_id: ``CallId``: ID of the held call; defaults to the notified call.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), CallNotFound (601); a `TransportError` when no usable
            answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call("Unhold", (("CallId", call_id), ), ApiResult)

    def receive_message(
        self,
        *,
        action: str,
        after_download: str | None = None,
        folder: str | None = None,
        limit: int | str | None = None,
        response_format: str | None = None,
    ) -> ApiResult:
        """Downloads received SMS messages from the SMS gateway.

        Sends ``command=ReceiveMessage&Action=receivemessage`` [hu7646].

        Args:
            action: ``Action``: The gateway action (receivemessage).
            after_download: ``AfterDownload``: What happens to messages after download.
                Optional.
            folder: ``Folder``: Folder to read; default inbox. Optional.
            limit: ``Limit``: Maximum messages per request. Optional.
            response_format: ``ResponseFormat``: Format of the returned messages. Optional.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "ReceiveMessage",
            (
                ("Action", action),
                ("AfterDownload", after_download),
                ("Folder", folder),
                ("Limit", limit),
                ("ResponseFormat", response_format),
            ),
            ApiResult,
        )

    def send_email(
        self,
        *,
        api_extension: str,
        sender: str | None = None,
        recipient: str,
        message: str | None = None,
        subject: str | None = None,
    ) -> ApiResult:
        """Sends an e-mail through an e-mail provider connected to the PBX.

        Sends ``command=SendEmail&ApiExtension=9994&Recipient=recipient@example.com`` [oz4774].

        Args:
            api_extension: ``ApiExtension``: API extension that sends the e-mail; may be omitted
                in a notification response.
            sender: ``Sender``: Sender address; default: the provider's sender. Optional.
            recipient: ``Recipient``: Recipient address.
            message: ``Message``: The message body. Optional.
            subject: ``Subject``: The subject line. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), AuthenticationRequired (304), AuthenticationFailed
            (305), ForbiddenUser (306), ForbiddenAddress (307), SmsDestinationNotFound (501); a
            `TransportError` when no usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "SendEmail",
            (
                ("ApiExtension", api_extension),
                ("Sender", sender),
                ("Recipient", recipient),
                ("Message", message),
                ("Subject", subject),
            ),
            ApiResult,
        )

    def send_message(
        self,
        *,
        action: str,
        recipient: str | None = None,
        originator: str | None = None,
        message_type: str | None = None,
        message_data: str,
        message_count: int | str | None = None,
        max_response: int | str | None = None,
        continue_url: str | None = None,
        charset: str | None = None,
    ) -> ApiResult:
        """Sends an SMS (text, binary, WAP push, ...) through the SMS gateway.

        Sends ``command=SendMessage&Action=sendmessage&MessageData=Hello World`` [hu7648].

        Args:
            action: ``Action``: The gateway action (sendmessage).
            recipient: ``Recipient``: Recipient number. Optional.
            originator: ``Originator``: Sender address. Optional.
            message_type: ``MessageType``: Message type, e.g. SMS:TEXT. Optional.
            message_data: ``MessageData``: The text or data to send.
            message_count: ``MessageCount``: Number of messages. Optional.
            max_response: ``MaxResponse``: Maximum messages reported back. Optional.
            continue_url: ``ContinueUrl``: Target of the Continue link of an HTML response.
                Optional.
            charset: ``_charset_``: Encoding of the data; default UTF-8. Optional.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "SendMessage",
            (
                ("Action", action),
                ("Recipient", recipient),
                ("Originator", originator),
                ("MessageType", message_type),
                ("MessageData", message_data),
                ("MessageCount", message_count),
                ("MaxResponse", max_response),
                ("ContinueUrl", continue_url),
                ("_charset_", charset),
            ),
            ApiResult,
        )

    def send_sms(
        self,
        *,
        api_extension: str | None = None,
        sender: str | None = None,
        recipient: str,
        message: str,
        delivery_report_url: str | None = None,
    ) -> SmsResult:
        """Sends an SMS through a connected SMS modem or SMPP service.

        Sends ``command=SendSms&ApiExtension=9994&Recipient=+062554670&Message=Hello world``
        [hu7649].

        Args:
            api_extension: ``ApiExtension``: API extension that sends the SMS. Optional; ozml
                assumes it is mandatory and warns when it is left out.
            sender: ``Sender``: Sender: a number or a name; default: the modem's number.
                Optional.
            recipient: ``Recipient``: Recipient number.
            message: ``Message``: The message text.
            delivery_report_url: ``DeliveryReportURL``: Requested (SMSDeliveryReport) when the
                delivery status is known. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303), SmsDestinationNotFound (501); a `TransportError` when no
            usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "SendSms",
            (
                ("ApiExtension", api_extension),
                ("Sender", sender),
                ("Recipient", recipient),
                ("Message", message),
                ("DeliveryReportURL", delivery_report_url),
            ),
            SmsResult,
        )

    def send_alarm_notification(
        self,
        *,
        phone_number: str,
        api_extension: str | None = None,
        result_url: str | None = None,
        account_number: int | str,
        event_qualifier: str | None = None,
        event_code: int | str,
        partition_number: int | str,
        zone_number: int | str,
    ) -> ApiResult:
        """Places a call and transmits an Ademco Contact ID alarm message.

        Sends
        ``command=SendAlarmNotification&PhoneNumber=1000&AccountNumber=1234&EventCode=110&PartitionNumber=10&ZoneNumber=30``
        [hu7659].

        Args:
            phone_number: ``PhoneNumber``: Number of the alarm receiver.
            api_extension: ``ApiExtension``: API extension that places the call. Optional.
            result_url: ``ResultUrl``: Requested on success or failure. Optional.
            account_number: ``AccountNumber``: Four-digit account number.
            event_qualifier: ``EventQualifier``: Kind of event. Optional.
            event_code: ``EventCode``: Event code, at most three digits.
            partition_number: ``PartitionNumber``: Partition number, at most two digits.
            zone_number: ``ZoneNumber``: Zone number, at most three digits.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "SendAlarmNotification",
            (
                ("PhoneNumber", phone_number),
                ("ApiExtension", api_extension),
                ("ResultUrl", result_url),
                ("AccountNumber", account_number),
                ("EventQualifier", event_qualifier),
                ("EventCode", event_code),
                ("PartitionNumber", partition_number),
                ("ZoneNumber", zone_number),
            ),
            ApiResult,
        )

    def call_setup(self, *, caller: str, callee: str, error_url: str | None = None) -> ApiResult:
        """Connects two telephone numbers with each other.

        Sends ``command=CallSetup&Caller=102&Callee=101`` [hu7666].

        Args:
            caller: ``Caller``: Number of the calling party (shown to the callee).
            callee: ``Callee``: Number of the called party.
            error_url: ``ErrorUrl``: Requested if any error occurs during the call. Optional.

        Raises:
            ParseError (300), NotImplementedCommand (301), InvalidParameter (302),
            InappropriateCommand (303); a `TransportError` when no usable answer came back.

        Never retried: a second attempt could act on a call twice.
        """
        return self._call(
            "CallSetup",
            (
                ("Caller", caller),
                ("Callee", callee),
                ("ErrorUrl", error_url),
            ),
            ApiResult,
        )

    def list_addressbook_contacts(
        self,
        *,
        addressbook_name: str,
        email: str | None = None,
        full_name: str | None = None,
        page_number: int | str | None = None,
        phone_number: str | None = None,
        rows_per_page: int | str | None = None,
    ) -> ContactsResult:
        """Returns the contacts of one address book, filtered and paged.

        Sends ``command=ListAddressbookContacts&AddressbookName=address_book_1`` [hu7668].

        Args:
            addressbook_name: ``AddressbookName``: The address book to query.
            email: ``Email``: Filter by e-mail. Optional.
            full_name: ``FullName``: Filter by name. Optional.
            page_number: ``PageNumber``: Page to query; default 0. Optional.
            phone_number: ``PhoneNumber``: Filter by phone number. Optional.
            rows_per_page: ``RowsPerPage``: Maximum contacts; default 20. Optional.

        Read-only: retried once when the connection could not be made.
        """
        return self._call(
            "ListAddressbookContacts",
            (
                ("AddressbookName", addressbook_name),
                ("Email", email),
                ("FullName", full_name),
                ("PageNumber", page_number),
                ("PhoneNumber", phone_number),
                ("RowsPerPage", rows_per_page),
            ),
            ContactsResult,
        )

    def list_addressbook_names(self, **params: str) -> ApiResult:
        """Lists the address books (undocumented: the vendor page was not found).

        Sends ``command=ListAddressbookNames`` [hu7668].

        The vendor does not document this command's parameters; any given as keyword
        arguments are sent as they are.

        Read-only: retried once when the connection could not be made.
        """
        return self._call("ListAddressbookNames", tuple(params.items()), ApiResult)
