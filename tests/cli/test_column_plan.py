"""The column plan every reader shares: one column per item, one error each.

``score`` and ``report`` read through :func:`allykit.scoring.read_answers`,
whose header check is the one rule tested here through the command.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allykit.cli._app import app

runner = CliRunner()
INVENTORY = "ally-model-reflection"


def _run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, " ".join(result.output.split())


def test_two_items_mapped_to_one_column_is_an_error(tmp_path: Path) -> None:
    """One column's answer is never counted for two items."""
    source = tmp_path / "in.csv"
    source.write_text("who,Q1,Q2\nana,4,2\n", "utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "se-check-first-impressions": "Q1",
                "se-name-my-advantages": "Q1",
                "se-know-my-motives": "Q2",
            }
        ),
        "utf-8",
    )
    out = tmp_path / "out.csv"
    for command in ("score", "report"):
        target = out.with_suffix(".html") if command == "report" else out
        status, text = _run(
            command, INVENTORY, source, "-o", target, "--columns", mapping,
            "--id-column", "who",
        )  # fmt: skip
        assert status == 1, text
        assert "columns['se-name-my-advantages']" in text
        assert "'Q1'" in text
        assert "se-check-first-impressions" in text
        assert not target.exists()


def test_a_column_named_twice_is_one_problem(tmp_path: Path) -> None:
    """A repeated column is reported once, never as "did you mean" itself."""
    source = tmp_path / "in.csv"
    source.write_text(
        "who,se-check-first-impressions,se-check-first-impressions\nana,1,2\n",
        "utf-8",
    )
    status, text = _run(
        "score", INVENTORY, source, "-o", tmp_path / "o.csv", "--id-column", "who"
    )
    assert status == 1, text
    assert "columns named twice: 'se-check-first-impressions'" in text
    assert "1 problem" in text
    assert "did you mean 'se-check-first-impressions'" not in text


def test_an_item_mapped_to_the_id_column_is_an_error(tmp_path: Path) -> None:
    """The ids are never scored as an item's answers: a header problem, once."""
    source = tmp_path / "in.csv"
    source.write_text("who,Q1\nana,4\nben,2\n", "utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps({"se-check-first-impressions": "who", "se-know-my-motives": "Q1"}),
        "utf-8",
    )
    status, text = _run(
        "score", INVENTORY, source, "-o", tmp_path / "o.csv",
        "--columns", mapping, "--id-column", "who",
    )  # fmt: skip
    assert status == 1, text
    assert "1 problem" in text
    assert "columns['se-check-first-impressions']" in text
    assert "'who' is the id column" in text


def test_nameless_columns_can_be_set_aside(tmp_path: Path) -> None:
    """Excel's empty trailing columns: said plainly, and --ignore '' reads on."""
    items = ",".join(f"se-{name}" for name in ("check-first-impressions",))
    source = tmp_path / "in.csv"
    source.write_text(f"who,{items},,\nana,4,,\n", "utf-8")
    status, text = _run(
        "score", INVENTORY, source, "-o", tmp_path / "o.csv", "--id-column", "who"
    )
    assert status == 1, text
    assert "has no name" in text
    assert "--ignore ''" in text
    assert "named twice" not in text
    status, text = _run(
        "score", INVENTORY, source, "-o", tmp_path / "o.csv", "--id-column", "who",
        "--ignore", "",
    )  # fmt: skip
    assert "has no name" not in text
    assert "named twice" not in text


def test_id_column_named_after_an_item_is_an_error(tmp_path: Path) -> None:
    """An item's answers are never the ids: the item would go unscored unsaid."""
    source = tmp_path / "in.csv"
    source.write_text(
        "se-check-first-impressions,se-name-my-advantages\n4,2\n", "utf-8"
    )
    status, text = _run(
        "score", INVENTORY, source, "-o", tmp_path / "o.csv",
        "--id-column", "se-check-first-impressions",
    )  # fmt: skip
    assert status == 1, text
    assert "column 'se-check-first-impressions'" in text
    assert "--id-column" in text
    assert not (tmp_path / "o.csv").exists()


def test_a_columns_map_is_never_read_from_standard_input(tmp_path: Path) -> None:
    """--columns - is refused in words (it said 'No such file or directory')."""
    source = tmp_path / "in.csv"
    source.write_text("who,Q1\nana,4\n", "utf-8")
    for command in ("score", "report"):
        target = tmp_path / ("out.html" if command == "report" else "out.csv")
        status, text = _run(
            command, INVENTORY, source, "-o", target, "--columns", "-",
            "--id-column", "who",
        )  # fmt: skip
        assert status == 1, text
        assert "not from standard input ('-')" in text
        assert "No such file" not in text
        assert not target.exists()


def test_every_python_door_refuses_a_columns_map_from_standard_input() -> None:
    """read_answers, reliability and score_frame say the same of columns='-'."""
    import pandas as pd

    from allykit.catalog import load_instrument
    from allykit.errors import InvalidArgumentError
    from allykit.scoring import reliability
    from allykit.scoring.answers import read_answers
    from allykit.scoring.frames import score_frame

    inventory = load_instrument(INVENTORY)
    rows = [{"who": "a", "Q1": 4}]
    dash: Any = "-"  # reliability() is typed for a mapping; a path is read too
    doors: list[Callable[[], object]] = [
        lambda: read_answers(rows, inventory, columns=dash),
        lambda: reliability(inventory, rows, columns=dash),
        lambda: score_frame(inventory, pd.DataFrame(rows), columns=dash),
    ]
    for door in doors:
        with pytest.raises(InvalidArgumentError, match="not from standard input"):
            door()
