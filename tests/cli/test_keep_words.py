"""Never lose or overwrite a person's words (issue 17, item 2).

Every command that writes a file (``map --save``, ``assess --save``,
``export ... -o``, ``schema -o``, ``score -o``) refuses to replace an
existing file without ``--force``, and never replaces a reflection journal
with anything but a journal. ``assess`` and ``map`` keep the answers given
so far on Ctrl-C or end of input and say where they are; the real-terminal
tests send a real Ctrl-C through tmux.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.cli._app import app
from allykit.scoring._score import ScoreReport, score

runner = CliRunner()
INVENTORY = "ally-model-reflection"
JOURNAL = {
    "kind": "allykit-journal",
    "version": 2,
    "framework": "ally-model",
    "seed": 0,
    "entries": [{"prompt": "p", "answer": "my own words"}],
}


def _answers(folder: Path) -> Path:
    inventory = load_instrument(INVENTORY)
    path = folder / "answers.json"
    path.write_text(json.dumps({item.id: 3 for item in inventory.items}), "utf-8")
    return path


def _map_answers(folder: Path) -> Path:
    path = folder / "map.json"
    path.write_text(json.dumps({"gender": "privilege"}), "utf-8")
    return path


def _responses(folder: Path) -> Path:
    inventory = load_instrument(INVENTORY)
    path = folder / "in.csv"
    ids = [item.id for item in inventory.items]
    path.write_text(",".join(ids) + "\n" + ",".join("3" for _ in ids) + "\n", "utf-8")
    return path


# Each command that writes: the arguments, given a folder and the target.
WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    "assess --save": lambda d, t: [
        "assess",
        INVENTORY,
        "--answers",
        str(_answers(d)),
        "--save",
        str(t),
    ],
    "map --save": lambda d, t: [
        "map",
        "--answers",
        str(_map_answers(d)),
        "--save",
        str(t),
    ],
    "export worksheet -o": lambda _, t: [
        "export",
        "worksheet",
        "ally-model",
        "-o",
        str(t),
    ],
    "export surveyjs -o": lambda _, t: ["export", "surveyjs", INVENTORY, "-o", str(t)],
    "export redcap -o": lambda _, t: ["export", "redcap", INVENTORY, "-o", str(t)],
    "schema -o": lambda _, t: ["schema", "-o", str(t)],
    "score -o": lambda d, t: ["score", INVENTORY, str(_responses(d)), "-o", str(t)],
}
SUFFIX = {"export worksheet -o": ".md", "score -o": ".csv", "export redcap -o": ".csv"}


def _target(name: str, folder: Path) -> Path:
    return folder / f"out{SUFFIX.get(name, '.json')}"


@pytest.mark.parametrize("name", sorted(WRITERS))
class TestOverwrite:
    def test_new_file_is_written(self, name: str, tmp_path: Path) -> None:
        """A file that does not exist yet is simply written."""
        target = _target(name, tmp_path)
        result = runner.invoke(app, WRITERS[name](tmp_path, target))
        assert result.exit_code == 0, result.stderr
        assert target.stat().st_size > 0

    def test_existing_file_needs_force(self, name: str, tmp_path: Path) -> None:
        """An existing file is kept, with a message that names --force."""
        target = _target(name, tmp_path)
        target.write_text("earlier work\n", "utf-8")
        result = runner.invoke(app, WRITERS[name](tmp_path, target))
        assert result.exit_code == 1
        message = " ".join(result.stderr.split())
        assert message.startswith("allykit: error: ")
        assert "exists; add --force to replace it" in message
        assert target.read_text("utf-8") == "earlier work\n"

    def test_force_replaces(self, name: str, tmp_path: Path) -> None:
        """With --force the file is replaced."""
        target = _target(name, tmp_path)
        target.write_text("earlier work\n", "utf-8")
        result = runner.invoke(app, [*WRITERS[name](tmp_path, target), "--force"])
        assert result.exit_code == 0, result.stderr
        assert target.read_text("utf-8") != "earlier work\n"

    def test_journal_is_never_replaced(self, name: str, tmp_path: Path) -> None:
        """Not even --force replaces a reflection journal with something else."""
        target = _target(name, tmp_path)
        text = json.dumps(JOURNAL)
        target.write_text(text, "utf-8")
        result = runner.invoke(app, [*WRITERS[name](tmp_path, target), "--force"])
        assert result.exit_code == 1
        assert "is a reflection journal" in " ".join(result.stderr.split())
        assert target.read_text("utf-8") == text


class TestStopKeepsAnswers:
    def test_assess_end_of_input_keeps_answers(self, tmp_path: Path) -> None:
        """End of input after two answers: they are scored, saved, and said so."""
        saved = tmp_path / "report.json"
        result = runner.invoke(
            app, ["assess", INVENTORY, "--save", str(saved)], input="4\n5\n"
        )
        assert result.exit_code == 130
        inventory = load_instrument(INVENTORY)
        first = [item.id for item in inventory.items[:2]]
        expected = score(inventory, {first[0]: 4, first[1]: 5})
        assert ScoreReport.from_json(saved.read_text("utf-8")) == expected
        said = " ".join(result.stderr.split())
        assert f"your 2 answers so far are saved to {saved}" in said

    def test_assess_end_of_input_without_save(self) -> None:
        """Without --save the person is told the answers were not saved."""
        result = runner.invoke(app, ["assess", INVENTORY], input="4\n")
        assert result.exit_code == 130
        assert "not saved (use --save FILE" in " ".join(result.stderr.split())
        assert "POMP" in result.stdout

    def test_assess_checks_save_before_asking(self, tmp_path: Path) -> None:
        """An existing --save file is refused before the first question."""
        saved = tmp_path / "report.json"
        saved.write_text("{}", "utf-8")
        result = runner.invoke(app, ["assess", INVENTORY, "--save", str(saved)])
        assert result.exit_code == 1
        assert "1 of 20" not in result.stdout

    def test_map_end_of_input_keeps_placements(self, tmp_path: Path) -> None:
        """End of input after one placement: the map is saved and said so."""
        saved = tmp_path / "map.json"
        result = runner.invoke(app, ["map", "--save", str(saved)], input="1\n")
        assert result.exit_code == 130
        data = json.loads(saved.read_text("utf-8"))
        assert data["can_act_as_ally"]
        assert "your 1 placement so far is saved" in " ".join(result.stderr.split())

    def test_map_nothing_given(self) -> None:
        """Stopped before any answer: nothing was given, nothing saved."""
        result = runner.invoke(app, ["map"], input="")
        assert result.exit_code == 130
        assert "nothing was saved" in result.stderr


def _screen(tmux: list[str], session: str) -> str:
    return subprocess.run(  # noqa: S603 -- our own tmux server
        [*tmux, "capture-pane", "-p", "-J", "-t", session],
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def _wait_for(tmux: list[str], session: str, text: str) -> str:
    deadline = time.monotonic() + 30
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(tmux, session)
        if text in " ".join(screen.split()):
            return screen
        time.sleep(0.1)
    pytest.fail(f"{text!r} did not appear; screen:\n{screen}")


def _keys(tmux: list[str], session: str, *keys: str) -> None:
    subprocess.run([*tmux, "send-keys", "-t", session, *keys], check=True)  # noqa: S603


def _start(tmux: list[str], session: str, args: list[str]) -> None:
    command = shlex.join([sys.executable, "-m", "allykit", *args]) + "; sleep 30"
    subprocess.run(  # noqa: S603 -- our own tmux server
        [*tmux, "new-session", "-d", "-s", session, "-x", "100", "-y", "50", command],
        check=True,
    )


class TestRealTerminalInterrupt:
    def test_ctrl_c_in_assess_keeps_answers(
        self, tmux: list[str], tmp_path: Path
    ) -> None:
        """Two answers, then Ctrl-C: the report is saved and the command says where."""
        saved = tmp_path / "report.json"
        _start(tmux, "assess", ["assess", INVENTORY, "--save", str(saved)])
        _wait_for(tmux, "assess", "1 of 20")
        _keys(tmux, "assess", "4", "Enter")
        _wait_for(tmux, "assess", "2 of 20")
        _keys(tmux, "assess", "5", "Enter")
        _wait_for(tmux, "assess", "3 of 20")
        _keys(tmux, "assess", "C-c")
        screen = _wait_for(tmux, "assess", "so far are saved to")
        assert "Traceback" not in screen
        assert "Aborted" not in screen
        inventory = load_instrument(INVENTORY)
        first = [item.id for item in inventory.items[:2]]
        expected = score(inventory, {first[0]: 4, first[1]: 5})
        assert ScoreReport.from_json(saved.read_text("utf-8")) == expected

    def test_ctrl_d_in_map_keeps_placements(
        self, tmux: list[str], tmp_path: Path
    ) -> None:
        """One placement, then Ctrl-D (end of input): the map is saved."""
        saved = tmp_path / "map.json"
        _start(tmux, "map", ["map", "--save", str(saved)])
        _wait_for(tmux, "map", "1 of ")
        _keys(tmux, "map", "2", "Enter")
        _wait_for(tmux, "map", "2 of ")
        _keys(tmux, "map", "C-d")
        screen = _wait_for(tmux, "map", "so far is saved to")
        assert "Traceback" not in screen
        assert json.loads(saved.read_text("utf-8"))["may_need_allies"]

    def test_ctrl_c_in_map_keeps_placements(
        self, tmux: list[str], tmp_path: Path
    ) -> None:
        """One placement, then Ctrl-C: the map is saved and said so."""
        saved = tmp_path / "map.json"
        _start(tmux, "mapc", ["map", "--save", str(saved)])
        _wait_for(tmux, "mapc", "1 of ")
        _keys(tmux, "mapc", "1", "Enter")
        _wait_for(tmux, "mapc", "2 of ")
        _keys(tmux, "mapc", "C-c")
        _wait_for(tmux, "mapc", "so far is saved to")
        assert json.loads(saved.read_text("utf-8"))["can_act_as_ally"]


def test_reproschema_folder_needs_force_to_replace(tmp_path: Path) -> None:
    """A second export into the same folder needs --force; nothing is half-written."""
    folder = tmp_path / "schema"
    args = ["export", "reproschema", INVENTORY, "-o", str(folder)]
    assert runner.invoke(app, args).exit_code == 0
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "add --force" in " ".join(again.stderr.split())
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
