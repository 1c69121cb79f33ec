"""A file name the command prints is one line: a newline in it is escaped.

``escape()`` keeps newlines for texts of several lines; a path is a name,
so "wrote ...", "Saved ... to ..." and the like print it through
``printable()`` without *lines*: a name with a newline cannot forge a
second line of output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.cli._app import app

runner = CliRunner()
HOSTILE = "bad\nallykit: error: forged\x1b[2J"
ANSWERS = {"ac-speak-up": "Agree", "ac-practical-support": 4}


def _args(tmp_path: Path, command: str) -> list[str]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS), "utf-8")
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "ac-speak-up,ac-practical-support,ac-use-influence,ac-act-with-others,"
        "ac-keep-the-peace,ac-leave-it-to-others\n4,5,5,3,2,1\n",
        "utf-8",
    )
    reflect = tmp_path / "reflect.json"
    reflect.write_text(json.dumps(["An answer."]), "utf-8")
    target = str(tmp_path / HOSTILE)
    return {
        "score": ["score", "ally-model-reflection", str(responses), "-o",
                  target + ".csv", "--provenance", target + ".json"],
        "export": ["export", "redcap", "ally-model-reflection", "-o", target + ".csv"],
        "schema": ["schema", "-o", target + ".json"],
        "assess": ["assess", "ally-model-reflection", "--answers", str(answers),
                   "--save", target + ".json"],
        "reflect": ["reflect", "--journal", target + ".json", "--answers",
                    str(reflect), "-n", "1"],
        "reproschema": ["export", "reproschema", "ally-model-reflection", "-o",
                        target],
    }[command]  # fmt: skip


@pytest.mark.parametrize(
    "command", ["score", "export", "schema", "assess", "reflect", "reproschema"]
)
def test_a_written_path_is_printed_on_one_line(tmp_path: Path, command: str) -> None:
    """The name is escaped: no raw newline or ESC from it reaches the output."""
    result = runner.invoke(app, _args(tmp_path, command), env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "\nallykit: error: forged" not in result.output
    assert "bad\\nallykit: error: forged\\x1b[2J" in result.output


@pytest.mark.parametrize("case", ["exists", "no-folder", "suffix", "reproschema"])
def test_an_error_naming_a_path_is_one_line(tmp_path: Path, case: str) -> None:
    """An error about a hostile output path cannot forge a second error line."""
    hostile = tmp_path / "bad\nallykit: error: forged"
    existing = Path(str(hostile) + ".csv")
    existing.write_text("keep\n", "utf-8")
    target = {
        "exists": str(existing),
        "no-folder": str(hostile) + "/x.csv",
        "suffix": str(hostile) + ".txt",
        "reproschema": str(existing),
    }[case]
    args = (
        ["export", "reproschema", "ally-model-reflection", "-o", target]
        if case == "reproschema"
        else ["export", "redcap", "ally-model-reflection", "-o", target]
    )
    result = runner.invoke(app, args, env={"COLUMNS": "300"})
    assert result.exit_code == 1, result.output
    assert "\nallykit: error: forged" not in result.output
    if case != "suffix":  # that message names the suffix, not the path
        assert "bad\\nallykit: error: forged" in result.output
    assert existing.read_text("utf-8") == "keep\n"
