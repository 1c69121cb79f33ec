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
    from allykit.scoring._plan import Plan

__all__ = [
    "FIRST_OFFENDERS",
    "MISSING_COLUMN",
    "absent_columns",
    "column_map",
    "load_narwhals",
    "nan_is_null_columns",
    "not_answers",
    "offenders",
    "resolve_items",
    "schema_of",
    "type_problem",
    "wrap",
]

#: How many offending rows an error names (the total count is always given).
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


def column_map(
    plan: Plan, columns: object, present: Iterable[str], id_column: str | None
) -> dict[str, str]:
    """Return item id -> column name for the items the frame holds.

    The reader's rules for a header (:func:`allykit.scoring.answers.plan_columns`):
    columns named after items count, ``columns`` maps the others, the
    housekeeping columns of REDCap and Qualtrics are set aside, and every
    other column is an error with a did-you-mean, in the same words as
    ``read_answers``.
    """
    from allykit.scoring._columns import plan_header

    if columns is not None and not isinstance(columns, Mapping):
        msg = f"columns must map item ids to column names, got {short_repr(columns)}"
        raise InvalidArgumentError(msg)
    found = plan_header(
        plan.keys,
        list(present),
        source="<frame>",
        columns=columns,
        id_column=id_column,
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
) -> list[ItemExprs]:
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
        if dtype.is_numeric() and dtype != nw.Boolean:
            items.append(
                resolve_number(
                    nw, column, item, dtype=dtype, nan_is_null=column_name in plain_nan
                )
            )
        elif dtype == nw.String and labels:
            items.append(resolve_text(nw, column, item))
        else:
            problems.append(type_problem(column_name, dtype, labels=labels))
    if problems:
        raise ResponseError(problems)
    return items


def type_problem(column: str, dtype: Any, *, labels: bool) -> Problem:
    hint = "cast it to numbers (a float type if it is all empty)"
    if labels:
        hint += " or to text labels"
    return Problem(
        path=f"column {column!r}",
        message=f"a column of {dtype} cannot hold answers",
        hint=hint,
    )


def not_answers(total: int) -> str:
    """``"1 value is not an answer"`` or ``"3 values are not answers"``."""
    if total == 1:
        return "1 value is not an answer"
    return f"{total} values are not answers"


def offenders(
    nw: Any,
    frame: Any,
    plan: Plan,
    mapping: Mapping[str, str],
    id_column: str | None,
) -> list[Problem]:
    """One problem per column with unusable answers: count, first values and row ids.

    *frame* holds the ``__bad`` flag column (0 or 1) of every mapped item.
    """
    checked = [
        (i, nw.col(f"__bad{i}") == 1)
        for i, item in enumerate(plan.items)
        if item.id in mapping
    ]
    if not checked:
        return []
    counts = frame.select(
        *[nw.col(f"__bad{i}").sum().alias(f"n{i}") for i, _ in checked]
    )
    if isinstance(counts, nw.LazyFrame):
        counts = counts.collect()
    totals = counts.row(0)
    problems: list[Problem] = []
    indexed = frame
    label = id_column
    if id_column is None and isinstance(frame, nw.DataFrame):
        label = "__row__"
        indexed = frame.with_row_index(label)
    for (i, bad), total in zip(checked, totals, strict=True):
        if not total:
            continue
        ip = plan.items[i]
        column = mapping[ip.id]
        keep = [column] if label is None else [label, column]
        first = indexed.filter(bad).select(*keep).head(FIRST_OFFENDERS)
        if isinstance(first, nw.LazyFrame):
            first = first.collect()
        values = first.get_column(column).to_list()
        if label is None:
            where = "name id_column= to see which rows"
        else:
            rows = ", ".join(str(v) for v in first.get_column(label).to_list())
            noun = "rows" if label == "__row__" else f"{id_column}"
            where = f"first at {noun} {rows}"
        problems.append(
            Problem(
                path=f"column {column!r}",
                message=(
                    f"{not_answers(total)} to item {ip.id!r} "
                    f"(choices {ip.low:g} to {ip.high:g}, their labels, or N/A)"
                ),
                value=short_repr(values),
                hint=f"{where}; pass invalid='missing' to score them as missing",
            )
        )
    return problems
