"""The framework helpers of ozml.notifications against the real frameworks (Flask, Django,
Starlette) and against the WSGI and ASGI protocols as servers speak them.

The examples in examples/web run the same helpers on real servers (tests/test_web_examples.py);
here each helper's edges: the limits before and while reading, media types, encodings, and a
form a framework has already read.
"""

from __future__ import annotations

import asyncio
import http.client
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ozml.builder import Response, Speak
from ozml.callmodel import NotificationNames
from ozml.notifications import (
    CONTENT_TYPE,
    CallChanged,
    DtmfEntered,
    FinishedUrlRequest,
    IncomingCall,
    Notification,
    NotificationError,
    NotificationTooLarge,
)

WEB = Path(__file__).resolve().parent.parent / "examples" / "web"
FORM = "application/x-www-form-urlencoded"
BODY = b"NotificationName=DtmfEntered&CallId=c1&DtmfDigits=1%232&Zeta=z&Alpha=a"


def check(note: Notification) -> None:
    assert isinstance(note, DtmfEntered)
    assert note.dtmf_digits == "1#2"
    assert note.call_id == "c1"
    assert list(note.extra) == ["Zeta", "Alpha"]  # the order sent


# -- WSGI --------------------------------------------------------------------------------------


def environ(body: bytes, **extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    env.update(extra)
    return env


def test_wsgi_reads_the_content_length() -> None:
    from ozml.notifications.wsgi import from_environ, read_body

    check(from_environ(environ(BODY)))
    # Never past the Content-Length (PEP 3333), nor without one unless the stream ends.
    assert read_body(environ(BODY + b"&More=1", CONTENT_LENGTH=str(len(BODY)))) == BODY
    assert read_body(environ(BODY, CONTENT_LENGTH="")) == b""
    assert read_body(environ(BODY, CONTENT_LENGTH="", **{"wsgi.input_terminated": True})) == BODY


@pytest.mark.parametrize(
    ("length", "message"),
    [
        ("1_0", "the Content-Length '1_0' is not a number of bytes"),
        ("-1", "the Content-Length '-1' is not a number of bytes"),
        ("0x10", "the Content-Length '0x10' is not a number of bytes"),
        ("2000000", "the notification is 1.9 MiB, more than the limit of 1 MiB"),
        ("9" * 5000, "the notification is larger than the limit of 1 MiB"),  # int() refuses it
        ("0" * 5000 + "2000000", "the notification is 1.9 MiB, more than the limit of 1 MiB"),
    ],
)
def test_wsgi_refuses_bad_lengths_before_reading(length: str, message: str) -> None:
    from ozml.notifications.wsgi import from_environ

    stream = io.BytesIO(BODY)
    with pytest.raises(NotificationError) as caught:
        from_environ(environ(BODY, CONTENT_LENGTH=length, **{"wsgi.input": stream}))
    assert str(caught.value) == message
    assert stream.tell() == 0


def test_wsgi_bounds_a_body_without_length() -> None:
    from ozml.notifications.wsgi import from_environ

    env = environ(b"NotificationName=GoTo&A=" + b"x" * 200, CONTENT_LENGTH="")
    env["wsgi.input_terminated"] = True
    with pytest.raises(NotificationTooLarge, match="larger than the limit of 100 bytes"):
        from_environ(env, max_bytes=100)


def test_wsgi_media_types_and_charsets() -> None:
    from ozml.notifications.wsgi import from_environ

    with pytest.raises(NotificationError, match="is multipart/form-data, not") as caught:
        from_environ(environ(BODY, CONTENT_TYPE="multipart/form-data; boundary=x"))
    assert caught.value.status == 415
    latin = b"NotificationName=GoTo&Name=J%F3zsef"
    note = from_environ(environ(latin, CONTENT_TYPE=f"{FORM}; charset=iso-8859-1"))
    assert note.extra == {"Name": "József"}
    with pytest.raises(NotificationError, match="field 2 is not utf-8 text"):
        from_environ(environ(latin))


def test_wsgi_respond_and_refuse() -> None:
    from ozml.notifications.wsgi import refuse, respond

    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started.append((status, headers))

    body = b"".join(respond(start_response, Response(Speak("Hi"))))
    assert started[-1] == (
        "200 OK",
        [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))],
    )
    assert b"<Speak>Hi</Speak>" in body
    body = b"".join(refuse(start_response, NotificationTooLarge("too big")))
    assert started[-1][0] == "413 Request Entity Too Large"
    assert body == b"too big\n"


# -- ASGI --------------------------------------------------------------------------------------


def scope(headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


def receiver(*messages: dict[str, Any]) -> Any:
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    return receive


def test_asgi_reads_the_body_in_chunks() -> None:
    from ozml.notifications.asgi import from_scope

    half = len(BODY) // 2
    receive = receiver(
        {"type": "http.request", "body": BODY[:half], "more_body": True},
        {"type": "http.request", "body": BODY[half:], "more_body": False},
    )
    check(asyncio.run(from_scope(scope({"Content-Type": FORM}), receive)))


def test_asgi_limits_and_disconnects() -> None:
    from ozml.notifications.asgi import from_scope

    endless = receiver(*({"type": "http.request", "body": b"x" * 64, "more_body": True},) * 10)
    with pytest.raises(NotificationTooLarge, match="larger than the limit of 100 bytes"):
        asyncio.run(from_scope(scope({"Content-Type": FORM}), endless, max_bytes=100))
    with pytest.raises(NotificationTooLarge, match="1,000 bytes, more than the limit of 100"):
        asyncio.run(from_scope(scope({"Content-Length": "1000"}), receiver(), max_bytes=100))
    gone = receiver({"type": "http.disconnect"})
    with pytest.raises(NotificationError, match="the client went away"):
        asyncio.run(from_scope(scope({}), gone))
    with pytest.raises(NotificationError, match="an HTTP request, not 'websocket'"):
        asyncio.run(from_scope({"type": "websocket", "headers": []}, receiver()))


def test_asgi_respond_and_refuse() -> None:
    from ozml.notifications.asgi import refuse, respond

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(respond(send, None))
    assert sent[0]["status"] == 200
    assert (b"content-type", CONTENT_TYPE.encode()) in sent[0]["headers"]
    assert sent[1]["body"].endswith(b"<Response/>\n")
    asyncio.run(refuse(send, NotificationError("no", 415)))
    assert sent[2]["status"] == 415
    assert sent[3]["body"] == b"no\n"


# -- Flask -------------------------------------------------------------------------------------


@pytest.fixture
def flask_client() -> Any:
    from flask import Flask, request

    from ozml.notifications.flask import from_request, refuse, respond

    app = Flask("test")
    app.register_error_handler(NotificationError, refuse)
    seen: list[Notification] = []

    @app.post("/")
    def raw() -> Any:
        seen.append(from_request())
        return respond(Response(Speak("ok")))

    @app.post("/form-first")
    def form_first() -> Any:
        assert request.form["NotificationName"]  # the application read the form itself
        seen.append(from_request(request))
        return respond(None)

    @app.post("/finished")
    def finished() -> Any:
        seen.append(from_request(kind="Finished"))
        return respond(b"<Response/>")

    client = app.test_client()
    client.seen = seen
    return client


def test_flask_reads_the_raw_body(flask_client: Any) -> None:
    reply = flask_client.post("/", data=BODY, content_type=FORM)
    assert reply.status_code == 200
    assert reply.content_type == CONTENT_TYPE
    check(flask_client.seen[-1])
    assert flask_client.seen[-1].raw[0] == ("NotificationName", "DtmfEntered")


def test_flask_after_the_form_was_read(flask_client: Any) -> None:
    reply = flask_client.post("/form-first", data=BODY, content_type=FORM)
    assert reply.status_code == 200
    check(flask_client.seen[-1])


def test_flask_max_fields_counts_when_the_form_was_read_first() -> None:
    from flask import Flask, request

    from ozml.notifications.flask import from_request, refuse, respond

    app = Flask("fields")
    app.register_error_handler(NotificationError, refuse)
    seen: list[Notification] = []

    @app.post("/<int:limit>")
    def form_first(limit: int) -> Any:
        assert request.form["NotificationName"]  # the application read the form itself
        seen.append(from_request(max_fields=limit))
        return respond(None)

    body = ("NotificationName=GoTo&" + "&".join(f"f{i}=1" for i in range(1500))).encode()
    client = app.test_client()
    reply = client.post("/2000", data=body, content_type=FORM)
    assert reply.status_code == 200, reply.text  # was 413: the default of 1,000 applied
    assert len(seen[-1].raw) == 1501
    reply = client.post("/100", data=body, content_type=FORM)
    assert (reply.status_code, reply.text) == (413, "the notification has more than 100 fields\n")


def test_flask_kind_from_the_url(flask_client: Any) -> None:
    reply = flask_client.post("/finished", data=b"CallId=1&Duration=7", content_type=FORM)
    assert reply.status_code == 200
    note = flask_client.seen[-1]
    assert isinstance(note, FinishedUrlRequest)
    assert note.duration == "7"


def test_flask_refusals(flask_client: Any) -> None:
    reply = flask_client.post("/", data=b"CallId=1", content_type=FORM)
    assert reply.status_code == 400
    assert reply.content_type == "text/plain; charset=utf-8"
    assert reply.text.startswith("not a notification: no NotificationName field")
    reply = flask_client.post("/", json={"NotificationName": "GoTo"})
    assert reply.status_code == 415
    reply = flask_client.post("/", data=b"NotificationName=GoTo&A=" + b"x" * (1 << 20))
    assert reply.status_code == 413


def test_flask_reports_its_own_limit_as_the_django_helper_does() -> None:
    """Flask's MAX_CONTENT_LENGTH is refused with the helpers' 413 and message, not werkzeug's
    HTML page, whether the body has a Content-Length or comes chunked."""
    from flask import Flask

    from ozml.notifications.flask import from_request, refuse, respond

    app = Flask("limit")
    app.config["MAX_CONTENT_LENGTH"] = 100
    app.register_error_handler(NotificationError, refuse)

    @app.post("/")
    def notification() -> Any:
        return respond(from_request())

    big = b"NotificationName=GoTo&A=" + b"x" * 300
    client = app.test_client()
    expected = (413, "the notification is larger than Flask's MAX_CONTENT_LENGTH (100 bytes)\n")
    reply = client.post("/", data=big, content_type=FORM)
    assert (reply.status_code, reply.text) == expected
    chunked = {"wsgi.input_terminated": True}
    reply = client.post("/", input_stream=io.BytesIO(big), content_type=FORM,
                        headers={"Transfer-Encoding": "chunked"}, environ_overrides=chunked)
    assert (reply.status_code, reply.text) == expected


# -- Django ------------------------------------------------------------------------------------


@pytest.fixture
def django_factory(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Django configured as the example configures it (settings are per process)."""
    monkeypatch.syspath_prepend(str(WEB))
    import django_app  # noqa: F401  (configures the settings)
    from django.test import RequestFactory

    return RequestFactory()


def test_django_reads_the_body(django_factory: Any) -> None:
    from ozml.notifications.django import from_request, respond

    check(from_request(django_factory.post("/", BODY, content_type=FORM)))
    request = django_factory.post("/", BODY, content_type=FORM)
    assert request.POST["DtmfDigits"] == "1#2"  # the application read the form first
    check(from_request(request))
    reply = respond(Response(Speak("ok")))
    assert reply["Content-Type"] == CONTENT_TYPE
    assert b"<Speak>ok</Speak>" in reply.content


def test_django_limits_and_media_types(django_factory: Any) -> None:
    from django.test import override_settings

    from ozml.notifications.django import from_request, refuse

    big = b"NotificationName=GoTo&A=" + b"x" * 300
    with pytest.raises(NotificationTooLarge):
        from_request(django_factory.post("/", big, content_type=FORM), max_bytes=100)
    request = django_factory.post("/", big, content_type=FORM)
    with (
        override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100),
        pytest.raises(NotificationTooLarge, match=r"DATA_UPLOAD_MAX_MEMORY_SIZE \(100 bytes\)"),
    ):
        from_request(request)
    with pytest.raises(NotificationError) as caught:
        from_request(django_factory.post("/", {"a": "1"}))  # multipart, Django's default
    assert caught.value.status == 415
    reply = refuse(caught.value)
    assert reply.status_code == 415
    assert reply.content.startswith(b"the notification is multipart/form-data")


# -- Starlette ---------------------------------------------------------------------------------


@pytest.fixture
def starlette_client() -> StarletteClient:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response as HTTPResponse
    from starlette.routing import Route

    from ozml.notifications.starlette import from_request, handler, respond

    seen: list[Notification] = []
    renamed = NotificationNames({"Finished": "CallFinished"})

    async def notification(request: Request) -> HTTPResponse:
        seen.append(await from_request(request, names=renamed, max_bytes=4096))
        return respond(Response(Speak("ok")))

    app = Starlette(
        routes=[Route("/", notification, methods=["POST"])],
        exception_handlers={NotificationError: handler},
    )
    return StarletteClient(app, seen)


class StarletteClient:
    """Requests to a Starlette app through httpx's ASGI transport (Starlette's TestClient
    warns about httpx)."""

    def __init__(self, app: Any, seen: list[Notification]) -> None:
        self.app = app
        self.seen = seen

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://pbx.test") as c:
                return await c.post(path, **kwargs)

        return asyncio.run(send())


def test_starlette_reads_the_body(starlette_client: Any) -> None:
    reply = starlette_client.post("/", content=BODY, headers={"Content-Type": FORM})
    assert reply.status_code == 200
    assert reply.headers["content-type"] == CONTENT_TYPE
    check(starlette_client.seen[-1])
    starlette_client.post("/", content=b"NotificationName=CallFinished&Duration=3")
    assert isinstance(starlette_client.seen[-1], FinishedUrlRequest)
    starlette_client.post("/", content=b"NotificationName=CallChanged&CallState=Busy")
    assert isinstance(starlette_client.seen[-1], CallChanged)


def test_starlette_refusals(starlette_client: Any) -> None:
    reply = starlette_client.post("/", content=b"x" * 5000, headers={"Content-Type": FORM})
    assert reply.status_code == 413
    assert reply.text == "the notification is 4.9 KiB, more than the limit of 4 KiB\n"

    async def chunks() -> AsyncIterator[bytes]:
        yield b"NotificationName=IncomingCall&A="
        for _ in range(10):
            yield b"x" * 1000

    reply = starlette_client.post("/", content=chunks(), headers={"Content-Type": FORM})
    assert reply.status_code == 413
    assert reply.text == "the notification is larger than the limit of 4 KiB\n"
    reply = starlette_client.post("/", content=b"NotificationName=IncomingCall&CallId=1")
    assert reply.status_code == 200
    assert isinstance(starlette_client.seen[-1], IncomingCall)
    reply = starlette_client.post("/", json={"NotificationName": "IncomingCall"})
    assert reply.status_code == 415


# -- a charset that is no text encoding (base64, rot13, ...) -----------------------------------


ODD_CHARSETS = ["rot13", "base64", "hex", "zlib", "punycode"]


@pytest.mark.parametrize("charset", ODD_CHARSETS)
def test_every_helper_answers_415_to_a_codec_that_is_no_charset(
    charset: str, flask_client: Any, starlette_client: Any, django_factory: Any
) -> None:
    from ozml.notifications.asgi import from_scope
    from ozml.notifications.django import from_request as from_django
    from ozml.notifications.wsgi import from_environ

    typed = f"{FORM}; charset={charset}"
    for reply in (
        flask_client.post("/", data=BODY, content_type=typed),
        starlette_client.post("/", content=BODY, headers={"Content-Type": typed}),
    ):
        assert (reply.status_code, reply.text) == (
            415, f"{charset!r} is not a character encoding a form is sent in\n"
        )
    refusals = []
    with pytest.raises(NotificationError) as caught:
        from_environ(environ(BODY, CONTENT_TYPE=typed))
    refusals.append(caught.value)
    body = receiver({"type": "http.request", "body": BODY, "more_body": False})
    with pytest.raises(NotificationError) as caught:
        asyncio.run(from_scope(scope({"Content-Type": typed}), body))
    refusals.append(caught.value)
    with pytest.raises(NotificationError) as caught:
        from_django(django_factory.generic("POST", "/", BODY, content_type=typed))
    refusals.append(caught.value)
    assert [e.status for e in refusals] == [415, 415, 415]


def test_a_wsgi_server_on_loopback_answers_415_to_charset_base64() -> None:
    """The WSGI helper behind a real server (wsgiref) and a real client: 415, not a 500."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from ozml.notifications.wsgi import from_environ, refuse, respond

    def app(env: dict[str, Any], start_response: Any) -> Any:
        try:
            from_environ(env)
        except NotificationError as error:
            return refuse(start_response, error)
        return respond(start_response, None)

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        for charset, status in (("base64", 415), ("rot13", 415), ("utf-8", 200)):
            reply = httpx.post(url, content=BODY, headers={"Content-Type":
                                                           f"{FORM}; charset={charset}"})
            assert reply.status_code == status, reply.text
    finally:
        server.shutdown()
        server.server_close()


def test_every_helper_refuses_a_negative_limit_before_reading(
    flask_client: Any, django_factory: Any
) -> None:
    from flask import Flask

    from ozml.notifications.asgi import from_scope
    from ozml.notifications.django import from_request as from_django
    from ozml.notifications.flask import from_request as from_flask
    from ozml.notifications.wsgi import from_environ

    with pytest.raises(ValueError, match="max_fields must be 0 or more, not -1"):
        from_environ(environ(BODY), max_fields=-1)
    with pytest.raises(ValueError, match="max_bytes must be 0 or more, not -1"):
        asyncio.run(from_scope(scope({"Content-Type": FORM}), receiver(), max_bytes=-1))
    with pytest.raises(ValueError, match="max_fields must be 0 or more"):
        from_django(django_factory.post("/", BODY, content_type=FORM), max_fields=-1)
    with Flask("limits").test_request_context("/", method="POST", data=BODY,
                                              content_type=FORM), pytest.raises(
        ValueError, match="max_bytes must be 0 or more"
    ):
        from_flask(max_bytes=-5)


def test_starlette_refuses_a_negative_limit() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response as HTTPResponse
    from starlette.routing import Route

    from ozml.notifications.starlette import from_request

    caught: list[Exception] = []

    async def notification(request: Request) -> HTTPResponse:
        try:
            await from_request(request, max_fields=-1)
        except ValueError as error:
            caught.append(error)
        return HTTPResponse("")

    app = Starlette(routes=[Route("/", notification, methods=["POST"])])
    StarletteClient(app, []).post("/", content=BODY, headers={"Content-Type": FORM})
    assert [str(e) for e in caught] == ["max_fields must be 0 or more, not -1"]


# -- the same bad request, the same answer from every helper ------------------------------------
#
# The examples in examples/web, one a framework, all read with max_bytes=64 KiB. The WSGI ones
# run on real servers on loopback (werkzeug's for Flask and Django, wsgiref for the plain one)
# and get the request as raw bytes, so that a server passes the headers as they were sent. The
# ASGI ones are called as uvicorn calls them (its HTTP parser refuses a bad Content-Length
# itself, and a client that went away cannot read the answer): the scope, then the body's
# messages, then ``http.disconnect``.

SAME_ANSWERS = {
    "Content-Length not a number": (
        "abc", BODY, 400, "the Content-Length 'abc' is not a number of bytes\n"
    ),
    "Content-Length negative": (
        "-1", BODY, 400, "the Content-Length '-1' is not a number of bytes\n"
    ),
    "Content-Length signed": (
        "+5", BODY, 400, "the Content-Length '+5' is not a number of bytes\n"
    ),
    "Content-Length past int()": (
        "9" * 5000, BODY, 413, "the notification is larger than the limit of 64 KiB\n"
    ),
    "body cut short": (
        str(len(BODY) + 10), BODY, 400,
        "the client went away before the whole notification came\n",
    ),
}


def raw_post(port: int, length: str, body: bytes) -> tuple[int, str]:
    """POST `body` with Content-Length `length`, then close the sending side (the client goes
    away); the status and text of the answer."""
    import socket

    head = (
        f"POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(head + body)
        client.shutdown(socket.SHUT_WR)
        reply = http.client.HTTPResponse(client)
        reply.begin()
        return reply.status, reply.read().decode()


@pytest.fixture
def wsgi_examples(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The port of each WSGI example, each on its real server."""
    import threading

    from werkzeug.serving import make_server

    monkeypatch.syspath_prepend(str(WEB))
    import django_app
    import flask_app
    import stdlib_app

    servers = {
        "flask": make_server("127.0.0.1", 0, flask_app.app, threaded=True),
        "django": make_server("127.0.0.1", 0, django_app.application, threaded=True),
        "wsgi": stdlib_app.serve("127.0.0.1", 0, quiet=True),
    }
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers.values()]
    for thread in threads:
        thread.start()
    try:
        yield {name: server.server_address[1] for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


def asgi_post(app: Any, length: str, body: bytes) -> tuple[int, str]:
    """`app` called as uvicorn calls it for a POST of `body` with Content-Length `length`;
    past the body the client goes away."""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", FORM.encode()),
               (b"content-length", length.encode())]
    request = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
               "method": "POST", "scheme": "http", "path": "/", "raw_path": b"/",
               "query_string": b"", "root_path": "", "headers": headers,
               "server": ("127.0.0.1", 8080), "client": ("127.0.0.1", 50000)}
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": body, "more_body": length.isdigit()
         and len(length) < 10 and int(length) > len(body)},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if len(messages) > 1 else messages[0]

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(request, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()


@pytest.mark.parametrize("case", SAME_ANSWERS)
def test_every_helper_answers_a_bad_request_alike(
    case: str, wsgi_examples: Any
) -> None:
    length, body, status, text = SAME_ANSWERS[case]
    import asgi_app
    import starlette_app

    answers = {name: raw_post(port, length, body) for name, port in wsgi_examples.items()}
    answers["starlette"] = asgi_post(starlette_app.app, length, body)
    answers["asgi"] = asgi_post(asgi_app.app, length, body)
    assert answers == dict.fromkeys(answers, (status, text))
