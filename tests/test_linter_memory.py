"""The linter's memory of what it found clean (`ozml.lint.linter.CleanMemory`) stays within its
bounds however many new shapes, contents and values it meets, and the findings stay those of
the rules' own walks once it is full."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from ozml.lint import LintSettings
from ozml.lint import linter as linter_module
from ozml.parser import parse

KEPT = 16


def documents(count: int) -> Iterator[bytes]:
    """Documents that keep bringing new shapes (element names in ever other letter cases),
    contents (texts) and attribute values (URLs, keys, durations)."""
    rng = random.Random(5)
    for i in range(count):
        tag = "".join(c.upper() if rng.random() < 0.5 else c for c in "record")
        yield (
            f'<Response><{tag} Format="mp3" Duration="{i}"'
            f' FinishedUrl="http://app.example.com/r.php?id={i}"/>'
            f'<SendDTMF Party="callee" Keys="{i}"/><Delay>{i if i % 5 else "x"}</Delay>'
            f"<Speak>{'word ' * (i % 40)}</Speak></Response>"
        ).encode()


@pytest.fixture
def small_memory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(linter_module, "_CLEAN_KEPT", KEPT)
    linter_module._PLANS.clear()
    yield
    linter_module._PLANS.clear()  # plans made with the small bound are not used again


@pytest.mark.usefixtures("small_memory")
def test_the_memory_of_clean_elements_stays_within_its_bounds() -> None:
    settings = LintSettings()
    found = 0
    for data in documents(400):
        parsed = parse(data)
        fused = linter_module.lint_result(parsed, settings)
        assert fused == linter_module.lint_result(parsed, settings, walk=True), data
        found += len(fused)
    assert found > 400  # the documents hold findings, which are never kept
    cleans = [clean for plan in linter_module._PLANS.values() for clean in plan._clean.values()]
    assert cleans
    for clean in cleans:
        # Each has met more than it keeps, and keeps no more than its bound.
        assert len(clean.shapes) == KEPT
        assert len(clean.contents) == KEPT
        assert len(clean.values) == KEPT
        assert clean.kept_values == KEPT
        assert sum(map(len, clean.values.values())) == clean.kept_values
    assert not linter_module._UNKEPT  # what keeps nothing stays empty


def test_a_shape_keeps_only_the_hooks_that_found_something() -> None:
    """Each shape hook finds the same in every element of a shape: once it has found nothing
    in one, it does not run on the others, while the hooks that found something run on each
    (their findings are never kept). An element written ``speak`` with an unknown attribute
    is found by two shape rules each time it comes, the others run once."""
    linter_module._PLANS.clear()
    settings = LintSettings()
    data = b"<Response>\n" + b'  <speak Foo="1">Hi</speak>\n' * 3 + b"</Response>\n"
    for _ in range(2):  # the second document meets the shape known already
        parsed = parse(data)
        fused = linter_module.lint_result(parsed, settings)
        assert fused == linter_module.lint_result(parsed, settings, walk=True)
        assert sorted({d.code for d in fused}) == ["OZ103", "OZ303"]
        assert len(fused) == 6
    (plan,) = [plan for plan in linter_module._PLANS.values() if plan._clean]
    (clean,) = plan._clean.values()
    (known,) = [k for shape, k in clean.shapes.items() if shape[0] == "speak"]
    assert sorted(plan.rules[i].code for i, _ in known.shape) == ["OZ103", "OZ303"]
    linter_module._PLANS.clear()
