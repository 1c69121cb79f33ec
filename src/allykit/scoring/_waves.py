"""Change across three or more administrations (waves) of one instrument.

Rows of each wave are paired by a respondent id; each scale's headline
score (as :func:`allykit.scoring.score` gives it) is modelled over time by
a linear mixed model, R lme4's

``lmer(score ~ time + (time | id), REML = TRUE)``

with a random intercept per respondent and a random slope where the data
identify one (otherwise ``(1 | id)``, with a note). The fixed slope is the
change per wave (per unit of *times*), given with its Wald 95% interval;
the variance components, the number of respondents and of observations,
and the mean score per wave (the trajectory the report draws) come with
it. Fitting needs the extra ``stats`` (NumPy, SciPy, statsmodels); see
:mod:`allykit.scoring._mixed` for the estimator.

Rows and DataFrames go through one reader, so both give the same figures.
Figures and the summary describe answers, never people.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from allykit.errors import InvalidArgumentError, UnknownIdError, short_repr
from allykit.models._result import Result
from allykit.models.framework import _doc
from allykit.scoring._words import counted

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = ["ScaleWaves", "WaveMean", "WavesReport", "waves"]


@attrs.frozen(kw_only=True)
class WaveMean:
    """The scores of one scale at one wave.

    Attributes:
        time: The wave's time (0, 1, 2, ... unless given).
        n: Respondents with a score at this wave.
        mean: Their mean score, or None.
        sd: Their standard deviation (``n - 1``), or None.
    """

    time: float = attrs.field(metadata=_doc("Time of the wave."))
    n: int = attrs.field(metadata=_doc("Scores at this wave.", ge=0))
    mean: float | None = attrs.field(metadata=_doc("Mean score."))
    sd: float | None = attrs.field(metadata=_doc("SD of the scores."))


@attrs.frozen(kw_only=True)
class ScaleWaves:
    """One scale's change across waves: a linear mixed model (REML).

    Attributes:
        scale: Scale id.
        n_people: Respondents with at least one score.
        n_observations: Scores in the model.
        waves: Mean score per wave, in time order.
        intercept: Fixed intercept (expected score at time 0), or None.
        change_per_wave: Fixed slope: change in the expected score per
            unit of time (per wave by default), or None.
        se: Its standard error, or None.
        ci_low: Lower end of its Wald 95% interval, or None.
        ci_high: Upper end, or None.
        var_intercept: Variance of the respondents' intercepts, or None.
        var_slope: Variance of their slopes, or None (no random slope).
        cov_intercept_slope: Their covariance, or None.
        var_residual: Residual variance, or None.
        random_slope: Whether the model has a random slope.
        estimator: ``"REML"``.
        summary: The result in plain words.
        notes: Why a figure is None, and other remarks.
    """

    scale: str = attrs.field(metadata=_doc("Scale id."))
    n_people: int = attrs.field(metadata=_doc("Respondents scored.", ge=0))
    n_observations: int = attrs.field(metadata=_doc("Scores modelled.", ge=0))
    waves: tuple[WaveMean, ...] = attrs.field(metadata=_doc("Mean per wave."))
    intercept: float | None = attrs.field(metadata=_doc("Fixed intercept."))
    change_per_wave: float | None = attrs.field(metadata=_doc("Fixed slope."))
    se: float | None = attrs.field(metadata=_doc("SE of the slope."))
    ci_low: float | None = attrs.field(metadata=_doc("Wald 95% interval, low."))
    ci_high: float | None = attrs.field(metadata=_doc("Wald 95% interval, high."))
    var_intercept: float | None = attrs.field(metadata=_doc("Intercept variance."))
    var_slope: float | None = attrs.field(metadata=_doc("Slope variance."))
    cov_intercept_slope: float | None = attrs.field(metadata=_doc("Covariance."))
    var_residual: float | None = attrs.field(metadata=_doc("Residual variance."))
    random_slope: bool = attrs.field(metadata=_doc("Random slope fitted."))
    estimator: str = attrs.field(metadata=_doc("REML."))
    summary: str = attrs.field(metadata=_doc("In plain words."))
    notes: tuple[str, ...] = attrs.field(metadata=_doc("Remarks."))


@attrs.frozen(kw_only=True)
class WavesReport(Result):
    """Change across three or more waves, per scale.

    Attributes:
        instrument: Instrument id.
        times: The time of each wave, in the order given.
        n_rows: Rows read per wave.
        n_people: Distinct ids used across waves.
        duplicate_ids: Ids found more than once within a wave (left out
            of that wave).
        rows_without_id: Rows without an id, per wave (left out).
        scales: One entry per scale, in the instrument's order.
    """

    instrument: str = attrs.field(metadata=_doc("Instrument id."))
    times: tuple[float, ...] = attrs.field(metadata=_doc("Time of each wave."))
    n_rows: tuple[int, ...] = attrs.field(metadata=_doc("Rows per wave."))
    n_people: int = attrs.field(metadata=_doc("Ids used.", ge=0))
    duplicate_ids: tuple[str, ...] = attrs.field(metadata=_doc("Repeated ids."))
    rows_without_id: tuple[int, ...] = attrs.field(metadata=_doc("Per wave."))
    scales: tuple[ScaleWaves, ...] = attrs.field(metadata=_doc("Per scale."))

    def scale(self, scale_id: str) -> ScaleWaves:
        """Return the entry of one scale.

        Raises:
            UnknownIdError: If there is no such scale.
        """
        for found in self.scales:
            if found.scale == scale_id:
                return found
        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message
            str(scale_id),
            [s.scale for s in self.scales],
            where="waves report",
        )

    def to_table(self, *, waves: bool = False) -> list[dict[str, Any]]:
        """Return one record per scale, or per scale and wave with *waves*.

        Plain dicts, for ``csv.DictWriter`` or any DataFrame library. The
        per-wave records hold each wave's mean score.
        """
        from allykit.scoring._waves_forms import waves_table

        return waves_table(self, waves=waves)

    def to_frame(self, *, backend: str = "pandas", waves: bool = False) -> Any:
        """Return :meth:`to_table` as a ``"pandas"`` or ``"polars"`` DataFrame."""
        from allykit.scoring._waves_forms import waves_frame

        return waves_frame(self, backend=backend, waves=waves)

    def __str__(self) -> str:
        """Return a short text table: what was read, a line per scale, the notes.

        Never a line per person (nor an id).
        """
        from allykit.scoring._waves_forms import waves_text

        return waves_text(self)

    # -- serialisation: the one result contract (models/_result.py) --

    _TITLE: ClassVar[str] = "allykit waves report"


def waves(  # noqa: PLR0913 -- keyword-only options, as change()'s
    instrument: Instrument,
    administrations: Sequence[Iterable[Mapping[Any, Any]] | Any],
    *,
    id_column: str = "id",
    times: Sequence[float] | None = None,
    invalid: str = "raise",
    columns: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
) -> WavesReport:
    """Return each scale's change across three or more administrations.

    Args:
        instrument: The instrument answered at every wave.
        administrations: Three or more waves, in time order: each rows
            (mappings of item id to answer, plus *id_column*) or a
            DataFrame with the same columns.
        id_column: The key or column identifying the respondent.
        times: The time of each wave (weeks, say); 0, 1, 2, ... by
            default, so the slope is the change per wave.
        invalid: ``"raise"`` or ``"missing"``, as for scoring.
        columns: Item id -> column, as for ``read_answers`` (every wave).
        ignore: Columns to set aside, as for ``read_answers`` (every wave).

    Raises:
        InvalidArgumentError: For fewer than three waves, *times* of the
            wrong length or not increasing, or without the extra ``stats``.
        ResponseError: For unusable answers (unless ``invalid="missing"``).

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> items = [i.id for i in inventory.items if not i.reverse]
    >>> def wave(shift):
    ...     return [{"id": f"p{n}"} | {i: min(5, 1 + n % 3 + shift) for i in items}
    ...             for n in range(8)]
    >>> report = waves(inventory, [wave(0), wave(1), wave(1)])
    >>> action = report.scale("action")
    >>> action.n_people, action.n_observations, round(action.change_per_wave, 3)
    (8, 24, 0.5)
    >>> action.summary.split(";")[0]
    'Across 3 waves, 8 respondents gave 24 Action scores'
    """
    from allykit.models.instrument import Instrument as _Instrument
    from allykit.scoring._change import _index
    from allykit.scoring._score import score
    from allykit.scoring.answers import _read

    if not isinstance(instrument, _Instrument):
        msg = f"instrument must be an Instrument, not {short_repr(instrument)}"
        raise InvalidArgumentError(msg)
    if invalid not in ("raise", "missing"):
        msg = f"invalid must be 'raise' or 'missing', not {short_repr(invalid)}"
        raise InvalidArgumentError(msg)
    if not isinstance(id_column, str):
        msg = f"id_column must be a column name (a string), not {short_repr(id_column)}"
        raise InvalidArgumentError(msg)
    waves_given = _administrations(administrations)
    clock = _times(times, len(waves_given))
    policy: Any = invalid
    for number, wave in enumerate(waves_given):
        if isinstance(wave, (list, tuple)):
            for row_number, row in enumerate(wave):
                if not isinstance(row, Mapping):
                    msg = (
                        f"administrations[{number}][{row_number}] must be a mapping "
                        f"of item id to answer, not {short_repr(row)}"
                    )
                    raise InvalidArgumentError(msg)
    # The one reader of answers: files, frames and rows alike, every problem
    # listed, ids that are equal whole numbers paired.
    tables = [
        _read(
            wave,
            instrument,
            id_column=id_column,
            invalid=invalid,
            columns=columns,
            ignore=ignore,
        )
        for wave in waves_given
    ]
    indexed = [_index(table) for table in tables]
    n_rows = tuple(len(table.rows) for table in tables)
    scored = [
        {key: score(instrument, row, invalid=policy) for key, row in found.items()}
        for found, _, _ in indexed
    ]
    scales = []
    for scale in instrument.scales:
        observations = [
            (key, clock[w], float(value))
            for w, reports in enumerate(scored)
            for key, report in sorted(reports.items())
            if (value := report.scale(scale.id).score) is not None
        ]
        scales.append(_scale_waves(scale.id, scale.name, clock, observations))
    return WavesReport(
        instrument=instrument.id,
        times=clock,
        n_rows=n_rows,
        n_people=len({key for found, _, _ in indexed for key in found}),
        duplicate_ids=tuple(sorted(set().union(*(rep for _, rep, _ in indexed)))),
        rows_without_id=tuple(without for _, _, without in indexed),
        scales=tuple(scales),
    )


def _administrations(administrations: Any) -> list[Any]:
    from allykit.scoring._reliability import is_frame

    if isinstance(administrations, (str, bytes, Mapping)) or is_frame(administrations):
        given: list[Any] = []
    else:
        try:
            given = list(administrations)
        except TypeError:
            given = []
    if len(given) < 3:  # noqa: PLR2004 -- three waves or more
        msg = (
            "waves needs three or more administrations (a list of row lists or "
            f"DataFrames), not {short_repr(administrations)}; for two, use change()"
        )
        raise InvalidArgumentError(msg)
    return given


def _times(times: Sequence[float] | None, n: int) -> tuple[float, ...]:
    if times is None:
        return tuple(float(w) for w in range(n))
    try:
        clock = tuple(float(t) for t in times)
    except (TypeError, ValueError):
        msg = f"times must be numbers, not {short_repr(times)}"
        raise InvalidArgumentError(msg) from None
    except OverflowError:  # a whole number too large for a float
        msg = f"times must be finite and increasing, not {short_repr(times)}"
        raise InvalidArgumentError(msg) from None
    if len(clock) != n:
        msg = f"times has {len(clock)} entries for {n} administrations; give one each"
        raise InvalidArgumentError(msg)
    if any(not math.isfinite(t) for t in clock) or any(
        b <= a for a, b in itertools.pairwise(clock)
    ):
        msg = f"times must be finite and increasing, not {short_repr(times)}"
        raise InvalidArgumentError(msg)
    return clock


def _wave_means(
    clock: tuple[float, ...], observations: list[tuple[str, float, float]]
) -> tuple[WaveMean, ...]:
    out = []
    for time in clock:
        values = [v for _, t, v in observations if t == time]
        n = len(values)
        mean = math.fsum(values) / n if n else None
        sd = (
            math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
            if mean is not None and n >= 2  # noqa: PLR2004
            else None
        )
        out.append(WaveMean(time=time, n=n, mean=mean, sd=sd))
    return tuple(out)


def _scale_waves(
    scale_id: str,
    name: str,
    clock: tuple[float, ...],
    observations: list[tuple[str, float, float]],
) -> ScaleWaves:
    people = {key for key, _, _ in observations}
    per_wave = _wave_means(clock, observations)
    notes: list[str] = []
    figures: dict[str, Any] = dict.fromkeys(_FIGURES)
    random_slope = False
    repeated = sum(
        1
        for key in people
        if sum(1 for k, _, _ in observations if k == key) >= 2  # noqa: PLR2004
    )
    answered_waves = sum(1 for w in per_wave if w.n)
    values = {v for _, _, v in observations}
    if answered_waves < 2 or repeated < 2 or len(values) < 2:  # noqa: PLR2004
        notes.append(
            "no model: needs scores at 2 or more waves, 2 or more respondents "
            "scored more than once, and scores that vary"
        )
    else:
        figures, random_slope, more = _model(observations)
        notes.extend(more)
    summary = _summary(name, len(clock), len(people), len(observations), figures)
    return ScaleWaves(
        scale=scale_id,
        n_people=len(people),
        n_observations=len(observations),
        waves=per_wave,
        random_slope=random_slope,
        estimator="REML",
        summary=summary,
        notes=tuple(notes),
        **figures,
    )


#: The figures of a fitted model, None without one.
_FIGURES = (
    "intercept",
    "change_per_wave",
    "se",
    "ci_low",
    "ci_high",
    "var_intercept",
    "var_slope",
    "cov_intercept_slope",
    "var_residual",
)


def _model(
    observations: list[tuple[str, float, float]],
) -> tuple[dict[str, Any], bool, list[str]]:
    try:  # lazy: the optional extra "stats"
        from numpy.linalg import LinAlgError

        from allykit.scoring._mixed import fit_growth, wald_interval
    except ImportError:  # pragma: no cover -- the extra is part of the tests
        msg = (
            "waves() fits a mixed model with statsmodels: "
            "pip install 'allykit-frameworks[stats]'"
        )
        raise InvalidArgumentError(msg) from None
    try:
        fit = fit_growth(
            [k for k, _, _ in observations],
            [t for _, t, _ in observations],
            [v for _, _, v in observations],
        )
    except ImportError:
        msg = (
            "waves() fits a mixed model with statsmodels: "
            "pip install 'allykit-frameworks[stats]'"
        )
        raise InvalidArgumentError(msg) from None
    except LinAlgError:
        # A design the model cannot be fitted to (a singular matrix): the
        # scale is reported without a model rather than failing the call.
        note = "no model: the mixed model cannot be fitted to these scores"
        return dict.fromkeys(_FIGURES), False, [note]
    low, high = wald_interval(fit.slope, fit.slope_se)
    figures = {
        "intercept": fit.intercept,
        "change_per_wave": fit.slope,
        "se": fit.slope_se,
        "ci_low": low,
        "ci_high": high,
        "var_intercept": fit.var_intercept,
        "var_slope": fit.var_slope,
        "cov_intercept_slope": fit.cov_intercept_slope,
        "var_residual": fit.var_residual,
    }
    return figures, fit.random_slope, list(fit.notes)


def _summary(
    name: str, n_waves: int, people: int, scores: int, figures: Mapping[str, Any]
) -> str:
    head = (
        f"Across {n_waves} waves, {counted(people, 'respondent')} gave "
        f"{counted(scores, f'{name} score')}"
    )
    slope, low, high = figures["change_per_wave"], figures["ci_low"], figures["ci_high"]
    if slope is None:
        return head + "; too few repeated scores to model their change."
    if low > 0:
        trend = "the scores rose"
    elif high < 0:
        trend = "the scores fell"
    else:
        trend = "the scores changed"
    interval = f"(95% interval {low:.2f} to {high:.2f}"
    interval += ", which includes no change)" if low <= 0 <= high else ")"
    return f"{head}; {trend} by {slope:.2f} per wave on average {interval}."
