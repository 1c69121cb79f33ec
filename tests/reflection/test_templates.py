"""Every prompt template reads well for every stage and dimension it can be given.

Templates hold the slot ``{focus}``; a stage or a positionality dimension fills
it with its ``phrase``, written to follow a preposition ("linked to taking
action", "where you stand on skin colour"). These tests render every template
of every bundled framework against every stage and dimension (issue 12).
"""

from __future__ import annotations

import re

import pytest

import allykit
from allykit.catalog._store import bundled_ids
from allykit.models.framework import Characteristic, ReflectivePrompt, Stage
from allykit.reflection import FOCUS_PLACEHOLDER, focus_phrase, render_prompt

# Bundled data only: an installed data package need not give phrases.
FRAMEWORKS = [allykit.load_framework(f) for f in bundled_ids("frameworks")]
# One entry per prompt: a prompt shared by two frameworks is one template.
TEMPLATES: list[ReflectivePrompt] = list(
    {
        p.id: p for f in FRAMEWORKS for p in f.prompts if FOCUS_PLACEHOLDER in p.text
    }.values()
)
STAGES: list[Stage] = [s for f in FRAMEWORKS for s in f.stages]
DIMENSIONS: list[Characteristic] = [
    c for f in FRAMEWORKS if f.kind == "positionality-tool" for c in f.characteristics
]
ITEMS: list[Stage | Characteristic] = [*STAGES, *DIMENSIONS]
# Constructions that need a name, not a phrase: "that moment of Action",
# "your place on Race", "Where does Senses bring ...".
BAD_FRAMES = re.compile(r"\b(of|does|place on) \{focus\}")


def test_there_is_something_to_check() -> None:
    """The bundled data has templates, stages and dimensions to combine."""
    assert len(TEMPLATES) >= 35
    assert len(STAGES) >= 40
    assert len(DIMENSIONS) >= 25


@pytest.mark.parametrize(
    "item",
    ITEMS,
    ids=[f"{n}-{i.id}" for n, i in enumerate(ITEMS)],
)
def test_every_stage_and_dimension_has_a_phrase(item: Stage | Characteristic) -> None:
    """A phrase is lower case (it sits mid-sentence) and has no placeholder."""
    assert item.phrase, f"{item.id} has no phrase"
    assert item.phrase[:1].islower()
    assert "{" not in item.phrase
    assert item.phrase == item.phrase.strip()


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.id for p in TEMPLATES])
def test_no_template_uses_a_frame_that_needs_a_name(template: ReflectivePrompt) -> None:
    """The slot follows a preposition that any phrase fits."""
    assert not BAD_FRAMES.search(template.text), template.text
    assert template.text.count("{") == template.text.count(FOCUS_PLACEHOLDER)


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.id for p in TEMPLATES])
def test_every_template_with_every_stage(template: ReflectivePrompt) -> None:
    """No slot is left unfilled, and the phrase sits in the sentence as written.

    The phrase is the stage's own for a stage that points towards; a stage
    that points away or a map reads through its form (see
    tests/reflection/test_directions.py).
    """
    for stage in STAGES:
        text = render_prompt(template, stage).text
        assert "{" not in text
        assert "}" not in text
        assert text == template.text.replace(
            FOCUS_PLACEHOLDER, focus_phrase(template, stage)
        )
        assert stage.phrase in text
        assert "  " not in text


@pytest.mark.parametrize("template", TEMPLATES, ids=[p.id for p in TEMPLATES])
def test_every_template_with_every_dimension(template: ReflectivePrompt) -> None:
    """Dimensions render through their phrase too (as the ally map does)."""
    for dimension in DIMENSIONS:
        text = render_prompt(template, dimension.phrase).text
        assert "{" not in text
        assert f" {dimension.phrase}" in text


def test_unsure_dimension_gets_an_unsure_prompt() -> None:
    """A dimension placed as unsure is not given the prompt for 'both'."""
    from allykit.reflection.ally_map import Placement, build_ally_map

    ally_map = build_ally_map([Placement(dimension="race", position="unsure")])
    (entry,) = ally_map.unsure
    texts = [p.text for p in entry.prompts]

    assert texts
    assert all("not sure" in t for t in texts)
    assert not any("advantage" in t for t in texts)


def test_map_prompts_use_phrases() -> None:
    """The ally map's prompts read 'where you stand on race', not 'on Race'."""
    from allykit.reflection.ally_map import Placement, build_ally_map

    ally_map = build_ally_map([Placement(dimension="race", position="privilege")])
    (entry,) = ally_map.can_act_as_ally
    text = " ".join(p.text for p in entry.prompts)

    assert "race" in text
    assert "Race" not in text


def test_no_prompt_reads_as_advice_to_cause_an_accident() -> None:
    """The distraction scenario suggests nothing that could hurt anyone."""
    for framework in FRAMEWORKS:
        for prompt in framework.prompts:
            assert "accident" not in prompt.text.lower(), prompt.id
