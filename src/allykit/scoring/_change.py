"""Change between two administrations of an instrument (before and after).

Pure Python. Rows of the two administrations are paired by a respondent id
column; each scale's headline score (as :func:`allykit.scoring.score` gives
it) is compared within pairs:

* mean change ``d = after - before`` over pairs scored both times, with a
  95% t interval ``mean(d) +- t(0.975; n-1) * sd(d) / sqrt(n)``;
* two standardised effect sizes: ``effect_size = mean(d) / sd(before)``,
  the standardised mean change in baseline standard deviations (Becker,
  1988, *British Journal of Mathematical and Statistical Psychology* 41,
  257-278, his ``d`` without the small-sample correction), and
  ``d_z = mean(d) / sd(d)``, the paired-samples effect size (Lakens, 2013,
  *Frontiers in Psychology* 4, 863, equation 6);
* the Jacobson-Truax (1991) reliable change index per pair,
  ``RCI = d / S_diff`` with ``S_diff = sqrt(2) * sd(before) * sqrt(1 - r)``,
  where ``r`` is the scale's reliability: raw alpha of the *before*
  answers (listwise), or one the caller supplies (a published alpha, say),
  named in ``reliability_source``; a pair whose ``|RCI|`` is greater than
  :data:`RCI_THRESHOLD` (``1.959963984540054``, the 0.975 quantile of the
  standard normal) changed by more than measurement error would explain
  at the 5% level; ``|RCI|`` equal to it or below counts as "within".

Figures describe changes in answers, never people: the counts say how
many pairs of answers rose or fell by more than measurement error.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from allykit._numbers import real_number
from allykit.errors import InvalidArgumentError, short_repr
from allykit.models._result import Result
from allykit.models.framework import _doc

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring.answers import Answers

__all__ = ["RCI_THRESHOLD", "ChangeReport", "ScaleChange", "change"]

#: The reliable-change cut-off: ``|RCI|`` above it counts as a change beyond
#: measurement error. The 0.975 quantile of the standard normal, to double
#: precision (``scipy.stats.norm.ppf(0.975)``; R ``qnorm(0.975)``).
RCI_THRESHOLD = 1.959963984540054


@attrs.frozen(kw_only=True)
class ScaleChange:
    """Change in one scale's scores between two administrations.

    Attributes:
        scale: Scale id.
        n_pairs: Pairs with a score both times.
        mean_before: Mean score before (over those pairs), or None.
        mean_after: Mean score after, or None.
        mean_change: Mean of ``after - before``, or None.
        ci_low: Lower end of its 95% t interval, or None.
        ci_high: Upper end, or None.
        effect_size: Becker's (1988) standardised mean change,
            ``mean_change / sd(before)`` (change in baseline SDs), or None.
        d_z: Lakens's (2013) ``d_z = mean_change / sd(after - before)``,
            or None.
        reliability: The reliability behind the RCI, or None.
        reliability_source: ``"alpha of the before answers"`` or
            ``"supplied"``.
        s_diff: Standard error of a difference (Jacobson-Truax), or None.
        rci: ``(respondent id, RCI)`` per pair, in id order; RCI None when
            undefined.
        n_rose: Pairs with ``RCI > RCI_THRESHOLD``.
        n_fell: Pairs with ``RCI < -RCI_THRESHOLD``.
        n_within: Pairs with ``|RCI| <= RCI_THRESHOLD``.
        notes: Why a figure is None, and other remarks.
    """

    scale: str = attrs.field(metadata=_doc("Scale id."))
    n_pairs: int = attrs.field(metadata=_doc("Pairs scored both times.", ge=0))
    mean_before: float | None = attrs.field(metadata=_doc("Mean before."))
    mean_after: float | None = attrs.field(metadata=_doc("Mean after."))
    mean_change: float | None = attrs.field(metadata=_doc("Mean change."))
    ci_low: float | None = attrs.field(metadata=_doc("95% t interval, low."))
    ci_high: float | None = attrs.field(metadata=_doc("95% t interval, high."))
    effect_size: float | None = attrs.field(
        metadata=_doc("Becker (1988): change / SD before.")
    )
    d_z: float | None = attrs.field(
        metadata=_doc("Lakens (2013) d_z: change / SD of changes.")
    )
    reliability: float | None = attrs.field(metadata=_doc("Reliability used."))
    reliability_source: str = attrs.field(metadata=_doc("Where it came from."))
    s_diff: float | None = attrs.field(metadata=_doc("SE of a difference."))
    rci: tuple[tuple[str, float | None], ...] = attrs.field(
        metadata=_doc("Reliable change index per pair.")
    )
    n_rose: int = attrs.field(metadata=_doc("Rose beyond error.", ge=0))
    n_fell: int = attrs.field(metadata=_doc("Fell beyond error.", ge=0))
    n_within: int = attrs.field(metadata=_doc("Within error.", ge=0))
    notes: tuple[str, ...] = attrs.field(metadata=_doc("Remarks."))


@attrs.frozen(kw_only=True)
class ChangeReport(Result):
    """Change between two administrations, per scale.

    Attributes:
        instrument: Instrument id.
        n_before: Rows before.
        n_after: Rows after.
        n_pairs: Ids found once in each.
        only_before: Ids found only before.
        only_after: Ids found only after.
        duplicate_ids: Ids found more than once in either (left out).
        rows_without_id: Rows without an id, before and after (left out).
        scales: One entry per scale, in the instrument's order.
        validated: Whether the instrument is a validated measure; False in
            reports stored before it was added.
        published: Whether the instrument is a published scale completed
            with the user's own items; False in reports stored before it
            was added.
    """

    instrument: str = attrs.field(metadata=_doc("Instrument id."))
    n_before: int = attrs.field(metadata=_doc("Rows before.", ge=0))
    n_after: int = attrs.field(metadata=_doc("Rows after.", ge=0))
    n_pairs: int = attrs.field(metadata=_doc("Paired ids.", ge=0))
    only_before: tuple[str, ...] = attrs.field(metadata=_doc("Ids only before."))
    only_after: tuple[str, ...] = attrs.field(metadata=_doc("Ids only after."))
    duplicate_ids: tuple[str, ...] = attrs.field(metadata=_doc("Repeated ids."))
    rows_without_id: tuple[int, int] = attrs.field(metadata=_doc("Before, after."))
    scales: tuple[ScaleChange, ...] = attrs.field(metadata=_doc("Per scale."))
    validated: bool = attrs.field(
        default=False, metadata=_doc("Whether the instrument is a validated measure.")
    )
    published: bool = attrs.field(
        default=False,
        metadata=_doc("Published scale completed with the user's own items?"),
    )

    def scale(self, scale_id: str) -> ScaleChange:
        """Return the entry of one scale.

        Raises:
            UnknownIdError: If there is no such scale.
        """
        from allykit.errors import UnknownIdError

        for found in self.scales:
            if found.scale == scale_id:
                return found
        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message
            str(scale_id),
            [s.scale for s in self.scales],
            where="change report",
        )

    # -- serialisation (models/_result.py) and forms (_change_forms.py) --

    _TITLE: ClassVar[str] = "allykit change report"

    def to_table(self, *, pairs: bool = False) -> list[dict[str, Any]]:
        """Return one record per scale, or per pair and scale with *pairs*.

        Plain dicts, for ``csv.DictWriter`` or any DataFrame library. The
        per-pair records hold each pair's reliable change index.
        """
        from allykit.scoring._change_forms import change_table

        return change_table(self, pairs=pairs)

    def to_frame(self, *, backend: str = "pandas", pairs: bool = False) -> Any:
        """Return :meth:`to_table` as a ``"pandas"`` or ``"polars"`` DataFrame."""
        from allykit.scoring._change_forms import change_frame

        return change_frame(self, backend=backend, pairs=pairs)

    def __str__(self) -> str:
        """Return a short text table: the pairing, a line per scale, the notes.

        Never a line per person: the reliable change index of each pair is
        in ``to_table(pairs=True)``.
        """
        from allykit.scoring._change_forms import change_text

        return change_text(self)


def _as_rows(data: Any) -> list[Mapping[Any, Any]]:
    """Rows of mappings from rows or a DataFrame (NaN is missing)."""
    from allykit.scoring._reliability import is_frame

    if is_frame(data):
        from allykit.scoring.answers import _frame_rows

        return list(_frame_rows(data)[1])
    try:
        return list(data)
    except TypeError:
        msg = (
            "rows must be an iterable of mappings or a DataFrame, "
            f"not {type(data).__name__}"
        )
        raise InvalidArgumentError(msg) from None


def _index(answers: Answers) -> tuple[dict[str, Mapping[Any, Any]], set[str], int]:
    """Rows by id key (equal whole numbers are one id); repeated ids left out."""
    from allykit.scoring.answers import id_key

    found: dict[str, Mapping[Any, Any]] = {}
    repeated: set[str] = set()
    without = 0
    # No ids at all (rows without a single column, so no id column): every
    # row is a row without an id.
    ids = answers.ids if answers.ids is not None else (None,) * len(answers.rows)
    for raw, row in zip(ids, answers.rows, strict=True):
        key = id_key(raw)
        if key is None:
            without += 1
            continue
        if key in found:
            repeated.add(key)
        found[key] = row
    for key in repeated:
        del found[key]
    return found, repeated, without


def _mean_sd(values: list[float]) -> tuple[float | None, float | None]:
    n = len(values)
    if not n:
        return None, None
    mean = math.fsum(values) / n
    if n < 2:  # noqa: PLR2004 -- an SD needs two values
        return mean, None
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def change(  # noqa: PLR0913 -- keyword-only options
    instrument: Instrument,
    before: Iterable[Mapping[Any, Any]] | Any,
    after: Iterable[Mapping[Any, Any]] | Any,
    *,
    id_column: str = "id",
    reliability: Mapping[str, float] | float | None = None,
    invalid: str = "raise",
    columns: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
) -> ChangeReport:
    """Return the change in each scale's scores from *before* to *after*.

    Args:
        instrument: The instrument answered both times.
        before: Rows (mappings of item id to answer, plus *id_column*), a
            DataFrame with the same columns, a file path or
            :class:`~allykit.scoring.answers.Answers`: anything
            :func:`~allykit.scoring.answers.read_answers` reads.
        after: The same, for the second administration.
        id_column: The key or column identifying the respondent. Ids pair
            when equal; equal whole numbers pair whatever their type (``1``,
            ``1.0`` and ``"1"``). A warning says so when none pair.
        reliability: None to use raw alpha of the *before* answers
            (listwise); a number for every scale; or scale id -> number
            (scales left out use alpha).
        invalid: ``"raise"`` or ``"missing"``, as for scoring.
        columns: Item id -> column, as for ``read_answers``.
        ignore: Columns to set aside, as for ``read_answers``.

    Raises:
        InvalidArgumentError: For a reliability outside ``[0, 1)``.
        DataFileError: For unknown columns, a missing id column, or
            unusable answers (unless ``invalid="missing"``), all listed.

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> scale = inventory.scale("action")
    >>> items = [i for i in scale.items if not inventory.item(i).reverse]
    >>> def row(who, v):
    ...     return {"id": who} | {i: v for i in items}
    >>> before = [row("a", 2), row("b", 3), row("c", 2), row("d", 4)]
    >>> after = [row("b", 4), row("a", 4), row("c", 2), row("e", 5)]
    >>> report = change(inventory, before, after, reliability=0.8)
    >>> action = report.scale("action")
    >>> action.n_pairs, action.mean_change, action.n_rose, action.n_within
    (3, 1.0, 2, 1)
    >>> report.only_before, report.only_after
    (('d',), ('e',))
    """
    from allykit.scoring._reliability import rows_reliability
    from allykit.scoring._score import score
    from allykit.scoring.answers import _read

    if invalid not in ("raise", "missing"):
        msg = f"invalid must be 'raise' or 'missing', not {short_repr(invalid)}"
        raise InvalidArgumentError(msg)
    supplied = _supplied(instrument, reliability)
    read: dict[str, Any] = {
        "id_column": id_column,
        "columns": columns,
        "ignore": ignore,
        "invalid": invalid,
    }
    rows_before = _read(before, instrument, **read)
    rows_after = _read(after, instrument, **read)
    first, repeated_1, without_1 = _index(rows_before)
    second, repeated_2, without_2 = _index(rows_after)
    repeated = repeated_1 | repeated_2
    paired = sorted((set(first) & set(second)) - repeated)
    if not paired and (first or second):
        import warnings

        from allykit.errors import AllykitWarning

        warnings.warn(
            f"no respondent id ({id_column!r}) is found both before and after, "
            "so no change can be measured; check that both hold the same ids "
            "in the same column",
            AllykitWarning,
            stacklevel=2,
        )
    policy: Any = invalid
    scores_1 = {k: score(instrument, first[k], invalid=policy) for k in paired}
    scores_2 = {k: score(instrument, second[k], invalid=policy) for k in paired}
    alphas: dict[str, float | None] = {}
    if any(s.id not in supplied for s in instrument.scales):
        import warnings

        from allykit.errors import ReliabilityWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReliabilityWarning)
            report = rows_reliability(
                instrument, [first[k] for k in paired], invalid=policy
            )
        alphas = {s.scale: s.alpha for s in report.scales}
    scales = []
    for scale in instrument.scales:
        pairs = []
        for key in paired:
            x = scores_1[key].scale(scale.id).score
            y = scores_2[key].scale(scale.id).score
            if x is not None and y is not None:
                pairs.append((key, x, y))
        r: float | None = supplied.get(scale.id)
        source = "supplied"
        if scale.id not in supplied:
            r, source = alphas.get(scale.id), "alpha of the before answers"
        scales.append(_scale_change(scale.id, pairs, r, source))
    return ChangeReport(
        instrument=instrument.id,
        n_before=len(rows_before),
        n_after=len(rows_after),
        n_pairs=len(paired),
        only_before=tuple(sorted(set(first) - set(second) - repeated)),
        only_after=tuple(sorted(set(second) - set(first) - repeated)),
        duplicate_ids=tuple(sorted(repeated)),
        rows_without_id=(without_1, without_2),
        scales=tuple(scales),
        validated=instrument.validated,
        published=instrument.published is not None,
    )


def _supplied(
    instrument: Instrument, reliability: Mapping[str, float] | float | None
) -> dict[str, float]:
    if reliability is None:
        return {}
    if isinstance(reliability, numbers.Real) and not isinstance(reliability, bool):
        # Checked below as it is: float() of a huge int would overflow.
        given: dict[str, Any] = {str(s.id): reliability for s in instrument.scales}
    elif isinstance(reliability, Mapping):
        known = {s.id for s in instrument.scales}
        unknown = [k for k in reliability if k not in known]
        if unknown:
            msg = f"reliability names unknown scales: {', '.join(map(str, unknown))}"
            raise InvalidArgumentError(msg)
        given = {str(k): v for k, v in reliability.items()}
    else:
        msg = (
            "reliability must be None, a number or scale id -> number, "
            f"not {short_repr(reliability)}"
        )
        raise InvalidArgumentError(msg)
    for key, value in given.items():
        number = real_number(value)
        if not 0 <= number < 1:
            msg = (
                f"reliability of scale {key!r} must be in [0, 1), not "
                f"{short_repr(value)}; it enters sqrt(1 - r)"
            )
            raise InvalidArgumentError(msg)
    return {k: float(v) for k, v in given.items()}


def _reliable_change(
    pairs: list[tuple[str, float, float]], s_diff: float | None
) -> tuple[list[tuple[str, float | None]], tuple[int, int, int]]:
    """Return the RCI per pair and the counts that rose, fell, stayed within."""
    rci: list[tuple[str, float | None]] = []
    rose = fell = within = 0
    for key, x, y in pairs:
        value = (y - x) / s_diff if s_diff else None
        rci.append((key, value))
        if value is None:
            continue
        if value > RCI_THRESHOLD:
            rose += 1
        elif value < -RCI_THRESHOLD:
            fell += 1
        else:
            within += 1
    return rci, (rose, fell, within)


def _scale_change(
    scale_id: str,
    pairs: list[tuple[str, float, float]],
    r: float | None,
    source: str,
) -> ScaleChange:
    from allykit.scoring._reliability import f_quantile

    notes: list[str] = []
    n = len(pairs)
    diffs = [y - x for _, x, y in pairs]
    mean_1, sd_1 = _mean_sd([x for _, x, _ in pairs])
    mean_2, _ = _mean_sd([y for _, _, y in pairs])
    mean_d, sd_d = _mean_sd(diffs)
    ci_low = ci_high = effect = d_z = s_diff = None
    if n < 2:  # noqa: PLR2004
        scored = "no pair" if n == 0 else "1 pair"
        notes.append(f"{scored} scored both times: no interval or effect size")
    if mean_d is not None and sd_d is not None:
        t = math.sqrt(f_quantile(0.95, 1, n - 1))
        half = t * sd_d / math.sqrt(n)
        ci_low, ci_high = mean_d - half, mean_d + half
        if sd_d > 0:
            d_z = mean_d / sd_d
        else:
            notes.append("d_z: undefined, every pair changed by the same amount")
    if mean_d is not None and sd_1 is not None:
        if sd_1 > 0:
            effect = mean_d / sd_1
        else:
            notes.append("effect size and RCI: undefined, before scores do not vary")
    if r is None:
        notes.append("RCI: undefined, no reliability (alpha of the before answers)")
    elif sd_1 is not None and sd_1 > 0:
        s_diff = math.sqrt(2.0) * sd_1 * math.sqrt(1.0 - r)
    rci, (rose, fell, within) = _reliable_change(pairs, s_diff)
    return ScaleChange(
        scale=scale_id,
        n_pairs=n,
        mean_before=mean_1,
        mean_after=mean_2,
        mean_change=mean_d,
        ci_low=ci_low,
        ci_high=ci_high,
        effect_size=effect,
        d_z=d_z,
        reliability=r,
        reliability_source=source,
        s_diff=s_diff,
        rci=tuple(rci),
        n_rose=rose,
        n_fell=fell,
        n_within=within,
        notes=tuple(notes),
    )
