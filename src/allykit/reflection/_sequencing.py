"""What comes next and why: stage order, reflective-cycle prompts, next steps.

Everything here is a pure function of its arguments: no I/O, no clock, no
logging, no global state beyond caches of derived indexes. Randomness comes
only from the *seed*. See ``docs/sequencing.md`` for how a step is chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from allykit.errors import AllykitDeprecationWarning, InvalidArgumentError, short_repr
from allykit.models._render import (
    FOCUS_PLACEHOLDER,
    NEUTRAL_FOCUS,
    focus_phrase,
    render_prompt,
    unfilled_slots,
)
from allykit.models.framework import (
    Framework,
    FrameworkId,
    PromptId,
    ReflectivePrompt,
    Stage,
    StageId,
)
from allykit.reflection._engine import (
    Index,
    Pool,
    State,
    index_for,
    next_key,
    state_for,
)
from allykit.reflection.history import History, HistoryEntry, as_entry

__all__ = [
    "FOCUS_PLACEHOLDER",
    "MAX_SESSION_STEPS",
    "NEUTRAL_FOCUS",
    "TEMPLATE_TAG",
    "Step",
    "focus_phrase",
    "next_stage",
    "next_step",
    "plan_session",
    "previous_stage",
    "render_prompt",
    "stage_position",
    "stages_in_order",
    "unfilled_slots",
]

#: Most steps :func:`plan_session` plans in one call.
MAX_SESSION_STEPS = 10_000
#: The tag that marks a prompt as a template to be rendered for a stage.
TEMPLATE_TAG = "template"


# -- stage order ---------------------------------------------------------


def _check_framework(framework: object) -> Framework:
    if not isinstance(framework, Framework):
        msg = f"expected a Framework, got {short_repr(framework)}"
        raise InvalidArgumentError(msg)
    return framework


def _stage_of(framework: Framework, stage: Stage | str) -> Stage:
    if isinstance(stage, Stage):
        stage = stage.id
    if not isinstance(stage, str):
        msg = f"expected a stage or stage id, got {short_repr(stage)}"
        raise InvalidArgumentError(msg)
    return framework.stage(stage)


def stages_in_order(framework: Framework) -> tuple[Stage, ...]:
    """Return the stages in developmental (or cycle) order, by position.

    >>> from allykit import load_framework
    >>> [s.id for s in stages_in_order(load_framework("ally-model"))]
    ['self-examination', 'awareness-and-education', 'action']
    """
    framework = _check_framework(framework)
    return tuple(sorted(framework.stages, key=lambda s: s.position))


def stage_position(framework: Framework, stage: Stage | str) -> int:
    """Return the 1-based position of *stage* in the framework's order.

    Raises:
        UnknownIdError: If *stage* is not a stage of *framework*.

    >>> from allykit import load_framework
    >>> stage_position(load_framework("ally-model"), "action")
    3
    """
    return _stage_of(_check_framework(framework), stage).position


def next_stage(framework: Framework, stage: Stage | str) -> Stage | None:
    """Return the stage after *stage*: wraps to the first when the framework is cyclic.

    Returns None after the last stage of a framework that is not cyclic, and
    always for a ``level-model`` framework, whose levels are not an order.

    Raises:
        UnknownIdError: If *stage* is not a stage of *framework*.

    >>> from allykit import load_framework
    >>> next_stage(load_framework("ally-model"), "self-examination").id
    'awareness-and-education'
    >>> next_stage(load_framework("ally-model"), "action") is None
    True
    >>> next_stage(load_framework("schon-reflective-practice"), "reflection-on-action")
    """
    return _neighbour(framework, stage, +1)


def previous_stage(framework: Framework, stage: Stage | str) -> Stage | None:
    """Return the stage before *stage*: wraps to the last when the framework is cyclic.

    Returns None before the first stage of a framework that is not cyclic,
    and always for a ``level-model`` framework.

    Raises:
        UnknownIdError: If *stage* is not a stage of *framework*.

    >>> from allykit import load_framework
    >>> kolb = load_framework("kolb-experiential-learning")
    >>> previous_stage(kolb, "concrete-experience").id
    'active-experimentation'
    """
    return _neighbour(framework, stage, -1)


def _neighbour(framework: Framework, stage: Stage | str, step: int) -> Stage | None:
    framework = _check_framework(framework)
    current = _stage_of(framework, stage)
    if framework.kind == "level-model":
        # Levels hold at the same time: none comes before or after another.
        return None
    ordered = stages_in_order(framework)
    index = ordered.index(current) + step
    if 0 <= index < len(ordered):
        return ordered[index]
    return ordered[index % len(ordered)] if framework.cyclic else None


# -- templates -----------------------------------------------------------


def _focus_for(
    framework: Framework, stage: Stage | None, cycle: Framework | None
) -> Stage | str | None:
    """What a step's template is about: its stage, else a neutral phrase."""
    if cycle is None and framework.kind in ("reflective-cycle", "positionality-tool"):
        return None  # a cycle's steps are not topics: the neutral phrase
    return stage if stage is not None else framework.name


# -- steps ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Step:
    """The next thing to show, and why.

    Attributes:
        prompt: The prompt to show; a cycle template comes already rendered
            for the stage (its id is the template's id).
        stage: The framework stage it serves, or None for general prompts.
        cycle_step: The step of the reflective cycle, or None without a cycle.
        reason: Why this step was chosen, in plain words.
        framework: Id of the framework.
        cycle: Id of the reflective cycle, or None.
        round: Which pass through this stage's (and cycle step's) pool of
            prompts the step belongs to, from 1.
        unknown_prompts: Prompt ids in the history that no longer exist in
            the framework (or cycle); they were skipped.
        deprecated_ids: Deprecated prompt and stage ids in the history, which
            were read as their replacements (each with an
            :class:`~allykit.errors.AllykitDeprecationWarning`);
            :meth:`History.migrate` updates a stored history.
    """

    prompt: ReflectivePrompt
    stage: Stage | None
    cycle_step: Stage | None
    reason: str
    framework: FrameworkId
    cycle: FrameworkId | None = None
    round: int = 1
    unknown_prompts: tuple[PromptId, ...] = ()
    deprecated_ids: tuple[str, ...] = ()

    def entry(self) -> HistoryEntry:
        """Return the history entry that records this step."""
        return HistoryEntry(
            prompt=self.prompt.id,
            stage=self.stage.id if self.stage is not None else None,
            cycle_step=self.cycle_step.id if self.cycle_step is not None else None,
            framework=self.framework,
            cycle=self.cycle,
        )


def _focus_keys(framework: Framework, focus: Any) -> tuple[StageId | None, ...] | None:
    """Return the focus stage ids in order; None (every stage) is resolved later."""
    if focus is None:
        return None
    items = [focus] if isinstance(focus, (str, Stage)) else focus
    if not isinstance(items, Iterable) or isinstance(items, Mapping):
        msg = f"focus must be a stage id or a sequence of them, got {short_repr(focus)}"
        raise InvalidArgumentError(msg)
    keys = []
    for item in items:
        stage_id = getattr(item, "stage", item) if not isinstance(item, Stage) else item
        stage = _stage_of(framework, stage_id)
        if stage.id not in keys:
            keys.append(stage.id)
    if not keys:
        msg = "focus must name at least one stage"
        raise InvalidArgumentError(msg)
    return tuple(keys)


_MAX_SEED_BITS = 4096  # str() of a much larger int fails


def _filter(value: Any, what: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    if not isinstance(value, Iterable) or isinstance(value, Mapping):
        msg = f"{what} must be a string or strings, got {short_repr(value)}"
        raise InvalidArgumentError(msg)
    items = tuple(value)
    if not all(isinstance(item, str) for item in items):
        msg = f"{what} must contain only strings, got {short_repr(value)}"
        raise InvalidArgumentError(msg)
    return frozenset(items)


def _as_history(history: Any) -> History:
    if isinstance(history, History):
        return history
    if isinstance(history, (str, bytes, Mapping)) or not isinstance(history, Iterable):
        msg = f"expected a History or a sequence of steps, got {short_repr(history)}"
        raise InvalidArgumentError(msg)
    return History(entries=tuple(as_entry(item) for item in history))


_CYCLE_KIND = "reflective-cycle"


def _cycle_arg(cycle: Any) -> Framework | None:
    """Return the reflective cycle *cycle* names; refuse anything else.

    An unknown id is called a cycle (with a suggestion among the cycles),
    and a framework that is not a reflective cycle is refused with the
    cycles to choose from, as the command does.
    """
    if cycle is None:
        return None
    if isinstance(cycle, str):
        from allykit.catalog import available_frameworks, load_framework
        from allykit.errors import UnknownDocumentError

        if cycle not in available_frameworks():
            raise UnknownDocumentError.for_id(cycle, _cycle_ids(), what="cycle")
        cycle = load_framework(cycle)
    if not isinstance(cycle, Framework):
        msg = f"cycle must be a Framework or a framework id, got {short_repr(cycle)}"
        raise InvalidArgumentError(msg)
    if cycle.kind != _CYCLE_KIND:
        msg = (
            f"{cycle.id!r} is a {cycle.kind}, not a reflective cycle; "
            f"use one of: {', '.join(_cycle_ids())}"
        )
        raise InvalidArgumentError(msg)
    return cycle


def _cycle_ids() -> list[str]:
    from allykit.catalog import available_frameworks, load_framework

    return [
        framework_id
        for framework_id in available_frameworks()
        if load_framework(framework_id).kind == _CYCLE_KIND
    ]


def next_step(  # noqa: PLR0913 -- keyword-only options, all documented
    framework: Framework,
    history: History | Sequence[Step | HistoryEntry] = (),
    *,
    focus: Any = None,
    cycle: Framework | str | None = None,
    seed: int = 0,
    tags: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
) -> Step:
    """Return the next step after *history*: a prompt, its stage, cycle step and reason.

    A pure function: the same framework, history, options and seed give the
    same step. See ``docs/sequencing.md`` for the rules; in short, stages
    are visited in turn in *focus* order (a whole reflective cycle per stage
    when *cycle* is given), each stage's pool of prompts is gone through in
    a seeded order that visits its characteristics in turn, and no prompt is
    repeated until its pool is exhausted.

    Args:
        framework: The framework whose stages (and prompts) to work through.
        history: The steps taken so far (a :class:`History`, or a sequence
            of steps or entries).
        focus: A stage id, a sequence of stage ids, or the result of
            :func:`allykit.reflection.plan_focus`; None means every stage in order
            (then general prompts without a stage).
        cycle: A reflective cycle (framework or id): its prompt templates are
            walked step by step, rendered for each stage.
        seed: Any integer of at most 4096 bits; different seeds give
            different orders.
        tags: Keep only prompts with at least one of these tags.
        kinds: Keep only prompts of these kinds (question, exercise, scenario).

    Raises:
        InvalidArgumentError: If an argument has the wrong type, or no prompt
            matches the focus and filters.
        UnknownIdError: If *focus* names a stage the framework does not have.

    >>> from allykit import load_framework, next_step
    >>> model = load_framework("ally-model")
    >>> step = next_step(model, focus="action", cycle="gibbs-reflective-cycle")
    >>> step.stage.id, step.cycle_step.name
    ('action', 'Description')
    """
    framework = _check_framework(framework)
    return _step(
        framework,
        _as_history(history),
        focus=focus,
        cycle=_cycle_arg(cycle),
        seed=seed,
        tags=tags,
        kinds=kinds,
    )


def _step(  # noqa: PLR0913 -- internal mirror of next_step
    framework: Framework,
    history: History,
    *,
    focus: Any,
    cycle: Framework | None,
    seed: Any,
    tags: Any,
    kinds: Any,
) -> Step:
    if (
        not isinstance(seed, int)
        or isinstance(seed, bool)
        or seed.bit_length() > _MAX_SEED_BITS
    ):
        msg = f"seed must be an integer of at most 4096 bits, got {short_repr(seed)}"
        raise InvalidArgumentError(msg)
    keys = _focus_keys(framework, focus)
    index = index_for(
        framework, cycle, keys, _filter(tags, "tags"), _filter(kinds, "kinds")
    )
    state = state_for(history, index, seed)
    _warn_deprecated(index, state.deprecated)
    key, why = next_key(index, state.last)
    pool = state.pools.get(key, Pool())
    order, _rank = index.perm(key, seed, pool.pass_no)
    prompt_id = order[pool.taken]
    table = (cycle or framework)._table("prompts")  # noqa: SLF001 -- shared id table
    chosen = table[prompt_id]
    stage = framework.stage(key[0]) if key[0] is not None else None
    cycle_step = (
        cycle.stage(key[1]) if cycle is not None and key[1] is not None else None
    )
    # Never offer an unrendered template: a cycle's templates are rendered
    # for the stage; a framework's own templates for what it is about.
    chosen = render_prompt(
        chosen, _focus_for(framework, stage, cycle), framework=cycle or framework
    )
    return Step(
        prompt=chosen,
        stage=stage,
        cycle_step=cycle_step,
        reason=_reason(index, why, pool, len(order), state, stage, cycle_step),
        framework=framework.id,
        cycle=cycle.id if cycle is not None else None,
        round=pool.pass_no + 1,
        unknown_prompts=state.unknown,
        deprecated_ids=tuple(old_id for _collection, old_id in state.deprecated),
    )


def _warn_deprecated(index: Index, deprecated: tuple[tuple[str, str], ...]) -> None:
    """Warn once per deprecated id the history was read with, as lookups do."""
    if not deprecated:
        return
    from allykit.errors import warn

    for collection, old_id in deprecated:
        owner, old = index.renamed[collection, old_id]
        what = "stage" if collection == "stages" else "prompt"
        message = (
            f"{what} id {old_id!r} of framework {owner!r} is deprecated since "
            f"{old.since}; use {old.replaced_by!r} (the history was read with it; "
            "store history.migrate(framework) to update the history)"
        )
        warn(message, AllykitDeprecationWarning)


def _where(stage: Stage | None, kind: str = "") -> str:
    """How a reason names the stage: by its direction, as the prompt reads it.

    A level model's levels are levels, not stages (*kind* is the
    framework's kind).
    """
    if stage is None:
        return "the general prompts"
    noun = "level" if kind == "level-model" else "stage"
    if stage.direction == "away":
        return f"moving on from {noun} {stage.name!r}"
    if stage.direction == "map":
        return f"the people your map places at {stage.name!r}"
    return f"{noun} {stage.name!r}"


def _reason(  # noqa: PLR0913, PLR0917 -- all parts of the sentence
    index: Index,
    why: str,
    pool: Pool,
    size: int,
    state: State,
    stage: Stage | None,
    cycle_step: Stage | None,
) -> str:
    where = _where(stage, index.framework.kind)
    plural = stage is None or stage.direction == "map"
    if stage is None:
        # The general prompts are a pool: "the only stage in focus" would
        # misname them; so would it a map's people, or moving on from a
        # stage (neither is a stage).
        why = why.replace("the only stage in focus", "the only pool in focus")
    elif stage.direction in {"away", "map"}:
        why = why.replace("the only stage in focus", "the only focus")
    elif index.framework.kind == "level-model":
        why = why.replace("the only stage in focus", "the only level in focus")
    parts = []
    if cycle_step is not None and index.cycle is not None:
        number = index.steps.index(cycle_step) + 1
        parts.append(
            f"{cycle_step.name} is step {number} of {len(index.steps)} of "
            f"{index.cycle.name}, applied to {where} ({why})"
        )
    else:
        verb = "are" if plural else "is"
        parts.append(f"{where[0].upper()}{where[1:]} {verb} {why}")
    used = pool.taken + len(pool.extras)
    parts.append(
        f"this prompt is new in round {pool.pass_no + 1} "
        f"({used} of {size} in this pool already used)"
    )
    if pool.pass_no and not used:
        parts.append("every prompt in the pool had been used, so a new round begins")
    if state.unknown:
        parts.append(
            "1 prompt id in the history no longer exists and was skipped"
            if len(state.unknown) == 1
            else f"{len(state.unknown)} prompt ids in the history no longer "
            "exist and were skipped"
        )
    if state.deprecated:
        parts.append(
            "1 deprecated id in the history was read as its replacement"
            if len(state.deprecated) == 1
            else f"{len(state.deprecated)} deprecated ids in the history were "
            "read as their replacements"
        )
    return "; ".join(parts) + "."


def plan_session(  # noqa: PLR0913 -- keyword-only options, all documented
    framework: Framework,
    history: History | Sequence[Step | HistoryEntry] = (),
    steps: int = 5,
    *,
    focus: Any = None,
    cycle: Framework | str | None = None,
    seed: int = 0,
    tags: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
) -> tuple[Step, ...]:
    """Return the next *steps* steps, as if each were taken in turn.

    Equal to calling :func:`next_step` *steps* times, appending each step to
    the history.

    Raises:
        InvalidArgumentError: If *steps* is not an integer from 0 to
            :data:`MAX_SESSION_STEPS`, or as
            :func:`next_step`.

    >>> from allykit import load_framework
    >>> from allykit.reflection import plan_session
    >>> session = plan_session(load_framework("ally-model"), steps=3)
    >>> [step.stage.id for step in session]
    ['self-examination', 'awareness-and-education', 'action']
    """
    framework = _check_framework(framework)
    count: object = steps  # checked at run time: callers may pass anything
    if (
        not isinstance(count, int)
        or isinstance(count, bool)
        or not 0 <= count <= MAX_SESSION_STEPS
    ):
        msg = (
            f"steps must be an integer from 0 to {MAX_SESSION_STEPS}, "
            f"got {short_repr(steps)}"
        )
        raise InvalidArgumentError(msg)
    current = _as_history(history)
    cycle_framework = _cycle_arg(cycle)
    result = []
    for _ in range(steps):
        step = _step(
            framework,
            current,
            focus=focus,
            cycle=cycle_framework,
            seed=seed,
            tags=tags,
            kinds=kinds,
        )
        result.append(step)
        current = current.append(step)
    return tuple(result)


def load_cycle(cycle_id: str) -> Framework:
    """Return the reflective cycle *cycle_id* names; refuse anything else.

    The rule of :func:`next_step`'s ``cycle``: an unknown id gets a
    suggestion among the cycles, and a framework that is not a reflective
    cycle is refused with the cycles to choose from.

    Raises:
        UnknownDocumentError: For an unknown id.
        InvalidArgumentError: For a framework that is not a cycle.

    >>> load_cycle("gibbs-reflective-cycle").id
    'gibbs-reflective-cycle'
    """
    found = _cycle_arg(cycle_id)
    if found is None:  # pragma: no cover -- a str never gives None
        msg = "name a reflective cycle"
        raise InvalidArgumentError(msg)
    return found
