"""A seeded generator of realistic OzML documents for the benchmarks.

Each document is about 800 bytes: the kinds of script an application answers notifications with
(greetings and IVR menus, transfers, recordings, 3PCC control, SMS, variables and loops),
built from the commands of the catalog with varied values. One file in twenty (by default)
carries a typical mistake (a misspelt parameter, an unknown element, a legacy or lower-case
name, a bad value, a missing parameter, a command after Hangup), so that the benchmark measures
reporting as well as clean files. The same seed always gives the same bytes.

Usage::

    python benchmarks/corpus.py DIR --files 10000 [--seed 7] [--comment-rate 0.5]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

TARGET_BYTES = 800
#: The share of documents with a mistake: a maintained code base, where most files are clean.
MISTAKE_RATE = 1 / 20

_PROSE = (
    "welcome to the support line of our company all agents are busy please hold the line "
    "your call is important to us press one for sales two for support three for billing "
    "thank you for calling goodbye we are now connecting you to an operator"
)
_WORDS = _PROSE.split()
_LANGUAGES = ("en-US", "en-GB", "de-DE", "hu-HU", "fr-FR")
_PARTIES = ("caller", "callee", "all")


def _sentence(rng: random.Random, low: int = 4, high: int = 12) -> str:
    words = rng.choices(_WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _extension(rng: random.Random) -> str:
    return str(rng.randint(100, 999))


def _phone(rng: random.Random) -> str:
    return "+36" + "".join(rng.choices("0123456789", k=9))


def _call_id(rng: random.Random) -> str:
    return "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=5))


def _url(rng: random.Random, page: str) -> str:
    host = rng.choice(("app.example.com", "pbx-hooks.example.org", "10.0.0.5:8080"))
    return f"http://{host}/ozml/{page}.php?id={rng.randint(1, 9999)}"


# --- commands: each returns lines of XML at the given indent -----------------------------------

Command = Callable[[random.Random, str], list[str]]


def speak(rng: random.Random, pad: str) -> list[str]:
    attrs = ""
    if rng.random() < 0.3:
        attrs = f" Language={quoteattr(rng.choice(_LANGUAGES))}"
    return [f"{pad}<Speak{attrs}>{escape(_sentence(rng))}</Speak>"]


def speak_3pcc(rng: random.Random, pad: str) -> list[str]:
    party = rng.choice(_PARTIES)
    return [f'{pad}<Speak Party="{party}">{escape(_sentence(rng))}</Speak>']


def play(rng: random.Random, pad: str) -> list[str]:
    name = rng.choice(("greeting", "music", "closed", "menu", "beep"))
    repeat = ' Repeat="true"' if rng.random() < 0.2 else ""
    return [f"{pad}<Play{repeat}>C:\\Audio\\{name}.wav</Play>"]


def delay(rng: random.Random, pad: str) -> list[str]:
    return [f"{pad}<Delay>{rng.randint(1, 5)}</Delay>"]


def blind_transfer(rng: random.Random, pad: str) -> list[str]:
    return [f"{pad}<BlindTransfer>{_extension(rng)}</BlindTransfer>"]


def forward(rng: random.Random, pad: str) -> list[str]:
    return [f'{pad}<ForwardCall Destination="{_extension(rng)}"/>']


def attended(rng: random.Random, pad: str) -> list[str]:
    return [f'{pad}<AttendedTransfer TargetCallId="{_call_id(rng)}" TransferorParty="caller"/>']


def record(rng: random.Random, pad: str) -> list[str]:
    fmt = rng.choice(("mp3", "wav"))
    return [
        f'{pad}<Record Format="{fmt}" Duration="{rng.randint(10, 120)}"'
        f' FinishedUrl="{escape(_url(rng, "recorded"))}"/>'
    ]


def send_sms(rng: random.Random, pad: str) -> list[str]:
    return [f'{pad}<SendSms Recipient="{_phone(rng)}">{escape(_sentence(rng, 3, 8))}</SendSms>']


def var(rng: random.Random, pad: str) -> list[str]:
    """A variable and the announcement that uses it."""
    name = rng.choice(("position", "waiting", "minutes", "agent", "queue", "ticket"))
    return [
        f'{pad}<Var Id="{name}">{rng.randint(1, 99)}</Var>',
        f"{pad}<Speak>Your {name} is ${name}.</Speak>",
    ]


def call(rng: random.Random, pad: str) -> list[str]:
    return [
        f'{pad}<Call Url="{escape(_url(rng, "connected"))}" CallerId="{_extension(rng)}">'
        f"{_phone(rng)}</Call>"
    ]


def hold_unhold(rng: random.Random, pad: str) -> list[str]:
    return [f"{pad}<Hold/>", *speak_3pcc(rng, pad), f"{pad}<Unhold/>"]


def send_dtmf(rng: random.Random, pad: str) -> list[str]:
    keys = "".join(rng.choices("0123456789*#", k=rng.randint(1, 4)))
    return [f'{pad}<SendDTMF Party="callee" Keys="{keys}"/>']


def call_setup(rng: random.Random, pad: str) -> list[str]:
    return [f'{pad}<CallSetup Caller="{_extension(rng)}" Callee="{_extension(rng)}"/>']


def user_input(rng: random.Random, pad: str) -> list[str]:
    inner = pad + "  "
    lines = [f'{pad}<UserInput Timeout="{rng.randint(5, 15)}" Repeat="true">']
    lines += [f"{inner}<InitialCommands>", *speak(rng, inner + "  "), f"{inner}</InitialCommands>"]
    lines.append(f"{inner}<Inputs>")
    for key in range(1, rng.randint(2, 3) + 1):
        lines.append(f'{inner}  <Input Key="{key}">')
        lines += rng.choice((blind_transfer, play, speak))(rng, inner + "    ")
        lines.append(f"{inner}  </Input>")
    lines.append(f"{inner}</Inputs>")
    lines.append(f"{pad}</UserInput>")
    return lines


def array_loop(rng: random.Random, pad: str) -> list[str]:
    inner = pad + "  "
    lines = [f'{pad}<Array Id="numbers">']
    lines += [f"{inner}<Item>{_extension(rng)}</Item>" for _ in range(rng.randint(2, 3))]
    lines.append(f"{pad}</Array>")
    lines.append(f'{pad}<ForEach Source="numbers">')
    lines.append(f"{inner}<Speak>Calling extension $item.</Speak>")
    lines.append(f"{pad}</ForEach>")
    return lines


# --- script kinds: a first part, then filler commands up to the target size -------------------

EXTENSION_FILLERS: tuple[Command, ...] = (speak, play, delay, var, send_sms, record)
THREE_PCC_FILLERS: tuple[Command, ...] = (speak_3pcc, send_dtmf, hold_unhold, record)

#: (name, weight, opening commands, filler commands, closing command or Hangup).
KINDS: tuple[tuple[str, int, tuple[Command, ...], tuple[Command, ...], Command | None], ...] = (
    ("ivr", 4, (speak, user_input), EXTENSION_FILLERS, None),
    ("transfer", 4, (speak, delay), EXTENSION_FILLERS, blind_transfer),
    ("outbound", 2, (speak, call), EXTENSION_FILLERS, None),
    ("3pcc", 3, (speak_3pcc,), THREE_PCC_FILLERS, attended),
    ("forward", 3, (speak_3pcc,), THREE_PCC_FILLERS, forward),
    ("setup", 2, (call_setup,), THREE_PCC_FILLERS, None),
    ("loop", 1, (array_loop,), EXTENSION_FILLERS, None),
)
_WEIGHTS = tuple(kind[1] for kind in KINDS)


def _mistake(rng: random.Random, lines: list[str]) -> list[str]:
    """One typical author's mistake in a copy of the document's lines."""
    lines = list(lines)
    body = range(1, len(lines) - 1)
    kind = rng.randrange(7)
    if kind == 0:  # a misspelt parameter
        for i in rng.sample(body, len(body)):
            if 'Timeout="' in lines[i] or 'Destination="' in lines[i] or 'Format="' in lines[i]:
                lines[i] = (
                    lines[i]
                    .replace("Timeout=", "Timout=")
                    .replace("Destination=", "Destinaton=")
                    .replace("Format=", "Fromat=")
                )
                return lines
        kind = 1
    if kind == 1:  # an unknown element
        lines.insert(rng.choice(body), "  <Speek>Hello there.</Speek>")
    elif kind == 2:  # vendor lower case
        lines.insert(rng.choice(body), "  <speak>hello.</speak>")
    elif kind == 3:  # a legacy name
        lines.insert(rng.choice(body), f'  <Forward Destination="{_extension(rng)}"/>')
    elif kind == 4:  # a bad value
        lines.insert(rng.choice(body), '  <Play Repeat="yes">C:\\Audio\\x.wav</Play>')
    elif kind == 5:  # a missing parameter
        lines.insert(rng.choice(body), "  <ForwardCall/>")
    elif kind == 6:  # dead code after Hangup
        lines.insert(len(lines) - 1, "  <Hangup/>")
        lines.insert(len(lines) - 1, "  <Speak>Never heard.</Speak>")
    return lines


def document(
    rng: random.Random, target: int = TARGET_BYTES, mistake_rate: float = MISTAKE_RATE
) -> str:
    """One document of about `target` bytes."""
    _, _, opening, fillers, closing = rng.choices(KINDS, _WEIGHTS)[0]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Response>"]
    for command in opening:
        lines += command(rng, "  ")
    tail = closing(rng, "  ") if closing else ["  <Hangup/>"]
    size = sum(len(line) + 1 for line in lines + tail) + len("</Response>\n")
    while True:
        extra = rng.choice(fillers)(rng, "  ")
        grown = size + sum(len(line) + 1 for line in extra)
        if grown > target + 60:
            break
        lines += extra
        size = grown
        if size >= target - 60:
            break
    lines += tail
    lines.append("</Response>")
    if rng.random() < mistake_rate:
        lines = [lines[0], *_mistake(rng, lines[1:])]
    return "\n".join(lines) + "\n"


def big_document(target: int, seed: int = 7) -> str:
    """One extension script of about `target` bytes with exactly one finding (a ForwardCall
    without Destination, in the middle): the big-document rows of the benchmarks."""
    rng = random.Random(seed)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Response>"]
    fillers = (speak, play, delay, send_sms)
    size = sum(len(line) + 1 for line in lines)
    middle = target // 2
    while size < target:
        extra = rng.choice(fillers)(rng, "  ")
        if size < middle <= size + sum(len(line) + 1 for line in extra):
            extra = [*extra, "  <ForwardCall/>"]
        lines += extra
        size += sum(len(line) + 1 for line in extra)
    lines += ["  <Hangup/>", "</Response>"]
    return "\n".join(lines) + "\n"


#: The comment `commented` writes at the top of a document's commands, and the blank line after
#: it: what a person writing OzML by hand often adds, and what the quick check's regular
#: expressions do not read (the strict schema does).
COMMENT = "  <!-- The answer to an incoming call. -->\n"


def commented(text: str) -> str:
    """`text` with `COMMENT` and a blank line after its ``<Response>`` line (as it is, when it
    has none: a mistake may have renamed the root)."""
    head, found, rest = text.partition("\n<Response>\n")
    if not found:
        return text
    return head + found + COMMENT + "\n" + rest


def generate(
    directory: Path,
    files: int,
    seed: int = 7,
    per_folder: int = 1000,
    mistake_rate: float = MISTAKE_RATE,
    comment_rate: float = 0.0,
) -> list[Path]:
    """Write `files` documents under `directory` (in sub-folders of `per_folder` files);
    `comment_rate` of them `commented`, chosen with a random generator of their own, so that
    the documents are otherwise those of the same seed without comments."""
    rng = random.Random(seed)
    chooser = random.Random(seed + 1)
    written = []
    for index in range(files):
        folder = directory / f"part{index // per_folder:03}"
        if index % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"script{index:06}.xml"
        text = document(rng, mistake_rate=mistake_rate)
        if comment_rate and chooser.random() < comment_rate:
            text = commented(text)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--mistake-rate", type=float, default=MISTAKE_RATE, help="share of files with a mistake"
    )
    parser.add_argument(
        "--comment-rate", type=float, default=0.0, help="share of files with a comment (0)"
    )
    args = parser.parse_args(argv)
    paths = generate(
        args.directory,
        args.files,
        args.seed,
        mistake_rate=args.mistake_rate,
        comment_rate=args.comment_rate,
    )
    total = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} files, {total / len(paths):.0f} bytes on average, to {args.directory}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
