"""Scenario tests: finding scenario files, running them, reporting and updating them.

`ozml test` (`ozml.cli.scenario_test`) and the pytest plugin (`ozml.pytest_plugin`) are two
faces of this package, so a scenario passes or fails the same way in both, with the same
messages and the same trace diff (docs/dry-run.md):

- `ozml.testing.discover`: which files are scenarios (``*.scenario.toml`` anywhere, and every
  ``*.toml`` under a folder named ``scenarios``);
- `ozml.testing.keyword`: ``-k EXPR``, pytest's ``and`` / ``or`` / ``not`` over substrings;
- `ozml.testing.outcome`: one scenario's lint gate, dry run and comparison, as an `Outcome`;
- `ozml.testing.update`: ``--update``, rewriting a file's ``[expect]`` section and nothing else;
- `ozml.testing.results`: the text, JUnit XML and JSON reports.

The linter is used through `ozml.cli.run.prepare`, the interpreter through
`ozml.interpreter.runner`: this package sits above both, as the command line does.
"""

from __future__ import annotations

from ozml.testing.discover import discover_scenarios, is_scenario_file
from ozml.testing.keyword import KeywordError, compile_keyword

__all__ = ["KeywordError", "compile_keyword", "discover_scenarios", "is_scenario_file"]
