"""`ozml test SCENARIO...`: dry-run scenario files and check their `[expect]` sections.

Each scenario's script is linted first (a lint error fails the scenario unless the scenario says
`force = true`), then run; the trace is compared with the expectation and every difference is
shown, the trace as a unified diff. A directory argument means every `*.toml` file in it.

`--max-value-bytes` and `--max-total-bytes` override every scenario's `[engine]` setting of the
same name.

Exit codes: 0 every scenario passed; 1 at least one failed; 2 a scenario file could not be used
(bad TOML, unknown key, missing script, unreadable file, ...), reported in one line each.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ozml.cli.exits import FINDINGS, OK, USAGE
from ozml.cli.run import add_limit_options, with_limits
from ozml.report.style import printable

if TYPE_CHECKING:
    from ozml.interpreter.scenario import Scenario

HELP = "Dry-run scenario files and fail when a trace differs from its [expect] section."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenarios", metavar="SCENARIO", nargs="+", type=Path,
        help="scenario files (TOML), or directories of them",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print every scenario's trace"
    )
    add_limit_options(parser)


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.toml"))
        else:
            yield path


def _check(scenario: Scenario, verbose: bool) -> list[str]:
    """Why the scenario fails (empty when it passes)."""
    import attrs

    from ozml.cli.run import prepare
    from ozml.files import ReadError, read_file
    from ozml.interpreter.expect import compare
    from ozml.interpreter.runner import run_scenario
    from ozml.interpreter.scenario import ScenarioError

    script = scenario.script
    assert script is not None
    try:
        data = read_file(script)
    except ReadError as error:
        raise ScenarioError(f"{scenario.path}: script: cannot read {script}: {error}") from None
    ready = prepare(data, str(script), scenario.context, scenario.force)
    if ready.program is None:
        return [
            f"{script}:{d.line}:{d.column}: {d.code} {d.message}" for d in ready.errors
        ] + [
            (ready.refusal or "cannot run")
            + (" (or set force = true in the scenario)" if ready.errors else "")
        ]
    done = run_scenario(attrs.evolve(scenario, context=ready.context), ready.program)
    if verbose:
        for event in done.events:
            print(f"    {printable(event.text(), keep_tabs=True)}")
    problems = compare(scenario.expect, done.events, done.result)
    if scenario.expect.end is None and not done.result.ok:
        problems.insert(
            0, f"the run ended with {done.result.ending!r}: {done.result.detail}"
        )
    return problems


def run(args: argparse.Namespace) -> int:
    from ozml.interpreter.scenario import ScenarioError, load_scenario

    passed = failed = broken = 0
    files = list(_files(args.scenarios))
    if not files:
        print("ozml test: no scenario files found", file=sys.stderr)
        return USAGE
    for path in files:
        try:
            scenario = with_limits(load_scenario(path), args)
            if scenario.script is None:
                raise ScenarioError(f"{path}: script: missing (name the OzML file to run)")
            problems = _check(scenario, args.verbose)
        except ScenarioError as error:
            broken += 1
            print(f"ERROR {printable(str(error))}")
            continue
        label = f"{path}" + (f" ({scenario.description})" if scenario.description else "")
        if problems:
            failed += 1
            print(f"FAIL {printable(label)}")
            for problem in problems:
                print("\n".join(f"    {printable(line)}" for line in problem.splitlines()))
        else:
            passed += 1
            note = "" if not scenario.expect.empty else " (no [expect]: only checked it ran)"
            print(f"PASS {printable(label)}{note}")
    parts = [f"{passed} passed"]
    if failed:
        parts.append(f"{failed} failed")
    if broken:
        parts.append(f"{broken} could not run")
    print(", ".join(parts))
    if broken:
        return USAGE
    return FINDINGS if failed else OK
