"""One way to read answers: a file, a DataFrame or rows, checked for an instrument.

:func:`read_answers` is the door every other door goes through: the
``score`` and ``report`` commands, :func:`allykit.scoring.html_report` and
:func:`allykit.scoring.change` all read answers with it, so one file or
frame gives the same answers, the same errors and the same warnings
whichever way it comes in.

* **Sources.** A path to a CSV file (UTF-8, UTF-8 with a byte-order mark,
  or the ``encoding`` you name, such as ``"cp1252"`` for what Excel saves
  on Windows), a Parquet file (needs pyarrow or polars), ``"-"`` or a pipe
  (CSV, read once); a DataFrame of any library narwhals supports (extra
  ``frames``); or an iterable of mappings (rows).
* **Columns.** Columns named after item ids are items; ``columns`` maps
  item id -> column for the others. ``id_column`` names the respondent id.
  The housekeeping columns of REDCap (``redcap_*``, ``*_timestamp``,
  ``*_complete``, ...) and Qualtrics (``StartDate``, ``ResponseId``, ...,
  and the two extra header rows of its CSV files) exports are set aside by
  name (:data:`HOUSEKEEPING`); ``ignore`` sets aside others. Any other
  column is an error, never silently dropped.
* **Checks.** Every problem is reported at once, in one
  :class:`~allykit.errors.AnswersError`: the row, the column, the value
  and what to do (a long list ends with "... and N more"); misspelt names
  get a did-you-mean. ``invalid="missing"`` treats unusable answers as
  missing instead, and lists them in :attr:`Answers.problems`.
* **Bounds.** A CSV line longer than :data:`MAX_LINE_CHARS` is refused when
  it is seen, so a device such as ``/dev/zero`` is never read for ever.

>>> from allykit.catalog import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> answers = read_answers(
...     [{"who": "a", "ac-speak-up": 4, "ally_reflection_complete": 2}],
...     inventory,
...     id_column="who",
... )
>>> answers.ids, answers.rows[0]["ac-speak-up"], answers.ignored
(('a',), 4, ('ally_reflection_complete',))
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from allykit.errors import (
    AnswersError,
    DataFileError,
    InvalidArgumentError,
    Problem,
    short_repr,
)
from allykit.scoring._answer_file import (
    MAX_LINE_CHARS,
    AnswerFile,
    answer_cell,
    frame_value,
    parquet_engine,
    qualtrics_extra_rows,
)
from allykit.scoring._columns import (
    HOUSEKEEPING,
    INVALID_HINT,
    QUALTRICS_HOUSEKEEPING,
    REDCAP_HOUSEKEEPING,
    ColumnPlan,
    capped,
    duplicate_columns,
    plan_columns,
)

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._plan import Plan
    from allykit.scoring._score import InvalidPolicy

__all__ = [
    "HOUSEKEEPING",
    "MAX_LINE_CHARS",
    "QUALTRICS_HOUSEKEEPING",
    "REDCAP_HOUSEKEEPING",
    "AnswerFile",
    "Answers",
    "ColumnPlan",
    "answer_cell",
    "id_key",
    "parquet_engine",
    "plan_columns",
    "read_answers",
    "row_problems",
]


@attrs.frozen
class Answers:
    """Checked answers: one mapping of item id -> answer per row.

    Attributes:
        source: Where they were read from (a path, ``<frame>`` or ``<rows>``).
        rows: Item id -> answer per row (missing items left out; under
            ``invalid="missing"`` unusable answers are left out too).
        ids: The respondent ids, one per row (None without an id column).
        id_column: The id column, or None.
        columns: Item id -> the column it was read from.
        ignored: Columns set aside (housekeeping and ``ignore``).
        problems: Unusable answers treated as missing (``invalid="missing"``).
        unusable: Where those answers were: (row index, item id), one per
            problem that names an item, in the order of *problems*.
    """

    source: str
    rows: tuple[Mapping[str, Any], ...]
    ids: tuple[Any, ...] | None
    id_column: str | None
    columns: Mapping[str, str]
    ignored: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    unusable: tuple[tuple[int, str], ...] = ()

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.rows)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        """Iterate over the rows (item id -> answer)."""
        return iter(self.rows)

    def records(self, id_key: str = "id") -> list[dict[str, Any]]:
        """Return the rows with the respondent id under *id_key* (when there are ids).

        >>> Answers("<rows>", ({"a": 1},), ("p1",), "who", {"a": "a"}).records()
        [{'id': 'p1', 'a': 1}]
        """
        if self.ids is None:
            return [dict(row) for row in self.rows]
        return [
            {id_key: who, **row} for who, row in zip(self.ids, self.rows, strict=True)
        ]


def id_key(value: Any) -> str | None:
    """Return the key a respondent id pairs by; None for no id.

    Equal whole numbers are one id whatever their type: ``1``, ``1.0`` (what
    pandas makes of a column of ids with a gap) and the text ``"1"`` of a
    CSV file all pair. Other text is compared as written, trimmed.

    >>> id_key(1), id_key(1.0), id_key(" 1 "), id_key("007"), id_key(float("nan"))
    ('1', '1', '1', '007', None)
    """
    import math

    value = frame_value(value)
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return _digits(value)
    text = str(value).strip()
    return text or None


def _digits(value: int) -> str:
    """``str(value)``, also past Python's limit of 4,300 digits for ``str(int)``."""
    try:
        return str(value)
    except ValueError:
        import decimal

        return str(decimal.Decimal(value))  # exact, and not limited


def _checked_policy(invalid: object) -> bool:
    if invalid in ("raise", "error"):
        return True
    if invalid == "missing":
        return False
    msg = f"invalid must be 'raise' or 'missing', not {short_repr(invalid)}"
    raise InvalidArgumentError(msg)


def check_options(id_column: object, encoding: object) -> None:
    """Check the reader's ``id_column`` and ``encoding`` (every door that reads files).

    Raises:
        InvalidArgumentError: For an id column that is not a name, or an
            encoding that is not the name of one.
    """
    if id_column is not None and not isinstance(id_column, str):
        msg = f"id_column must be a column name, not {short_repr(id_column)}"
        raise InvalidArgumentError(msg)
    if encoding is not None and not isinstance(encoding, str):
        msg = f"encoding must be the name of an encoding, not {short_repr(encoding)}"
        raise InvalidArgumentError(msg)


def _columns_of(columns: object, source: str) -> Mapping[str, str] | None:
    """Return the ``columns`` map, reading it from a JSON file if a path."""
    if columns is None or isinstance(columns, Mapping):
        return columns
    if isinstance(columns, (str, os.PathLike)):
        from allykit.catalog._loading import parse_json, read_file

        if os.fspath(columns) == "-":
            msg = (
                "the columns map is read from a JSON file, not from standard "
                "input ('-'): save the map in a file and name that file"
            )
            raise InvalidArgumentError(msg)
        name, raw = read_file(columns)
        data = parse_json(raw, name)
        if not isinstance(data, Mapping) or not all(
            isinstance(v, str) for v in data.values()
        ):
            problem = Problem(
                path="",
                message="expected an object of item id -> column name",
                value=short_repr(data),
            )
            raise DataFileError(name, [problem])
        return data
    del source
    msg = (
        "columns must map item id -> column name, or be the path of such a "
        f"JSON file, not {short_repr(columns)}"
    )
    raise InvalidArgumentError(msg)


def read_answers(  # noqa: PLR0913 -- keyword-only options, each documented
    source: str | os.PathLike[str] | Iterable[Mapping[Any, Any]] | Any,
    instrument: Instrument,
    *,
    columns: Mapping[str, str] | str | os.PathLike[str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    encoding: str | None = None,
    invalid: InvalidPolicy = "raise",
) -> Answers:
    """Read answers for *instrument* from a file, a DataFrame or rows, checked.

    Args:
        source: A ``.csv`` or ``.parquet`` path (``"-"``: CSV on standard
            input), a DataFrame (pandas, polars, pyarrow, ... through
            narwhals) or an iterable of mappings.
        instrument: The instrument answered.
        columns: Item id -> column name, for columns not named after items
            (or the path of a JSON file holding that map).
        id_column: The column of respondent ids (its values are kept as
            they are, never scored).
        ignore: Other columns to set aside: names or :mod:`fnmatch`
            patterns such as ``"note_*"``.
        encoding: The text encoding of a CSV file; UTF-8 (with or without
            a byte-order mark) by default.
        invalid: ``"raise"`` (default) raises one error listing every
            unusable answer; ``"missing"`` treats them as missing and lists
            them in :attr:`Answers.problems`.

    Returns:
        The checked answers.

    Raises:
        AnswersError: Listing every problem at once: unknown or repeated
            columns, a missing id column, unreadable files, and (with
            ``invalid="raise"``) unusable answers by row and column.
        InvalidArgumentError: For options of the wrong type.

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> rows = [{"ac-speak-up": 7}, {"ac-speak-up": "maybe"}]
    >>> read_answers(rows, inventory)
    Traceback (most recent call last):
    ...
    allykit.errors.AnswersError: <rows>: 2 problems
      row 1, column 'ac-speak-up': not one of the choice values (1 to 5) (got 7); ...
      row 2, column 'ac-speak-up': not a label of this item's choices (got 'maybe'); ...
    """
    return _read(
        source,
        instrument,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
        encoding=encoding,
        invalid=invalid,
    )


def _read(  # noqa: PLR0913 -- read_answers()'s options, passed on
    source: Any,
    instrument: Instrument,
    *,
    columns: Any = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    encoding: str | None = None,
    invalid: str = "raise",
    id_required: bool = True,
) -> Answers:
    """:func:`read_answers`, with an id column that may be absent (*id_required*)."""
    from allykit.scoring._plan import plan_for
    from allykit.scoring._reliability import is_frame

    plan_for(instrument)  # an instrument that can be scored, or an allykit error
    raise_on_problems = _checked_policy(invalid)
    check_options(id_column, None)
    if isinstance(source, Answers):
        return source
    check_options(id_column, encoding)
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        mapping = _columns_of(columns, name)
        with AnswerFile(source, id_column=id_column, encoding=encoding) as file:
            plan = plan_columns(
                instrument,
                file.columns,
                source=name,
                columns=mapping,
                id_column=id_column,
                ignore=ignore,
                id_required=id_required,
            )
            numbered = [
                (f"row {n} (line {line})" if file.kind == "csv" else f"row {n}", row)
                for n, (line, row) in enumerate(file.rows(), start=1)
            ]
        return _checked(instrument, name, plan, numbered, raise_on_problems)
    mapping = _columns_of(columns, "")
    if is_frame(source):
        name = "<frame>"
        header, records = _frame_rows(source, id_column)
    else:
        name = "<rows>"
        header, records = _plain_rows(source)
    plan = plan_columns(
        instrument,
        header,
        source=name,
        columns=mapping,
        id_column=id_column,
        ignore=ignore,
        id_required=id_required,
    )
    numbered = [(f"row {n}", row) for n, row in enumerate(records, start=1)]
    return _checked(instrument, name, plan, numbered, raise_on_problems)


def _frame_rows(
    frame: Any, id_column: str | None = None
) -> tuple[list[Any], list[dict[str, Any]]]:
    try:  # lazy: the optional extra "frames"
        import narwhals.stable.v2 as nw
        from narwhals.exceptions import DuplicateError
    except ImportError:
        msg = "DataFrames need narwhals: pip install 'allykit-frameworks[frames]'"
        raise InvalidArgumentError(msg) from None
    try:
        wrapped = nw.from_native(frame)
        if isinstance(wrapped, nw.LazyFrame):
            wrapped = wrapped.collect()
        header = list(wrapped.columns)
        rows = [
            {k: frame_value(v) for k, v in row.items()}
            for row in wrapped.rows(named=True)
        ]
    except DuplicateError:
        raise duplicate_columns(frame) from None
    except TypeError:
        msg = (
            "expected a DataFrame of a library narwhals supports, "
            f"not {type(frame).__name__}"
        )
        raise InvalidArgumentError(msg) from None
    skipped = qualtrics_extra_rows(header, [list(r.values()) for r in rows[:2]])
    if skipped:
        # A Qualtrics CSV file read as it is: its extra header rows made every
        # column text, so its cells are read as the file's cells are.
        rows = [
            {
                k: answer_cell(v) if isinstance(v, str) and k != id_column else v
                for k, v in row.items()
            }
            for row in rows[skipped:]
        ]
    return header, rows


def _plain_rows(source: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    try:
        rows = list(source)
    except TypeError:
        msg = (
            "answers must be a file path, a DataFrame or an iterable of "
            f"mappings, not {type(source).__name__}"
        )
        raise InvalidArgumentError(msg) from None
    header: dict[Any, None] = {}
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            problems.append(
                Problem(
                    path=f"row {number}",
                    message="expected a mapping of column -> answer",
                    value=short_repr(row),
                )
            )
            continue
        header.update(dict.fromkeys(row))
        records.append({k: frame_value(v) for k, v in row.items()})
    if problems:
        source = "<rows>"
        raise AnswersError(source, capped(problems))
    return list(header), records


def row_problems(
    scoring: Plan,
    items: Mapping[str, str],
    record: Mapping[str, Any],
    label: str,
) -> tuple[dict[str, Any], list[Problem], list[str]]:
    """Check one row: its answers, a problem per unusable cell, and their items.

    The one place that words the problem of an unusable answer: every door
    (files, rows, and the frame functions for the few rows they collect)
    calls it, so the same cell gets the same path, message and hint.

    Args:
        scoring: The instrument's plan (:func:`allykit.scoring._plan.plan_for`).
        items: Item id -> the column holding it.
        record: Column -> cell of one row (blanks None).
        label: Where the row is, such as ``"row 3"``.

    Returns:
        Item id -> answer (blanks and unusable answers left out), the
        problems (path ``"<label>, column '<column>'"``) and the items of
        the unusable answers, in the order of the problems.
    """
    from allykit.scoring._plan import resolve

    answers = {
        item: record.get(column)
        for item, column in items.items()
        if record.get(column) is not None
    }
    _, found = resolve(scoring, answers, raise_on_problems=False)
    problems: list[Problem] = []
    bad: list[str] = []
    for problem in found:
        item = _item_of(problem.path, items)
        column = items.get(item, "") if item else ""
        problems.append(
            attrs.evolve(
                problem,
                path=f"{label}, column {column!r}" if column else label,
                hint=problem.hint or INVALID_HINT,
            )
        )
        if item is not None:
            answers.pop(item, None)
            bad.append(item)
    return answers, problems, bad


def _item_of(path: str, items: Mapping[str, str]) -> str | None:
    """The item id in a problem path ``responses['<item>']``, or None."""
    prefix, suffix = "responses[", "]"
    if path.startswith(prefix) and path.endswith(suffix):
        import ast

        try:
            item = ast.literal_eval(path[len(prefix) : -len(suffix)])
        except (ValueError, SyntaxError):
            return None
        return item if isinstance(item, str) and item in items else None
    return None


def _checked(
    instrument: Instrument,
    source: str,
    plan: ColumnPlan,
    numbered: list[tuple[str, dict[str, Any]]],
    raise_on_problems: bool,
) -> Answers:
    """Resolve every row; list every unusable answer by row and column."""
    from allykit.scoring._plan import plan_for

    scoring = plan_for(instrument)
    problems: list[Problem] = []
    unusable: list[tuple[int, str]] = []
    rows: list[Mapping[str, Any]] = []
    ids: list[Any] = []
    first: int | None = None
    for index, (label, record) in enumerate(numbered):
        answers, found, bad = row_problems(scoring, plan.items, record, label)
        if found and first is None:
            first = index
        problems.extend(found)
        unusable.extend((index, item) for item in bad)
        rows.append(answers)
        if plan.id_column is not None:
            ids.append(record.get(plan.id_column))
    if problems and raise_on_problems:
        raise AnswersError(source, capped(problems), row=first)
    return Answers(
        source=source,
        rows=tuple(rows),
        ids=tuple(ids) if plan.id_column is not None else None,
        id_column=plan.id_column,
        columns=dict(plan.items),
        ignored=plan.ignored,
        problems=tuple(problems),
        unusable=tuple(unusable),
    )


def answers_path(source: object) -> Path | None:
    """The file *source* names, or None for frames and rows."""
    if isinstance(source, (str, os.PathLike)) and os.fspath(source) != "-":
        return Path(source)
    return None
