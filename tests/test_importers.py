"""Tests of the survey-platform importers (REDCap, Qualtrics, SurveyJS)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allykit import (
    DataFileError,
    ImportedResponses,
    InvalidArgumentError,
    load_qualtrics_export,
    load_redcap_export,
    load_surveyjs_results,
)
from allykit.errors import AllykitError

EXPORTS = Path(__file__).parent / "data" / "exports"

# The answers written into every export file (None: blank; "NA": does not apply).
ANSWERS: list[list[Any]] = [
    [4, 5, 4, 3, 2, 1, 4, 3, 4, 4, 5, 2, 2, 4, 3, 4, 3, 4, 2, 2],
    [5, 4, 5, 4, 1, 2, 5, 4, 5, 4, 5, 1, 1, 5, 4, 5, 4, 5, 1, 2],
    [3, 3, None, 3, 3, 3, 3, 2, 3, None, 3, 3, 4, 2, 2, 3, 2, 2, 4, 4],
    [2, 3, 3, 2, 4, 4, 2, 3, 2, 3, 3, 4, 3, 3, None, None, None, None, None, 3],
    [4, 4, 4, 5, 2, 2, 4, 5, 4, 4, 4, 2, 1, 5, 5, 4, 4, 5, 1, 1],
    [5, 5, 4, 4, 1, 1, 5, 4, 4, 5, 5, 1, 2, 4, 3, "NA", 4, 3, 2, 2],
]
ITEMS = [f"item-{n}" for n in range(1, 21)]
IDS = ("101", "102", "103", "104", "105", "106")
LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


def _expected(convert: Callable[[Any], Any]) -> list[dict[str, Any]]:
    return [
        {item: convert(value) for item, value in zip(ITEMS, row, strict=True)}
        for row in ANSWERS
    ]


def _raw(value: Any) -> Any:
    return None if value in {None, "NA"} else value


def _label(value: Any) -> Any:
    if value is None:
        return None
    return "Does not apply" if value == "NA" else LABELS[value]


def _header(name: str) -> list[str]:
    with (EXPORTS / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


class TestRedcap:
    def test_raw_export(self) -> None:
        """A raw REDCap export reads as numbers keyed by item id, blanks as None."""
        fields = {f"amr_{n:02d}": item for n, item in enumerate(ITEMS, start=1)}

        imported = load_redcap_export(
            EXPORTS / "redcap_raw.csv", fields=fields, id_column="record_id"
        )

        assert imported.platform == "redcap"
        assert list(imported.rows) == _expected(_raw)
        assert imported.respondents == IDS
        assert imported.problems == ()

    def test_label_export(self) -> None:
        """A label export keys fields by field label and keeps labels as text."""
        labels = _header("redcap_labels.csv")[3:-1]
        fields = dict(zip(labels, ITEMS, strict=True))

        imported = load_redcap_export(
            EXPORTS / "redcap_labels.csv", fields=fields, id_column="Record ID"
        )

        assert list(imported.rows) == _expected(_label)
        assert imported.respondents == IDS

    def test_unknown_and_missing_reported_at_once(self) -> None:
        """Strict mode lists every unknown column and missing field with its place."""
        fields = {f"amr_{n:02d}": item for n, item in enumerate(ITEMS[:19], start=1)}
        fields["amr_99"] = "item-20"

        with pytest.raises(DataFileError) as caught:
            load_redcap_export(EXPORTS / "redcap_raw.csv", fields=fields)

        paths = [problem.path for problem in caught.value.problems]
        assert paths == [
            "row 1, column 'record_id'",
            "row 1, column 'amr_20'",
            "fields['amr_99']",
        ]
        assert caught.value.source.endswith("redcap_raw.csv")

    def test_lenient_reports_instead(self) -> None:
        """Lenient mode skips unknown columns and reads missing ones as None."""
        fields = {"amr_01": "item-1", "amr_99": "item-2"}

        imported = load_redcap_export(
            EXPORTS / "redcap_raw.csv", fields=fields, strict=False
        )

        assert imported.rows[0] == {"item-1": 4, "item-2": None}
        assert imported.missing_fields == ("amr_99",)
        assert "amr_02" in imported.unknown_fields
        assert "record_id" in imported.unknown_fields
        assert len(imported.problems) == 21
        assert imported.respondents == ()

    def test_ignore_patterns(self) -> None:
        """ignore= takes names and fnmatch patterns."""
        imported = load_redcap_export(
            EXPORTS / "redcap_raw.csv",
            fields={"amr_01": "item-1"},
            ignore=["record_id", "amr_*"],
        )

        assert len(imported) == 6

    def test_ragged_row(self) -> None:
        """A row with the wrong number of cells is reported with its row number."""
        export = io.StringIO("record_id,q1\n1,2\n2,3,4\n")

        with pytest.raises(DataFileError) as caught:
            load_redcap_export(export, fields={"q1": "a"}, id_column="record_id")

        assert caught.value.problems[0].path == "row 3"

    def test_mixed_column_stays_text(self) -> None:
        """A column with any non-number keeps every value as text."""
        export = io.StringIO("q1,q2\n1,2.5\nAgree,3\n , 4\n")

        imported = load_redcap_export(export, fields={"q1": "a", "q2": "b"})

        assert imported.rows == (
            {"a": "1", "b": 2.5},
            {"a": "Agree", "b": 3},
            {"a": None, "b": 4},
        )

    def test_missing_id_column(self) -> None:
        """An id column the export lacks is an error even when lenient."""
        with pytest.raises(DataFileError, match="id_column 'respondent'"):
            load_redcap_export(
                io.StringIO("q1\n1\n"),
                fields={"q1": "a"},
                id_column="respondent",
                strict=False,
            )

    def test_to_columns(self) -> None:
        """to_columns gives an id column then one list per item, for DataFrames."""
        imported = load_redcap_export(
            io.StringIO("id,q1,q2\nx,1,\ny,2,3\n"),
            fields={"q1": "a", "q2": "b"},
            id_column="id",
        )

        assert imported.to_columns(id_column="respondent") == {
            "respondent": ["x", "y"],
            "a": [1, 2],
            "b": [None, 3],
        }


class TestQualtrics:
    def test_numeric_export_by_name_and_import_id(self) -> None:
        """Fields may name a column or its ImportId; metadata columns are ignored."""
        fields = {f"Q1_{n}": item for n, item in enumerate(ITEMS, start=1)}
        fields["QID1_1"] = fields.pop("Q1_1")

        imported = load_qualtrics_export(
            EXPORTS / "qualtrics_values.csv", fields=fields, id_column="ResponseId"
        )

        assert list(imported.rows) == _expected(_raw)
        assert imported.respondents == tuple(f"R_{i}abc" for i in IDS)

    def test_choice_text_export(self) -> None:
        """A choice-text export keeps labels, including 'Does not apply'."""
        fields = {f"QID1_{n}": item for n, item in enumerate(ITEMS, start=1)}

        imported = load_qualtrics_export(EXPORTS / "qualtrics_text.csv", fields=fields)

        assert list(imported.rows) == _expected(_label)

    def test_without_import_id_row(self) -> None:
        """An older export with two header rows starts its data on row 3."""
        export = io.StringIO("ResponseId,Q1\nResponse ID,Question\nR_1,4\nR_2,\n")

        imported = load_qualtrics_export(
            export, fields={"Q1": "a"}, id_column="ResponseId"
        )

        assert imported.rows == ({"a": 4}, {"a": None})

    def test_data_rows_numbered_after_headers(self) -> None:
        """Problems in data rows count the three header rows, as a spreadsheet does."""
        export = io.StringIO('Q1\nText\n{"ImportId":"QID1"}\n4\n5,6\n')

        with pytest.raises(DataFileError) as caught:
            load_qualtrics_export(export, fields={"Q1": "a"})

        assert caught.value.problems[0].path == "row 5"

    def test_missing_question_row(self) -> None:
        """An export cut down to its first header row is refused with a hint."""
        with pytest.raises(DataFileError, match="question-text"):
            load_qualtrics_export(io.StringIO("Q1\n"), fields={"Q1": "a"})

    def test_bad_import_id_cell(self) -> None:
        """A malformed ImportId cell is located by row and column."""
        export = io.StringIO('Q1,Q2\nA,B\n{"ImportId":"QID1"},{"ImportId":3}\n1,2\n')

        with pytest.raises(DataFileError) as caught:
            load_qualtrics_export(export, fields={"Q1": "a", "Q2": "b"})

        assert caught.value.problems[0].path == "row 3, column 2"


class TestSurveyjs:
    def test_results_file(self) -> None:
        """Matrix answers flatten to dotted names; absent questions read as None."""
        raw = json.loads(
            (EXPORTS / "surveyjs_results.json").read_text(encoding="utf-8")
        )
        names = [
            f"{group}.{name}"
            for group in ("self_examination", "awareness", "action")
            for name in raw[0][group]
        ]
        fields = dict(zip(names, ITEMS, strict=True))

        imported = load_surveyjs_results(
            EXPORTS / "surveyjs_results.json", fields=fields, id_column="respondent"
        )

        assert list(imported.rows) == _expected(
            lambda v: "Does not apply" if v == "NA" else v
        )
        assert imported.respondents == IDS

    def test_list_input_and_unknown_field(self) -> None:
        """A list of results is accepted; an unknown name is reported once, located."""
        results = [{"q1": 1, "extra": 2}, {"q1": 2, "extra": 3}]

        with pytest.raises(DataFileError) as caught:
            load_surveyjs_results(results, fields={"q1": "a"})

        assert [p.path for p in caught.value.problems] == ["results[0]['extra']"]

    def test_lenient(self) -> None:
        """Lenient mode reports results without an id and odd entries."""
        results: list[Any] = [{"q1": 1}, "oops", {"q1": "", "who": "b"}]

        imported = load_surveyjs_results(
            results, fields={"q1": "a", "q2": "b"}, id_column="who", strict=False
        )

        assert imported.rows == ({"a": 1, "b": None}, {"a": None, "b": None})
        assert imported.respondents == (None, "b")
        assert imported.missing_fields == ("q2",)
        assert [p.path for p in imported.problems] == [
            "results[0]",
            "results[1]",
            "fields['q2']",
        ]

    def test_not_an_array(self) -> None:
        """A JSON object at the top level is refused with a hint."""
        with pytest.raises(DataFileError, match="JSON array"):
            load_surveyjs_results(io.StringIO('{"results": []}'), fields={"q1": "a"})

    def test_invalid_json(self) -> None:
        """Invalid JSON is a DataFileError with its line and column."""
        with pytest.raises(DataFileError) as caught:
            load_surveyjs_results(io.StringIO("[{]"), fields={"q1": "a"})

        assert caught.value.problems[0].path.startswith("line 1")


class TestArguments:
    @pytest.mark.parametrize(
        "fields",
        [{}, {"q1": ""}, {"q1": "a", "q2": "a"}, {"q1": 3}, ["q1"]],
    )
    def test_bad_field_maps(self, fields: Any) -> None:
        """An empty, non-text or many-to-one field map is an InvalidArgumentError."""
        with pytest.raises(InvalidArgumentError):
            load_redcap_export(io.StringIO("q1\n1\n"), fields=fields)

    def test_bad_source(self) -> None:
        """A source that is neither a path nor a text file is refused."""
        with pytest.raises(InvalidArgumentError):
            load_redcap_export(42, fields={"q1": "a"})  # type: ignore[arg-type]

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A missing file is a DataFileError naming it."""
        with pytest.raises(DataFileError, match="cannot read"):
            load_redcap_export(tmp_path / "nope.csv", fields={"q1": "a"})

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 gets a hint to export it again."""
        path = tmp_path / "latin1.csv"
        path.write_bytes("q1\nd\xe9j\xe0\n".encode("latin-1"))

        with pytest.raises(DataFileError, match="UTF-8"):
            load_redcap_export(path, fields={"q1": "a"})

    def test_empty_file(self) -> None:
        """An empty export has no header row."""
        with pytest.raises(DataFileError, match="no header"):
            load_qualtrics_export(io.StringIO(""), fields={"q1": "a"})

    def test_result_is_frozen(self) -> None:
        """ImportedResponses is immutable."""
        imported = load_redcap_export(io.StringIO("q1\n1\n"), fields={"q1": "a"})

        assert isinstance(imported, ImportedResponses)
        with pytest.raises(AttributeError):
            imported.rows = ()  # type: ignore[misc]


@given(text=st.text(max_size=200), strict=st.booleans())
def test_fuzz_csv(text: str, strict: bool) -> None:
    """Any text given to the CSV importers raises only allykit errors."""
    with contextlib.suppress(AllykitError):
        load_redcap_export(io.StringIO(text), fields={"q1": "a"}, strict=strict)
    with contextlib.suppress(AllykitError):
        load_qualtrics_export(io.StringIO(text), fields={"q1": "a"}, strict=strict)


@given(text=st.text(max_size=200))
def test_fuzz_json(text: str) -> None:
    """Any text given to the SurveyJS importer raises only allykit errors."""
    with contextlib.suppress(AllykitError):
        load_surveyjs_results(io.StringIO(text), fields={"q1": "a"}, strict=False)
