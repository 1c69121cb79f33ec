"""Every door renders prompts through the one renderer, and none asks for harm.

Issue 20 item 4 and issue 22 item 1: every framework is rendered through
every door (``next_step``/``plan_session`` with and without every cycle,
worksheets in Markdown and HTML, for the whole framework, each own stage and
each stage a cycle is applied to, the ally map, and the commands ``show``,
``export worksheet`` and ``reflect``), and no text may hold a brace, an
escaped brace or an unfilled slot. Where a stage points away, a template's
slot reads "moving on from ..."; where it is a map of other people, "the
people your map places at ..." -- never the behaviour as something to do.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.catalog._store import bundled_ids
from allykit.cli._app import app
from allykit.models.framework import Framework, Stage
from allykit.reflection import (
    Placement,
    build_ally_map,
    dimensions_of,
    focus_phrase,
    plan_session,
    render_prompt,
    unfilled_slots,
)
from allykit.worksheets import render_html_worksheet, render_markdown_worksheet

runner = CliRunner()
# Bundled data: an installed data package is the package's to word.
FRAMEWORKS = [allykit.load_framework(f) for f in bundled_ids("frameworks")]
CYCLES = [f for f in FRAMEWORKS if f.kind == "reflective-cycle"]
STAGED = [f for f in FRAMEWORKS if f.stages and f.kind != "reflective-cycle"]
IDS = [f.id for f in FRAMEWORKS]
#: What fills the slot for a stage that does not point towards.
FORMS = {"away": "moving on from ", "map": "the people your map places at "}


def _clean(text: str, where: str) -> None:
    """No brace, escaped brace or unfilled slot is left in *text*.

    An HTML page's inline style sheet is CSS, whose braces are its syntax,
    not text; it is left out.
    """
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.DOTALL)
    assert not unfilled_slots(text), f"{where}: {unfilled_slots(text)} in {text!r}"


def _strings(value: object) -> list[str]:
    """Every string in a JSON value (the command's --json output)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _templates_own_uses(phrase: str) -> list[str]:
    """The templates' own uses of *phrase* as a word, with a word either side.

    A band named "neutral" shares its word with "as a neutral observer
    would": that use is the template's, not the slot's.
    """
    pattern = re.compile(rf"\S+ {re.escape(phrase)} \S+")
    return [
        found.group()
        for cycle in CYCLES
        for template in cycle.prompts
        for found in pattern.finditer(template.text)
        if "{" not in found.group()
    ]


def _harmless(text: str, stage: Stage, where: str) -> None:
    """Every time *stage*'s phrase appears, it reads through its direction's form."""
    direction = stage.direction or "towards"
    if direction == "towards":
        return
    for own in _templates_own_uses(stage.phrase or stage.name):
        text = text.replace(own, "")
    start = text.find(stage.phrase)
    while start != -1:
        assert text[:start].endswith(FORMS[direction]), (
            f"{where}: {stage.id} ({direction}) read as the user's practice: {text!r}"
        )
        start = text.find(stage.phrase, start + 1)


def test_the_bundled_stages_say_which_way_they_point() -> None:
    """Every bundled stage says; the named away and map stages are set."""
    for framework in FRAMEWORKS:
        for stage in framework.stages:
            assert stage.direction is not None, f"{framework.id}:{stage.id}"
    direction = {
        ("action-continuum", "actively-joins-in"): "away",
        ("action-continuum", "no-response"): "away",
        ("inclusive-leader-continuum", "unaware"): "away",
        ("aspiring-ally-identity", "aspiring-ally-for-self-interest"): "away",
        ("action-continuum", "educate-oneself"): "towards",
        ("ally-model", "action"): "towards",
    }
    for (framework_id, stage_id), expected in direction.items():
        stage = allykit.load_framework(framework_id).stage(stage_id)
        assert stage.direction == expected
    spectrum = allykit.load_framework("spectrum-of-allies")
    assert {s.direction for s in spectrum.stages} == {"map"}


@pytest.mark.parametrize("framework", STAGED, ids=[f.id for f in STAGED])
def test_next_step_through_every_cycle(framework: Framework) -> None:
    """Sequencing: every stage x every cycle (every step of it), and no cycle."""
    for stage in framework.stages:
        for cycle in [None, *CYCLES]:
            count = len(cycle.prompts) if cycle is not None else 6
            for step in plan_session(
                framework, steps=count, focus=stage.id, cycle=cycle
            ):
                where = f"{framework.id}:{stage.id} x {cycle.id if cycle else '-'}"
                _clean(step.prompt.text, where)
                if cycle is not None:  # the framework's own prompts are its words
                    _harmless(step.prompt.text, stage, where)


@pytest.mark.parametrize("cycle", CYCLES, ids=[c.id for c in CYCLES])
def test_every_template_for_every_stage(cycle: Framework) -> None:
    """The property behind sequencing: each template x each stage of each framework."""
    for framework in STAGED:
        for stage in framework.stages:
            for template in cycle.prompts:
                text = render_prompt(template, stage).text
                where = f"{template.id} x {framework.id}:{stage.id}"
                _clean(text, where)
                _harmless(text, stage, where)
                assert stage.phrase in text or "{focus}" not in template.text


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=IDS)
def test_the_framework_alone(framework: Framework) -> None:
    """A framework's own prompts, through next_step and worksheets, with no focus."""
    for step in plan_session(framework, steps=min(len(framework.prompts), 40)):
        _clean(step.prompt.text, framework.id)
    for render in (render_markdown_worksheet, render_html_worksheet):
        _clean(render(framework), f"{render.__name__}({framework.id})")
        for stage in framework.stages:
            sheet = render(framework, stage=stage.id)
            _clean(sheet, f"{render.__name__}({framework.id}, {stage.id})")
    for prompt in framework.prompts:
        _clean(render_prompt(prompt, framework=framework).text, prompt.id)


# The sheet names the stage as its prompts and a step's reason read it: a
# stage pointing away is moved on from, a map's stage holds people.
_APPLIED = {
    "towards": "Applied to: {}\n",
    "away": "Applied to: moving on from stage '{}'\n",
    "map": "Applied to: the people your map places at '{}'\n",
}


@pytest.mark.parametrize("cycle", CYCLES, ids=[c.id for c in CYCLES])
def test_worksheets_of_a_cycle_for_every_stage(cycle: Framework) -> None:
    """A cycle's worksheet applied to any stage reads its direction's form."""
    for framework in STAGED:
        for stage in framework.stages:
            sheet = render_markdown_worksheet(cycle, stage=stage)
            where = f"{cycle.id} worksheet for {framework.id}:{stage.id}"
            _clean(sheet, where)
            plain = html.unescape(sheet.replace("\\", ""))
            assert _APPLIED[stage.direction or "towards"].format(stage.name) in plain
            _harmless(render_html_worksheet(cycle, stage=stage), stage, where)
            for line in sheet.splitlines():
                if line.startswith("**"):
                    _harmless(line, stage, where)


def test_the_ally_map() -> None:
    """Every dimension placed each way gives prompts with no slot left."""
    placements = [
        Placement(dimension=dimension.id, position=position)
        for tool in FRAMEWORKS
        if tool.kind == "positionality-tool"
        for dimension in dimensions_of(tool)
        for position in ("privilege", "marginalisation", "both", "unsure")
    ]
    for placement in placements:
        ally_map = build_ally_map([placement])
        texts = [p.text for p in ally_map.prompts]
        for section in (
            ally_map.can_act_as_ally,
            ally_map.may_need_allies,
            ally_map.both,
            ally_map.unsure,
        ):
            texts += [p.text for entry in section for p in entry.prompts]
        assert texts
        for text in texts:
            _clean(text, f"ally map {placement.dimension}")


def test_a_template_that_fits_away_keeps_the_phrase() -> None:
    """A template that says it fits away stages is rendered as written."""
    import attrs

    kolb = allykit.load_framework("kolb-experiential-learning")
    template = kolb.prompt("kolb-form-an-idea")
    stage = allykit.load_framework("action-continuum").stage("no-response")
    fitting = attrs.evolve(template, fits=("towards", "away"))

    assert focus_phrase(fitting, stage) == "not responding to harmful behaviour"
    assert "moving on from" in render_prompt(template, stage).text
    assert "moving on from" not in render_prompt(fitting, stage).text


def test_the_issue_examples() -> None:
    """The prompts issue 22 quotes read as moving on, not as doing harm."""
    continuum = allykit.load_framework("action-continuum")
    step = allykit.next_step(
        continuum, focus="actively-joins-in", cycle="kolb-experiential-learning"
    )
    assert "moving on from joining in harmful behaviour" in step.prompt.text
    kolb = allykit.load_framework("kolb-experiential-learning")
    gibbs = allykit.load_framework("gibbs-reflective-cycle")
    spectrum = allykit.load_framework("spectrum-of-allies")
    for template in (
        kolb.prompt("kolb-try-it-out"),
        gibbs.prompt("gibbs-one-concrete-step"),
        gibbs.prompt("gibbs-describe-a-moment"),
    ):
        text = render_prompt(template, continuum.stage("actively-joins-in")).text
        assert "moving on from joining in harmful behaviour" in text
        text = render_prompt(template, spectrum.stage("active-opposition")).text
        assert "the people your map places at active opposition" in text
        assert "your work on active opposition" not in text


# -- the command's doors -------------------------------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=IDS)
def test_show_and_export_worksheet(framework: Framework, tmp_path: Path) -> None:
    """``show`` and ``export worksheet`` (md and html) leave no slot unfilled."""
    shown = runner.invoke(app, ["show", framework.id], env={"COLUMNS": "400"})
    assert shown.exit_code == 0, shown.output
    _clean(shown.stdout, f"show {framework.id}")
    for suffix in ("md", "html"):
        out = tmp_path / f"sheet.{suffix}"
        result = runner.invoke(
            app, ["export", "worksheet", framework.id, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        _clean(out.read_text(encoding="utf-8"), f"export worksheet {framework.id}")


@pytest.mark.parametrize("cycle", CYCLES, ids=[c.id for c in CYCLES])
def test_export_worksheet_for_a_stage(cycle: Framework) -> None:
    """``--stage FRAMEWORK:STAGE`` applies a cycle; away stages read moving on."""
    result = runner.invoke(
        app,
        ["export", "worksheet", cycle.id, "--stage", "action-continuum:no-response"],
    )
    assert result.exit_code == 0, result.output
    _clean(result.stdout, cycle.id)
    assert "moving on from not responding to harmful behaviour" in result.stdout


def test_export_worksheet_for_an_own_stage_and_bad_stages() -> None:
    """``--stage STAGE`` keeps that stage; an unknown one is the user's input (1)."""
    result = runner.invoke(
        app, ["export", "worksheet", "ally-model", "--stage", "action"]
    )
    assert result.exit_code == 0
    assert "## 3. Action" in result.stdout
    assert "## 1. " not in result.stdout
    for bad in ("nope", "ally-model:", "no-such-framework:action"):
        result = runner.invoke(
            app, ["export", "worksheet", "ally-model", "--stage", bad]
        )
        assert result.exit_code == 1, (bad, result.output)


@pytest.mark.parametrize(
    ("framework_id", "stage_id"),
    [
        ("action-continuum", "actively-joins-in"),
        ("action-continuum", "no-response"),
        ("inclusive-leader-continuum", "unaware"),
        ("aspiring-ally-identity", "aspiring-ally-for-self-interest"),
        ("spectrum-of-allies", "active-opposition"),
    ],
)
def test_reflect_with_every_cycle(
    framework_id: str, stage_id: str, tmp_path: Path
) -> None:
    """``reflect --cycle`` on a stage that points away or is a map asks for no harm."""
    stage = allykit.load_framework(framework_id).stage(stage_id)
    for cycle in CYCLES:
        journal = tmp_path / f"{cycle.id}.json"
        answers = tmp_path / "answers.json"
        answers.write_text(json.dumps(["noted"] * 8), encoding="utf-8")
        result = runner.invoke(
            app,
            [
                "reflect",
                "-j",
                str(journal),
                "--framework",
                framework_id,
                "--stage",
                stage_id,
                "--cycle",
                cycle.id,
                "--answers",
                str(answers),
                "-n",
                "8",
                "--json",
            ],
        )
        assert result.exit_code == 0, result.output
        for text in _strings(json.loads(result.stdout)):
            _clean(text, f"reflect {cycle.id}")
        for entry in json.loads(journal.read_text(encoding="utf-8"))["entries"]:
            _clean(entry["text"], cycle.id)
            _harmless(entry["text"], stage, f"reflect {cycle.id}")


def test_the_tour() -> None:
    """``allykit tour`` shows its example prompts through the renderer."""
    result = runner.invoke(app, ["tour"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    _clean(result.stdout, "tour")


def test_reasons_name_the_direction() -> None:
    """A step's reason names an away stage as moving on, a map as its people."""
    spectrum = allykit.load_framework("spectrum-of-allies")
    step = allykit.next_step(spectrum, focus="neutral", cycle="gibbs-reflective-cycle")
    assert "applied to the people your map places at 'Neutral'" in step.reason
    alone = allykit.next_step(spectrum, focus="neutral")
    assert alone.reason.startswith("The people your map places at 'Neutral' are ")
    continuum = allykit.load_framework("action-continuum")
    away = allykit.next_step(continuum, focus="no-response")
    assert away.reason.startswith("Moving on from stage 'No response' is ")
    general = allykit.next_step(allykit.load_framework("ally-skills"))
    assert general.reason.startswith("The general prompts are ")


@pytest.mark.parametrize("cycle", CYCLES, ids=[c.id for c in CYCLES])
def test_search_shows_templates_rendered(cycle: Framework) -> None:
    """``search`` (Python and command) finds each template and shows no slot."""
    for template in cycle.prompts:
        words = " ".join(template.text.replace("{focus}", " ").split()[:4])
        hits = allykit.search(words, kind="prompt", limit=None)
        assert template.id in {hit.id for hit in hits}, words
        for hit in hits:
            _clean(hit.title, f"search {words!r}")
            _clean(hit.snippet, f"search {words!r}")
    result = runner.invoke(
        app, ["search", "experience", "--limit", "0"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    _clean(result.stdout, "allykit search experience")
