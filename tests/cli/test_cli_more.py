"""Tests for search, the sequenced reflect, assess, map, score and the scoring tour.

Driven in-process with typer's runner, like ``test_cli.py``; one session of
``assess`` runs in a real terminal through tmux.
"""

from __future__ import annotations

import csv
import json
import math
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import allykit
from allykit.catalog import load_instrument
from allykit.cli._app import app
from allykit.scoring._score import ScoreReport, score, score_many

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
INVENTORY = "ally-model-reflection"


def _write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class TestSearch:
    def test_table(self) -> None:
        """The search command shows the hits of search() in a table."""
        result = runner.invoke(
            app, ["search", "awareness", "--kind", "stage"], env=WIDE
        )

        assert result.exit_code == 0
        for hit in allykit.search("awareness", kind="stage"):
            assert hit.id in result.stdout

    def test_json_mirrors_search(self) -> None:
        """With --json, the hits are those of search() with the same filters."""
        result = runner.invoke(
            app,
            ["search", "speak", "--framework", "ally-model", "-n", "4", "--json"],
        )

        hits = allykit.search("speak", framework="ally-model", limit=4)
        rows = json.loads(result.stdout)
        assert result.exit_code == 0
        assert [(r["kind"], r["id"], r["score"]) for r in rows] == [
            (h.kind, h.id, h.score) for h in hits
        ]

    def test_limit_zero_means_all(self) -> None:
        """--limit 0 shows every hit."""
        result = runner.invoke(
            app, ["search", "", "--kind", "stage", "-n", "0", "--json"]
        )

        assert len(json.loads(result.stdout)) == len(
            allykit.search("", kind="stage", limit=None)
        )

    def test_no_hits(self) -> None:
        """A search without hits says so and exits 0."""
        result = runner.invoke(app, ["search", "zzzqqq"])

        assert result.exit_code == 0
        assert "No matches" in result.stdout

    def test_unknown_framework(self) -> None:
        """An unknown --framework is an error with a suggestion, not an empty list."""
        result = runner.invoke(app, ["search", "x", "--framework", "ally-modle"])

        assert result.exit_code == 1
        assert "did you mean 'ally-model'" in result.stderr

    def test_unknown_kind_is_usage_error(self) -> None:
        """An unknown --kind is a usage error (status 2)."""
        result = runner.invoke(app, ["search", "x", "--kind", "stages"])

        assert result.exit_code == 2


def _journal(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


class TestReflectSequenced:
    def test_follows_next_step_with_seed(self, tmp_path: Path) -> None:
        """The prompts are those of plan_session for the seed, each with its reason."""
        journal = tmp_path / "journal.json"
        answers = _write_json(tmp_path / "answers.json", ["One", "Two", "Three"])
        model = allykit.load_framework("ally-model")

        result = runner.invoke(
            app,
            ["reflect", "-j", str(journal), "--answers", str(answers), "--seed", "5"],
            env=WIDE,
        )

        steps = allykit.reflection.plan_session(model, steps=3, seed=5)
        saved = _journal(journal)
        assert result.exit_code == 0
        assert saved["version"] == 2
        assert saved["seed"] == 5
        assert [e["prompt"] for e in saved["entries"]] == [s.prompt.id for s in steps]
        assert [e["stage"] for e in saved["entries"]] == [
            s.stage.id for s in steps if s.stage is not None
        ]
        assert [e["answer"] for e in saved["entries"]] == ["One", "Two", "Three"]
        assert "Why this prompt" in result.stdout
        assert "first in the focus order" in result.stdout

    def test_resumes_with_journal_seed(self, tmp_path: Path) -> None:
        """A second session continues the history with the seed saved in the journal."""
        journal = tmp_path / "journal.json"
        answers = _write_json(tmp_path / "answers.json", ["A", "B"])
        model = allykit.load_framework("ally-model")
        args = ["reflect", "-j", str(journal), "--answers", str(answers), "-n", "2"]

        runner.invoke(app, [*args, "--seed", "9"])
        again = runner.invoke(app, args)

        steps = allykit.reflection.plan_session(model, steps=4, seed=9)
        assert again.exit_code == 0
        assert [e["prompt"] for e in _journal(journal)["entries"]] == [
            s.prompt.id for s in steps
        ]

    def test_cycle_and_stage(self, tmp_path: Path) -> None:
        """--cycle walks the cycle's steps for the chosen --stage, per entry."""
        journal = tmp_path / "journal.json"
        answers = _write_json(tmp_path / "answers.json", ["Facts", "Feelings"])
        model = allykit.load_framework("ally-model")

        result = runner.invoke(
            app,
            [
                "reflect",
                "-j",
                str(journal),
                "--answers",
                str(answers),
                "--stage",
                "action",
                "--cycle",
                "gibbs-reflective-cycle",
                "-n",
                "2",
            ],
            env=WIDE,
        )

        steps = allykit.reflection.plan_session(
            model, steps=2, focus="action", cycle="gibbs-reflective-cycle"
        )
        entries = _journal(journal)["entries"]
        assert result.exit_code == 0
        assert [(e["prompt"], e["cycle_step"]) for e in entries] == [
            (s.prompt.id, s.cycle_step.id if s.cycle_step else None) for s in steps
        ]
        assert {e["cycle"] for e in entries} == {"gibbs-reflective-cycle"}
        assert {e["stage"] for e in entries} == {"action"}
        assert entries[0]["text"] == steps[0].prompt.text
        assert "Description is step 1 of 6" in result.stdout

    def test_json_session(self, tmp_path: Path) -> None:
        """--json prints the steps shown, with reasons, and what was saved."""
        journal = tmp_path / "journal.json"
        answers = _write_json(tmp_path / "answers.json", ["One", "", "Three"])
        model = allykit.load_framework("ally-model")

        result = runner.invoke(
            app,
            ["reflect", "-j", str(journal), "--answers", str(answers), "--json"],
        )

        steps = allykit.reflection.plan_session(model, steps=3)
        session = json.loads(result.stdout)
        assert result.exit_code == 0
        assert session["saved"] == 2
        assert session["seed"] == 0
        assert [s["prompt"] for s in session["steps"]] == [s.prompt.id for s in steps]
        assert [s["reason"] for s in session["steps"]] == [s.reason for s in steps]
        assert [s["answered"] for s in session["steps"]] == [True, False, True]
        assert "Why this prompt" in result.stderr

    def test_cycle_must_be_a_reflective_cycle(self, tmp_path: Path) -> None:
        """--cycle with a framework that is not a cycle names the cycles there are."""
        result = runner.invoke(
            app,
            ["reflect", "-j", str(tmp_path / "j.json"), "--cycle", "ally-model"],
            input="Hi\n",
            env=WIDE,
        )

        assert result.exit_code == 1
        assert "not a reflective cycle" in result.stderr
        assert "gibbs-reflective-cycle" in result.stderr
        assert _files(tmp_path) == []

    def test_skipped_prompts_are_not_saved(self, tmp_path: Path) -> None:
        """A skipped prompt moves the session on and is not written."""
        journal = tmp_path / "journal.json"
        answers = _write_json(tmp_path / "answers.json", ["", "Second", "q", "x"])
        model = allykit.load_framework("ally-model")

        result = runner.invoke(
            app, ["reflect", "-j", str(journal), "--answers", str(answers), "-n", "4"]
        )

        steps = allykit.reflection.plan_session(model, steps=2)
        assert result.exit_code == 0
        assert [e["prompt"] for e in _journal(journal)["entries"]] == [
            steps[1].prompt.id
        ]
        assert "Saved 1 answer to" in result.stdout

    def test_version_1_journal_is_migrated(self, tmp_path: Path) -> None:
        """A version 1 journal is read, kept whole and saved as version 2."""
        journal = _write_json(
            tmp_path / "journal.json",
            {
                "kind": "allykit-journal",
                "version": 1,
                "framework": "ally-model",
                "entries": [{"prompt": "feedback-that-stings", "answer": "Old"}],
            },
        )
        answers = _write_json(tmp_path / "answers.json", ["New"])

        result = runner.invoke(
            app, ["reflect", "-j", str(journal), "--answers", str(answers)]
        )

        saved = _journal(journal)
        assert result.exit_code == 0
        assert "version 1 journal" in result.stderr
        assert saved["version"] == 2
        assert saved["entries"][0] == {
            "prompt": "feedback-that-stings",
            "answer": "Old",
        }
        assert saved["entries"][1]["answer"] == "New"
        # The old entry counts: the next stage after self-examination comes next.
        assert saved["entries"][1]["stage"] == "awareness-and-education"

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (
                {"kind": "allykit-journal", "version": 7, "framework": "ally-model"},
                "unknown journal version",
            ),
            (
                {
                    "kind": "allykit-journal",
                    "framework": "ally-model",
                    "entries": [{"prompt": 1, "answer": "x"}],
                },
                "entries[0]",
            ),
            (
                {
                    "kind": "allykit-journal",
                    "framework": "ally-model",
                    "seed": "x",
                    "entries": [],
                },
                "seed",
            ),
        ],
    )
    def test_bad_journal(
        self, tmp_path: Path, content: dict[str, Any], message: str
    ) -> None:
        """A journal with problems is refused with its location and left alone."""
        journal = _write_json(tmp_path / "journal.json", content)
        before = journal.read_text("utf-8")

        result = runner.invoke(app, ["reflect", "-j", str(journal)], input="Hi\n")

        assert result.exit_code == 1
        assert message in result.stderr
        assert journal.read_text("utf-8") == before

    def test_unknown_stage(self, tmp_path: Path) -> None:
        """An unknown --stage is one message, and nothing is written."""
        result = runner.invoke(
            app,
            ["reflect", "-j", str(tmp_path / "j.json"), "--stage", "actoin"],
            input="Hi\n",
        )

        assert result.exit_code == 1
        assert "actoin" in result.stderr
        assert "Traceback" not in result.output
        assert _files(tmp_path) == []

    def test_bad_answers_file(self, tmp_path: Path) -> None:
        """An answers file of another shape is refused."""
        answers = _write_json(tmp_path / "answers.json", {"p": 1})

        result = runner.invoke(
            app, ["reflect", "-j", str(tmp_path / "j.json"), "--answers", str(answers)]
        )

        assert result.exit_code == 1
        assert "expected an object of prompt id" in result.stderr


def _example_answers() -> dict[str, Any]:
    inventory = load_instrument(INVENTORY)
    answers: dict[str, Any] = {item.id: "Agree" for item in inventory.items}
    answers["ac-speak-up"] = 2
    answers["ac-use-influence"] = "Does not apply"
    return answers


class TestAssess:
    def test_from_answers_file(self, tmp_path: Path) -> None:
        """With --answers: the chart, the explanation, the note and next steps."""
        answers = _write_json(tmp_path / "answers.json", _example_answers())
        report = score(load_instrument(INVENTORY), _example_answers())

        result = runner.invoke(
            app, ["assess", INVENTORY, "--answers", str(answers)], env=WIDE
        )

        assert result.exit_code == 0
        for entry in report.profile:
            assert entry.stage_name in result.stdout
            assert f"{entry.pomp:.0f}" in result.stdout
        assert report.explain().splitlines()[0] in result.stdout
        assert "reflective aid, not a validated measure" in result.stdout
        assert "Next, you might work on" in result.stdout
        assert "allykit reflect --journal" in result.stdout
        assert "You are" not in result.stdout
        assert _files(tmp_path) == ["answers.json"]

    def test_a_median_scale_is_charted_by_its_middle_answer(
        self, tmp_path: Path
    ) -> None:
        """The chart gives the figure the explanation gives, not a mean's POMP."""
        continuum = load_instrument("action-continuum-scenarios")
        ids = [item.id for item in continuum.items]
        given = {**dict.fromkeys(ids[:5], 1), **dict.fromkeys(ids[5:], 6)}
        answers = _write_json(tmp_path / "answers.json", given)
        report = score(continuum, given)
        assert report.scales[0].median == 1
        assert round(report.scales[0].pomp or 0) == 44  # the mean's POMP

        result = runner.invoke(
            app, ["assess", continuum.id, "--answers", str(answers)], env=WIDE
        )

        assert result.exit_code == 0
        assert "the middle answer (median) of each scale" in result.stdout
        assert "1 (1 to 6)" in result.stdout
        assert "44" not in result.stdout
        assert "the middle answer is 1 on a 1 to 6 scale" in result.stdout

    def test_chart_and_explanation_give_the_same_numbers(self, tmp_path: Path) -> None:
        """POMPs 54.17 and 53.57: the chart says 54.2 and 53.6, as explain() does."""
        inventory = load_instrument(INVENTORY)
        given: dict[str, Any] = {}
        for prefix, total in (("se-", 22), ("ac-", 19)):
            items = [i for i in inventory.items if i.id.startswith(prefix)]
            base, extra = divmod(total, len(items))
            for index, item in enumerate(items):
                value = base + (1 if index < extra else 0)
                given[item.id] = 6 - value if item.reverse else value
        answers = _write_json(tmp_path / "answers.json", given)

        result = runner.invoke(
            app, ["assess", INVENTORY, "--answers", str(answers)], env=WIDE
        )

        assert result.exit_code == 0
        chart = result.stdout.split("Your answers, once keyed")[0]
        assert "54.2" in chart
        assert "53.6" in chart
        assert "(POMP 54.2)" in result.stdout

    def test_a_stage_to_move_on_from_is_not_one_to_work_on(self) -> None:
        """An inventory on a framework with away stages: "moving on from" it."""
        import attrs

        from allykit import FrameworkId, StageId
        from allykit.cli._commands.assess import next_steps

        inventory = load_instrument(INVENTORY)
        onto = {
            "self-examination": StageId("aspiring-ally-for-self-interest"),
            "awareness-and-education": StageId("aspiring-ally-for-altruism"),
            "action": StageId("ally-for-social-justice"),
        }
        mine = attrs.evolve(
            inventory,
            framework=FrameworkId("aspiring-ally-identity"),
            scales=tuple(
                attrs.evolve(s, stage=onto[s.stage or ""]) for s in inventory.scales
            ),
            bands=tuple(
                attrs.evolve(b, stage=onto[b.stage or ""], prompts=())
                for b in inventory.bands
            ),
        )
        report = score(mine, {item.id: 2 for item in mine.items})

        first = next_steps(report)[0]

        assert first.startswith(
            "Next, you might work on moving on from Aspiring Ally for Self-Interest ("
        )

    def test_json_is_the_report(self, tmp_path: Path) -> None:
        """With --json, stdout is the score report and nothing else."""
        answers = _write_json(tmp_path / "answers.json", _example_answers())

        result = runner.invoke(
            app, ["assess", INVENTORY, "--answers", str(answers), "--json"]
        )

        expected = score(load_instrument(INVENTORY), _example_answers())
        assert ScoreReport.from_json(result.stdout) == expected

    def test_save_writes_only_the_named_file(self, tmp_path: Path) -> None:
        """--save writes the report there, and nothing else is written."""
        answers = _write_json(tmp_path / "answers.json", _example_answers())
        saved = tmp_path / "report.json"

        result = runner.invoke(
            app, ["assess", INVENTORY, "--answers", str(answers), "--save", str(saved)]
        )

        assert result.exit_code == 0
        assert _files(tmp_path) == ["answers.json", "report.json"]
        assert ScoreReport.from_json(saved.read_text("utf-8")) == score(
            load_instrument(INVENTORY), _example_answers()
        )

    def test_interactive_numbers_labels_skip_na(self, tmp_path: Path) -> None:
        """Typed numbers, labels, na and Enter become values, N/A and missing."""
        saved = tmp_path / "report.json"
        typed = "1\n5\nxyz\nagree\nna\n\nq\n"

        result = runner.invoke(
            app, ["assess", INVENTORY, "--save", str(saved)], input=typed
        )

        inventory = load_instrument(INVENTORY)
        first = [item.id for item in inventory.items[:4]]
        expected = score(
            inventory,
            {first[0]: 1, first[1]: 5, first[2]: "Agree", first[3]: "N/A"},
        )
        assert result.exit_code == 0
        assert "1 of 20" in result.stdout
        assert "1  Strongly disagree" in result.stdout
        assert "'xyz' is not one of the choices" in result.stdout
        assert ScoreReport.from_json(saved.read_text("utf-8")) == expected

    def test_interactive_json_keeps_stdout_clean(self) -> None:
        """Asked interactively with --json, the questions go to stderr."""
        result = runner.invoke(app, ["assess", INVENTORY, "--json"], input="4\n" * 20)

        inventory = load_instrument(INVENTORY)
        expected = score(inventory, {item.id: 4 for item in inventory.items})
        # The test runner echoes typed input to stdout; a terminal does not.
        printed = result.stdout[result.stdout.index("{") :]
        assert result.exit_code == 0
        assert ScoreReport.from_json(printed) == expected
        assert "1 of 20" in result.stderr
        assert "1 of 20" not in result.stdout

    def test_number_out_of_range_is_asked_again(self) -> None:
        """A number outside the choices is explained and asked again."""
        result = runner.invoke(app, ["assess", INVENTORY], input="9\n2\nq\n")

        assert result.exit_code == 0
        assert "type a number from 1 to 5" in result.stdout

    def test_scenarios_get_no_stage_plan(self, tmp_path: Path) -> None:
        """A continuum instrument shows its scale, and band prompts but no plan."""
        inventory = load_instrument("action-continuum-scenarios")
        answers = _write_json(
            tmp_path / "answers.json", {item.id: 4 for item in inventory.items}
        )

        result = runner.invoke(
            app,
            ["assess", "action-continuum-scenarios", "--answers", str(answers)],
            env=WIDE,
        )

        assert result.exit_code == 0
        assert "Position on the action continuum" in result.stdout
        assert "Suggested by your answers" in result.stdout
        assert "you might work on" not in result.stdout

    def test_instrument_file(self, tmp_path: Path) -> None:
        """An instrument .json file can be assessed like a bundled one."""
        path = tmp_path / "mine.json"
        path.write_text(load_instrument(INVENTORY).to_json(), "utf-8")
        answers = _write_json(tmp_path / "answers.json", _example_answers())

        result = runner.invoke(
            app, ["assess", str(path), "--answers", str(answers), "--json"]
        )

        assert result.exit_code == 0
        assert json.loads(result.stdout)["instrument"] == INVENTORY

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["ally-identity-measure"], "a copy of the instrument file"),
            (["ally-model-reflectoin"], "ally-model-reflection"),
        ],
    )
    def test_unusable_instrument(self, args: list[str], message: str) -> None:
        """Metadata-only or unknown instruments are one message before any question."""
        result = runner.invoke(app, ["assess", *args], input="1\n")

        assert result.exit_code == 1
        assert message in result.stderr
        assert "1 of" not in result.stdout

    def test_bad_answer_in_file(self, tmp_path: Path) -> None:
        """An unusable answer in the file is listed with its item, exit 1."""
        answers = _write_json(tmp_path / "answers.json", {"ac-speak-up": 9})

        result = runner.invoke(app, ["assess", INVENTORY, "--answers", str(answers)])

        assert result.exit_code == 1
        assert "ac-speak-up" in result.stderr
        assert "Traceback" not in result.output


MAP_ANSWERS = {
    "class": "privilege",
    "accent": "may need allies",
    "age": {"work": "privilege", "family": "marginalisation"},
    "gender": "unsure",
    "religion": "skip",
}


class TestMap:
    def test_from_answers_file(self, tmp_path: Path) -> None:
        """The map sorts the placements into sections, with prompts."""
        answers = _write_json(tmp_path / "map.json", MAP_ANSWERS)

        result = runner.invoke(app, ["map", "--answers", str(answers)], env=WIDE)

        out = result.stdout
        assert result.exit_code == 0
        assert out.index("Where you can act as an ally") < out.index("- Class")
        assert out.index("Where you may need allies") < out.index("- Accent")
        assert "Age: can act as an ally (in: work); may need allies (in: family)" in out
        assert ": ally" not in out  # a placement, not a label for the person
        assert "Religion" not in out
        assert "not a score or a rank" in out
        assert _files(tmp_path) == ["map.json"]

    def test_json_equals_build_ally_map(self, tmp_path: Path) -> None:
        """--json prints the AllyMap that build_ally_map gives for the placements."""
        answers = _write_json(tmp_path / "map.json", MAP_ANSWERS)

        result = runner.invoke(app, ["map", "--answers", str(answers), "--json"])

        expected = allykit.reflection.build_ally_map(
            [
                allykit.reflection.Placement(dimension="class", position="privilege"),
                allykit.reflection.Placement(
                    dimension="accent", position="marginalisation"
                ),
                allykit.reflection.Placement(
                    dimension="age", position="privilege", context="work"
                ),
                allykit.reflection.Placement(
                    dimension="age", position="marginalisation", context="family"
                ),
                allykit.reflection.Placement(dimension="gender", position="unsure"),
            ],
            dimensions=allykit.load_framework("social-graces"),
        )
        assert allykit.reflection.AllyMap.from_json(result.stdout) == expected

    def test_interactive_wheel_with_save(self, tmp_path: Path) -> None:
        """Typed choices on the wheel are placed; --save writes the map there."""
        saved = tmp_path / "map.json"
        wheel = allykit.load_framework("wheel-of-power-and-privilege")
        first, second, _, fourth = (c.id for c in wheel.characteristics[:4])

        result = runner.invoke(
            app,
            ["map", "--tool", "wheel-of-power-and-privilege", "--save", str(saved)],
            input="1\n2\n\n3\nq\n",
            env=WIDE,
        )

        ally_map = allykit.reflection.AllyMap.from_json(saved.read_text("utf-8"))
        assert result.exit_code == 0
        assert [e.dimension.id for e in ally_map.can_act_as_ally] == [first]
        assert [e.dimension.id for e in ally_map.may_need_allies] == [second]
        assert [e.dimension.id for e in ally_map.both] == [fourth]
        assert _files(tmp_path) == ["map.json"]

    def test_bad_answers_file(self, tmp_path: Path) -> None:
        """Unknown dimensions and placements are all listed, exit 1."""
        answers = _write_json(
            tmp_path / "map.json", {"clas": "privilege", "age": "meh"}
        )

        result = runner.invoke(app, ["map", "--answers", str(answers)])

        assert result.exit_code == 1
        assert "clas: not a dimension of this tool" in result.stderr
        assert "age: not a placement" in result.stderr

    def test_unknown_tool_is_usage_error(self) -> None:
        """Only the two positionality tools are accepted (status 2 otherwise)."""
        result = runner.invoke(app, ["map", "--tool", "ally-model"])

        assert result.exit_code == 2


def _responses() -> list[dict[str, Any]]:
    inventory = load_instrument(INVENTORY)
    values = [1, 2, 3, 4, 5, None, "Agree", "N/A"]
    return [
        {
            item.id: values[(row * 3 + index) % len(values)]
            for index, item in enumerate(inventory.items)
        }
        for row in range(12)
    ]


def _write_csv(
    path: Path, rows: list[dict[str, Any]], *, id_column: str = "who"
) -> Path:
    names = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([id_column, *names])
        for number, row in enumerate(rows):
            writer.writerow(
                [f"r{number}", *("" if row[n] is None else row[n] for n in names)]
            )
    return path


def _expected_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for report in score_many(load_instrument(INVENTORY), rows):
        row: dict[str, Any] = {}
        for entry in report.scales:
            row[entry.scale] = entry.score
            row[f"{entry.scale}_answered"] = entry.answered
            row[f"{entry.scale}_not_applicable"] = entry.not_applicable
            row[f"{entry.scale}_prorated"] = entry.prorated
        found.append(row)
    return found


def _read_csv(path: Path) -> list[dict[str, Any]]:
    def value(name: str, text: str) -> Any:
        if name.endswith("_prorated"):
            return text == "true"
        if name.endswith(("_answered", "_not_applicable")):
            return int(text)
        return float(text) if text else None

    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: value(key, text) for key, text in row.items() if key != "who"}
            for row in csv.DictReader(handle)
        ]


def _same(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> bool:
    def close(a: Any, b: Any) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b)
        return bool(a == b)

    return len(actual) == len(expected) and all(
        row.keys() == other.keys() and all(close(row[k], other[k]) for k in row)
        for row, other in zip(actual, expected, strict=True)
    )


def _score(*args: str | Path, **options: Any) -> Result:
    """Run ``allykit score`` on the inventory with *args* (and runner *options*)."""
    return runner.invoke(app, ["score", INVENTORY, *map(str, args)], **options)


class TestScore:
    def test_csv_to_csv_equals_score_many(self, tmp_path: Path) -> None:
        """Each output row holds score_many's scores for the input row."""
        rows = _responses()
        source = _write_csv(tmp_path / "in.csv", rows)
        out = tmp_path / "out.csv"

        result = _score(source, "-o", out, "--id-column", "who")

        assert result.exit_code == 0, result.output
        assert _same(_read_csv(out), _expected_rows(rows))
        with out.open(encoding="utf-8") as handle:
            assert next(csv.reader(handle))[0] == "who"
        assert _files(tmp_path) == ["in.csv", "out.csv"]
        assert "Scored 12 rows" in result.stdout

    def test_row_count_for_the_progress_bar(self, tmp_path: Path) -> None:
        """The row count (read only when a bar is shown) counts the data rows."""
        from allykit.scoring.answers import AnswerFile

        source = _write_csv(tmp_path / "in.csv", _responses())

        found = AnswerFile(source)

        assert found.columns[0] == "who"
        assert found.count() == 12

    def test_json_summary(self, tmp_path: Path) -> None:
        """--json prints rows, scored, and withheld and mean per scale."""
        rows = _responses()
        source = _write_csv(tmp_path / "in.csv", rows)

        result = _score(
            source, "-o", tmp_path / "out.csv", "--id-column", "who", "--json"
        )

        summary = json.loads(result.stdout)
        reports = list(score_many(load_instrument(INVENTORY), rows))
        assert summary["rows"] == 12
        for entry in summary["scales"]:
            scores = [
                found
                for r in reports
                if (found := r.scale(entry["scale"]).score) is not None
            ]
            assert entry["withheld"] == 12 - len(scores)
            assert entry["mean"] == pytest.approx(sum(scores) / len(scores))

    def test_parquet_round_trip(self, tmp_path: Path) -> None:
        """CSV to Parquet, and Parquet back to CSV, keep the scores."""
        pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        rows = _responses()
        source = _write_csv(tmp_path / "in.csv", rows)
        scores = tmp_path / "scores.parquet"
        _score(source, "-o", scores, "--id-column", "who")
        table = pq.read_table(scores)
        assert table.column_names[0] == "who"
        assert _same(
            [{k: v for k, v in r.items() if k != "who"} for r in table.to_pylist()],
            _expected_rows(rows),
        )

    def test_parquet_input(self, tmp_path: Path) -> None:
        """Parquet answers (numbers, NaN, labels, nulls) score like score_many."""
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        items = [str(item.id) for item in load_instrument(INVENTORY).items]
        numbers = [1.0, 2.0, None, math.nan, 5.0]
        labels = ["Agree", "N/A", None, "Strongly disagree"]
        columns = {
            item: pa.array(
                [numbers[(row + i) % 5] for row in range(10)], type=pa.float64()
            )
            if i % 2
            else pa.array([labels[(row + i) % 4] for row in range(10)])
            for i, item in enumerate(items)
        }
        source = tmp_path / "in.parquet"
        pq.write_table(pa.table(columns), source)
        out = tmp_path / "out.csv"

        result = _score(source, "-o", out)

        rows = [
            {
                item: None
                if isinstance(v := columns[item][row].as_py(), float) and math.isnan(v)
                else v
                for item in items
            }
            for row in range(10)
        ]
        assert result.exit_code == 0, result.output
        assert _same(_read_csv(out), _expected_rows(rows))

    def test_parquet_with_polars_only(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pyarrow, polars reads and writes the Parquet files."""
        pl = pytest.importorskip("polars")
        items = [str(item.id) for item in load_instrument(INVENTORY).items]
        rows = [
            {item: (row + i) % 5 + 1 for i, item in enumerate(items)}
            for row in range(6)
        ]
        pl.DataFrame(rows).write_parquet(tmp_path / "in.parquet")
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)

        result = _score(tmp_path / "in.parquet", "-o", tmp_path / "out.parquet")

        assert result.exit_code == 0, result.output
        frame = pl.read_parquet(tmp_path / "out.parquet")
        assert _same(frame.to_dicts(), _expected_rows(rows))

    def test_parquet_without_engine(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pyarrow and polars, Parquet is one message naming the package."""
        source = _write_csv(tmp_path / "in.csv", _responses())
        monkeypatch.setitem(sys.modules, "pyarrow", None)
        monkeypatch.setitem(sys.modules, "polars", None)

        result = _score(source, "-o", tmp_path / "o.parquet", env=WIDE)

        assert result.exit_code == 1
        assert "python -m pip install pyarrow" in result.stderr
        assert _files(tmp_path) == ["in.csv"]

    def test_columns_map(self, tmp_path: Path) -> None:
        """--columns maps item ids to the file's own column names."""
        rows = _responses()
        renamed = [{f"q{i}": v for i, v in enumerate(r.values())} for r in rows]
        source = _write_csv(tmp_path / "in.csv", renamed)
        mapping = _write_json(
            tmp_path / "columns.json",
            {item: f"q{i}" for i, item in enumerate(rows[0])},
        )
        out = tmp_path / "out.csv"

        result = _score(source, "-o", out, "--id-column", "who", "--columns", mapping)

        assert result.exit_code == 0, result.output
        assert _same(_read_csv(out), _expected_rows(rows))

    def test_unknown_columns(self, tmp_path: Path) -> None:
        """Columns that are not items are listed, with a hint about --columns."""
        source = _write_csv(tmp_path / "in.csv", _responses())

        result = _score(source, "-o", tmp_path / "o.csv")

        assert result.exit_code == 1
        assert "column 'who': not an item id" in result.stderr
        assert "--columns" in result.stderr
        assert _files(tmp_path) == ["in.csv"]

    def test_bad_answer_stops_and_removes_output(self, tmp_path: Path) -> None:
        """An unusable answer names its row and id; the partial output is removed."""
        rows = _responses()
        rows[1]["ac-speak-up"] = 9
        source = _write_csv(tmp_path / "in.csv", rows)

        result = _score(source, "-o", tmp_path / "o.csv", "--id-column", "who")

        assert result.exit_code == 1
        message = " ".join(result.stderr.split())
        assert "row 2 (line 3), who 'r1'" in message
        assert "--invalid missing" in result.stderr
        assert _files(tmp_path) == ["in.csv"]

    def test_bad_answer_keeps_existing_output(self, tmp_path: Path) -> None:
        """A run that stops on a bad row leaves an earlier output file as it was."""
        rows = _responses()
        rows[1]["ac-speak-up"] = 9
        source = _write_csv(tmp_path / "in.csv", rows)
        out = tmp_path / "o.csv"
        out.write_text("earlier,scores\n", "utf-8")

        result = _score(source, "-o", out, "--id-column", "who", "--force")

        assert result.exit_code == 1
        assert "row 2 (line 3)" in " ".join(result.stderr.split())
        assert out.read_text("utf-8") == "earlier,scores\n"
        assert _files(tmp_path) == ["in.csv", "o.csv"]

    def test_invalid_missing(self, tmp_path: Path) -> None:
        """--invalid missing scores unusable answers as missing and says how many."""
        rows = _responses()
        rows[1]["ac-speak-up"] = 9
        source = _write_csv(tmp_path / "in.csv", rows)
        out = tmp_path / "o.csv"

        result = _score(source, "-o", out, "--id-column", "who", "--invalid", "missing")

        rows[1]["ac-speak-up"] = None
        assert result.exit_code == 0
        assert "1 unusable answer was treated as missing" in result.stdout
        assert _same(_read_csv(out), _expected_rows(rows))

    @pytest.mark.parametrize(
        ("source_name", "out_name", "message"),
        [
            ("in.csv", "out.xlsx", "use .csv or .parquet"),
            ("in.txt", "out.csv", "use .csv or .parquet"),
            ("in.csv", "in.csv", "is a file this run reads"),
            ("missing.csv", "out.csv", "no such file"),
        ],
    )
    def test_bad_paths(
        self, tmp_path: Path, source_name: str, out_name: str, message: str
    ) -> None:
        """Bad suffixes, the input as output, and a missing input are one message."""
        _write_csv(tmp_path / "in.csv", _responses())
        (tmp_path / "in.txt").write_text("x", "utf-8")

        result = _score(tmp_path / source_name, "-o", tmp_path / out_name)

        assert result.exit_code == 1
        assert message in result.stderr
        assert _files(tmp_path) == ["in.csv", "in.txt"]

    def test_empty_csv(self, tmp_path: Path) -> None:
        """A CSV without a header row is a problem report."""
        source = tmp_path / "in.csv"
        source.write_text("", "utf-8")

        result = _score(source, "-o", tmp_path / "o.csv")

        assert result.exit_code == 1
        assert "no header row" in result.stderr

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("in.csv", b"ac-speak-up\n\xff\xfe\n", "cannot read the file as CSV"),
            ("in.csv", b"ac-speak-up\n1,2\n", "line 2: 2 cells, but the header"),
            ("in.parquet", b"not parquet at all", "cannot read the file as PARQUET"),
        ],
    )
    def test_unreadable_input(
        self, tmp_path: Path, name: str, content: bytes, message: str
    ) -> None:
        """Undecodable, ragged or corrupt input is a problem report, not a crash."""
        source = tmp_path / name
        source.write_bytes(content)

        result = _score(source, "-o", tmp_path / "o.csv", env=WIDE)

        assert result.exit_code == 1
        assert message in " ".join(result.stderr.split())
        assert _files(tmp_path) == [name]


class TestTourScoring:
    def test_tour_scores_the_example(self) -> None:
        """The tour scores the bundled example answers and suggests a next step."""
        from allykit.cli._commands.tour import example_answers

        report = score(load_instrument(INVENTORY), example_answers())

        result = runner.invoke(app, ["tour"], env=WIDE)

        assert result.exit_code == 0
        assert "Ally model reflection inventory" in result.stdout
        for entry in report.profile:
            assert f"{entry.pomp:.0f}" in result.stdout
        assert "Next, you might work on" in result.stdout
        assert "not a validated measure" in result.stdout

    def test_example_answers_ship_with_the_package(self) -> None:
        """The example answers are package data and answer every item."""
        from allykit.cli._commands.tour import example_answers

        inventory = load_instrument(INVENTORY)

        assert set(example_answers()) == {item.id for item in inventory.items}
        assert score(inventory, example_answers()).missing == 0


def _wait_for(tmux: list[str], text: str, *, count: int = 1) -> str:
    deadline = time.monotonic() + 30
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(  # noqa: S603 -- our own tmux server
            [*tmux, "capture-pane", "-p", "-t", "assess"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if screen.count(text) >= count:
            return screen
        time.sleep(0.1)
    pytest.fail(f"{text!r} did not appear {count}x; screen:\n{screen}")


def _type(tmux: list[str], text: str) -> None:
    subprocess.run(  # noqa: S603 -- our own tmux server
        [*tmux, "send-keys", "-t", "assess", text, "Enter"], check=True
    )


class TestRealTerminal:
    def test_assess_session(self, tmux: list[str], tmp_path: Path) -> None:
        """A person answers by number, label and N/A, stops, and sees the chart."""
        saved = tmp_path / "report.json"
        command = (
            shlex.join(
                [
                    sys.executable,
                    "-m",
                    "allykit",
                    "assess",
                    INVENTORY,
                    "--save",
                    str(saved),
                ]
            )
            + "; sleep 30"
        )
        subprocess.run(  # noqa: S603 -- our own tmux server
            [
                *tmux,
                "new-session",
                "-d",
                "-s",
                "assess",
                "-x",
                "120",
                "-y",
                "50",
                command,
            ],
            check=True,
        )

        _wait_for(tmux, "1 of 20")
        _type(tmux, "4")
        _wait_for(tmux, "2 of 20")
        _type(tmux, "strongly agree")
        _wait_for(tmux, "3 of 20")
        _type(tmux, "na")
        _wait_for(tmux, "4 of 20")
        _type(tmux, "q")
        screen = _wait_for(tmux, "To reflect on it")

        inventory = load_instrument(INVENTORY)
        first = [item.id for item in inventory.items[:3]]
        expected = score(inventory, {first[0]: 4, first[1]: 5, first[2]: "N/A"})
        assert ScoreReport.from_json(saved.read_text("utf-8")) == expected
        assert "POMP" in screen
        assert "Self-Examination" in screen
