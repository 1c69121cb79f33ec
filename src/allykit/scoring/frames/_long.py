"""Long input for :mod:`allykit.scoring.frames`: one row per (respondent, item, value).

Private. Answers are resolved in long form with the same expressions as
wide input, checked, then gathered per respondent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError, Problem, short_repr
from allykit.scoring.frames._checks import (
    FIRST_OFFENDERS,
    ROW,
    absent_columns,
    numbered,
    schema_of,
    type_problem,
)
from allykit.scoring.frames._rules import ItemExprs, flag, resolve_number, resolve_text

if TYPE_CHECKING:
    from allykit.errors import AnswersError
    from allykit.scoring._plan import Plan

__all__ = ["long_to_wide"]


def long_to_wide(  # noqa: PLR0913 -- the long-input options of score_frame
    nw: Any,
    frame: Any,
    plan: Plan,
    *,
    columns: object,
    id_column: str,
    item_column: str,
    value_column: str,
    labels: bool,
    raise_on_problems: bool,
) -> tuple[Any, list[ItemExprs]]:
    """Resolve answers in long form, then gather them to one row per respondent."""
    from allykit.errors import ResponseError

    schema = schema_of(frame)
    absent = absent_columns(schema, (id_column, item_column, value_column))
    if absent:
        raise ResponseError(absent)
    names = _item_names(plan, columns)
    _check_keys(nw, frame, sorted(names), id_column, item_column)
    dtype = schema[value_column]
    value = nw.col(value_column)
    if dtype.is_numeric() and dtype != nw.Boolean:
        resolved = [resolve_number(nw, value, item, dtype=dtype) for item in plan.items]
    elif dtype == nw.String and labels:
        resolved = [resolve_text(nw, value, item) for item in plan.items]
    else:
        raise ResponseError([type_problem(value_column, dtype, labels=labels)])
    item_name = {item_id: name for name, item_id in names.items()}
    parts: list[Any] = []
    bad_any: Any = nw.lit(value=False)
    for position, item in enumerate(plan.items):
        here = nw.col(item_column) == item_name[item.id]
        r = resolved[position]
        parts.extend(
            (
                nw.when(here).then(r.value).alias(f"__v{position}"),
                flag(nw, here & r.na).alias(f"__na{position}"),
            )
        )
        bad_any = bad_any | (here & r.bad)
    if raise_on_problems:
        error = _long_offenders(
            nw,
            frame,
            plan,
            bad_any,
            (id_column, item_column, value_column),
            item_ids=names,
        )
        if error is not None:
            raise error
    aggregated = (
        frame.select(nw.col(id_column), *parts)
        .group_by(id_column)
        .agg(
            *[nw.col(f"__v{p}").max() for p in range(len(plan.items))],
            *[nw.col(f"__na{p}").max() for p in range(len(plan.items))],
        )
    )
    items = [
        ItemExprs(
            nw.col(f"__v{p}"),
            (nw.col(f"__na{p}") == 1).fill_null(value=False),
            nw.lit(value=False),  # checked above, in long form
        )
        for p in range(len(plan.items))
    ]
    return aggregated, items


def _check_keys(
    nw: Any, frame: Any, known: list[str], id_column: str, item_column: str
) -> None:
    """Raise for item names no item has, and for items answered twice by one id."""
    from allykit.errors import ResponseError

    unknown = (
        frame.filter(~nw.col(item_column).is_in(known))
        .select(item_column)
        .unique()
        .head(FIRST_OFFENDERS)
    )
    if isinstance(unknown, nw.LazyFrame):
        unknown = unknown.collect()
    strays = unknown.get_column(item_column).to_list()
    if strays:
        raise ResponseError(
            [
                Problem(
                    path=f"column {item_column!r}",
                    message="no item has this id",
                    value=short_repr(stray),
                    hint="map item names with columns={item id: name}",
                )
                for stray in strays
            ]
        )
    twice = (
        frame.group_by(id_column, item_column)
        .agg(nw.len().alias("__n__"))
        .filter(nw.col("__n__") > 1)
        .head(FIRST_OFFENDERS)
    )
    if isinstance(twice, nw.LazyFrame):
        twice = twice.collect()
    if len(twice):
        raise ResponseError(
            [
                Problem(
                    path=f"column {item_column!r}",
                    message="answered more than once by one respondent",
                    value=short_repr(row),
                )
                for row in twice.select(id_column, item_column).rows()
            ]
        )


def _item_names(plan: Plan, columns: object) -> dict[str, str]:
    """Return name in the item column -> item id."""
    if columns is None:
        return {item.id: item.id for item in plan.items}
    if not isinstance(columns, Mapping):
        msg = f"columns must map item ids to names, got {short_repr(columns)}"
        raise InvalidArgumentError(msg)
    from allykit.errors import ResponseError

    problems = [
        Problem(
            path=f"columns[{item!r}]",
            message="no item has this id",
            value=short_repr(item),
        )
        for item in columns
        if item not in plan.keys
    ]
    if problems:
        raise ResponseError(problems)
    names: dict[str, str] = {}
    for item in plan.items:
        name = str(columns.get(item.id, item.id))
        if name in names:
            # One name in the item column can answer only one item.
            problems.append(
                Problem(
                    path=f"columns[{item.id!r}]",
                    message=f"item {names[name]!r} is already named so",
                    value=short_repr(name),
                    hint="give each item its own name in the item column",
                )
            )
        names[name] = item.id
    if problems:
        raise ResponseError(problems)
    return names


def _long_offenders(  # noqa: PLR0913 -- the frame's facts, passed on
    nw: Any,
    frame: Any,
    plan: Plan,
    bad: Any,
    names: tuple[str, str, str],
    *,
    item_ids: Mapping[str, str],
) -> AnswersError | None:
    """The reader's error for the unusable long answers, or None.

    One problem per unusable answer, worded by
    :func:`allykit.scoring.answers.row_problems` (as for wide frames, files
    and rows), at ``row N (item '<id>'), column '<value column>'``; only the
    count and the rows an error shows are collected.
    """
    from allykit.errors import AnswersError
    from allykit.scoring._answer_file import frame_value
    from allykit.scoring._columns import SHOWN, capped
    from allykit.scoring.answers import row_problems

    id_column, item_column, value_column = names
    count = frame.select(flag(nw, bad).sum().alias("n"))
    if isinstance(count, nw.LazyFrame):
        count = count.collect()
    total = int(count.item(0, 0) or 0)
    if not total:
        return None
    indexed, ordered = numbered(nw, frame, ROW)
    keep = [*([ROW] if ordered else []), id_column, item_column, value_column]
    first = indexed.filter(bad).select(*keep).head(SHOWN)
    if isinstance(first, nw.LazyFrame):
        first = first.collect()
    problems: list[Problem] = []
    first_row: int | None = None
    for row in first.rows(named=True):
        item = item_ids[row[item_column]]
        if ordered:
            number = int(row[ROW])
            first_row = number if first_row is None else first_row
            where = f"row {number + 1}"
        else:
            where = f"the row with {id_column} {short_repr(row[id_column])}"
        _, found, _ = row_problems(
            plan,
            {item: value_column},
            {value_column: frame_value(row[value_column])},
            f"{where} (item {item!r})",
        )
        problems.extend(found)
    return AnswersError("<frame>", capped(problems, total=total), row=first_row)
