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
    AllykitError,
    DataFileError,
    InvalidArgumentError,
    Problem,
    UnknownFrameworkError,
    UnknownIdError,
)

if TYPE_CHECKING:
    from allykit.importers import (
        ImportedResponses,
        load_qualtrics_export,
        load_redcap_export,
        load_surveyjs_results,
    )
    from allykit.models import (
        Characteristic,
        CharacteristicId,
        Citation,
        CitationId,
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

__all__ = [
    # Domain objects
    "Characteristic",
    "CharacteristicId",
    "Citation",
    "CitationId",
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
    "get_framework",
    "load_framework",
    "load_framework_file",
    "load_framework_mapping",
    "load_framework_text",
    # Importers (survey-platform exports)
    "ImportedResponses",
    "load_qualtrics_export",
    "load_redcap_export",
    "load_surveyjs_results",
    # Errors
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
    "ImportedResponses": "allykit.importers",
    "load_qualtrics_export": "allykit.importers",
    "load_redcap_export": "allykit.importers",
    "load_surveyjs_results": "allykit.importers",
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
