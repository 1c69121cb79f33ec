"""Internal consistency of an instrument's scales: Cronbach's alpha and item statistics.

Pure Python (no NumPy needed), following R psych's ``alpha()`` conventions
(stated side by side in ``docs/scoring.md``):

* answers are reverse-keyed with the declared bounds first, as in scoring;
  N/A answers count as missing here (alpha needs a value), weights are
  ignored (alpha describes the items, not the weighted score);
* ``missing="listwise"`` (default) uses only rows that answered every item
  of the scale; ``missing="pairwise"`` builds each covariance from the rows
  that answered both items (psych's ``use="pairwise"``);
* raw alpha ``k/(k-1) * (1 - trace(C)/sum(C))`` from the covariance matrix
  ``C`` (denominator ``n - 1``); standardised alpha
  ``k*r/(1 + (k-1)*r)`` from the mean inter-item correlation ``r``;
* the 95% interval is Feldt's, as psych's ``alpha.ci`` and pingouin give it:
  ``1 - (1 - alpha) * F(q; n-1, (n-1)(k-1))`` for ``q`` = 0.975 and 0.025;
* alpha-if-item-deleted is raw alpha of the other items (same ``C``), and
  the corrected item-total correlation (psych's ``r.drop``) correlates an
  item with the sum of the other items.

One estimator (raw, covariance-based alpha) is used for alpha, its interval
and alpha-if-item-deleted.

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring import reliability
>>> inventory = load_instrument("ally-model-reflection")
>>> rows = [{"ac-speak-up": a, "ac-practical-support": b, "ac-use-influence": c}
...         for a, b, c in [(1, 2, 1), (3, 3, 4), (5, 4, 5), (2, 2, 3), (4, 5, 4)]]
>>> action = reliability(inventory, rows, missing="pairwise").scale("action")
>>> action.n_complete, action.n_used, action.alpha  # three items never answered
(0, 5, None)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from allykit.errors import (
    InvalidArgumentError,
    ResponseError,
    UnknownIdError,
    short_repr,
)
from allykit.models.framework import _doc
from allykit.scoring._plan import NA, plan_for, resolve
from allykit.scoring._score import _check_policy, instrument_hash

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = [
    "ItemReliability",
    "MissingPolicy",
    "ReliabilityReport",
    "ScaleReliability",
    "cronbach_alpha",
    "f_quantile",
    "is_frame",
    "feldt_interval",
    "rows_reliability",
]

#: How rows with missing answers are used: complete rows only, or per pair.
MissingPolicy = Literal["listwise", "pairwise"]


@attrs.frozen(kw_only=True)
class ItemReliability:
    """Statistics of one item within its scale.

    Attributes:
        item: Item id.
        n: Rows that answered it (among the rows used).
        mean: Mean of its (reverse-keyed) answers, or None.
        sd: Standard deviation (``n - 1``), or None.
        alpha_if_deleted: Raw alpha of the scale without this item, or None.
        r_drop: Correlation of the item with the sum of the other items
            (corrected item-total correlation), or None.
        loading: Its loading on the one-factor minres model behind omega,
            or None (omega not asked for, or undefined: see the scale's
            notes).
    """

    item: str = attrs.field(metadata=_doc("Item id."))
    n: int = attrs.field(metadata=_doc("Rows answering it.", ge=0))
    mean: float | None = attrs.field(metadata=_doc("Mean, or null."))
    sd: float | None = attrs.field(metadata=_doc("Standard deviation, or null."))
    alpha_if_deleted: float | None = attrs.field(metadata=_doc("Alpha without it."))
    r_drop: float | None = attrs.field(metadata=_doc("Corrected item-total r."))
    loading: float | None = attrs.field(
        default=None, metadata=_doc("One-factor loading, or null.")
    )


@attrs.frozen(kw_only=True)
class ScaleReliability:
    """Cronbach's alpha and item statistics of one scale.

    Attributes:
        scale: Scale id.
        n_items: Items in the scale.
        n_complete: Rows that answered every item.
        n_used: Rows behind the interval: complete rows (listwise), or rows
            with at least one answer in the scale (pairwise).
        alpha: Raw alpha, or None when undefined (fewer than 2 items or 2
            rows, or no variance).
        std_alpha: Standardised alpha, or None.
        average_r: Mean inter-item correlation, or None.
        ci_low: Lower end of the Feldt 95% interval, or None.
        ci_high: Upper end of the Feldt 95% interval, or None.
        items: Per-item statistics, in scale order.
        omega_total: McDonald's omega total from a one-factor model, or
            None (not asked for, or undefined: see *notes*).
        notes: Diagnostics, as R psych would warn (an item without
            variance, items loading negatively on the first component,
            negative alpha, a correlation matrix that is not positive
            definite, too few rows), and the reason for every None in this
            entry.
    """

    scale: str = attrs.field(metadata=_doc("Scale id."))
    n_items: int = attrs.field(metadata=_doc("Items.", ge=0))
    n_complete: int = attrs.field(metadata=_doc("Complete rows.", ge=0))
    n_used: int = attrs.field(metadata=_doc("Rows behind the interval.", ge=0))
    alpha: float | None = attrs.field(metadata=_doc("Raw alpha, or null."))
    std_alpha: float | None = attrs.field(metadata=_doc("Standardised alpha."))
    average_r: float | None = attrs.field(metadata=_doc("Mean inter-item r."))
    ci_low: float | None = attrs.field(metadata=_doc("Feldt 95% lower end."))
    ci_high: float | None = attrs.field(metadata=_doc("Feldt 95% upper end."))
    items: tuple[ItemReliability, ...] = attrs.field(metadata=_doc("Item stats."))
    omega_total: float | None = attrs.field(
        default=None, metadata=_doc("Omega total, or null.")
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Diagnostics; why a figure is null.")
    )


@attrs.frozen(kw_only=True)
class ReliabilityReport:
    """Reliability of every scale of an instrument for one data set.

    Attributes:
        instrument: Instrument id.
        instrument_version: Its content version.
        missing: ``"listwise"`` or ``"pairwise"``.
        n_rows: Rows read.
        scales: One entry per scale, in the instrument's order.
        validated: Whether the instrument is a validated measure. The
            bundled inventories are not: their alphas describe one data set,
            not a validated scale. False in reports stored before it was
            added.
        instrument_hash: The instrument's ``content_hash``, or empty in
            reports stored before it was added.
    """

    instrument: str = attrs.field(metadata=_doc("Instrument id."))
    instrument_version: str = attrs.field(metadata=_doc("Instrument version."))
    missing: str = attrs.field(metadata=_doc("listwise or pairwise."))
    n_rows: int = attrs.field(metadata=_doc("Rows read.", ge=0))
    scales: tuple[ScaleReliability, ...] = attrs.field(metadata=_doc("Per scale."))
    validated: bool = attrs.field(
        default=False, metadata=_doc("Whether the instrument is a validated measure.")
    )
    instrument_hash: str = attrs.field(
        default="", metadata=_doc("SHA-256 content hash of the instrument, or empty.")
    )

    def scale(self, scale_id: str) -> ScaleReliability:
        """Return the entry of one scale.

        Raises:
            UnknownIdError: If there is no such scale.
        """
        for found in self.scales:
            if found.scale == scale_id:
                return found
        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message, not the message
            str(scale_id),
            [s.scale for s in self.scales],
            where="report",
        )

    # -- table, text and frame forms (allykit.scoring._tables) -------------

    def to_table(self, *, items: bool = False) -> list[dict[str, Any]]:
        """Return one record per scale (or per item, with *items*).

        Plain dicts, for ``csv.DictWriter`` or any DataFrame library.
        """
        from allykit.scoring._tables import report_table

        return report_table(self, items=items)

    def to_frame(self, *, backend: str = "pandas", items: bool = False) -> Any:
        """Return :meth:`to_table` as a ``"pandas"`` or ``"polars"`` DataFrame."""
        from allykit.scoring._tables import report_frame

        return report_frame(self, backend=backend, items=items)

    def __str__(self) -> str:
        """Return a short text table: one line per scale, then per item."""
        from allykit.scoring._tables import report_text

        return report_text(self)

    # -- conversion ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready plain data (``schema_version`` first)."""
        from allykit.models._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the report as JSON text, for a results file or an app's store."""
        from allykit.models._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReliabilityReport:
        """Validate plain data and build a report.

        Raises:
            DataFileError: Listing every problem, with its location.

        >>> from allykit.catalog import load_instrument
        >>> rows = [
        ...     {"ac-speak-up": a, "ac-use-influence": b, "ac-act-with-others": c}
        ...     for a, b, c in [(4, 4, 5), (2, 3, 2), (5, 4, 4), (3, 3, 3)]
        ... ]
        >>> from allykit.scoring import reliability
        >>> report = reliability(
        ...     load_instrument("ally-model-reflection"), rows, missing="pairwise")
        >>> ReliabilityReport.from_json(report.to_json()) == report
        True
        """
        from allykit.catalog._loading import load_document

        return load_document(cls, data, source="<mapping>", title=_REPORT_TITLE)

    @classmethod
    def from_json(cls, text: str | bytes) -> ReliabilityReport:
        """Validate JSON text and build a report.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit.catalog._loading import load_document, parse_json

        return load_document(
            cls,
            parse_json(text, "<string>"),
            source="<string>",
            title=_REPORT_TITLE,
        )


_REPORT_TITLE = "allykit reliability report"


def rows_reliability(
    instrument: Instrument,
    rows: Iterable[Mapping[Any, Any]],
    *,
    missing: MissingPolicy = "listwise",
    invalid: Literal["raise", "missing"] = "raise",
    omega: bool = False,
) -> ReliabilityReport:
    """The core of :func:`allykit.scoring.reliability`: response mappings only."""
    _check_missing(missing)
    _check_policy(invalid)
    plan = plan_for(instrument)
    try:
        iterator = iter(rows)
    except TypeError:
        msg = (
            "rows must be an iterable of mappings or a DataFrame, "
            f"not {type(rows).__name__}"
        )
        raise InvalidArgumentError(msg) from None
    table: list[list[Any]] = []
    for number, responses in enumerate(iterator):
        try:
            values, _ = resolve(plan, responses, raise_on_problems=invalid == "raise")
        except ResponseError as error:
            raise ResponseError(error.problems, row=number) from None
        table.append(values)
    by_item: dict[int, list[Any]] = {
        index: [values[index] for values in table]
        for sp in plan.scales
        for index, _, _, _ in sp.members
    }
    return _report_from_columns(
        instrument, by_item, n_rows=len(table), missing=missing, omega=omega
    )


def _check_missing(missing: object) -> None:
    if missing not in ("listwise", "pairwise"):
        msg = f"missing must be 'listwise' or 'pairwise', not {short_repr(missing)}"
        raise InvalidArgumentError(msg)


# Modules whose objects are DataFrames (or lazy frames) rather than rows.
_FRAME_LIBRARIES = frozenset(
    {
        "cudf",
        "dask",
        "dask_expr",
        "duckdb",
        "ibis",
        "modin",
        "narwhals",
        "pandas",
        "polars",
        "pyarrow",
        "pyspark",
        "sqlframe",
    }
)


def is_frame(data: object) -> bool:
    """Tell whether *data* is a DataFrame of some library rather than rows.

    Looks only at the type's module (no frame library is imported), so a
    list, tuple or generator of mappings is never mistaken for a frame.

    >>> is_frame([{"a": 1}]), is_frame({"a": [1]})
    (False, False)
    >>> import pandas as pd
    >>> is_frame(pd.DataFrame({"a": [1]}))
    True
    """
    if isinstance(data, (list, tuple, Mapping, str)):
        return False
    return type(data).__module__.partition(".")[0] in _FRAME_LIBRARIES


def _report_from_columns(
    instrument: Instrument,
    by_item: Mapping[int, Sequence[Any]],
    *,
    n_rows: int,
    missing: MissingPolicy,
    omega: bool = False,
) -> ReliabilityReport:
    """Build the report from resolved answers, one column per item.

    *by_item* maps a plan item index to that item's answers in row order:
    a choice value, ``NA`` or None (NaN counts as None). Every item of
    every scale must be present. Reverse keying happens here, so rows and
    frames share every rule after resolving.
    """
    plan = plan_for(instrument)
    scales = []
    for sp in plan.scales:
        low, high = sp.low, sp.high
        columns = []
        for index, _weight, reverse, _item_id in sp.members:
            column: list[float | None] = []
            for value in by_item[index]:
                # NaN is how pandas writes a missing number.
                if (
                    value is None
                    or value is NA
                    or (type(value) is float and math.isnan(value))
                ):
                    column.append(None)
                else:
                    column.append(low + high - value if reverse else float(value))
            columns.append(column)
        scales.append(
            _scale_reliability(
                sp.scale.id,
                [m[3] for m in sp.members],
                columns,
                pairwise=missing == "pairwise",
                omega=omega,
            )
        )
    return ReliabilityReport(
        instrument=instrument.id,
        instrument_version=instrument.version,
        missing=missing,
        n_rows=n_rows,
        scales=tuple(scales),
        validated=instrument.validated,
        instrument_hash=instrument_hash(instrument),
    )


def _covariance(columns: list[list[float | None]]) -> list[list[float | None]]:
    """Return the covariance matrix (``n - 1``); None where under 2 rows pair up."""
    k = len(columns)
    matrix: list[list[float | None]] = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            pairs = [
                (x, y)
                for x, y in zip(columns[i], columns[j], strict=True)
                if x is not None and y is not None
            ]
            n = len(pairs)
            if n < 2:  # noqa: PLR2004 -- a covariance needs two rows
                continue
            mean_x = math.fsum(x for x, _ in pairs) / n
            mean_y = math.fsum(y for _, y in pairs) / n
            value = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs) / (n - 1)
            matrix[i][j] = matrix[j][i] = value
    return matrix


_RELATIVE_TOLERANCE = 1e-9


def cronbach_alpha(cov: list[list[float]]) -> float | None:
    """Return raw alpha ``k/(k-1) * (1 - trace/sum)`` of a covariance matrix.

    None when there are fewer than two items or the total variance is not
    positive.

    >>> cronbach_alpha([[1.0, 0.5], [0.5, 1.0]])
    0.666...
    """
    k = len(cov)
    if k < 2:  # noqa: PLR2004 -- alpha needs two items
        return None
    total = math.fsum(math.fsum(row) for row in cov)
    trace = math.fsum(cov[i][i] for i in range(k))
    return _alpha(k, total, trace)


def _alpha(k: int, total: float, trace: float) -> float | None:
    """Return raw alpha of *k* items from the sum and trace of their covariances."""
    if k < 2:  # noqa: PLR2004 -- alpha needs two items
        return None
    # A total variance that is zero up to rounding (items that cancel out
    # exactly) would give a meaningless alpha of about -1e16.
    if not total > _RELATIVE_TOLERANCE * max(abs(trace), 1.0):
        return None
    return k / (k - 1) * (1 - trace / total)


def _scale_reliability(
    scale_id: str,
    item_ids: list[str],
    columns: list[list[float | None]],
    *,
    pairwise: bool,
    omega: bool = False,
) -> ScaleReliability:
    k = len(columns)
    n_rows = len(columns[0]) if columns else 0
    complete = [
        r for r in range(n_rows) if all(column[r] is not None for column in columns)
    ]
    if pairwise:
        used_columns = columns
        n_used = sum(
            1 for r in range(n_rows) if any(column[r] is not None for column in columns)
        )
    else:
        used_columns = [[column[r] for r in complete] for column in columns]
        n_used = len(complete)
    raw = _covariance(used_columns)
    defined = all(value is not None for row in raw for value in row)
    cov: list[list[float]] = [[v or 0.0 for v in row] for row in raw]
    alpha = std_alpha = average_r = ci_low = ci_high = None
    if defined and k >= 2:  # noqa: PLR2004 -- alpha needs two items
        alpha = cronbach_alpha(cov)
        variances = [cov[i][i] for i in range(k)]
        if all(v > 0 for v in variances):
            correlations = [
                cov[i][j] / math.sqrt(variances[i] * variances[j])
                for i in range(k)
                for j in range(k)
                if i != j
            ]
            average_r = math.fsum(correlations) / len(correlations)
            denominator = 1 + (k - 1) * average_r
            # Undefined when the items cancel out exactly (r = -1/(k-1)).
            std_alpha = k * average_r / denominator if denominator else None
        if alpha is not None and n_used >= 2:  # noqa: PLR2004
            ci_low, ci_high = feldt_interval(alpha, n_used, k)
    # Item-deleted statistics come from the row sums, total and trace, so
    # the whole report costs O(k^2 n) for k items and n rows (the
    # covariances themselves), not O(k^3).
    row_sums = [math.fsum(row) for row in cov]
    total = math.fsum(row_sums)
    trace = math.fsum(cov[i][i] for i in range(k))
    items = []
    for i, item_id in enumerate(item_ids):
        answered = [v for v in used_columns[i] if v is not None]
        n = len(answered)
        mean = math.fsum(answered) / n if n else None
        sd = None
        if n >= 2 and mean is not None:  # noqa: PLR2004
            sd = math.sqrt(math.fsum((v - mean) ** 2 for v in answered) / (n - 1))
        alpha_drop = r_drop = None
        if defined and k >= 2:  # noqa: PLR2004
            # Without item i: its row and column leave the sum once each
            # (its variance, counted in both, comes back once).
            rest_var = math.fsum((total, -2 * row_sums[i], cov[i][i]))
            alpha_drop = _alpha(k - 1, rest_var, trace - cov[i][i])
            if cov[i][i] > 0 and rest_var > 0:
                r_drop = (row_sums[i] - cov[i][i]) / math.sqrt(cov[i][i] * rest_var)
        items.append(
            ItemReliability(
                item=item_id,
                n=n,
                mean=mean,
                sd=sd,
                alpha_if_deleted=alpha_drop,
                r_drop=r_drop,
            )
        )
    notes, omega_total, items = _notes_and_omega(
        scale_id,
        item_ids,
        used_columns,
        raw,
        items,
        alpha=(alpha, std_alpha),
        n_used=n_used,
        ci_defined=ci_low is not None,
        pairwise=pairwise,
        omega=omega,
        answered=any(v is not None for column in columns for v in column),
    )
    return ScaleReliability(
        scale=scale_id,
        n_items=k,
        n_complete=len(complete),
        n_used=n_used,
        alpha=alpha,
        std_alpha=std_alpha,
        average_r=average_r,
        ci_low=ci_low,
        ci_high=ci_high,
        items=tuple(items),
        omega_total=omega_total,
        notes=tuple(notes),
    )


def _notes_and_omega(  # noqa: PLR0913 -- the figures the notes speak of
    scale_id: str,
    item_ids: list[str],
    used_columns: list[list[float | None]],
    raw: list[list[float | None]],
    items: list[ItemReliability],
    *,
    alpha: tuple[float | None, float | None],
    n_used: int,
    ci_defined: bool,
    pairwise: bool,
    omega: bool,
    answered: bool | None = None,
) -> tuple[list[str], float | None, list[ItemReliability]]:
    """Diagnose a scale (warning as psych would), then add omega if asked."""
    from allykit.scoring._diagnostics import diagnose

    notes, warn_now = diagnose(
        item_ids,
        used_columns,
        raw,
        alpha=alpha[0],
        std_alpha=alpha[1],
        n_used=n_used,
        ci_defined=ci_defined,
        r_drops=[item.r_drop for item in items],
        pairwise=pairwise,
        alpha_of=cronbach_alpha,
        answered=answered,
    )
    omega_total = None
    if omega:
        defined = all(value is not None for row in raw for value in row)
        cov = [[v or 0.0 for v in row] for row in raw]
        omega_total, items, more = _with_omega(
            cov, used_columns, items, defined=defined
        )
        notes += more
    if warn_now:
        from allykit.errors import ReliabilityWarning, warn

        warn(f"scale {scale_id!r}: " + "; ".join(warn_now), ReliabilityWarning)
    return notes, omega_total, items


def _pair_correlation(x: list[float | None], y: list[float | None]) -> float:
    pairs = [
        (a, b) for a, b in zip(x, y, strict=True) if a is not None and b is not None
    ]
    n = len(pairs)
    mean_x = math.fsum(a for a, _ in pairs) / n
    mean_y = math.fsum(b for _, b in pairs) / n
    sxy = math.fsum((a - mean_x) * (b - mean_y) for a, b in pairs)
    sxx = math.fsum((a - mean_x) ** 2 for a, _ in pairs)
    syy = math.fsum((b - mean_y) ** 2 for _, b in pairs)
    if not (sxx > 0 and syy > 0):
        return math.nan
    return sxy / math.sqrt(sxx * syy)


def _with_omega(
    cov: list[list[float]],
    columns: list[list[float | None]],
    items: list[ItemReliability],
    *,
    defined: bool,
) -> tuple[float | None, list[ItemReliability], list[str]]:
    """Add omega total and loadings (lazy NumPy/SciPy), or say why not."""
    k = len(cov)
    if k < 2:  # noqa: PLR2004 -- a factor needs two items
        return None, items, ["omega: undefined for a scale of one item"]
    if not defined:
        return None, items, ["omega: undefined, some pairs of items share < 2 rows"]
    variances = [cov[i][i] for i in range(k)]
    if not all(v > 0 for v in variances):
        return None, items, ["omega: undefined, an item has no variance"]
    # Each correlation from the rows answering both items, as R's
    # cor(use = "pairwise") behind psych's omega (the same as cov-based
    # correlations for complete rows).
    correlation = [[1.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            correlation[i][j] = correlation[j][i] = _pair_correlation(
                columns[i], columns[j]
            )
    from allykit.scoring._omega import one_factor_omega  # lazy: NumPy, SciPy

    if any(math.isnan(r) for row in correlation for r in row):
        return None, items, ["omega: undefined, an item has no variance in a pair"]
    omega_total, loadings = one_factor_omega(correlation)
    notes = []
    negative = [item.item for item, x in zip(items, loadings, strict=True) if x < 0]
    if negative:
        notes.append(
            "omega: negative loadings for " + ", ".join(negative) + " (flipped, "
            "as psych does; a reverse key may be missing)"
        )
    return (
        omega_total,
        [
            attrs.evolve(item, loading=x)
            for item, x in zip(items, loadings, strict=True)
        ],
        notes,
    )


def feldt_interval(
    alpha: float, n: int, k: int, level: float = 0.95
) -> tuple[float, float]:
    """Return Feldt's interval for alpha from *n* rows and *k* items."""
    df1 = n - 1
    df2 = (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * f_quantile(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * f_quantile(tail, df1, df2)
    return low, high


# -- the F distribution, in pure Python --------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Evaluate the continued fraction of the incomplete beta (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:  # noqa: PLR2004 -- double precision
            break
    return h


def _regularised_beta(a: float, b: float, x: float) -> float:
    """Return the regularised incomplete beta function ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def f_quantile(p: float, df1: float, df2: float) -> float:
    """Return the *p* quantile of the F distribution with *df1* and *df2* df.

    Inverts ``I_y(df1/2, df2/2)`` by bisection on ``y`` in (0, 1), then maps
    ``y`` to ``x = df2*y / (df1*(1-y))``; accurate to about 1e-12.

    >>> round(f_quantile(0.975, 10, 90), 4)
    2.1942
    """
    a, b = df1 / 2.0, df2 / 2.0
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _regularised_beta(a, b, middle) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-16:  # noqa: PLR2004 -- double precision
            break
    y = (low + high) / 2.0
    return df2 * y / (df1 * (1.0 - y))
