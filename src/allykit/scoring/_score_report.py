"""The score report: its classes and their text form (the explanation).

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring import score
>>> report = score(load_instrument("ally-model-reflection"), {"ac-speak-up": 4})
>>> report.scale("action").answered
1
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from allykit.errors import Problem
from allykit.models._result import Result
from allykit.models.framework import _doc
from allykit.scoring._provenance import instrument_status, status_note

__all__ = ["PointCount", "ScaleScore", "ScoreReport", "StageProfile"]


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
class ScoreReport(Result):
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

    _TITLE: ClassVar[str] = "allykit score report"

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
        >>> from allykit.scoring import score
        >>> inventory = load_instrument("ally-model-reflection")
        >>> score(inventory, {}).profile_by_stage()
        {'self-examination': None, 'awareness-and-education': None, 'action': None}
        """
        return {entry.stage: entry.pomp for entry in self.profile}

    def explain(self) -> str:
        """Describe the answers in plain words; never a label for the person.

        >>> from allykit.catalog import load_instrument
        >>> from allykit.scoring import score
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

    def __str__(self) -> str:
        """Return :meth:`explain`: ``print(report)`` shows the plain words.

        The scores and, for an inventory that is not validated, the sentence
        that says so, as ``print()`` of a reliability or change report
        shows a table and its status; ``repr()`` keeps every field.
        """
        return self.explain()


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _clause(label: str) -> str:
    """A band label as the end of a sentence: lower-case start, no closing stop.

    "These answers lean towards ..." reads "these answers lean towards ...";
    an acronym keeps its capitals ("POMP above 50"), and a label written
    as a sentence ("Mostly agree.") loses its full stop, which the sentence
    it joins supplies.
    """
    text = label.strip().rstrip(".").rstrip()
    if text[1:2].islower() or len(text) == 1:
        text = text[:1].lower() + text[1:]
    return text


def _items(count: int) -> str:
    """The noun of a count of items: "1 item", "7 items"."""
    return "item" if count == 1 else "items"


def _middle(entry: ScaleScore) -> str:
    """Name the median: one middle answer, or the two it lies between.

    With an even count of answers the median is the mean of the two middle
    ones; when they differ, nobody need have given it ("the middle answer
    is 3.5" of answers 1, 1, 1, 6, 6, 6 would be untrue).
    """
    median = _number(entry.median or 0)
    ranked = [p.value for p in entry.distribution for _ in range(p.count)]
    count = len(ranked)
    if count and count % 2 == 0 and ranked[count // 2 - 1] != ranked[count // 2]:
        low, high = ranked[count // 2 - 1], ranked[count // 2]
        return (
            f"the two middle answers are {_number(low)} and {_number(high)} "
            f"(median {median})"
        )
    return f"the middle answer is {median}"


def _digits(report: ScoreReport) -> int:
    """Decimals for the POMPs of *report*: different values never read alike.

    Whole numbers, unless two different POMPs (or one and the scale's
    middle, 50) would round to the same text: "highest for Action (POMP
    54) and lowest for ... (POMP 54)" says two things at once.
    """
    values = {e.pomp for e in report.scales if e.pomp is not None}
    values |= {p.pomp for p in report.profile if p.pomp is not None}
    values.add(_MIDDLE)
    for digits in range(3):
        texts = {f"{value:.{digits}f}" for value in values}
        if len(texts) == len(values):
            return digits
    return 2


def _scale_line(entry: ScaleScore, digits: int = 0) -> str:
    """Return the explanation line of one scale."""
    label = entry.name
    items = _items(entry.n_items)
    if entry.withheld:
        return (
            f"- {label}: not scored; {entry.answered} of {entry.n_items} {items} "
            f"answered ({entry.not_applicable} did not apply), too few for a score."
        )
    if entry.method == "median":
        text = (
            f"- {label}: {_middle(entry)} "
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
            f"(POMP {entry.pomp or 0:.{digits}f})"
        )
    text += f", from {entry.answered} of {entry.n_items} {items}"
    if entry.reversed_items:
        count = len(entry.reversed_items)
        text += (
            f" ({count} reverse-keyed {'answer' if count == 1 else 'answers'} "
            "turned round)"
        )
    if entry.not_applicable:
        text += f" ({entry.not_applicable} did not apply)"
    if entry.band_label:
        text += f"; {_clause(entry.band_label)}"
    return text + "."


_MIDDLE = 50.0  # POMP of the scale's midpoint: neither towards nor away


def _names(stages: list[str], pomp: float, digits: int = 0) -> str:
    """Name one stage, or a tie of several, with their shared POMP."""
    if len(stages) == 1:
        return f"{stages[0]} (POMP {pomp:.{digits}f})"
    # Quoted: stage names often contain "and" themselves.
    quoted = [f"“{name}”" for name in stages]
    listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
    return f"{listed} (POMP {pomp:.{digits}f} each)"


def _side(pomps: list[float]) -> str:
    """Where the scores sit against the scale's middle, when all on one side."""
    if all(p < _MIDDLE for p in pomps):
        return "below the middle of the scale (POMP 50)"
    if all(p > _MIDDLE for p in pomps):
        return "above the middle of the scale (POMP 50)"
    if all(p == _MIDDLE for p in pomps):
        return "at the middle of the scale"
    return ""


def _every(count: int) -> str:
    """Every one of *count* (two or more) stages: a pair reads "both"."""
    return "both stages" if count == 2 else f"all {count} stages"  # noqa: PLR2004


def _headline(report: ScoreReport, digits: int = 0) -> str | None:
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
        text = f"{start} POMP {pomp:.{digits}f} for {name}"
        return f"{text}, {side}." if side else f"{text}."
    if high == low:
        text = (
            f"{start} the same for {_every(len(scored))} scored "
            f"(POMP {high:.{digits}f})"
        )
        return f"{text}, {side}." if side else f"{text}."
    top = _names([name for name, pomp in scored if pomp == high], high, digits)
    bottom = _names([name for name, pomp in scored if pomp == low], low, digits)
    text = f"{start} highest for {top} and lowest for {bottom}"
    if side:
        return f"{text}; {_every(len(scored))} scored sit {side}."
    return f"{text}."


def _explain(report: ScoreReport) -> str:
    lines = []
    digits = _digits(report)
    headline = _headline(report, digits)
    if headline is not None:
        lines.append(headline)
    lines.extend(_scale_line(entry, digits) for entry in report.scales)
    if report.problems:
        count = len(report.problems)
        lines.append(
            "1 answer could not be used and was treated as missing."
            if count == 1
            else f"{count} answers could not be used and were treated as missing."
        )
    # The note explains keyed means, so only where one is shown.
    if any(e.reversed_items and not e.withheld for e in report.scales):
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
