"""Reliability, change and HTML report text agree with their counts.

One row, one pair, one scale, one item with no variance, one item whose
r.drop is negative: each is singular ("1 row", "1 pair of answers",
"Cronbach's alpha of 1 scale", "correlates ... but loads", "alpha without
it"), and no sentence says "them" of a single item.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from hypothesis import given

import allykit
from allykit.errors import AllykitWarning
from allykit.scoring import change, reliability
from allykit.scoring._diagnostics import _flat, _signs
from allykit.testing import change_reports, reliability_reports

INVENTORY = allykit.load_instrument("ally-model-reflection")
CONTINUUM = allykit.load_instrument("action-continuum-scenarios")

_ONE_PLURAL = re.compile(
    r"(?<![\d.\-])1 (?:of 1 )?"
    r"(?:rows|pairs|scales|items|ids|repeated ids|answers|people|scores)\b"
)


def _agreement(text: str) -> list[str]:
    """Phrases of *text* where a count of one takes a plural noun."""
    return [m.group() for m in _ONE_PLURAL.finditer(text)]


def _row(instrument: Any, who: str, value: int) -> dict[str, Any]:
    return {"id": who, **{item.id: value for item in instrument.items}}


def test_reliability_of_one_row() -> None:
    """The header of a report of one row says "1 row"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        report = reliability(INVENTORY, [{i.id: 3 for i in INVENTORY.items}])

    assert str(report).splitlines()[1].startswith("1 row, listwise;")


def test_change_of_one_pair() -> None:
    """One pair: "1 row before", and the note says "1 pair", not "1 pair(s)"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        report = change(
            INVENTORY,
            [_row(INVENTORY, "a", 2), _row(INVENTORY, "b", 2)],
            [_row(INVENTORY, who, 4) for who in ("a", "c", "d", "d")],
        )
    text = str(report)

    assert "2 rows before, 4 after, 1 paired; left out: 1 id only before, " in text
    assert "1 id only after, 1 repeated id; a reflective aid" in text
    assert "1 pair scored both times: no interval or effect size" in text
    assert "pair(s)" not in text
    assert _agreement(text) == []


def test_one_quiet_item_correlates_and_loads() -> None:
    """A single item with a negative r.drop and a positive loading: verbs agree."""
    columns = [[1.0, 2, 3, 4, 5], [1.0, 2, 3, 5, 4], [2.0, 1, 3, 4, 5]]
    notes: list[str] = []

    _signs(["a", "b", "c"], columns, [-0.1, 0.5, 0.5], 0.8, notes, [])

    assert notes == [
        (
            "item a (r.drop -0.10) correlates negatively with the rest of the "
            "scale but loads positively on the first principal component"
        )
    ]


def test_no_variance_names_what_alpha_leaves_out() -> None:
    """One flat item: "alpha without it"; two: the sentence says which ones."""
    columns = [[3.0, 3, 3], [4.0, 4, 4], [1.0, 2, 3], [2.0, 3, 5]]
    one: list[str] = []
    two: list[str] = []

    _flat(["a", "b", "c", "d"], columns, 0.5, [0], one, [])
    _flat(["a", "b", "c", "d"], columns, 0.3, [0, 1], two, [])

    assert one[0] == (
        "item a has no variance (every answer is 3); alpha without it is 0.500"
    )
    assert two[:2] == [
        (
            "item a has no variance (every answer is 3); alpha without the 2 "
            "items with no variance is 0.300"
        ),
        (
            "item b has no variance (every answer is 4); alpha without the 2 "
            "items with no variance is 0.300"
        ),
    ]


def test_html_report_of_one_row_and_one_scale() -> None:
    """The page's sentences and figure descriptions agree with one row and scale."""
    pytest.importorskip("matplotlib")
    from allykit.scoring import html_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = html_report(
            CONTINUUM, [_row(CONTINUUM, "a", 4)], before=[_row(CONTINUUM, "a", 3)]
        )

    assert "1 row of answers;" in page
    assert "1 pair of answers; 0 ids only before, 0 only after, " in page
    assert "0 repeated ids left out." in page
    assert "of Position on the action continuum from 1 row:" in page
    assert "Cronbach&#x27;s alpha of 1 scale: none could be computed" in page
    assert "Change in 1 scale between two administrations" in page
    assert _agreement(page) == []


@given(reliability_reports())
def test_reliability_text_agrees(report: Any) -> None:
    """For any reliability report, no count of one takes a plural noun."""
    assert _agreement(str(report)) == []


@given(change_reports())
def test_change_text_agrees(report: Any) -> None:
    """For any change report, no count of one takes a plural noun."""
    assert _agreement(str(report)) == []


def test_waves_summary_of_one_respondent() -> None:
    """One respondent over three waves: "1 respondent gave 3 ... scores"."""
    from allykit.scoring import waves

    administrations = [[_row(CONTINUUM, "a", value)] for value in (2, 3, 4)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = waves(CONTINUUM, administrations)

    assert report.scales[0].summary.startswith(
        "Across 3 waves, 1 respondent gave 3 Position on the action continuum scores;"
    )


def test_change_text_says_what_the_instrument_is() -> None:
    """print(change) shows mean scores, so it says what the instrument is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        report = change(
            INVENTORY,
            [_row(INVENTORY, "a", 2), _row(INVENTORY, "b", 3)],
            [_row(INVENTORY, "a", 4), _row(INVENTORY, "b", 4)],
        )

    assert not report.validated
    assert str(report).splitlines()[1] == (
        "2 rows before, 2 after, 2 paired; a reflective aid, not a validated measure."
    )
    assert type(report).from_json(report.to_json()).to_dict() == report.to_dict()


def test_a_change_report_stored_before_the_status_still_reads() -> None:
    """A stored report without the new fields loads, as a reflective aid's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        report = change(INVENTORY, [_row(INVENTORY, "a", 2)], [_row(INVENTORY, "a", 4)])
    old = report.to_dict()
    del old["validated"], old["published"]

    assert type(report).from_dict(old).to_dict() == report.to_dict()


def test_reliability_figure_describes_only_what_is_drawn() -> None:
    """One row: no alpha and no omega are drawn, and the description says so."""
    pytest.importorskip("matplotlib")
    from allykit.scoring import html_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = html_report(CONTINUUM, [_row(CONTINUUM, "a", 4)])

    alt = page.split("Cronbach&#x27;s alpha of 1 scale", 1)[1].split("</title>")[0]
    assert "omega total as a diamond" not in alt
    assert alt.startswith(
        ": none could be computed, so nothing is drawn (see the notes)"
    )


def test_notes_say_fewer_than_in_words() -> None:
    """The omega note of one row reads "fewer than 2 rows", like the others."""
    pytest.importorskip("scipy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = reliability(
            CONTINUUM, [{i.id: 3 for i in CONTINUUM.items}], omega=True
        )

    notes = [note for entry in report.scales for note in entry.notes]
    assert "omega: undefined, some pairs of items share fewer than 2 rows" in notes
    assert not any(" < " in note for note in notes)
