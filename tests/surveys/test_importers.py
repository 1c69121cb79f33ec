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

import allykit
from allykit import DataFileError, InvalidArgumentError
from allykit.errors import AllykitError
from allykit.surveys import (
    ImportedResponses,
    load_qualtrics_export,
    load_redcap_export,
    load_surveyjs_results,
)

EXPORTS = Path(__file__).parents[1] / "data" / "exports"

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

    def test_integer_too_long_for_int_stays_text(self) -> None:
        """A cell of more digits than int() reads keeps its column as text."""
        huge = "1" * 5000
        export = io.StringIO(f"q1,q2\n{huge},2\n3,4\n")

        imported = load_redcap_export(export, fields={"q1": "a", "q2": "b"})

        assert imported.rows == ({"a": huge, "b": 2}, {"a": "3", "b": 4})

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


# -- with the instrument: N/A codes and allykit's own score fields ------------

_INVENTORY = "ally-model-reflection"


def _inventory() -> Any:
    from allykit import load_instrument

    return load_instrument(_INVENTORY)


def _redcap_raw(header: list[str], *rows: list[Any]) -> io.StringIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return io.StringIO(out.getvalue())


def _raw_fields(prefix: str = "") -> dict[str, str]:
    return {prefix + item.id.replace("-", "_"): item.id for item in _inventory().items}


class TestNACodes:
    def test_redcap_raw_export_of_the_dictionary_scores(self) -> None:
        """A raw export holding na_code 99 scores as the N/A label answers do."""
        from allykit import score
        from allykit.surveys import to_redcap_dictionary

        inventory = _inventory()
        fields = _raw_fields("amr_")
        answers: dict[str, Any] = {item.id: 4 for item in inventory.items}
        answers["ac-use-influence"] = "Does not apply"
        answers["ac-keep-the-peace"] = None
        dictionary = to_redcap_dictionary(inventory, prefix="amr_", na_code=99)
        assert "99, Does not apply" in dictionary
        raw: dict[Any, Any] = {"Does not apply": 99, None: ""}
        cells = {
            field: raw.get(answers[item], answers[item])
            for field, item in fields.items()
        }
        export = _redcap_raw(
            ["record_id", *cells, "amr_action_score", "ally_model_reflection_complete"],
            ["1", *cells.values(), "4", "2"],
        )

        imported = load_redcap_export(
            export,
            fields=fields,
            id_column="record_id",
            instrument=inventory,
            na_codes=[99],
        )

        assert imported.rows[0]["ac-use-influence"] == "Does not apply"
        assert imported.rows[0]["ac-speak-up"] == 4
        assert imported.not_applicable == 1
        assert imported.score_fields == ("amr_action_score",)
        assert score(inventory, imported.rows[0]) == score(inventory, answers)

    def test_without_na_codes_score_rejects_99(self) -> None:
        """Without na_codes the 99 stays a number, which score() refuses (as before)."""
        from allykit import ResponseError, score

        imported = load_redcap_export(
            _redcap_raw(["ac_use_influence"], ["99"]),
            fields={"ac_use_influence": "ac-use-influence"},
        )

        assert imported.rows == ({"ac-use-influence": 99},)
        with pytest.raises(ResponseError, match="not one of the choice values"):
            score(_inventory(), imported.rows[0])

    @pytest.mark.parametrize(
        "code", [99, 99.0, "99", " 99 "], ids=["int", "float", "text", "spaced"]
    )
    def test_numbers_match_by_value(self, code: Any) -> None:
        """99, 99.0 and "99" all match a cell of 99; the column stays numeric."""
        imported = load_redcap_export(
            _redcap_raw(["id", "q"], ["a", "5"], ["b", "99.0"], ["c", ""], ["d", "2"]),
            fields={"q": "ac-speak-up"},
            id_column="id",
            instrument=_inventory(),
            na_codes=[code],
        )

        assert [row["ac-speak-up"] for row in imported.rows] == [
            5,
            "Does not apply",
            None,
            2,
        ]

    def test_text_codes_trimmed_ignoring_case(self) -> None:
        """A text code matches trimmed and ignoring case; the others stay numbers."""
        imported = load_redcap_export(
            _redcap_raw(["q"], ["4"], [" n/a "], ["NA"]),
            fields={"q": "ac-speak-up"},
            instrument=_inventory(),
            na_codes=["N/A", "na"],
        )

        assert [row["ac-speak-up"] for row in imported.rows] == [
            4,
            "Does not apply",
            "Does not apply",
        ]
        assert imported.not_applicable == 2

    def test_numeric_na_value_is_used(self) -> None:
        """An item with numeric N/A codes reads a user code as its first code."""
        from allykit import score

        instrument = _inventory_with_na((-9,))
        fields = {"Q1": "ac-speak-up", "Q2": "ac-keep-the-peace"}
        imported = load_qualtrics_export(
            io.StringIO("Q1,Q2\nOne,Two\n3,-99\n"),
            fields=fields,
            instrument=instrument,
            na_codes=[-99],
        )

        assert imported.rows == ({"ac-speak-up": 3, "ac-keep-the-peace": -9},)
        assert score(instrument, imported.rows[0]).scale("action").not_applicable == 1

    def test_item_without_na_answer_is_a_problem(self) -> None:
        """An N/A code for an item with no N/A answer is located, or kept as is."""
        instrument = _inventory_with_na(())
        fields = {"Q1": "ac-speak-up", "Q2": "ac-keep-the-peace"}
        export = "Q1,Q2\nOne,Two\n3,8\n8,8\n"

        with pytest.raises(DataFileError) as caught:
            load_qualtrics_export(
                io.StringIO(export), fields=fields, instrument=instrument, na_codes=[8]
            )
        lenient = load_qualtrics_export(
            io.StringIO(export),
            fields=fields,
            instrument=instrument,
            na_codes=[8],
            strict=False,
        )

        paths = [problem.path for problem in caught.value.problems]
        assert paths == ["row 4, column 'Q1'", "row 3, column 'Q2'"]
        assert "has no 'does not apply' answer" in str(caught.value)
        assert lenient.rows == (
            {"ac-speak-up": 3, "ac-keep-the-peace": 8},
            {"ac-speak-up": 8, "ac-keep-the-peace": 8},
        )
        assert lenient.not_applicable == 0
        assert "(2 answers)" in lenient.problems[1].message

    def test_surveyjs_withheld_score_is_empty_or_absent(self) -> None:
        """A withheld score ('' once computed, else absent) imports as no score."""
        answers = {"ac-speak-up": 5, "ac-act-with-others": 3}
        imported = load_surveyjs_results(
            [{**answers, "action-score": ""}, answers],
            fields={item: item for item in answers},
            instrument=_inventory(),
            strict=False,
        )

        assert imported.score_fields == ("action-score",)
        assert imported.rows == (answers, answers)
        assert (
            allykit.score(_inventory(), imported.rows[0]).scale("action").score is None
        )

    def test_surveyjs_na_codes(self) -> None:
        """SurveyJS values that are N/A codes read as the item's N/A answer."""
        imported = load_surveyjs_results(
            [{"ac-speak-up": -1}, {"ac-speak-up": "skip"}, {"ac-speak-up": 4}],
            fields={"ac-speak-up": "ac-speak-up"},
            instrument=_inventory(),
            na_codes=[-1, "skip"],
        )

        assert [row["ac-speak-up"] for row in imported.rows] == [
            "Does not apply",
            "Does not apply",
            4,
        ]

    def test_needs_the_instrument(self) -> None:
        """na_codes without instrument= says what to pass."""
        with pytest.raises(InvalidArgumentError, match="needs instrument="):
            load_redcap_export(
                _redcap_raw(["q"], ["99"]), fields={"q": "a"}, na_codes=[99]
            )

    @pytest.mark.parametrize(
        "code", [3, "3", "agree", " Strongly Agree "], ids=["3", "3-text", "a", "sa"]
    )
    def test_code_that_is_an_answer(self, code: Any) -> None:
        """A code that is a choice value or label of an item is refused."""
        with pytest.raises(InvalidArgumentError, match="is an answer of item"):
            load_redcap_export(
                _redcap_raw(["q"], ["3"]),
                fields={"q": "ac-speak-up"},
                instrument=_inventory(),
                na_codes=[code],
            )

    @pytest.mark.parametrize(
        "arguments",
        [
            {"na_codes": [True]},
            {"na_codes": [float("nan")]},
            {"na_codes": [" "]},
            {"na_codes": [None]},
            {"na_codes": 3.5j},
            {"instrument": "ally-model-reflection"},
            {"skip_score_fields": "yes"},
        ],
    )
    def test_malformed_arguments(self, arguments: dict[str, Any]) -> None:
        """Malformed instrument, na_codes or skip_score_fields raise helpfully."""
        given = {"instrument": _inventory(), **arguments}
        with pytest.raises(InvalidArgumentError, match="must be"):
            load_redcap_export(
                _redcap_raw(["q"], ["3"]), fields={"q": "ac-speak-up"}, **given
            )

    def test_fields_are_checked_against_the_instrument(self) -> None:
        """With the instrument, a field mapped to a non-item names the near item."""
        with pytest.raises(InvalidArgumentError) as caught:
            load_surveyjs_results(
                [{"q": 3}], fields={"q": "ac-speak-upp"}, instrument=_inventory()
            )

        message = str(caught.value)
        assert "'q' to 'ac-speak-upp'" in message
        assert "'ac-speak-up'" in message
        assert _INVENTORY in message


def _inventory_with_na(values: tuple[float, ...]) -> Any:
    """The bundled inventory with numeric N/A codes *values* and no N/A labels."""
    import attrs

    inventory = _inventory()
    options = attrs.evolve(
        inventory.response_scale, not_applicable=(), not_applicable_values=values
    )
    return attrs.evolve(inventory, response_scale=options)


class TestScoreFields:
    def test_redcap_score_fields_skipped_with_prefix(self) -> None:
        """The calc fields of the dictionary (with its prefix) are skipped."""
        export = _redcap_raw(
            ["amr_ac_speak_up", "amr_action_score", "amr_self_examination_score"],
            ["5", "5", ""],
        )

        imported = load_redcap_export(
            export, fields={"amr_ac_speak_up": "ac-speak-up"}, instrument=_inventory()
        )

        assert imported.rows == ({"ac-speak-up": 5},)
        assert imported.score_fields == (
            "amr_action_score",
            "amr_self_examination_score",
        )
        assert imported.unknown_fields == ()

    def test_strict_behaviour_kept_on_request(self) -> None:
        """skip_score_fields=False reports them as unknown fields, as before."""
        with pytest.raises(DataFileError, match="column 'action_score'"):
            load_redcap_export(
                _redcap_raw(["ac_speak_up", "action_score"], ["5", "5"]),
                fields={"ac_speak_up": "ac-speak-up"},
                instrument=_inventory(),
                skip_score_fields=False,
            )

    def test_without_instrument_nothing_is_skipped(self) -> None:
        """Without the instrument the importer cannot know the score fields."""
        with pytest.raises(DataFileError, match="column 'action_score'"):
            load_redcap_export(
                _redcap_raw(["ac_speak_up", "action_score"], ["5", "5"]),
                fields={"ac_speak_up": "ac-speak-up"},
            )

    def test_other_scales_are_not_skipped(self) -> None:
        """A *_score field that is not one of the instrument's scales is unknown."""
        lenient = load_redcap_export(
            _redcap_raw(["ac_speak_up", "mood_score"], ["5", "2"]),
            fields={"ac_speak_up": "ac-speak-up"},
            instrument=_inventory(),
            strict=False,
        )

        assert lenient.unknown_fields == ("mood_score",)
        assert lenient.score_fields == ()

    def test_label_export_score_field(self) -> None:
        """In a label export the calc field's label is the header, and is skipped."""
        from allykit.surveys import redcap_score_label

        inventory = _inventory()
        label = redcap_score_label(inventory.scale("action"))
        imported = load_redcap_export(
            _redcap_raw(["I speak up", label], ["Agree", "4.5"]),
            fields={"I speak up": "ac-speak-up"},
            instrument=inventory,
        )

        assert imported.rows == ({"ac-speak-up": "Agree"},)
        assert imported.score_fields == (label,)

    def test_mapped_field_wins(self) -> None:
        """A score-like field mapped to an item is read as that item."""
        imported = load_redcap_export(
            _redcap_raw(["action_score"], ["5"]),
            fields={"action_score": "ac-speak-up"},
            instrument=_inventory(),
        )

        assert imported.rows == ({"ac-speak-up": 5},)
        assert imported.score_fields == ()

    def test_surveyjs_score_values_skipped(self) -> None:
        """The calculated values of to_surveyjs() are skipped; False keeps strict."""
        from allykit.surveys import to_surveyjs

        inventory = _inventory()
        names = [c["name"] for c in to_surveyjs(inventory)["calculatedValues"]]
        results = [{"ac-speak-up": 5, **dict.fromkeys(names, 4)}]

        imported = load_surveyjs_results(
            results, fields={"ac-speak-up": "ac-speak-up"}, instrument=inventory
        )
        with pytest.raises(DataFileError, match="action-score"):
            load_surveyjs_results(
                results,
                fields={"ac-speak-up": "ac-speak-up"},
                instrument=inventory,
                skip_score_fields=False,
            )

        assert imported.score_fields == tuple(names)
        assert imported.rows == ({"ac-speak-up": 5},)
