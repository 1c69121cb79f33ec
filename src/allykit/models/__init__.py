"""The domain objects: typed, frozen, cited data with no I/O.

Frameworks (:mod:`allykit.models.framework`), instruments
(:mod:`allykit.models.instrument`), published-scale records
(:mod:`allykit.models.published`) and crosswalks
(:mod:`allykit.models.crosswalk`). Nothing here reads a file or imports
pydantic; the catalogue (:mod:`allykit.catalog`) turns files into these
objects. Importing any of them imports them all (a subpackage imports
what it names; only the root :mod:`allykit` serves names on first use).

>>> from allykit.models import Framework
>>> Framework.__name__
'Framework'
"""

from __future__ import annotations

from allykit.models.crosswalk import (
    RELATION_WEIGHTS,
    Crosswalk,
    CrosswalkId,
    LinkBasis,
    ProfileTranslation,
    Relation,
    StageLink,
    StageMapping,
    StageSplit,
)
from allykit.models.framework import (
    Characteristic,
    CharacteristicId,
    Citation,
    CitationId,
    Collection,
    DeprecatedId,
    Direction,
    Framework,
    FrameworkId,
    FrameworkKind,
    ItemId,
    Level,
    Licence,
    ModellingNote,
    Principle,
    PrincipleId,
    PrincipleKind,
    PromptId,
    PromptKind,
    ReflectivePrompt,
    SharedItems,
    SourceLocator,
    Stage,
    StageId,
)
from allykit.models.instrument import (
    Alias,
    Band,
    BandId,
    Choice,
    Instrument,
    InstrumentId,
    Item,
    ResponseScale,
    Scale,
    ScaleId,
    ScoringMethod,
)
from allykit.models.published import PublishedScale, PublishedScaleId, Subscale

__all__ = [
    # Frameworks
    "Characteristic",
    "CharacteristicId",
    "Citation",
    "CitationId",
    "Collection",
    "DeprecatedId",
    "Direction",
    "Framework",
    "FrameworkId",
    "FrameworkKind",
    "ItemId",
    "Level",
    "Licence",
    "ModellingNote",
    "Principle",
    "PrincipleId",
    "PrincipleKind",
    "PromptId",
    "PromptKind",
    "ReflectivePrompt",
    "SharedItems",
    "SourceLocator",
    "Stage",
    "StageId",
    # Instruments
    "Alias",
    "Band",
    "BandId",
    "Choice",
    "Instrument",
    "InstrumentId",
    "Item",
    "ResponseScale",
    "Scale",
    "ScaleId",
    "ScoringMethod",
    # Published scales (metadata only)
    "PublishedScale",
    "PublishedScaleId",
    "Subscale",
    # Crosswalks
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
