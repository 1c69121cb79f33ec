"""Reading a frame for :mod:`allykit.scoring.frames`: columns, types, bad answers.

Private. Every problem is an allykit error that names the column, the
offending values and what to do; nothing here raises a narwhals or engine
error at the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError, Problem, short_repr
from allykit.scoring.frames._rules import ItemExprs, resolve_number, resolve_text

if TYPE_CHECKING:
    from allykit.errors import AnswersError
    from allykit.scoring._plan import ItemPlan, Plan

__all__ = [
    "FIRST_OFFENDERS",
    "MISSING_COLUMN",
    "ROW",
    "absent_columns",
    "column_map",
    "load_narwhals",
    "nan_is_null_columns",
    "numbered",
    "offenders",
    "object_code",
    "refused",
    "resolve_code",
    "settle_objects",
    "resolve_items",
    "schema_of",
    "type_problem",
    "wrap",
]

#: How many unknown item names or repeated answers a long-input error names.
FIRST_OFFENDERS = 5

# The all-null column that stands for items the frame does not have.
MISSING_COLUMN = "__allykit_missing__"


def load_narwhals() -> Any:
    try:
        import narwhals.stable.v2 as nw  # lazy: an optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        msg = 'score_frame needs narwhals: pip install "allykit-frameworks[frames]"'
        raise InvalidArgumentError(msg) from None
    return nw


def wrap(nw: Any, frame: object) -> Any:
    if isinstance(frame, (nw.DataFrame, nw.LazyFrame)):
        return frame
    from narwhals.exceptions import DuplicateError

    from allykit.scoring._columns import duplicate_columns

    try:
        return nw.from_native(frame)
    except DuplicateError:
        raise duplicate_columns(frame) from None
    except TypeError:
        msg = (
            "frame must be a DataFrame or lazy frame of a library narwhals "
            "supports (pandas, polars, pyarrow, Dask, DuckDB, ...), "
            f"got {type(frame).__name__}"
        )
        raise InvalidArgumentError(msg) from None


def schema_of(frame: Any) -> dict[str, Any]:
    return dict(frame.collect_schema())


def absent_columns(schema: Mapping[str, Any], names: Iterable[str]) -> list[Problem]:
    """Return one problem per name in *names* that is not a column of *schema*."""
    return [
        Problem(path=f"column {name!r}", message="the frame has no such column")
        for name in names
        if name not in schema
    ]


def column_map(  # noqa: PLR0913 -- the header's facts and the reader's options
    plan: Plan,
    columns: object,
    present: Iterable[str],
    id_column: str | None,
    ignore: Iterable[str] = (),
    *,
    source: str = "<frame>",
) -> dict[str, str]:
    """Return item id -> column name for the items the frame holds.

    The reader's rules for a header (:func:`allykit.scoring.answers.plan_columns`):
    columns named after items count, ``columns`` maps the others, the
    housekeeping columns of REDCap and Qualtrics and the ``ignore`` ones are
    set aside, a missing id column is named, and every other column is an
    error with a did-you-mean, in the same words as ``read_answers``.
    """
    from allykit.scoring._columns import plan_header

    if columns is not None and not isinstance(columns, Mapping):
        msg = (
            "columns must map item id -> column name (both text), "
            f"not {short_repr(columns)}"
        )
        raise InvalidArgumentError(msg)
    found = plan_header(
        plan.keys,
        list(present),
        source=source,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
    )
    return found.items


def nan_is_null_columns(nw: Any, frame: Any) -> set[str]:
    """Columns whose NaN already is null: NumPy floats of pandas-like or Dask frames."""
    implementation = frame.implementation
    if not (implementation.is_pandas_like() or implementation.is_dask()):
        return set()
    dtypes = nw.to_native(frame).dtypes
    return {
        str(name)
        for name, dtype in dtypes.items()
        if type(dtype).__module__.startswith("numpy")
        and getattr(dtype, "kind", "") == "f"
    }


def resolve_items(  # noqa: PLR0913 -- the frame's facts, passed on
    nw: Any,
    plan: Plan,
    mapping: Mapping[str, str],
    schema: Mapping[str, Any],
    *,
    labels: bool,
    nan_is_null: set[str] | None = None,
    numeric_text: bool = False,
    coded: Mapping[str, str] | None = None,
) -> list[ItemExprs]:
    """Resolve every item of *plan* from its column (or from none: all blank).

    Numbers and (with *labels*) text are resolved by the scoring rules; a
    column of another type (booleans, dates, ...) holds no answer, so each
    of its cells that is not blank is unusable, as each such value is for
    ``read_answers``. With *numeric_text*, text that reads as a number is
    that number, as in a CSV file (a frame whose types were lost, such as a
    Qualtrics export read with its extra header rows). Items in *coded*
    (item id -> code column, see :func:`settle_objects`) are read from
    their code column.
    """
    from allykit.errors import ResponseError

    plain_nan = nan_is_null or set()
    items: list[ItemExprs] = []
    problems: list[Problem] = []
    for item in plan.items:
        column_name = mapping.get(item.id)
        if column_name is None:
            # A real (all-null) column, not a literal: some engines (Dask)
            # cannot align expressions built from literals alone.
            items.append(
                resolve_number(nw, nw.col(MISSING_COLUMN), item, dtype=nw.Float64())
            )
            continue
        dtype = schema[column_name]
        column = nw.col(column_name)
        if coded and item.id in coded:
            items.append(resolve_code(nw, nw.col(coded[item.id]), item))
        elif dtype.is_numeric() and dtype != nw.Boolean:
            items.append(
                resolve_number(
                    nw, column, item, dtype=dtype, nan_is_null=column_name in plain_nan
                )
            )
        elif categorical(nw, dtype):
            # A lazy frame's categories (an eager frame's are settled value
            # by value): polars' are text, read as the labels they are.
            if not labels:
                problems.append(type_problem(column_name, dtype, labels=labels))
                continue
            text = column.cast(nw.String)
            items.append(resolve_text(nw, text, item, numeric_text=numeric_text))
        elif dtype == nw.String and labels:
            items.append(resolve_text(nw, column, item, numeric_text=numeric_text))
        elif dtype in (nw.String, nw.Object):
            problems.append(type_problem(column_name, dtype, labels=labels))
        else:
            items.append(refused(nw, column))
    if problems:
        raise ResponseError(problems)
    return items


def categorical(nw: Any, dtype: Any) -> bool:
    """Tell whether *dtype* is categorical (pandas ``category``, polars ``Enum``)."""
    return bool(dtype in (nw.Categorical, nw.Enum))


def settle_objects(
    nw: Any, frame: Any, plan: Plan, mapping: Mapping[str, str]
) -> tuple[Any, dict[str, str]]:
    """Resolve the items held in columns of Python objects, value by value.

    A pandas column of mixed objects (numbers and text, as built by hand)
    has no vectorised rule, nor has a categorical column (pandas categories
    may be numbers or text); in an eager frame its values are resolved one
    by one, by the rules of :func:`allykit.scoring.score`, into a code
    column (the choice value; +inf for "does not apply"; -inf for an
    unusable answer; null for a blank), so it is read as ``read_answers``
    reads it. Lazy frames keep the column as it is (refused by type).

    Returns:
        The frame with the code columns, and item id -> code column.
    """
    if not isinstance(frame, nw.DataFrame):
        return frame, {}
    schema = frame.collect_schema()
    series: list[Any] = []
    coded: dict[str, str] = {}
    for item in plan.items:
        column = mapping.get(item.id)
        if column is None or not (
            schema[column] == nw.Object or categorical(nw, schema[column])
        ):
            continue
        name = f"__allykit_object{len(coded)}__"
        values = [object_code(item, v) for v in frame.get_column(column).to_list()]
        series.append(
            nw.new_series(name, values, nw.Float64(), backend=frame.implementation)
        )
        coded[item.id] = name
    if series:
        frame = frame.with_columns(*series)
    return frame, coded


def object_code(item: ItemPlan, value: Any) -> float | None:
    """The code of one answer: its choice value, +inf N/A, -inf unusable, None blank.

    The branches of :func:`allykit.scoring._plan.resolve`, in its order.
    """
    import math

    from allykit.scoring._answer_file import frame_value
    from allykit.scoring._plan import NA, _slow_value

    value = frame_value(value)
    if value is None:
        return None
    kind = type(value)
    if (kind is int or kind is float) and value in item.values:
        return float(value)
    if kind is str and value in item.labels:
        return float(item.labels[value])
    if kind is str and value in item.na_labels:
        return math.inf
    resolved, trouble = _slow_value(item, value)
    if trouble is not None:
        return -math.inf
    return math.inf if resolved is NA else float(resolved)


def resolve_code(nw: Any, code: Any, item: ItemPlan) -> ItemExprs:
    """An item read from its code column (see :func:`settle_objects`)."""
    import math

    present = ~code.is_null()
    value = nw.when((code != math.inf) & (code != -math.inf)).then(code)
    na = (code == math.inf).fill_null(value=False)
    bad = (code == -math.inf).fill_null(value=False)
    never = not (item.na_labels or item.na_values)
    return ItemExprs(value, na, bad, present=present, na_never=never)


def refused(nw: Any, column: Any) -> ItemExprs:
    """A column of a type that holds no answer: every cell given is unusable."""
    present = ~column.is_null()
    return ItemExprs(
        nw.col(MISSING_COLUMN),
        nw.lit(value=False),
        present,
        present=present,
        na_never=True,
    )


def type_problem(column: str, dtype: Any, *, labels: bool) -> Problem:
    hint = "cast it to numbers (a float type if it is all empty)"
    if labels:
        hint += " or to text labels"
    message = f"a column of {dtype} cannot hold answers"
    if str(dtype) == "Object":
        message += " (it mixes types)"
    return Problem(path=f"column {column!r}", message=message, hint=hint)


def numbered(nw: Any, frame: Any, name: str) -> tuple[Any, bool]:
    """Return *frame* with its 0-based row number as column *name*, if it has one.

    Eager frames and lazy polars frames keep their rows in order; other
    lazy engines (DuckDB, Dask, Spark) promise no order, so their rows are
    named by id instead (False).
    """
    if isinstance(frame, nw.DataFrame):
        return frame.with_row_index(name), True
    if frame.implementation.is_polars():
        return nw.from_native(nw.to_native(frame).with_row_index(name)), True
    return frame, False


def offenders(  # noqa: PLR0913 -- the frame's facts, passed on
    nw: Any,
    frame: Any,
    plan: Plan,
    mapping: Mapping[str, str],
    id_column: str | None,
    *,
    source: str = "<frame>",
    numeric_text: bool = False,
) -> AnswersError | None:
    """The reader's error for the unusable answers of *frame*, or None.

    *frame* holds the ``__bad`` flag column (0 or 1) of every mapped item.
    Only the count of unusable answers and the first rows holding them
    (as many as an error shows) are collected; each of their cells is
    worded by :func:`allykit.scoring.answers.row_problems`, the words of
    ``read_answers``, so a frame and the same table as rows or a file give
    the same problems (``row 3, column 'q1'``, 1-based) and the same
    ``... and N more``. With *numeric_text* (a Qualtrics export read as it
    is), text cells are read as a CSV file's cells are.
    """
    from allykit.errors import AnswersError
    from allykit.scoring._answer_file import answer_cell, frame_value
    from allykit.scoring._columns import SHOWN, capped
    from allykit.scoring.answers import row_problems

    checked = [i for i, item in enumerate(plan.items) if item.id in mapping]
    if not checked:
        return None
    counts = frame.select(*[nw.col(f"__bad{i}").sum().alias(f"n{i}") for i in checked])
    if isinstance(counts, nw.LazyFrame):
        counts = counts.collect()
    total = int(sum(v or 0 for v in counts.row(0)))
    if not total:
        return None
    any_bad = nw.sum_horizontal(*[nw.col(f"__bad{i}") for i in checked]) > 0
    indexed, ordered = numbered(nw, frame, ROW)
    keep = list(
        dict.fromkeys(
            [
                *([ROW] if ordered else []),
                *([id_column] if id_column else []),
                *mapping.values(),
            ]
        )
    )
    first = indexed.filter(any_bad).select(*keep).head(SHOWN)
    if isinstance(first, nw.LazyFrame):
        first = first.collect()
    problems: list[Problem] = []
    first_row: int | None = None
    for row in first.rows(named=True):
        record = {k: frame_value(v) for k, v in row.items()}
        if numeric_text:
            record = {
                k: answer_cell(v) if isinstance(v, str) and k != id_column else v
                for k, v in record.items()
            }
        if ordered:
            number = int(record.pop(ROW))
            first_row = number if first_row is None else first_row
            label = f"row {number + 1}"
        elif id_column is not None:
            label = f"the row with {id_column} {short_repr(record.get(id_column))}"
        else:
            label = "a row (name id_column= to see which)"
        _, found, _ = row_problems(plan, mapping, record, label)
        problems.extend(found)
    return AnswersError(source, capped(problems, total=total), row=first_row)


#: The column of row numbers added while collecting the rows of unusable answers.
ROW = "__allykit_row__"


def skip_qualtrics_rows(nw: Any, frame: Any) -> tuple[Any, bool]:
    """Leave out the extra header rows of a Qualtrics export read as it is.

    A Qualtrics CSV file read with ``pandas.read_csv`` or ``polars.read_csv``
    has the question texts and the ``{"ImportId": ...}`` row as its first
    two data rows, and every column is text. They are recognised as
    ``read_answers`` recognises them (the export's columns, then those
    rows); only a frame with the Qualtrics columns has its first two rows
    looked at. Returns the frame without them and whether any were left
    out (then numbers written as text are read as numbers, as in the file).

    Eager frames and lazy polars frames keep their order, so the rows are
    sliced off; a lazy frame of another engine (DuckDB, Dask, Spark) has no
    first rows to slice, so it is refused with what to do.

    Raises:
        AnswersError: For such rows in a lazy frame of an unordered engine.
    """
    from allykit.scoring._answer_file import _QUALTRICS_MARKERS, qualtrics_extra_rows

    names = list(frame.collect_schema().names())
    if not _QUALTRICS_MARKERS & set(names):
        return frame, False
    head = frame.head(2)
    if isinstance(head, nw.LazyFrame):
        head = head.collect()
    skipped = qualtrics_extra_rows(names, [list(row) for row in head.rows()])
    if not skipped:
        return frame, False
    if isinstance(frame, nw.DataFrame):
        return frame[skipped:], True
    if frame.implementation.is_polars():
        return nw.from_native(nw.to_native(frame).slice(skipped)), True
    from allykit.errors import AnswersError

    problem = Problem(
        path="row 1",
        message=(
            f"the first {skipped} rows are the extra header rows of a Qualtrics "
            "export (question texts, ImportId), and this lazy frame has no "
            "order to leave them out by"
        ),
        hint=(
            "leave them out when reading the file (pandas.read_csv(path, "
            "skiprows=[1, 2]), polars.scan_csv(path, skip_rows_after_header=2), "
            "or read_answers(path, ...))"
        ),
    )
    source = "<frame>"
    raise AnswersError(source, [problem])
