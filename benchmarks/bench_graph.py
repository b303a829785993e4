"""`ozml graph` is linear: each stage's time as the number of commands, menus or the nesting
depth doubles.

Documents are generated at n, 2n and 4n of one dimension (commands in a row, menu entries,
whole menus with findings, nested ForEach loops), and each stage is timed on them: building the
flow model (`ozml.flow.model.build`), the model with the linter's findings
(`ozml.flow.marks.document_flow`), `--collapse`, and rendering Mermaid and DOT. The table shows
the median time at each size and the ratio per doubling: about 2.0 is linear, above 2.6
(`--threshold`) is flagged.

    python benchmarks/bench_graph.py              # n = 2,000
    python benchmarks/bench_graph.py --n 200      # a quick run
    python benchmarks/bench_graph.py --strict     # exit 1 when a ratio is flagged

Parsing is not timed here (benchmarks/bench_linear.py times the parser).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable

from ozml.flow import dot, mermaid
from ozml.flow.collapse import collapse
from ozml.flow.graph import Graph
from ozml.flow.marks import document_flow
from ozml.flow.model import build
from ozml.parser import ParseResult, parse


def commands(n: int) -> str:
    body = "".join(
        f"<Speak>Line {i}</Speak><BlindTransfer>{100 + i}</BlindTransfer>"
        if i % 5 == 0
        else f"<Speak>Line {i} &amp; \"more\" #{i}</Speak>"
        for i in range(n)
    )
    return f"<Response>{body}<Hangup/></Response>"


def menu_entries(n: int) -> str:
    inputs = "".join(f'<Input Key="{i}"><Speak>Entry {i}</Speak></Input>' for i in range(n))
    return (
        '<Response><UserInput Digits="6" Timeout="5" Repeat="true" BackKey="*">'
        f"<InitialCommands><Speak>Choose</Speak></InitialCommands><Inputs>{inputs}</Inputs>"
        "</UserInput></Response>"
    )


def menus_with_findings(n: int) -> str:
    menu = (
        '<UserInput Timeout="3" ForwardToURL="http://app/k.php"><Inputs>'
        '<Input Key="1"><Hangup/><Speak>dead</Speak></Input>'
        '<Input Key="2"><GoTo>http://app/next.php</GoTo></Input>'
        "</Inputs></UserInput><Record FinishedUrl=\"http://app/r.php\"/>"
    )
    return f"<Response>{menu * max(1, n // 6)}</Response>"


def nesting(n: int) -> str:
    depth = max(1, n // 40)  # 4n = 8,000 is 200 levels: under the parser's depth limit
    return (
        '<Response><Array Id="a"><Item>x</Item></Array>'
        + '<ForEach Source="$a"><Speak>$item</Speak>' * depth
        + "</ForEach>" * depth
        + "</Response>"
    )


DIMENSIONS: dict[str, Callable[[int], str]] = {
    "commands": commands,
    "menu entries": menu_entries,
    "menus with findings": menus_with_findings,
    "nesting (n/40 levels)": nesting,
}


def _model(result: ParseResult) -> object:
    return build(result.document.root, "bench.xml")


def _marked(result: ParseResult) -> object:
    return document_flow(result, "bench.xml")


STAGES: dict[str, Callable[[ParseResult], object]] = {
    "model": _model,
    "model + findings": _marked,
    "collapse": lambda r: collapse(build(r.document.root, "bench.xml")),
    "mermaid": lambda r: mermaid.render(Graph([build(r.document.root, "bench.xml")])),
    "dot": lambda r: dot.render(Graph([build(r.document.root, "bench.xml")])),
}


def timed(stage: Callable[[ParseResult], object], text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        result = parse(text, "bench.xml")  # a fresh parse: no cached positions between runs
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            stage(result)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="the smallest size (default 2000)")
    parser.add_argument("--repeat", type=int, default=7, help="runs per size (median)")
    parser.add_argument("--threshold", type=float, default=2.6)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio is flagged")
    args = parser.parse_args(argv)
    sizes = [args.n, 2 * args.n, 4 * args.n]
    for make in DIMENSIONS.values():
        if parse(make(sizes[-1]), "bench.xml").document.root is None:
            parser.error(f"n={sizes[-1]} makes a document the parser refuses; choose a smaller --n")
    print(f"{'dimension':<24}{'stage':<18}" + "".join(f"{'n=' + str(s):>12}" for s in sizes)
          + f"{'2n/n':>8}{'4n/2n':>8}")
    flagged = 0
    for dimension, make in DIMENSIONS.items():
        texts = [make(size) for size in sizes]
        for stage_name, stage in STAGES.items():
            times = [timed(stage, text, args.repeat) for text in texts]
            ratios = [times[1] / times[0], times[2] / times[1]]
            mark = ""
            if any(r > args.threshold for r in ratios):
                flagged += 1
                mark = "  <- over the threshold"
            print(
                f"{dimension:<24}{stage_name:<18}"
                + "".join(f"{t * 1000:>10.2f}ms" for t in times)
                + "".join(f"{r:>8.2f}" for r in ratios)
                + mark
            )
    print(f"{flagged} row(s) over the threshold {args.threshold}")
    return 1 if args.strict and flagged else 0


if __name__ == "__main__":
    sys.exit(main())
