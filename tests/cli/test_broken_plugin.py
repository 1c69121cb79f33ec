"""One broken plugin never hides the rest (issue 17, item 3, the command's side).

``list`` and ``search`` show what is valid and report each broken file on
one line; plugin warnings read like every other message, with no Python
warning line or site-packages path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import allykit
from allykit.catalog import _plugins
from allykit.catalog._plugins import EntryPointInfo
from allykit.cli import main
from allykit.cli._app import app

runner = CliRunner()


def _framework(framework_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": framework_id,
        "name": "A plugin framework",
        "summary": "Written for the tests about a searchable zebra.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [
            {"id": "one", "name": "Zebra one", "position": 1, "summary": "One."}
        ],
    }
    document.update(changes)
    return document


@pytest.fixture(name="plugins")
def _plugins_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[EntryPointInfo]]:
    points: list[EntryPointInfo] = []
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        _plugins,
        "_entry_points",
        lambda group: (list(points) if group == "allykit.frameworks" else [], []),
    )
    allykit.clear_cache()
    yield points
    allykit.clear_cache()


def _package(root: Path, name: str, documents: dict[str, Any]) -> EntryPointInfo:
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for file_name, document in documents.items():
        text = document if isinstance(document, str) else json.dumps(document)
        (folder / file_name).write_text(text, encoding="utf-8")
    return EntryPointInfo(name=name, value=name, distribution=f"{name} 1.0")


@pytest.fixture(name="one_broken")
def _one_broken(plugins: list[EntryPointInfo], tmp_path: Path) -> None:
    plugins.append(
        _package(
            tmp_path,
            "zebra_data",
            {
                "zebra-good.json": _framework("zebra-good"),
                "zebra-bad.json": _framework("zebra-bad", kind="ladder"),
                "zebra-broken.json": "{not json",
            },
        )
    )


@pytest.mark.usefixtures("one_broken")
class TestOneBroken:
    def test_list_shows_the_valid_and_reports_the_broken(self) -> None:
        """The valid plugin framework is listed; each broken file gets one line."""
        result = runner.invoke(app, ["list"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert "zebra-good (plugin)" in result.stdout
        assert "ally-model" in result.stdout
        warnings = result.stderr.splitlines()
        assert len(warnings) == 2
        assert all(
            line.startswith("allykit: warning: ") and "skipped" in line
            for line in warnings
        )
        assert any("zebra-bad.json" in line for line in warnings)
        assert any("zebra-broken.json" in line for line in warnings)

    def test_list_json_has_the_valid(self) -> None:
        """--json lists the valid documents; stdout stays JSON."""
        result = runner.invoke(app, ["list", "--json"])
        assert result.exit_code == 0
        ids = [row["id"] for row in json.loads(result.stdout)]
        assert "zebra-good" in ids
        assert "zebra-bad" not in ids

    def test_search_finds_in_the_valid(self) -> None:
        """Search still finds hits in the valid plugin and the bundled data."""
        result = runner.invoke(app, ["search", "zebra"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert "zebra-good" in result.stdout
        assert "allykit: warning: " in result.stderr
        assert "skipped" in result.stderr
        assert "Traceback" not in result.stderr


def test_plugin_warning_reads_like_a_message(
    plugins: list[EntryPointInfo],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A conflict warning is one "allykit: warning:" line, not a Python warning."""
    plugins.append(
        _package(tmp_path, "shadow_data", {"ally-model.json": _framework("ally-model")})
    )
    assert main(["list"]) == 0  # the command's own entry point, as installed
    stderr = capsys.readouterr().err
    lines = stderr.splitlines()
    assert lines
    assert lines[0].startswith("allykit: warning: ")
    assert "id 'ally-model'" in lines[0]
    assert "PluginWarning" not in stderr
    assert ".py:" not in stderr
