"""The web examples answer notifications over real HTTP on loopback with lint-clean OzML.

Each example runs on its framework's real server: the standard-library one as users start it (a
subprocess), Flask and Django under werkzeug's server, Starlette and the plain ASGI one under
uvicorn. Notifications are POSTed as the PBX posts them (ozml-spec.md §5): form-encoded,
``NotificationName`` first, with the PBX's cache headers.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from ozml.catalog import Context
from ozml.lint import LintSettings, lint
from ozml.parser import parse

WEB = Path(__file__).resolve().parent.parent / "examples" / "web"
EXTENSION = LintSettings(context=Context.EXTENSION, context_origin="the test")
PBX_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Cache-Control": "no-store,no-cache",
    "Pragma": "no-cache",
}


def post(url: str, fields: dict[str, str]) -> httpx.Response:
    """A notification as the PBX sends it: the fields in order, NotificationName first."""
    body = urlencode(fields).encode("ascii")
    return httpx.post(url, content=body, headers=PBX_HEADERS, timeout=10)


def ozml_answer(url: str, fields: dict[str, str]) -> str:
    reply = post(url, fields)
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"] == "application/xml; charset=utf-8"
    body = reply.text
    assert lint(body, settings=EXTENSION) == [], body
    return body


def check_conversation(base: str) -> None:
    """An incoming call, the keys the menu did not know, the operator's voicemail."""
    body = ozml_answer(base, {"NotificationName": "IncomingCall", "CallId": "Nt3uh"})
    root = parse(body).document.root
    assert root is not None
    menu = next(e for e in root.elements if e.tag == "UserInput")
    forward = menu.get("ForwardToURL")
    assert forward == base.rstrip("/") + "/dtmf"
    assert [e.get("Key") for e in menu.iter() if e.tag == "Input"] == ["1", "2"]

    body = ozml_answer(forward, {"NotificationName": "DtmfEntered", "DtmfDigits": "0"})
    assert "<BlindTransfer>100</BlindTransfer>" in body
    recorded = base.rstrip("/") + "/recorded"
    assert f'<Record FinishedUrl="{recorded}" Duration="120" FinishDigits="#"/>' in body

    # Whatever the form holds, the answer is well-formed OzML that speaks only DTMF keys.
    body = ozml_answer(forward, {"NotificationName": "DtmfEntered", "DtmfDigits": "9</x>$y&"})
    assert "<Speak>Sorry, 9 is not on the menu. Goodbye.</Speak>" in body

    body = ozml_answer(
        recorded, {"NotificationName": "RecordCompleted", "RecordURL": "http://pbx/r.wav"}
    )
    assert "<Hangup/>" in body

    body = ozml_answer(base, {"NotificationName": "CallChanged", "CallState": "InCall"})
    assert body.endswith("<Response/>\n")


def check_refusals(base: str) -> None:
    """What is not a notification gets its problem and status, never a traceback."""
    reply = post(base, {"CallId": "1"})
    assert reply.status_code == 400
    assert "no NotificationName field" in reply.text
    reply = post(base, {"NotificationName": "IncomingCall", "Padding": "x" * 70_000})
    assert reply.status_code == 413
    reply = httpx.post(base, json={"NotificationName": "IncomingCall"}, timeout=10)
    assert reply.status_code == 415
    assert httpx.get(base, timeout=10).status_code == 405


def check_chunked(base: str) -> None:
    """A body without a Content-Length (chunked) is read up to the limit."""

    def pieces() -> Iterator[bytes]:
        yield b"NotificationName=DtmfEn"
        yield b"tered&DtmfDigits=0"

    reply = httpx.post(base, content=pieces(), headers=PBX_HEADERS, timeout=10)
    assert reply.status_code == 200
    assert "<BlindTransfer>100</BlindTransfer>" in reply.text

    def endless() -> Iterator[bytes]:
        yield b"NotificationName=GoTo&A="
        for _ in range(100):
            yield b"x" * 1024

    try:
        reply = httpx.post(base, content=endless(), headers=PBX_HEADERS, timeout=10)
    except httpx.TransportError:
        return  # the server may close the connection while the client still sends
    assert reply.status_code == 413


@pytest.fixture(autouse=True)
def _examples_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(WEB))


def serve_wsgi(app: Callable[..., Any]) -> Iterator[str]:
    from werkzeug.serving import make_server  # flask's server; flask is a test dependency

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def serve_asgi(app: Any) -> Iterator[str]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def stdlib_app() -> Iterator[str]:
    """The stdlib example started as users start it, on a free loopback port."""
    process = subprocess.Popen(
        [sys.executable, str(WEB / "stdlib_app.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Listening on http://127.0.0.1:"), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def flask_app() -> Iterator[str]:
    import flask_app as example

    yield from serve_wsgi(example.app)


@pytest.fixture
def django_app() -> Iterator[str]:
    import django_app as example

    yield from serve_wsgi(example.application)


@pytest.fixture
def starlette_app() -> Iterator[str]:
    import starlette_app as example

    yield from serve_asgi(example.app)


@pytest.fixture
def asgi_app() -> Iterator[str]:
    import asgi_app as example

    yield from serve_asgi(example.app)


APPS = ["stdlib_app", "flask_app", "django_app", "starlette_app", "asgi_app"]


@pytest.mark.parametrize("app", APPS)
def test_app_answers_notifications(app: str, request: pytest.FixtureRequest) -> None:
    check_conversation(request.getfixturevalue(app))


@pytest.mark.parametrize("app", APPS)
def test_app_refuses_what_is_not_a_notification(app: str, request: pytest.FixtureRequest) -> None:
    check_refusals(request.getfixturevalue(app))


@pytest.mark.parametrize("app", ["flask_app", "starlette_app", "asgi_app"])
def test_app_reads_chunked_bodies(app: str, request: pytest.FixtureRequest) -> None:
    """werkzeug and uvicorn pass on a chunked body (wsgiref, HTTP/1.0, does not)."""
    check_chunked(request.getfixturevalue(app) + "dtmf")
