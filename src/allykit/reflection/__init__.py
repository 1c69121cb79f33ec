"""What to reflect on next: sequencing, histories, focus plans, journeys, the ally map.

Pure functions of frameworks and a person's history: nothing is stored,
written or sent. A :class:`History` is the caller's to keep.

>>> from allykit import load_framework
>>> from allykit.reflection import History, next_step
>>> step = next_step(load_framework("ally-model"), History(), seed=1)
>>> step.stage.id
'self-examination'
"""

from __future__ import annotations

from allykit.reflection._sequencing import (
    FOCUS_PLACEHOLDER,
    MAX_SESSION_STEPS,
    NEUTRAL_FOCUS,
    TEMPLATE_TAG,
    Step,
    focus_phrase,
    load_cycle,
    next_stage,
    next_step,
    plan_session,
    previous_stage,
    render_prompt,
    stage_position,
    stages_in_order,
    unfilled_slots,
)
from allykit.reflection.ally_map import (
    AllyMap,
    Dimension,
    MapEntry,
    Placement,
    Position,
    build_ally_map,
    dimensions_of,
)
from allykit.reflection.focus import (
    DEVELOPED_AT,
    FocusItem,
    ProfileSource,
    plan_focus,
)
from allykit.reflection.history import (
    History,
    HistoryEntry,
    history_json_schema,
)
from allykit.reflection.journeys import (
    Journey,
    JourneySession,
    build_journey,
    journey_json_schema,
)

__all__ = [
    # -- Sequencing
    "FOCUS_PLACEHOLDER",
    "MAX_SESSION_STEPS",
    "NEUTRAL_FOCUS",
    "TEMPLATE_TAG",
    "Step",
    "focus_phrase",
    "load_cycle",
    "next_stage",
    "next_step",
    "plan_session",
    "previous_stage",
    "render_prompt",
    "stage_position",
    "stages_in_order",
    "unfilled_slots",
    # -- Histories
    "History",
    "HistoryEntry",
    "history_json_schema",
    # -- Focus plans
    "DEVELOPED_AT",
    "FocusItem",
    "ProfileSource",
    "plan_focus",
    # -- Journeys
    "Journey",
    "JourneySession",
    "build_journey",
    "journey_json_schema",
    # -- The ally map
    "AllyMap",
    "Dimension",
    "MapEntry",
    "Placement",
    "Position",
    "build_ally_map",
    "dimensions_of",
]
