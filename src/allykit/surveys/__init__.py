"""Forms out, answers in: one module per platform.

SurveyJS, REDCap, ReproSchema and Qualtrics.

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

from allykit.surveys._columns import ResponseRows
from allykit.surveys._forms import (
    redcap_score_label,
    redcap_score_name,
    surveyjs_score_name,
)
from allykit.surveys._tabular import ImportedResponses, Platform
from allykit.surveys.qualtrics import QUALTRICS_METADATA, load_qualtrics_export
from allykit.surveys.redcap import (
    REDCAP_COLUMNS,
    REDCAP_METADATA,
    load_redcap_export,
    to_redcap_dictionary,
)
from allykit.surveys.reproschema import REPROSCHEMA_CONTEXT, to_reproschema
from allykit.surveys.surveyjs import (
    QuestionType,
    load_surveyjs_results,
    to_surveyjs,
)

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
    "ResponseRows",
    "load_qualtrics_export",
    "load_redcap_export",
    "load_surveyjs_results",
]
