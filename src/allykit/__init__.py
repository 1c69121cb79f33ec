"""allykit: allyship frameworks as typed, immutable, cited Python objects.

This module is a table of contents. It re-exports the public API and reads
no file; pydantic is imported only when untrusted data is validated.

>>> import allykit
>>> allykit.load_framework("ally-model").name
'The ally model'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allykit.catalog import (
    available_frameworks,
    clear_cache,
    framework_json_schema,
    get_framework,
    load_framework,
    load_framework_file,
    load_framework_mapping,
    load_framework_text,
)
from allykit.errors import (
    AllykitDeprecationWarning,
    AllykitError,
    DataFileError,
    InvalidArgumentError,
    Problem,
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
        crosswalks_between,
        load_crosswalk,
        load_crosswalk_file,
        load_crosswalk_mapping,
        map_stage,
        translate_profile,
    )
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
        ItemId,
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
    from allykit.scales import (
        PublishedScale,
        Subscale,
        available_scales,
        load_scale,
    )
    from allykit.searching import SearchHit, search

__all__ = [
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
    "ItemId",
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
    "get_framework",
    "load_framework",
    "load_framework_file",
    "load_framework_mapping",
    "load_framework_text",
    # Crosswalks
    "Crosswalk",
    "ProfileTranslation",
    "StageLink",
    "StageMapping",
    "StageSplit",
    "available_crosswalks",
    "crosswalk_json_schema",
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
    # Errors
    "AllykitDeprecationWarning",
    "AllykitError",
    "DataFileError",
    "InvalidArgumentError",
    "Problem",
    "UnknownFrameworkError",
    "UnknownIdError",
]

# Names served lazily from their modules on first access: building the attrs
# classes and importing optional parts costs nothing at ``import allykit``.
_LAZY: dict[str, str] = {
    "Characteristic": "allykit.models",
    "CharacteristicId": "allykit.models",
    "Citation": "allykit.models",
    "CitationId": "allykit.models",
    "Collection": "allykit.models",
    "DeprecatedId": "allykit.models",
    "Framework": "allykit.models",
    "FrameworkId": "allykit.models",
    "FrameworkKind": "allykit.models",
    "ItemId": "allykit.models",
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
    "Crosswalk": "allykit.crosswalks",
    "ProfileTranslation": "allykit.crosswalks",
    "StageLink": "allykit.crosswalks",
    "StageMapping": "allykit.crosswalks",
    "StageSplit": "allykit.crosswalks",
    "available_crosswalks": "allykit.crosswalks",
    "crosswalk_json_schema": "allykit.crosswalks",
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
}


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
