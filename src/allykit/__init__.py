"""allykit: allyship frameworks as typed, immutable, cited Python objects.

This module is the table of contents: the core names a newcomer needs,
imported lazily (``import allykit`` builds no class and reads no file).
Everything else lives in its subpackage, each with its own ``__all__``:

- :mod:`allykit.models`: the frozen domain objects;
- :mod:`allykit.catalog`: bundled data, plugins and your own files;
- :mod:`allykit.scoring` (and :mod:`allykit.scoring.frames`): scores and reliability;
- :mod:`allykit.reflection`: sequencing, histories, focus plans, journeys, the ally map;
- :mod:`allykit.crosswalks`, :mod:`allykit.changes`: between and across frameworks;
- :mod:`allykit.surveys`, :mod:`allykit.worksheets`: forms out, answers in;
- :mod:`allykit.errors`, :mod:`allykit.testing`, :mod:`allykit.cli`.

>>> import allykit
>>> allykit.load_framework("ally-model").name
'The ally model'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allykit import errors as errors
from allykit._lazy import attach
from allykit.errors import (
    AllykitDeprecationWarning,
    AllykitError,
    AllykitWarning,
    DataFileError,
    InvalidArgumentError,
    ResponseError,
    UnknownDocumentError,
    UnknownFrameworkError,
    UnknownIdError,
)

if TYPE_CHECKING:
    from allykit import catalog as catalog
    from allykit import changes as changes
    from allykit import cli as cli
    from allykit import crosswalks as crosswalks
    from allykit import models as models
    from allykit import reflection as reflection
    from allykit import scoring as scoring
    from allykit import surveys as surveys
    from allykit import testing as testing
    from allykit import worksheets as worksheets
    from allykit.catalog import (
        available_frameworks,
        available_instruments,
        clear_cache,
        get_framework,
        load_framework,
        load_framework_file,
        load_instrument,
        load_instrument_file,
        search,
    )
    from allykit.crosswalks import (
        map_stage,
        translate_profile,
    )
    from allykit.models import (
        Band,
        Characteristic,
        Citation,
        Crosswalk,
        Framework,
        FrameworkId,
        Instrument,
        InstrumentId,
        Item,
        ItemId,
        Licence,
        Principle,
        PromptId,
        ReflectivePrompt,
        ResponseScale,
        Scale,
        ScaleId,
        Stage,
        StageId,
    )
    from allykit.reflection import (
        History,
        Step,
        next_step,
    )
    from allykit.scoring import (
        ReliabilityReport,
        ScoreReport,
        reliability,
        score,
        score_many,
    )

    __version__: str

__all__ = [
    # Domain objects, from allykit.models
    "Framework",
    "Stage",
    "Characteristic",
    "ReflectivePrompt",
    "Principle",
    "Citation",
    "Licence",
    "Instrument",
    "Item",
    "Scale",
    "ResponseScale",
    "Band",
    "Crosswalk",
    # Ids
    "FrameworkId",
    "StageId",
    "PromptId",
    "InstrumentId",
    "ItemId",
    "ScaleId",
    # The catalogue, from allykit.catalog
    "available_frameworks",
    "load_framework",
    "get_framework",
    "load_framework_file",
    "available_instruments",
    "load_instrument",
    "load_instrument_file",
    "search",
    "clear_cache",
    # Scoring, from allykit.scoring
    "score",
    "score_many",
    "ScoreReport",
    "reliability",
    "ReliabilityReport",
    # Reflection, from allykit.reflection
    "History",
    "Step",
    "next_step",
    # Crosswalks, from allykit.crosswalks
    "map_stage",
    "translate_profile",
    # Errors and warnings, from allykit.errors
    "AllykitError",
    "AllykitWarning",
    "DataFileError",
    "InvalidArgumentError",
    "ResponseError",
    "UnknownDocumentError",
    "UnknownIdError",
    "UnknownFrameworkError",
]

_CORE = {
    "allykit.models": (
        "Framework",
        "Stage",
        "Characteristic",
        "ReflectivePrompt",
        "Principle",
        "Citation",
        "Licence",
        "FrameworkId",
        "StageId",
        "PromptId",
        "Instrument",
        "Item",
        "Scale",
        "ResponseScale",
        "Band",
        "InstrumentId",
        "ItemId",
        "ScaleId",
        "Crosswalk",
    ),
    "allykit.catalog": (
        "available_frameworks",
        "load_framework",
        "get_framework",
        "load_framework_file",
        "available_instruments",
        "load_instrument",
        "load_instrument_file",
        "search",
        "clear_cache",
    ),
    "allykit.scoring": (
        "score",
        "score_many",
        "ScoreReport",
        "reliability",
        "ReliabilityReport",
    ),
    "allykit.reflection": ("History", "Step", "next_step"),
    "allykit.crosswalks": ("map_stage", "translate_profile"),
}

# Names that were at the root before the package was split into
# subpackages: they still resolve, with a deprecation warning that names
# their new home.
_MOVED = {
    "Alias": "allykit.models",
    "AllyMap": "allykit.reflection",
    "BandId": "allykit.models",
    "CharacteristicId": "allykit.models",
    "Choice": "allykit.models",
    "CitationId": "allykit.models",
    "Collection": "allykit.models",
    "DEVELOPED_AT": "allykit.reflection",
    "DeprecatedId": "allykit.models",
    "Dimension": "allykit.reflection",
    "FOCUS_PLACEHOLDER": "allykit.reflection",
    "FocusItem": "allykit.reflection",
    "FrameworkDiff": "allykit.changes",
    "FrameworkKind": "allykit.models",
    "HistoryEntry": "allykit.reflection",
    "ImportedResponses": "allykit.surveys",
    "InvalidPolicy": "allykit.scoring",
    "ItemChange": "allykit.changes",
    "ItemReliability": "allykit.scoring",
    "Journey": "allykit.reflection",
    "JourneySession": "allykit.reflection",
    "Level": "allykit.models",
    "MAX_SESSION_STEPS": "allykit.reflection",
    "MapEntry": "allykit.reflection",
    "MissingPolicy": "allykit.scoring",
    "Placement": "allykit.reflection",
    "PluginWarning": "allykit.errors",
    "PointCount": "allykit.scoring",
    "Position": "allykit.reflection",
    "PrincipleId": "allykit.models",
    "PrincipleKind": "allykit.models",
    "Problem": "allykit.errors",
    "ProfileSource": "allykit.reflection",
    "ProfileTranslation": "allykit.models",
    "PromptKind": "allykit.models",
    "PublishedScale": "allykit.models",
    "ReportedStatistic": "allykit.models.instrument",
    "Responses": "allykit.scoring",
    "ScaleReliability": "allykit.scoring",
    "ScaleScore": "allykit.scoring",
    "ScoringMethod": "allykit.models",
    "SearchHit": "allykit.catalog",
    "StageLink": "allykit.models",
    "StageMapping": "allykit.models",
    "StageProfile": "allykit.scoring",
    "StageSplit": "allykit.models",
    "Subscale": "allykit.models",
    "TEMPLATE_TAG": "allykit.reflection",
    "available_crosswalks": "allykit.catalog",
    "available_scales": "allykit.catalog",
    "build_ally_map": "allykit.reflection",
    "build_journey": "allykit.reflection",
    "crosswalk_json_schema": "allykit.catalog",
    "crosswalk_sources": "allykit.catalog",
    "crosswalks_between": "allykit.crosswalks",
    "diff_frameworks": "allykit.changes",
    "dimensions_of": "allykit.reflection",
    "framework_json_schema": "allykit.catalog",
    "framework_sources": "allykit.catalog",
    "get_instrument": "allykit.catalog",
    "history_json_schema": "allykit.reflection",
    "instrument_json_schema": "allykit.catalog",
    "instrument_sources": "allykit.catalog",
    "load_crosswalk": "allykit.catalog",
    "load_crosswalk_file": "allykit.catalog",
    "load_crosswalk_mapping": "allykit.catalog",
    "load_framework_mapping": "allykit.catalog",
    "load_framework_text": "allykit.catalog",
    "load_instrument_mapping": "allykit.catalog",
    "load_instrument_text": "allykit.catalog",
    "load_qualtrics_export": "allykit.surveys",
    "load_redcap_export": "allykit.surveys",
    "load_scale": "allykit.catalog",
    "load_surveyjs_results": "allykit.surveys",
    "merge_item_text": "allykit.catalog",
    "next_stage": "allykit.reflection",
    "plan_focus": "allykit.reflection",
    "plan_session": "allykit.reflection",
    "previous_stage": "allykit.reflection",
    "reliability_frame": "allykit.scoring.frames",
    "render_html_worksheet": "allykit.worksheets",
    "render_markdown_worksheet": "allykit.worksheets",
    "render_prompt": "allykit.reflection",
    "score_columns": "allykit.scoring.frames",
    "score_frame": "allykit.scoring.frames",
    "stage_position": "allykit.reflection",
    "stages_in_order": "allykit.reflection",
    "to_redcap_dictionary": "allykit.surveys",
    "to_reproschema": "allykit.surveys",
    "to_surveyjs": "allykit.surveys",
}

_SUBPACKAGES = frozenset(
    {
        "catalog",
        "changes",
        "cli",
        "crosswalks",
        "models",
        "reflection",
        "scoring",
        "surveys",
        "testing",
        "worksheets",
    }
)


if not TYPE_CHECKING:
    _serve, _ = attach(
        __name__,
        {name: module for module, names in _CORE.items() for name in names},
        __all__,
    )

    def __dir__() -> list[str]:
        return sorted([*__all__, "__version__"])

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from importlib.metadata import version

            return version("allykit-frameworks")
        if name in _SUBPACKAGES:
            import importlib

            return importlib.import_module(f"allykit.{name}")
        home = _MOVED.get(name)
        if home is not None:
            import importlib
            import warnings

            warnings.warn(
                f"allykit.{name} moved to {home}.{name}; import it from there",
                AllykitDeprecationWarning,
                stacklevel=2,
            )
            return getattr(importlib.import_module(home), name)
        return _serve(name)
