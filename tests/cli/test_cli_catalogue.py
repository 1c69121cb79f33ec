"""Tests for ``allykit list``, ``validate`` and ``schema`` over every data kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app

runner = CliRunner()


class TestListKinds:
    @pytest.mark.parametrize(
        ("what", "ids"),
        [
            ("frameworks", allykit.available_frameworks),
            ("instruments", allykit.available_instruments),
            ("crosswalks", allykit.catalog.available_crosswalks),
        ],
    )
    def test_json_lists_every_id(self, what: str, ids: object) -> None:
        """`list WHAT --json` lists every available id of that kind, in order."""
        assert callable(ids)
        result = runner.invoke(app, ["list", what, "--json"])

        assert result.exit_code == 0
        rows = json.loads(result.stdout)
        assert [row["id"] for row in rows] == list(ids())
        assert all(row["source"] for row in rows)

    def test_instruments_table_says_unvalidated(self) -> None:
        """The instrument table shows ids whole and whether each is validated."""
        result = runner.invoke(app, ["list", "instruments"], env={"COLUMNS": "80"})

        assert result.exit_code == 0
        assert "ally-model-reflection" in result.stdout
        assert "validated" in result.stdout
        assert " no " in result.stdout

    def test_crosswalk_rows_name_both_frameworks(self) -> None:
        """The JSON rows of crosswalks name the source and target frameworks."""
        result = runner.invoke(app, ["list", "crosswalks", "--json"])

        row = next(
            r
            for r in json.loads(result.stdout)
            if r["id"] == "ally-model-to-becoming-an-ally"
        )
        assert row["source_framework"] == "ally-model"
        assert row["target_framework"] == "becoming-an-ally"
        assert row["links"] == len(allykit.catalog.load_crosswalk(row["id"]).links)

    def test_unknown_kind(self) -> None:
        """An unknown kind is a usage error naming the choices, not a traceback."""
        result = runner.invoke(app, ["list", "scales"])

        assert result.exit_code == 2
        assert "instruments" in result.output
        assert "Traceback" not in result.output


class TestValidateKinds:
    @pytest.mark.parametrize(
        ("kind", "text"),
        [
            ("framework", lambda: allykit.load_framework("ally-model").to_json()),
            (
                "instrument",
                lambda: allykit.load_instrument("ally-model-reflection").to_json(),
            ),
            (
                "crosswalk",
                lambda: json.dumps(
                    allykit.catalog.load_crosswalk(
                        "ally-model-to-becoming-an-ally"
                    ).to_dict()
                ),
            ),
        ],
    )
    def test_kind_told_from_keys(self, tmp_path: Path, kind: str, text: object) -> None:
        """Each kind of valid file is recognised and reported valid."""
        assert callable(text)
        path = tmp_path / "doc.json"
        path.write_text(text(), "utf-8")

        result = runner.invoke(app, ["validate", str(path), "--json"])

        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["valid"] is True
        assert report["kind"] == kind

    def test_instrument_problems(self, tmp_path: Path) -> None:
        """A broken instrument is checked as an instrument, every problem listed."""
        data = json.loads(allykit.load_instrument("ally-model-reflection").to_json())
        data["items"][0]["scale"] = "no-such-scale"
        del data["citations"]
        path = tmp_path / "inventory.json"
        path.write_text(json.dumps(data), "utf-8")

        result = runner.invoke(app, ["validate", str(path), "--json"])

        assert result.exit_code == 1
        report = json.loads(result.stdout)
        assert report["kind"] == "instrument"
        paths = {problem["path"] for problem in report["problems"]}
        assert "citations" in paths

    def test_explicit_kind_wins(self, tmp_path: Path) -> None:
        """--kind checks the file against that format whatever its keys."""
        path = tmp_path / "model.json"
        path.write_text(allykit.load_framework("ally-model").to_json(), "utf-8")

        result = runner.invoke(app, ["validate", str(path), "--kind", "instrument"])

        assert result.exit_code == 1
        assert "checked against the instrument format" in result.stdout

    def test_not_json(self, tmp_path: Path) -> None:
        """A file that is not JSON is a located problem report, exit status 1."""
        path = tmp_path / "notes.json"
        path.write_text("{not json", "utf-8")

        result = runner.invoke(app, ["validate", str(path)])

        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert "notes.json" in result.stdout
        # Its kind could not be told, so no format is named.
        assert "auto" not in result.stdout


class TestSchemaKinds:
    @pytest.mark.parametrize(
        ("kind", "schema"),
        [
            ("framework", allykit.catalog.framework_json_schema),
            ("instrument", allykit.catalog.instrument_json_schema),
            ("crosswalk", allykit.catalog.crosswalk_json_schema),
            ("history", allykit.reflection.history_json_schema),
        ],
    )
    def test_schema_of_each_kind(self, kind: str, schema: object) -> None:
        """`schema --kind K` prints exactly the library's schema of that format."""
        assert callable(schema)
        result = runner.invoke(app, ["schema", "--kind", kind])

        assert result.exit_code == 0
        assert json.loads(result.stdout) == schema()
