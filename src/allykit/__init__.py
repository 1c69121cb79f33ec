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

if TYPE_CHECKING:
    from allykit import catalog as catalog
    from allykit import changes as changes
    from allykit import cli as cli
    from allykit import crosswalks as crosswalks
    from allykit import errors as errors
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
    from allykit.errors import (
        AllykitError,
        AllykitWarning,
        DataFileError,
        InvalidArgumentError,
        ResponseError,
        UnknownDocumentError,
        UnknownFrameworkError,
        UnknownIdError,
    )
    from allykit.models.crosswalk import (
        Crosswalk,
    )
    from allykit.models.framework import (
        Characteristic,
        Citation,
        Framework,
        FrameworkId,
        ItemId,
        Licence,
        Principle,
        PromptId,
        ReflectivePrompt,
        Stage,
        StageId,
    )
    from allykit.models.instrument import (
        Band,
        Instrument,
        InstrumentId,
        Item,
        ResponseScale,
        Scale,
        ScaleId,
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
    # Domain objects, from allykit.models.framework, .instrument and .crosswalk
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

#: The one table of root names served on first use: each name and the
#: module it comes from. The type checker sees every name through the
#: imports under ``TYPE_CHECKING``;
#: ``tests/test_public_api.py`` checks that those imports, ``__all__`` and
#: this table agree.
_HOMES = {
    "Framework": "allykit.models.framework",
    "Stage": "allykit.models.framework",
    "Characteristic": "allykit.models.framework",
    "ReflectivePrompt": "allykit.models.framework",
    "Principle": "allykit.models.framework",
    "Citation": "allykit.models.framework",
    "Licence": "allykit.models.framework",
    "Instrument": "allykit.models.instrument",
    "Item": "allykit.models.instrument",
    "Scale": "allykit.models.instrument",
    "ResponseScale": "allykit.models.instrument",
    "Band": "allykit.models.instrument",
    "Crosswalk": "allykit.models.crosswalk",
    "FrameworkId": "allykit.models.framework",
    "StageId": "allykit.models.framework",
    "PromptId": "allykit.models.framework",
    "InstrumentId": "allykit.models.instrument",
    "ItemId": "allykit.models.framework",
    "ScaleId": "allykit.models.instrument",
    "available_frameworks": "allykit.catalog",
    "load_framework": "allykit.catalog",
    "get_framework": "allykit.catalog",
    "load_framework_file": "allykit.catalog",
    "available_instruments": "allykit.catalog",
    "load_instrument": "allykit.catalog",
    "load_instrument_file": "allykit.catalog",
    "search": "allykit.catalog",
    "clear_cache": "allykit.catalog",
    "score": "allykit.scoring",
    "score_many": "allykit.scoring",
    "ScoreReport": "allykit.scoring",
    "reliability": "allykit.scoring",
    "ReliabilityReport": "allykit.scoring",
    "History": "allykit.reflection",
    "Step": "allykit.reflection",
    "next_step": "allykit.reflection",
    "map_stage": "allykit.crosswalks",
    "translate_profile": "allykit.crosswalks",
    "AllykitError": "allykit.errors",
    "AllykitWarning": "allykit.errors",
    "DataFileError": "allykit.errors",
    "InvalidArgumentError": "allykit.errors",
    "ResponseError": "allykit.errors",
    "UnknownDocumentError": "allykit.errors",
    "UnknownIdError": "allykit.errors",
    "UnknownFrameworkError": "allykit.errors",
}

#: Subpackages, imported on first attribute access (``allykit.scoring``).
_SUBPACKAGES = frozenset(
    {
        "catalog",
        "changes",
        "cli",
        "crosswalks",
        "errors",
        "models",
        "reflection",
        "scoring",
        "surveys",
        "testing",
        "worksheets",
    }
)


# The one lazy hook of the package (PEP 562): ``import allykit`` builds no
# class and reads no file; a name is imported from its home on first use
# and kept here. Defined only at run time, so that for a type checker a
# misspelt name is an error rather than ``Any``.
if not TYPE_CHECKING:

    def __dir__() -> list[str]:
        return sorted([*__all__, "__version__"])

    def __getattr__(name: str) -> Any:
        if name == "__version__":
            from importlib.metadata import version

            return version("allykit-frameworks")
        import importlib

        if name in _SUBPACKAGES:
            return importlib.import_module(f"allykit.{name}")
        home = _HOMES.get(name)
        if home is None:
            msg = f"module 'allykit' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
