"""Score DataFrames on any engine, with exactly the rules of ``score``.

:func:`score_frame` turns a frame of answers (one row per respondent, one
column per item; or long: respondent, item, value) into a frame of scale
scores *of the same library*: pandas in, pandas out; polars eager or lazy,
pyarrow, Dask and DuckDB relations likewise (any backend narwhals
supports). Every rule of :func:`allykit.scoring.score` is written as
column expressions, not a Python loop over rows, so lazy engines stay lazy
and distributed ones stay distributed:

- a number must equal a choice value, text must be a choice label or alias
  (trimmed, white space collapsed, case ignored); N/A codes and labels
  count as "does not apply", blanks (null, and NaN, which is how pandas
  writes a missing number) as missing;
- reverse-keyed items are scored ``min + max - value`` with the scale's
  declared bounds; weights apply to sums and means;
- a score needs ``max(min_answered, ceil(min_answered_share * applicable))``
  answered items, else it is null (withheld); fewer than all items means
  it is prorated; ``sum`` is prorated to all items, ``pomp`` is 0-100,
  ``median`` is the middle answer.

Needs the ``frames`` extra (``pip install "allykit[frames]"``, which
installs narwhals); narwhals is imported only when these functions run.

>>> import polars as pl
>>> from allykit.instruments import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> answers = pl.DataFrame(
...     {
...         "who": ["a", "b"],
...         "ac-speak-up": [5, 4],
...         "ac-practical-support": ["Agree", "Does not apply"],
...         "ac-use-influence": [4, 4],
...         "ac-act-with-others": [4, 5],
...         "ac-keep-the-peace": [2, None],
...         "ac-leave-it-to-others": [3, 2],
...     }
... )
>>> scores = score_frame(inventory, answers, id_column="who")
>>> scores.select("who", "action", "action_answered", "action_prorated").rows()
[('a', 4.0, 6, False), ('b', 4.25, 4, True)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from allykit.errors import InvalidArgumentError, Problem, short_repr

if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

    from allykit._plan import ItemPlan, Plan, ScalePlan
    from allykit.instruments import Instrument
    from allykit.reliability import MissingPolicy, ReliabilityReport

__all__ = ["reliability_frame", "score_columns", "score_frame"]

#: How many offending rows an error names (the total count is always given).
FIRST_OFFENDERS = 5

# The all-null column that stands for items the frame does not have.
_MISSING = "__allykit_missing__"

# Suffixes of the count and flag columns written for each scale.
_ANSWERED = "_answered"
_NOT_APPLICABLE = "_not_applicable"
_PRORATED = "_prorated"


def score_columns(instrument: Instrument) -> tuple[str, ...]:
    """Return the names of the columns :func:`score_frame` writes, in order.

    For each scale: ``<scale>`` (the headline score, null when withheld),
    ``<scale>_answered``, ``<scale>_not_applicable`` and ``<scale>_prorated``.

    >>> from allykit.instruments import load_instrument
    >>> score_columns(load_instrument("ally-model-reflection"))[:4]
    ('self-examination', 'self-examination_answered', 'self-examination_not_applicable', 'self-examination_prorated')
    """
    names: list[str] = []
    for scale in instrument.scales:
        names.extend(
            (
                scale.id,
                scale.id + _ANSWERED,
                scale.id + _NOT_APPLICABLE,
                scale.id + _PRORATED,
            )
        )
    return tuple(names)


class _Item:
    """The expressions that describe one item's answer in a row."""

    __slots__ = ("bad", "na", "na_never", "present", "value")

    def __init__(
        self,
        value: nw.Expr,
        na: nw.Expr,
        bad: nw.Expr,
        *,
        present: nw.Expr | None = None,
        na_never: bool = False,
    ) -> None:
        self.value = value  # the choice value (Float64), null unless valid
        self.na = na  # answered "does not apply" (bool, never null)
        self.bad = bad  # present but not an answer (bool, never null)
        # Something was given (not null or NaN): bad is present, not N/A and
        # without a value; None when only bad is known.
        self.present = present
        self.na_never = na_never  # no answer in this column can be N/A


def _resolve_number(nw: Any, column: nw.Expr, item: ItemPlan, *, dtype: Any) -> _Item:
    """Resolve a numeric column, in as few vectorised steps as the values allow.

    Blanks are null or NaN (how pandas writes a missing number): neither is
    a choice value, and neither is present (not NaN, and not null).
    Choice values that are consecutive integers (the usual Likert scale)
    are checked with two comparisons and ``floor`` rather than ``is_in``,
    which pandas runs through a hash table (several times slower).
    """
    is_float = dtype.is_float()
    x = column if dtype == nw.Float64 else column.cast(nw.Float64)
    # x == x is false for NaN (and null for null, hence the fill).
    present = (x == x).fill_null(value=False) if is_float else ~x.is_null()  # noqa: PLR0124
    values = sorted(float(v) for v in item.values)
    if _consecutive_integers(values):
        valid = (x >= values[0]) & (x <= values[-1])
        if is_float:
            valid &= x.floor() == x
        valid = valid.fill_null(value=False)
    else:
        valid = x.is_in(values).fill_null(value=False)
    # No otherwise(): null where invalid, without a column of nulls to fill.
    value = nw.when(valid).then(x)
    if not item.na_values:
        return _Item(
            value,
            nw.lit(value=False),
            present & ~valid,
            present=present,
            na_never=True,
        )
    na = x.is_in(sorted(float(v) for v in item.na_values)).fill_null(value=False)
    return _Item(value, na, present & ~valid & ~na, present=present)


def _consecutive_integers(values: list[float]) -> bool:
    return all(v.is_integer() for v in values) and values == [
        float(n) for n in range(int(values[0]), int(values[-1]) + 1)
    ]


def _normalised(nw: Any, column: nw.Expr) -> nw.Expr:
    return column.str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()


def _resolve_text(nw: Any, column: nw.Expr, item: ItemPlan) -> _Item:
    from allykit._instrument_checks import normalise_label

    key = _normalised(nw, column)
    labels = {k: v for k, v in item.labels.items() if k == normalise_label(k)}
    value: nw.Expr = nw.lit(None, dtype=nw.Float64)
    for label, number in sorted(labels.items(), reverse=True):
        value = nw.when(key == label).then(nw.lit(float(number))).otherwise(value)
    na = (
        key.is_in(sorted(item.na_labels)).fill_null(value=False)
        if item.na_labels
        else nw.lit(value=False)
    )
    present = ~column.is_null()
    bad = present & value.is_null() & ~na
    return _Item(value, na, bad, present=present, na_never=not item.na_labels)


def _bad_flag(nw: Any, p: int, item: _Item) -> nw.Expr:
    """1 where item *p* was given but is neither a value nor N/A, from its columns.

    Reads the resolved ``__v`` (and ``__na``) columns instead of checking
    the choices again. Never null: every part is filled or a null test.
    """
    if item.present is None:  # pragma: no cover - every resolver sets it
        return _flag(nw, item.bad)
    bad = item.present & nw.col(f"__v{p}").is_null()
    if not item.na_never:
        bad &= nw.col(f"__na{p}") != 1
    return bad.cast(nw.Int64)  # type: ignore[no-any-return]


def _flag(nw: Any, condition: nw.Expr) -> nw.Expr:
    return condition.fill_null(value=False).cast(nw.Int64)


def _staged(
    nw: Any, frame: Any, plan: Plan, items: list[_Item], keep: list[str]
) -> Any:
    """Score in three stages of plain column expressions.

    *frame* holds each item's resolved columns already (``__v``, ``__na``;
    see :func:`_prepare`). Each stage refers only to columns the previous
    one wrote: shared work (resolving an item used by two scales) is done
    once, and every engine can align the expressions (Dask cannot align a
    ``when`` whose condition is built from horizontal sums in the same step).
    """
    scales = list(enumerate(plan.scales))
    frame = frame.with_columns(
        *[e for s, sp in scales for e in _scale_sums(nw, s, sp, items)]
    )
    frame = frame.with_columns(*[_scale_head(nw, s, sp) for s, sp in scales])
    return frame.select(
        *[nw.col(name) for name in keep],
        *[e for s, sp in scales for e in _scale_outputs(nw, s, sp, items)],
    )


def _may_be_na(sp: ScalePlan, items: list[_Item]) -> list[int]:
    """The members of a scale whose answers can be N/A."""
    return [i for i, _, _, _ in sp.members if not items[i].na_never]


def _scale_sums(nw: Any, s: int, sp: ScalePlan, items: list[_Item]) -> list[nw.Expr]:
    """Answered count, weighted total and N/A count of scale *s* (stage 1)."""
    totals: list[nw.Expr] = []
    weights: list[nw.Expr] = []
    oks: list[nw.Expr] = []
    keyed: list[nw.Expr] = []
    for index, weight, reverse, _ in sp.members:
        value = nw.col(f"__v{index}")
        if reverse:
            value = nw.lit(sp.low + sp.high) - value
        keyed.append(value)
        ok = (~value.is_null()).cast(nw.Int64)
        oks.append(ok)
        # sum_horizontal ignores nulls (unanswered items) on every engine.
        totals.append(value if weight == 1.0 else value * weight)
        weights.append(ok.cast(nw.Float64) * float(weight))
    sums = [
        nw.sum_horizontal(*oks).alias(f"__ans{s}"),
        nw.sum_horizontal(*totals).alias(f"__tot{s}"),
    ]
    if len({weight for _, weight, _, _ in sp.members}) > 1:
        sums.append(nw.sum_horizontal(*weights).alias(f"__w{s}"))
    may_be_na = _may_be_na(sp, items)
    if may_be_na:
        na = nw.sum_horizontal(*[nw.col(f"__na{i}") for i in may_be_na])
        # The threshold depends on how many items apply: a small table.
        needed = nw.sum_horizontal(
            *[
                (na == na_count).cast(nw.Int64)
                * max(
                    sp.min_answered,
                    math.ceil(sp.share * (sp.n_items - na_count) - 1e-9),
                    1,
                )
                for na_count in range(len(may_be_na) + 1)
            ]
        )
        sums.extend((na.alias(f"__nas{s}"), needed.alias(f"__need{s}")))
    if sp.scale.method == "median":
        sums.extend(
            nw.sum_horizontal(*[_flag(nw, v <= point) for v in keyed]).alias(
                f"__le{s}_{j}"
            )
            for j, point in enumerate(sorted(_points(sp)))
        )
    return sums


def _scale_head(nw: Any, s: int, sp: ScalePlan) -> nw.Expr:
    """The headline score of scale *s* by its method, before withholding (stage 2)."""
    low, high = sp.low, sp.high
    weights = {weight for _, weight, _, _ in sp.members}
    if len(weights) > 1:
        weight_sum = nw.col(f"__w{s}")
    else:  # one weight: the weight of the answers is a multiple of their count
        (weight,) = weights
        weight_sum = nw.col(f"__ans{s}").cast(nw.Float64) * weight
    mean = (nw.col(f"__tot{s}") / weight_sum).clip(low, high)
    method = sp.scale.method
    if method == "mean":
        head = mean
    elif method == "pomp":
        head = (mean - low) / (high - low) * 100.0
    elif method == "sum":
        head = mean * sp.total_weight
    else:
        answered = nw.col(f"__ans{s}")
        points = sorted(_points(sp))
        head = (
            _kth(nw, s, points, (answered + 1) // 2)
            + _kth(nw, s, points, answered // 2 + 1)
        ) / 2
    return head.alias(f"__head{s}")  # type: ignore[no-any-return]


def _scale_outputs(
    nw: Any, s: int, sp: ScalePlan, items: list[_Item]
) -> tuple[nw.Expr, ...]:
    """The four result columns of scale *s* (stage 3)."""
    name = sp.scale.id
    answered = nw.col(f"__ans{s}")
    if _may_be_na(sp, items):
        needed: Any = nw.col(f"__need{s}")
        na_count = nw.col(f"__nas{s}").cast(nw.Int64)
    else:  # nothing can be N/A: a constant threshold, and none N/A
        needed = sp.needed_all
        na_count = answered.cast(nw.Int64) * 0  # a column, as Dask needs
    return (
        nw.when(answered >= needed).then(nw.col(f"__head{s}")).alias(name),
        answered.cast(nw.Int64).alias(name + _ANSWERED),
        na_count.alias(name + _NOT_APPLICABLE),
        (answered < sp.n_items).alias(name + _PRORATED),
    )


def _kth(nw: Any, s: int, points: list[float], k: nw.Expr) -> nw.Expr:
    """The k-th smallest (1-based) answer: the first point with at least k at or below.

    Written as ``p[0] + sum(step_j * [count_at_or_below(p[j-1]) < k])``, which
    needs no conditional expression.
    """
    result: nw.Expr = nw.lit(points[0]) + k.cast(nw.Float64) * 0.0
    for j in range(1, len(points)):
        below = (nw.col(f"__le{s}_{j - 1}") < k).cast(nw.Float64)
        result = result + below * (points[j] - points[j - 1])
    return result  # type: ignore[no-any-return]


def _points(sp: ScalePlan) -> set[float]:
    """Every value a (reverse-keyed) answer of the scale can take."""
    values = set(sp.point_stages)
    return {float(v) for v in values} | {float(sp.low + sp.high - v) for v in values}


def _narwhals() -> Any:
    try:
        import narwhals.stable.v2 as nw  # lazy: an optional extra
    except ImportError:  # pragma: no cover - depends on the environment
        msg = 'score_frame needs narwhals: pip install "allykit[frames]"'
        raise InvalidArgumentError(msg) from None
    return nw


def _wrap(nw: Any, frame: object) -> Any:
    if isinstance(frame, (nw.DataFrame, nw.LazyFrame)):
        return frame
    try:
        return nw.from_native(frame)
    except TypeError:
        msg = (
            "frame must be a DataFrame or lazy frame of a library narwhals "
            f"supports (pandas, polars, pyarrow, Dask, DuckDB, ...), got {type(frame).__name__}"
        )
        raise InvalidArgumentError(msg) from None


def _schema(frame: Any) -> dict[str, Any]:
    return dict(frame.collect_schema())


def _column_map(
    plan: Plan, columns: object, present: Iterable[str], id_column: str | None
) -> dict[str, str]:
    """Return item id -> column name for the items the frame holds."""
    from allykit.errors import ResponseError

    names = [name for name in present if name != id_column]
    if columns is None:
        problems = [
            Problem(
                path=f"column {name!r}",
                message="no item has this id",
                hint="pass columns={item id: column name} to map columns, "
                "or drop the column",
            )
            for name in names
            if name not in plan.keys
        ]
        if problems:
            raise ResponseError(problems)
        return {name: name for name in names}
    if not isinstance(columns, Mapping):
        msg = f"columns must map item ids to column names, got {short_repr(columns)}"
        raise InvalidArgumentError(msg)
    problems = []
    mapping: dict[str, str] = {}
    available = set(names)
    for item, column in columns.items():
        if item not in plan.keys:
            problems.append(
                Problem(
                    path=f"columns[{item!r}]",
                    message="no item has this id",
                    value=short_repr(item),
                )
            )
        elif not isinstance(column, str) or column not in available:
            problems.append(
                Problem(
                    path=f"columns[{item!r}]",
                    message="the frame has no such column",
                    value=short_repr(column),
                )
            )
        else:
            mapping[item] = column
    if problems:
        raise ResponseError(problems)
    return mapping


def _resolve_items(
    nw: Any,
    plan: Plan,
    mapping: Mapping[str, str],
    schema: Mapping[str, Any],
    *,
    labels: bool,
) -> list[_Item]:
    from allykit.errors import ResponseError

    items: list[_Item] = []
    problems: list[Problem] = []
    for item in plan.items:
        column_name = mapping.get(item.id)
        if column_name is None:
            # A real (all-null) column, not a literal: some engines (Dask)
            # cannot align expressions built from literals alone.
            items.append(
                _resolve_number(nw, nw.col(_MISSING), item, dtype=nw.Float64())
            )
            continue
        dtype = schema[column_name]
        column = nw.col(column_name)
        if dtype.is_numeric() and dtype != nw.Boolean:
            items.append(_resolve_number(nw, column, item, dtype=dtype))
        elif dtype == nw.String and labels:
            items.append(_resolve_text(nw, column, item))
        else:
            problems.append(_type_problem(column_name, dtype, labels=labels))
    if problems:
        raise ResponseError(problems)
    return items


def _type_problem(column: str, dtype: Any, *, labels: bool) -> Problem:
    hint = "cast it to numbers (a float type if it is all empty)"
    if labels:
        hint += " or to text labels"
    return Problem(
        path=f"column {column!r}",
        message=f"a column of {dtype} cannot hold answers",
        hint=hint,
    )


def _offenders(
    nw: Any,
    frame: Any,
    items: list[_Item],
    plan: Plan,
    mapping: Mapping[str, str],
    id_column: str | None,
) -> list[Problem]:
    """One problem per column with unusable answers: count, first values and row ids.

    *frame* holds the ``__bad`` flag column (0 or 1) of every mapped item.
    """
    checked = [(i, item) for i, item in enumerate(items) if plan.items[i].id in mapping]
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
    for (i, item), total in zip(checked, totals, strict=True):
        if not total:
            continue
        ip = plan.items[i]
        column = mapping[ip.id]
        keep = [column] if label is None else [label, column]
        first = indexed.filter(item.bad).select(*keep).head(FIRST_OFFENDERS)
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
                    f"{total} value{'s' if total != 1 else ''} are not answers to item "
                    f"{ip.id!r} (choices {ip.low:g} to {ip.high:g}, their labels, or N/A)"
                ),
                value=short_repr(values),
                hint=f"{where}; pass invalid='missing' to score them as missing",
            )
        )
    return problems


def _long_to_wide(
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
) -> tuple[Any, list[_Item]]:
    """Resolve answers in long form, then gather them to one row per respondent."""
    from allykit.errors import ResponseError

    schema = _schema(frame)
    absent = [c for c in (id_column, item_column, value_column) if c not in schema]
    if absent:
        problems = [
            Problem(path=f"column {c!r}", message="the frame has no such column")
            for c in absent
        ]
        raise ResponseError(problems)
    names = _item_names(plan, columns)
    known = sorted(names)
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
    dtype = schema[value_column]
    value = nw.col(value_column)
    resolved: list[_Item] = []
    for item in plan.items:
        if dtype.is_numeric() and dtype != nw.Boolean:
            resolved.append(_resolve_number(nw, value, item, dtype=dtype))
        elif dtype == nw.String and labels:
            resolved.append(_resolve_text(nw, value, item))
        else:
            raise ResponseError([_type_problem(value_column, dtype, labels=labels)])
    by_name = {names_item: position for position, names_item in enumerate(plan.items)}
    del by_name
    item_name = {
        item.id: names_key
        for names_key, item_id in names.items()
        for item in plan.items
        if item.id == item_id
    }
    parts: list[Any] = []
    bad_any: Any = nw.lit(value=False)
    for position, item in enumerate(plan.items):
        here = nw.col(item_column) == item_name[item.id]
        r = resolved[position]
        parts.extend(
            (
                nw.when(here)
                .then(r.value)
                .otherwise(nw.lit(None, dtype=nw.Float64))
                .alias(f"__v{position}"),
                _flag(nw, here & r.na).alias(f"__na{position}"),
                _flag(nw, here & r.bad).alias(f"__bad{position}"),
            )
        )
        bad_any = bad_any | (here & r.bad)
    if raise_on_problems:
        wide_mapping = {item.id: value_column for item in plan.items}
        problems = _long_offenders(
            nw, frame, bad_any, id_column, item_column, value_column
        )
        del wide_mapping
        if problems:
            raise ResponseError(problems)
    aggregated = (
        frame.select(nw.col(id_column), *parts)
        .group_by(id_column)
        .agg(
            *[nw.col(f"__v{p}").max() for p in range(len(plan.items))],
            *[nw.col(f"__na{p}").max() for p in range(len(plan.items))],
            *[nw.col(f"__bad{p}").max() for p in range(len(plan.items))],
        )
    )
    items = [
        _Item(
            nw.col(f"__v{p}"),
            (nw.col(f"__na{p}") == 1).fill_null(value=False),
            (nw.col(f"__bad{p}") == 1).fill_null(value=False),
        )
        for p in range(len(plan.items))
    ]
    return aggregated, items


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
    names = {item.id: item.id for item in plan.items if item.id not in columns}
    names.update({str(name): item for item, name in columns.items()})
    return names


def _long_offenders(
    nw: Any, frame: Any, bad: Any, id_column: str, item_column: str, value_column: str
) -> list[Problem]:
    count = frame.select(_flag(nw, bad).sum().alias("n"))
    if isinstance(count, nw.LazyFrame):
        count = count.collect()
    total = count.item(0, 0)
    if not total:
        return []
    first = (
        frame.filter(bad)
        .select(id_column, item_column, value_column)
        .head(FIRST_OFFENDERS)
    )
    if isinstance(first, nw.LazyFrame):
        first = first.collect()
    rows = first.rows()
    return [
        Problem(
            path=f"column {value_column!r}",
            message=f"{total} value{'s' if total != 1 else ''} are not answers to their item",
            value=short_repr([row[2] for row in rows]),
            hint=(
                f"first at {id_column} "
                + ", ".join(f"{row[0]} (item {row[1]})" for row in rows)
                + "; pass invalid='missing' to score them as missing"
            ),
        )
    ]


def score_frame(
    instrument: Instrument,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    labels: bool = True,
    invalid: Literal["raise", "missing"] = "raise",
    long: bool = False,
    item_column: str = "item",
    value_column: str = "value",
) -> Any:
    """Score every row of a DataFrame, returning a frame of the same library.

    The result has the id column (if named) and, for each scale,
    ``<scale>`` (headline score by the scale's method; null when withheld),
    ``<scale>_answered``, ``<scale>_not_applicable`` and ``<scale>_prorated``
    (see :func:`score_columns`). Values equal :func:`allykit.scoring.score`
    row by row. Eager frames come back eager, lazy ones lazy (nothing is
    collected but the small checks below).

    Args:
        instrument: The instrument answered.
        frame: A pandas, polars (eager or lazy), pyarrow, Dask, DuckDB or
            other narwhals-supported frame.
        columns: Item id -> column name, for columns not named after items;
            None means every column but the id column is an item id.
        id_column: Column identifying the respondent, copied to the result
            and named in errors. Required with *long*.
        labels: Accept text columns as choice labels (default). With False,
            every answer column must be numeric.
        invalid: ``"raise"`` (default) checks every answer first and raises
            one error per bad column with its count, first values and row
            ids; ``"missing"`` scores unusable answers as missing.
        long: Read long input: one row per (respondent, item, value).
        item_column: With *long*, the column naming the item.
        value_column: With *long*, the column holding the answer.

    Returns:
        A frame of the input's library with the score columns.

    Raises:
        ResponseError: Unknown item columns, columns of a type that cannot
            hold answers, or (with ``invalid="raise"``) unusable answers.
        InvalidArgumentError: Bad arguments, an instrument that cannot be
            scored (metadata only), or narwhals not installed.

    >>> import pandas as pd
    >>> from allykit.instruments import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> answers = pd.DataFrame(
    ...     {"who": ["a", "a", "a", "a"],
    ...      "item": ["ac-speak-up", "ac-use-influence", "ac-act-with-others", "ac-keep-the-peace"],
    ...      "value": [5, 4, 4, 2]}
    ... )
    >>> score_frame(inventory, answers, id_column="who", long=True)[["who", "action"]]
      who  action
    0   a    4.25
    """
    from allykit._plan import plan_for

    _check_options(invalid, id_column, item_column, value_column)
    plan = plan_for(instrument)
    nw = _narwhals()
    source, items = _prepare(
        nw,
        plan,
        _wrap(nw, frame),
        columns=columns,
        id_column=id_column,
        labels=labels,
        invalid=invalid,
        long=long,
        item_column=item_column,
        value_column=value_column,
    )
    keep = [id_column] if id_column is not None else []
    return _staged(nw, source, plan, items, keep).to_native()


def reliability_frame(
    instrument: Instrument,
    frame: Any,
    *,
    missing: MissingPolicy = "listwise",
    invalid: Literal["raise", "missing"] = "raise",
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    labels: bool = True,
    long: bool = False,
    item_column: str = "item",
    value_column: str = "value",
) -> ReliabilityReport:
    """Return :func:`allykit.reliability.reliability` of the answers in a DataFrame.

    :func:`~allykit.reliability.reliability` calls this when given a frame,
    so ``reliability(instrument, frame)`` works too. Answers are resolved
    with exactly the rules of :func:`score_frame` (choice values, labels,
    N/A, blanks and NaN as missing; one error per bad column with its count,
    first values and row ids), as column expressions on the frame's own
    engine; then only the resolved item columns of the instrument's scales
    are collected (lazy and distributed frames are collected once, to
    ``rows x items`` floats) and the statistics are computed by the same
    code as for response mappings, so the report is the same.

    Args:
        instrument: The instrument answered.
        frame: A pandas, polars (eager or lazy), pyarrow, Dask, DuckDB,
            PySpark or other narwhals-supported frame.
        missing: ``"listwise"`` (complete rows only) or ``"pairwise"``.
        invalid: ``"raise"`` or ``"missing"``, as for :func:`score_frame`.
        columns: Item id -> column name (or, with *long*, -> name in the
            item column); None means columns are named by item id.
        id_column: Column identifying the respondent; named in errors.
            Required with *long*.
        labels: Accept text columns as choice labels (default).
        long: Read long input: one row per (respondent, item, value).
        item_column: With *long*, the column naming the item.
        value_column: With *long*, the column holding the answer.

    Returns:
        The report; ``n_rows`` counts the frame's rows (respondents, when
        *long*).

    Raises:
        ResponseError: Unknown item columns, columns of a type that cannot
            hold answers, or (with ``invalid="raise"``) unusable answers.
        InvalidArgumentError: Bad arguments, an instrument that cannot be
            scored, or narwhals not installed.

    >>> import pandas as pd
    >>> from allykit.instruments import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> answers = pd.DataFrame(
    ...     {"ac-speak-up": [1, 3, 4, 2, 5], "ac-use-influence": [2, 3, 5, 1, 4]}
    ... )
    >>> action = reliability_frame(inventory, answers, missing="pairwise").scale("action")
    >>> action.n_used, action.items[0].mean, action.items[1].n  # item 1 not asked
    (5, 3.0, 0)
    """
    from allykit._plan import plan_for
    from allykit.reliability import _report_from_columns

    if missing not in ("listwise", "pairwise"):
        msg = f"missing must be 'listwise' or 'pairwise', not {missing!r}"
        raise InvalidArgumentError(msg)
    _check_options(invalid, id_column, item_column, value_column)
    plan = plan_for(instrument)
    nw = _narwhals()
    source, items = _prepare(
        nw,
        plan,
        _wrap(nw, frame),
        columns=columns,
        id_column=id_column,
        labels=labels,
        invalid=invalid,
        long=long,
        item_column=item_column,
        value_column=value_column,
    )
    needed = sorted({index for sp in plan.scales for index, _, _, _ in sp.members})
    table = source.select(*[items[i].value.alias(f"__v{i}") for i in needed])
    if isinstance(table, nw.LazyFrame):
        table = table.collect()
    by_item = {i: table.get_column(f"__v{i}").to_list() for i in needed}
    return _report_from_columns(instrument, by_item, n_rows=len(table), missing=missing)


def _check_options(
    invalid: object, id_column: object, item_column: object, value_column: object
) -> None:
    if invalid not in {"raise", "missing"}:
        msg = f"invalid must be 'raise' or 'missing', not {invalid!r}"
        raise InvalidArgumentError(msg)
    for name, argument in (
        ("id_column", id_column),
        ("item_column", item_column),
        ("value_column", value_column),
    ):
        if argument is not None and not isinstance(argument, str):
            msg = f"{name} must be a column name, got {short_repr(argument)}"
            raise InvalidArgumentError(msg)


def _prepare(
    nw: Any,
    plan: Plan,
    wrapped: Any,
    *,
    columns: Mapping[str, str] | None,
    id_column: str | None,
    labels: bool,
    invalid: str,
    long: bool,
    item_column: str,
    value_column: str,
) -> tuple[Any, list[_Item]]:
    """Check the frame and return it (wide) with one resolved _Item per plan item."""
    from allykit.errors import ResponseError

    schema = _schema(wrapped)
    if long:
        if id_column is None:
            msg = "long input needs id_column= naming the respondent column"
            raise InvalidArgumentError(msg)
        return _long_to_wide(
            nw,
            wrapped,
            plan,
            columns=columns,
            id_column=id_column,
            item_column=item_column,
            value_column=value_column,
            labels=labels,
            raise_on_problems=invalid == "raise",
        )
    if id_column is not None and id_column not in schema:
        raise ResponseError(
            [
                Problem(
                    path=f"column {id_column!r}",
                    message="the frame has no such column",
                )
            ]
        )
    mapping = _column_map(plan, columns, schema, id_column)
    resolved = _resolve_items(nw, plan, mapping, schema, labels=labels)
    source = wrapped
    if len(mapping) < len(plan.items):
        source = wrapped.with_columns(nw.lit(None, dtype=nw.Float64).alias(_MISSING))
    # Resolve each item once, as columns: the check and the scores read them.
    source = source.with_columns(
        *[item.value.alias(f"__v{p}") for p, item in enumerate(resolved)],
        *[
            _flag(nw, item.na).alias(f"__na{p}")
            for p, item in enumerate(resolved)
            if not item.na_never
        ],
    )
    checked = []
    if invalid == "raise":
        checked = [p for p, item in enumerate(plan.items) if item.id in mapping]
        source = source.with_columns(
            *[_bad_flag(nw, p, resolved[p]).alias(f"__bad{p}") for p in checked]
        )
    items = [
        _Item(
            nw.col(f"__v{p}"),
            nw.lit(value=False) if item.na_never else nw.col(f"__na{p}") == 1,
            nw.col(f"__bad{p}") == 1 if p in checked else nw.lit(value=False),
            na_never=item.na_never,
        )
        for p, item in enumerate(resolved)
    ]
    if invalid == "raise":
        problems = _offenders(nw, source, items, plan, mapping, id_column)
        if problems:
            raise ResponseError(problems)
    return source, items
