"""A quote that opens a CSV cell and never closes it is an error, not lost rows.

Read leniently, ``"p2,3,3`` swallows every following line into one id
cell: the rows after it vanish and the run reports success. The one reader
of answer files reads CSV strictly, so ``score`` (either engine) and
``report`` stop, naming the line where the cell opens.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.cli._app import app

runner = CliRunner()
ITEMS = [item.id for item in load_instrument("ally-model-reflection").items]
ANSWERS = ",".join("3" for _ in ITEMS)


def _file(folder: Path, stray: str) -> Path:
    lines = ["id," + ",".join(ITEMS)]
    lines += [f"{stray if n == 2 else ''}p{n},{ANSWERS}" for n in range(6)]
    path = folder / "answers.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["score", "--engine", "rows", "-o", "out.csv"],
        ["score", "--engine", "frames", "-o", "out.csv"],
        ["report", "-o", "out.html"],
    ],
)
def test_unclosed_quote_is_an_error(tmp_path: Path, command: list[str]) -> None:
    """Status 1, the line where the quoted cell opens, nothing written."""
    source = _file(tmp_path, '"')
    name, *options = command
    out = tmp_path / options[-1]
    options[-1] = str(out)
    result = runner.invoke(
        app,
        [name, "ally-model-reflection", str(source), *options],
        env={"COLUMNS": "200"},
    )
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert "line 4" in text
    assert "quote" in text
    assert not out.exists()


def test_quoted_cells_still_read(tmp_path: Path) -> None:
    """Quoted cells, with commas or line breaks in them, are read as before."""
    lines = ["id,note," + ",".join(ITEMS)]
    lines += [f'p0,"a, b",{ANSWERS}', f'"p1","two\nlines",{ANSWERS}']
    source = tmp_path / "answers.csv"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        ["score", "ally-model-reflection", str(source), "-o", str(out),
         "--ignore", "note"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Scored 2 rows" in result.output
