"""The web examples answer notifications over real HTTP on loopback with lint-clean OzML."""

from __future__ import annotations

import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from ozml.catalog import Context
from ozml.lint import LintSettings, lint
from ozml.parser import parse

WEB = Path(__file__).resolve().parent.parent / "examples" / "web"
EXTENSION = LintSettings(context=Context.EXTENSION, context_origin="the test")


def post(url: str, fields: dict[str, str]) -> tuple[int, str, str]:
    request = urllib.request.Request(
        url,
        data=urlencode(fields).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode("utf-8")


def check_conversation(base: str) -> None:
    """An incoming call, then the keys the menu did not know: what the PBX would do."""
    status, kind, body = post(base, {"NotificationName": "IncomingCall", "CallId": "Nt3uh"})
    assert status == 200
    assert kind.startswith("application/xml")
    assert lint(body, settings=EXTENSION) == []
    root = parse(body).document.root
    assert root is not None
    menu = next(e for e in root.elements if e.tag == "UserInput")
    forward = menu.get("ForwardToURL")
    assert forward == base.rstrip("/") + "/dtmf"
    assert [i.get("Key") for i in next(menu.elements).iter() if i.tag == "Input"] == []
    keys = [e.get("Key") for e in menu.iter() if e.tag == "Input"]
    assert keys == ["1", "2"]

    status, _, body = post(forward, {"NotificationName": "DtmfEntered", "DtmfDigits": "0"})
    assert status == 200
    assert "<BlindTransfer>100</BlindTransfer>" in body
    assert lint(body, settings=EXTENSION) == []

    # Whatever the form holds, the answer is well-formed OzML that speaks only DTMF keys.
    _, _, body = post(forward, {"NotificationName": "DtmfEntered", "DtmfDigits": "9</x>$y&"})
    assert "<Speak>Sorry, 9 is not on the menu. Goodbye.</Speak>" in body
    assert lint(body, settings=EXTENSION) == []

    _, _, body = post(base, {"NotificationName": "CallChanged"})
    assert parse(body).document.root is not None
    assert body.endswith("<Response/>\n")


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


def test_stdlib_app_answers_notifications(stdlib_app: str) -> None:
    check_conversation(stdlib_app)


def test_stdlib_app_refuses_oversized_posts(stdlib_app: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        post(stdlib_app, {"NotificationName": "IncomingCall", "Padding": "x" * 70_000})
    assert caught.value.code == 413


@pytest.fixture
def flask_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The Flask example served by werkzeug on a free loopback port, in a thread."""
    from werkzeug.serving import make_server  # flask's server; flask is a test dependency

    monkeypatch.syspath_prepend(str(WEB))
    import flask_app as example

    server = make_server("127.0.0.1", 0, example.app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_flask_app_answers_notifications(flask_app: str) -> None:
    check_conversation(flask_app)
