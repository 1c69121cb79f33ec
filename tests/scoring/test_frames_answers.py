"""The frame functions read answers as ``read_answers`` does (issue #20, item 1).

``score_frame`` and ``reliability_frame`` (and ``reliability`` of a frame)
stay vectorised, but for the same table they give the same problems as
``read_answers`` over rows, pandas, polars and a CSV file: one per unusable
cell (row, column, message, hint), capped at 20 with "... and N more", the
same housekeeping columns and ``ignore=`` set aside, the same did-you-mean
for a misspelt column, and the same scores under ``invalid="missing"``.
A Qualtrics export read with ``pandas.read_csv`` (its two extra header rows
as the first data rows) is recognised through every door.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from allykit.catalog import load_instrument
from allykit.errors import AnswersError, Problem
from allykit.scoring import reliability, score
from allykit.scoring.answers import read_answers
from allykit.testing import answer_tables

pytest.importorskip("narwhals", reason="the frames extra (narwhals) is not installed")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

from allykit.scoring.frames import reliability_frame, score_frame  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore::allykit.errors.ReliabilityWarning",
    "ignore::allykit.errors.UnvalidatedInstrumentWarning",
)

INVENTORY = load_instrument("ally-model-reflection")
ITEMS = [str(item.id) for item in INVENTORY.items]
IGNORE = ["note_*"]
Policy = Literal["raise", "missing"]


def _csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    header = list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in header])
    return path


def _shape(problems: tuple[Problem, ...]) -> list[tuple[str, str, str]]:
    """Each problem's path (without a file's line numbers), message and hint."""
    return [(re.sub(r" \(line \d+\)", "", p.path), p.message, p.hint) for p in problems]


def _frames(rows: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    """The same table as pandas, polars (eager, lazy) and read back from CSV."""
    columns = list(rows[0])
    data = {c: [r[c] for r in rows] for c in columns}
    path = _csv(folder / "answers.csv", rows)
    plain = pd.DataFrame(rows, columns=columns)
    return {
        "pandas": plain,
        # pandas' nullable types (Int64, Float64, string: missing is pd.NA)
        # and categorical columns hold the same answers.
        "pandas-nullable": plain.convert_dtypes(),
        "pandas-categorical": plain.astype(
            {c: "category" for c in columns if c in ITEMS}
        ),
        "polars": pl.DataFrame(data, strict=False),
        "polars-lazy": pl.DataFrame(data, strict=False).lazy(),
        # pandas reads "N/A" (an N/A label) as missing unless told not to.
        "pandas-csv": pd.read_csv(
            path, dtype={"who": str}, keep_default_na=False, na_values=[""]
        ),
        "polars-csv": pl.read_csv(path, infer_schema_length=None),
    }


def _expected(rows: list[dict[str, Any]], invalid: Policy) -> Any:
    """read_answers over the rows: its problems, or the checked rows."""
    try:
        got = read_answers(
            rows, INVENTORY, id_column="who", ignore=IGNORE, invalid=invalid
        )
    except AnswersError as error:
        return ("error", _shape(error.problems))
    return ("rows", [dict(r) for r in got.rows])


def _close(a: float | None, b: float | None) -> bool:
    if b is not None and math.isnan(b):
        b = None
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _scored(rows: Any) -> list[list[tuple[Any, ...]]]:
    """Each row's scales: score, answered and N/A counts, by score()."""
    return [
        [(e.score, e.answered, e.not_applicable) for e in score(INVENTORY, r).scales]
        for r in rows
    ]


def _assert_scores(rows: list[dict[str, Any]], result: Any) -> None:
    import narwhals.stable.v2 as nw

    frame = nw.from_native(result)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    got = frame.rows(named=True)
    assert len(got) == len(rows)
    for row, scored in zip(rows, got, strict=True):
        for entry in score(INVENTORY, row).scales:
            assert _close(entry.score, scored[entry.scale]), (entry, scored)
            assert entry.answered == scored[entry.scale + "_answered"]
            assert entry.not_applicable == scored[entry.scale + "_not_applicable"]


class TestFrameFunctionsReadAsTheReader:
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        rows=answer_tables(INVENTORY, bad=True, odd=True, extra=True, max_rows=12),
        invalid=st.sampled_from(["raise", "missing"]),
    )
    def test_same_problems_and_scores_as_read_answers(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        rows: list[dict[str, Any]],
        invalid: Policy,
    ) -> None:
        """The frame functions give read_answers' problems, or score()'s scores."""
        folder = tmp_path_factory.mktemp("frames")
        expected = _expected(rows, invalid)
        file = _csv(folder / "same.csv", rows)
        try:
            from_file = read_answers(
                file, INVENTORY, id_column="who", ignore=IGNORE, invalid=invalid
            )
        except AnswersError as error:
            assert expected == ("error", _shape(error.problems))
        else:
            # Labels are kept as written (a file trims its cells): compare scores.
            assert expected[0] == "rows"
            assert _scored(from_file.rows) == _scored(expected[1])
        for name, frame in _frames(rows, folder).items():
            for function in (score_frame, reliability_frame):
                try:
                    result = function(
                        INVENTORY,
                        frame,
                        id_column="who",
                        ignore=IGNORE,
                        invalid=invalid,
                    )
                except AnswersError as error:
                    assert expected == ("error", _shape(error.problems)), name
                    continue
                assert expected[0] == "rows", (name, function.__name__, expected)
                if function is score_frame:
                    _assert_scores(expected[1], result)
                else:
                    assert (
                        result.to_dict()
                        == reliability(INVENTORY, expected[1]).to_dict()
                    )


def _many_bad(count: int) -> list[dict[str, Any]]:
    return [
        {"who": f"p{n}", "ac-speak-up": 9, "ac-use-influence": "sometimes"}
        for n in range(count)
    ]


class TestEveryProblemOnce:
    @pytest.mark.parametrize("kind", ["pandas", "polars", "polars-lazy"])
    def test_capped_as_read_answers(self, kind: str) -> None:
        """30 bad cells: the first 20 by row and column, then "... and 40 more"."""
        rows = _many_bad(30)
        frame = pl.DataFrame(rows) if kind != "pandas" else pd.DataFrame(rows)
        if kind == "polars-lazy":
            frame = frame.lazy()
        with pytest.raises(AnswersError) as expected:
            read_answers(rows, INVENTORY, id_column="who")

        for function in (score_frame, reliability_frame):
            with pytest.raises(AnswersError) as caught:
                function(INVENTORY, frame, id_column="who")

            assert _shape(caught.value.problems) == _shape(expected.value.problems)
            assert caught.value.problems[-1].path == "... and 40 more"
            assert caught.value.row == expected.value.row == 0
            assert str(caught.value) == str(expected.value).replace("<rows>", "<frame>")

    def test_only_the_rows_shown_are_worded(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """5,000 bad rows: 20 are collected and worded, the rest only counted."""
        from allykit.scoring import answers

        seen: list[str] = []
        original = answers.row_problems

        def spy(*args: Any) -> Any:
            seen.append(args[3])
            return original(*args)

        monkeypatch.setattr(answers, "row_problems", spy)
        frame = pl.DataFrame(_many_bad(5000)).lazy()

        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, frame, id_column="who")

        assert caught.value.problems[-1].path == "... and 9980 more"
        assert seen == [f"row {n}" for n in range(1, 21)]

    def test_a_bool_column_is_refused_cell_by_cell(self) -> None:
        """Booleans are no answers: each one named, as read_answers names them."""
        rows = [{"ac-speak-up": True}, {"ac-speak-up": None}, {"ac-speak-up": False}]
        with pytest.raises(AnswersError) as expected:
            read_answers(rows, INVENTORY)
        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, pl.DataFrame(rows))

        assert _shape(caught.value.problems) == _shape(expected.value.problems)
        assert caught.value.problems[0].message == "a bool is not an answer"

    def test_a_pandas_column_of_mixed_objects(self) -> None:
        """Numbers and text in one pandas column: read value by value, as rows are."""
        column = [4, "maybe", None, "Agree", 7, True, "N/A"]
        frame = pd.DataFrame({"who": list("abcdefg"), "ac-speak-up": column})
        with pytest.raises(AnswersError) as expected:
            read_answers(frame, INVENTORY, id_column="who")
        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, frame, id_column="who")
        assert _shape(caught.value.problems) == _shape(expected.value.problems)
        assert len(caught.value.problems) == 3

        good = frame.iloc[[0, 2, 3, 6]]  # an index that is not 0..n-1
        scores = score_frame(INVENTORY, good, id_column="who")

        rows = read_answers(good, INVENTORY, id_column="who").rows
        _assert_scores([dict(r) for r in rows], scores)
        assert scores["action_not_applicable"].to_list() == [0, 0, 0, 1]

    def test_pandas_nullable_columns(self) -> None:
        """Int64 and string columns with pd.NA: blanks, as the same rows read."""
        rows: list[dict[str, Any]] = [
            {"ac-speak-up": 4, "ac-use-influence": "Agree"},
            {"ac-speak-up": None, "ac-use-influence": None},
            {"ac-speak-up": 2, "ac-use-influence": "Disagree"},
            {"ac-speak-up": 5, "ac-use-influence": "Strongly agree"},
        ]
        frame = pd.DataFrame(rows).astype(
            {"ac-speak-up": "Int64", "ac-use-influence": "string"}
        )
        expected = reliability(INVENTORY, rows, missing="pairwise")

        got = reliability(INVENTORY, frame, missing="pairwise")

        assert got.to_dict() == expected.to_dict()
        _assert_scores(rows, score_frame(INVENTORY, frame))

    @pytest.mark.parametrize("lazy", [False, True])
    def test_categorical_columns(self, lazy: bool) -> None:
        """Categorical columns (numbers or labels) hold answers, as for read_answers."""
        rows: list[dict[str, Any]] = [
            {"ac-speak-up": 4, "ac-use-influence": "Agree"},
            {"ac-speak-up": None, "ac-use-influence": None},
            {"ac-speak-up": 2, "ac-use-influence": "Disagree"},
        ]
        frame: Any = pd.DataFrame(rows).astype("category")
        if lazy:  # polars: categories are text
            frame = pl.DataFrame(rows).lazy()
            frame = frame.with_columns(pl.col("ac-use-influence").cast(pl.Categorical))
        assert [dict(r) for r in read_answers(frame, INVENTORY).rows] == [
            {"ac-speak-up": 4, "ac-use-influence": "Agree"},
            {},
            {"ac-speak-up": 2, "ac-use-influence": "Disagree"},
        ]

        _assert_scores(rows, score_frame(INVENTORY, frame))
        expected = reliability(INVENTORY, rows, missing="pairwise")
        got = reliability(INVENTORY, frame, missing="pairwise")
        assert got.to_dict() == expected.to_dict()

        bad = [*rows, {"ac-speak-up": 9, "ac-use-influence": "maybe"}]
        frame = pd.DataFrame(bad).astype("category")
        with pytest.raises(AnswersError) as expected_error:
            read_answers(bad, INVENTORY)
        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, frame)
        assert _shape(caught.value.problems) == _shape(expected_error.value.problems)
        assert len(caught.value.problems) == 2

    def test_unordered_lazy_engines_name_rows_by_id(self) -> None:
        """DuckDB keeps no row order: the row is named by its id."""
        duckdb = pytest.importorskip("duckdb")
        relation = duckdb.from_arrow(pl.DataFrame(_many_bad(2)).to_arrow())

        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, relation, id_column="who")

        paths = {p.path for p in caught.value.problems}
        assert "the row with who 'p1', column 'ac-speak-up'" in paths
        assert len(caught.value.problems) == 4


class TestColumnsAsTheReader:
    def test_ignore_and_housekeeping(self) -> None:
        """REDCap columns are set aside unasked; ignore= sets aside the others."""
        frame = pl.DataFrame(
            {
                "record_id": ["1", "2"],
                "redcap_event_name": ["baseline_arm_1"] * 2,
                "note_1": ["late", ""],
                "ac-speak-up": [4, 5],
                "ally_reflection_complete": [2, 2],
            }
        )
        with pytest.raises(AnswersError) as caught:
            score_frame(INVENTORY, frame, id_column="record_id")
        with pytest.raises(AnswersError) as expected:
            read_answers(frame, INVENTORY, id_column="record_id")
        assert _shape(caught.value.problems) == _shape(expected.value.problems)
        assert [p.path for p in caught.value.problems] == ["column 'note_1'"]

        scores = score_frame(INVENTORY, frame, id_column="record_id", ignore="note_*")

        assert scores["action_answered"].to_list() == [1, 1]

    def test_misspelt_and_missing_id_columns(self) -> None:
        """A misspelt item and a missing id column: the same problems and hints."""
        frame = pd.DataFrame({"ac-speek-up": [4], "ac-use-influence": [3]})
        with pytest.raises(AnswersError) as expected:
            read_answers(frame, INVENTORY, id_column="id")
        for function in (score_frame, reliability_frame):
            with pytest.raises(AnswersError) as caught:
                function(INVENTORY, frame, id_column="id")

            assert _shape(caught.value.problems) == _shape(expected.value.problems)
        hints = " ".join(p.hint for p in expected.value.problems)
        assert "did you mean 'ac-speak-up'?" in hints

    def test_columns_file(self, tmp_path: Path) -> None:
        """columns= may name a JSON file of item id -> column, as for read_answers."""
        mapping = tmp_path / "columns.json"
        mapping.write_text('{"ac-speak-up": "q1"}', encoding="utf-8")

        scores = score_frame(INVENTORY, pl.DataFrame({"q1": [4]}), columns=mapping)

        assert scores["action_answered"].to_list() == [1]


QUALTRICS = (
    "StartDate,EndDate,ResponseId,ac-speak-up,ac-use-influence,ac-act-with-others\n"
    "Start Date,End Date,Response ID,I speak up,I use my influence,I act with others\n"
    '{"ImportId":"startDate"},{"ImportId":"endDate"},{"ImportId":"_recordId"},'
    '{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3"}\n'
    "2026-01-05,2026-01-05,R_1,4,5, 3 \n"
    "2026-01-06,2026-01-06,R_2,Agree,2,\n"
    "2026-01-07,2026-01-07,R_3,1,4.0,Strongly agree\n"
)


class TestQualtricsFrames:
    @pytest.fixture(name="export")
    def _export(self, tmp_path: Path) -> Path:
        path = tmp_path / "qualtrics.csv"
        path.write_text(QUALTRICS, encoding="utf-8")
        return path

    def _frames(self, export: Path) -> dict[str, Any]:
        return {
            "pandas": pd.read_csv(export),
            "polars": pl.read_csv(export),
            "polars-lazy": pl.scan_csv(export),
        }

    def test_every_door_skips_the_extra_header_rows(self, export: Path) -> None:
        """The file, and the frames read from it as they are, give the same answers."""
        expected = read_answers(export, INVENTORY, id_column="ResponseId")
        assert len(expected) == 3
        want = [score(INVENTORY, row) for row in expected.rows]
        for name, frame in self._frames(export).items():
            got = read_answers(frame, INVENTORY, id_column="ResponseId")
            assert [dict(r) for r in got.rows] == [dict(r) for r in expected.rows]

            scores = score_frame(INVENTORY, frame, id_column="ResponseId")

            _assert_scores([dict(r) for r in expected.rows], scores)
            assert len(want) == 3, name
            report = reliability_frame(INVENTORY, frame, missing="pairwise")
            assert (
                report.to_dict()
                == reliability(
                    INVENTORY, [dict(r) for r in expected.rows], missing="pairwise"
                ).to_dict()
            )

    def test_pyarrow_html_report_and_change(self, export: Path) -> None:
        """A pyarrow table, html_report() and change() of such frames: the same rows."""
        pa_csv = pytest.importorskip("pyarrow.csv")
        from allykit.scoring import change, html_report

        table = pa_csv.read_csv(export)
        expected = read_answers(export, INVENTORY, id_column="ResponseId")

        scores = score_frame(INVENTORY, table, id_column="ResponseId")
        page = html_report(INVENTORY, pd.read_csv(export), id_column="ResponseId")
        report = change(
            INVENTORY,
            pd.read_csv(export),
            pl.read_csv(export),
            id_column="ResponseId",
            reliability=0.8,
        )

        _assert_scores([dict(r) for r in expected.rows], scores)
        assert "3 rows of answers" in page
        assert report.n_pairs == 3

    def test_bad_cells_are_named_as_in_the_file(self, tmp_path: Path) -> None:
        """A bad cell after the header rows: the same row and words as the file."""
        bad = tmp_path / "bad.csv"
        bad.write_text(QUALTRICS + "2026-01-08,2026-01-08,R_4,7,maybe,2\n")
        with pytest.raises(AnswersError) as expected:
            read_answers(bad, INVENTORY)
        assert [p.path for p in expected.value.problems] == [
            "row 4 (line 7), column 'ac-speak-up'",
            "row 4 (line 7), column 'ac-use-influence'",
        ]
        for frame in (pd.read_csv(bad), pl.read_csv(bad)):
            with pytest.raises(AnswersError) as caught:
                score_frame(INVENTORY, frame)
            assert _shape(caught.value.problems) == _shape(expected.value.problems)

    def test_unordered_lazy_frames_are_refused(self, export: Path) -> None:
        """DuckDB has no first rows to leave out: a clear error, not wrong scores."""
        duckdb = pytest.importorskip("duckdb")
        relation = duckdb.read_csv(str(export), header=True, all_varchar=True)

        with pytest.raises(AnswersError, match="extra header rows of a Qualtrics"):
            score_frame(INVENTORY, relation)

    def test_a_plain_frame_with_qualtrics_columns_is_untouched(self) -> None:
        """Qualtrics columns without the header rows: every row is an answer."""
        frame = pl.DataFrame({"StartDate": ["2026-01-05"], "ac-speak-up": [4]})

        scores = score_frame(INVENTORY, frame)

        assert scores["action_answered"].to_list() == [1]


class TestThroughTheCommand:
    runner = CliRunner()

    @pytest.mark.parametrize("engine", ["rows", "frames"])
    def test_score_names_every_bad_cell_on_either_engine(
        self, tmp_path: Path, engine: str
    ) -> None:
        """`allykit score`: the same problems whichever engine reads the file."""
        pytest.importorskip("pyarrow")
        from allykit.cli._app import app

        source = _csv(tmp_path / "bad.csv", _many_bad(30))

        result = self.runner.invoke(
            app,
            [
                "score",
                "ally-model-reflection",
                str(source),
                "--id-column",
                "who",
                "--engine",
                engine,
                "-o",
                str(tmp_path / "out.csv"),
            ],
        )

        assert result.exit_code == 1, result.output
        output = " ".join(result.output.split())
        assert "21 problems row 1 (line 2), who 'p0', column 'ac-speak-up':" in output
        assert "... and 40 more" in output

    def test_report_reads_a_qualtrics_export(self, tmp_path: Path) -> None:
        """`allykit report` on a Qualtrics export reports its three respondents."""
        from allykit.cli._app import app

        export = tmp_path / "qualtrics.csv"
        export.write_text(QUALTRICS, encoding="utf-8")
        out = tmp_path / "r.html"

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = self.runner.invoke(
                app,
                [
                    "report",
                    "ally-model-reflection",
                    str(export),
                    "--id-column",
                    "ResponseId",
                    "-o",
                    str(out),
                ],
            )

        assert result.exit_code == 0, result.output
        assert "3 rows of answers" in out.read_text(encoding="utf-8")
