"""Researcher ergonomics (issue 17, item 8): report forms and accepted inputs."""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest

from allykit.catalog import load_instrument
from allykit.errors import InvalidArgumentError, ReliabilityWarning, ResponseError
from allykit.scoring import reliability, score, score_many
from allykit.surveys import ImportedResponses

# Their data trips psych-style diagnostics on purpose; the notes are
# tested in test_diagnostics.py.
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")

INVENTORY = load_instrument("ally-model-reflection")


def _rows(count: int = 25) -> list[dict[str, object]]:
    rng = random.Random(7)  # noqa: S311 -- made-up answers, not secrets
    return [
        {item.id: rng.randint(1, 5) for item in INVENTORY.items} for _ in range(count)
    ]


with warnings.catch_warnings():
    # Made-up rows: psych-style diagnostics have things to say about them.
    warnings.simplefilter("ignore", ReliabilityWarning)
    REPORT = reliability(INVENTORY, _rows())


def test_str_is_a_short_table() -> None:
    """print(report) shows a table: a line per scale and per item, not a repr."""
    text = str(REPORT)
    lines = text.splitlines()
    assert lines[0] == (
        f"Reliability of ally-model-reflection {INVENTORY.version} "
        f"(content {INVENTORY.content_hash[:12]})"
    )
    assert lines[1] == "25 rows, listwise; a reflective aid, not a validated measure."
    notes = [note for entry in REPORT.scales for note in entry.notes]
    assert notes, "the made-up rows should give the report something to note"
    tables = 2 + 1 + len(REPORT.scales) + 1 + 1 + len(INVENTORY.items)
    assert len(lines) == tables + 2 + len(notes)
    assert lines[tables : tables + 2] == ["", "Notes:"]
    assert "omega" not in lines[2]  # not computed: no column
    assert "ScaleReliability(" not in text
    for entry in REPORT.scales:
        assert any(line.startswith(entry.scale) for line in lines)


def test_to_table_matches_the_report() -> None:
    """to_table() holds the report's numbers, one record per scale or item."""
    table = REPORT.to_table()
    assert [row["scale"] for row in table] == [s.scale for s in REPORT.scales]
    assert [row["alpha"] for row in table] == [s.alpha for s in REPORT.scales]
    items = REPORT.to_table(items=True)
    assert len(items) == len(INVENTORY.items)
    assert {row["item"] for row in items} == {item.id for item in INVENTORY.items}


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_to_frame(backend: str) -> None:
    """to_frame() gives the table as a DataFrame of either library."""
    frame = REPORT.to_frame(backend=backend)
    assert frame.shape == (len(REPORT.scales), 10)  # nine figures, then notes
    assert list(frame["scale"]) == [s.scale for s in REPORT.scales]
    assert REPORT.to_frame(backend=backend, items=True).shape[0] == len(INVENTORY.items)


def test_pandas_frame_names_the_instrument() -> None:
    """A pandas frame carries the instrument's id, version, status and hash."""
    pytest.importorskip("pandas")
    for items in (False, True):
        frame = REPORT.to_frame(items=items)
        assert frame.attrs["allykit.instrument"] == {
            "id": INVENTORY.id,
            "version": INVENTORY.version,
            "validated": False,
            "published": False,
            "status": "a reflective aid, not a validated measure",
            "content_hash": INVENTORY.content_hash,
        }


def test_to_frame_refuses_an_unknown_backend() -> None:
    """Another backend name is refused with the choices."""
    with pytest.raises(InvalidArgumentError, match="'pandas' or 'polars'"):
        REPORT.to_frame(backend="excel")


def test_reliability_accepts_imported_responses() -> None:
    """The importers' own result goes straight to reliability and score_many."""
    rows = _rows()
    imported = ImportedResponses(source="<test>", platform="redcap", rows=tuple(rows))
    assert reliability(INVENTORY, imported) == REPORT
    assert list(score_many(INVENTORY, imported)) == list(score_many(INVENTORY, rows))


def test_numeric_text_says_why() -> None:
    """'4' from a web form is refused with the reason and how to pass 4."""
    with pytest.raises(ResponseError) as caught:
        score(INVENTORY, {"ac-speak-up": "4"})
    message = str(caught.value)
    assert "text is read as a choice label" in message
    assert "pass the number 4 itself" in message


def test_omega_and_notes_print_whole() -> None:
    """With omega computed, print() and to_frame() show it, the loadings and notes."""
    pytest.importorskip("scipy")
    report = reliability(INVENTORY, _rows(), omega=True)
    text = str(report)
    lines = text.splitlines()
    assert lines[2].endswith("omega")
    for entry in report.scales:
        line = next(x for x in lines[3:] if x.startswith(entry.scale))
        assert line.split()[-1] == (
            "-" if entry.omega_total is None else f"{entry.omega_total:.2f}"
        )
        assert line.split()[1:4] == [
            str(entry.n_items),
            str(entry.n_complete),
            str(entry.n_used),
        ]
        for note in entry.notes:
            assert f"- {entry.scale}: {note}" in lines
    frame = report.to_frame()
    assert list(frame["omega_total"]) == [s.omega_total for s in report.scales]
    assert list(frame["notes"]) == ["; ".join(s.notes) for s in report.scales]
    items = report.to_frame(items=True)
    assert list(items["loading"]) == [i.loading for s in report.scales for i in s.items]
    assert "loading" not in REPORT.to_frame(items=True).columns


class TestChangeReportForms:
    """A change report prints as a table, with table and frame forms."""

    def _report(self) -> Any:
        from allykit.scoring import change

        before = [{"who": f"p{n}"} | row for n, row in enumerate(_rows(12))]
        after = [{"who": f"p{n}"} | row for n, row in enumerate(_rows(15)) if n != 3]
        return change(INVENTORY, before, after, id_column="who")

    def test_print_has_no_line_per_person(self) -> None:
        """print() shows the pairing and a line per scale, never one per person."""
        report = self._report()
        text = str(report)
        assert "ScaleChange(" not in text
        assert len(text) < 2000
        assert "p1" not in text  # no respondent's id, let alone their RCI
        lines = text.splitlines()
        assert lines[0] == "Change in ally-model-reflection"
        assert lines[1].startswith("12 rows before, 14 after, 11 paired; left out:")
        for entry in report.scales:
            assert any(line.startswith(entry.scale) for line in lines)

    def test_print_says_where_reliability_came_from(self) -> None:
        """print() shows each scale's s_diff and where its reliability came from."""
        from allykit.scoring import change

        rows = [{"who": f"p{n}"} | row for n, row in enumerate(_rows(12))]
        given: Any
        for given, source in (
            (None, "(alpha of the before answers, for every scale)"),
            (0.8, "(supplied, for every scale)"),
            ({"action": 0.8}, "action: supplied"),
        ):
            report = change(INVENTORY, rows, rows, id_column="who", reliability=given)
            text = str(report)
            assert source in text
            lines = text.splitlines()
            for entry in report.scales:
                line = next(x for x in lines if x.startswith(entry.scale + " "))
                expected = "-" if entry.s_diff is None else f"{entry.s_diff:.2f}"
                assert line.split()[-4] == expected

    def test_table_and_frame(self) -> None:
        """to_table() and to_frame() hold the figures, per scale or per pair."""
        report = self._report()
        table = report.to_table()
        assert [row["scale"] for row in table] == [s.scale for s in report.scales]
        assert [row["mean_change"] for row in table] == [
            s.mean_change for s in report.scales
        ]
        assert all("rci" not in row for row in table)
        pairs = report.to_table(pairs=True)
        assert len(pairs) == sum(s.n_pairs for s in report.scales)
        assert {(r["scale"], r["id"], r["rci"]) for r in pairs} == {
            (s.scale, key, value) for s in report.scales for key, value in s.rci
        }
        for backend in ("pandas", "polars"):
            frame = report.to_frame(backend=backend)
            assert frame.shape[0] == len(report.scales)
            assert report.to_frame(backend=backend, pairs=True).shape == (
                len(pairs),
                3,
            )
        with pytest.raises(InvalidArgumentError, match="backend"):
            report.to_frame(backend="excel")
