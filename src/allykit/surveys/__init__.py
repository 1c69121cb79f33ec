"""Forms out, answers in: SurveyJS, REDCap, ReproSchema and Qualtrics.

Exports write an instrument as a form that scores itself exactly as
:func:`allykit.scoring.score` does; importers read the platforms' answer
exports back into responses.

>>> from allykit.catalog import load_instrument
>>> from allykit.surveys import to_surveyjs
>>> form = to_surveyjs(load_instrument("ally-model-reflection"))
>>> "calculatedValues" in form
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allykit._lazy import attach

if TYPE_CHECKING:
    from allykit.surveys._exports import (
        REDCAP_COLUMNS,
        REPROSCHEMA_CONTEXT,
        QuestionType,
        redcap_score_label,
        redcap_score_name,
        surveyjs_score_name,
        to_redcap_dictionary,
        to_reproschema,
        to_surveyjs,
    )
    from allykit.surveys._importers import (
        QUALTRICS_METADATA,
        REDCAP_METADATA,
        ImportedResponses,
        Platform,
        load_qualtrics_export,
        load_redcap_export,
        load_surveyjs_results,
    )

_MODULES = {
    "allykit.surveys._exports": (
        "QuestionType",
        "REDCAP_COLUMNS",
        "REPROSCHEMA_CONTEXT",
        "redcap_score_label",
        "redcap_score_name",
        "surveyjs_score_name",
        "to_redcap_dictionary",
        "to_reproschema",
        "to_surveyjs",
    ),
    "allykit.surveys._importers": (
        "ImportedResponses",
        "Platform",
        "QUALTRICS_METADATA",
        "REDCAP_METADATA",
        "load_qualtrics_export",
        "load_redcap_export",
        "load_surveyjs_results",
    ),
}

__all__ = [
    # -- Exports
    "QuestionType",
    "REDCAP_COLUMNS",
    "REPROSCHEMA_CONTEXT",
    "redcap_score_label",
    "redcap_score_name",
    "surveyjs_score_name",
    "to_redcap_dictionary",
    "to_reproschema",
    "to_surveyjs",
    # -- Importers
    "ImportedResponses",
    "Platform",
    "QUALTRICS_METADATA",
    "REDCAP_METADATA",
    "load_qualtrics_export",
    "load_redcap_export",
    "load_surveyjs_results",
]

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(
        __name__,
        {name: module for module, names in _MODULES.items() for name in names},
        __all__,
    )
