"""`ozml.shapes.ShapeMemo`: answers worked out once per element shape (its name and its
attributes' names as written), bounded."""

from __future__ import annotations

from ozml import shapes
from ozml.nodes import Attribute, Element


def _element(tag: str, *names: str, value: str = "v") -> Element:
    return Element(tag, tuple(Attribute(name, value) for name in names))


def test_an_answer_is_worked_out_once_per_shape() -> None:
    asked: list[tuple[str, tuple[str, ...]]] = []

    def work(tag: str, names: tuple[str, ...]) -> int:
        asked.append((tag, names))
        return len(names)

    memo = shapes.ShapeMemo(work)
    assert memo(_element("Speak", "Language")) == 1
    assert memo(_element("Speak", "Language", value="other")) == 1  # same shape, other value
    assert memo(_element("Speak", "language")) == 1  # names as written: another shape
    assert memo(_element("Play")) == 0
    assert asked == [("Speak", ("Language",)), ("Speak", ("language",)), ("Play", ())]


def test_it_starts_again_when_full_and_never_keeps_a_large_element() -> None:
    asked: list[str] = []

    def work(tag: str, names: tuple[str, ...]) -> str:
        asked.append(tag)
        return tag

    memo = shapes.ShapeMemo(work)
    for i in range(shapes.KEPT + 1):
        memo(_element(f"E{i}"))
    assert len(memo._known) == 1  # emptied at KEPT shapes, then the last one kept
    large = _element("Call", *(f"a{i}" for i in range(shapes.KEPT_ATTRIBUTES + 1)))
    asked.clear()
    assert memo(large) == memo(large) == "Call"
    assert asked == ["Call", "Call"]  # worked out each time, never remembered
    assert len(memo._known) == 1
