"""Requesting OzML from an application over HTTP, the way the PBX does.

The PBX POSTs a notification to the application's URL, form-encoded, and runs the OzML the
application answers (ozml-spec.md §5 [oz4201]). `HttpFetcher` does exactly that for the
interpreter's GoTo and ForwardToURL fetches in live runs, and for the simulator's notifications
(CallConnected to a Call's Url, ErrorUrl, FinishedUrl). Needs httpx (``ozml[http]``).
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

import attrs

from ozml import __version__
from ozml.api.bodies import HEADERS, UnreadableBody, read_body
from ozml.api.errors import HttpUnavailable
from ozml.interpreter.fetch import FetchError

if TYPE_CHECKING:
    import httpx

__all__ = ["Delivery", "HttpFetcher"]

#: An application's answer larger than this is refused (an OzML document is a few kilobytes).
MAX_ANSWER_BYTES: Final = 1024 * 1024


@attrs.frozen
class Delivery:
    """One POST made: where, which form, and what came of it (status or the error)."""

    url: str
    form: Mapping[str, str]
    status: int | None = None
    error: str | None = None
    body: bytes = b""


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (localhost, 127.0.0.0/8, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HttpFetcher:
    """POSTs form-encoded notifications and returns the answer's bytes; thread-safe.

    Follows no redirects, reads no proxy or .netrc settings from the environment, and keeps the
    last `keep` deliveries in `deliveries` for inspection. With `loopback_only` it posts only to
    this machine (the simulator's default, so a test never reaches a real host).
    """

    def __init__(
        self, timeout: float = 10.0, keep: int = 1000, *, loopback_only: bool = False
    ) -> None:
        try:
            import httpx
        except ImportError:
            raise HttpUnavailable() from None
        self._httpx = httpx
        # Made on first use: building its TLS context costs a noticeable fraction of a second,
        # and a simulator that never notifies anyone should not pay it.
        self._http: httpx.Client | None = None
        self.timeout = timeout
        self.keep = keep
        self.loopback_only = loopback_only
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._http is None:
                from ozml.api.deadline import DeadlineTransport

                httpx = self._httpx
                self._http = httpx.Client(
                    timeout=httpx.Timeout(self.timeout),
                    # The timeout bounds each delivery as a whole, not each read (see
                    # ozml.api.deadline): an application dripping its answer cannot hold a call.
                    transport=DeadlineTransport(),
                    follow_redirects=False,
                    trust_env=False,
                    headers={
                        "User-Agent": f"ozml/{__version__}",
                        "Cache-Control": "no-store,no-cache",
                        "Pragma": "no-cache",
                        **HEADERS,  # no compression: see ozml.api.bodies
                    },
                )
            return self._http

    def _keep(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)
            if len(self.deliveries) > self.keep:
                del self.deliveries[: len(self.deliveries) - self.keep]

    def post(self, url: str, form: Mapping[str, str]) -> Delivery:
        """POST `form` to `url`; never raises: the delivery says what happened."""
        httpx = self._httpx
        if self.loopback_only and not is_loopback(url):
            delivery = Delivery(
                url, dict(form), error="not sent: only loopback addresses are allowed"
            )
            self._keep(delivery)
            return delivery
        try:
            status, reason, body = self._exchange(url, form)
        except UnreadableBody as error:
            delivery = Delivery(url, dict(form), error=str(error))
        except httpx.TimeoutException:
            delivery = Delivery(url, dict(form), error=f"no answer within {self.timeout:g} s")
        except httpx.InvalidURL as error:
            delivery = Delivery(url, dict(form), error=f"invalid URL: {error}")
        except httpx.HTTPError as error:
            delivery = Delivery(url, dict(form), error=str(error) or type(error).__name__)
        else:
            if body is None:
                delivery = Delivery(
                    url, dict(form), status,
                    error=f"the answer is larger than {MAX_ANSWER_BYTES} bytes",
                )
            elif not 200 <= status < 300:
                delivery = Delivery(
                    url, dict(form), status, error=f"HTTP {status} {reason}".rstrip()
                )
            else:
                delivery = Delivery(url, dict(form), status, body=body)
        self._keep(delivery)
        return delivery

    def _exchange(self, url: str, form: Mapping[str, str]) -> tuple[int, str, bytes | None]:
        """POST under a deadline of `timeout` for the whole exchange; status, reason and the
        answer, None when it is larger than MAX_ANSWER_BYTES (decoded or not: nothing past
        that is read or held)."""
        from ozml.api.deadline import deadline

        with deadline(self.timeout), self._client().stream(
            "POST", url, data=dict(form)
        ) as response:
            body = read_body(response, MAX_ANSWER_BYTES)
            return response.status_code, response.reason_phrase, body

    def fetch(self, url: str, form: Mapping[str, str]) -> bytes:
        """The OzML `url` answers to `form` (the interpreter's Fetcher protocol)."""
        delivery = self.post(url, form)
        if delivery.error is not None:
            raise FetchError(f"{url}: {delivery.error}")
        return delivery.body

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None
