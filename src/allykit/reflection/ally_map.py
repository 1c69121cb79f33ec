"""The ally map: where I can act as an ally, and where I may need allies.

Positionality dimensions are data: the characteristics of a framework of
kind ``positionality-tool`` (the Social GRACES, the wheel of power and
privilege) or your own :class:`Dimension` objects. A person records a
:class:`Placement` per dimension, optionally per context (work, community,
family); :func:`build_ally_map` sorts them into a descriptive
:class:`AllyMap`. It never adds anything up into a score or a rank, and the
library never stores, sends or logs a map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal, get_args

import attrs

from allykit.errors import InvalidArgumentError, UnknownIdError, short_repr
from allykit.models._result import Result
from allykit.models.framework import Framework, ReflectivePrompt, _doc

__all__ = [
    "AllyMap",
    "Dimension",
    "MapEntry",
    "Placement",
    "Position",
    "build_ally_map",
    "dimensions_of",
]

#: What a person records for one dimension (in one context).
Position = Literal[
    "privilege", "marginalisation", "both", "unsure", "prefer-not-to-say"
]
_POSITIONS = frozenset(get_args(Position))
_TOOLS = ("social-graces", "wheel-of-power-and-privilege")


@attrs.frozen(kw_only=True)
class Dimension:
    """One aspect of identity to place oneself on.

    Attributes:
        id: Stable kebab-case id.
        name: Short name, such as "Class".
        description: What it covers, or empty.
        centre_pole: The end with more power (wheel spokes), or empty.
        outer_pole: The end with more marginalisation, or empty.
        source: Id of the framework it comes from, or empty for your own.
        phrase: How it reads inside a sentence ("skin colour"), used by
            prompt templates; empty: the name is used.
    """

    id: str = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Short name."))
    description: str = attrs.field(default="", metadata=_doc("What it covers."))
    centre_pole: str = attrs.field(default="", metadata=_doc("End with more power."))
    outer_pole: str = attrs.field(
        default="", metadata=_doc("End with more marginalisation.")
    )
    source: str = attrs.field(default="", metadata=_doc("Framework id, or empty."))
    phrase: str = attrs.field(
        default="", metadata=_doc("How it reads inside a sentence, or empty.")
    )


@attrs.frozen(kw_only=True)
class Placement:
    """Where a person places themself on one dimension, in one context.

    Attributes:
        dimension: Id of the dimension.
        position: privilege, marginalisation, both, unsure or
            prefer-not-to-say.
        context: Where it holds (such as "work", "community", "family");
            "general", the default, for life in general.
    """

    dimension: str = attrs.field(metadata=_doc("Id of the dimension."))
    position: Position = attrs.field(metadata=_doc("What the person records."))
    context: str = attrs.field(
        default="general", metadata=_doc("Where it holds; 'general' by default.")
    )


@attrs.frozen(kw_only=True)
class MapEntry:
    """One dimension in one part of the map, with prompts for it.

    Attributes:
        dimension: The dimension.
        privilege_contexts: Contexts recorded as relative privilege (or
            both); "general" means life in general.
        marginalisation_contexts: Contexts recorded as marginalisation (or
            both).
        unsure_contexts: Contexts recorded as unsure.
        prompts: Reflective prompts for this entry, rendered for the
            dimension.
    """

    dimension: Dimension
    privilege_contexts: tuple[str, ...] = ()
    marginalisation_contexts: tuple[str, ...] = ()
    unsure_contexts: tuple[str, ...] = ()
    prompts: tuple[ReflectivePrompt, ...] = ()


@attrs.frozen(kw_only=True)
class AllyMap(Result):
    """A descriptive map: where one can act as an ally and where one may need allies.

    Entries keep the order of the dimensions given; nothing is ranked or
    scored. Dimensions marked prefer-not-to-say are left out entirely.

    Attributes:
        can_act_as_ally: Dimensions with relative privilege only.
        may_need_allies: Dimensions with marginalisation only.
        both: Dimensions with privilege in some respect or context and
            marginalisation in another.
        unsure: Dimensions recorded only as unsure.
        prompts: General prompts on the two-sided question.
    """

    can_act_as_ally: tuple[MapEntry, ...] = ()
    may_need_allies: tuple[MapEntry, ...] = ()
    both: tuple[MapEntry, ...] = ()
    unsure: tuple[MapEntry, ...] = ()
    prompts: tuple[ReflectivePrompt, ...] = ()

    _TITLE: ClassVar[str] = "allykit ally map"


def dimensions_of(
    framework: Framework, *, poles: Mapping[str, tuple[str, str]] | None = None
) -> tuple[Dimension, ...]:
    """Return the dimensions of a positionality tool, with optional new poles.

    For the wheel of power and privilege, each spoke's two examples are its
    poles (centre, then rim). *poles* replaces them per dimension id with
    ``(centre, rim)``, for settings where the defaults do not fit.

    Raises:
        InvalidArgumentError: If *framework* is not a framework or a pole
            pair is not two strings.
        UnknownIdError: If *poles* names a dimension the framework lacks.

    >>> from allykit.reflection import dimensions_of
    >>> from allykit import load_framework
    >>> wheel = load_framework("wheel-of-power-and-privilege")
    >>> language = dimensions_of(wheel, poles={"language": ("Welsh", "no Welsh")})[9]
    >>> language.name, language.centre_pole, language.outer_pole
    ('Language', 'Welsh', 'no Welsh')
    """
    if not isinstance(framework, Framework):
        msg = f"expected a Framework, got {short_repr(framework)}"
        raise InvalidArgumentError(msg)
    given: Mapping[Any, Any] = poles if poles is not None else {}
    if not isinstance(given, Mapping):
        msg = f"poles must map dimension ids to (centre, rim), got {short_repr(poles)}"
        raise InvalidArgumentError(msg)
    for key, pair in given.items():
        framework.characteristic(key)
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2  # noqa: PLR2004 -- a pair of poles
            and all(isinstance(p, str) for p in pair)
        ):
            msg = f"poles for {key!r} must be (centre, rim), got {short_repr(pair)}"
            raise InvalidArgumentError(msg)
    result = []
    for item in framework.characteristics:
        centre, outer = given.get(item.id, (*item.examples[:2], "", "")[:2])
        result.append(
            Dimension(
                id=item.id,
                name=item.name,
                description=item.description,
                centre_pole=centre,
                outer_pole=outer,
                source=framework.id,
                phrase=item.phrase,
            )
        )
    return tuple(result)


def _dimension_table(dimensions: Any) -> dict[str, Dimension]:
    if dimensions is None:
        from allykit.catalog import load_framework

        dimensions = [load_framework(tool) for tool in _TOOLS]
    if isinstance(dimensions, (Framework, Dimension)):
        dimensions = [dimensions]
    if not isinstance(dimensions, Iterable) or isinstance(dimensions, (str, Mapping)):
        msg = (
            f"dimensions must be frameworks or Dimensions, got {short_repr(dimensions)}"
        )
        raise InvalidArgumentError(msg)
    table: dict[str, Dimension] = {}
    for item in dimensions:
        if isinstance(item, Framework):
            for dimension in dimensions_of(item):
                table.setdefault(dimension.id, dimension)
        elif isinstance(item, Dimension):
            table[item.id] = item
        else:
            msg = f"expected a Framework or Dimension, got {short_repr(item)}"
            raise InvalidArgumentError(msg)
    return table


def _templates(prompts: Any) -> tuple[ReflectivePrompt, ...]:
    if prompts is None:
        from allykit.catalog import load_framework

        return load_framework("social-graces").prompts
    if not isinstance(prompts, Iterable) or not all(
        isinstance(p, ReflectivePrompt) for p in prompts
    ):
        msg = f"prompts must be ReflectivePrompts, got {short_repr(prompts)}"
        raise InvalidArgumentError(msg)
    return tuple(prompts)


_TARGETS: dict[str, tuple[str, ...]] = {
    "privilege": ("privilege",),
    "marginalisation": ("marginalisation",),
    "both": ("privilege", "marginalisation"),
    "unsure": ("unsure",),
    "prefer-not-to-say": (),
}


def _gather(
    placements: object, table: Mapping[str, Dimension]
) -> dict[str, dict[str, list[str]]]:
    """Return dimension id -> side -> contexts, in the order recorded."""
    if not isinstance(placements, Iterable) or isinstance(placements, (str, Mapping)):
        msg = f"placements must be Placement objects, got {short_repr(placements)}"
        raise InvalidArgumentError(msg)
    sides: dict[str, dict[str, list[str]]] = {}
    for placement in placements:
        item: object = placement
        if not isinstance(item, Placement) or item.position not in _POSITIONS:
            msg = f"expected a Placement, got {short_repr(item)}"
            raise InvalidArgumentError(msg)
        if item.dimension not in table:
            what = "dimension"
            raise UnknownIdError.for_id(what, str(item.dimension), table)
        record = sides.setdefault(
            item.dimension, {"privilege": [], "marginalisation": [], "unsure": []}
        )
        for target in _TARGETS[item.position]:
            if item.context not in record[target]:
                record[target].append(item.context)
    return sides


def _section(record: Mapping[str, list[str]]) -> str | None:
    if record["privilege"] and record["marginalisation"]:
        return "two-sided"
    if record["privilege"]:
        return "can-be-ally"
    if record["marginalisation"]:
        return "need-allies"
    return "unsure" if record["unsure"] else None


def build_ally_map(
    placements: Iterable[Placement],
    *,
    dimensions: Any = None,
    prompts: Iterable[ReflectivePrompt] | None = None,
) -> AllyMap:
    """Sort a person's placements into a descriptive ally map.

    Per dimension, contexts recorded as privilege (or both) and as
    marginalisation (or both) are gathered. A dimension with privilege only
    goes under *can act as an ally*, marginalisation only under *may need
    allies*, both under *both*; unsure-only under *unsure*; prefer-not-to-say
    leaves it out. Each entry gets the prompt templates tagged
    ``can-be-ally``, ``need-allies`` or ``two-sided`` rendered for it; the
    map also carries the two-sided prompts of ``allyship-in-practice``.

    Args:
        placements: What the person recorded.
        dimensions: Frameworks of kind positionality-tool and/or your own
            :class:`Dimension` objects; default: the Social GRACES and the
            wheel of power and privilege (the first definition of an id wins).
        prompts: Prompt templates to use; default: those of the Social GRACES.

    Raises:
        InvalidArgumentError: If an argument has the wrong type.
        UnknownIdError: If a placement names an unknown dimension.

    >>> from allykit.reflection import Placement, build_ally_map
    >>> ally_map = build_ally_map([
    ...     Placement(dimension="class", position="privilege"),
    ...     Placement(dimension="accent", position="marginalisation", context="work"),
    ...     Placement(dimension="age", position="privilege", context="work"),
    ...     Placement(dimension="age", position="marginalisation", context="family"),
    ... ])
    >>> [e.dimension.name for e in ally_map.can_act_as_ally]
    ['Class']
    >>> need = ally_map.may_need_allies
    >>> [(e.dimension.name, e.marginalisation_contexts) for e in need]
    [('Accent', ('work',))]
    >>> [e.dimension.name for e in ally_map.both]
    ['Age']
    """
    table = _dimension_table(dimensions)
    templates = _templates(prompts)
    sides = _gather(placements, table)
    sections: dict[str, list[MapEntry]] = {
        "can-be-ally": [],
        "need-allies": [],
        "two-sided": [],
        "unsure": [],
    }
    from allykit.models._render import render_prompt

    for dimension_id, dimension in table.items():
        record = sides.get(dimension_id)
        section = _section(record) if record is not None else None
        if record is None or section is None:
            continue  # not placed, or prefer not to say: left out
        wanted = section
        if section == "unsure" and not any("unsure" in p.tags for p in templates):
            wanted = "two-sided"  # dimension files without an "unsure" template
        sections[section].append(
            MapEntry(
                dimension=dimension,
                privilege_contexts=tuple(record["privilege"]),
                marginalisation_contexts=tuple(record["marginalisation"]),
                unsure_contexts=tuple(record["unsure"]),
                prompts=tuple(
                    render_prompt(p, dimension.phrase or dimension.name)
                    for p in templates
                    if wanted in p.tags
                ),
            )
        )
    from allykit.catalog import load_framework

    practice = load_framework("allyship-in-practice")
    general = tuple(
        render_prompt(p, framework=practice)
        for p in practice.prompts
        if "two-sided" in p.tags
    )
    return AllyMap(
        can_act_as_ally=tuple(sections["can-be-ally"]),
        may_need_allies=tuple(sections["need-allies"]),
        both=tuple(sections["two-sided"]),
        unsure=tuple(sections["unsure"]),
        prompts=general,
    )
