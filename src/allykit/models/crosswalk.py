"""Crosswalks: stage-to-stage links between two frameworks, as frozen data.

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

The queries (:func:`allykit.crosswalks.map_stage`,
:func:`allykit.crosswalks.translate_profile`) live in :mod:`allykit.crosswalks`.
"""

# Annotations are not postponed here: attrs keeps each field's type as an
# object, which the converter (models/_convert.py) reads without evaluating
# strings again.

from collections.abc import Mapping
from typing import ClassVar, Literal, NewType

import attrs

from allykit.models._document import Document
from allykit.models._result import Result
from allykit.models.framework import (
    Citation,
    CitationId,
    FrameworkId,
    Licence,
    StageId,
    _doc,
)

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
class Crosswalk(Document):
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

    >>> from allykit.catalog import load_crosswalk
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
class ProfileTranslation(Result):
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

    _TITLE: ClassVar[str] = "allykit profile translation"
