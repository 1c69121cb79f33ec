"""Names cannot drive the terminal (issue 21, item 3).

A file named ``x<ESC>[2J.json`` would clear the screen if printed raw; a
plugin's Name or Version with a C1 control (U+009B is CSI) or a bidi override
(U+202E) would act on the terminal or reverse what follows. One
``printable()`` (public, in :mod:`allykit.errors`) escapes them wherever a
name is printed; data texts refuse C1 controls like C0 ones, and names refuse
bidi overrides and isolates.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import allykit
from allykit import DataFileError, Framework
from allykit.catalog import _plugins
from allykit.catalog._plugins import EntryPointInfo
from allykit.cli._app import app
from allykit.errors import printable

runner = CliRunner()

# What must never reach a terminal raw: C0 (but tab/newline in text), DEL,
# C1, bidi embeddings/overrides/isolates, line/paragraph separators.
_DRIVING = {
    *(chr(c) for c in range(32)),
    *(chr(c) for c in range(0x7F, 0xA0)),
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
}


def _raw_controls(text: str, *, lines: bool = True) -> set[str]:
    allowed = {"\n", "\t"} if lines else set()
    return {char for char in text if char in _DRIVING} - allowed


def _framework(framework_id: str = "mine", **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": framework_id,
        "name": "Mine",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
    }
    document.update(changes)
    return document


class TestPrintable:
    @given(st.text())
    def test_nothing_driving_survives(self, text: str) -> None:
        """Whatever the text, the result holds no character that drives a terminal."""
        assert not _raw_controls(printable(text), lines=False)
        assert not _raw_controls(printable(text, lines=True))

    @given(st.text(alphabet=st.characters(exclude_characters=sorted(_DRIVING))))
    def test_ordinary_text_unchanged(self, text: str) -> None:
        """Text without such characters is returned as it is."""
        assert printable(text) == text

    def test_each_kind_escaped(self) -> None:
        """ESC, CSI (C1), a right-to-left override and an isolate: escaped."""
        assert printable("x\x1b[2J.json") == "x\\x1b[2J.json"
        assert printable("a\x9bb") == "a\\x9bb"
        assert printable("evil\u202egnp.json") == "evil\\u202egnp.json"
        assert printable("\u2066x\u2069") == "\\u2066x\\u2069"
        assert printable("one\ntwo") == "one\\ntwo"
        assert printable("one\ntwo", lines=True) == "one\ntwo"


class TestDataRefuses:
    def test_c1_control_in_a_text(self) -> None:
        """A C1 control (U+009B, CSI) in any text is refused like ESC."""
        with pytest.raises(DataFileError, match="U\\+009B"):
            Framework.from_dict(_framework(summary="Clears \x9b2J the screen."))

    def test_del_in_a_text(self) -> None:
        """DEL is refused too."""
        with pytest.raises(DataFileError, match="U\\+007F"):
            Framework.from_dict(_framework(summary="Rubs\x7f out."))

    @pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069"])
    def test_bidi_control_in_a_name(self, char: str) -> None:
        """A direction control in a name is refused, with where and what to do."""
        with pytest.raises(DataFileError) as caught:
            Framework.from_dict(_framework(name=f"Mine{char}enim"))
        (problem,) = caught.value.problems
        assert problem.path == "name"
        assert f"U+{ord(char):04X}" in problem.message
        assert "remove it" in problem.hint

    def test_bidi_in_a_stage_name(self) -> None:
        """Every name field is checked, at its own path."""
        stages = [{"id": "one", "name": "O\u202ene", "position": 1, "summary": "1."}]
        with pytest.raises(DataFileError, match=r"stages\[0\]\.name"):
            Framework.from_dict(_framework(stages=stages))

    def test_bidi_in_running_text_allowed(self) -> None:
        """Running text may use direction controls (right-to-left writing does)."""
        summary = "Quoting \u2067\u05e9\u05dc\u05d5\u05dd\u2069 in a sentence."
        assert Framework.from_dict(_framework(summary=summary)).summary == summary


class TestCommandOutput:
    def test_validate_prints_a_hostile_file_name_escaped(self, tmp_path: Path) -> None:
        """`validate x<ESC>[2J.json`: the name is printed with ESC escaped."""
        path = tmp_path / "x\x1b[2J\u202e.json"
        path.write_text(json.dumps(_framework()), encoding="utf-8")
        bad = tmp_path / "y\x9b2J.json"
        bad.write_text("{}", encoding="utf-8")

        valid = runner.invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
        invalid = runner.invoke(app, ["validate", str(bad)], env={"COLUMNS": "300"})

        assert valid.exit_code == 0, valid.output
        assert "x\\x1b[2J\\u202e.json" in valid.stdout
        # A newline in a name is shown escaped too: one name, one line.
        newline = tmp_path / "two\nlines.json"
        newline.write_text(json.dumps(_framework()), encoding="utf-8")
        named = runner.invoke(app, ["validate", str(newline)], env={"COLUMNS": "300"})
        assert "two\\nlines.json" in named.stdout
        assert invalid.exit_code == 1
        for result in (valid, invalid):
            assert not _raw_controls(result.stdout + result.stderr)

    def test_validate_json_output_escapes(self, tmp_path: Path) -> None:
        """--json output is the same JSON value, with nothing driving left raw."""
        path = tmp_path / "z\x85\u202e.json"
        path.write_text(json.dumps(_framework()), encoding="utf-8")

        result = runner.invoke(app, ["validate", str(path), "--json"])

        assert result.exit_code == 0, result.output
        assert not _raw_controls(result.stdout)
        assert json.loads(result.stdout)["source"] == str(path)


@pytest.fixture(name="hostile_plugin")
def _hostile_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A plugin whose distribution label carries ESC, CSI and a bidi override."""
    folder = tmp_path / "hostile_pkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "hostile-one.json").write_text(
        json.dumps(_framework("hostile-one", summary="A searchable walrus.")),
        encoding="utf-8",
    )
    (folder / "hostile-bad.json").write_text("{not json", encoding="utf-8")
    point = EntryPointInfo(
        name="ev\x1b[2Jil",
        value="hostile_pkg",
        distribution="hostile\u202e 1.0\x9b2J",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        _plugins,
        "_entry_points",
        lambda group: ([point] if group == "allykit.frameworks" else [], []),
    )
    allykit.clear_cache()
    yield
    allykit.clear_cache()


@pytest.mark.usefixtures("hostile_plugin")
@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["search", "walrus"],
        ["search", "walrus", "--json"],
    ],
)
def test_plugin_labels_printed_escaped(command: list[str]) -> None:
    """The list and search commands show the plugin, its labels escaped."""
    result = runner.invoke(app, command, env={"COLUMNS": "300"})

    assert result.exit_code == 0, result.output
    assert "hostile-one" in result.stdout
    assert not _raw_controls(result.stdout + result.stderr)
