"""``allykit score --provenance``: what a scores file rests on, beside it.

A CSV file has no place for metadata, so the instrument's id, version,
content hash and validated status (and the SHA-256 of the files) go to a JSON
record where the person says. These tests hold the record true to the files
and to the summary, free of answers and ids, reproducible, and written all or
nothing with the scores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from allykit.catalog import load_instrument
from allykit.cli._app import app
from allykit.testing import responses_for

runner = CliRunner()
INVENTORY = "ally-model-reflection"
_INSTRUMENT = load_instrument(INVENTORY)
ITEMS = [item.id for item in _INSTRUMENT.items]


def _score(*args: str | Path) -> Result:
    """Run ``allykit score``; the responses' ids are in the column ``who``."""
    words = [str(arg) for arg in args]
    if "--id-column" not in words:
        words += ["--id-column", "who"]
    return runner.invoke(app, ["score", INVENTORY, *words])


def _write(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _responses(folder: Path, answers: list[dict[str, Any]]) -> Path:
    rows: list[list[Any]] = [["who", *ITEMS]]
    for n, given_answers in enumerate(answers):
        cells = [given_answers.get(item, "") for item in ITEMS]
        rows.append([f"person-{n}", *("" if c is None else c for c in cells)])
    return _write(folder / "in.csv", rows)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """Three respondents: numbers, labels, and one with no answers."""
    return _write(
        tmp_path / "in.csv",
        [
            ["who", *ITEMS],
            ["ana", *["4"] * len(ITEMS)],
            ["ben", *["Agree"] * len(ITEMS)],
            ["cy", *[""] * len(ITEMS)],
        ],
    )


class TestRecord:
    def test_names_the_instrument_and_the_files(
        self, tmp_path: Path, source: Path
    ) -> None:
        """Id, version, hash and status of the instrument; both files' SHA-256."""
        out, record = tmp_path / "out.csv", tmp_path / "out.provenance.json"

        result = _score(source, "-o", out, "--id-column", "who", "--provenance", record)

        assert result.exit_code == 0, result.output
        data = json.loads(record.read_text("utf-8"))
        assert data["allykit_provenance"] == 1
        assert data["tool"]["name"] == "allykit-frameworks"
        assert data["instrument"] == {
            "id": INVENTORY,
            "version": _INSTRUMENT.version,
            "validated": False,
            "published": False,
            "status": "a reflective aid, not a validated measure",
            "content_hash": _INSTRUMENT.content_hash,
        }
        assert data["validated"] is False
        assert "not a validated measure" in data["status"]
        assert data["input"] == {
            "path": str(source),
            "format": "csv",
            "sha256": _sha256(source),
        }
        assert data["output"] == {
            "path": str(out),
            "format": "csv",
            "sha256": _sha256(out),
        }
        assert data["options"] == {
            "id_column": "who",
            "columns": None,
            "invalid": "error",
            "keep_formulas": False,
        }
        # (the summary wraps at the terminal's width, inside long paths too)
        assert f"Provenancewrittento{record}" in "".join(result.stdout.split())

    def test_holds_no_answers_or_ids(self, tmp_path: Path, source: Path) -> None:
        """Counts and means only: no respondent id, no single answer."""
        record = tmp_path / "p.json"

        result = _score(
            source, "-o", tmp_path / "out.csv", "--id-column", "who",
            "--provenance", record,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        text = record.read_text("utf-8")
        for person in ("ana", "ben", "cy"):
            assert person not in text
        assert "Agree" not in text

    def test_counts_equal_the_json_summary(self, tmp_path: Path, source: Path) -> None:
        """rows, scored, problems and per-scale figures are the summary's own."""
        record = tmp_path / "p.json"

        result = _score(
            source, "-o", tmp_path / "out.csv", "--json", "--provenance", record,
            "--id-column", "who",
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        data = json.loads(record.read_text("utf-8"))
        assert summary["provenance"] == str(record)
        for key in ("rows", "scored", "answers_treated_as_missing", "scales"):
            assert data[key] == summary[key]
        assert data["instrument"] == summary["instrument"]

    def test_same_run_same_bytes(self, tmp_path: Path, source: Path) -> None:
        """No time stamp: running again gives the same record."""
        record = tmp_path / "p.json"
        args: list[str | Path] = ["-o", tmp_path / "out.csv", "--provenance", record]
        args.append("--force")

        first = _score(source, *args)
        before = record.read_bytes()
        second = _score(source, *args)

        assert first.exit_code == second.exit_code == 0, second.output
        assert record.read_bytes() == before

    def test_parquet_output(self, tmp_path: Path, source: Path) -> None:
        """The record describes a Parquet output too, by its bytes."""
        pytest.importorskip("pyarrow")
        out, record = tmp_path / "out.parquet", tmp_path / "p.json"

        result = _score(source, "-o", out, "--provenance", record)

        assert result.exit_code == 0, result.output
        data = json.loads(record.read_text("utf-8"))
        assert data["output"] == {
            "path": str(out),
            "format": "parquet",
            "sha256": _sha256(out),
        }

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
    def test_input_from_a_pipe_has_no_hash(self, tmp_path: Path, source: Path) -> None:
        """A pipe is read once: its hash is null, not a hash of nothing."""
        pipe = tmp_path / "pipe.csv"
        os.mkfifo(pipe)
        text = source.read_text("utf-8")

        def feed() -> None:
            with pipe.open("w", encoding="utf-8") as handle:
                handle.write(text)

        writer = threading.Thread(target=feed)
        writer.start()
        record = tmp_path / "p.json"
        result = _score(pipe, "-o", tmp_path / "o.csv", "--provenance", record)
        writer.join(timeout=10)

        assert result.exit_code == 0, result.output
        data = json.loads(record.read_text("utf-8"))
        assert data["input"] == {"path": str(pipe), "format": "csv", "sha256": None}


class TestSummaryHint:
    def test_csv_without_a_record_says_how_to_keep_it(
        self, tmp_path: Path, source: Path
    ) -> None:
        """A CSV output cannot carry the status: the summary says so."""
        result = _score(source, "-o", tmp_path / "out.csv")

        assert result.exit_code == 0, result.output
        text = " ".join(result.stdout.split())
        assert "not a validated measure" in text
        assert "--provenance FILE.json" in text
        assert _files(tmp_path) == ["in.csv", "out.csv"]  # nothing else written

    def test_parquet_carries_it_itself(self, tmp_path: Path, source: Path) -> None:
        """Parquet has the instrument in its metadata: no hint."""
        pytest.importorskip("pyarrow")

        result = _score(source, "-o", tmp_path / "out.parquet")

        assert result.exit_code == 0, result.output
        assert "--provenance" not in result.stdout


class TestRefusals:
    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("in.csv", "is a file this run reads"),
            ("out.csv", "must not be the output file"),
            ("p.txt", "name a file ending in .json"),
            ("-", "needs a file name"),
        ],
    )
    def test_bad_record_path(
        self, tmp_path: Path, source: Path, name: str, message: str
    ) -> None:
        """Refused before anything is read or written."""
        record = name if name == "-" else str(tmp_path / name)

        result = _score(source, "-o", tmp_path / "out.csv", "--provenance", record)

        assert result.exit_code == 1
        assert message in " ".join(result.stderr.split())
        assert _files(tmp_path) == ["in.csv"]

    def test_existing_record_needs_force(self, tmp_path: Path, source: Path) -> None:
        """The --force rule of every file the command writes."""
        record = tmp_path / "p.json"
        record.write_text("{}", "utf-8")

        result = _score(source, "-o", tmp_path / "out.csv", "--provenance", record)

        assert result.exit_code == 1
        assert "--force" in result.stderr
        assert record.read_text("utf-8") == "{}"
        assert _files(tmp_path) == ["in.csv", "p.json"]

    def test_failed_run_writes_neither(self, tmp_path: Path) -> None:
        """An unusable answer stops the run: no scores, no record, no temporary."""
        source = _write(
            tmp_path / "in.csv", [["who", *ITEMS], ["a", "banana", *["3"] * 5]]
        )
        record = tmp_path / "p.json"
        record.write_text("old", "utf-8")

        result = _score(
            source, "-o", tmp_path / "out.csv", "--provenance", record, "--force"
        )

        assert result.exit_code == 1
        assert record.read_text("utf-8") == "old"
        assert _files(tmp_path) == ["in.csv", "p.json"]

    def test_nothing_scored_writes_neither(self, tmp_path: Path) -> None:
        """No row with a score: no file at all, status 1."""
        source = _write(tmp_path / "in.csv", [["who", *ITEMS], ["a", *[""] * 6]])

        record = tmp_path / "p.json"
        result = _score(source, "-o", tmp_path / "out.csv", "--provenance", record)

        assert result.exit_code == 1
        assert "no row had enough answers" in result.stderr
        assert _files(tmp_path) == ["in.csv"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    answers=st.lists(responses_for(_INSTRUMENT), min_size=1, max_size=12),
    engine=st.sampled_from(["rows", "auto"]),
)
def test_record_is_true_for_any_answers(
    tmp_path: Path, answers: list[dict[str, Any]], engine: str
) -> None:
    """Whatever the answers: the hashes are the files', the counts the summary's."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = _responses(folder, answers)
    out, record = folder / "out.csv", folder / "p.json"

    result = _score(
        source, "-o", out, "--id-column", "who", "--json", "--engine", engine,
        "--provenance", record,
    )  # fmt: skip

    if result.exit_code:  # no row scored: neither file, never one without the other
        assert _files(folder) == ["in.csv"], result.output
        return
    data = json.loads(record.read_text("utf-8"))
    summary = json.loads(result.stdout)
    assert data["output"]["sha256"] == _sha256(out)
    assert data["input"]["sha256"] == _sha256(source)
    assert data["validated"] is _INSTRUMENT.validated is False
    for key in ("rows", "scored", "answers_treated_as_missing", "scales"):
        assert data[key] == summary[key]
    assert data["rows"] == len(answers)
    assert _files(folder) == ["in.csv", "out.csv", "p.json"]
