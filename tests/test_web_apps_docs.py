"""docs/web-apps.md: every example runs, and the table of fields is ozml.callmodel.KINDS.

A ```python block is run (the page's plain blocks share their names); when the next block is a
```text block, it is what the Python block prints. A block whose first line is ``# Flask:``,
``# Django:``, ``# Starlette:``, ``# WSGI:`` or ``# ASGI:`` is a whole application: it is run on
its own and then sent notifications, through a real server on loopback for WSGI, Flask and the
``# Client:`` block (which POSTs to the Flask application as the PBX does).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ozml.callmodel import KINDS
from ozml.catalog import Context
from ozml.lint import LintSettings, lint
from ozml.notifications import CLASSES, TYPED_FIELDS, attribute_name

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGE = DOCS / "web-apps.md"
WEB = DOCS.parent / "examples" / "web"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)
_APP = re.compile(r"# (Flask|Django|Starlette|WSGI|ASGI|Client):")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
EXTENSION = LintSettings(context=Context.EXTENSION, context_origin="the test")
INCOMING = b"NotificationName=IncomingCall&CallId=c1&Caller=101"


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def applications() -> dict[str, str]:
    found = {}
    for kind, code in blocks():
        tag = _APP.match(code)
        if kind == "python" and tag:
            found[tag.group(1)] = code
    return found


def run(code: str, name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"docs_{name.lower()}"}
    exec(compile(code, f"web-apps.md {name}", "exec"), namespace)
    return namespace


def test_examples_print_what_the_page_shows() -> None:
    found = blocks()
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    ran = 0
    for i, (kind, code) in enumerate(found):
        if kind != "python" or _APP.match(code):
            continue
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(code, f"web-apps.md block {i}", "exec"), namespace)
        ran += 1
        following = found[i + 1] if i + 1 < len(found) else None
        assert following is not None, f"block {i} shows no output"
        assert following[0] == "text", f"block {i} shows no output"
        assert output.getvalue().rstrip("\n") == following[1].rstrip("\n"), f"block {i}"
    assert ran >= 6


def test_every_python_block_is_run() -> None:
    python = [code for kind, code in blocks() if kind == "python"]
    assert not [code for code in python if code.startswith("# not run")]
    assert set(applications()) == {"Flask", "Django", "Starlette", "WSGI", "ASGI", "Client"}


def check_answer(reply: httpx.Response, says: str) -> None:
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert says in reply.text
    assert lint(reply.text, settings=EXTENSION) == []


def serve_wsgi(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def flask_url() -> Iterator[str]:
    yield from serve_wsgi(run(applications()["Flask"], "Flask")["app"])


def test_flask_application(flask_url: str) -> None:
    reply = httpx.post(flask_url, content=INCOMING, headers=FORM)
    check_answer(reply, f'<UserInput ForwardToURL="{flask_url}">')
    keys = b"NotificationName=DtmfEntered&DtmfDigits=12"
    reply = httpx.post(flask_url, content=keys, headers=FORM)
    check_answer(reply, "<Speak>You pressed 2 keys.</Speak>")
    reply = httpx.post(flask_url, content=b"CallId=1", headers=FORM)
    assert reply.status_code == 400


def test_client_block_posts_as_the_pbx_does(flask_url: str) -> None:
    code = applications()["Client"].replace("http://127.0.0.1:8080/", flask_url)
    assert flask_url in code
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        run(code, "Client")
    assert output.getvalue().startswith("200 application/xml; charset=utf-8\n<?xml")


def test_wsgi_application() -> None:
    for url in serve_wsgi(run(applications()["WSGI"], "WSGI")["app"]):
        check_answer(httpx.post(url, content=INCOMING, headers=FORM), "Hello from WSGI.")
        reply = httpx.post(url, json={"NotificationName": "IncomingCall"})
        assert reply.status_code == 415


def asgi_post(app: Any, body: bytes, headers: dict[str, str] = FORM) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pbx.test") as client:
            return await client.post("/", content=body, headers=headers)

    return asyncio.run(send())


@pytest.mark.parametrize("name", ["Starlette", "ASGI"])
def test_asgi_applications(name: str) -> None:
    app = run(applications()[name], name)["app"]
    check_answer(asgi_post(app, INCOMING), f"Hello from {name}.")
    check_answer(asgi_post(app, b"NotificationName=GoTo"), "<Response/>")
    assert asgi_post(app, b"CallId=1").status_code == 400
    assert asgi_post(app, b"x" * ((1 << 20) + 1)).status_code == 413


def test_django_application(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(WEB))
    import django_app  # noqa: F401  (Django's settings, once per process: the example's)
    from django.test import RequestFactory

    namespace = run(applications()["Django"], "Django")
    assert len(namespace["urlpatterns"]) == 1
    view = namespace["notification"]
    factory = RequestFactory()
    reply = view(factory.post("/", INCOMING, content_type=FORM["Content-Type"]))
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/xml; charset=utf-8"
    assert b"<Speak>Hello from Django.</Speak>" in reply.content
    bad = factory.post("/", b"CallId=1", content_type=FORM["Content-Type"])
    assert view(bad).status_code == 400
    assert view(factory.get("/")).status_code == 405


# -- the table of fields -----------------------------------------------------------------------


def fields_table() -> str:
    """The table of docs/web-apps.md, made from ozml.callmodel.KINDS."""
    lines = [
        "| class | NotificationName | field | attribute | type | | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, spec in KINDS.items():
        name = spec.name if spec.stated_name else f"{spec.name} (assumed)"
        for field in spec.fields:
            if field.name == "NotificationName":
                continue  # on every notification; said below the table
            typed = TYPED_FIELDS.get(field.name)
            how = f"stated ({field.source})" if field.stated else "assumed"
            lines.append(
                f"| {CLASSES[key].__name__} | {name} | {field.name} | "
                f"`{attribute_name(field.name)}` | {typed.__name__ if typed else 'text'} | "
                f"{how} | {field.meaning} |"
            )
    return "\n".join(lines)


def test_fields_table_is_the_notification_table() -> None:
    text = PAGE.read_text(encoding="utf-8")
    marker = text.index("<!-- fields table:")
    start = text.index("\n", marker) + 1
    end = text.index("\n\n", start)
    expected = fields_table()
    assert text[start:end] == expected, "docs/web-apps.md's table drifted; it should read:\n" + (
        expected
    )


def test_the_page_says_every_notification_has_a_name() -> None:
    assert all(spec.field("NotificationName") for spec in KINDS.values())
    assert "Every class also has `notification_name`" in PAGE.read_text(encoding="utf-8")


def test_links_resolve_and_the_index_links_the_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (DOCS / target.partition("#")[0]).exists(), target
    assert "](web-apps.md)" in (DOCS / "index.md").read_text(encoding="utf-8")
