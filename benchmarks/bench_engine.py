"""Dry-run engine throughput: commands per second traced to a null sink (DESIGN.md target:
at least 100,000 commands/s).

The workload is a realistic mix, compiled once and run many times: Speak with and without
$variables, Play, Var, Delay, a ForEach over an array, a two-level UserInput menu answered from
a scripted input list, a failed BlindTransfer that continues, and SendSms. Every executed
instruction counts as one command (the engine's own step count), so menus, loops and variable
definitions count as well as side effects.

    python benchmarks/bench_engine.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import time

from ozml.interpreter.clock import VirtualClock
from ozml.interpreter.dryrun import DryRunConfig, DryRunExecutor, Plan
from ozml.interpreter.engine import Engine, EngineOptions
from ozml.interpreter.inputs import ListInput, parse_entry
from ozml.interpreter.runner import compile_source
from ozml.interpreter.trace import NullSink

TARGET = 100_000

BLOCK = """
  <Var id="name">Caller $n</Var>
  <Speak>Hello $name, welcome to block $n.</Speak>
  <Play>welcome.wav</Play>
  <Array id="opts"><Item>sales</Item><Item>support</Item><Item>billing</Item></Array>
  <ForEach source="opts"><Speak>For $item press a key.</Speak></ForEach>
  <UserInput Timeout="5" Repeat="true">
    <InitialCommands><Speak>Press 1 or 2.</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><Speak>Sales.</Speak><BlindTransfer>102</BlindTransfer></Input>
      <Input Key="2">
        <UserInput BackKey="*">
          <InitialCommands><Speak>Press 3.</Speak></InitialCommands>
          <Inputs><Input Key="3"><Speak>Three.</Speak></Input></Inputs>
        </UserInput>
      </Input>
    </Inputs>
  </UserInput>
  <Delay>1</Delay>
  <SendSms Recipient="+3620555" Message="Call from $name"/>
"""


def document(blocks: int) -> str:
    body = "".join(BLOCK.replace("$n", str(i)) for i in range(blocks))
    return f'<?xml version="1.0"?>\n<Response>{body}</Response>\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to measure")
    parser.add_argument("--blocks", type=int, default=50)
    args = parser.parse_args()

    source = document(args.blocks)
    started = time.perf_counter()
    _, program = compile_source(source, "bench.xml")
    compiled = time.perf_counter() - started
    # Per block: timeout + repeat, then 2 -> nested menu -> 3 (and once *: back to the parent).
    entries = [parse_entry(e) for e in ("timeout", "2", "*", "1")]
    config = DryRunConfig(transfer=Plan("fail"))
    options = EngineOptions(max_steps=10_000_000)

    def once() -> int:
        engine = Engine(
            DryRunExecutor(config),
            inputs=ListInput(entries * args.blocks),
            clock=VirtualClock(),
            sink=NullSink(),
            options=options,
        )
        result = engine.run(program)
        return result.steps

    once()  # warm up
    steps = runs = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < args.seconds:
        steps += once()
        runs += 1
    rate = steps / elapsed
    print(
        f"document: {len(source):,} bytes, {args.blocks} blocks,"
        f" compiled in {compiled * 1000:.1f} ms"
    )
    print(f"runs: {runs}, commands: {steps:,} in {elapsed:.2f} s")
    print(
        f"dry-run engine: {rate:,.0f} commands/s to a null sink"
        f" (target {TARGET:,}: {rate / TARGET:.2f}x)"
    )


if __name__ == "__main__":
    main()
