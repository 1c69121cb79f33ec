"""Outputs match what was asked: -o suffix and format agree (issue 17, item 5)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from allykit.cli._app import app

runner = CliRunner()


def test_html_suffix_gives_html(tmp_path: Path) -> None:
    """-o sheet.html without --format writes HTML, not Markdown."""
    target = tmp_path / "sheet.html"
    result = runner.invoke(
        app, ["export", "worksheet", "ally-model", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_md_suffix_gives_markdown(tmp_path: Path) -> None:
    """-o sheet.md writes Markdown."""
    target = tmp_path / "sheet.md"
    result = runner.invoke(
        app, ["export", "worksheet", "ally-model", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert not target.read_text("utf-8").startswith("<")


def test_mismatch_is_refused(tmp_path: Path) -> None:
    """--format md with -o sheet.html is refused, and nothing is written."""
    target = tmp_path / "sheet.html"
    result = runner.invoke(
        app, ["export", "worksheet", "ally-model", "-f", "md", "-o", str(target)]
    )
    assert result.exit_code == 1
    assert "does not match" in result.stderr
    assert not target.exists()


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    """A .pdf worksheet cannot be written: say which suffixes work."""
    result = runner.invoke(
        app, ["export", "worksheet", "ally-model", "-o", str(tmp_path / "s.pdf")]
    )
    assert result.exit_code == 1
    assert ".md or .html" in result.stderr


def test_survey_forms_check_their_suffix(tmp_path: Path) -> None:
    """SurveyJS is .json and REDCap .csv: another suffix is refused."""
    surveyjs = runner.invoke(
        app,
        ["export", "surveyjs", "ally-model-reflection", "-o", str(tmp_path / "f.csv")],
    )
    redcap = runner.invoke(
        app,
        ["export", "redcap", "ally-model-reflection", "-o", str(tmp_path / "f.json")],
    )
    assert surveyjs.exit_code == redcap.exit_code == 1
    assert "name a .json file" in surveyjs.stderr
    assert "name a .csv file" in redcap.stderr
