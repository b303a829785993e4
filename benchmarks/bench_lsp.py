"""Language server latency, as an editor sees it: the two rows of DESIGN.md's targets.

Starts the real server (``python -m ozml lsp``) and talks to it over stdio with a minimal
JSON-RPC client, so that each figure is what an editor sees.

- **Edit → diagnostics, 5,000 lines**: from writing the didChange to reading the
  publishDiagnostics for that version. The document is edited one character at a time (a digit
  typed into a Speak text, then deleted again), pausing between edits as a typist would. Every
  other edit is followed at once by a completion request at the cursor, as an editor sends one
  while the user types: the edits with and without it are interleaved in one session, and the
  medians of both are shown beside the target (≤ 30 ms, completion included). Two documents are
  measured: one with a finding (the lint runs, re-checking only what the edit touched) and a
  clean one (the quick check proves it still clean).
- **Open, 50,000 lines**: from writing the didOpen to reading the first publishDiagnostics, the
  median of a few opens of the document (each under a new URI) beside the target (≤ 1.5 s).

    python benchmarks/bench_lsp.py [--lines 5000] [--edits 30] [--pause 0.15]
        [--open-lines 50000] [--opens 3] [--only finding|clean|open]
"""

from __future__ import annotations

import argparse
import json
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

#: DESIGN.md: an edit to diagnostics on 5,000 lines, completion included; opening 50,000 lines.
EDIT_TARGET_MS = 30.0
OPEN_TARGET_MS = 1500.0

BLOCK = """\
  <Var Id="greeting{i}">Hello caller {i}</Var>
  <Speak Language="en-US">$greeting{i}, press 1 for sales or 2 for support.</Speak>
  <UserInput Timeout="10" Repeat="true" Digits="1">
    <InitialCommands>
      <Play Repeat="false">menu{i}.wav</Play>
    </InitialCommands>
    <Inputs>
      <Input Key="1">
        <Speak>Connecting you to sales.</Speak>
        <BlindTransfer>10{i}</BlindTransfer>
      </Input>
      <Input Key="2">
        <GoTo>http://yourapp.com/support.php?menu={i}</GoTo>
      </Input>
    </Inputs>
  </UserInput>
"""


def document(lines: int, finding: bool = True) -> str:
    """A realistic extension script of `lines` lines; with `finding`, one finding to report."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Response>"]
    repeat = "True" if finding else "true"  # non-canonical-case: the one finding
    out.append(f'  <Play Repeat="{repeat}">welcome.wav</Play>')
    i = 0
    while len(out) + BLOCK.count("\n") < lines - 1:
        out.extend(BLOCK.format(i=i).splitlines())
        i += 1
    while len(out) < lines - 1:
        out.append(f"  <Speak>Thank you for calling, {len(out)}.</Speak>")
    out.append("</Response>")
    return "\n".join(out) + "\n"


class Client:
    """Just enough JSON-RPC over the server's stdin and stdout."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._in: IO[bytes] = self.process.stdin
        self.messages: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self._reader.start()
        self._id = 0
        self._kept: list[tuple[float, dict[str, Any]]] = []

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message: dict[str, Any]) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        sent = time.perf_counter()
        self._in.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._in.flush()
        return sent

    def request(self, method: str, params: Any) -> dict[str, Any]:
        self._id += 1
        ident = self._id
        self.send({"id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident and "method" not in m)[1]

    def notify(self, method: str, params: Any) -> float:
        return self.send({"method": method, "params": params})

    def wait(self, wanted: Any, timeout: float = 60.0) -> tuple[float, dict[str, Any]]:
        """The first message `wanted` accepts; those it does not are kept for a later wait (a
        completion's answer and the diagnostics may come in either order)."""
        for n, (at, message) in enumerate(self._kept):
            if wanted(message):
                del self._kept[n]
                return at, message
        deadline = time.monotonic() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            if "id" in message and "method" in message:  # a request from the server
                result = None
                if message["method"] == "workspace/configuration":
                    result = [None] * len(message["params"]["items"])
                self.send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return at, message
            self._kept.append((at, message))

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=10)


def diagnostics_of(version: int) -> Any:
    def wanted(message: dict[str, Any]) -> bool:
        return (
            message.get("method") == "textDocument/publishDiagnostics"
            and message["params"].get("version") == version
        )

    return wanted


def completion_answered(ident: int) -> Any:
    def wanted(message: dict[str, Any]) -> bool:
        return message.get("id") == ident and "method" not in message

    return wanted


def start() -> Client:
    client = Client([sys.executable, "-m", "ozml", "lsp"])
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    return client


def run_edits(
    lines: int, edits: int, pause: float, finding: bool
) -> tuple[list[float], list[float], list[float]]:
    """Times of the edits without and with a completion request, and of the completions."""
    text = document(lines, finding)
    uri = Path("bench-5000.xml").resolve().as_uri()
    client = start()
    try:
        opened = client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}},
        )
        at, message = client.wait(diagnostics_of(1))
        found = message["params"]["diagnostics"]
        print(
            f"open: {len(text.splitlines())} lines, {len(text):,} characters, "
            f"{len(found)} finding(s), first diagnostics after {1000 * (at - opened):.1f} ms"
        )
        # The middle Speak text: type a digit before "press", then delete it again.
        lines_list = text.splitlines()
        line = next(
            i for i in range(len(lines_list) // 2, len(lines_list)) if "press 1" in lines_list[i]
        )
        column = lines_list[line].index("press")
        plain: list[float] = []
        completed: list[float] = []
        answers: list[float] = []
        for n in range(edits):
            version = n + 2
            typing = n % 2 == 0
            change = {
                "range": {
                    "start": {"line": line, "character": column},
                    "end": {"line": line, "character": column if typing else column + 1},
                },
                "text": "7" if typing else "",
            }
            # Pairs of edits (one typed, one deleted) alternate with and without completion.
            with_completion = (n // 2) % 2 == 1
            time.sleep(pause)
            sent = client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            if with_completion:
                client._id += 1
                ident = client._id
                cursor = {"line": line, "character": column + (1 if typing else 0)}
                asked = client.send(
                    {
                        "id": ident,
                        "method": "textDocument/completion",
                        "params": {"textDocument": {"uri": uri}, "position": cursor},
                    }
                )
                answered, _ = client.wait(completion_answered(ident))
                answers.append(1000 * (answered - asked))
            at, message = client.wait(diagnostics_of(version))
            (completed if with_completion else plain).append(1000 * (at - sent))
        return plain, completed, answers
    finally:
        client.close()


def run_opens(lines: int, opens: int) -> list[float]:
    """Times from didOpen to the first diagnostics of a `lines`-line document."""
    text = document(lines, True)
    client = start()
    times = []
    try:
        for n in range(opens):
            uri = Path(f"bench-open-{n}.xml").resolve().as_uri()
            opened = client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}},
            )
            at, _ = client.wait(diagnostics_of(1), timeout=600.0)
            times.append(1000 * (at - opened))
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return times
    finally:
        client.close()


def spread(times: list[float]) -> str:
    if not times:
        return "no runs"
    median = statistics.median(times)
    return f"median {median:.1f} ms (min {min(times):.1f}, max {max(times):.1f}, {len(times)} runs)"


def verdict(times: list[float], target: float) -> str:
    return "meets" if times and statistics.median(times) <= target else "MISSES"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=32)
    parser.add_argument("--pause", type=float, default=0.15, help="seconds between edits")
    parser.add_argument("--open-lines", type=int, default=50000)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=("finding", "clean", "open"),
        help="run one part: edits of the document with a finding, of the clean one, or the"
        " opens (default: all)",
    )
    parser.add_argument("--json", type=Path, help="also write the medians (ms) as JSON here")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    figures: dict[str, Any] = {}
    for variant in ("finding", "clean"):
        if args.only not in (None, variant):
            continue
        print(f"-- document {'with one finding' if variant == 'finding' else 'without findings'}")
        plain, completed, answers = run_edits(
            args.lines, args.edits, args.pause, variant == "finding"
        )
        print(f"edit → diagnostics: {spread(plain)}")
        print(f"edit, completion, → diagnostics: {spread(completed)}")
        print(f"completion answered: {spread(answers)}")
        figures[variant] = {
            "completed_ms": statistics.median(completed),
            "plain_ms": statistics.median(plain),
            "completion_ms": statistics.median(answers) if answers else None,
        }
        rows.append(
            (
                f"{args.lines:,} lines ({variant}), edit then diagnostics, completion between",
                f"{statistics.median(completed):.1f} ms"
                f" ({statistics.median(plain):.1f} ms without the completion)",
                f"≤ {EDIT_TARGET_MS:.0f} ms: {verdict(completed, EDIT_TARGET_MS)}",
            )
        )
    if args.only in (None, "open"):
        print(f"-- opening a {args.open_lines:,}-line document")
        opens = run_opens(args.open_lines, args.opens)
        print(f"didOpen → diagnostics: {spread(opens)}")
        figures["open_ms"] = statistics.median(opens)
        rows.append(
            (
                f"open a {args.open_lines:,}-line document",
                f"{statistics.median(opens) / 1000:.2f} s",
                f"≤ {OPEN_TARGET_MS / 1000:.1f} s: {verdict(opens, OPEN_TARGET_MS)}",
            )
        )
    print()
    print("| language server | measured (median) | goal (DESIGN.md) |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
