"""plan_focus reasons are true to the framework and agree with explain().

A level model's levels and a continuum's points are not a developmental
order; a score is shown as the score report shows it (whole, "POMP 29"),
never rounded onto the wrong side of the threshold ("scored 60, below 60").
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit.reflection import plan_focus

MODEL = allykit.load_framework("ally-model")
INVENTORY = allykit.load_instrument("ally-model-reflection")


def _action_reason(score: float) -> str:
    """The reason plan_focus gives the action stage scored *score*."""
    plan = plan_focus(MODEL, profile={"action": score})
    return next(item.reason for item in plan if item.stage.id == "action")


def test_reason_shows_the_score_as_explain_does() -> None:
    """The reflection inventory at its minimum: "scored 29", as "POMP 29"."""
    report = allykit.score(INVENTORY, {item.id: 1 for item in INVENTORY.items})
    assert "Self-Examination and Critical Thinking” and" in report.explain()
    assert "(POMP 29 each)" in report.explain()

    first = plan_focus(MODEL, profile=report)[0]

    assert first.reason.startswith("scored 29, below 60: ")


@pytest.mark.parametrize(
    ("score", "shown"), [(59.6, "59.6"), (59.96, "59.96"), (60.4, "60"), (0.2, "0")]
)
def test_rounding_never_crosses_the_threshold(score: float, shown: str) -> None:
    """59.6 is not "scored 60, below 60"."""
    assert _action_reason(score).startswith(f"scored {shown}, ")


@given(st.floats(0, 100, allow_nan=False))
def test_shown_score_sits_on_the_side_the_reason_names(score: float) -> None:
    """Whatever the score, the number shown is on the side of 60 the reason says."""
    reason = _action_reason(score)
    found = re.match(r"scored ([\d.]+), (below|at or above) 60", reason)
    assert found is not None, reason

    shown, side = float(found.group(1)), found.group(2)

    assert (shown < 60) == (side == "below")


@pytest.mark.parametrize(
    ("framework_id", "first"),
    [
        ("ally-model-of-social-justice", "the framework's order: level 1 of 3"),
        ("spectrum-of-allies", "order along the continuum: band 1 of 5"),
        ("action-continuum", "order along the continuum: point 1 of 6"),
        ("ally-model", "developmental order: stage 1 of 3"),
    ],
)
def test_order_is_named_for_the_kind(framework_id: str, first: str) -> None:
    """Levels and continuum points are not called a developmental order."""
    plan = plan_focus(allykit.load_framework(framework_id))

    assert plan[0].reason == first


def test_levels_below_the_threshold() -> None:
    """With a profile, a level model's reasons speak of levels."""
    levels = allykit.load_framework("ally-model-of-social-justice")

    plan = plan_focus(levels, profile={"system": 20}, chosen="interpersonal")

    assert plan[0].reason == "you chose to work on this level"
    assert plan[1].reason == (
        "scored 20, below 60: lower-scoring levels come first, in the "
        "framework's order (level 3 of 3)"
    )
    assert (
        plan[2].reason == "no score yet: taken in the framework's order (level 1 of 3)"
    )
