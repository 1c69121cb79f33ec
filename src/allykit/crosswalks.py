"""Queries over crosswalks: map a stage, translate a profile, find the crosswalks.

The crosswalk data model (links, relations and their basis) is documented
in :mod:`allykit.models.crosswalk`; this module answers questions with it.
Every link can be read in either direction; reading it backwards swaps
``broader`` and ``narrower``.

Translating a profile (:func:`translate_profile`) is a reflective aid, not
a validated conversion between measures, and it reports everything it
could not carry across instead of hiding it.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import TYPE_CHECKING

from allykit._numbers import real_number
from allykit.catalog import available_crosswalks, load_crosswalk
from allykit.errors import (
    InvalidArgumentError,
    UnknownFrameworkError,
    UnknownIdError,
    short_repr,
)
from allykit.models.crosswalk import (
    _INVERSE,
    _MAX_VALUE,
    RELATION_WEIGHTS,
    Crosswalk,
    CrosswalkId,
    ProfileTranslation,
    Relation,
    StageLink,
    StageMapping,
    StageSplit,
)
from allykit.models.framework import StageId

if TYPE_CHECKING:
    from collections.abc import Iterable

    from allykit.models.framework import Framework

__all__ = ["crosswalks_between", "map_stage", "translate_profile"]

# -- queries ---------------------------------------------------------------


def _usable(crosswalk_id: str) -> Crosswalk | None:
    from allykit.errors import DataFileError, PluginWarning

    try:
        return load_crosswalk(crosswalk_id)
    except DataFileError as error:
        from allykit.errors import warn

        message = f"crosswalk {crosswalk_id!r} is skipped: {error}"
        warn(message, PluginWarning)
        return None


def _all_crosswalks() -> tuple[Crosswalk, ...]:
    """Return every usable crosswalk, skipping plugin files that fail validation.

    A skipped file is reported as a :class:`~allykit.errors.PluginWarning`
    (``load_crosswalk`` of its id raises the full error), so that one broken
    package does not break every query. A plain loop, not a generator, so
    that the warning's stacklevel reaches the caller of the public query.
    """
    found = []
    for crosswalk_id in available_crosswalks():
        walk = _usable(crosswalk_id)
        if walk is not None:
            found.append(walk)
    return tuple(found)


def crosswalks_between(a: str, b: str) -> tuple[Crosswalk, ...]:
    """Return the available crosswalks linking frameworks *a* and *b*, either way.

    Sorted by crosswalk id; empty when there is none (or *a* is *b*).

    >>> [w.id for w in crosswalks_between("ally-development-levels", "ally-model")]
    ['ally-model-to-ally-development-levels']

    Raises:
        InvalidArgumentError: If *a* or *b* is not a framework id string.
    """
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, str):
            msg = (
                f"{name} must be a framework id (a str such as 'ally-model'), "
                f"got {short_repr(value)}; see allykit.available_frameworks()"
            )
            raise InvalidArgumentError(msg)
    return tuple(w for w in _all_crosswalks() if {w.source, w.target} == {a, b})


def _oriented(
    from_framework: str, to_framework: str
) -> tuple[tuple[StageId, StageId, Relation, StageLink, CrosswalkId], ...]:
    """Return every link between the two, read from *from_framework*."""
    walks = crosswalks_between(from_framework, to_framework)
    if not walks:
        from allykit._suggest import suggestion_text

        every = _all_crosswalks()
        reachable = sorted(
            {w.target for w in every if w.source == from_framework}
            | {w.source for w in every if w.target == from_framework}
        )
        msg = f"no crosswalk links {from_framework!r} and {to_framework!r}" + (
            suggestion_text(to_framework, reachable)
            if reachable
            else f"; {from_framework!r} has no crosswalks"
        )
        raise UnknownFrameworkError(msg, wanted=to_framework)
    result = []
    for walk in walks:
        forward = walk.source == from_framework
        for link in walk.links:
            if forward:
                result.append((link.source, link.target, link.relation, link, walk.id))
            else:
                relation = _INVERSE[link.relation]
                result.append((link.target, link.source, relation, link, walk.id))
    return tuple(result)


def _stage_order(framework_id: str) -> tuple[StageId, ...]:
    from allykit.catalog import load_framework

    return tuple(s.id for s in load_framework(framework_id).stages)


def map_stage(
    from_framework: str, stage: str, to_framework: str
) -> tuple[StageMapping, ...]:
    """Return the stages of *to_framework* that *stage* links to, in stage order.

    An empty tuple means the stage exists but no link reaches the other
    framework: a gap, not an error.

    Raises:
        UnknownFrameworkError: If either framework is unknown, or no
            crosswalk links them.
        UnknownIdError: If *stage* is not a stage of *from_framework*.

    >>> [(m.stage, m.relation) for m in map_stage("ally-model", "action",
    ...                                           "ally-development-levels")]
    [('skills', 'related'), ('action', 'equivalent')]
    """
    from allykit.catalog import load_framework

    source = load_framework(from_framework)
    load_framework(to_framework)
    wanted = source.stage(stage).id
    order = {sid: index for index, sid in enumerate(_stage_order(to_framework))}
    found = [
        StageMapping(
            stage=to_stage,
            relation=relation,
            rationale=link.rationale,
            basis=link.basis,
            crosswalk=walk_id,
        )
        for from_stage, to_stage, relation, link, walk_id in _oriented(
            from_framework, to_framework
        )
        if from_stage == wanted
    ]
    found.sort(key=lambda m: (order.get(m.stage, len(order)), m.crosswalk))
    return tuple(found)


def _checked_profile(
    profile: Mapping[str, float | None], framework: Framework
) -> dict[str, float | None]:
    if not isinstance(profile, Mapping):
        msg = (
            "profile must be a mapping of stage id to a number, got "
            f"{short_repr(profile)}"
        )
        raise InvalidArgumentError(msg)
    known = {s.id for s in framework.stages}
    checked: dict[str, float | None] = {}
    for key, value in profile.items():
        if key not in known:
            error = UnknownIdError.for_id(
                "stage", str(key), known, where=f"framework {framework.id!r}"
            )
            raise error
        if value is None:
            checked[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            # numbers.Real: NumPy's ints and floats and Fraction too.
            msg = (
                f"profile value for {key!r} must be a number or None, got "
                f"{short_repr(value)}"
            )
            raise InvalidArgumentError(msg)
        number = real_number(value)
        if not 0.0 <= number <= _MAX_VALUE:  # also refuses NaN
            msg = (
                f"profile value for {key!r} must be within 0..100, got "
                f"{short_repr(value)}"
            )
            raise InvalidArgumentError(msg)
        checked[key] = number
    return checked


def translate_profile(
    profile: Mapping[str, float | None], from_framework: str, to_framework: str
) -> ProfileTranslation:
    """Translate a stage profile (stage id -> 0..100 or None) into another framework.

    **Combining rule.** Each target stage gets the weighted mean of the
    values of the source stages linked to it, each weighted by its
    relation (:data:`RELATION_WEIGHTS`: equivalent 1, broader and narrower
    0.5, related 0.25). Source stages that are absent from *profile* or
    None are left out of the mean. A target stage with no usable source
    value is None. Because it is a weighted mean of values in 0..100, every
    translated value is within 0..100 too, and no value is invented: a
    target value always comes from at least one given source value.

    Nothing lost is hidden: the result lists source values no link
    carries, target stages no link reaches, target stages whose sources
    had no value, one-to-many splits, many-to-one merges and links that are
    only ``related``. The result is a reflective aid, not a validated
    conversion between measures.

    Raises:
        UnknownFrameworkError: If either framework is unknown, or no
            crosswalk links them.
        UnknownIdError: If a profile key is not a stage of *from_framework*.
        InvalidArgumentError: If a value is not None or a number in 0..100.

    >>> result = translate_profile(
    ...     {"self-examination": 80, "awareness-and-education": 40, "action": 20},
    ...     "ally-model",
    ...     "ally-development-levels",
    ... )
    >>> result.profile["action"]
    20.0
    >>> result.unfilled_targets
    ()
    """
    from allykit.catalog import load_framework

    source = load_framework(from_framework)
    target = load_framework(to_framework)
    values = _checked_profile(profile, source)
    links = _oriented(from_framework, to_framework)

    source_order = tuple(s.id for s in source.stages)
    target_order = tuple(s.id for s in target.stages)
    incoming: dict[str, list[tuple[StageId, Relation]]] = {t: [] for t in target_order}
    outgoing: dict[str, set[str]] = {s: set() for s in source_order}
    for from_stage, to_stage, relation, _link, _walk in links:
        incoming[to_stage].append((from_stage, relation))
        outgoing[from_stage].add(to_stage)

    translated: list[tuple[StageId, float | None]] = []
    missing: list[StageId] = []
    for stage in target_order:
        total = weight_sum = 0.0
        for linked, relation in incoming[stage]:
            value = values.get(linked)
            if value is not None:
                weight = RELATION_WEIGHTS[relation]
                total += weight * value
                weight_sum += weight
        if weight_sum:
            # Clamp guards against float rounding just outside the range.
            translated.append((stage, min(100.0, max(0.0, total / weight_sum))))
        else:
            translated.append((stage, None))
            if incoming[stage]:
                missing.append(stage)

    def in_order(ids: Iterable[str], order: tuple[StageId, ...]) -> tuple[StageId, ...]:
        wanted = set(ids)
        return tuple(s for s in order if s in wanted)

    return ProfileTranslation(
        source=source.id,
        target=target.id,
        values=tuple(translated),
        unmapped_sources=tuple(
            s for s in source_order if values.get(s) is not None and not outgoing[s]
        ),
        unfilled_targets=tuple(t for t in target_order if not incoming[t]),
        missing_inputs=tuple(missing),
        splits=tuple(
            StageSplit(stage=s, into=in_order(outgoing[s], target_order))
            for s in source_order
            if len(outgoing[s]) > 1 and values.get(s) is not None
        ),
        merges=tuple(
            StageSplit(
                stage=t,
                into=in_order((f for f, _r in incoming[t]), source_order),
            )
            for t in target_order
            if len({f for f, _r in incoming[t]}) > 1
        ),
        indirect=tuple(
            (t, f)
            for t in target_order
            for f, relation in incoming[t]
            if relation == "related" and values.get(f) is not None
        ),
        crosswalks=tuple(sorted({walk for *_rest, walk in links})),
    )
