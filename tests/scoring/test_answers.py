"""One reader of answers (``allykit.scoring.answers``), the same through every door.

A file, a pandas or polars frame and plain rows holding the same table give
the same answers, the same errors and the same warnings, whether read by
``read_answers``, scored by ``html_report`` or paired by ``change``. Each
example of issue #20 item 1 has a test here (through Python) or in
``tests/cli/test_doors.py`` (through the command).
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allykit.catalog import load_instrument
from allykit.errors import (
    AllykitError,
    AllykitWarning,
    AnswersError,
    DataFileError,
    ResponseError,
)
from allykit.scoring import change, html_report, reliability
from allykit.scoring.answers import (
    HOUSEKEEPING,
    MAX_LINE_CHARS,
    Answers,
    id_key,
    read_answers,
)
from allykit.testing import answer_tables

INVENTORY = load_instrument("ally-model-reflection")
ITEMS = [str(item.id) for item in INVENTORY.items]
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "data"
REDCAP = SAMPLE / "ally-reflection-redcap.csv"
FIELDS: dict[str, str] = {
    str(item): f"amr_{n:02d}" for n, item in enumerate(ITEMS, start=1)
}


def _csv(path: Path, rows: list[dict[str, Any]], encoding: str = "utf-8") -> Path:
    header = list(rows[0]) if rows else ["who"]
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in header])
    return path


def _where(error: AnswersError) -> list[str]:
    """Each problem's row and column, without the file's line numbers."""
    return [re.sub(r" \(line \d+\)", "", p.path) for p in error.problems]


def _read(source: Any, invalid: Any) -> tuple[Any, ...]:
    """What read_answers gives: the answers, ids and problems, or the error."""
    try:
        got = read_answers(source, INVENTORY, id_column="who", invalid=invalid)
    except AnswersError as error:
        return ("error", _where(error))
    return (
        "answers",
        [dict(r) for r in got.rows],
        [id_key(i) for i in got.ids or ()],
        [re.sub(r" \(line \d+\)", "", p.path) for p in got.problems],
    )


def _doors(rows: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """The same table as rows, a pandas frame, a polars frame and a CSV file."""
    import pandas as pd
    import polars as pl

    columns = list(rows[0])
    return {
        "rows": rows,
        "pandas": pd.DataFrame(rows, columns=columns),
        "polars": pl.DataFrame({c: [r[c] for r in rows] for c in columns}),
        "file": _csv(folder / "answers.csv", rows),
    }


class TestSameThroughEveryDoor:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        rows=answer_tables(INVENTORY, bad=True),
        invalid=st.sampled_from(["raise", "missing"]),
    )
    def test_rows_frames_and_files_read_alike(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        rows: list[dict[str, Any]],
        invalid: str,
    ) -> None:
        """Same answers, ids and problems (or the same error) from every source."""
        folder = tmp_path_factory.mktemp("doors")
        results: dict[str, Any] = {}
        for name, source in _doors(rows, folder).items():
            results[name] = _read(source, invalid)
        first = results["rows"]
        assert all(result == first for result in results.values()), results

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(rows=answer_tables(INVENTORY, bad=True))
    def test_report_and_change_refuse_what_the_reader_refuses(
        self, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]
    ) -> None:
        """Every door, the frame functions too, raises the reader's error."""
        folder = tmp_path_factory.mktemp("doors")
        source = _csv(folder / "answers.csv", rows)
        try:
            read_answers(source, INVENTORY, id_column="who")
        except AnswersError as error:
            expected: list[str] | None = _where(error)
        else:
            expected = None
        import pandas as pd
        import polars as pl

        from allykit.scoring.frames import score_frame

        for door in (
            lambda: reliability(INVENTORY, rows, id_column="who"),
            lambda: html_report(INVENTORY, source, id_column="who"),
            lambda: change(INVENTORY, source, rows, id_column="who", reliability=0.8),
            # The frame functions, vectorised, give the reader's problems too.
            lambda: score_frame(INVENTORY, pd.DataFrame(rows), id_column="who"),
            lambda: reliability(INVENTORY, pl.DataFrame(rows), id_column="who"),
        ):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    door()
                except AnswersError as error:
                    assert _where(error) == expected
                except Exception:  # noqa: BLE001 -- only the reader's errors matter here
                    assert expected is None
                else:
                    assert expected is None


class TestEveryProblemAtOnce:
    def test_four_bad_cells_in_four_rows(self) -> None:
        """Each bad cell is named by row and column, with its value."""
        rows = [{"ac-speak-up": value} for value in (7, "maybe", 3.5, 0)]

        with pytest.raises(AnswersError) as caught:
            read_answers(rows, INVENTORY)

        assert [p.path for p in caught.value.problems] == [
            f"row {n}, column 'ac-speak-up'" for n in range(1, 5)
        ]
        assert [p.value for p in caught.value.problems] == ["7", "'maybe'", "3.5", "0"]
        assert isinstance(caught.value, DataFileError)
        assert isinstance(caught.value, ResponseError)

    def test_a_long_list_ends_with_a_count(self) -> None:
        """A long list ends with a count."""
        rows = [{"ac-speak-up": 9} for _ in range(57)]

        with pytest.raises(AnswersError) as caught:
            read_answers(rows, INVENTORY)

        assert len(caught.value.problems) == 21
        assert caught.value.problems[-1].path == "... and 37 more"

    def test_missing_policy_keeps_the_rest_and_lists_the_bad(self) -> None:
        """Missing policy keeps the rest and lists the bad."""
        rows = [{"ac-speak-up": 7, "ac-act-with-others": 4}]

        got = read_answers(rows, INVENTORY, invalid="missing")

        assert got.rows == ({"ac-act-with-others": 4},)
        assert [p.path for p in got.problems] == ["row 1, column 'ac-speak-up'"]

    def test_misspelt_column_gets_a_suggestion(self) -> None:
        """A misspelt column is never silently dropped (it used to empty a scale)."""
        with pytest.raises(AnswersError, match="did you mean 'ac-speak-up'"):
            read_answers([{"ac-speakup": 3}], INVENTORY)

    def test_misspelt_id_column_and_map(self) -> None:
        """Misspelt id column and map."""
        with pytest.raises(AnswersError) as caught:
            read_answers(
                [{"record_id": 1, "q1": 3}],
                INVENTORY,
                id_column="recordid",
                columns={"ac-speakup": "q1"},
            )
        text = str(caught.value)
        assert "did you mean 'record_id'" in text
        assert "did you mean 'ac-speak-up'" in text

    @pytest.mark.parametrize("kind", ["rows", "pandas", "polars"])
    def test_one_column_for_two_items_or_the_id_is_refused(self, kind: str) -> None:
        """One answer never counts for two items, nor is the id column scored."""
        import pandas as pd
        import polars as pl

        from allykit.scoring.frames import score_frame

        rows = [{"who": "a", "q1": 3}, {"who": "b", "q1": 4}]
        source: Any = {
            "rows": rows,
            "pandas": pd.DataFrame(rows),
            "polars": pl.DataFrame(rows),
        }[kind]
        columns = {
            "ac-speak-up": "q1",
            "ac-use-influence": "q1",
            "ac-keep-the-peace": "who",
        }
        doors: list[Any] = [
            lambda: read_answers(source, INVENTORY, id_column="who", columns=columns),
            lambda: reliability(INVENTORY, source, id_column="who", columns=columns),
        ]
        if kind != "rows":
            doors.append(
                lambda: score_frame(INVENTORY, source, id_column="who", columns=columns)
            )
        for door in doors:
            with pytest.raises(AnswersError) as caught:
                door()
            assert [(p.path, p.message) for p in caught.value.problems] == [
                (
                    "columns['ac-use-influence']",
                    "column 'q1' is mapped to item 'ac-speak-up' too",
                ),
                ("columns['ac-keep-the-peace']", "column 'who' is the id column"),
            ]


class TestExports:
    def test_redcap_sample_without_a_map_is_a_clear_error(self) -> None:
        """The sample's columns are amr_01...: a clear error, not an empty result."""
        with pytest.raises(AnswersError, match="no column is named after an item"):
            read_answers(REDCAP, INVENTORY, id_column="record_id")

    def test_redcap_sample_with_a_map(self) -> None:
        """REDCap's identifier, *_timestamp and *_complete are set aside by name."""
        got = read_answers(REDCAP, INVENTORY, id_column="record_id", columns=FIELDS)

        assert len(got) == 12
        assert got.ids is not None
        assert got.ids[0] == "201"
        assert got.ignored == (
            "redcap_survey_identifier",
            "ally_reflection_timestamp",
            "ally_reflection_complete",
        )
        assert "redcap_event_name" not in got.columns.values()
        assert any(p == "redcap_*" for p in HOUSEKEEPING)

    def test_qualtrics_extra_header_rows(self, tmp_path: Path) -> None:
        """Qualtrics extra header rows."""
        path = tmp_path / "qualtrics.csv"
        path.write_text(
            "StartDate,EndDate,Status,ResponseId,Duration (in seconds),ac-speak-up\n"
            "Start Date,End Date,Response Type,Response ID,Duration,I speak up\n"
            '{"ImportId":"startDate"},{"ImportId":"endDate"},{"ImportId":"status"},'
            '{"ImportId":"_recordId"},{"ImportId":"duration"},{"ImportId":"QID1"}\n'
            "2026-01-01,2026-01-01,0,R_1,30,4\n",
            "utf-8",
        )

        got = read_answers(path, INVENTORY, id_column="ResponseId")

        assert got.rows == ({"ac-speak-up": 4},)
        assert got.ids == ("R_1",)

    def test_ignore_sets_other_columns_aside(self) -> None:
        """Ignore sets other columns aside."""
        got = read_answers(
            [{"note_1": "x", "ac-speak-up": 3}], INVENTORY, ignore=["note_*"]
        )
        assert got.ignored == ("note_1",)


class TestFiles:
    def test_utf8_with_bom_and_declared_cp1252(self, tmp_path: Path) -> None:
        """Utf8 with bom and declared cp1252."""
        rows = [{"who": "Zoë", "ac-speak-up": "Agree"}]
        bom = _csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
        excel = _csv(tmp_path / "excel.csv", rows, encoding="cp1252")

        assert read_answers(bom, INVENTORY, id_column="who").ids == ("Zoë",)
        assert read_answers(
            excel, INVENTORY, id_column="who", encoding="cp1252"
        ).ids == ("Zoë",)

    def test_cp1252_undeclared_names_the_option(self, tmp_path: Path) -> None:
        """Cp1252 undeclared names the option."""
        excel = _csv(
            tmp_path / "excel.csv", [{"who": "Zoë", "ac-speak-up": 3}], "cp1252"
        )

        with pytest.raises(DataFileError, match="--encoding cp1252"):
            read_answers(excel, INVENTORY, id_column="who")

    def test_parquet(self, tmp_path: Path) -> None:
        """Parquet."""
        import pandas as pd

        path = tmp_path / "answers.parquet"
        pd.DataFrame({"who": ["a"], "ac-speak-up": [4]}).to_parquet(path)

        got = read_answers(path, INVENTORY, id_column="who")

        assert got.rows == ({"ac-speak-up": 4},)

    def test_a_200_kb_cell_is_an_allykit_error(self, tmp_path: Path) -> None:
        """A 200 kb cell is an allykit error."""
        path = tmp_path / "big.csv"
        path.write_text("ac-speak-up\n" + "x" * 200_000 + "\n", "utf-8")

        with pytest.raises(DataFileError, match="longer than"):
            read_answers(path, INVENTORY)

    @pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
    def test_dev_zero_is_not_read_for_ever(self, tmp_path: Path) -> None:
        """A device is read a line at a time, and a line is capped."""
        zero = tmp_path / "zero.csv"
        zero.symlink_to("/dev/zero")

        with pytest.raises(
            DataFileError, match=re.escape(f"longer than {MAX_LINE_CHARS:,}")
        ):
            read_answers(zero, INVENTORY)
        with pytest.raises(AllykitError, match=r"use \.csv or \.parquet"):
            read_answers("/dev/zero", INVENTORY)

    def test_a_symlink_loop_names_the_file(self, tmp_path: Path) -> None:
        """A symlink loop names the file."""
        loop = tmp_path / "loop.csv"
        loop.symlink_to(loop)

        with pytest.raises(DataFileError, match=r"loop\.csv"):
            read_answers(loop, INVENTORY)


class TestFrames:
    def test_nan_from_read_csv_is_missing(self, tmp_path: Path) -> None:
        """NaN from read_csv is missing for change, as for score_frame.

        change() called it "not an answer".
        """
        import pandas as pd

        path = tmp_path / "a.csv"
        path.write_text(
            "id,ac-speak-up,ac-act-with-others\n1,4,\n,3,2\n3,,5\n", "utf-8"
        )
        frame = pd.read_csv(path)

        got = read_answers(frame, INVENTORY, id_column="id")
        report = change(INVENTORY, frame, frame, reliability=0.8)

        assert got.rows[0] == {"ac-speak-up": 4}
        assert report.n_pairs == 2

    def test_duplicate_frame_columns(self) -> None:
        """Duplicate frame columns."""
        import pandas as pd

        frame = pd.DataFrame([[1, 2]], columns=["ac-speak-up", "ac-speak-up"])

        with pytest.raises(AnswersError, match="columns named twice"):
            read_answers(frame, INVENTORY)

    def test_duplicate_frame_columns_in_score_frame(self) -> None:
        """Duplicate frame columns in score frame."""
        import pandas as pd

        from allykit.scoring.frames import score_frame

        frame = pd.DataFrame([[1, 2]], columns=["ac-speak-up", "ac-speak-up"])

        with pytest.raises(AnswersError, match="columns named twice"):
            score_frame(INVENTORY, frame)


class TestFrameHeaders:
    def test_score_frame_checks_a_header_as_the_reader_does(self) -> None:
        """An unmapped unknown column: the same problems from both doors."""
        import pandas as pd

        from allykit.scoring.frames import score_frame

        frame = pd.DataFrame({"q1": [3], "extra": [1], "ac-speakup": [2]})
        problems = []
        for door in (
            lambda: read_answers(frame, INVENTORY, columns={"ac-speak-up": "q1"}),
            lambda: score_frame(INVENTORY, frame, columns={"ac-speak-up": "q1"}),
        ):
            with pytest.raises(AnswersError) as caught:
                door()
            problems.append([(p.path, p.message) for p in caught.value.problems])

        assert problems[0] == problems[1]
        assert [path for path, _ in problems[0]] == [
            "column 'extra'",
            "column 'ac-speakup'",
        ]

    def test_score_frame_sets_housekeeping_aside(self) -> None:
        """A REDCap frame's housekeeping columns are not answers, in every door."""
        import pandas as pd

        from allykit.scoring.frames import score_frame

        frame = pd.read_csv(REDCAP)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = score_frame(
                INVENTORY, frame, columns=FIELDS, id_column="record_id"
            )

        assert len(scores) == 12


class TestChangeIds:
    def test_whole_number_ids_pair_whatever_their_type(self) -> None:
        """Whole number ids pair whatever their type."""
        before = [{"id": 1, "ac-speak-up": 2}, {"id": 2.0, "ac-speak-up": 3}]
        after = [{"id": 1.0, "ac-speak-up": 4}, {"id": "2", "ac-speak-up": 3}]

        report = change(INVENTORY, before, after, reliability=0.8)

        assert report.n_pairs == 2

    def test_ids_past_python_s_digit_limit_pair(self) -> None:
        """A whole-number id of 5,000 digits pairs with its text (was a ValueError)."""
        huge = 10**5000
        before = [{"id": huge, "ac-speak-up": 2}, {"id": 2, "ac-speak-up": 3}]
        text = "1" + "0" * 5000
        after = [{"id": text, "ac-speak-up": 4}, {"id": 2, "ac-speak-up": 3}]

        report = change(INVENTORY, before, after, reliability=0.8)

        assert report.n_pairs == 2

    def test_nothing_pairs_warns(self) -> None:
        """Nothing pairs warns."""
        before = [{"id": "a", "ac-speak-up": 2}]
        after = [{"id": "b", "ac-speak-up": 4}]

        with pytest.warns(AllykitWarning, match="no respondent id"):
            change(INVENTORY, before, after, reliability=0.8)

    @pytest.mark.parametrize(
        ("value", "key"),
        [
            (1, "1"),
            (1.0, "1"),
            (" 1 ", "1"),
            ("007", "007"),
            (math.nan, None),
            (None, None),
        ],
    )
    def test_id_key(self, value: object, key: str | None) -> None:
        """Id key."""
        assert id_key(value) == key

    def test_id_key_past_python_s_digit_limit(self) -> None:
        """Past Python's 4,300 digits for str(int): the same digits."""
        assert id_key(10**5000 + 7) == "1" + "0" * 4999 + "7"
        assert id_key(-(10**5000)) == "-1" + "0" * 5000


class TestReport:
    def test_sample_report_is_real_with_a_map(self) -> None:
        """Sample report is real with a map."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = html_report(
                INVENTORY,
                read_answers(REDCAP, INVENTORY, id_column="record_id", columns=FIELDS),
            )
        assert "scores of all 12 rows" in page

    def test_bad_cells_are_refused_not_dropped(self) -> None:
        """7, maybe and 3.5 were made missing without a word."""
        rows = [{"ac-speak-up": 7}, {"ac-speak-up": "maybe"}, {"ac-speak-up": 3.5}]

        with pytest.raises(AnswersError) as caught:
            html_report(INVENTORY, rows)

        assert len(caught.value.problems) == 3

    def test_missing_policy_says_how_many(self) -> None:
        """Missing policy says how many."""
        rows = [dict.fromkeys(ITEMS, 3), dict.fromkeys(ITEMS, 4) | {"ac-speak-up": 9}]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = html_report(INVENTORY, rows * 3, invalid="missing")

        assert "3 unusable answers treated as missing" in page

    def test_answers_pass_through(self) -> None:
        """Answers pass through."""
        got = Answers(
            "<rows>", ({"ac-speak-up": 3},), None, None, {"ac-speak-up": "ac-speak-up"}
        )
        assert read_answers(got, INVENTORY) is got


def test_unusable_answers_say_where_they_were() -> None:
    """Under invalid='missing' each unusable answer is named by row and item."""
    got = read_answers(
        [{"ac-speak-up": 4}, {"ac-speak-up": 99, "ac-keep-the-peace": "maybe"}],
        INVENTORY,
        invalid="missing",
    )

    assert got.unusable == ((1, "ac-speak-up"), (1, "ac-keep-the-peace"))
    assert len(got.problems) == 2
    assert got.rows[1] == {}


def test_decimals_are_numbers_through_every_door() -> None:
    """A Decimal (a database driver's, a Decimal column) is read as the number it is.

    A polars Decimal column scored by score_frame, read by read_answers
    and given as rows: the same answers; a Decimal NaN is NaN, and a NumPy
    bool is a bool, whichever door it comes through.
    """
    import numpy as np
    import polars as pl

    from allykit.scoring import score
    from allykit.scoring.frames import score_frame

    rows = [{"ac-speak-up": Decimal(4), "ac-use-influence": Decimal("2.0")}]
    frame = pl.DataFrame(
        {"ac-speak-up": [4], "ac-use-influence": [2]},
        schema={"ac-speak-up": pl.Decimal(10, 2), "ac-use-influence": pl.Decimal(3, 1)},
    )
    expected = score(INVENTORY, {"ac-speak-up": 4, "ac-use-influence": 2})

    assert score(INVENTORY, rows[0]) == expected
    for source in (rows, frame):
        got = read_answers(source, INVENTORY)
        assert score(INVENTORY, got.rows[0]) == expected
    action = score_frame(INVENTORY, frame)["action"].to_list()
    assert action == [expected.scale("action").score]

    for value, message in (
        (Decimal("NaN"), "NaN is not an answer"),
        (np.True_, "a bool is not an answer"),
    ):
        with pytest.raises(ResponseError) as caught:
            score(INVENTORY, {"ac-speak-up": value})
        assert caught.value.problems[0].message == message
        with pytest.raises(AnswersError) as from_rows:
            read_answers([{"ac-speak-up": value}], INVENTORY)
        assert from_rows.value.problems[0].message == message
