"""No answer is ever lost: real concurrent ``allykit reflect`` processes on one journal.

Also: the journal round trip at its size cap, the path checked before
anything is asked, and what end of input says was kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from typer.testing import CliRunner

from allykit.cli._app import app
from allykit.cli._commands import reflect
from allykit.errors import DataFileError

_RUN = "import sys; from allykit.cli import main; sys.exit(main())"


def _start(journal: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter, fixed code
        [
            sys.executable,
            "-c",
            _RUN,
            "reflect",
            "--framework",
            "ally-model",
            "-j",
            str(journal),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def _wait_for(stream: IO[str] | None, text: str) -> None:
    assert stream is not None
    for line in stream:
        if text in line:
            return
    pytest.fail(f"the process ended before printing {text!r}")


def _answers(journal: Path) -> list[str]:
    data = json.loads(journal.read_text(encoding="utf-8"))
    return [entry["answer"] for entry in data["entries"]]


class TestConcurrentSessions:
    def test_two_processes_keep_both_answers(self, tmp_path: Path) -> None:
        """Both sessions read the journal first; the second save keeps the first's."""
        journal = tmp_path / "journal.json"
        first, second = _start(journal), _start(journal)
        try:
            # Both have read the (empty) journal and wait for an answer.
            _wait_for(first.stdout, "in your journal")
            _wait_for(second.stdout, "in your journal")
            first.communicate("first one\nfirst two\nq\n", timeout=120)
            second.communicate("second one\nsecond two\nq\n", timeout=120)
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.kill()
                    process.wait()

        assert first.returncode == 0
        assert second.returncode == 0
        assert sorted(_answers(journal)) == sorted(
            ["first one", "first two", "second one", "second two"]
        )

    def test_end_of_input_says_what_was_kept(self, tmp_path: Path) -> None:
        """End of input mid-session names the journal and the answers kept."""
        journal = tmp_path / "journal.json"
        done = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
            [
                sys.executable,
                "-c",
                _RUN,
                "reflect",
                "--framework",
                "ally-model",
                "-j",
                str(journal),
            ],
            input="only answer\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"},
        )

        assert done.returncode == 0, done.stderr
        assert "End of input: 1 answer from this session is saved in" in done.stderr
        assert str(journal.name) in done.stderr
        assert _answers(journal) == ["only answer"]


class TestJournalSizes:
    def test_round_trip_at_the_cap(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A journal as big as allykit writes is read back; a bigger one is refused."""
        monkeypatch.setattr(reflect, "MAX_JOURNAL_BYTES", 64 * 1024)
        journal = tmp_path / "journal.json"
        entry = {"prompt": "p", "answer": "a" * 1000}
        entries: list[dict[str, str]] = []
        while True:
            try:
                reflect.save_journal(journal, "ally-model", 0, [*entries, entry])
            except DataFileError as error:
                assert "larger than the limit" in str(error)
                break
            entries.append(entry)

        size = journal.stat().st_size
        read = reflect.load_journal(journal, "ally-model")

        assert size <= 64 * 1024
        assert len(read.entries) == len(entries) > 50

    def test_real_cap_is_far_above_the_data_file_cap(self) -> None:
        """Journals get their own cap, larger than a catalogue file's."""
        from allykit.catalog._loading import MAX_FILE_BYTES

        assert reflect.MAX_JOURNAL_BYTES >= 16 * MAX_FILE_BYTES

    def test_journal_past_the_data_file_cap_reads_back(self, tmp_path: Path) -> None:
        """A 3 MiB journal (over the 2 MiB data-file cap) is saved and read back."""
        journal = tmp_path / "journal.json"
        entries = [{"prompt": "p", "answer": "x" * 4096} for _ in range(800)]

        reflect.save_journal(journal, "ally-model", 0, entries)

        assert journal.stat().st_size > 3 * 1024 * 1024
        assert len(reflect.load_journal(journal, "ally-model").entries) == 800


class TestPathCheckedFirst:
    def test_unwritable_folder_refused_before_asking(self, tmp_path: Path) -> None:
        """A journal in a missing folder is refused before any prompt is shown."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        journal = tmp_path / "missing" / "journal.json"
        result = CliRunner().invoke(
            app,
            ["reflect", "--framework", "ally-model", "-j", str(journal)],
            input="x\n",
        )

        assert result.exit_code == 1
        assert "does not exist" in result.output
        assert "Your answer" not in result.output

    def test_folder_as_journal_refused(self, tmp_path: Path) -> None:
        """A folder given as the journal is refused before anything is asked."""
        with pytest.raises(DataFileError, match="is a folder"):
            reflect.check_writable(tmp_path)


runner = CliRunner()


class TestNothingSaved:
    """No answer given, no journal made: the command does not say it saved one."""

    def test_all_skipped(self, tmp_path: Path) -> None:
        """Every prompt skipped: no file, and the message says so."""
        answers = tmp_path / "answers.json"
        answers.write_text('["", ""]', "utf-8")
        journal = tmp_path / "journal.json"
        done = runner.invoke(
            app, ["reflect", "--journal", str(journal), "--answers", str(answers),
                  "-n", "2"],
        )  # fmt: skip
        assert done.exit_code == 0, done.output
        assert not journal.exists()
        assert "No answers saved" in done.output
        assert "journal.json was not created" in " ".join(done.output.split())

    def test_end_of_input_at_once(self, tmp_path: Path) -> None:
        """End of input before any answer: no file, and no "saved in" it."""
        journal = tmp_path / "journal.json"
        done = runner.invoke(app, ["reflect", "--journal", str(journal)], input="")
        assert done.exit_code == 0, done.output
        assert not journal.exists()
        assert "saved in" not in done.stderr
        assert "was not created" in " ".join(done.stderr.split())


def test_json_at_end_of_input(tmp_path: Path) -> None:
    """With --json, end of input (status 0) still prints the session as JSON."""
    journal = tmp_path / "journal.json"
    done = runner.invoke(
        app, ["reflect", "--journal", str(journal), "--json"], input="An answer.\n"
    )
    assert done.exit_code == 0, done.output
    # (The test runner echoes typed input to stdout; the JSON follows it.)
    session = json.loads(done.stdout[done.stdout.index("{") :])
    assert session["saved"] == 1
    assert [step["answered"] for step in session["steps"]] == [True]
    assert "End of input" in done.stderr
