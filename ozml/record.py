"""Immutable records for what ``ozml check`` reads on every start: the catalog, the settings, the
configuration; and for the linter's own values (suppression comments, template parts, variable
uses and definitions), which a run with a finding defines.

The document model is made of attrs classes (DESIGN.md). The classes a clean run needs are
not: importing attrs and generating the methods of its classes cost about 20 ms, more than
everything else ozml does for one clean file (cold start, docs/performance.md). Nor are the
findings (`ozml.diagnostics`), which a run with a finding makes without building a tree, nor
the other classes of such a run, each of which would cost it about half a millisecond.
A `Record` subclass writes its ``__init__`` by hand; its fields are the parameters of that
``__init__``, in order, so there is one list of them. That ``__init__`` ends with
``self._assign(locals())`` and has no other local name (a conversion assigns to the parameter
itself): its locals are then its fields and ``self``, which `_assign` copies at once (the
catalog makes hundreds of records on every start). A record cannot be changed once made;
`replace` makes a changed copy (through ``__init__``, so that its conversions run again);
equality, hashing and ``repr`` read the fields, less those named in ``_UNCOMPARED``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self


class Record:
    """Base of an immutable record; see the module's documentation."""

    #: The fields: the parameters of ``__init__``, in order (set for each subclass).
    _FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Fields left out of equality and hashing (set by a subclass).
    _UNCOMPARED: ClassVar[frozenset[str]] = frozenset()
    #: The compared fields (worked out for each subclass).
    _COMPARED: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__init__.__code__
        cls._FIELDS = code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]
        cls._COMPARED = tuple(name for name in cls._FIELDS if name not in cls._UNCOMPARED)
        others = {*code.co_varnames, *code.co_cellvars, *code.co_freevars}
        others.difference_update(cls._FIELDS, ("self",))
        if others:
            raise TypeError(
                f"{cls.__name__}.__init__ has locals that are not fields: {sorted(others)}"
            )

    def _assign(self, values: dict[str, Any]) -> None:
        """Set every field from `values` (an ``__init__``'s ``locals()``, after conversions):
        its fields and ``self``, nothing else (`__init_subclass__` holds it so)."""
        fields = self.__dict__
        fields.update(values)
        del fields["self"]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: use replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple[Any, ...]:
        fields = self.__dict__
        return tuple(fields[name] for name in self._COMPARED)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.__class__, self._key()))

    def __repr__(self) -> str:
        fields = self.__dict__
        shown = ", ".join(f"{name}={fields[name]!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes` (field names), made by ``__init__``."""
        names = self._FIELDS
        values = dict(zip(names, map(self.__dict__.__getitem__, names), strict=True))
        if not changes.keys() <= values.keys():
            unknown = sorted(changes.keys() - values.keys())[0]
            raise TypeError(f"{type(self).__name__} has no field {unknown!r}")
        values.update(changes)
        return type(self)(**values)


__all__ = ["Record"]
