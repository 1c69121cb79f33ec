"""The scoring rules of :func:`allykit.scoring.score` as narwhals column expressions.

Private to :mod:`allykit.scoring.frames`. An item's answers are resolved into a
value column (null unless a choice value), a "does not apply" flag and an
"unusable" flag (:class:`ItemExprs`); :func:`staged` turns those columns
into scale scores in three stages of plain column expressions, so lazy
engines stay lazy and distributed ones stay distributed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

    from allykit.scoring._plan import ItemPlan, Plan, ScalePlan

__all__ = [
    "ANSWERED",
    "NOT_APPLICABLE",
    "PRORATED",
    "ItemExprs",
    "bad_flag",
    "flag",
    "resolve_number",
    "resolve_text",
    "staged",
]

# Suffixes of the count and flag columns written for each scale.
ANSWERED = "_answered"
NOT_APPLICABLE = "_not_applicable"
PRORATED = "_prorated"


class ItemExprs:
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


def resolve_number(
    nw: Any, column: nw.Expr, item: ItemPlan, *, dtype: Any, nan_is_null: bool = False
) -> ItemExprs:
    """Resolve a numeric column, in as few vectorised steps as the values allow.

    Blanks are null or NaN (how pandas writes a missing number): NaN is
    read as null first, on every engine, so neither is a choice value and
    neither is present.
    Choice values that are consecutive integers (the usual Likert scale)
    are checked with two comparisons and ``floor`` rather than ``is_in``,
    which pandas runs through a hash table (several times slower).
    """
    is_float = dtype.is_float()
    x = column if dtype == nw.Float64 else column.cast(nw.Float64)
    if is_float and not nan_is_null:
        # NaN is a blank on every engine: polars, pyarrow, DuckDB and Spark
        # keep it apart from null (and equal to itself); a NumPy float column
        # of pandas or Dask does not (*nan_is_null*), which saves a pass.
        x = x.fill_nan(None)
    present = ~x.is_null()
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
        return ItemExprs(
            value,
            nw.lit(value=False),
            present & ~valid,
            present=present,
            na_never=True,
        )
    na = x.is_in(sorted(float(v) for v in item.na_values)).fill_null(value=False)
    return ItemExprs(value, na, present & ~valid & ~na, present=present)


def _consecutive_integers(values: list[float]) -> bool:
    return all(v.is_integer() for v in values) and values == [
        float(n) for n in range(int(values[0]), int(values[-1]) + 1)
    ]


def _normalised(column: nw.Expr) -> nw.Expr:
    return column.str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()


#: Text that a CSV cell would read as a finite number (see ``answer_cell``).
NUMBER_TEXT = r"^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"


def resolve_text(
    nw: Any, column: nw.Expr, item: ItemPlan, *, numeric_text: bool = False
) -> ItemExprs:
    """Resolve a text column: choice labels and N/A labels.

    With *numeric_text*, numbers written as text count as those numbers,
    as a CSV file's cells are read.
    """
    from allykit.catalog._checks.instrument import normalise_label

    key = _normalised(column)
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
    if numeric_text:
        is_number = column.str.contains(NUMBER_TEXT).fill_null(value=False)
        # Only number texts are cast, so the cast cannot fail.
        number = nw.when(is_number).then(column.str.strip_chars()).cast(nw.Float64)
        choice = number.is_in(sorted(float(v) for v in item.values))
        value = nw.when(choice.fill_null(value=False)).then(number).otherwise(value)
        if item.na_values:
            na |= number.is_in(sorted(float(v) for v in item.na_values)).fill_null(
                value=False
            )
        present &= column.str.strip_chars() != ""
        present = present.fill_null(value=False)
    bad = present & value.is_null() & ~na
    never = not item.na_labels and not (numeric_text and item.na_values)
    return ItemExprs(value, na, bad, present=present, na_never=never)


def bad_flag(nw: Any, p: int, item: ItemExprs) -> nw.Expr:
    """1 where item *p* was given but is neither a value nor N/A, from its columns.

    Reads the resolved ``__v`` (and ``__na``) columns instead of checking
    the choices again. Never null: every part is filled or a null test.
    """
    if item.present is None:  # pragma: no cover - every resolver sets it
        return flag(nw, item.bad)
    bad = item.present & nw.col(f"__v{p}").is_null()
    if not item.na_never:
        bad &= nw.col(f"__na{p}") != 1
    return bad.cast(nw.Int64)  # type: ignore[no-any-return]


def flag(nw: Any, condition: nw.Expr) -> nw.Expr:
    return condition.fill_null(value=False).cast(nw.Int64)


def staged(
    nw: Any, frame: Any, plan: Plan, items: list[ItemExprs], keep: list[str]
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


def _may_be_na(sp: ScalePlan, items: list[ItemExprs]) -> list[int]:
    """The members of a scale whose answers can be N/A."""
    return [i for i, _, _, _ in sp.members if not items[i].na_never]


def _scale_sums(
    nw: Any, s: int, sp: ScalePlan, items: list[ItemExprs]
) -> list[nw.Expr]:
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
            nw.sum_horizontal(*[flag(nw, v <= point) for v in keyed]).alias(
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
    nw: Any, s: int, sp: ScalePlan, items: list[ItemExprs]
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
        answered.cast(nw.Int64).alias(name + ANSWERED),
        na_count.alias(name + NOT_APPLICABLE),
        (answered < sp.n_items).alias(name + PRORATED),
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
