"""An id the catalogue does not know is an error, never silently nothing.

``search --stage`` names a stage as ``--framework`` names a framework, and
``reflect --answers`` keys answers by prompt id as ``assess --answers``
keys them by item id: a misspelt id is an error with a did-you-mean, not
"No matches" or an answer dropped without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from allykit.cli._app import app

runner = CliRunner()


def _run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())


def test_search_unknown_stage() -> None:
    """A stage no framework has is an error naming the close ones."""
    status, text = _run("search", "ally", "--stage", "awarenes")
    assert status == 1, text
    assert "unknown stage 'awarenes'" in text
    assert "did you mean" in text
    assert "'awareness'" in text


def test_search_stage_of_another_framework() -> None:
    """With --framework, the stage must be one of that framework's."""
    status, text = _run(
        "search", "", "--framework", "ally-model", "--stage", "awareness"
    )
    assert status == 1, text
    assert "unknown stage 'awareness' in framework 'ally-model'" in text
    assert "awareness-and-education" in text


def test_search_known_stage_without_hits_is_fine() -> None:
    """A known stage with no match for the words is "No matches", status 0."""
    status, text = _run("search", "zzzzqqq", "--stage", "action")
    assert status == 0, text
    assert "No matches" in text


def test_reflect_answers_for_unknown_prompts(tmp_path: Path) -> None:
    """An answer keyed by an id that is no prompt is an error, nothing written."""
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps({"feedback-that-sting": "a", "no-such-prompt": "b"}), "utf-8"
    )
    journal = tmp_path / "journal.json"
    status, text = _run(
        "reflect", "--journal", journal, "--answers", answers, "-n", "1"
    )
    assert status == 1, text
    assert "'feedback-that-sting'" in text
    assert "did you mean 'feedback-that-stings'" in text
    assert "'no-such-prompt'" in text
    assert not journal.exists()


def test_reflect_answers_for_cycle_prompts(tmp_path: Path) -> None:
    """With --cycle, the cycle's prompt ids are known ids."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"gibbs-describe-a-moment": "At work."}), "utf-8")
    journal = tmp_path / "journal.json"
    status, text = _run(
        "reflect", "--journal", journal, "--answers", answers, "-n", "1",
        "--stage", "action", "--cycle", "gibbs-reflective-cycle",
    )  # fmt: skip
    assert status == 0, text
    assert "Saved 1 answer" in text


def test_map_unknown_dimension_suggests(tmp_path: Path) -> None:
    """A misspelt dimension gets a did-you-mean, as any unknown id does."""
    answers = tmp_path / "placements.json"
    answers.write_text(json.dumps({"clas": "privilege"}), "utf-8")
    status, text = _run("map", "--answers", answers)
    assert status == 1, text
    assert "did you mean 'class'" in text


def test_assess_answers_errors_name_the_file(tmp_path: Path) -> None:
    """A problem in an --answers file says which file, and the item's key in it."""
    answers = tmp_path / "mine.json"
    answers.write_text(json.dumps({"ac-speak-up": "Agre", "nosuch": 1}), "utf-8")
    status, text = _run("assess", "ally-model-reflection", "--answers", answers)
    assert status == 1, text
    assert f"{answers}: 2 problems" in text
    assert "['ac-speak-up']: not a label" in text
    assert "responses[" not in text


def test_short_id_suggests_words_it_starts() -> None:
    """Two letters suggest ids with a word starting so, not any that hold them."""
    status, text = _run("show", "ac")
    assert status == 1, text
    suggested = text.partition("did you mean")[2].partition("?")[0]
    assert "'action-continuum'" in suggested
    assert "enabling-factors" not in suggested  # "ac" inside "factors"


def test_messages_take_the_right_article(tmp_path: Path) -> None:
    """Say "an allykit framework file" and "add an item", not "a allykit"."""
    top = tmp_path / "list.json"
    top.write_text("[]", "utf-8")
    status, text = _run("validate", top)
    assert status == 1, text
    assert "an allykit framework file" in text
    instrument = json.loads(
        (Path(__file__).parents[2] / "src/allykit/data/instruments"
         / "ally-model-reflection.json").read_text("utf-8")
    )  # fmt: skip
    instrument["items"][0]["id"] = "se-renamed"
    own = tmp_path / "mine.json"
    own.write_text(json.dumps(instrument), "utf-8")
    status, text = _run("validate", own)
    assert status == 1, text
    assert "add an item with this id" in text
    assert "a item" not in text
