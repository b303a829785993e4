"""Answers about an element that depend only on its shape: its name and its attributes' names
as written. A document repeats a few shapes (every ``<Speak Language=...>`` is one), so the
formatter and the writer work such answers out once per shape, not once per element."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from ozml.nodes import Element

T = TypeVar("T")

#: Shapes remembered by one `ShapeMemo` before it empties itself and starts again.
KEPT = 4096
#: An element with more attributes than this is answered without being remembered: its shape
#: would be a large key that few other elements share.
KEPT_ATTRIBUTES = 64


class ShapeMemo(Generic[T]):
    """`work(name, attribute names)`, remembered per shape (`KEPT` shapes at most)."""

    __slots__ = ("_known", "_work")

    def __init__(self, work: Callable[[str, tuple[str, ...]], T]) -> None:
        self._work = work
        self._known: dict[tuple[str, ...], T] = {}

    def __call__(self, element: Element) -> T:
        written = element.attributes
        if len(written) > KEPT_ATTRIBUTES:
            return self._work(element.tag, tuple([attr.name for attr in written]))
        shape = (element.tag, *[attr.name for attr in written])
        known = self._known
        if shape in known:
            return known[shape]
        answer = self._work(shape[0], shape[1:])
        if len(known) >= KEPT:
            known.clear()
        known[shape] = answer
        return answer


__all__ = ["KEPT", "KEPT_ATTRIBUTES", "ShapeMemo"]
