"""`ozml.record.Record`: the immutable records of the catalog, settings and configuration."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from ozml.catalog import ALL, Context, Param
from ozml.catalog.model import ValueType, stated
from ozml.config import Config
from ozml.lint import LintSettings
from ozml.record import Record
from ozml.severity import Severity


class Pair(Record):
    left: int
    right: tuple[str, ...]
    note: str

    _UNCOMPARED = frozenset({"note"})

    def __init__(self, left: int, right: list[str] | tuple[str, ...] = (), note: str = "") -> None:
        right = tuple(right)
        self._assign(locals())


def test_the_fields_are_the_parameters_of_init_in_order() -> None:
    assert Pair._FIELDS == ("left", "right", "note")
    assert Pair._COMPARED == ("left", "right")
    assert Param._FIELDS[:4] == ("name", "type", "doc", "source")
    assert "warnings" in Config._FIELDS
    assert "warnings" not in Config._COMPARED


def test_init_has_no_locals_but_its_fields() -> None:
    # `_assign` takes every local of __init__ as a field: another local is refused at once.
    with pytest.raises(
        TypeError, match=r"Scratch.__init__ has locals that are not fields: \['doubled'\]"
    ):

        class Scratch(Record):
            def __init__(self, value: int) -> None:
                doubled = value * 2
                value = doubled
                self._assign(locals())

    with pytest.raises(
        TypeError, match=r"Closure.__init__ has locals that are not fields: \['__class__'\]"
    ):

        class Closure(Record):
            def __init__(self, value: int) -> None:
                super().__init__()
                self._assign(locals())

    assert Pair(1, ["a"]).__dict__ == {"left": 1, "right": ("a",), "note": ""}


def test_a_record_cannot_be_changed() -> None:
    pair = Pair(1, ["a"])
    with pytest.raises(AttributeError, match="Pair is immutable"):
        pair.left = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del pair.left
    with pytest.raises(AttributeError):
        pair.other = 3  # type: ignore[attr-defined]
    assert pair.left == 1


def test_equality_and_hashing_read_the_compared_fields() -> None:
    assert Pair(1, ["a"], "x") == Pair(1, ("a",), "y")
    assert hash(Pair(1, ["a"], "x")) == hash(Pair(1, ("a",), "y"))
    assert Pair(1, ["a"]) != Pair(1, ["b"])
    assert Pair(1) != (1, ())  # never equal to a tuple of its fields
    assert len({Pair(1), Pair(1), Pair(2)}) == 2


def test_replace_makes_a_changed_copy_through_init() -> None:
    pair = Pair(1, ["a"], "x")
    changed = pair.replace(right=["b", "c"])
    assert changed == Pair(1, ("b", "c"), "x")
    assert changed.right == ("b", "c")
    assert pair.right == ("a",)
    with pytest.raises(TypeError, match="Pair has no field 'middle'"):
        pair.replace(middle=2)


def test_repr_shows_every_field() -> None:
    assert repr(Pair(1, ["a"], "x")) == "Pair(left=1, right=('a',), note='x')"


def test_records_survive_pickle_and_copy() -> None:
    settings = LintSettings(select=["oz2 "], severities={"OZ201": Severity.INFO})
    for command in ALL[:5]:
        assert pickle.loads(pickle.dumps(command)) == command
    again = pickle.loads(pickle.dumps(settings))
    assert again.select == frozenset({"OZ2"})
    assert again.severities == {"OZ201": Severity.INFO}
    assert copy.copy(settings).select == settings.select
    assert copy.deepcopy(Config(Path("ozml.toml"), warnings=("w",))).warnings == ("w",)


def test_lint_settings_convert_on_every_construction() -> None:
    settings = LintSettings(select=[" oz201", ""], ignore=("oz3",), templates=["php"])
    assert settings.select == frozenset({"OZ201"})
    assert settings.ignore == frozenset({"OZ3"})
    assert settings.templates == frozenset({"php"})
    assert settings.severities == {}
    assert LintSettings().severities is not settings.severities
    changed = settings.replace(extend_select=["oz4 "], context=Context.EXTENSION)
    assert changed.extend_select == frozenset({"OZ4"})
    assert changed.select == settings.select
    assert changed.context is Context.EXTENSION
    assert settings.context is Context.ANY


def test_a_catalog_parameter_answers_its_cached_facts_after_replace() -> None:
    param = Param("Party", ValueType.PARTY, "who hears it", "oz4692")
    assert param.all_names == ("Party",)
    retyped = param.replace(type_basis=stated("hu7644"))
    assert retyped.typed.sources == ("hu7644",)
    assert param.typed.sources == ("oz4692",)
    assert retyped.all_names == ("Party",)
    assert retyped != param
