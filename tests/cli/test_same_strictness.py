"""Strict the same way on every path (issue 17, item 4).

``score`` with and without ``--columns`` refuses the same unknown columns,
writes the id column it is given and exits 1 when nothing was scored; an
instrument naming a framework that does not exist is refused by the API
and by ``validate`` alike.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.catalog import load_instrument
from allykit.cli._app import app

runner = CliRunner()
INVENTORY = "ally-model-reflection"
ITEMS = [item.id for item in load_instrument(INVENTORY).items]


def _csv(path: Path, header: Sequence[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _mapping(folder: Path, count: int = 2) -> Path:
    path = folder / "columns.json"
    mapping = {item: f"Q{number}" for number, item in enumerate(ITEMS[:count], 1)}
    path.write_text(json.dumps(mapping), "utf-8")
    return path


def _score(*args: object) -> list[str]:
    return ["score", INVENTORY, *map(str, args)]


class TestScoreColumns:
    def test_unmapped_column_is_an_error_with_columns(self, tmp_path: Path) -> None:
        """With --columns, a column that is neither mapped nor an item is refused."""
        source = _csv(tmp_path / "in.csv", ["who", "Q1", "Q2"], [["a", 4, 5]])
        out = tmp_path / "out.csv"
        with_map = runner.invoke(
            app,
            _score(source, "-o", out, "--columns", _mapping(tmp_path)),
        )
        assert with_map.exit_code == 1
        assert "column 'who': not an item id" in " ".join(with_map.stderr.split())
        assert not out.exists()

    def test_same_column_same_error_without_columns(self, tmp_path: Path) -> None:
        """Without --columns the same stray column gets the same message."""
        source = _csv(tmp_path / "in.csv", ["who", *ITEMS[:2]], [["a", 4, 5]])
        result = runner.invoke(
            app, ["score", INVENTORY, str(source), "-o", str(tmp_path / "o.csv")]
        )
        assert result.exit_code == 1
        assert "column 'who': not an item id" in " ".join(result.stderr.split())

    def test_id_column_is_written_with_columns(self, tmp_path: Path) -> None:
        """--columns with --id-column scores the mapped items and keeps the id."""
        header = ["who", *(f"Q{n}" for n in range(1, len(ITEMS) + 1))]
        source = _csv(tmp_path / "in.csv", header, [["a", *[4] * len(ITEMS)]])
        out = tmp_path / "out.csv"
        columns = _mapping(tmp_path, len(ITEMS))
        result = runner.invoke(
            app, _score(source, "-o", out, "--id-column", "who", "--columns", columns)
        )
        assert result.exit_code == 0, result.stderr
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["who"] == "a"

    def test_item_named_columns_still_count_with_columns(self, tmp_path: Path) -> None:
        """Columns named after items are used next to the mapped ones."""
        header = ["Q1", "Q2", *ITEMS[2:]]
        source = _csv(tmp_path / "in.csv", header, [[4] * len(header)])
        out = tmp_path / "out.csv"
        result = runner.invoke(
            app,
            _score(source, "-o", out, "--columns", _mapping(tmp_path), "--json"),
        )
        assert result.exit_code == 0, result.stderr
        summary = json.loads(result.stdout)
        assert all(scale["scored"] == 1 for scale in summary["scales"])

    def test_nothing_scored_exits_1_and_writes_nothing(self, tmp_path: Path) -> None:
        """Rows with no usable answer: status 1, a message, no output file."""
        source = _csv(tmp_path / "in.csv", ITEMS[:2], [["", ""], ["", ""]])
        out = tmp_path / "out.csv"
        result = runner.invoke(app, ["score", INVENTORY, str(source), "-o", str(out)])
        assert result.exit_code == 1
        assert "no row had enough answers" in " ".join(result.stderr.split())
        assert not out.exists()

    def test_semicolon_csv_gets_a_hint(self, tmp_path: Path) -> None:
        """A semicolon-separated header is named as such."""
        source = tmp_path / "in.csv"
        source.write_text(";".join(ITEMS[:3]) + "\n4;4;4\n", "utf-8")
        result = runner.invoke(
            app, ["score", INVENTORY, str(source), "-o", str(tmp_path / "o.csv")]
        )
        assert result.exit_code == 1
        assert "separated by semicolons" in " ".join(result.stderr.split())


class TestFrameworkReference:
    def _data(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(load_instrument(INVENTORY).to_json())
        data["id"] = "my-inventory"
        data["framework"] = "ally-modle"
        return data

    def test_api_refuses_unknown_framework(self) -> None:
        """Instrument.from_dict names the field and suggests the right id."""
        with pytest.raises(allykit.DataFileError) as caught:
            allykit.Instrument.from_dict(self._data())
        assert [p.path for p in caught.value.problems] == ["framework"]
        assert "did you mean 'ally-model'" in str(caught.value)

    def test_validate_refuses_unknown_framework(self, tmp_path: Path) -> None:
        """The command reports the same problem and exits 1."""
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(self._data()), "utf-8")
        result = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "200"})
        assert result.exit_code == 1
        assert "framework: no framework has this id" in result.stdout
