"""Language server latency, as an editor sees it: the two rows of DESIGN.md's targets.

Starts the real server (``python -m ozml lsp``) and talks to it over stdio with a minimal
JSON-RPC client, so that each figure is what an editor sees.

- **Edit → diagnostics, 5,000 lines**: from writing the didChange to reading the
  publishDiagnostics for that version. The document is edited one character at a time (a digit
  typed into a Speak text, then deleted again), pausing between edits as a typist would. Pairs
  of edits (one typed, one deleted) take turns: without a request, followed at once by a
  completion request at the cursor, as an editor sends one while the user types, or by a hover
  request on the end tag after it; the three kinds are interleaved in one session, and the
  medians are shown beside the target (≤ 30 ms, completion included), with the times the
  completion and the hover took to be answered. Three documents are measured: one with a
  finding (the lint runs, re-checking only what the edit touched), a clean one (the quick check
  proves it still clean), and one with server-side template parts (ERB control blocks between
  commands, Jinja and EL expressions in texts and values, PHP in an attribute) and a finding,
  as a template writes OzML: completion and hover read its parts only near the edit.
- **Open, 50,000 lines**: from writing the didOpen to reading the first publishDiagnostics, the
  median of a few opens of the document (each under a new URI) beside the target (≤ 1.5 s).

    python benchmarks/bench_lsp.py [--lines 5000] [--edits 48] [--pause 0.15]
        [--open-lines 50000] [--opens 3] [--only finding|clean|templated|open]
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


#: The block of the templated document: server-side template parts between the commands (an
#: ERB control block), in texts and values (Jinja, EL) and in an attribute (PHP), five a block.
TEMPLATED_BLOCK = """\
  <Var Id="greeting{i}">Hello {{{{ caller.name }}}} {i}</Var>
  <Speak Language="en-US">$greeting{i}, press 1 for sales or 2 for support.</Speak>
  <% if open{i} %>
  <UserInput Timeout="<?= $timeout ?>" Repeat="true" Digits="1">
    <InitialCommands>
      <Play Repeat="false">menu{i}.wav</Play>
    </InitialCommands>
    <Inputs>
      <Input Key="1">
        <Speak>Connecting you to {{{{ sales.name }}}}.</Speak>
        <BlindTransfer>10{i}</BlindTransfer>
      </Input>
      <Input Key="2">
        <GoTo>http://yourapp.com/support.php?menu={i}&amp;id=${{id}}</GoTo>
      </Input>
    </Inputs>
  </UserInput>
  <% end %>
"""


def document(lines: int, finding: bool = True, templated: bool = False) -> str:
    """A realistic extension script of `lines` lines; with `finding`, one finding to report;
    `templated`, written by a server template (`TEMPLATED_BLOCK`)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<Response>"]
    repeat = "True" if finding else "true"  # non-canonical-case: the one finding
    out.append(f'  <Play Repeat="{repeat}">welcome.wav</Play>')
    block = TEMPLATED_BLOCK if templated else BLOCK
    i = 0
    while len(out) + block.count("\n") < lines - 1:
        out.extend(block.format(i=i).splitlines())
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


def answer_to(ident: int) -> Any:
    def wanted(message: dict[str, Any]) -> bool:
        return message.get("id") == ident and "method" not in message

    return wanted


def start() -> Client:
    client = Client([sys.executable, "-m", "ozml", "lsp"])
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    return client


class Edits:
    """The times (ms) of one session of edits: edit → diagnostics without a request between
    (`plain`), with a completion (`completed`) or a hover (`hovered`) between, and the times
    the completions and the hovers took to be answered."""

    def __init__(self) -> None:
        self.plain: list[float] = []
        self.completed: list[float] = []
        self.hovered: list[float] = []
        self.completions: list[float] = []
        self.hovers: list[float] = []


#: What follows each pair of edits (one typed, one deleted), in turns.
KINDS = ("plain", "completion", "hover")


def run_edits(lines: int, edits: int, pause: float, variant: str) -> Edits:
    """The times of `edits` edits of the `variant` document (finding, clean, templated)."""
    text = document(lines, variant != "clean", variant == "templated")
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
        end_tag = lines_list[line].index("</Speak>") + 3  # the hover: on the end tag after it
        times = Edits()
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
            kind = KINDS[(n // 2) % len(KINDS)]
            time.sleep(pause)
            sent = client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            if kind != "plain":
                shift = 1 if typing else 0
                client._id += 1
                ident = client._id
                if kind == "completion":
                    method, character = "textDocument/completion", column + shift
                else:
                    method, character = "textDocument/hover", end_tag + shift
                position = {"line": line, "character": character}
                asked = client.send(
                    {
                        "id": ident,
                        "method": method,
                        "params": {"textDocument": {"uri": uri}, "position": position},
                    }
                )
                answered, _ = client.wait(answer_to(ident))
                answers = times.completions if kind == "completion" else times.hovers
                answers.append(1000 * (answered - asked))
            at, message = client.wait(diagnostics_of(version))
            done = {"plain": times.plain, "completion": times.completed, "hover": times.hovered}
            done[kind].append(1000 * (at - sent))
        return times
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


def median(times: list[float]) -> float | None:
    return statistics.median(times) if times else None


def verdict(times: list[float], target: float) -> str:
    return "meets" if times and statistics.median(times) <= target else "MISSES"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=48)
    parser.add_argument("--pause", type=float, default=0.15, help="seconds between edits")
    parser.add_argument("--open-lines", type=int, default=50000)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=("finding", "clean", "templated", "open"),
        help="run one part: edits of the document with a finding, of the clean one, of the"
        " one with template parts, or the opens (default: all)",
    )
    parser.add_argument("--json", type=Path, help="also write the medians (ms) as JSON here")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    figures: dict[str, Any] = {}
    titles = {
        "finding": "with one finding",
        "clean": "without findings",
        "templated": "with template parts and one finding",
    }
    for variant, title in titles.items():
        if args.only not in (None, variant):
            continue
        print(f"-- document {title}")
        times = run_edits(args.lines, args.edits, args.pause, variant)
        print(f"edit → diagnostics: {spread(times.plain)}")
        print(f"edit, completion, → diagnostics: {spread(times.completed)}")
        print(f"edit, hover, → diagnostics: {spread(times.hovered)}")
        print(f"completion answered: {spread(times.completions)}")
        print(f"hover answered: {spread(times.hovers)}")
        figures[variant] = {
            "completed_ms": statistics.median(times.completed),
            "plain_ms": statistics.median(times.plain),
            "completion_ms": median(times.completions),
            "hovered_ms": median(times.hovered),
            "hover_ms": median(times.hovers),
        }
        rows.append(
            (
                f"{args.lines:,} lines ({variant}), edit then diagnostics, completion between",
                f"{statistics.median(times.completed):.1f} ms"
                f" ({statistics.median(times.plain):.1f} ms without the completion)",
                f"≤ {EDIT_TARGET_MS:.0f} ms: {verdict(times.completed, EDIT_TARGET_MS)}",
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
