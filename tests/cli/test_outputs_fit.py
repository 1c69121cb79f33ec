"""``search`` says how many matches it left out; ``list`` fits any width whole.

Issue 20 item 5: ``search speak`` said "20 matches" when there were 72, and
``list`` broke words at 80 columns.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app

runner = CliRunner()


def test_search_says_how_many_it_left_out() -> None:
    """A limited search names the total and how to see every match."""
    total = len(allykit.search("speak", limit=None))
    assert total > 20
    result = runner.invoke(app, ["search", "speak"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"20 of {total} matches (--limit 0 for all)"
    )
    every = runner.invoke(app, ["search", "speak", "--limit", "0"])
    assert every.stdout.splitlines()[0] == f"{total} matches"
    more = runner.invoke(app, ["search", "speak", "-n", str(total + 5)])
    assert more.stdout.splitlines()[0] == f"{total} matches"


def test_search_shows_the_same_first_hits() -> None:
    """Counting every match does not change which hits are shown, or --json."""
    result = runner.invoke(app, ["search", "speak", "-n", "5", "--json"])
    shown = [row["id"] for row in json.loads(result.stdout)]
    assert shown == [hit.id for hit in allykit.search("speak", limit=5)]


def test_one_match_is_singular() -> None:
    """One match reads "1 match"."""
    assert len(allykit.search("tacit", limit=None)) == 1
    result = runner.invoke(app, ["search", "tacit"])
    assert result.stdout.splitlines()[0] == "1 match"


def _words(text: str) -> set[str]:
    return set(text.replace("…", " ").split())


@pytest.mark.parametrize("width", [30, 40, 60, 72, 80, 100, 120, 200])
@pytest.mark.parametrize("what", ["frameworks", "instruments", "crosswalks"])
def test_list_fits_without_breaking_words(what: str, width: int) -> None:
    """Every line fits, and every id and every word of every name is whole.

    A line may be as long as the longest id when the terminal is narrower.
    """
    rows = json.loads(runner.invoke(app, ["list", what, "--json"]).stdout)
    result = runner.invoke(app, ["list", what], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    longest_id = max(len(row["id"]) + len(" (plugin)") for row in rows)
    for line in lines:
        assert len(line.rstrip()) <= max(width, longest_id), line
    words = _words(result.stdout)
    for row in rows:
        assert row["id"] in words, row["id"]
        for word in row["name"].split():
            assert word in words, (word, width)
