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
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import attrs

from allykit.errors import InvalidArgumentError, Problem, ResponseError, short_repr
from allykit.models.framework import _doc
from allykit.scoring._plan import NA, Plan, ScalePlan, plan_for, resolve

if TYPE_CHECKING:
    from attrs import AttrsInstance

    from allykit.models.instrument import Instrument

__all__ = [
    "InvalidPolicy",
    "PointCount",
    "Responses",
    "ScaleScore",
    "ScoreReport",
    "StageProfile",
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

_T = TypeVar("_T", bound="AttrsInstance")

_REPORT_TITLE = "allykit score report"


@attrs.frozen(kw_only=True)
class PointCount:
    """How many answers of a scale fell at one value (ordinal scales).

    Attributes:
        value: The (reverse-keyed) value.
        count: How many answered items had it.
        stage: The framework stage (continuum point) of that value, or None.
    """

    value: float = attrs.field(metadata=_doc("The value."))
    count: int = attrs.field(metadata=_doc("Number of answers.", ge=0))
    stage: str | None = attrs.field(default=None, metadata=_doc("Stage id, or null."))


@attrs.frozen(kw_only=True)
class ScaleScore:
    """The score of one scale, with what went into it.

    All numbers are None when the score is withheld (too few answers).

    Attributes:
        scale: Id of the scale.
        name: Name of the scale.
        stage: The framework stage it describes, or None.
        method: The headline method: sum, mean, pomp or median.
        score: The headline score (by ``method``), or None.
        raw_sum: Weighted sum of the answered items, before proration.
        sum: Weighted sum prorated to all items, or None.
        mean: Weighted mean of the answered items, or None.
        pomp: Percent of maximum possible, 0 to 100, or None.
        median: Median answer (ordinal scales only), or None.
        minimum: Declared lowest answer value of the items.
        maximum: Declared highest answer value of the items.
        n_items: Number of items in the scale.
        answered: Items answered with a value.
        not_applicable: Items answered N/A.
        missing: Items not answered (or with an answer treated as missing).
        prorated: Whether fewer than all items were answered.
        withheld: Whether the score is withheld for too few answers.
        reversed_items: Ids of the answered items that were reverse-keyed.
        band: Id of the band the score falls in, or None.
        band_label: Label of that band, or None.
        prompts: Prompt ids the band suggests.
        distribution: Answers per value (ordinal scales only).
    """

    scale: str = attrs.field(metadata=_doc("Scale id."))
    name: str = attrs.field(metadata=_doc("Scale name."))
    stage: str | None = attrs.field(metadata=_doc("Stage id, or null."))
    method: str = attrs.field(metadata=_doc("sum, mean, pomp or median."))
    score: float | None = attrs.field(metadata=_doc("Headline score, or null."))
    raw_sum: float = attrs.field(metadata=_doc("Weighted sum before proration."))
    sum: float | None = attrs.field(metadata=_doc("Prorated weighted sum, or null."))
    mean: float | None = attrs.field(metadata=_doc("Weighted mean, or null."))
    pomp: float | None = attrs.field(metadata=_doc("0-100, or null."))
    median: float | None = attrs.field(metadata=_doc("Median (ordinal), or null."))
    minimum: float = attrs.field(metadata=_doc("Lowest answer value."))
    maximum: float = attrs.field(metadata=_doc("Highest answer value."))
    n_items: int = attrs.field(metadata=_doc("Items in the scale.", ge=0))
    answered: int = attrs.field(metadata=_doc("Items answered.", ge=0))
    not_applicable: int = attrs.field(metadata=_doc("Items answered N/A.", ge=0))
    missing: int = attrs.field(metadata=_doc("Items missing.", ge=0))
    prorated: bool = attrs.field(metadata=_doc("Fewer than all items answered?"))
    withheld: bool = attrs.field(metadata=_doc("Too few answers for a score?"))
    reversed_items: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Answered reverse-keyed item ids.")
    )
    band: str | None = attrs.field(default=None, metadata=_doc("Band id, or null."))
    band_label: str | None = attrs.field(
        default=None, metadata=_doc("Band label, or null.")
    )
    prompts: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Suggested prompt ids.")
    )
    distribution: tuple[PointCount, ...] = attrs.field(
        default=(), metadata=_doc("Answers per value (ordinal scales).")
    )


@attrs.frozen(kw_only=True)
class StageProfile:
    """One stage of the profile: how the answers about that stage came out.

    Attributes:
        stage: Stage id.
        stage_name: Stage name (from the framework).
        position: The stage's position in the framework.
        pomp: Mean POMP (0-100) of the stage's scales that were scored, or
            None when all of them were withheld. POMP puts stages with
            different item counts on one footing.
        scales: Ids of the scales describing the stage.
    """

    stage: str = attrs.field(metadata=_doc("Stage id."))
    stage_name: str = attrs.field(metadata=_doc("Stage name."))
    position: int = attrs.field(metadata=_doc("Position in the framework.", ge=1))
    pomp: float | None = attrs.field(metadata=_doc("0-100, or null when withheld."))
    scales: tuple[str, ...] = attrs.field(metadata=_doc("Scale ids."))


@attrs.frozen(kw_only=True)
class ScoreReport:
    """The result of scoring one response set.

    Attributes:
        instrument: Id of the instrument.
        instrument_version: Its content version.
        validated: Whether the instrument is a validated measure.
        framework: Id of its framework, or None.
        scales: One score per scale, in the instrument's order.
        profile: The stages its scales describe, in the framework's order.
        strongest_stage: Stage with the highest POMP, or None. Ties go to
            the stage that comes first in the framework's order.
        weakest_stage: Stage with the lowest POMP, or None. Ties go to the
            stage that comes first in the framework's order.
        suggested_prompts: Prompt ids from the bands, weakest stage first,
            then in scale order, without repeats.
        answered: Items answered with a value.
        not_applicable: Items answered N/A.
        missing: Items not answered (including answers treated as missing).
        problems: Answers treated as missing with ``invalid="missing"``.
        instrument_hash: The instrument's ``content_hash`` (SHA-256 of its
            canonical JSON), so a result can be traced to the exact data it
            was scored with; empty in reports stored before it was added.
        published: Whether the instrument is a published scale completed
            with the user's own items (see :func:`instrument_status`);
            False in reports stored before it was added.
    """

    instrument: str = attrs.field(metadata=_doc("Instrument id."))
    instrument_version: str = attrs.field(metadata=_doc("Instrument version."))
    validated: bool = attrs.field(metadata=_doc("Validated measure?"))
    framework: str | None = attrs.field(metadata=_doc("Framework id, or null."))
    scales: tuple[ScaleScore, ...] = attrs.field(metadata=_doc("Scale scores."))
    profile: tuple[StageProfile, ...] = attrs.field(
        default=(), metadata=_doc("Stage profile in framework order.")
    )
    strongest_stage: str | None = attrs.field(
        default=None, metadata=_doc("Highest POMP stage, or null.")
    )
    weakest_stage: str | None = attrs.field(
        default=None, metadata=_doc("Lowest POMP stage, or null.")
    )
    suggested_prompts: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Prompt ids to suggest.")
    )
    answered: int = attrs.field(default=0, metadata=_doc("Items answered.", ge=0))
    not_applicable: int = attrs.field(default=0, metadata=_doc("Items N/A.", ge=0))
    missing: int = attrs.field(default=0, metadata=_doc("Items missing.", ge=0))
    problems: tuple[Problem, ...] = attrs.field(
        default=(), metadata=_doc("Answers treated as missing.")
    )
    instrument_hash: str = attrs.field(
        default="", metadata=_doc("SHA-256 content hash of the instrument, or empty.")
    )
    published: bool = attrs.field(
        default=False,
        metadata=_doc("Published scale completed with the user's own items?"),
    )

    def scale(self, scale_id: str) -> ScaleScore:
        """Return the score of one scale.

        Raises:
            UnknownIdError: If the report has no such scale.
        """
        for found in self.scales:
            if found.scale == scale_id:
                return found
        from allykit.errors import UnknownIdError

        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message, not the message
            str(scale_id),
            [s.scale for s in self.scales],
            where="report",
        )

    def profile_by_stage(self) -> dict[str, float | None]:
        """Return ``{stage id: POMP or None}`` in the framework's stage order.

        >>> from allykit.catalog import load_instrument
        >>> from allykit.scoring._score import score
        >>> inventory = load_instrument("ally-model-reflection")
        >>> score(inventory, {}).profile_by_stage()
        {'self-examination': None, 'awareness-and-education': None, 'action': None}
        """
        return {entry.stage: entry.pomp for entry in self.profile}

    def explain(self) -> str:
        """Describe the answers in plain words; never a label for the person.

        >>> from allykit.catalog import load_instrument
        >>> from allykit.scoring._score import score
        >>> inventory = load_instrument("ally-model-reflection")
        >>> answers = {i.id: ("Agree" if i.id.startswith("ac-") else "Neutral")
        ...            for i in inventory.items}
        >>> lines = score(inventory, answers).explain().splitlines()
        >>> print(lines[0])
        Your answers, once keyed, score highest for Action (POMP 58) and lowest for ...
        >>> print(lines[3])
        - Action: keyed mean 3.33 on a 1 to 5 scale (POMP 58), from 6 of 6 items ...
        >>> print(lines[-1])
        This instrument is a reflective aid, not a validated measure: ...
        """
        return _explain(self)

    # -- conversion ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready plain data."""
        from allykit.models._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the report as JSON text."""
        from allykit.models._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoreReport:
        """Validate plain data and build a report.

        Raises:
            DataFileError: Listing every problem, with its location.

        >>> from allykit.catalog import load_instrument
        >>> from allykit.scoring._score import ScoreReport, score
        >>> report = score(load_instrument("ally-model-reflection"), {"ac-speak-up": 4})
        >>> ScoreReport.from_json(report.to_json()) == report
        True
        """
        from allykit.catalog._loading import load_document

        return load_document(cls, data, source="<mapping>", title=_REPORT_TITLE)

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoreReport:
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


# Content hashes by the id of their instrument, with a weak reference that
# tells a live instrument from a later one reusing its id (as plans do).
_hashes: dict[int, tuple[Any, str]] = {}


def instrument_hash(instrument: Instrument) -> str:
    """Return the instrument's ``content_hash``, worked out once per instrument.

    Reports carry it so that a result can be traced to the exact data.
    """
    key = id(instrument)
    found = _hashes.get(key)
    if found is not None and found[0]() is instrument:
        return found[1]
    import weakref

    digest = instrument.content_hash

    def forget(_ref: object) -> None:
        _hashes.pop(key, None)

    _hashes[key] = (weakref.ref(instrument, forget), digest)
    return digest


#: The three statuses an instrument can have, in the words every output uses.
_STATUS_WORDS = {
    "validated": "a validated measure",
    "published": (
        "a published scale completed with items you supplied: allykit cannot "
        "confirm these items match the validated version"
    ),
    "own": "a reflective aid, not a validated measure",
}


def instrument_status(
    instrument: Instrument | None = None,
    *,
    validated: bool | None = None,
    published: bool = False,
) -> str:
    """Return the instrument's status in the words every output uses.

    Three statuses, from the instrument itself or from what a stored
    report or record kept of it (*validated*, *published*):

    - a validated measure (``validated``; none is bundled today);
    - a published scale whose items the user supplied with
      :func:`~allykit.catalog.merge_item_text` (the instrument carries
      ``published`` metadata): allykit cannot confirm those items match
      the validated version;
    - one of allykit's own inventories: a reflective aid, not a validated
      measure.

    Every summary, provenance record, reliability text, HTML report,
    survey export and :meth:`ScoreReport.explain` says the status through
    this function, so none can overclaim.

    Raises:
        InvalidArgumentError: If neither an instrument nor *validated* is
            given.

    >>> from allykit.catalog import load_instrument
    >>> instrument_status(load_instrument("ally-model-reflection"))
    'a reflective aid, not a validated measure'
    >>> instrument_status(validated=False, published=True)[:46]
    'a published scale completed with items you sup'

    .. versionchanged:: 0.2.0
       Takes the instrument, and tells published scales apart.
    """
    if instrument is not None:
        validated = bool(instrument.validated)
        published = instrument.published is not None
    elif validated is None:
        msg = "instrument_status needs an instrument or validated=True/False"
        raise InvalidArgumentError(msg)
    if validated:
        return _STATUS_WORDS["validated"]
    return _STATUS_WORDS["published" if published else "own"]


def status_note(status: str) -> str:
    """Return the closing sentence of an explanation for a status.

    >>> print(status_note(instrument_status(validated=False)))
    This instrument is a reflective aid, not a validated measure: the numbers ...
    """
    joiner = ";" if ":" in status else ":"
    return (
        f"This instrument is {status}{joiner} the numbers describe these answers "
        "on this occasion, not the person."
    )


def instrument_record(instrument: Instrument) -> dict[str, Any]:
    """What a result rests on: the instrument's id, version, status and hash.

    ``status`` is :func:`instrument_status` in words; ``published`` says
    whether it is a published scale completed with the user's items.

    The one shape every output that has room for it carries (a pandas
    frame's ``attrs``, Parquet and Arrow metadata, ``allykit score``'s
    summary and provenance record) under the key ``allykit.instrument``.
    """
    return {
        "id": instrument.id,
        "version": instrument.version,
        "validated": instrument.validated,
        "published": instrument.published is not None,
        "status": instrument_status(instrument),
        "content_hash": instrument_hash(instrument),
    }


def _positional(cls: type[_T]) -> Callable[..., _T]:
    """Return a constructor of *cls* that takes its fields in order."""
    names = tuple(field.alias for field in attrs.fields(cls))

    def make(*values: Any) -> _T:
        return cls(**dict(zip(names, values, strict=True)))

    return make


_point_count = _positional(PointCount)
_scale_score = _positional(ScaleScore)
_stage_profile = _positional(StageProfile)
_score_report = _positional(ScoreReport)


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
    return _scale_score(
        sp.scale_id,
        sp.name,
        sp.stage,
        method,
        headline,
        total,
        prorated_sum,
        mean,
        pomp,
        median,
        low,
        high,
        n_items,
        answered,
        not_applicable,
        n_items - answered - not_applicable,
        answered < n_items,
        withheld,
        reversed_ids,
        band,
        band_label,
        prompts,
        _distribution(sp, seen) if ordinal else (),
    )


def _distribution(sp: ScalePlan, seen: list[float]) -> tuple[PointCount, ...]:
    counts: dict[float, int] = dict.fromkeys(sp.point_stages, 0)
    for value in seen:
        counts[value] = counts.get(value, 0) + 1
    stages = sp.point_stages
    return tuple(
        [
            _point_count(value, count, stages.get(value))
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
        profile.append(_stage_profile(stage_id, stage_name, position, pomp, scale_ids))
        if pomp is not None:
            # Strict comparisons: ties keep the earlier stage in framework order.
            if strongest is None or pomp > high:
                strongest, high = stage_id, pomp
            if weakest is None or pomp < low:
                weakest, low = stage_id, pomp
    return _score_report(
        instrument.id,
        instrument.version,
        instrument.validated,
        instrument.framework,
        scales,
        tuple(profile),
        strongest,
        weakest,
        _suggestions(scales, weakest),
        len(values) - not_applicable - missing,
        not_applicable,
        missing,
        tuple(problems),
        instrument_hash(instrument),
        instrument.published is not None,
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


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _scale_line(entry: ScaleScore) -> str:
    """Return the explanation line of one scale."""
    label = entry.name
    if entry.withheld:
        return (
            f"- {label}: not scored; {entry.answered} of {entry.n_items} items "
            f"answered ({entry.not_applicable} did not apply), too few for a score."
        )
    if entry.method == "median":
        text = (
            f"- {label}: the middle answer is {_number(entry.median or 0)} "
            f"on a {_number(entry.minimum)} to {_number(entry.maximum)} scale"
        )
        spread = ", ".join(
            f"{_number(p.value)}: {p.count}" for p in entry.distribution if p.count
        )
        text += f" (answers per point: {spread})"
    else:
        text = (
            f"- {label}: keyed mean {_number(entry.mean or 0)} on a "
            f"{_number(entry.minimum)} to {_number(entry.maximum)} scale "
            f"(POMP {entry.pomp or 0:.0f})"
        )
    text += f", from {entry.answered} of {entry.n_items} items"
    if entry.reversed_items:
        count = len(entry.reversed_items)
        text += (
            f" ({count} reverse-keyed {'answer' if count == 1 else 'answers'} "
            "turned round)"
        )
    if entry.not_applicable:
        text += f" ({entry.not_applicable} did not apply)"
    if entry.band_label:
        text += f"; {entry.band_label[:1].lower()}{entry.band_label[1:]}"
    return text + "."


_MIDDLE = 50.0  # POMP of the scale's midpoint: neither towards nor away


def _names(stages: list[str], pomp: float) -> str:
    """Name one stage, or a tie of several, with their shared POMP."""
    if len(stages) == 1:
        return f"{stages[0]} (POMP {pomp:.0f})"
    # Quoted: stage names often contain "and" themselves.
    quoted = [f"“{name}”" for name in stages]
    listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
    return f"{listed} (POMP {pomp:.0f} each)"


def _side(pomps: list[float]) -> str:
    """Where the scores sit against the scale's middle, when all on one side."""
    if all(p < _MIDDLE for p in pomps):
        return "below the middle of the scale (POMP 50)"
    if all(p > _MIDDLE for p in pomps):
        return "above the middle of the scale (POMP 50)"
    if all(p == _MIDDLE for p in pomps):
        return "at the middle of the scale"
    return ""


def _headline(report: ScoreReport) -> str | None:
    """Return the first line of :func:`_explain`, true to the numbers.

    It compares the stages ("highest", "lowest") and never calls a stage
    one the answers lean towards: which way each leans is its band's to
    say, on its own line. When every stage sits on the same side of the
    scale's middle, the line says so; tied stages are all named, in
    framework order.
    """
    scored = [(p.stage_name, p.pomp) for p in report.profile if p.pomp is not None]
    if not scored:
        return None
    pomps = [pomp for _, pomp in scored]
    high, low = max(pomps), min(pomps)
    side = _side(pomps)
    start = "Your answers, once keyed, score"
    if len(scored) == 1:
        name, pomp = scored[0]
        text = f"{start} POMP {pomp:.0f} for {name}"
        return f"{text}, {side}." if side else f"{text}."
    if high == low:
        text = f"{start} the same for all {len(scored)} stages scored (POMP {high:.0f})"
        return f"{text}, {side}." if side else f"{text}."
    top = _names([name for name, pomp in scored if pomp == high], high)
    bottom = _names([name for name, pomp in scored if pomp == low], low)
    text = f"{start} highest for {top} and lowest for {bottom}"
    if side:
        every = "both stages" if len(scored) == 2 else f"all {len(scored)} stages"  # noqa: PLR2004 -- a pair reads "both"
        return f"{text}; {every} scored sit {side}."
    return f"{text}."


def _explain(report: ScoreReport) -> str:
    lines = []
    headline = _headline(report)
    if headline is not None:
        lines.append(headline)
    lines.extend(_scale_line(entry) for entry in report.scales)
    if report.problems:
        lines.append(
            f"{len(report.problems)} answers could not be used and were "
            "treated as missing."
        )
    if any(entry.reversed_items for entry in report.scales):
        lines.append(
            "Keyed means turn round the answers to statements worded against a "
            "stage's practices, so a higher score always leans towards the practices "
            "the stage describes."
        )
    if not report.validated:
        status = instrument_status(
            validated=report.validated, published=report.published
        )
        lines.append(status_note(status))
    return "\n".join(lines)
