"""Numbers from answers: scale scores, stage profiles and reliability.

Pure functions of an instrument and responses, with frozen results.
DataFrame scoring on any narwhals engine lives in :mod:`allykit.scoring.frames`
(extra ``frames``); this core never imports it.

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring import score
>>> inventory = load_instrument("ally-model-reflection")
>>> report = score(inventory, {item.id: 3 for item in inventory.items})
>>> report.validated
False
"""

from __future__ import annotations

from allykit.scoring._change import (
    RCI_THRESHOLD,
    ChangeReport,
    ScaleChange,
    change,
)
from allykit.scoring._dispatch import reliability
from allykit.scoring._reliability_report import (
    ItemReliability,
    MissingPolicy,
    ReliabilityReport,
    ScaleReliability,
)
from allykit.scoring._report import OMEGA_MAX_ITEMS, html_report
from allykit.scoring._score import (
    InvalidPolicy,
    PointCount,
    Responses,
    ScaleScore,
    ScoreReport,
    StageProfile,
    instrument_record,
    instrument_status,
    score,
    score_many,
)
from allykit.scoring._waves import ScaleWaves, WaveMean, WavesReport, waves
from allykit.scoring.answers import Answers, read_answers
from allykit.scoring.scorefile import Provenance, ScoreFileResult, score_file

__all__ = [
    # -- Scoring
    "InvalidPolicy",
    "PointCount",
    "Responses",
    "ScaleScore",
    "ScoreReport",
    "StageProfile",
    "instrument_record",
    "instrument_status",
    "score",
    "score_many",
    # -- Reading answers, scoring files
    "Answers",
    "Provenance",
    "ScoreFileResult",
    "read_answers",
    "score_file",
    # -- Reliability
    "ItemReliability",
    "MissingPolicy",
    "ReliabilityReport",
    "ScaleReliability",
    "reliability",
    # -- Change over time
    "RCI_THRESHOLD",
    "ChangeReport",
    "ScaleChange",
    "change",
    "ScaleWaves",
    "WaveMean",
    "WavesReport",
    "waves",
    # -- Report (extra report)
    "OMEGA_MAX_ITEMS",
    "html_report",
]
