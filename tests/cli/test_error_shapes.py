"""Errors that read well: every error path of the command, one message shape.

Issue 17, item 7. A bad input ends with status 1 and one message on stderr
that starts ``allykit: error: ``; a usage mistake ends with status 2 and
click's usage lines. No path shows a traceback, pydantic's "Value error,"
prefix, or a list of known ids without its separator. The API's rules for
the same mistakes are checked at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app

runner = CliRunner()
INVENTORY = "ally-model-reflection"

# (arguments, expected status, words the message must hold)
CASES: list[tuple[str, int, str]] = [
    ("show nope", 1, "unknown framework 'nope'; known ids: "),
    ("show ally-modl", 1, "did you mean 'ally-model'"),
    ("list nope", 2, "'nope' is not one of"),
    ("search x --framework nope", 1, "unknown framework 'nope'"),
    ("search x --kind y", 2, "'y' is not one of"),
    ("search x -n -1", 2, "--limit"),
    ("reflect -j j.json --cycle ally-skills", 1, "not a reflective cycle"),
    ("reflect -j j.json --cycle gibs", 1, "unknown cycle 'gibs'; did you mean"),
    ("reflect -j j.json --framework nope", 1, "unknown framework 'nope'"),
    ("assess nope", 1, "unknown instrument 'nope'"),
    (f"assess {INVENTORY} --answers broken.json", 1, "invalid JSON"),
    (f"assess {INVENTORY} --answers missing.json", 1, "cannot read the file"),
    ("map --tool x", 2, "'x' is not one of"),
    ("map --answers broken.json", 1, "invalid JSON"),
    ("score nope in.csv -o o.csv", 1, "unknown instrument 'nope'"),
    (f"score {INVENTORY} missing.csv -o o.csv", 1, "cannot read the file"),
    (f"score {INVENTORY} in.csv -o o.txt", 1, "use .csv or .parquet"),
    (f"score {INVENTORY} in.csv -o existing.csv", 1, "add --force"),
    ("schema --kind nope", 2, "'nope' is not one of"),
    ("schema -o existing.csv", 1, "add --force"),
    ("export worksheet nope", 1, "unknown framework 'nope'"),
    ("export worksheet ally-model -f pdf", 2, "'pdf' is not one of"),
    ("export surveyjs nope", 1, "unknown instrument 'nope'"),
    ("export redcap nope", 1, "unknown instrument 'nope'"),
    ("export reproschema nope", 1, "unknown instrument 'nope'"),
    ("schema -o journal.json --force", 1, "reflection journal"),
    ("export worksheet ally-model -o sheet.pdf", 1, "name a .md or .html file"),
    ("nosuchcommand", 2, "No such command"),
    ("show", 2, "Missing argument 'ID'"),
    ("--nope", 2, "No such option"),
]


@pytest.fixture(name="folder")
def _folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.json").write_text('{"x": 1', "utf-8")
    (tmp_path / "in.csv").write_text("ac-speak-up\n3\n", "utf-8")
    (tmp_path / "existing.csv").write_text("earlier\n", "utf-8")
    (tmp_path / "journal.json").write_text(
        '{"kind": "allykit-journal", "version": 2, "framework": "ally-model", '
        '"seed": 0, "entries": []}',
        "utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(("args", "status", "words"), CASES, ids=[c[0] for c in CASES])
def test_error_shape(folder: Path, args: str, status: int, words: str) -> None:
    """Each error path: its status, one well-formed message, the right words."""
    del folder
    result = runner.invoke(app, args.split(), input="", env={"COLUMNS": "200"})
    message = result.stderr
    flat = " ".join(message.split())
    assert result.exit_code == status, message
    assert "Traceback" not in message
    assert "Value error," not in message
    assert not re.search(r"'[^']*' known ids", flat), "known ids without separator"
    assert words in flat
    if status == 1:
        assert message.startswith("allykit: error: ")
        assert message.count("allykit: error: ") == 1
        assert not result.stdout.strip() or "1 of" not in result.stdout
    else:
        assert "Try 'allykit" in message
        assert "Error: " in message


class TestApiAgrees:
    def test_load_framework_none_is_a_type_mistake(self) -> None:
        """load_framework(None) says what an id is, not "unknown framework 'None'"."""
        with pytest.raises(allykit.InvalidArgumentError, match="must be a string"):
            allykit.load_framework(None)  # type: ignore[arg-type]

    def test_unknown_id_without_suggestion_has_separator(self) -> None:
        """The list of known ids always follows "; "."""
        with pytest.raises(allykit.UnknownFrameworkError) as caught:
            allykit.load_framework("zzzz")
        assert "'zzzz'; known ids: " in str(caught.value)

    def test_next_step_refuses_a_non_cycle(self) -> None:
        """next_step(cycle=<not a cycle>) is refused, with the cycles to use."""
        model = allykit.load_framework("ally-model")
        with pytest.raises(
            allykit.InvalidArgumentError, match="not a reflective cycle"
        ):
            allykit.next_step(model, cycle="ally-skills")
        with pytest.raises(
            allykit.InvalidArgumentError, match="gibbs-reflective-cycle"
        ):
            allykit.next_step(model, cycle=allykit.load_framework("ally-skills"))

    def test_unknown_cycle_is_called_a_cycle(self) -> None:
        """An unknown cycle id is "unknown cycle", with a suggestion."""
        model = allykit.load_framework("ally-model")
        with pytest.raises(allykit.UnknownDocumentError) as caught:
            allykit.next_step(model, cycle="gibs")
        assert str(caught.value).startswith(
            "unknown cycle 'gibs'; did you mean 'gibbs-reflective-cycle'?"
        )
