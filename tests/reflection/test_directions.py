"""Stages say which way they point; the file format, the models and validation agree.

Issue 22 item 1: a ``direction`` on stages (``towards``, ``away``, ``map``)
and ``fits`` on templates. Files written before the field keep loading (a
stage that does not say is read as ``towards``); a continuum whose stages do
not say is reported when it is loaded and by ``allykit validate``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from typer.testing import CliRunner

import allykit
from allykit.catalog import framework_json_schema, load_framework_file
from allykit.cli._app import app
from allykit.errors import DataFileError, DataWarning
from allykit.models.framework import Framework
from allykit.testing import frameworks

runner = CliRunner()


def _spectrum_data(*, keep_directions: bool) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        allykit.load_framework("spectrum-of-allies").to_json()
    )
    data["id"] = "my-spectrum"
    if not keep_directions:
        for stage in data["stages"]:
            stage.pop("direction", None)
    return data


def test_the_schema_names_the_field() -> None:
    """The JSON Schema offers direction on stages and fits on prompts."""
    text = json.dumps(framework_json_schema())
    assert '"towards"' in text
    assert '"away"' in text
    assert '"map"' in text
    assert "fits" in text


@given(frameworks())
def test_round_trip_keeps_directions(framework: Framework) -> None:
    """to_dict/from_dict and JSON keep every stage's direction and every fits."""
    again = Framework.from_json(framework.to_json())
    assert [s.direction for s in again.stages] == [
        s.direction for s in framework.stages
    ]
    assert [p.fits for p in again.prompts] == [p.fits for p in framework.prompts]
    assert Framework.from_dict(framework.to_dict()) == framework


def test_an_old_file_still_loads(tmp_path: Path) -> None:
    """A stage without direction loads, read as towards (a stage-model: no note)."""
    data = json.loads(allykit.load_framework("ally-model").to_json())
    data["id"] = "old-model"
    for stage in data["stages"]:
        del stage["direction"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        framework = load_framework_file(path)
    assert {s.direction for s in framework.stages} == {None}
    gibbs = allykit.load_framework("gibbs-reflective-cycle")
    text = allykit.reflection.render_prompt(
        gibbs.prompt("gibbs-one-concrete-step"), framework.stage("action")
    ).text
    assert "linked to taking action" in text


def test_a_continuum_that_does_not_say_is_reported(tmp_path: Path) -> None:
    """Loading warns (DataWarning) naming the stages; validate prints a note."""
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_spectrum_data(keep_directions=False)), "utf-8")
    with pytest.warns(DataWarning, match=r"stages\[0\].*do not say which way"):
        load_framework_file(path)

    result = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "note: continuum 'my-spectrum'" in result.stdout
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert "do not say which way" in json.loads(result.stdout)["notes"][0]


def test_a_continuum_that_says_is_quiet(tmp_path: Path) -> None:
    """Directions given: no warning, no note."""
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_spectrum_data(keep_directions=True)), "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_framework_file(path)
    result = runner.invoke(app, ["validate", "--json", str(path)])
    assert "notes" not in json.loads(result.stdout)


def test_a_bad_direction_is_a_located_problem(tmp_path: Path) -> None:
    """An unknown direction is refused with its path, as any field is."""
    data = _spectrum_data(keep_directions=True)
    data["stages"][2]["direction"] = "backwards"
    data["prompts"][0]["fits"] = ["sideways"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_framework_file(path)
    paths = {p.path for p in caught.value.problems}
    assert any(p.startswith("stages[2].direction") for p in paths), paths
    assert any(p.startswith("prompts[0].fits") for p in paths), paths


def test_a_stage_object_keeps_its_direction() -> None:
    """attrs.evolve and equality see the field."""
    stage = allykit.load_framework("action-continuum").stage("no-response")
    assert stage.direction == "away"
    assert attrs.evolve(stage, direction="towards") != stage


_CYCLES = [
    allykit.load_framework(f)
    for f in ("gibbs-reflective-cycle", "kolb-experiential-learning")
]
_FORMS = {
    "towards": "",
    "away": "moving on from ",
    "map": "the people your map places at ",
}


@given(frameworks(min_stages=1, max_stages=4))
def test_no_cycle_asks_for_harm_in_any_framework(framework: Framework) -> None:
    """Property: any framework x cycle x stage, through next_step, reads by the rule."""
    from allykit.reflection import plan_session

    for cycle in _CYCLES:
        for stage in framework.stages:
            steps = plan_session(
                framework, steps=len(cycle.stages), focus=stage.id, cycle=cycle
            )
            for step in steps:
                template = cycle.prompt(step.prompt.id)
                direction = stage.direction or "towards"
                phrase = stage.phrase or stage.name
                expected = template.text.replace("{focus}", _FORMS[direction] + phrase)
                assert step.prompt.text == expected


def test_a_map_stage_phrase_names_a_band() -> None:
    """A map's stage fills "the people your map places at {phrase}".

    So its phrase names a band ("active support"), never an activity
    ("staying neutral").
    """
    from allykit.catalog._store import bundled_ids
    from allykit.reflection import render_prompt

    cycle = allykit.load_framework("what-so-what-now-what")
    for framework_id in bundled_ids("frameworks"):
        for stage in allykit.load_framework(framework_id).stages:
            if stage.direction != "map":
                continue
            first = (stage.phrase or stage.name).split()[0]
            assert not first.endswith("ing"), (framework_id, stage.id, stage.phrase)
            text = render_prompt(cycle.prompts[0], stage).text
            assert f"the people your map places at {stage.phrase}" in text
