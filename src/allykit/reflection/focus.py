"""Which stages to work on, in what order, and why: :func:`plan_focus`.

A pure function of a framework and either a stage profile (such as a score
report) or the person's own choice. It describes where to put attention; it
never labels the person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from allykit._numbers import real_number
from allykit.errors import InvalidArgumentError, short_repr
from allykit.models.framework import Framework, Stage

__all__ = ["DEVELOPED_AT", "FocusItem", "ProfileSource", "plan_focus"]

#: Default score (0-100) from which a stage goes after the lower-scoring ones
#: in a plan. The name is kept for compatibility; reasons never call a stage
#: "developed" (a score describes answers, and its band says how).
DEVELOPED_AT = 60.0


@runtime_checkable
class ProfileSource(Protocol):
    """Anything that can give a 0-100 score per stage id (None: no score)."""

    def profile_by_stage(self) -> Mapping[str, float | None]:
        """Return stage id -> score from 0 to 100, or None."""


@attrs.frozen(kw_only=True)
class FocusItem:
    """One stage in a focus plan.

    Attributes:
        stage: The stage to work on.
        score: Its score from the profile (0-100), or None.
        reason: Why it is at this place in the plan.
    """

    stage: Stage
    score: float | None
    reason: str


def _scores(framework: Framework, profile: object) -> dict[str, float | None]:
    raw: object = profile
    if isinstance(profile, ProfileSource):
        raw = profile.profile_by_stage()
    if not isinstance(raw, Mapping):
        msg = (
            "profile must map stage ids to scores or have profile_by_stage(), "
            f"got {short_repr(profile)}"
        )
        raise InvalidArgumentError(msg)
    scores: dict[str, float | None] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            msg = f"profile keys must be stage ids, got {short_repr(key)}"
            raise InvalidArgumentError(msg)
        stage = framework.stage(key)
        if value is None:
            scores[stage.id] = None
            continue
        number = real_number(value)
        if not 0 <= number <= 100:  # noqa: PLR2004 -- the documented scale; NaN too
            msg = (
                f"score for {short_repr(key)} must be 0-100 or None, "
                f"got {short_repr(value)}"
            )
            raise InvalidArgumentError(msg)
        scores[stage.id] = number
    return scores


def _band_words(profile: object) -> dict[str, str]:
    """Return ``{stage id: "; band label"}`` where the profile has bands.

    A score report's scales carry the label of the band each score fell in
    ("these answers are mixed about the practices this stage describes");
    a plan quotes it so that its reasons speak the band's language. A stage
    described by several scales with different labels gets none.
    """
    labels: dict[str, set[str]] = {}
    for entry in getattr(profile, "scales", ()) or ():
        stage = getattr(entry, "stage", None)
        label = getattr(entry, "band_label", None)
        if isinstance(stage, str) and isinstance(label, str) and label:
            labels.setdefault(stage, set()).add(label)
    return {
        stage: f"; {_clause(next(iter(found)))}"
        for stage, found in labels.items()
        if len(found) == 1
    }


def _clause(label: str) -> str:
    """A band label as the end of a reason: lower-case start, no closing stop.

    An acronym keeps its capitals ("POMP above 50"); a label written as a
    sentence ("Mostly agree.") loses its full stop, which the sentence that
    quotes it supplies.
    """
    text = label.strip().rstrip(".").rstrip()
    if text[1:2].islower() or len(text) == 1:
        text = text[:1].lower() + text[1:]
    return text


def _digits(scores: Iterable[float]) -> int:
    """Decimals for *scores*, as ``explain()`` chooses them for POMPs.

    Whole numbers, unless two different scores (or one and 50, the middle
    of the scale) would read alike.
    """
    values = {*scores, 50.0}
    for digits in range(3):
        if len({f"{value:.{digits}f}" for value in values}) == len(values):
            return digits
    return 2


def _shown(score: float, threshold: float, digits: int = 0) -> str:
    """Return *score* as the score report shows it, on the right side.

    Whole numbers, like ``explain()``'s "POMP 29" (or its decimals, when it
    needs them to tell two scores apart); a score that rounds onto the
    threshold's other side ("scored 60, below 60") keeps the decimals that
    tell them apart.
    """
    for places in range(digits, 7):
        text = f"{score:.{places}f}"
        if (float(text) < threshold) == (score < threshold):
            return text
    return f"{score:g}"


def _words(framework: Framework) -> tuple[str, str]:
    """Return (the order's name, the noun of one stage) for *framework*'s kind.

    A level model's levels are not developmental, and a continuum's stages
    are points along it, or bands of people on a map (a spectrum of allies
    maps people, not growth).
    """
    if framework.kind == "level-model":
        return "the framework's order", "level"
    if framework.kind == "continuum":
        mapped = any(stage.direction == "map" for stage in framework.stages)
        return "order along the continuum", "band" if mapped else "point"
    return "developmental order", "stage"


def _below(score: float | None, threshold: float) -> bool:
    return score is not None and score < threshold


def _chosen(framework: Framework, chosen: object) -> list[Stage]:
    if chosen is None:
        return []
    items: Any = [chosen] if isinstance(chosen, (str, Stage)) else chosen
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        msg = (
            f"chosen must be a stage id or a sequence of them, got {short_repr(chosen)}"
        )
        raise InvalidArgumentError(msg)
    stages: list[Stage] = []
    for item in items:
        if not isinstance(item, (str, Stage)):
            msg = f"chosen must contain stage ids, got {short_repr(item)}"
            raise InvalidArgumentError(msg)
        stage = framework.stage(item.id if isinstance(item, Stage) else item)
        if stage not in stages:
            stages.append(stage)
    return stages


def plan_focus(
    framework: Framework,
    *,
    profile: ProfileSource | Mapping[str, float | None] | None = None,
    chosen: str | Stage | Iterable[str | Stage] | None = None,
    developed_at: float = DEVELOPED_AT,
) -> tuple[FocusItem, ...]:
    """Return every stage of *framework*, ordered as a plan of what to work on.

    The rules, in order (each item carries its reason):

    1. Stages in *chosen* come first, in the order given.
    2. Without a *profile*, the rest follow developmental order (position).
    3. With a *profile* (0-100 per stage), stages scoring below
       *developed_at* come next, in developmental order:
       self-examination before awareness before action, because earlier
       stages support later ones. Then stages with no score (None or absent)
       in developmental order. Then the stages at or above *developed_at*,
       weakest first.

    Tie-breaks: equal scores go in developmental order (lower position
    first); a stage listed twice in *chosen* counts once.

    Args:
        framework: The framework whose stages to plan.
        profile: A mapping stage id -> score or None, or any object with a
            ``profile_by_stage()`` method (such as a score report).
        chosen: The stage(s) the person chose to work on.
        developed_at: Score from which a stage follows the lower-scoring
            ones.

    Raises:
        InvalidArgumentError: If an argument has the wrong type or a score
            is outside 0-100.
        UnknownIdError: If a stage id is not in the framework.

    >>> from allykit import load_framework
    >>> from allykit.reflection import plan_focus
    >>> model = load_framework("ally-model")
    >>> plan = plan_focus(model, profile={
    ...     "self-examination": 80, "awareness-and-education": 35, "action": 20})
    >>> [item.stage.id for item in plan]
    ['awareness-and-education', 'action', 'self-examination']
    """
    if not isinstance(framework, Framework):
        msg = f"expected a Framework, got {short_repr(framework)}"
        raise InvalidArgumentError(msg)
    threshold: object = developed_at
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float))
        or not 0 <= threshold <= 100  # noqa: PLR2004 -- the documented scale
    ):
        msg = (
            f"developed_at must be a number from 0 to 100, got {short_repr(threshold)}"
        )
        raise InvalidArgumentError(msg)
    scores = _scores(framework, profile) if profile is not None else None
    order, noun = _words(framework)
    picked = _chosen(framework, chosen)
    plan = [
        FocusItem(
            stage=stage,
            score=scores.get(stage.id) if scores else None,
            reason=f"you chose to work on this {noun}",
        )
        for stage in picked
    ]
    rest = [
        s for s in sorted(framework.stages, key=lambda s: s.position) if s not in picked
    ]
    count = len(framework.stages)
    if scores is None:
        plan.extend(
            FocusItem(
                stage=stage,
                score=None,
                reason=f"{order}: {noun} {stage.position} of {count}",
            )
            for stage in rest
        )
        return tuple(plan)
    below = [s for s in rest if _below(scores.get(s.id), threshold)]
    unknown = [s for s in rest if scores.get(s.id) is None]
    above = sorted(
        (s for s in rest if s not in below and s not in unknown),
        key=lambda s: (scores[s.id], s.position),
    )
    bands = _band_words(profile)
    known = {key: value for key, value in scores.items() if value is not None}
    digits = _digits(known.values())
    plan.extend(
        FocusItem(
            stage=stage,
            score=scores[stage.id],
            reason=f"scored {_shown(known[stage.id], threshold, digits)}, below "
            f"{threshold:g}: lower-scoring {noun}s come first, in {order} "
            f"({noun} {stage.position} of {count}){bands.get(stage.id, '')}",
        )
        for stage in below
    )
    plan.extend(
        FocusItem(
            stage=stage,
            score=None,
            reason=f"no score yet: taken in {order} "
            f"({noun} {stage.position} of {count})",
        )
        for stage in unknown
    )
    plan.extend(
        FocusItem(
            stage=stage,
            score=scores[stage.id],
            reason=f"scored {_shown(known[stage.id], threshold, digits)}, "
            "at or above "
            f"{threshold:g}: higher-scoring {noun}s follow, lowest first"
            f"{bands.get(stage.id, '')}",
        )
        for stage in above
    )
    return tuple(plan)
