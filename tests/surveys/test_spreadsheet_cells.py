"""No cell of a REDCap dictionary runs as a spreadsheet formula (issue 21, item 4).

A dictionary is often opened in a spreadsheet before it is uploaded. Item
texts, scale names and instrument names that start with ``= + - @`` (or a
tab) used to be written verbatim; now each text cell that would start a
formula begins with an invisible WORD JOINER (REDCap shows the text as
written), and a cell whose first character REDCap reads (choice codes, a
calculation) is kept and named in a warning.
"""

from __future__ import annotations

import csv
import io
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allykit import Instrument
from allykit.catalog import load_instrument
from allykit.errors import AllykitWarning
from allykit.surveys import REDCAP_COLUMNS, to_redcap_dictionary

_STARTS = ("=", "+", "-", "@", "\t", "\r")
_JOINER = "\u2060"


def _instrument(**changes: Any) -> Instrument:
    document = load_instrument("ally-model-reflection").to_dict()
    document["id"] = "formula-test"
    document.update(changes)
    return Instrument.from_dict(document)


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _dictionary(instrument: Instrument) -> tuple[list[list[str]], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = to_redcap_dictionary(instrument)
    return _cells(text), [str(w.message) for w in caught if "formula" in str(w.message)]


def test_header_starts_no_formula() -> None:
    """The header row (fixed column names) starts no formula."""
    assert not [c for c in REDCAP_COLUMNS if c.startswith(_STARTS)]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_texts_made_inert(start: str) -> None:
    """Item text, scale name and instrument name: each cell starts inert."""
    document = load_instrument("ally-model-reflection").to_dict()
    items = document["items"]
    items[0] = {**items[0], "text": f'{start}HYPERLINK("http://x.invalid","y")'}
    scales = document["scales"]
    scales[0] = {**scales[0], "name": f"{start}1+1"}
    rows, notes = _dictionary(
        _instrument(items=items, scales=scales, name=f"{start}cmd|' /C calc'!A0")
    )

    label = REDCAP_COLUMNS.index("Field Label")
    labels = [row[label] for row in rows[1:]]
    assert not [cell for row in rows for cell in row if cell.startswith(_STARTS)]
    assert f'{_JOINER}{start}HYPERLINK("http://x.invalid","y")' in labels
    assert any(cell.startswith(f"{_JOINER}{start}1+1") for cell in labels)
    assert any(cell.startswith(f"{_JOINER}{start}cmd") for cell in labels)
    assert notes == []


def test_negative_choice_codes_kept_silently() -> None:
    """Negative choice codes start the choices cell with '-': a sign, kept as is."""
    document = load_instrument("ally-model-reflection").to_dict()
    scale = document["response_scale"]
    shift = scale["max"] + 1
    scale["choices"] = [
        {**choice, "value": choice["value"] - shift} for choice in scale["choices"]
    ]
    scale["min"] -= shift
    scale["max"] -= shift
    scale.pop("aliases", None)
    rows, notes = _dictionary(_instrument(response_scale=scale, bands=[]))

    choices = REDCAP_COLUMNS.index("Choices, Calculations, OR Slider Labels")
    radio = [row for row in rows[1:] if row[3] == "radio"]
    assert radio
    assert all(row[choices].startswith("-") for row in radio)
    assert notes == []


def test_a_cell_redcap_reads_is_kept_and_named() -> None:
    """A calculation starting like a formula is not changed; a warning names it."""
    from allykit.surveys import redcap

    row = dict.fromkeys(REDCAP_COLUMNS, "")
    row.update(
        {
            "Variable / Field Name": "total",
            "Field Type": "calc",
            "Field Label": "=label",
            "Choices, Calculations, OR Slider Labels": "-[a]+[b]",
        }
    )
    with pytest.warns(AllykitWarning) as caught:
        redcap._neutralise_formulas([row])

    assert row["Choices, Calculations, OR Slider Labels"] == "-[a]+[b]"
    assert row["Field Label"] == _JOINER + "=label"
    message = str(caught[0].message)
    assert "'Choices, Calculations, OR Slider Labels' of 'total'" in message


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet="=+-@\t \"'|abc(),!", min_size=1, max_size=12).filter(
        lambda t: t.strip() and "|" not in t
    )
)
def test_no_text_cell_starts_a_formula(text: str) -> None:
    """Whatever the texts, no cell of a text column starts like a formula."""
    document = load_instrument("ally-model-reflection").to_dict()
    items = document["items"]
    items[1] = {**items[1], "text": text}
    rows, _ = _dictionary(_instrument(items=items, summary=text))
    text_columns = [
        REDCAP_COLUMNS.index(column)
        for column in (
            "Section Header",
            "Field Label",
            "Field Note",
            "Field Annotation",
        )
    ]
    assert not [
        row[index]
        for row in rows
        for index in text_columns
        if row[index].startswith(_STARTS)
    ]
