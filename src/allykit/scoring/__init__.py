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

from typing import TYPE_CHECKING

from allykit._lazy import attach

if TYPE_CHECKING:
    from allykit.scoring._change import (
        RCI_THRESHOLD,
        ChangeReport,
        ScaleChange,
        change,
    )
    from allykit.scoring._dispatch import reliability
    from allykit.scoring._reliability import (
        ItemReliability,
        MissingPolicy,
        ReliabilityReport,
        ScaleReliability,
    )
    from allykit.scoring._report import html_report
    from allykit.scoring._score import (
        InvalidPolicy,
        PointCount,
        Responses,
        ScaleScore,
        ScoreReport,
        StageProfile,
        score,
        score_many,
    )
    from allykit.scoring._waves import ScaleWaves, WaveMean, WavesReport, waves

_MODULES = {
    "allykit.scoring._score": (
        "InvalidPolicy",
        "PointCount",
        "Responses",
        "ScaleScore",
        "ScoreReport",
        "StageProfile",
        "score",
        "score_many",
    ),
    "allykit.scoring._reliability": (
        "ItemReliability",
        "MissingPolicy",
        "ReliabilityReport",
        "ScaleReliability",
    ),
    "allykit.scoring._dispatch": ("reliability",),
    "allykit.scoring._change": (
        "RCI_THRESHOLD",
        "ChangeReport",
        "ScaleChange",
        "change",
    ),
    "allykit.scoring._report": ("html_report",),
    "allykit.scoring._waves": ("ScaleWaves", "WaveMean", "WavesReport", "waves"),
}

__all__ = [
    # -- Scoring
    "InvalidPolicy",
    "PointCount",
    "Responses",
    "ScaleScore",
    "ScoreReport",
    "StageProfile",
    "score",
    "score_many",
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
    "html_report",
]

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(
        __name__,
        {name: module for module, names in _MODULES.items() for name in names},
        __all__,
        frozenset({"frames"}),
    )
