"""Imported answers kept compactly: one code array per item, rows built on demand.

A dict per respondent costs some 30-40 bytes per answer, more than the
export itself holds for a one-digit answer and its comma; an import that
kept one (as importers did) peaked at 16 times an answer-only export. Here
each item keeps its distinct values once (its *levels*; level 0 is a
missing answer) and one small integer per respondent (an :mod:`array`
of 1, 2 or 4 bytes, widened as levels are added), so the answers of an
export cost about a byte each. :class:`ResponseRows` reads like the tuple
of dicts it replaces: a sequence whose items are fresh ``dict`` objects,
built when asked for, equal to a tuple of the same dicts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

__all__ = ["ColumnBuilder", "ResponseRows"]

#: Distinct values indexed per column; past this many (free text), each new
#: value is kept as it comes, without an index entry.
MAX_INDEXED = 4096

# Array type codes by the largest level they hold.
_WIDTHS = (("B", 0xFF), ("H", 0xFFFF), ("I", 0xFFFF_FFFF), ("Q", 2**64 - 1))


def _key(value: Any) -> tuple[type, Any] | None:
    """The index key of *value*: its type too (1, 1.0 and True stay apart).

    A float by its exact bits, so that -0.0 stays apart from 0.0.
    """
    if type(value) is float:
        return (float, value.hex())
    try:
        hash(value)
    except TypeError:  # a list (a checkbox answer): kept as it comes
        return None
    return (type(value), value)


class ColumnBuilder:
    """One item's answers as they are read: levels and one code per row.

    >>> column = ColumnBuilder()
    >>> for value in ["4", None, "4", "5"]:
    ...     column.add(value)
    >>> column.levels, column.codes.tolist()
    ([None, '4', '5'], [1, 0, 1, 2])
    """

    __slots__ = ("_index", "_limit", "_texts", "codes", "levels")

    def __init__(self) -> None:
        self.levels: list[Any] = [None]
        self.codes: array[int] = array("B")
        self._limit = 0xFF
        self._index: dict[tuple[type, Any], int] | None = {}
        self._texts: dict[str, int] | None = {}

    def add_text(self, text: str | None) -> None:
        """Append one row's answer read as text (a CSV cell; None: missing).

        The same as :meth:`add` for a column that holds only text, faster.
        """
        if text is None:
            self.codes.append(0)
            return
        texts = self._texts
        code = None if texts is None else texts.get(text)
        if code is None:
            code = len(self.levels)
            self.levels.append(text)
            if texts is not None:
                texts[text] = code
                if len(texts) >= MAX_INDEXED:
                    self._texts = None  # free text: stop indexing
            if code > self._limit:
                self._widen(code)
        self.codes.append(code)

    def add(self, value: Any) -> None:
        """Append one row's answer (None: missing)."""
        if value is None:
            self.codes.append(0)
            return
        index = self._index
        key = None if index is None else _key(value)
        code = None if key is None or index is None else index.get(key)
        if code is None:
            code = len(self.levels)
            self.levels.append(value)
            if key is not None and index is not None:
                index[key] = code
                if len(index) >= MAX_INDEXED:
                    self._index = None  # free text: stop indexing
            if code > self._limit:
                self._widen(code)
        self.codes.append(code)

    def _widen(self, code: int) -> None:
        typecode, limit = next(w for w in _WIDTHS if w[1] >= code)
        self.codes = array(typecode, self.codes)
        self._limit = limit

    def count(self, level: int) -> int:
        """How many rows hold *level*."""
        return self.codes.count(level)

    def first(self, levels: Sequence[int]) -> int:
        """The first row holding one of *levels* (which must occur)."""
        found = [self.codes.index(level) for level in levels if level in self.codes]
        return min(found)


class ResponseRows(Sequence[dict[str, Any]]):
    """The rows of an import: a sequence of fresh dicts, one per respondent.

    Reads like the tuple of dicts it stands for (and equals one), while
    holding each item's answers compactly; every access builds a new dict,
    so editing it never changes the import (a value that is itself a list,
    a SurveyJS checkbox answer, is the one object the import holds: copy it
    before changing it). :meth:`column` gives one item's answers without
    building rows.

    >>> rows = ResponseRows.from_columns({"a": [4, None], "b": ["x", "x"]})
    >>> rows
    ({'a': 4, 'b': 'x'}, {'a': None, 'b': 'x'})
    >>> rows[1], len(rows), rows == ({"a": 4, "b": "x"}, {"a": None, "b": "x"})
    ({'a': None, 'b': 'x'}, 2, True)
    >>> rows.column("b")
    ['x', 'x']
    """

    __slots__ = ("_codes", "_items", "_length", "_levels")

    def __init__(
        self,
        items: Sequence[str],
        levels: Sequence[Sequence[Any]],
        codes: Sequence[array[int]],
        length: int,
    ) -> None:
        self._items = tuple(items)
        self._levels = tuple(tuple(column) for column in levels)
        self._codes = tuple(codes)
        self._length = length

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]]) -> ResponseRows:
        """Build from ``{item: values}`` (all of one length)."""
        builders = {item: ColumnBuilder() for item in columns}
        length = 0
        for item, values in columns.items():
            for value in values:
                builders[item].add(value)
            length = len(values)
        return cls.from_builders(builders, length)

    @classmethod
    def from_builders(
        cls, builders: Mapping[str, ColumnBuilder], length: int
    ) -> ResponseRows:
        """Build from one finished :class:`ColumnBuilder` per item."""
        return cls(
            list(builders),
            [b.levels for b in builders.values()],
            [b.codes for b in builders.values()],
            length,
        )

    def __len__(self) -> int:
        """Return the number of rows."""
        return self._length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[dict[str, Any], ...]: ...

    def __getitem__(
        self, index: int | slice
    ) -> dict[str, Any] | tuple[dict[str, Any], ...]:
        """Return row *index* as a new dict (a slice: a tuple of them)."""
        if isinstance(index, slice):
            return tuple(self._row(i) for i in range(*index.indices(self._length)))
        position = range(self._length)[index]  # IndexError and negatives
        return self._row(position)

    def _row(self, position: int) -> dict[str, Any]:
        return {
            item: levels[codes[position]]
            for item, levels, codes in zip(
                self._items, self._levels, self._codes, strict=True
            )
        }

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Yield each row as a new dict, in order."""
        items, levels = self._items, self._levels
        for codes in zip(*self._codes, strict=True):
            yield {
                item: column[code]
                for item, column, code in zip(items, levels, codes, strict=True)
            }
        if not items:
            for _ in range(self._length):
                yield {}

    def column(self, item: str) -> list[Any]:
        """Return the answers to *item*, one per row (KeyError if not an item)."""
        at = self._items.index(item) if item in self._items else -1
        if at < 0:
            raise KeyError(item)
        levels = self._levels[at]
        return [levels[code] for code in self._codes[at]]

    def __eq__(self, other: object) -> bool:
        """Equal to another's rows, or to a tuple of the same dicts."""
        if isinstance(other, ResponseRows | tuple):
            return len(self) == len(other) and all(
                a == b for a, b in zip(self, other, strict=True)
            )
        return NotImplemented

    # Unhashable, as a tuple of dicts is.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """Return the repr of the tuple of rows."""
        return repr(tuple(self))
