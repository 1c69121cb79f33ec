"""A step's reason names what is in focus truly, and counts agree.

Moving on from a stage, and the people a map places in a band, are not a
stage: the reason says they are "the only focus", not "the only stage in
focus". Counts of retired and deprecated ids are singular for one.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import Framework, History, PromptId, next_step
from allykit.catalog._store import bundled_ids
from allykit.reflection import HistoryEntry, plan_session

STAGED = [
    framework
    for framework in (allykit.load_framework(f) for f in bundled_ids("frameworks"))
    if framework.stages and framework.kind != "reflective-cycle"
]


@pytest.mark.parametrize(
    ("framework_id", "stage_id", "expected"),
    [
        (
            "inclusive-leader-continuum",
            "unaware",
            "Moving on from stage 'Unaware' is the only focus; ",
        ),
        (
            "spectrum-of-allies",
            "neutral",
            "The people your map places at 'Neutral' are the only focus; ",
        ),
        ("ally-model", "action", "Stage 'Action' is the only stage in focus; "),
        (
            "ally-model-of-social-justice",
            "system",
            "Level 'System' is the only level in focus; ",
        ),
    ],
)
def test_the_only_focus_is_named_for_what_it_is(
    framework_id: str, stage_id: str, expected: str
) -> None:
    """A second step on one focus names it as the first step did."""
    framework = allykit.load_framework(framework_id)

    second = plan_session(framework, steps=2, focus=stage_id)[1]

    assert second.reason.startswith(expected)


@given(st.sampled_from(STAGED), st.data())
def test_only_a_stage_is_called_a_stage(
    framework: Framework, data: st.DataObject
) -> None:
    """For every staged framework and stage, "stage in focus" is said of stages."""
    stage = data.draw(st.sampled_from(framework.stages))

    for step in plan_session(framework, steps=3, focus=stage.id):
        if stage.direction in {"away", "map"}:
            assert "stage in focus" not in step.reason


def test_one_retired_prompt_is_singular() -> None:
    """One retired id: "1 prompt id ... no longer exists and was skipped"."""
    history = History(entries=(HistoryEntry(prompt=PromptId("retired-prompt")),))

    step = next_step(allykit.load_framework("ally-model"), history)

    assert "1 prompt id in the history no longer exists and was skipped" in step.reason
    assert "(s)" not in step.reason


def test_two_retired_prompts_are_plural() -> None:
    """Two retired ids keep the plural."""
    history = History(
        entries=(
            HistoryEntry(prompt=PromptId("retired-prompt")),
            HistoryEntry(prompt=PromptId("another-retired-prompt")),
        )
    )

    step = next_step(allykit.load_framework("ally-model"), history)

    assert "2 prompt ids in the history no longer exist and were skipped" in (
        step.reason
    )


def test_a_cycle_applied_to_a_level_names_it_a_level() -> None:
    """Levels are not developmental stages: a cycle step says "level"."""
    levels = allykit.load_framework("ally-model-of-social-justice")

    step = next_step(levels, focus="intrapersonal", cycle="what-so-what-now-what")

    assert step.reason.startswith(
        "What? is step 1 of 3 of What? So what? Now what?, applied to level "
        "'Intrapersonal' (first in the focus order)"
    )
