"""A CSV file allykit cannot decode: the error says where, and what to pass.

Every reader of answers (``score``, ``report``) opens CSV through
:class:`allykit.scoring.answers.AnswerFile`; its error names the line and
byte that are not text in the encoding, and a UTF-16 file (Excel's
"Unicode text", PowerShell's default) is named as such.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.cli._app import app

runner = CliRunner()
ITEMS = [item.id for item in load_instrument("ally-model-reflection").items]
HEADER = "who," + ",".join(ITEMS) + "\n"
ANSWERS = ",".join("3" for _ in ITEMS)


def _score(source: Path, *extra: str) -> tuple[int, str]:
    out = source.with_name("out.csv")
    result = runner.invoke(
        app,
        ["score", "ally-model-reflection", str(source), "-o", str(out), *extra],
        env={"COLUMNS": "200"},
    )
    assert not out.exists()
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("rows", [1, 400])
def test_the_line_of_the_first_bad_byte(tmp_path: Path, rows: int) -> None:
    """The line and column named are those of the byte, however far it is."""
    source = tmp_path / "latin.csv"
    good = "".join(f"p{n},{ANSWERS}\n" for n in range(rows))
    source.write_bytes(
        HEADER.encode() + good.encode() + b"J\xe9r\xf4me," + ANSWERS.encode() + b"\n"
    )
    status, text = _score(source, "--id-column", "who")
    assert status == 1, text
    assert f"line {rows + 2}" in text
    assert "byte 2" in text
    assert "0xe9" in text
    assert "--encoding cp1252" in text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_is_named(tmp_path: Path, codec: str) -> None:
    """A UTF-16 file is named as such, with the option that reads it."""
    source = tmp_path / "wide.csv"
    text_bom = "\ufeff" if codec == "utf-16-be" else ""
    source.write_bytes((text_bom + HEADER + f"ana,{ANSWERS}\n").encode(codec))
    status, text = _score(source, "--id-column", "who")
    assert status == 1, text
    assert "UTF-16" in text
    assert "--encoding utf-16" in text
    done = runner.invoke(
        app,
        [
            "score", "ally-model-reflection", str(source), "-o",
            str(tmp_path / "ok.csv"), "--id-column", "who", "--encoding", "utf-16",
        ],
    )  # fmt: skip
    assert done.exit_code == 0, done.output


def test_standard_input_says_how_far_it_read(tmp_path: Path) -> None:
    """A pipe is read once: the error says the line it had reached, from 1."""
    data = (HEADER + f"ana,{ANSWERS}\n").encode() + b"J\xe9r," + ANSWERS.encode()
    result = runner.invoke(
        app,
        ["score", "ally-model-reflection", "-", "-o", str(tmp_path / "o.csv"),
         "--id-column", "who"],
        input=data,
        env={"COLUMNS": "200"},
    )  # fmt: skip
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert "at or after line" in text
    assert "after line 0" not in text
    assert "--encoding cp1252" in text
