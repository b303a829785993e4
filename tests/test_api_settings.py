"""Where the client's address, credentials and timeout come from, and the docs' examples run."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ozml.api import ConfigError, Credentials, Secret, load_settings
from ozml.simulator import Simulator

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ozml.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.url == "http://127.0.0.1:9509"
    assert settings.url_origin == "default"
    assert settings.credentials is None
    assert settings.timeout == 10.0
    assert settings.wire_names == {}


def test_precedence(tmp_path: Path) -> None:
    write(tmp_path, '[api]\nurl = "http://file:1"\nusername = "fileuser"\npassword = "filepw"\n'
                    "timeout = 3\n")
    from_file = load_settings(environ={}, cwd=tmp_path)
    assert (from_file.url, from_file.url_origin) == ("http://file:1", str(tmp_path / "ozml.toml"))
    assert from_file.credentials == Credentials.of("fileuser", "filepw")
    assert from_file.timeout == 3.0
    env = {"OZML_API_URL": "http://env:2/", "OZML_USERNAME": "envuser", "OZML_PASSWORD": "envpw"}
    from_env = load_settings(environ=env, cwd=tmp_path)
    assert (from_env.url, from_env.url_origin) == ("http://env:2", "OZML_API_URL")
    assert from_env.credentials == Credentials.of("envuser", "envpw")
    from_args = load_settings(url="http://arg:3", timeout=1.5, environ=env, cwd=tmp_path)
    assert (from_args.url, from_args.url_origin, from_args.timeout) == (
        "http://arg:3", "--api-url", 1.5,
    )


def test_explicit_config_file_and_wire_names(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text(
        '[api.wire-names]\n"AttendedTransfer.TransferredCallId" = "TranferredCallId"\n',
        encoding="utf-8",
    )
    settings = load_settings(config=other, environ={}, cwd=tmp_path)
    assert settings.wire_names == {"AttendedTransfer.TransferredCallId": "TranferredCallId"}


def test_one_file_for_the_linter_and_the_client(tmp_path: Path) -> None:
    # The linter's settings at the top level, the client's in [api]; each reads its own.
    write(tmp_path, 'select = ["OZ2"]\ncontext = "3pcc"\n[api]\nurl = "http://pbx:9509"\n')
    (tmp_path / "calls").mkdir()
    script = tmp_path / "calls" / "a.xml"
    script.write_text("<Response><Hangup/></Response>", encoding="utf-8")
    settings = load_settings(environ={}, cwd=tmp_path / "calls")  # found walking up
    assert settings.url == "http://pbx:9509"
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", str(script)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pyproject_tool_ozml_api(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\n[tool.ozml]\nselect = ["OZ2"]\n'
        '[tool.ozml.api]\nurl = "http://pbx:1"\nusername = "u"\n',
        encoding="utf-8",
    )
    settings = load_settings(environ={}, cwd=tmp_path)
    assert (settings.url, settings.credentials) == ("http://pbx:1", Credentials.of("u", ""))


def test_ozml_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ozml.api]\nurl = "http://py:1"\n',
                                             encoding="utf-8")
    write(tmp_path, '[api]\nurl = "http://toml:1"\n')
    assert load_settings(environ={}, cwd=tmp_path).url == "http://toml:1"


def test_pyproject_without_tool_ozml_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n', encoding="utf-8")
    assert load_settings(environ={}, cwd=tmp_path).url_origin == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[api]\nuser = 'x'\n", ":2:1: api.user: unknown key (allowed: url, username, password,"
         " timeout, wire-names)"),
        ("[api]\ntimeout = 0\n",
         ":2:11: [api] timeout must be more than 0 and at most 86400 seconds, found 0"),
        ("[api]\ntimeout = nan\n",
         ":2:11: [api] timeout must be more than 0 and at most 86400 seconds, found nan"),
        ("[api]\ntimeout = inf\n",
         ":2:11: [api] timeout must be more than 0 and at most 86400 seconds, found inf"),
        # Past float's range: math.isfinite raised OverflowError (an internal error).
        (f"[api]\ntimeout = {'9' * 400}\n",
         ":2:11: [api] timeout must be more than 0 and at most 86400 seconds, found a number of"
         " 400 digits"),
        ("[api]\ntimeout = true\n", ":2:11: [api] timeout must be a number of seconds"),
        ("[api]\nurl = 9509\n", ":2:7: [api] url must be a string"),
        ("[api]\nurl = ''\n", ":2:7: [api] url is empty: leave the key out for the default,"
         " http://127.0.0.1:9509"),
        ("[api]\nurl = 'http://pbx:99999'\n",
         ":2:7: [api] url is invalid: port out of range (1-65535)"),
        ("[api]\nwire-names = 'x'\n",
         ':2:14: [api.wire-names] must map "Command.Param" to a string'),
        ("api = 1\n", ":1:1: api: expected a table"),
        ("[api\n", ":1:5: not valid TOML: Expected ']' at the end of a table declaration"),
    ],
)
def test_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, cwd=tmp_path)
    assert str(caught.value).startswith(f"{path}{message}")


def test_credentials_never_show(tmp_path: Path) -> None:
    settings = load_settings(environ={"OZML_USERNAME": "alice", "OZML_PASSWORD": "pw-1234"},
                             cwd=tmp_path)
    shown = repr(settings) + str(settings)
    assert "alice" not in shown
    assert "pw-1234" not in shown
    assert Secret("a") == Secret("a")
    assert not Secret("")


def _python_blocks(page: str) -> list[str]:
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def _printed_as_commented(block: str, printed: list[str]) -> None:
    """Each ``# prints: TEXT`` line of a docs block is what the print before it printed
    (``(...)`` at the end: TEXT is the start of it)."""
    expected = [line.split("# prints: ", 1)[1] for line in block.splitlines()
                if line.lstrip().startswith("# prints: ")]
    assert len(printed) == len(expected), printed
    for line, want in zip(printed, expected, strict=True):
        if want.endswith("(...)"):
            assert line.startswith(want.removesuffix("(...)")), (line, want)
        else:
            assert line == want


def test_the_validation_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    [example] = [b for b in _python_blocks("api-client.md") if "InvalidRequest" in b]
    monkeypatch.setenv("OZML_USERNAME", "HTTP_User_1")
    monkeypatch.setenv("OZML_PASSWORD", "qwe123")
    with Simulator(port=0) as sim:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(example.replace("http://127.0.0.1:9509", sim.url), {})
        sent = [str(r["query"]).split("&")[0] for r in sim.requests]
    _printed_as_commented(example, out.getvalue().splitlines())
    assert sent == ["command=SendSms"]  # the refused Speak never reached the PBX


def test_the_client_reference_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    example = _python_blocks("api-client.md")[0]
    monkeypatch.setenv("OZML_USERNAME", "HTTP_User_1")
    monkeypatch.setenv("OZML_PASSWORD", "qwe123")
    with Simulator(port=0) as sim:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(example.replace("http://127.0.0.1:9509", sim.url), {})
    lines = out.getvalue().splitlines()
    assert lines[0] in ("Nt3uh Ringing", "Nt3uh InCall")
    assert lines[-1] == "601 Call not found with ID 'nosuch'"


def test_the_simulator_guide_example_runs() -> None:
    [example] = _python_blocks("simulator.md")
    namespace: dict[str, object] = {}
    exec(example, namespace)
    namespace["test_forward"]()  # type: ignore[operator]
