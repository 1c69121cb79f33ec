"""Tests for the ``allykit`` command, driven in-process and in a real terminal."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli import main
from allykit.cli._app import app

runner = CliRunner()


class TestList:
    def test_table(self) -> None:
        """The list command shows every framework id."""
        result = runner.invoke(app, ["list"], env={"COLUMNS": "200"})

        assert result.exit_code == 0
        for framework_id in allykit.available_frameworks():
            assert framework_id in result.stdout

    def test_json(self) -> None:
        """The list command with --json prints one JSON object per framework."""
        result = runner.invoke(app, ["list", "--json"])

        rows = json.loads(result.stdout)
        assert [row["id"] for row in rows] == list(allykit.available_frameworks())
        assert {"id", "name", "kind", "stages", "prompts", "source"} == set(rows[0])


class TestShow:
    def test_tree(self) -> None:
        """The show command prints the stages, a prompt and the citation."""
        result = runner.invoke(app, ["show", "ally-model"], env={"COLUMNS": "200"})

        assert result.exit_code == 0
        assert "1. Self-Examination and Critical Thinking" in result.stdout
        assert "3. Action" in result.stdout
        assert "Tulane University School of Social Work (2019)" in result.stdout

    def test_json_round_trips(self) -> None:
        """The show command with --json prints JSON that loads back equal."""
        result = runner.invoke(app, ["show", "ally-model", "--json"])

        loaded = allykit.Framework.from_json(result.stdout)
        assert loaded == allykit.load_framework("ally-model")

    def test_unknown_id(self) -> None:
        """An unknown id is one readable line on stderr and exit status 1."""
        result = runner.invoke(app, ["show", "ally-modle"])

        assert result.exit_code == 1
        assert "did you mean 'ally-model'" in result.stderr
        assert "Traceback" not in result.output
        assert result.stdout == ""


class TestValidate:
    def test_valid_file(self, tmp_path: Path) -> None:
        """A valid file exits 0 and says so."""
        path = tmp_path / "model.json"
        path.write_text(allykit.load_framework("ally-model").to_json(), "utf-8")

        result = runner.invoke(app, ["validate", str(path)])

        assert result.exit_code == 0
        assert "valid" in result.stdout

    def test_every_problem(self, tmp_path: Path) -> None:
        """A bad file lists every problem and exits 1."""
        path = tmp_path / "bad.json"
        path.write_text('{"id": "Bad Id", "kind": "ladder"}', "utf-8")

        result = runner.invoke(app, ["validate", str(path), "--json"])

        report = json.loads(result.stdout)
        assert result.exit_code == 1
        assert report["valid"] is False
        paths = {problem["path"] for problem in report["problems"]}
        assert {"id", "kind", "name", "citations"} <= paths

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a problem report, not a traceback."""
        result = runner.invoke(app, ["validate", str(tmp_path / "nope.json")])

        assert result.exit_code == 1
        assert "cannot read the file" in result.stdout


class TestSchemaAndExport:
    def test_schema(self) -> None:
        """The schema command prints the framework JSON Schema."""
        result = runner.invoke(app, ["schema"])

        assert json.loads(result.stdout) == allykit.catalog.framework_json_schema()

    @pytest.mark.parametrize(
        ("fmt", "marker"), [("md", "# Worksheet"), ("html", "<!DOCTYPE html>")]
    )
    def test_worksheet_to_file(self, tmp_path: Path, fmt: str, marker: str) -> None:
        """The export worksheet command writes the chosen format to the named file."""
        out = tmp_path / f"sheet.{fmt}"

        result = runner.invoke(
            app, ["export", "worksheet", "ally-model", "--format", fmt, "-o", str(out)]
        )

        assert result.exit_code == 0
        assert out.read_text("utf-8").startswith(marker)

    def test_bad_format_is_usage_error(self) -> None:
        """An unknown format is a usage error (status 2)."""
        result = runner.invoke(
            app, ["export", "worksheet", "ally-model", "--format", "pdf"]
        )

        assert result.exit_code == 2

    def test_unwritable_output(self, tmp_path: Path) -> None:
        """An output path in a missing folder is one message, exit 1."""
        out = tmp_path / "no" / "such" / "sheet.md"

        result = runner.invoke(
            app, ["export", "worksheet", "ally-model", "-o", str(out)]
        )

        assert result.exit_code == 1
        assert "cannot use the file" in result.stderr


class TestTour:
    def test_tour(self) -> None:
        """tour, and the bare command, show the ally model's stages."""
        for args in (["tour"], []):
            result = runner.invoke(app, args, env={"COLUMNS": "200"})

            assert result.exit_code == 0
            assert "3. Action" in result.stdout
            # The status in the words explain() uses, for the chart it shows.
            assert (
                "This instrument is a reflective aid, not a validated measure: the "
                "numbers describe these answers on this occasion, not the person."
            ) in " ".join(result.stdout.split())


class TestReflect:
    def test_scripted_and_resumable(self, tmp_path: Path) -> None:
        """An answers file drives reflect; a second run resumes after the first."""
        journal = tmp_path / "journal.json"
        model = allykit.load_framework("ally-model")
        steps = allykit.reflection.plan_session(model, steps=3)
        first, second, third = (step.prompt.id for step in steps)
        answers = tmp_path / "answers.json"
        answers.write_text(
            json.dumps({first: "One.", second: "", third: "Three."}), "utf-8"
        )

        result = runner.invoke(
            app, ["reflect", "-j", str(journal), "--answers", str(answers), "-n", "3"]
        )
        again = runner.invoke(
            app, ["reflect", "-j", str(journal), "--answers", str(answers), "-n", "1"]
        )

        assert result.exit_code == 0
        assert again.exit_code == 0
        saved = json.loads(journal.read_text("utf-8"))
        assert saved["framework"] == "ally-model"
        assert [e["prompt"] for e in saved["entries"]] == [first, third]

    def test_interactive_stdin(self, tmp_path: Path) -> None:
        """Typed answers are saved; 'q' stops the session."""
        journal = tmp_path / "journal.json"

        result = runner.invoke(
            app, ["reflect", "-j", str(journal), "-n", "5"], input="First answer\nq\n"
        )

        assert result.exit_code == 0
        entries = json.loads(journal.read_text("utf-8"))["entries"]
        assert [e["answer"] for e in entries] == ["First answer"]

    def test_not_a_journal(self, tmp_path: Path) -> None:
        """A file that is not a journal is refused before anything is written."""
        journal = tmp_path / "other.json"
        journal.write_text('{"hello": 1}', "utf-8")

        result = runner.invoke(app, ["reflect", "-j", str(journal)], input="x\n")

        assert result.exit_code == 1
        assert "not an allykit journal" in result.stderr
        assert journal.read_text("utf-8") == '{"hello": 1}'

    def test_writes_nothing_else(self, tmp_path: Path) -> None:
        """The reflect command writes the journal and no other file."""
        journal = tmp_path / "journal.json"

        runner.invoke(app, ["reflect", "-j", str(journal), "-n", "1"], input="Hi\n")

        assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]


class TestWithoutExtra:
    def test_main_explains(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without typer and rich, the command says how to install the extra."""
        monkeypatch.setitem(sys.modules, "typer", None)

        assert main(["list"]) == 1
        assert "allykit-frameworks[cli]" in capsys.readouterr().err

    def test_python_dash_m_falls_back_to_tour(self) -> None:
        """Without the extra, python -m allykit prints the plain tour."""
        code = (
            "import sys, runpy; sys.modules['typer'] = None; "
            "runpy.run_module('allykit', run_name='__main__')"
        )
        result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )

        assert result.returncode == 0
        assert result.stdout.startswith("allykit: available frameworks")

    def test_python_dash_m_does_not_ignore_arguments(self) -> None:
        """Without the extra, arguments get the install hint, not the tour."""
        code = (
            "import sys, runpy; sys.modules['typer'] = None; "
            "sys.argv[1:] = ['list']; "
            "runpy.run_module('allykit', run_name='__main__')"
        )
        result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )

        assert result.returncode == 1
        assert "allykit-frameworks[cli]" in result.stderr
        assert not result.stdout


class TestMain:
    def test_exit_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        """main() returns the status instead of exiting, and prints no traceback."""
        assert main(["show", "no-such-thing"]) == 1
        assert main(["no-such-command"]) == 2
        assert main(["list", "--json"]) == 0

        captured = capsys.readouterr()
        assert "Traceback" not in captured.err

    def test_python_dash_m(self) -> None:
        """Running python -m allykit runs the command (with the extra installed)."""
        result = subprocess.run(
            [sys.executable, "-m", "allykit", "list", "--json"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert result.returncode == 0
        assert json.loads(result.stdout)[0]["id"] == "action-continuum"


def _screen(tmux: list[str]) -> str:
    return subprocess.run(  # noqa: S603 -- our own tmux server
        [*tmux, "capture-pane", "-p", "-t", "reflect"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def _wait_for(tmux: list[str], text: str, *, count: int = 1) -> str:
    deadline = time.monotonic() + 30
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(tmux)
        if screen.count(text) >= count:
            return screen
        time.sleep(0.1)
    pytest.fail(f"{text!r} did not appear {count}x; screen:\n{screen}")


class TestRealTerminal:
    def test_reflect_session(self, tmux: list[str], tmp_path: Path) -> None:
        """A person answers two prompts in a real terminal; the journal has them."""
        journal = tmp_path / "journal.json"
        command = (
            shlex.join(
                [
                    sys.executable,
                    "-m",
                    "allykit",
                    "reflect",
                    "-j",
                    str(journal),
                    "-n",
                    "2",
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
                "reflect",
                "-x",
                "120",
                "-y",
                "40",
                command,
            ],
            check=True,
        )

        _wait_for(tmux, "Your answer")
        subprocess.run(  # noqa: S603 -- our own tmux server
            [*tmux, "send-keys", "-t", "reflect", "I was taught to", "Enter"],
            check=True,
        )
        _wait_for(tmux, "Your answer", count=2)
        subprocess.run(  # noqa: S603 -- our own tmux server
            [*tmux, "send-keys", "-t", "reflect", "My colleagues", "Enter"], check=True
        )
        screen = _wait_for(tmux, "Saved 2 answers")

        entries = json.loads(journal.read_text("utf-8"))["entries"]
        assert [e["answer"] for e in entries] == ["I was taught to", "My colleagues"]
        assert "Self-Examination" in screen
