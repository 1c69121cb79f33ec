"""allykit: allyship frameworks as typed, immutable, cited Python objects.

This module is a table of contents. It re-exports the public API and reads
no file; pydantic is imported only when untrusted data is validated.

>>> import allykit
>>> allykit.load_framework("ally-model").name
'The ally model'
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from allykit.catalog import (
    available_frameworks,
    clear_cache,
    framework_json_schema,
    framework_sources,
    get_framework,
    load_framework,
    load_framework_file,
    load_framework_mapping,
    load_framework_text,
)
from allykit.errors import (
    AllykitDeprecationWarning,
    AllykitError,
    AllykitWarning,
    DataFileError,
    InvalidArgumentError,
    PluginWarning,
    Problem,
    ResponseError,
    UnknownFrameworkError,
    UnknownIdError,
)

if TYPE_CHECKING:
    from allykit.changes import FrameworkDiff, ItemChange, diff_frameworks
    from allykit.crosswalks import (
        Crosswalk,
        ProfileTranslation,
        StageLink,
        StageMapping,
        StageSplit,
        available_crosswalks,
        crosswalk_json_schema,
        crosswalk_sources,
        crosswalks_between,
        load_crosswalk,
        load_crosswalk_file,
        load_crosswalk_mapping,
        map_stage,
        translate_profile,
    )
    from allykit.exports import render_html_worksheet, render_markdown_worksheet
    from allykit.focus import DEVELOPED_AT, FocusItem, ProfileSource, plan_focus
    from allykit.frames import reliability_frame, score_columns, score_frame
    from allykit.history import History, HistoryEntry, history_json_schema
    from allykit.importers import (
        ImportedResponses,
        load_qualtrics_export,
        load_redcap_export,
        load_surveyjs_results,
    )
    from allykit.instruments import (
        Alias,
        Band,
        BandId,
        Choice,
        Instrument,
        InstrumentId,
        Item,
        ItemId,
        ResponseScale,
        Scale,
        ScaleId,
        ScoringMethod,
        available_instruments,
        get_instrument,
        instrument_json_schema,
        instrument_sources,
        load_instrument,
        load_instrument_file,
        load_instrument_mapping,
        load_instrument_text,
        merge_item_text,
    )
    from allykit.journeys import Journey, JourneySession, build_journey
    from allykit.models import (
        Characteristic,
        CharacteristicId,
        Citation,
        CitationId,
        Collection,
        DeprecatedId,
        Framework,
        FrameworkId,
        FrameworkKind,
        Level,
        Licence,
        Principle,
        PrincipleId,
        PrincipleKind,
        PromptId,
        PromptKind,
        ReflectivePrompt,
        Stage,
        StageId,
    )
    from allykit.positionality import (
        AllyMap,
        Dimension,
        MapEntry,
        Placement,
        Position,
        build_ally_map,
        dimensions_of,
    )
    from allykit.reliability import (
        ItemReliability,
        MissingPolicy,
        ReliabilityReport,
        ScaleReliability,
        reliability,
    )
    from allykit.scales import (
        PublishedScale,
        Subscale,
        available_scales,
        load_scale,
    )
    from allykit.scoring import (
        InvalidPolicy,
        PointCount,
        Responses,
        ScaleScore,
        ScoreReport,
        StageProfile,
        score,
        score_many,
    )
    from allykit.searching import SearchHit, search
    from allykit.sequencing import (
        FOCUS_PLACEHOLDER,
        MAX_SESSION_STEPS,
        TEMPLATE_TAG,
        Step,
        next_stage,
        next_step,
        plan_session,
        previous_stage,
        render_prompt,
        stage_position,
        stages_in_order,
    )
    from allykit.surveys import to_redcap_dictionary, to_reproschema, to_surveyjs

__all__ = [
    # DataFrame scoring (extra "frames")
    "reliability_frame",
    "score_columns",
    "score_frame",
    # Domain objects
    "Characteristic",
    "CharacteristicId",
    "Citation",
    "CitationId",
    "Collection",
    "DeprecatedId",
    "Framework",
    "FrameworkId",
    "FrameworkKind",
    "Level",
    "Licence",
    "Principle",
    "PrincipleId",
    "PrincipleKind",
    "PromptId",
    "PromptKind",
    "ReflectivePrompt",
    "Stage",
    "StageId",
    # Catalogue
    "available_frameworks",
    "clear_cache",
    "framework_json_schema",
    "framework_sources",
    "get_framework",
    "load_framework",
    "load_framework_file",
    "load_framework_mapping",
    "load_framework_text",
    # Instruments and scoring
    "Alias",
    "Band",
    "BandId",
    "Choice",
    "Instrument",
    "InstrumentId",
    "Item",
    "ItemId",
    "ResponseScale",
    "Scale",
    "ScaleId",
    "ScoringMethod",
    "available_instruments",
    "get_instrument",
    "instrument_json_schema",
    "instrument_sources",
    "load_instrument",
    "load_instrument_file",
    "load_instrument_mapping",
    "load_instrument_text",
    "merge_item_text",
    "InvalidPolicy",
    "PointCount",
    "Responses",
    "ScaleScore",
    "ScoreReport",
    "StageProfile",
    "score",
    "score_many",
    "ItemReliability",
    "MissingPolicy",
    "ReliabilityReport",
    "ScaleReliability",
    "reliability",
    # Sequencing (#4)
    "DEVELOPED_AT",
    "FocusItem",
    "ProfileSource",
    "plan_focus",
    "FOCUS_PLACEHOLDER",
    "MAX_SESSION_STEPS",
    "TEMPLATE_TAG",
    "History",
    "HistoryEntry",
    "Step",
    "history_json_schema",
    "next_stage",
    "next_step",
    "plan_session",
    "previous_stage",
    "render_prompt",
    "stage_position",
    "stages_in_order",
    # Journeys (#4)
    "Journey",
    "JourneySession",
    "build_journey",
    # The ally map (#4)
    "AllyMap",
    "Dimension",
    "MapEntry",
    "Placement",
    "Position",
    "build_ally_map",
    "dimensions_of",
    # Crosswalks
    "Crosswalk",
    "ProfileTranslation",
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
    # Search
    "SearchHit",
    "search",
    # Change control
    "FrameworkDiff",
    "ItemChange",
    "diff_frameworks",
    # Published scales (metadata only)
    "PublishedScale",
    "Subscale",
    "available_scales",
    "load_scale",
    # Exports
    "render_html_worksheet",
    "render_markdown_worksheet",
    # Importers (survey-platform exports)
    "ImportedResponses",
    "load_qualtrics_export",
    "load_redcap_export",
    "load_surveyjs_results",
    # Survey-platform exports, scored as allykit scores (#7)
    "to_redcap_dictionary",
    "to_reproschema",
    "to_surveyjs",
    # Errors
    "AllykitDeprecationWarning",
    "AllykitError",
    "AllykitWarning",
    "DataFileError",
    "InvalidArgumentError",
    "PluginWarning",
    "Problem",
    "ResponseError",
    "UnknownFrameworkError",
    "UnknownIdError",
]

# Names served lazily from their modules on first access: building the attrs
# classes and importing optional parts costs nothing at ``import allykit``.
_LAZY: dict[str, str] = {
    "reliability_frame": "allykit.frames",
    "score_columns": "allykit.frames",
    "score_frame": "allykit.frames",
    "Characteristic": "allykit.models",
    "CharacteristicId": "allykit.models",
    "Citation": "allykit.models",
    "CitationId": "allykit.models",
    "Collection": "allykit.models",
    "DeprecatedId": "allykit.models",
    "Framework": "allykit.models",
    "FrameworkId": "allykit.models",
    "FrameworkKind": "allykit.models",
    "Level": "allykit.models",
    "Licence": "allykit.models",
    "Principle": "allykit.models",
    "PrincipleId": "allykit.models",
    "PrincipleKind": "allykit.models",
    "PromptId": "allykit.models",
    "PromptKind": "allykit.models",
    "ReflectivePrompt": "allykit.models",
    "Stage": "allykit.models",
    "StageId": "allykit.models",
    "Alias": "allykit.instruments",
    "Band": "allykit.instruments",
    "BandId": "allykit.instruments",
    "Choice": "allykit.instruments",
    "Instrument": "allykit.instruments",
    "InstrumentId": "allykit.instruments",
    "Item": "allykit.instruments",
    "ItemId": "allykit.instruments",
    # Deprecated: resolves with a warning, not listed in __all__.
    "ReportedStatistic": "allykit.instruments",
    "ResponseScale": "allykit.instruments",
    "Scale": "allykit.instruments",
    "ScaleId": "allykit.instruments",
    "ScoringMethod": "allykit.instruments",
    "available_instruments": "allykit.instruments",
    "get_instrument": "allykit.instruments",
    "instrument_json_schema": "allykit.instruments",
    "instrument_sources": "allykit.instruments",
    "load_instrument": "allykit.instruments",
    "load_instrument_file": "allykit.instruments",
    "load_instrument_mapping": "allykit.instruments",
    "load_instrument_text": "allykit.instruments",
    "merge_item_text": "allykit.instruments",
    "InvalidPolicy": "allykit.scoring",
    "PointCount": "allykit.scoring",
    "Responses": "allykit.scoring",
    "ScaleScore": "allykit.scoring",
    "ScoreReport": "allykit.scoring",
    "StageProfile": "allykit.scoring",
    "score": "allykit.scoring",
    "score_many": "allykit.scoring",
    "ItemReliability": "allykit.reliability",
    "MissingPolicy": "allykit.reliability",
    "ReliabilityReport": "allykit.reliability",
    "ScaleReliability": "allykit.reliability",
    "reliability": "allykit.reliability",
    "DEVELOPED_AT": "allykit.focus",
    "FocusItem": "allykit.focus",
    "ProfileSource": "allykit.focus",
    "plan_focus": "allykit.focus",
    "AllyMap": "allykit.positionality",
    "Dimension": "allykit.positionality",
    "MapEntry": "allykit.positionality",
    "Placement": "allykit.positionality",
    "Position": "allykit.positionality",
    "build_ally_map": "allykit.positionality",
    "dimensions_of": "allykit.positionality",
    "Journey": "allykit.journeys",
    "JourneySession": "allykit.journeys",
    "build_journey": "allykit.journeys",
    "History": "allykit.history",
    "HistoryEntry": "allykit.history",
    "history_json_schema": "allykit.history",
    "FOCUS_PLACEHOLDER": "allykit.sequencing",
    "MAX_SESSION_STEPS": "allykit.sequencing",
    "TEMPLATE_TAG": "allykit.sequencing",
    "Step": "allykit.sequencing",
    "next_stage": "allykit.sequencing",
    "next_step": "allykit.sequencing",
    "plan_session": "allykit.sequencing",
    "previous_stage": "allykit.sequencing",
    "render_prompt": "allykit.sequencing",
    "stage_position": "allykit.sequencing",
    "stages_in_order": "allykit.sequencing",
    "Crosswalk": "allykit.crosswalks",
    "ProfileTranslation": "allykit.crosswalks",
    "StageLink": "allykit.crosswalks",
    "StageMapping": "allykit.crosswalks",
    "StageSplit": "allykit.crosswalks",
    "available_crosswalks": "allykit.crosswalks",
    "crosswalk_json_schema": "allykit.crosswalks",
    "crosswalk_sources": "allykit.crosswalks",
    "crosswalks_between": "allykit.crosswalks",
    "load_crosswalk": "allykit.crosswalks",
    "load_crosswalk_file": "allykit.crosswalks",
    "load_crosswalk_mapping": "allykit.crosswalks",
    "map_stage": "allykit.crosswalks",
    "translate_profile": "allykit.crosswalks",
    "SearchHit": "allykit.searching",
    "search": "allykit.searching",
    "FrameworkDiff": "allykit.changes",
    "ItemChange": "allykit.changes",
    "diff_frameworks": "allykit.changes",
    "PublishedScale": "allykit.scales",
    "Subscale": "allykit.scales",
    "available_scales": "allykit.scales",
    "load_scale": "allykit.scales",
    "render_html_worksheet": "allykit.exports",
    "render_markdown_worksheet": "allykit.exports",
    "ImportedResponses": "allykit.importers",
    "load_qualtrics_export": "allykit.importers",
    "load_redcap_export": "allykit.importers",
    "load_surveyjs_results": "allykit.importers",
    "to_redcap_dictionary": "allykit.surveys",
    "to_reproschema": "allykit.surveys",
    "to_surveyjs": "allykit.surveys",
}


# Public functions named like the module that defines them. Python binds a
# submodule to its package's attribute once the submodule is first imported
# (``from allykit.reliability import ...`` anywhere), which would make
# ``allykit.reliability`` the module, not the function, depending on import
# order. The package keeps the function instead; the module is still
# ``sys.modules["allykit.reliability"]`` and ``from allykit.reliability
# import ...`` works as usual. The one cost: ``import allykit.reliability
# as m`` binds the function (Python reads the package attribute); use
# ``importlib.import_module("allykit.reliability")`` for the module.
_NAMED_LIKE_THEIR_MODULE = frozenset({"reliability"})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _NAMED_LIKE_THEIR_MODULE and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("allykit")
    module_name = _LAZY.get(name)
    if module_name is None:
        msg = f"module 'allykit' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
