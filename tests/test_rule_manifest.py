"""The rule manifest (`ozml.lint.manifest`, generated) says what the rules say, and the rules the
linter imports lazily from it (`ozml.lint.linter.LazyRules`) are those `active_rules` makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozml.catalog import ALL, Context
from ozml.generate import manifest as generator
from ozml.lint import LintSettings, manifest
from ozml.lint.linter import LazyRules, active_rules
from ozml.lint.registry import RULES

REPO = Path(__file__).resolve().parent.parent


def test_the_manifest_is_the_generator_s() -> None:
    """As ``python -m ozml.generate --check`` holds it in CI: a rule or catalog change that
    changes what a rule applies to regenerates it."""
    assert (REPO / generator.TARGET).read_text(encoding="utf-8") == generator.generate()


def test_the_manifest_names_every_rule_in_the_registry_s_order() -> None:
    assert [code for code, _, _ in manifest.RULES] == [rule.code for rule in RULES]
    assert [name for _, _, name in manifest.RULES] == [rule.__name__ for rule in RULES]
    assert tuple(command.name for command in ALL) == manifest.ELEMENTS


@pytest.mark.parametrize(
    "chosen",
    [
        LintSettings(),
        LintSettings(ignore=frozenset({"OZ1"}), extend_select=frozenset({"OZ102"})),
        LintSettings(select=frozenset({"OZ2", "OZ7", "OZ811"})),
        LintSettings(context=Context.ROUTING, ignore=frozenset({"OZ601"})),
    ],
)
def test_lazy_rules_are_the_active_rules(chosen: LintSettings) -> None:
    lazy = LazyRules(chosen)
    made = active_rules(chosen)
    assert [type(rule) for rule in lazy] == [type(rule) for rule in made]
    assert [type(rule) for rule in lazy[1:3]] == [type(rule) for rule in made[1:3]]
    assert type(lazy[-1]) is type(made[-1])
    for i, rule in enumerate(made):
        assert lazy.needs(i) == rule.needs
        assert lazy.needs_dollar(i) is rule.needs_dollar
        mask = lazy.applies(i, chosen.context)
        if lazy.kind(i) == "element":
            for bit, command in enumerate((*ALL, None)):
                assert bool(mask >> bit & 1) == rule.applies(command, chosen.context)
