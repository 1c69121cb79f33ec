"""The project's own sample export, through the commands the docs show."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.cli._app import app

DATA = Path(__file__).resolve().parents[2] / "docs" / "data"
SAMPLE = DATA / "ally-reflection-redcap.csv"
COLUMNS = DATA / "ally-reflection-redcap-columns.json"

runner = CliRunner()


def test_the_map_names_every_item_once() -> None:
    """The map beside the sample covers the instrument, in the export's order."""
    instrument = load_instrument("ally-model-reflection")
    mapping = json.loads(COLUMNS.read_text(encoding="utf-8"))
    assert list(mapping) == [str(item.id) for item in instrument.items]
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert sorted(mapping.values()) == sorted(h for h in header if h.startswith("amr_"))


@pytest.mark.filterwarnings("ignore::allykit.errors.UnvalidatedInstrumentWarning")
def test_documented_report_command_writes_the_twelve_rows(tmp_path: Path) -> None:
    """docs/cli.md's command: a report of 12 rows, every scale scored."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        [
            "report", "ally-model-reflection", str(SAMPLE),
            "--id-column", "record_id", "--columns", str(COLUMNS), "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "12 rows of answers" in page
    assert "Histogram of 0" not in page
    assert "scores of all 12 rows" in page


@pytest.mark.filterwarnings("ignore::allykit.errors.UnvalidatedInstrumentWarning")
def test_documented_score_command_scores_the_twelve_rows(tmp_path: Path) -> None:
    """The same options through ``score``: 12 rows of scores."""
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app,
        [
            "score", "ally-model-reflection", str(SAMPLE),
            "--id-column", "record_id", "--columns", str(COLUMNS), "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    assert all(row["record_id"] for row in rows)


def test_without_the_map_the_report_is_refused(tmp_path: Path) -> None:
    """Never an empty report: exit status 1 and the columns named."""
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        [
            "report", "ally-model-reflection", str(SAMPLE),
            "--id-column", "record_id", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "amr_01" in result.stderr
    assert not out.exists()
