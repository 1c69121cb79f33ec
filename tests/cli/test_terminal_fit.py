"""A command that fits a terminal and a pipe (issue 17, item 6)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app

runner = CliRunner()
NARROW = {"COLUMNS": "80"}
DATA = Path(allykit.__file__).parent / "data"

COMMANDS = [
    [],
    ["tour"],
    ["list"],
    ["show"],
    ["search"],
    ["reflect"],
    ["assess"],
    ["map"],
    ["score"],
    ["validate"],
    ["schema"],
    ["bundle"],
    ["export"],
    ["export", "worksheet"],
    ["export", "surveyjs"],
    ["export", "redcap"],
    ["export", "reproschema"],
]


def test_version() -> None:
    """--version prints the installed version."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"allykit {allykit.__version__}\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_is_plain(command: list[str]) -> None:
    """-h works like --help; no reST markup, no Python type placeholders."""
    short = runner.invoke(app, [*command, "-h"], env=NARROW)
    long = runner.invoke(app, [*command, "--help"], env=NARROW)
    assert short.exit_code == 0
    assert short.stdout == long.stdout
    text = short.stdout
    assert "``" not in text
    assert not re.search(r":(func|class|meth|mod):", text)
    assert not re.search(r"<(str|path|int|float|int range|list\[[a-z]+\])>", text)
    assert "{" not in text.splitlines()[0], "usage line shows names, not {NAME}"
    assert max(map(len, text.splitlines())) <= 80


def test_search_fits_80_columns() -> None:
    """Every line of search output fits 80 columns, and ids are whole."""
    result = runner.invoke(app, ["search", "awareness", "-n", "0"], env=NARROW)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    for hit in allykit.search("awareness"):
        assert any(line.startswith(hit.id + " ") for line in lines)


def test_wrapped_lines_keep_their_indent() -> None:
    """In the tour, a stage's wrapped summary lines keep the indent."""
    result = runner.invoke(app, ["tour"], env=NARROW)
    model = allykit.load_framework("ally-model")
    lines = result.stdout.splitlines()
    start = lines.index(f"1. {model.stages[0].name}")
    summary = []
    for line in lines[start + 1 :]:
        if not line.startswith("   "):
            break
        summary.append(line)
    assert len(summary) >= 2, "the summary wraps at 80 columns"
    assert all(line.startswith("   ") and not line.endswith(" ") for line in summary)


def test_tour_commands_are_whole_lines() -> None:
    """Each command the tour suggests is on a line of its own, unbroken."""
    result = runner.invoke(app, ["tour"], env={"COLUMNS": "40"})
    lines = [line.strip() for line in result.stdout.splitlines()]
    for command in (
        "allykit export worksheet ally-model --format html -o sheet.html",
        "allykit reflect --journal my-journal.json",
        "allykit assess ally-model-reflection",
    ):
        assert command in lines


def test_validate_several_files(tmp_path: Path) -> None:
    """The validate command takes several files, reports each, exits 1 if any is bad."""
    good = DATA / "frameworks" / "ally-model.json"
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "Bad"}', "utf-8")
    result = runner.invoke(app, ["validate", str(good), str(bad)], env=NARROW)
    assert result.exit_code == 1
    assert "valid framework" in result.stdout
    assert "bad.json" in result.stdout
    assert "2 files checked, 1 with problems" in result.stdout
    ok = runner.invoke(app, ["validate", str(good), str(good), "--json"])
    assert ok.exit_code == 0


def test_python_dash_m_passes_arguments() -> None:
    """Running python -m allykit ARGS is the allykit command with ARGS."""
    result = subprocess.run(
        [sys.executable, "-m", "allykit", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"allykit {allykit.__version__}"


@pytest.mark.parametrize(
    "args",
    [["list"], ["schema"], ["show", "ally-model", "--json"], ["tour"], ["--help"]],
    ids=" ".join,
)
def test_closed_pipe_prints_no_traceback(args: list[str]) -> None:
    """Output into a pipe whose reader has gone (| head) ends quietly."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(  # noqa: S603 -- our own interpreter
            [sys.executable, "-m", "allykit", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == 1
