"""next_step never offers an unrendered ``{focus}`` template (issue 17, item 5)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from allykit.catalog import available_frameworks, load_framework
from allykit.reflection import next_step, plan_session

_TEMPLATED = [
    framework_id
    for framework_id in available_frameworks()
    if any("{focus}" in p.text for p in load_framework(framework_id).prompts)
]


def test_some_frameworks_have_templates() -> None:
    """The property below has something to check."""
    assert len(_TEMPLATED) >= 6


@settings(max_examples=60, deadline=None)
@given(
    framework_id=st.sampled_from(_TEMPLATED),
    seed=st.integers(0, 10_000),
    steps=st.integers(1, 12),
)
def test_sessions_render_every_template(
    framework_id: str, seed: int, steps: int
) -> None:
    """Every step of a session of any templated framework is rendered."""
    framework = load_framework(framework_id)
    for step in plan_session(framework, steps=steps, seed=seed):
        assert "{focus}" not in step.prompt.text


def test_first_step_of_each_is_rendered() -> None:
    """The first step of each templated framework reads as plain text."""
    for framework_id in _TEMPLATED:
        step = next_step(load_framework(framework_id))
        assert "{" not in step.prompt.text, framework_id
