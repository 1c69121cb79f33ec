"""Crosswalks: stage-to-stage mappings between frameworks, and profile translation.

A crosswalk is data (``data/crosswalks/<id>.json``): a list of directed
links from a stage of a *source* framework to a stage of a *target*
framework, each with a relation, a short rationale in allykit's own words,
and its basis (a citation, or ``"editorial"`` for allykit's own judgement).
Every link can be read in either direction; reading it backwards swaps
``broader`` and ``narrower``.

The relation describes the *from* stage relative to the *to* stage:

* ``equivalent``: they cover the same ground;
* ``broader``: the from stage covers the to stage and more;
* ``narrower``: the from stage covers part of the to stage;
* ``related``: they overlap or lead into each other, without one
  containing the other.

Translating a profile (:func:`translate_profile`) is a reflective aid, not
a validated conversion between measures, and it reports everything it
could not carry across instead of hiding it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, NewType

import attrs

from allykit.errors import (
    InvalidArgumentError,
    UnknownFrameworkError,
    UnknownIdError,
    short_repr,
)
from allykit.models import (
    Citation,
    CitationId,
    FrameworkId,
    Licence,
    StageId,
    _doc,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from allykit.models import Framework

__all__ = [
    "RELATION_WEIGHTS",
    "Crosswalk",
    "CrosswalkId",
    "LinkBasis",
    "ProfileTranslation",
    "Relation",
    "StageLink",
    "StageMapping",
    "StageSplit",
    "available_crosswalks",
    "crosswalk_json_schema",
    "crosswalk_sources",
    "crosswalks_between",
    "load_crosswalk",
    "load_crosswalk_file",
    "load_crosswalk_mapping",
    "map_stage",
    "translate_profile",
]

CrosswalkId = NewType("CrosswalkId", str)
#: How a from stage relates to a to stage.
Relation = Literal["equivalent", "broader", "narrower", "related"]
#: Whether a link rests on a published source or on allykit's own judgement.
LinkBasis = Literal["cited", "editorial"]

#: Weight of each relation when :func:`translate_profile` combines values.
#: An equivalent stage carries its whole value; a broader or narrower one
#: only partly overlaps, so it counts half; a merely related one a quarter.
RELATION_WEIGHTS: Mapping[Relation, float] = {
    "equivalent": 1.0,
    "broader": 0.5,
    "narrower": 0.5,
    "related": 0.25,
}

_INVERSE: Mapping[Relation, Relation] = {
    "equivalent": "equivalent",
    "broader": "narrower",
    "narrower": "broader",
    "related": "related",
}
_KIND = "crosswalks"
_MAX_VALUE = 100.0
_TITLE = "allykit crosswalk"


@attrs.frozen(kw_only=True)
class StageLink:
    """One directed link from a source stage to a target stage.

    Attributes:
        source: Stage id in the crosswalk's source framework.
        target: Stage id in the crosswalk's target framework.
        relation: How the source stage relates to the target stage.
        rationale: Why they are linked, in allykit's own words.
        basis: ``"cited"`` when a published source makes the link,
            ``"editorial"`` when it is allykit's own judgement.
        citation: Id of the crosswalk citation that makes the link; set
            exactly when *basis* is ``"cited"``.
    """

    source: StageId = attrs.field(metadata=_doc("Stage id in the source framework."))
    target: StageId = attrs.field(metadata=_doc("Stage id in the target framework."))
    relation: Relation = attrs.field(
        metadata=_doc("equivalent, broader, narrower or related (source vs target).")
    )
    rationale: str = attrs.field(metadata=_doc("Why they are linked, own words."))
    basis: LinkBasis = attrs.field(
        default="editorial", metadata=_doc("cited or editorial.")
    )
    citation: CitationId | None = attrs.field(
        default=None, metadata=_doc("Citation id when basis is cited, else null.")
    )


@attrs.frozen(kw_only=True, repr=False)
class Crosswalk:
    """Stage-to-stage links between two frameworks, as cited or editorial data.

    Attributes:
        id: Stable id; bundled files are named after it.
        name: Human-readable title.
        summary: One or two sentences in allykit's own words.
        source: Id of the framework the links start from.
        target: Id of the framework the links end in.
        data_version: Version of this crosswalk's content.
        licence: Licence of this crosswalk's text.
        links: The links, in file order.
        citations: Sources that make or inform links (may be empty when
            every link is editorial).
        description: Longer text, or empty.

    >>> walk = load_crosswalk("ally-model-to-ally-development-levels")
    >>> walk.source, walk.target
    ('ally-model', 'ally-development-levels')
    """

    id: CrosswalkId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Human-readable title."))
    summary: str = attrs.field(metadata=_doc("One or two sentences."))
    source: FrameworkId = attrs.field(metadata=_doc("Source framework id."))
    target: FrameworkId = attrs.field(metadata=_doc("Target framework id."))
    data_version: str = attrs.field(
        default="1.0.0", metadata=_doc("Version of this content.")
    )
    licence: Licence = attrs.field(metadata=_doc("Licence of this text."))
    links: tuple[StageLink, ...] = attrs.field(
        metadata=_doc("Directed stage links; at least one.")
    )
    citations: tuple[Citation, ...] = attrs.field(
        default=(), metadata=_doc("Sources that make or inform links.")
    )
    description: str = attrs.field(default="", metadata=_doc("Longer text."))

    def __repr__(self) -> str:
        """Return a short summary; ``to_dict()`` shows everything."""
        return (
            f"<Crosswalk {self.id!r}: {self.source} -> {self.target}, "
            f"{len(self.links)} links>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the crosswalk as JSON-ready plain data (the file format)."""
        from allykit._convert import document

        return document(self)

    @property
    def content_hash(self) -> str:
        """Return a SHA-256 hex digest of the canonical JSON of this crosswalk."""
        from allykit._convert import content_hash

        return content_hash(self.to_dict())


@attrs.frozen(kw_only=True)
class StageMapping:
    """One stage reached from a given stage, read in the asked-for direction.

    Attributes:
        stage: The stage id in the framework mapped to.
        relation: How the given stage relates to *stage*.
        rationale: Why they are linked.
        basis: ``"cited"`` or ``"editorial"``.
        crosswalk: Id of the crosswalk the link comes from.
    """

    stage: StageId
    relation: Relation
    rationale: str
    basis: LinkBasis
    crosswalk: CrosswalkId


@attrs.frozen(kw_only=True)
class StageSplit:
    """A source stage whose value went to several target stages (or the reverse).

    Attributes:
        stage: The stage whose value was split or merged.
        into: The stages on the other side, in stage order.
    """

    stage: StageId
    into: tuple[StageId, ...]


@attrs.frozen(kw_only=True)
class ProfileTranslation:
    """A stage profile carried from one framework to another, with what was lost.

    Attributes:
        source: Id of the framework the profile came from.
        target: Id of the framework it was translated into.
        values: ``(target stage id, value or None)`` for every target stage,
            in stage order; None where no source value reached it.
        unmapped_sources: Source stages with a value that no link carries.
        unfilled_targets: Target stages no link reaches at all.
        missing_inputs: Target stages whose linked source stages all had
            no value (None or absent) in the profile.
        splits: Source stages linked to more than one target stage: their
            value was copied into each, so it counts more than once.
        merges: Target stages combined from more than one source stage.
        indirect: ``(target, source)`` pairs linked only as ``related``,
            the weakest relation.
        crosswalks: Ids of the crosswalks used.
    """

    source: FrameworkId
    target: FrameworkId
    values: tuple[tuple[StageId, float | None], ...]
    unmapped_sources: tuple[StageId, ...]
    unfilled_targets: tuple[StageId, ...]
    missing_inputs: tuple[StageId, ...]
    splits: tuple[StageSplit, ...]
    merges: tuple[StageSplit, ...]
    indirect: tuple[tuple[StageId, StageId], ...]
    crosswalks: tuple[CrosswalkId, ...]

    @property
    def profile(self) -> dict[str, float | None]:
        """Return the translated profile as a new dict (target stage -> value)."""
        return dict(self.values)

    @property
    def lossless(self) -> bool:
        """Return True when nothing was dropped, split, merged or weakly linked."""
        return not (
            self.unmapped_sources
            or self.unfilled_targets
            or self.missing_inputs
            or self.splits
            or self.merges
            or self.indirect
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the translation as JSON-ready plain data."""
        from allykit._convert import unstructure

        return unstructure(self)


# -- loading -------------------------------------------------------------


def available_crosswalks() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin crosswalk, sorted.

    Plugin crosswalks come from installed packages through the entry-point
    group ``allykit.crosswalks`` (see :func:`crosswalk_sources`).

    >>> "ally-model-to-ally-development-levels" in available_crosswalks()
    True
    """
    from allykit.catalog import available_ids

    return available_ids(_KIND)


def crosswalk_sources() -> dict[str, str]:
    """Return where each available crosswalk comes from, by id (sorted).

    The value is ``"bundled"`` for allykit's own data, or a description of
    the installed package, entry point and file that provides it. Bundled
    data takes precedence over plugins.

    >>> crosswalk_sources()["ally-model-to-becoming-an-ally"]
    'bundled'
    """
    from allykit.catalog import sources_of

    return sources_of(_KIND)


def load_crosswalk(crosswalk_id: str) -> Crosswalk:
    """Return the bundled or plugin crosswalk *crosswalk_id* (cached).

    A plugin crosswalk is validated like a user's file on its first load.

    Raises:
        UnknownFrameworkError: If no crosswalk has that id; the message
            suggests the closest ids.
        DataFileError: If a plugin's file does not match the format.

    >>> len(load_crosswalk("ally-model-to-becoming-an-ally").links) > 0
    True
    """
    from allykit.catalog import load_any

    return load_any(_KIND, Crosswalk, crosswalk_id, load_crosswalk_mapping)


def load_crosswalk_mapping(
    data: Mapping[str, Any], *, source: str = "<mapping>"
) -> Crosswalk:
    """Validate plain data in the crosswalk file format and build a crosswalk.

    Stage ids are checked against each end's framework when it is available
    (bundled or from an installed package); a crosswalk between your own
    files is checked for its own consistency: unique links, citations that
    exist, basis and citation that agree.

    Raises:
        DataFileError: Listing every problem, each with its location.
    """
    from allykit._loading import load_document

    return load_document(
        Crosswalk, data, source=source, title=_TITLE, checks=check_crosswalk
    )


def load_crosswalk_file(path: str | os.PathLike[str]) -> Crosswalk:
    """Read, validate and build a crosswalk from the user's own JSON file.

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    from allykit._loading import from_file

    return from_file(path, load_crosswalk_mapping)


def crosswalk_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the crosswalk file format.

    >>> crosswalk_json_schema()["title"]
    'allykit crosswalk'
    """
    from allykit import _schema

    return _schema.json_schema(
        Crosswalk,
        title=_TITLE,
        description="Directed stage-to-stage links between two allykit "
        "frameworks, each with a relation, a rationale and its basis. "
        "See docs/crosswalks.md.",
    )


def check_crosswalk(data: Mapping[str, Any]) -> list[Any]:
    """Return every cross-reference problem in plain crosswalk data."""
    from allykit._checks import entries, unique_ids
    from allykit.catalog import available_frameworks, load_framework
    from allykit.errors import Problem, short_repr

    citation_ids, problems = unique_ids(data, "citations")
    stage_ids: dict[str, set[str] | None] = {}
    for end in ("source", "target"):
        fid = data.get(end)
        if isinstance(fid, str) and fid in available_frameworks():
            stage_ids[end] = {s.id for s in load_framework(fid).stages}
        else:
            stage_ids[end] = None
    seen: dict[tuple[str, str], int] = {}
    for index, link in entries(data, "links"):
        pair = (link.get("source"), link.get("target"))
        for end, value in zip(("source", "target"), pair, strict=True):
            known = stage_ids[end]
            if known is not None and isinstance(value, str) and value not in known:
                problems.append(
                    Problem(
                        path=f"links[{index}].{end}",
                        message=f"no stage of framework {data.get(end)!r} has this id",
                        value=short_repr(value),
                        hint="use one of: " + ", ".join(sorted(known)),
                    )
                )
        if all(isinstance(v, str) for v in pair):
            key = (str(pair[0]), str(pair[1]))
            if key in seen:
                problems.append(
                    Problem(
                        path=f"links[{index}]",
                        message=f"duplicate link, already given as links[{seen[key]}]",
                        value=short_repr(key),
                        hint="give each pair of stages one link",
                    )
                )
            seen.setdefault(key, index)
        problems.extend(_check_basis(index, link, citation_ids))
    links = data.get("links")
    if isinstance(links, list) and not links:
        problems.append(Problem(path="links", message="at least one link is required"))
    if data.get("source") is not None and data.get("source") == data.get("target"):
        problems.append(
            Problem(
                path="target",
                message="source and target must be different frameworks",
                value=short_repr(data.get("target")),
            )
        )
    return problems


def _check_basis(
    index: int, link: Mapping[str, Any], citation_ids: set[str]
) -> list[Any]:
    """A link's basis and citation must agree, and the citation must exist."""
    from allykit.errors import Problem, short_repr

    problems: list[Problem] = []
    basis, citation = link.get("basis", "editorial"), link.get("citation")
    if basis == "cited" and citation is None:
        problems.append(
            Problem(
                path=f"links[{index}].citation",
                message="a cited link needs a citation id",
                hint="add the id of a citation, or set basis to 'editorial'",
            )
        )
    elif basis == "editorial" and citation is not None:
        problems.append(
            Problem(
                path=f"links[{index}].basis",
                message="a link with a citation must have basis 'cited'",
                value=short_repr(basis),
                hint="set basis to 'cited', or remove the citation",
            )
        )
    if isinstance(citation, str) and citation not in citation_ids:
        problems.append(
            Problem(
                path=f"links[{index}].citation",
                message="no citation of this crosswalk has this id",
                value=short_repr(citation),
                hint="add the citation to 'citations'",
            )
        )
    return problems


# -- queries ---------------------------------------------------------------


def _usable(crosswalk_id: str) -> Crosswalk | None:
    from allykit.errors import DataFileError, PluginWarning

    try:
        return load_crosswalk(crosswalk_id)
    except DataFileError as error:
        import warnings

        message = f"crosswalk {crosswalk_id!r} is skipped: {error}"
        # stacklevel 4: here, _all_crosswalks, the public query, its caller
        warnings.warn(message, PluginWarning, stacklevel=4)
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
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            msg = f"profile value for {key!r} must be a number or None, got {value!r}"
            raise InvalidArgumentError(msg)
        number = float(value)
        if not 0.0 <= number <= _MAX_VALUE:  # also refuses NaN
            msg = f"profile value for {key!r} must be within 0..100, got {value!r}"
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
