"""The pytest plugin: ``pytest --ozml-scenarios`` runs scenario files as tests.

Installed with ozml (the ``pytest11`` entry point ``ozml``). Without ``--ozml-scenarios`` it
only adds the option and the ini setting: no hook runs per file, nothing else is imported, and
a pytest run goes exactly as it would without ozml.

With the option, every scenario file pytest's collection meets (the rule of ``ozml test``:
``*.scenario.toml`` anywhere, every ``*.toml`` under a ``scenarios`` folder, never
``ozml.toml`` or ``pyproject.toml``) is one test item per scenario, named after the file. It
runs as ``ozml test`` runs it (`ozml.testing.outcome.check_scenario`: the lint gate with the
script's configuration, the dry run, the comparison) and fails with the same messages and the
same trace diff. A scenario that names no script (one written for ``ozml test --app``) is
skipped. ``-k`` also matches a scenario's description.

The ``ozml_scenarios`` ini setting lists the files and folders to collect scenarios from
(relative to the ini file): when pytest is run without paths of its own, they are collected
besides the ``testpaths``; any ``*.toml`` in them is a scenario::

    [tool.pytest.ini_options]
    ozml_scenarios = ["examples/scenarios"]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ozml.config import Resolver
    from ozml.testing.outcome import Outcome

OPTION = "--ozml-scenarios"
INI = "ozml_scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ozml", "OzML scenario tests (ozml)")
    group.addoption(
        OPTION,
        action="store_true",
        dest="ozml_scenarios",
        default=False,
        help="collect OzML scenario files (*.scenario.toml, *.toml under scenarios/) as tests,"
        " run as `ozml test` runs them",
    )
    parser.addini(
        INI,
        type="paths",
        default=[],
        help="files and folders to collect OzML scenarios from with --ozml-scenarios",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("ozml_scenarios", default=False):
        return
    paths: list[Path] = [Path(p) for p in config.getini(INI)]
    if paths and config.args_source is not pytest.Config.ArgsSource.ARGS:
        # No paths on the command line: the ini's scenario paths join the test paths.
        for path in paths:
            if str(path) not in config.args:
                config.args.append(str(path))
    config.pluginmanager.register(_Collector(paths), "ozml-scenarios-collector")


class _Collector:
    """The hooks that exist only while ``--ozml-scenarios`` is on."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [root.resolve() for root in roots]
        self.resolver: Resolver | None = None

    def _in_roots(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved == root or root in resolved.parents for root in self.roots)

    def pytest_collect_file(
        self, file_path: Path, parent: pytest.Collector
    ) -> pytest.Collector | None:
        if file_path.suffix != ".toml":
            return None
        from ozml.testing.discover import SCENARIOS_FOLDER, is_scenario_file

        under = SCENARIOS_FOLDER in file_path.parent.parts or self._in_roots(file_path)
        if not is_scenario_file(file_path, under):
            return None
        scenario_file: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
        scenario_file.collector = self
        return scenario_file

    def configured(self) -> Resolver:
        """The configuration lookup shared by every scenario of the run."""
        if self.resolver is None:
            from ozml.config import Resolver

            self.resolver = Resolver()
        return self.resolver


class ScenarioFile(pytest.File):
    """A scenario file; its one item is its scenario."""

    collector: _Collector | None = None

    def collect(self) -> list[ScenarioItem]:
        item: ScenarioItem = ScenarioItem.from_parent(self, name=self.path.stem)
        from ozml.testing.outcome import description_of

        description = description_of(self.path)
        if description:
            item.extra_keyword_matches.add(description)
        return [item]


class ScenarioFailure(Exception):
    """A scenario that failed or could not run; carries its outcome for the report."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.label)
        self.outcome = outcome


class ScenarioItem(pytest.Item):
    """One scenario, run as ``ozml test`` runs it."""

    #: No fixtures. Some plugins' ``pytest_runtest_call`` wrappers (pytest-lsp's) read
    #: ``item.funcargs`` and break on items that lack it, as non-Python items do.
    funcargs: dict[str, object]

    def setup(self) -> None:
        self.funcargs = {}

    def runtest(self) -> None:
        from ozml.testing.outcome import ERROR, FAILED, SKIPPED, check_scenario

        parent = self.parent
        collector = getattr(parent, "collector", None)
        resolver = collector.configured() if collector is not None else None
        outcome = check_scenario(self._shown_path(), resolver=resolver)
        if outcome.status == SKIPPED:
            reason = outcome.problems[0] if outcome.problems else "skipped"
            # Reported at the scenario file, not at this line (as a skip mark is).
            raise pytest.skip.Exception(reason, _use_item_location=True)
        if outcome.status in (FAILED, ERROR):
            raise ScenarioFailure(outcome)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailure):
            outcome = excinfo.value.outcome
            word = "could not run" if outcome.status == "error" else "failed"
            return f"scenario {outcome.label} {word}:\n" + "\n".join(outcome.problems)
        return super().repr_failure(excinfo, style=style)

    def _shown_path(self) -> Path:
        """The file as ``ozml test`` would name it: relative to where pytest was started,
        unless it lies elsewhere."""
        import os

        start = self.config.invocation_params.dir
        relative = os.path.relpath(self.path, start)
        return self.path if relative.startswith(os.pardir) else Path(relative)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ozml scenario {self.path.name}"


__all__ = ["ScenarioFailure", "ScenarioFile", "ScenarioItem"]
