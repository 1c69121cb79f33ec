"""A journey: a plan of weekly sessions that cycles through a framework's stages.

:func:`build_journey` is a pure function: the same arguments give the same
frozen :class:`Journey`, which round-trips through JSON. Each session names
its stage and size; the prompts themselves come from
:func:`allykit.reflection.plan_session` when the session is run.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from allykit.errors import InvalidArgumentError, short_repr
from allykit.models._result import Result
from allykit.models.framework import Framework, FrameworkId, StageId, _doc

__all__ = ["Journey", "JourneySession", "build_journey", "journey_json_schema"]

_TITLE = "allykit journey"
_LIMIT = 520  # ten years of weekly sessions is plenty


@attrs.frozen(kw_only=True)
class JourneySession:
    """One session of a journey.

    Attributes:
        week: Week number, from 1.
        number: Session number within the whole journey, from 1.
        stage: Id of the stage to work on.
        steps: How many steps (prompts) the session holds.
        revisit: Whether it returns to a stage already worked on.
    """

    week: int = attrs.field(metadata=_doc("Week number, from 1.", ge=1))
    number: int = attrs.field(metadata=_doc("Session number, from 1.", ge=1))
    stage: StageId = attrs.field(metadata=_doc("Id of the stage."))
    steps: int = attrs.field(metadata=_doc("Steps in the session.", ge=1))
    revisit: bool = attrs.field(default=False, metadata=_doc("A revisit."))


@attrs.frozen(kw_only=True)
class Journey(Result):
    """A plan of sessions through a framework's stages.

    Attributes:
        framework: Id of the framework.
        weeks: Number of weeks.
        sessions_per_week: Sessions in each week.
        sessions: Every session, in order.
    """

    framework: FrameworkId = attrs.field(metadata=_doc("Id of the framework."))
    weeks: int = attrs.field(metadata=_doc("Number of weeks.", ge=1))
    sessions_per_week: int = attrs.field(metadata=_doc("Sessions a week.", ge=1))
    sessions: tuple[JourneySession, ...] = attrs.field(
        metadata=_doc("Every session, in order.")
    )

    # -- serialisation: the one result contract (models/_result.py) --

    _TITLE: ClassVar[str] = _TITLE


def _count(value: object, name: str, low: int, high: int) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not low <= value <= high
    ):
        msg = f"{name} must be an integer from {low} to {high}, got {short_repr(value)}"
        raise InvalidArgumentError(msg)
    return value


def build_journey(
    framework: Framework,
    weeks: int,
    sessions_per_week: int,
    *,
    steps_per_session: int = 5,
    revisit_every: int = 4,
) -> Journey:
    """Return a plan that cycles through the stages and revisits earlier ones.

    Sessions take the stages in developmental order, round and round. Every
    *revisit_every*-th session (from the second round on) is a revisit: it
    returns to the stage that has gone longest without a session, leaving
    out the stage just worked on and the one due next (ties: developmental
    order; with one or two stages, the stage just worked on), and the cycle
    then carries on where it was.

    Raises:
        InvalidArgumentError: If a count is out of range or the framework
            has no stages.

    >>> from allykit.reflection import build_journey
    >>> from allykit import load_framework
    >>> model = load_framework("ally-model")
    >>> journey = build_journey(model, weeks=6, sessions_per_week=2)
    >>> len(journey.sessions), journey.sessions[0].stage, journey.sessions[3].revisit
    (12, 'self-examination', True)
    """
    given: object = framework
    if not isinstance(given, Framework) or not given.stages:
        msg = f"expected a Framework with stages, got {short_repr(framework)}"
        raise InvalidArgumentError(msg)
    weeks = _count(weeks, "weeks", 1, _LIMIT)
    per_week = _count(sessions_per_week, "sessions_per_week", 1, 14)
    steps = _count(steps_per_session, "steps_per_session", 1, 100)
    every = _count(revisit_every, "revisit_every", 2, _LIMIT)
    order = [s.id for s in sorted(framework.stages, key=lambda s: s.position)]
    last_seen: dict[StageId, int] = {}
    sessions: list[JourneySession] = []
    cursor = 0
    for index in range(weeks * per_week):
        number = index + 1
        revisit = number % every == 0 and len(last_seen) == len(order)
        if revisit:
            due, latest = order[cursor % len(order)], sessions[-1].stage
            candidates = [s for s in order if s not in {due, latest}] or [latest]
            stage = min(candidates, key=lambda s: (last_seen[s], order.index(s)))
        else:
            stage = order[cursor % len(order)]
            cursor += 1
        last_seen[stage] = number
        sessions.append(
            JourneySession(
                week=index // per_week + 1,
                number=number,
                stage=stage,
                steps=steps,
                revisit=revisit,
            )
        )
    return Journey(
        framework=framework.id,
        weeks=weeks,
        sessions_per_week=per_week,
        sessions=tuple(sessions),
    )


def journey_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the journey format.

    >>> journey_json_schema()["title"]
    'allykit journey'
    """
    from allykit.catalog import _schema

    return _schema.json_schema(
        Journey, title=_TITLE, description="A plan of sessions through a framework."
    )
