"""Score an instrument's answers: scale scores, a stage profile and an explanation.

Pure functions: no I/O, no logging, no clock, no global state; the caller's
responses are only read. Every rule is stated in ``docs/scoring.md``:

* answers are numbers equal to a choice value, choice labels or aliases
  (trimmed, case-insensitive), N/A codes, or ``None``/absent for missing;
* reverse-keyed items score ``min + max - value`` with the declared bounds;
* an item answered N/A leaves the scale without counting as missing;
* a scale needs ``max(min_answered, ceil(min_answered_share * applicable))``
  answers, else its score is withheld; with fewer than all items the sum
  is prorated (weighted mean times the total weight of all items);
* POMP is ``(mean - min) / (max - min) * 100``.

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring._score import score
>>> inventory = load_instrument("ally-model-reflection")
>>> report = score(inventory, {item.id: "Agree" for item in inventory.items})
>>> [(p.stage, round(p.pomp, 1)) for p in report.profile]
[('self-examination', 60.7), ('awareness-and-education', 60.7), ('action', 58.3)]
>>> report.strongest_stage, report.weakest_stage  # ties go to the earlier stage
('self-examination', 'action')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from allykit.errors import InvalidArgumentError, Problem, ResponseError, short_repr
from allykit.scoring._plan import NA, Plan, ScalePlan, plan_for, resolve
from allykit.scoring._provenance import (
    instrument_hash,
    instrument_record,
    instrument_status,
)
from allykit.scoring._score_report import (
    PointCount,
    ScaleScore,
    ScoreReport,
    StageProfile,
)

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

# The report classes live in allykit.scoring._score_report and the
# instrument record in allykit.scoring._provenance; their names stay
# importable from here.
__all__ = [
    "InvalidPolicy",
    "PointCount",
    "Responses",
    "ScaleScore",
    "ScoreReport",
    "StageProfile",
    "instrument_hash",
    "instrument_record",
    "instrument_status",
    "score",
    "score_many",
]

#: Answers: item id to answer. Keys are typed Any so that mappings keyed by
#: ``ItemId`` or plain ``str`` both fit (Mapping keys are invariant); they
#: are checked at run time.
Responses = Mapping[Any, Any]
#: What to do with unusable answers: raise one error, or treat them as missing.
InvalidPolicy = Literal["raise", "missing"]


def _check_policy(invalid: object) -> bool:
    if invalid == "raise":
        return True
    if invalid == "missing":
        return False
    msg = f"invalid must be 'raise' or 'missing', not {short_repr(invalid)}"
    raise InvalidArgumentError(msg)


def score(
    instrument: Instrument,
    responses: Mapping[Any, Any],
    *,
    invalid: InvalidPolicy = "raise",
) -> ScoreReport:
    """Score one response set.

    Args:
        instrument: The instrument answered.
        responses: Item id to answer: a number equal to a choice value, a
            choice label or alias, an N/A code, or None for missing.
            Items left out are missing. The mapping is only read.
        invalid: ``"raise"`` (default) raises one error listing every
            unusable answer; ``"missing"`` treats them as missing and lists
            them in ``ScoreReport.problems``.

    Raises:
        ResponseError: Unknown item ids, values that are not choices, NaN,
            bools, unknown labels or wrong types (all listed at once).
        InvalidArgumentError: If the instrument has no items or keys yet
            (metadata only), or *invalid* is not a known policy.

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> report = score(inventory, {
    ...     "ac-speak-up": "Strongly agree", "ac-keep-the-peace": 2,
    ...     "ac-use-influence": "Does not apply",
    ...     "ac-practical-support": "agree", "ac-act-with-others": 3})
    >>> action = report.scale("action")
    >>> action.answered, action.not_applicable, action.missing, action.mean
    (4, 1, 1, 4.0)
    >>> action.reversed_items, action.prorated, action.pomp
    (('ac-keep-the-peace',), True, 75.0)
    """
    raise_on_problems = _check_policy(invalid)
    plan = plan_for(instrument)
    values, problems = resolve(plan, responses, raise_on_problems=raise_on_problems)
    return _report(instrument, plan, values, problems)


def score_many(
    instrument: Instrument,
    rows: Iterable[Mapping[Any, Any]],
    *,
    invalid: InvalidPolicy = "raise",
) -> Iterator[ScoreReport]:
    """Score many response sets lazily, one report per row, with :func:`score`'s rules.

    Rows are read one at a time, so any iterable (a generator, a file
    reader) works without holding all rows in memory.

    Raises:
        ResponseError: For the first row with unusable answers (its
            ``row`` attribute is the 0-based row number), unless
            ``invalid="missing"``.
        InvalidArgumentError: As for :func:`score` (raised at once).

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> rows = ({"ac-speak-up": value} for value in (1, 5))
    >>> [r.scale("action").answered for r in score_many(inventory, rows)]
    [1, 1]
    """
    raise_on_problems = _check_policy(invalid)
    plan = plan_for(instrument)
    from allykit.scoring._answer_file import is_frame

    if is_frame(rows):
        # Iterating a frame gives its column names, never its rows.
        msg = (
            f"score_many takes response mappings, not a {type(rows).__name__}: "
            "score a DataFrame with allykit.scoring.frames.score_frame(), or "
            "score the rows of read_answers(frame, instrument)"
        )
        raise InvalidArgumentError(msg)
    try:
        iterator = iter(rows)
    except TypeError:
        msg = f"rows must be an iterable of mappings, not {type(rows).__name__}"
        raise InvalidArgumentError(msg) from None
    return _score_rows(instrument, plan, iterator, raise_on_problems=raise_on_problems)


def _score_rows(
    instrument: Instrument,
    plan: Any,
    rows: Iterator[Mapping[Any, Any]],
    *,
    raise_on_problems: bool,
) -> Iterator[ScoreReport]:
    for number, responses in enumerate(rows):
        try:
            values, problems = resolve(
                plan, responses, raise_on_problems=raise_on_problems
            )
        except ResponseError as error:
            raise ResponseError(error.problems, row=number) from None
        yield _report(instrument, plan, values, problems)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _score_scale(sp: ScalePlan, values: list[Any], complete: bool) -> ScaleScore:  # noqa: C901, PLR0912, PLR0915 -- the hot path, kept flat
    """Score one scale; *complete* says no value is None or N/A."""
    low = sp.low
    high = sp.high
    total = 0.0
    ordinal = sp.ordinal
    seen: list[float] = []
    n_items = sp.n_items
    if complete and not ordinal:
        # Every item answered: the same additions, in the same order, as
        # the general loop below, without its checks and counters.
        weights, reversed_ids, walk, unit = sp.full
        turn = low + high
        if unit:
            for index, _, reverse in walk:
                total += turn - values[index] if reverse else values[index]
        else:
            for index, weight, reverse in walk:
                total += weight * (turn - values[index] if reverse else values[index])
        answered = n_items
        not_applicable = 0
        needed = sp.needed_all
    else:
        weights = 0.0
        answered = 0
        not_applicable = 0
        reversed_items: list[str] = []
        na = NA
        for index, weight, reverse, item_id in sp.members:
            value = values[index]
            if value is None:
                continue
            if value is na:
                not_applicable += 1
                continue
            if reverse:
                value = low + high - value
                reversed_items.append(item_id)
            total += weight * value
            weights += weight
            answered += 1
            if ordinal:
                seen.append(value)
        reversed_ids = tuple(reversed_items)
        if not_applicable:
            applicable = n_items - not_applicable
            needed = max(sp.min_answered, math.ceil(sp.share * applicable - 1e-9), 1)
        else:
            needed = sp.needed_all
    method = sp.method
    band = band_label = None
    prompts: tuple[str, ...] = ()
    if answered < needed:
        withheld = True
        headline = prorated_sum = mean = pomp = median = None
    else:
        withheld = False
        mean = total / weights
        # Weighted means of in-range values stay in range; clamp float noise.
        if mean > high:
            mean = high
        elif mean < low:
            mean = low
        prorated_sum = mean * sp.total_weight
        pomp = (mean - low) / (high - low) * 100.0
        median = None
        if method == "mean":
            headline = mean
        elif method == "pomp":
            headline = pomp
        elif method == "sum":
            headline = prorated_sum
        else:
            median = headline = _median(seen)
        table = sp.band_table
        if table:
            _, band, band_label, prompts = table[-1]
            for upper, band_id, label, suggested in table:
                if headline < upper:
                    band, band_label, prompts = band_id, label, suggested
                    break
    return ScaleScore(
        scale=sp.scale_id,
        name=sp.name,
        stage=sp.stage,
        method=method,
        score=headline,
        raw_sum=total,
        sum=prorated_sum,
        mean=mean,
        pomp=pomp,
        median=median,
        minimum=low,
        maximum=high,
        n_items=n_items,
        answered=answered,
        not_applicable=not_applicable,
        missing=n_items - answered - not_applicable,
        prorated=answered < n_items,
        withheld=withheld,
        reversed_items=reversed_ids,
        band=band,
        band_label=band_label,
        prompts=prompts,
        distribution=_distribution(sp, seen) if ordinal else (),
    )


def _distribution(sp: ScalePlan, seen: list[float]) -> tuple[PointCount, ...]:
    counts: dict[float, int] = dict.fromkeys(sp.point_stages, 0)
    for value in seen:
        counts[value] = counts.get(value, 0) + 1
    stages = sp.point_stages
    return tuple(
        [
            PointCount(value=value, count=count, stage=stages.get(value))
            for value, count in sorted(counts.items())
        ]
    )


def _report(
    instrument: Instrument, plan: Plan, values: list[Any], problems: list[Problem]
) -> ScoreReport:
    not_applicable = values.count(NA)
    missing = values.count(None)
    complete = not (not_applicable or missing)
    scales = tuple([_score_scale(sp, values, complete) for sp in plan.scales])
    profile = []
    strongest = weakest = None
    high = low = 0.0
    for stage_id, stage_name, position, indexes, scale_ids in plan.stage_table:
        if len(indexes) == 1:
            pomp = scales[indexes[0]].pomp
        else:
            scored = [p for p in (scales[i].pomp for i in indexes) if p is not None]
            pomp = math.fsum(scored) / len(scored) if scored else None
        profile.append(
            StageProfile(
                stage=stage_id,
                stage_name=stage_name,
                position=position,
                pomp=pomp,
                scales=scale_ids,
            )
        )
        if pomp is not None:
            # Strict comparisons: ties keep the earlier stage in framework order.
            if strongest is None or pomp > high:
                strongest, high = stage_id, pomp
            if weakest is None or pomp < low:
                weakest, low = stage_id, pomp
    return ScoreReport(
        instrument=instrument.id,
        instrument_version=instrument.version,
        validated=instrument.validated,
        framework=instrument.framework,
        scales=scales,
        profile=tuple(profile),
        strongest_stage=strongest,
        weakest_stage=weakest,
        suggested_prompts=_suggestions(scales, weakest),
        answered=len(values) - not_applicable - missing,
        not_applicable=not_applicable,
        missing=missing,
        problems=tuple(problems),
        instrument_hash=instrument_hash(instrument),
        published=instrument.published is not None,
    )


def _suggestions(
    scales: tuple[ScaleScore, ...], weakest: str | None
) -> tuple[str, ...]:
    """Return band prompts: the weakest stage's scales first, then scale order."""
    seen: dict[str, None] = {}
    if weakest is not None:
        for entry in scales:
            if entry.stage == weakest and entry.prompts:
                seen.update(dict.fromkeys(entry.prompts))
    for entry in scales:
        if entry.prompts:
            seen.update(dict.fromkeys(entry.prompts))
    return tuple(seen)
