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


_SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "data"


def _suffix_cases(tmp: Path) -> list[tuple[list[str], Path, str]]:
    """Each command that writes one format, with an output named for another."""
    answers = tmp / "answers.json"
    answers.write_text("{}", "utf-8")
    return [
        (
            [
                "report", "ally-model-reflection",
                str(_SAMPLE / "ally-reflection-redcap.csv"),
                "--id-column", "record_id",
                "--columns", str(_SAMPLE / "ally-reflection-redcap-columns.json"),
                "-o", str(tmp / "report.csv"),
            ],
            tmp / "report.csv",
            "name a .html or .htm file",
        ),
        (
            [
                "assess", "ally-model-reflection", "--answers", str(answers),
                "--save", str(tmp / "scores.csv"),
            ],
            tmp / "scores.csv",
            "name a .json file",
        ),
        (
            ["map", "--answers", str(answers), "--save", str(tmp / "map.html")],
            tmp / "map.html",
            "name a .json file",
        ),
        (
            ["schema", "-o", str(tmp / "schema.yaml")],
            tmp / "schema.yaml",
            "name a .json file",
        ),
    ]  # fmt: skip


def test_every_single_format_output_checks_its_suffix(tmp_path: Path) -> None:
    """report, assess --save, map --save and schema -o refuse another suffix.

    The rule of export: a file named for another format is refused before
    anything is read or asked, and nothing is written.
    """
    for args, target, expected in _suffix_cases(tmp_path):
        result = runner.invoke(app, args)

        assert result.exit_code == 1, (args, result.output)
        assert expected in " ".join(result.stderr.split()), (args, result.stderr)
        assert not target.exists()


def test_a_name_without_a_suffix_is_taken_as_given(tmp_path: Path) -> None:
    """An output named without a suffix is written (the suffix rule is silent)."""
    target = tmp_path / "schema"
    result = runner.invoke(app, ["schema", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8").startswith("{")
