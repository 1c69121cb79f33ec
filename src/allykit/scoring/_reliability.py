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

from allykit.errors import InvalidArgumentError, ResponseError, short_repr
from allykit.scoring._alpha import cronbach_alpha, scale_reliability
from allykit.scoring._answer_file import is_frame
from allykit.scoring._fdist import f_quantile, feldt_interval
from allykit.scoring._plan import NA, plan_for, resolve
from allykit.scoring._provenance import instrument_hash
from allykit.scoring._reliability_report import (
    ItemReliability,
    MissingPolicy,
    ReliabilityReport,
    ScaleReliability,
)
from allykit.scoring._score import _check_policy

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

# The report classes (allykit.scoring._reliability_report), alpha
# (allykit.scoring._alpha) and the F distribution (allykit.scoring._fdist)
# live in modules of their own; their names stay importable from here.
__all__ = [
    "ItemReliability",
    "MissingPolicy",
    "ReliabilityReport",
    "ScaleReliability",
    "cronbach_alpha",
    "f_quantile",
    "feldt_interval",
    "is_frame",
    "rows_reliability",
]


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
            scale_reliability(
                sp.scale.id,
                [m[3] for m in sp.members],
                columns,
                pairwise=missing == "pairwise",
                omega=omega,
                reversed_items=frozenset(m[3] for m in sp.members if m[2]),
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
        published=instrument.published is not None,
    )
