"""What the simulator tests share: a configuration of calls already in progress, and a
simulator of a configuration, on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ozml.simulator import Simulator, load_config


def calls_config(*calls: tuple[str, str, str, str]) -> str:
    """A simulator configuration (TOML) holding `calls`, each (ID, caller, callee, state), in
    virtual time (``real-time = false``)."""
    tables = "".join(
        f'[[calls]]\nid = "{call_id}"\ncaller = "{caller}"\ncallee = "{callee}"\n'
        f'state = "{state}"\n'
        for call_id, caller, callee, state in calls
    )
    return f"\n{tables}\n[behaviour]\nreal-time = false\n"


@contextmanager
def simulator(config: str, folder: Path) -> Iterator[Simulator]:
    """A running simulator of `config` (written to ``sim.toml`` in `folder`), on a free port of
    the loopback interface; stopped on leaving."""
    path = folder / "sim.toml"
    path.write_text(config, encoding="utf-8")
    with Simulator(load_config(path), port=0) as running:
        yield running
