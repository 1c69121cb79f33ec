"""The public ``reliability``: rows to the scoring core, DataFrames to ``frames``.

The only module of :mod:`allykit.scoring` that knows ``scoring.frames``
exists; the core (:mod:`allykit.scoring._reliability`) never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from allykit.errors import InvalidArgumentError
from allykit.scoring._reliability import _check_missing, is_frame, rows_reliability
from allykit.scoring._score import _check_policy

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._reliability import MissingPolicy, ReliabilityReport

__all__ = ["reliability"]


def reliability(  # noqa: PLR0913 -- keyword-only options, most for frames only
    instrument: Instrument,
    rows: Iterable[Mapping[Any, Any]] | Any,
    *,
    missing: MissingPolicy = "listwise",
    invalid: Literal["raise", "missing"] = "raise",
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    labels: bool = True,
    long: bool = False,
    item_column: str = "item",
    value_column: str = "value",
    omega: bool = False,
) -> ReliabilityReport:
    """Return Cronbach's alpha, its Feldt 95% interval and item statistics per scale.

    *rows* may also be a DataFrame (pandas, polars eager or lazy, pyarrow,
    Dask, DuckDB, PySpark, or any frame narwhals supports): it is handed to
    :func:`allykit.scoring.frames.reliability_frame` (extra ``frames``), which
    reads only the scales' item columns, applies the same rules, and gives
    the same report. The other options are for frames only.

    Args:
        instrument: The instrument answered.
        rows: Response mappings (read by
            :func:`allykit.scoring.answers.read_answers`: the same columns
            and errors as every door), or a DataFrame of answers, as for
            :func:`allykit.scoring.frames.score_frame`.
        missing: ``"listwise"`` (complete rows only) or ``"pairwise"``.
        invalid: ``"raise"`` or ``"missing"``, as for scoring.
        columns: Item id -> column name (or, with *long*, -> name in the
            item column); None means columns are item ids.
        id_column: The respondent column, never scored and named in
            errors; required with *long*.
        ignore: Columns to set aside (names or patterns such as
            ``"note_*"``), besides the housekeeping columns of REDCap and
            Qualtrics exports, as for ``read_answers``.
        labels: Frames only: accept text columns as choice labels.
        long: Frames only: one row per (respondent, item, value).
        item_column: Frames only, with *long*: the column naming the item.
        value_column: Frames only, with *long*: the column of answers.
        omega: Also give McDonald's omega total and the loadings of a
            one-factor minres model, as R psych's ``omega(x, nfactors = 1)``
            (extra ``stats``: NumPy and SciPy), from the same covariances
            as alpha (so under the same missing-data policy).

    Each scale's ``notes`` say why any of its figures is None, and give
    psych's diagnostics (an item without variance, items loading
    negatively on the first principal component, negative alpha, a
    correlation matrix that is not positive definite, too few rows), which
    are also issued once per scale as an :class:`allykit.errors.ReliabilityWarning`.

    Raises:
        AnswersError: Listing every unusable answer by row and column
            (unless ``invalid="missing"``), capped at 20 with a count, the
            same for rows and frames; ``row`` is the 0-based number of the
            first. It is a :class:`~allykit.errors.ResponseError`.
        InvalidArgumentError: For an unknown policy, a metadata-only
            instrument, or frame options given with response mappings.

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> scale = inventory.scale("action")
    >>> def row(v, w):
    ...     reverse = {k for k in scale.items if inventory.item(k).reverse}
    ...     answers = {k: 6 - v if k in reverse else v for k in scale.items}
    ...     return answers | {"ac-speak-up": w}
    >>> rows = [row(1, 2), row(3, 3), row(4, 5), row(2, 1), row(5, 4)]
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     entry = reliability(inventory, rows).scale("action")
    >>> entry.n_complete, round(entry.alpha, 3)
    (5, 0.988)
    >>> [round(x, 2) for x in (entry.ci_low, entry.ci_high)]
    [0.96, 1.0]
    >>> caught[0].category.__name__, entry.notes[0][:55]
    ('ReliabilityWarning', 'the inter-item correlation matrix is not positive defin')
    >>> import polars as pl
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     same = reliability(inventory, pl.DataFrame(rows)).scale("action")
    >>> same == entry
    True
    """
    _check_missing(missing)
    _check_policy(invalid)
    if is_frame(rows):
        from allykit.scoring.frames import reliability_frame  # lazy: needs narwhals

        return reliability_frame(
            instrument,
            rows,
            missing=missing,
            invalid=invalid,
            columns=columns,
            id_column=id_column,
            ignore=ignore,
            labels=labels,
            long=long,
            item_column=item_column,
            value_column=value_column,
            omega=omega,
        )
    given = {
        "labels": labels is not True,
        "long": long is not False,
        "item_column": item_column != "item",
        "value_column": value_column != "value",
    }
    if any(given.values()):
        names = ", ".join(name for name, set_ in given.items() if set_)
        msg = (
            f"{names}: options for DataFrames only; response mappings are "
            "keyed by item id already (map them before, or pass a DataFrame)"
        )
        raise InvalidArgumentError(msg)
    from allykit.scoring.answers import _read

    # The one reader: the same columns, answers and errors as every door.
    got = _read(
        rows,
        instrument,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
        invalid=invalid,
    )
    return rows_reliability(
        instrument, got.rows, missing=missing, invalid="missing", omega=omega
    )
