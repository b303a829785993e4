"""`ozml test --app URL`: the virtual PBX drives a running web application over real HTTP.

An application here is a real server on loopback (the standard library's, in a thread) that
answers each path with OzML and keeps every request it got, so the tests can check what went
over the wire: form-encoded, ``NotificationName`` first, exactly the form the dry run builds.
The web examples themselves are tested with ``--app`` in tests/test_testing_apps_examples.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import attrs
import pytest

from ozml.cli import main
from ozml.interpreter.runner import DryRun, load_program, run_scenario
from ozml.interpreter.scenario import load_scenario
from ozml.interpreter.trace import TraceEvent

FORM_TYPE = "application/x-www-form-urlencoded"


@attrs.define
class Page:
    """What the application answers at one path."""

    body: str = ""
    status: int = 200
    headers: dict[str, str] = attrs.field(factory=dict)
    delay: float = 0.0


@attrs.define
class Seen:
    """One request the application got."""

    method: str
    path: str
    content_type: str
    body: bytes


class App:
    """A web application on loopback: a page per path, ``{app}`` in a page is its base URL."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.seen: list[Seen] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                app.seen.append(
                    Seen("POST", self.path, self.headers.get("Content-Type", ""), body)
                )
                page = app.pages.get(urlsplit(self.path).path)
                if page is None:
                    page = Page("no such page", 404)
                time.sleep(page.delay)
                data = page.body.replace("{app}", app.base).encode("utf-8")
                try:
                    self.send_response(page.status)
                    self.send_header("Content-Type", "application/xml; charset=utf-8")
                    for name, value in page.headers.items():
                        self.send_header(name, value.replace("{app}", app.base))
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.base + "/"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.seen]


@pytest.fixture
def serve() -> Iterator[type[App]]:
    """Start applications; each is shut down at the end of the test."""
    started: list[tuple[App, threading.Thread]] = []

    class Started(App):
        def __init__(self, pages: dict[str, Page]) -> None:
            super().__init__(pages)
            thread = threading.Thread(
                target=self.server.serve_forever, args=(0.05,), daemon=True
            )
            thread.start()
            started.append((self, thread))

    yield Started
    for app, thread in started:
        app.server.shutdown()
        app.server.server_close()
        thread.join(timeout=10)


def ozml(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- the same scenario, answered by the scenario and by an application ----------------------

#: An application touching every kind of fetch: GoTo, ForwardToURL (DtmfEntered), Call's Url
#: (CallConnected, with its own query parameters), ErrorUrl, FinishedUrl, Record's FinishedUrl
#: (RecordCompleted) and SendSms's DeliveryReportURL (SMSDeliveryReport).
PAGES = {
    "/": """<Response>
  <Speak>Hello from the application.</Speak>
  <SendSms Recipient="+36201111111" DeliveryReportURL="{app}/sms">We call you back.</SendSms>
  <Call Dialed="2000" Url="{app}/connected?ticket=7" ErrorUrl="{app}/error"
        FinishedUrl="{app}/finished"/>
  <Call Dialed="3000" Url="{app}/connected?ticket=8" ErrorUrl="{app}/error"/>
  <UserInput Timeout="5" ForwardToURL="{app}/dtmf">
    <InitialCommands><Speak>Press 1 for news.</Speak></InitialCommands>
    <Inputs><Input Key="1"><GoTo>{app}/news</GoTo></Input></Inputs>
  </UserInput>
</Response>
""",
    "/dtmf": """<Response>
  <Speak>Leave a message after the tone.</Speak>
  <Record FinishDigits="#" FinishedUrl="{app}/recorded"/>
  <GoTo>{app}/news</GoTo>
</Response>
""",
    "/news": "<Response><Speak>No news today.</Speak></Response>\n",
    "/connected": "<Response><Speak>Your callback.</Speak><Hangup/></Response>\n",
    "/recorded": "<Response><Speak>Thank you.</Speak><Hangup/></Response>\n",
    "/sms": "",
    "/error": "",
    "/finished": "",
}

#: Everything but the answers: the call, the caller's keys, how the calls ring, the expectation.
COMMON = """description = "every fetch, answered by {who}"
context = "extension"

[call]
id = "Nt3uh"
caller = "+36201234567"
callee = "1000"

[input]
dtmf = [{ at = "2s", keys = "7" }, { at = "20s", keys = "#" }]

[outcomes]
call = { "2000" = { outcome = "answer", after = "4s" }, "3000" = "busy" }
"""


def _toml(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\") + '"""'


def scenarios(tmp_path: Path, app: App) -> tuple[Path, Path]:
    """The dry run's scenario (the first answer as its script, the others in [urls]) and the
    application's (nothing but the common part): the same call, keys, outcomes, URLs."""
    answers = {path: body.replace("{app}", app.base) for path, body in PAGES.items()}
    script = tmp_path / "incoming.xml"
    script.write_text(answers["/"], encoding="utf-8")
    urls = "\n".join(
        f'"{app.base}{path}" = {_toml(body)}' for path, body in answers.items() if path != "/"
    )
    # Call's Url is fetched with its query: the scenario lists it as the OzML names it.
    urls += "".join(
        f'\n"{app.base}/connected?ticket={n}" = {_toml(answers["/connected"])}' for n in (7, 8)
    )
    dry = tmp_path / "dry.toml"
    dry.write_text(
        'script = "incoming.xml"\n' + COMMON.replace("{who}", "the scenario") + "\n[urls]\n" + urls,
        encoding="utf-8",
    )
    live = tmp_path / "app.toml"
    live.write_text(COMMON.replace("{who}", "the application"), encoding="utf-8")
    return dry, live


def dry_run(path: Path) -> DryRun:
    scenario = load_scenario(path)
    assert scenario.script is not None
    _, program = load_program(scenario.script)
    return run_scenario(scenario, program)


def app_run(path: Path, url: str) -> DryRun:
    """What ``ozml test --app`` runs, through its API."""
    from ozml.api.fetcher import HttpFetcher
    from ozml.catalog import Context
    from ozml.interpreter.app import AppFetcher, compile_answer, for_app, ring

    scenario = for_app(load_scenario(path), url)
    http = HttpFetcher(5)
    try:
        fetcher = AppFetcher(scenario.urls, http, url)
        opening = ring(scenario, url, fetcher)
        assert opening.body is not None, opening.failure
        program = compile_answer(opening.body, url)
        return run_scenario(
            attrs.evolve(scenario, context=Context.EXTENSION), program, fetcher=fetcher
        )
    finally:
        http.close()


def comparable(event: TraceEvent, script: str, url: str) -> TraceEvent:
    """The event with the dry run's script named by the URL that answered it instead."""
    if event.position.source != script:
        return event
    return event._replace(position=attrs.evolve(event.position, source=url))


def test_the_same_scenario_gives_the_same_trace_from_the_scenario_and_from_an_application(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({path: Page(body) for path, body in PAGES.items()})
    dry_path, app_path = scenarios(tmp_path, app)
    dry = dry_run(dry_path)
    live = app_run(app_path, app.url)

    script = str(tmp_path / "incoming.xml")
    assert [comparable(e, script, app.url) for e in dry.events] == list(live.events)
    assert (dry.result.ending, dry.result.time) == (live.result.ending, live.result.time)
    golden = [event.golden() for event in live.events]
    kinds = [line for line in golden if " notify " in line or " fetch " in line or "GoTo" in line]
    assert [line.split(" -> ")[1] for line in kinds] == ["fetched"] * len(kinds)
    for name in ("DtmfEntered", "RecordCompleted", "CallConnected", "SMSDeliveryReport"):
        assert any(name in line for line in golden) or name == "DtmfEntered", name
    assert any('fetch Url="' + app.base + '/dtmf" DtmfDigits="7"' in line for line in golden)
    assert any(line.endswith("GoTo Url=\"" + app.base + "/news\" -> fetched") for line in golden)
    assert len({line.split("s ", 1)[0] for line in golden}) > 3  # time passed

    # On the wire: IncomingCall first, then exactly the forms the dry run built, in its
    # order, form-encoded, NotificationName first.
    assert app.seen[0].path == "/"
    assert app.seen[0].body == (
        b"NotificationName=IncomingCall&CallId=Nt3uh&Caller=%2B36201234567&Callee=1000"
    )
    assert [(s.path, s.body) for s in app.seen[1:]] == [
        (urlsplit(r.url).path + (f"?{urlsplit(r.url).query}" if urlsplit(r.url).query else ""),
         urlencode(r.form).encode("ascii"))
        for r in dry.requests
    ]
    assert {s.content_type for s in app.seen} == {FORM_TYPE}
    assert all(s.body.startswith(b"NotificationName=") for s in app.seen)
    assert [r.form for r in live.requests[1:]] == [r.form for r in dry.requests]

    # The command line: the same [expect] passes both ways.
    from ozml.interpreter.expect import expect_section

    expect = expect_section(live.events, live.result)
    for path in (dry_path, app_path):
        path.write_text(path.read_text(encoding="utf-8") + "\n" + expect, encoding="utf-8")
    code, out, err = ozml(capsys, "test", str(dry_path))
    assert (code, err) == (0, ""), out
    code, out, err = ozml(capsys, "test", str(app_path), "--app", app.url)
    assert (code, err) == (0, ""), out
    assert out.splitlines()[:-1] == [f"app: {app.url}", f"{app_path} .", ""]
    assert out.splitlines()[-1].startswith("1 passed in ")


# -- what goes wrong ------------------------------------------------------------------------

MENU = """<Response>
  <UserInput Timeout="5" ForwardToURL="{app}/dtmf">
    <InitialCommands><Speak>Press 1</Speak></InitialCommands>
    <Inputs><Input Key="1"><Speak>One</Speak></Input></Inputs>
  </UserInput>
</Response>
"""
SCENARIO = """description = "a wrong key"
context = "extension"
[input]
dtmf = ["7"]
"""


def write(tmp_path: Path, text: str = SCENARIO, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_error_status_fails_the_fetch_with_the_status_in_the_trace(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU), "/dtmf": Page("it broke", 500)})
    code, out, err = ozml(capsys, "test", "-v", str(write(tmp_path)), "--app", app.url)
    assert (code, err) == (1, "")
    assert (
        f'fetch Url="{app.base}/dtmf" DtmfDigits="7" -> failed'
        f" ({app.base}/dtmf: HTTP 500 Internal Server Error)"
    ) in out
    assert f"the run ended with 'fetch-failed': {app.base}/dtmf: HTTP 500" in out


def test_an_error_status_to_the_first_notification_ends_the_call_fetch_failed(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page("down for maintenance", 503)})
    text = SCENARIO + '[expect]\nend = "fetch-failed"\ntrace = ["0s end -> fetch-failed"]\n'
    code, out, err = ozml(capsys, "test", "-v", str(write(tmp_path, text)), "--app", app.url)
    assert (code, err) == (0, ""), out
    assert f"end -> fetch-failed ({app.url}: HTTP 503 Service Unavailable)" in out


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("<html><body>Hello</body>", "answered no usable OzML"),
        ("{\"ok\": true}", "answered no usable OzML"),
    ],
)
def test_an_answer_that_is_not_ozml_fails_the_fetch(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str], body: str, says: str
) -> None:
    app = serve({"/": Page(MENU), "/dtmf": Page(body)})
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path)), "--app", app.url)
    assert code == 1
    assert f'fetch Url="{app.base}/dtmf" DtmfDigits="7" -> failed ({app.base}/dtmf {says}' in out
    app = serve({"/": Page(body)})
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path)), "--app", app.url)
    assert code == 1
    assert f"end -> fetch-failed ({app.url} {says}" in out


def test_a_redirect_is_never_followed(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({
        "/": Page(MENU),
        "/dtmf": Page("", 302, {"Location": "{app}/elsewhere"}),
        "/elsewhere": Page("<Response/>"),
    })
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path)), "--app", app.url)
    assert code == 1
    assert f"({app.base}/dtmf: HTTP 302 Found)" in out
    assert app.paths() == ["/", "/dtmf"]


def test_a_slow_answer_times_out(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU), "/dtmf": Page("<Response/>", delay=2)})
    started = time.monotonic()
    code, out, _ = ozml(
        capsys, "test", "-v", str(write(tmp_path)), "--app", app.url, "--app-timeout", "0.3"
    )
    assert code == 1
    assert f"({app.base}/dtmf: no answer within 0.3 s)" in out
    assert time.monotonic() - started < 2


def test_a_first_notification_without_an_answer_is_a_usage_error(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU, delay=2)})
    code, _out, err = ozml(
        capsys, "test", str(write(tmp_path)), "--app", app.url, "--app-timeout", "0.3"
    )
    assert code == 2
    assert err == (
        f"ozml: error: no application answered at {app.url} (no answer within 0.3 s); start it"
        " first, or check the URL and --app-timeout\n"
    )


def test_an_application_that_is_not_running(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({})
    url = app.url
    app.server.shutdown()
    app.server.server_close()
    code, out, err = ozml(capsys, "test", str(write(tmp_path)), "--app", url)
    assert (code, out) == (2, "")
    assert err.startswith(f"ozml: error: no application answered at {url} (")
    assert err.endswith("); start it first, or check the URL\n")
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--app", "http://example.com/"], "http://example.com/ is not on this machine"),
        (["--app", "ftp://127.0.0.1/"], "is not an http:// or https:// URL with a host"),
        (["--app", "http://127.0.0.1:99999/"], "is not a URL"),
        (["--app", "127.0.0.1:8080"], "is not an http:// or https:// URL"),
        (["--app", "http://127.0.0.1:8080/", "--app-timeout", "0"], "--app-timeout: expected"),
        (["--app", "http://127.0.0.1:8080/", "--app-timeout", "nan"], "--app-timeout: expected"),
    ],
)
def test_bad_app_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = ozml(capsys, "test", str(write(tmp_path)), *args)
    assert (code, out) == (2, "")
    assert err.startswith("ozml: error: ")
    assert says in err
    assert err.count("\n") == 1


def test_a_scenario_without_script_needs_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path)
    code, out, err = ozml(capsys, "test", str(path))
    # Skipped, with the reason, when it is not run against an application.
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"{path} s"
    assert out.splitlines()[-1].startswith("1 skipped in ")
    code, out, err = ozml(capsys, "test", "-v", str(path))
    assert out.splitlines()[0] == (
        f"{path} (a wrong key) SKIPPED (no script: a scenario for a running application (run"
        " it with --app URL))"
    )


# -- what the scenario still decides --------------------------------------------------------


def test_urls_listed_in_the_scenario_answer_before_the_application(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU), "/dtmf": Page("<Response><Speak>App</Speak></Response>")})
    text = SCENARIO + '[urls]\n"{app}/dtmf" = "<Response><Speak>Scenario</Speak></Response>"\n'
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path, text)), "--app", app.url)
    assert code == 0, out
    assert 'Speak Text="Scenario" -> ok' in out
    assert "App" not in out
    assert app.paths() == ["/"]


def test_a_script_scenario_runs_its_script_first_and_asks_the_application_for_the_rest(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/dtmf": Page("<Response><Speak>From the app</Speak></Response>")})
    (tmp_path / "menu.xml").write_text(MENU.replace("{app}", app.base), encoding="utf-8")
    text = 'script = "menu.xml"\n' + SCENARIO
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path, text)), "--app", app.url)
    assert code == 0, out
    assert 'Speak Text="From the app" -> ok' in out
    assert app.paths() == ["/dtmf"]


def test_a_url_elsewhere_is_not_posted_to(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU.replace("{app}/dtmf", "http://example.com/dtmf"))})
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path)), "--app", app.url)
    assert code == 1
    assert (
        "(http://example.com/dtmf: not sent: --app POSTs only to loopback addresses, and the"
        " scenario's [urls] does not answer it)"
    ) in out


def test_the_first_answer_goes_through_the_lint_gate(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page("<Response><BlindTransfer/></Response>")})
    code, out, _ = ozml(capsys, "test", str(write(tmp_path)), "--app", app.url)
    assert code == 1
    assert f"    {app.url}:1:12: OZ201 BlindTransfer needs Target" in out
    assert f"refusing to run {app.url}: 1 lint error" in out
    code, out, _ = ozml(
        capsys, "test", str(write(tmp_path, "force = true\n" + SCENARIO)), "--app", app.url
    )
    assert " ." in out, out


def test_an_empty_first_answer_ends_the_call(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page("")})
    text = SCENARIO + '[expect]\nend = "end-of-script"\n'
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path, text)), "--app", app.url)
    assert code == 0, out
    assert f"{app.url} end -> end-of-script" in out


def test_the_first_notification_is_the_scenarios(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page("<Response><Speak>Hello</Speak></Response>")})
    text = (
        'context = "extension"\n[call]\nid = "c7"\ncaller = "1000"\ncallee = "+3620"\n'
        'notification = "CallConnected"\nparams = { ticket = "7" }\n'
    )
    code, out, _ = ozml(capsys, "test", str(write(tmp_path, text)), "--app", app.url)
    assert code == 0, out
    assert app.seen[0].body == (
        b"NotificationName=CallConnected&CallId=c7&Caller=1000&Callee=%2B3620&ticket=7"
    )
    text = '[call]\nnotification = "Hello"\n'
    code, out, _ = ozml(capsys, "test", str(write(tmp_path, text)), "--app", app.url)
    assert code == 2
    assert "call.notification: --app sends the call's first notification and knows no" in out


# -- ozml run --app -------------------------------------------------------------------------


def test_ozml_run_app_prints_the_trace_and_an_expect_section_with_app(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU), "/dtmf": Page("<Response><Speak>Bye</Speak></Response>")})
    path = write(tmp_path)
    code, out, err = ozml(capsys, "run", "--scenario", str(path), "--app", app.url)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "-- call call-1 --"
    assert f"   0.000 {app.url}:2:4 UserInput" in out
    assert f'{app.base}/dtmf:1:12 Speak Text="Bye" -> ok' in out, out
    assert out.splitlines()[-1].startswith("ended: end-of-script")
    code, out, err = ozml(
        capsys, "run", "--scenario", str(path), "--app", app.url, "--format", "expect"
    )
    assert (code, err) == (0, "")
    assert app.base not in out
    assert '    \'0.8s fetch Url="{app}/dtmf" DtmfDigits="7" -> fetched\',' in out
    # The section pins this run: pasted into the scenario, ozml test --app passes.
    path.write_text(SCENARIO + out, encoding="utf-8")
    code, out, err = ozml(capsys, "test", str(path), "--app", app.url)
    assert (code, err) == (0, ""), out


def test_ozml_run_app_refuses_live_and_a_missing_application(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ozml(capsys, "run", "--app", "http://127.0.0.1:9/", "--live")
    assert (code, out) == (2, "")
    assert err == (
        "ozml: error: --app is a dry run against your application: not with --live or"
        " --executor\n"
    )
    code, out, err = ozml(capsys, "run", "--app", "http://127.0.0.1:9/")
    assert (code, out) == (2, "")
    assert err.startswith("ozml: error: no application answered at http://127.0.0.1:9/ (")


def test_app_wait_waits_for_an_application_still_starting(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pages = {"/": Page(MENU), "/dtmf": Page("<Response/>")}

    def start_later() -> None:
        time.sleep(0.5)
        app = App(pages)
        app.server.server_close()
        app.server = ThreadingHTTPServer(("127.0.0.1", port), app.server.RequestHandlerClass)
        app.base = f"http://127.0.0.1:{port}"
        started.append(app)
        app.server.serve_forever(0.05)

    started: list[App] = []
    threading.Thread(target=start_later, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        code, out, err = ozml(capsys, "test", str(write(tmp_path)), "--app", url,
                              "--app-wait", "10")
        assert (code, err) == (0, ""), out
    finally:
        for app in started:
            app.server.shutdown()
            app.server.server_close()
    code, out, err = ozml(capsys, "test", str(write(tmp_path)), "--app", url,
                          "--app-wait", "0.3")
    assert code == 2
    assert err.startswith(f"ozml: error: no application answered at {url} for 0.3 s (")


def test_app_in_a_urls_answer_is_the_applications_url(
    tmp_path: Path, serve: type[App], capsys: pytest.CaptureFixture[str]
) -> None:
    app = serve({"/": Page(MENU), "/news": Page("<Response><Speak>News</Speak></Response>")})
    text = SCENARIO + '[urls]\n"{app}/dtmf" = "<Response><GoTo>{app}/news</GoTo></Response>"\n'
    code, out, _ = ozml(capsys, "test", "-v", str(write(tmp_path, text)), "--app", app.url)
    assert code == 0, out
    assert f'GoTo Url="{app.base}/news" -> fetched' in out
    assert 'Speak Text="News" -> ok' in out
    assert app.paths() == ["/", "/news"]
