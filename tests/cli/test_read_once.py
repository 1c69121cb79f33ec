"""The id column is ``id`` when the file has one, in ``score`` as in ``report``.

Both commands read answers the same way (docs/cli.md), so a file with an
``id`` column is read the same by each. A named pipe is read once, so no
command opens an input twice: not to look for the id column, not
(``validate``) to tell a document's kind before checking it.
"""

from __future__ import annotations

import csv
import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.cli._app import app

runner = CliRunner()
INVENTORY = "ally-model-reflection"
ITEMS = [item.id for item in load_instrument(INVENTORY).items]


def _answers(path: Path, id_name: str = "id") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([id_name, *ITEMS])
        writer.writerow(["007", *(3 for _ in ITEMS)])
        writer.writerow(["ana", *(4 for _ in ITEMS)])
    return path


def test_score_takes_the_id_column(tmp_path: Path) -> None:
    """A column named id is the ids in score, as in report."""
    source = _answers(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", INVENTORY, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "id"
    assert [row[0] for row in rows[1:]] == ["007", "ana"]


def test_another_id_column_still_needs_naming(tmp_path: Path) -> None:
    """Only a column called id is taken unasked."""
    source = _answers(tmp_path / "in.csv", "who")
    result = runner.invoke(
        app, ["score", INVENTORY, str(source), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1
    assert "column 'who'" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("command", ["score", "report"])
def test_a_named_pipe_is_read_once(tmp_path: Path, command: str) -> None:
    """Without --id-column, a pipe is not opened twice (it would wait for ever)."""
    data = _answers(tmp_path / "data.csv", "record").read_bytes()
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as handle:
            handle.write(data)
        # A second reader would wait for ever: give it an end of file.
        for _ in range(20):
            time.sleep(0.1)
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue  # no reader waiting

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = tmp_path / ("out.html" if command == "report" else "out.csv")
    result = runner.invoke(
        app,
        [command, INVENTORY, str(pipe), "-o", str(out), "--ignore", "record"],
    )
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_validate_reads_a_named_pipe_once(tmp_path: Path) -> None:
    """The kind is told from the same read as the check (validate <(curl ...))."""
    pipe = tmp_path / "doc.json"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("wb") as handle:
            handle.write(b'{"id": "x"}')
        for _ in range(20):  # a second reader would wait for ever
            time.sleep(0.1)
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = runner.invoke(app, ["validate", str(pipe)])
    writer.join(timeout=10)
    assert result.exit_code == 1, result.output
    assert "field required" in result.output
    assert "invalid JSON" not in result.output


def test_report_refuses_standard_input_twice(tmp_path: Path) -> None:
    """FILE and --before cannot both be '-': standard input is read once."""
    data = _answers(tmp_path / "data.csv").read_text("utf-8")
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        ["report", INVENTORY, "-", "--before", "-", "-o", str(out)],
        input=data,
    )
    assert result.exit_code == 2, result.output
    assert "standard input" in result.output
    assert "--before" in result.output
    assert not out.exists()


def test_score_refuses_an_existing_output_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --force, nothing is read (not even the header, for the id)."""
    import allykit.scoring.answers as answers_module

    source = _answers(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("keep\n", "utf-8")
    opened: list[object] = []

    class Watched(answers_module.AnswerFile):
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(answers_module, "AnswerFile", Watched)
    result = runner.invoke(app, ["score", INVENTORY, str(source), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "exists" in result.output
    assert opened == []
    assert out.read_text("utf-8") == "keep\n"
