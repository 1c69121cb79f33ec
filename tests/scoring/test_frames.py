"""Tests of DataFrame scoring: the same numbers as ``score``, on every engine."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit.catalog import load_instrument
from allykit.errors import AnswersError, InvalidArgumentError, ResponseError
from allykit.models.instrument import (
    Choice,
    Instrument,
    Item,
    ItemId,
    ResponseScale,
    Scale,
    ScaleId,
)
from allykit.scoring import reliability
from allykit.scoring._reliability import MissingPolicy
from allykit.scoring._score import score

pytest.importorskip("narwhals", reason="the frames extra (narwhals) is not installed")

from allykit.scoring.frames import reliability_frame, score_frame

# Figures on data that psych would warn about are pinned here; the
# ReliabilityWarning itself is tested in test_diagnostics.py.
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")


Columns = dict[str, list[Any]]


def _arrow(data: Columns) -> Any:
    """Build a typed Arrow table: text columns as strings, the rest as floats."""
    import pyarrow as pa

    arrays = {}
    for name, values in data.items():
        text = any(isinstance(v, str) for v in values) or name in {"who", "item"}
        arrays[name] = pa.array(values, pa.string() if text else pa.float64())
    return pa.table(arrays)


def _pandas(data: Columns) -> Any:
    return _arrow(data).to_pandas()


def _polars(data: Columns) -> Any:
    import polars as pl

    return pl.from_arrow(_arrow(data))


def _polars_lazy(data: Columns) -> Any:
    return _polars(data).lazy()


def _pyarrow(data: Columns) -> Any:
    return _arrow(data)


def _dask(data: Columns) -> Any:
    import dask.dataframe as dd

    return dd.from_pandas(_pandas(data), npartitions=2)


def _duckdb(data: Columns) -> Any:
    import duckdb

    table = _arrow(data)
    return duckdb.from_arrow(table)


def _to_rows(native: Any) -> list[dict[str, Any]]:
    """Collect any engine's result into row dicts, nulls (and NaN) as None."""
    import narwhals.stable.v2 as nw

    frame = nw.from_native(native)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    rows = frame.rows(named=True)
    return [
        {
            k: None if isinstance(v, float) and math.isnan(v) else v
            for k, v in row.items()
        }
        for row in rows
    ]


def _backends() -> list[Any]:
    makers: list[tuple[str, str, Callable[[Columns], Any]]] = [
        ("pandas", "pandas", _pandas),
        ("polars", "polars", _polars),
        ("polars-lazy", "polars", _polars_lazy),
        ("pyarrow", "pyarrow", _pyarrow),
        ("dask", "dask.dataframe", _dask),
        ("duckdb", "duckdb", _duckdb),
    ]
    params = []
    for name, module, maker in makers:
        try:
            __import__(module)
        except ImportError:
            params.append(
                pytest.param(
                    maker,
                    id=name,
                    marks=pytest.mark.skip(reason=f"{module} is not installed"),
                )
            )
        else:
            params.append(pytest.param(maker, id=name))
    return params


BACKENDS = _backends()
# Dask plans each compute with its query optimiser, about a second for the
# scoring graph even on tiny frames: its properties run fewer examples, as
# tests of their own (the other engines keep theirs).
NOT_DASK = [p for p in BACKENDS if p.id != "dask"]
DASK = [p for p in BACKENDS if p.id == "dask"]


def _on_dask(test: Any) -> Any:
    """The property *test* (a hypothesis test of make, data, instrument) on Dask.

    With 3 examples (see DASK); the body is the test's own.
    """

    @pytest.mark.parametrize("make", DASK)
    @settings(max_examples=3)
    @given(data=st.data(), instrument=instruments())
    def on_dask(
        self: Any,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        test.hypothesis.inner_test(self, make, data, instrument)

    on_dask.__doc__ = f"{test.__name__} on Dask, with fewer examples."
    return on_dask


BASE = load_instrument("ally-model-reflection")


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    """Instruments varied in scale points, N/A codes, keys, weights and methods."""
    start = draw(st.sampled_from([0, 1, -2]))
    count = draw(st.integers(min_value=2, max_value=6))
    step = draw(st.sampled_from([1.0, 0.5, 2.0]))
    values = [start + step * n for n in range(count)]
    labels = [f"Point {n}" for n in range(count)]
    na_values = draw(st.sampled_from([(), (-9.0,), (-9.0, 99.0)]))
    response_scale = ResponseScale(
        choices=tuple(
            Choice(value=v, label=t) for v, t in zip(values, labels, strict=True)
        ),
        min=values[0],
        max=values[-1],
        not_applicable=("Does not apply",),
        not_applicable_values=na_values,
    )
    n_items = draw(st.integers(min_value=1, max_value=6))
    items = tuple(
        Item(
            id=ItemId(f"item-{n}"),
            reverse=draw(st.booleans()),
            weight=draw(st.sampled_from([1.0, 1.0, 2.0, 0.5])),
        )
        for n in range(n_items)
    )
    ids = [item.id for item in items]
    scales = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        members = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        scales.append(
            Scale(
                id=ScaleId(f"scale-{n}"),
                name=f"Scale {n}",
                items=tuple(members),
                method=draw(st.sampled_from(["sum", "mean", "pomp", "median"])),
                min_answered=draw(st.integers(min_value=1, max_value=3)),
                min_answered_share=draw(st.sampled_from([0.0, 0.25, 0.5, 2 / 3, 1.0])),
            )
        )
    return attrs.evolve(
        BASE,
        response_scale=response_scale,
        items=items,
        scales=tuple(scales),
        bands=(),
        framework=None,
    )


@st.composite
def answer_sets(
    draw: st.DrawFn, instrument: Instrument
) -> tuple[Columns, list[dict[str, Any]]]:
    """Columns for a frame (numbers or labels per item) and the same rows for score."""
    scale = instrument.response_scale
    assert scale is not None
    n_rows = draw(st.integers(min_value=1, max_value=8))
    columns: Columns = {"who": [f"r{n}" for n in range(n_rows)]}
    for item in instrument.items:
        as_text = draw(st.booleans())
        if as_text:
            options: list[Any] = [c.label for c in scale.choices]
            options += ["Does not apply", "  point   0 ", None]
        else:
            options = [c.value for c in scale.choices]
            options += [*scale.not_applicable_values, None]
        columns[item.id] = draw(
            st.lists(st.sampled_from(options), min_size=n_rows, max_size=n_rows)
        )
    rows: list[dict[str, Any]] = [
        {str(item.id): columns[item.id][n] for item in instrument.items}
        for n in range(n_rows)
    ]
    return columns, rows


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _assert_same(
    instrument: Instrument, rows: list[dict[str, Any]], result: Any
) -> None:
    """*result* (a frame, or its rows already collected) equals score() per row."""
    collected = result if isinstance(result, list) else _to_rows(result)
    got = sorted(collected, key=lambda row: row["who"])
    assert len(got) == len(rows)
    for row, frame_row in zip(rows, got, strict=True):
        report = score(instrument, row)
        for entry in report.scales:
            assert _close(entry.score, frame_row[entry.scale]), (entry, frame_row)
            assert entry.answered == frame_row[entry.scale + "_answered"]
            assert entry.not_applicable == frame_row[entry.scale + "_not_applicable"]
            assert entry.prorated == frame_row[entry.scale + "_prorated"]


class TestScoreFrameEqualsScore:
    @pytest.mark.parametrize("make", NOT_DASK)
    @settings(max_examples=8)
    @given(data=st.data(), instrument=instruments())
    def test_wide(
        self,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """Wide frames score exactly as score() does row by row, on every engine."""
        columns, rows = data.draw(answer_sets(instrument))

        result = score_frame(instrument, make(columns), id_column="who")

        _assert_same(instrument, rows, result)

    test_wide_on_dask = _on_dask(test_wide)

    @pytest.mark.parametrize("make", NOT_DASK)
    @settings(max_examples=5)
    @given(data=st.data(), instrument=instruments())
    def test_long(
        self,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """Long (respondent, item, value) frames give the same scores as wide ones."""
        columns, rows = data.draw(answer_sets(instrument))
        # One value column holds one type: keep the numeric items only.
        long, present = _long_numeric(instrument, columns, rows)
        if not long["who"]:
            return

        result = score_frame(instrument, make(long), id_column="who", long=True)

        _assert_same(instrument, present, result)

    test_long_on_dask = _on_dask(test_long)


def _with_nan(columns: Columns) -> Columns:
    """The same columns with every blank of a numeric column written as NaN."""
    return {
        name: values
        if name == "who" or any(isinstance(v, str) for v in values)
        else [math.nan if v is None else v for v in values]
        for name, values in columns.items()
    }


class TestNaNIsMissing:
    @pytest.mark.parametrize("make", NOT_DASK)
    @settings(max_examples=8)
    @given(data=st.data(), instrument=instruments())
    def test_wide(
        self,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """A float NaN is a blank like null on every engine: equal scores, no error."""
        columns, rows = data.draw(answer_sets(instrument))

        with_nulls = score_frame(instrument, make(columns), id_column="who")
        with_nan = score_frame(instrument, make(_with_nan(columns)), id_column="who")

        nan_rows = _to_rows(with_nan)  # collected once: Dask plans each collect
        assert nan_rows == _to_rows(with_nulls)
        _assert_same(instrument, rows, nan_rows)

    test_wide_on_dask = _on_dask(test_wide)

    @pytest.mark.parametrize("make", NOT_DASK)
    @settings(max_examples=5)
    @given(data=st.data(), instrument=instruments())
    def test_long(
        self,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """A long row whose value is NaN counts as that item left blank."""
        columns, rows = data.draw(answer_sets(instrument))
        long, present = _long_numeric(instrument, columns, rows)
        if not long["who"]:
            return
        # Add a NaN row for each respondent: an item given as NaN is unanswered.
        for who, row in zip(list(dict.fromkeys(long["who"])), present, strict=True):
            blank = [i.id for i in instrument.items if row.get(i.id) is None]
            if blank:
                long["who"].append(who)
                long["item"].append(blank[0])
                long["value"].append(math.nan)

        result = score_frame(instrument, make(long), id_column="who", long=True)

        _assert_same(instrument, present, result)

    test_long_on_dask = _on_dask(test_long)

    @pytest.mark.parametrize("make", BACKENDS)
    def test_reliability(self, make: Callable[[Columns], Any]) -> None:
        """The reliability report reads NaN as missing too, on every engine."""
        items = ["ac-speak-up", "ac-use-influence", "ac-act-with-others"]
        plain: Columns = {
            "ac-speak-up": [1.0, 3.0, None, 2.0, 5.0],
            "ac-use-influence": [2.0, None, 5.0, 1.0, 4.0],
            "ac-act-with-others": [2.0, 4.0, 5.0, None, 4.0],
        }
        nan = _with_nan(plain)
        assert set(nan) == set(items)

        expected = reliability(BASE, make(plain), missing="pairwise").to_dict()
        got = reliability(BASE, make(nan), missing="pairwise").to_dict()

        _assert_close(expected, got)


def _long_numeric(
    instrument: Instrument, columns: Columns, rows: list[dict[str, Any]]
) -> tuple[Columns, list[dict[str, Any]]]:
    """The numeric items of *rows* as long columns, and the rows they stand for."""
    numeric = [
        i.id
        for i in instrument.items
        if all(not isinstance(v, str) for v in columns[i.id])
    ]
    kept = [{k: v for k, v in row.items() if k in numeric} for row in rows]
    long: Columns = {"who": [], "item": [], "value": []}
    for who, row in zip(columns["who"], kept, strict=True):
        for item, value in row.items():
            if value is not None:
                long["who"].append(who)
                long["item"].append(item)
                long["value"].append(float(value))
    by_who = dict(zip(columns["who"], kept, strict=True))
    return long, [by_who[w] for w in sorted(set(long["who"]))]


def _assert_close(expected: Any, got: Any, where: str = "report") -> None:
    """Equal plain data, floats to 1e-12 (relative or absolute)."""
    if isinstance(expected, float) and isinstance(got, float):
        assert _close(expected, got), (where, expected, got)
    elif isinstance(expected, dict):
        assert isinstance(got, dict)
        assert expected.keys() == got.keys(), where
        for key in expected:
            _assert_close(expected[key], got[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list)
        assert len(expected) == len(got), where
        for n, (a, b) in enumerate(zip(expected, got, strict=True)):
            _assert_close(a, b, f"{where}[{n}]")
    else:
        assert expected == got, (where, expected, got)


class TestReliabilityOfFrames:
    @pytest.mark.parametrize("missing", ["listwise", "pairwise"])
    @pytest.mark.parametrize("make", BACKENDS)
    @settings(max_examples=8)
    @given(data=st.data(), instrument=instruments())
    def test_wide(
        self,
        make: Callable[[Columns], Any],
        missing: MissingPolicy,
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """reliability() of a frame equals reliability() of the same rows."""
        columns, rows = data.draw(answer_sets(instrument))
        frame = make({k: v for k, v in columns.items() if k != "who"})

        expected = reliability(instrument, rows, missing=missing)
        got = reliability(instrument, frame, missing=missing)

        _assert_close(expected.to_dict(), got.to_dict())

    @pytest.mark.parametrize("make", BACKENDS)
    @settings(max_examples=5)
    @given(data=st.data(), instrument=instruments())
    def test_long(
        self,
        make: Callable[[Columns], Any],
        data: st.DataObject,
        instrument: Instrument,
    ) -> None:
        """Long frames give the report of the respondents' rows."""
        columns, rows = data.draw(answer_sets(instrument))
        long, kept = _long_numeric(instrument, columns, rows)
        if not long["who"]:
            return

        got = reliability_frame(instrument, make(long), id_column="who", long=True)

        _assert_close(
            reliability(instrument, kept, missing="listwise").to_dict(), got.to_dict()
        )

    @pytest.mark.parametrize("make", BACKENDS)
    def test_columns_map(self, make: Callable[[Columns], Any]) -> None:
        """columns= maps item ids to differently named columns; others are ignored."""
        rows = [{"ac-speak-up": a, "ac-use-influence": b} for a, b in FIVE]
        frame = make(
            {
                "who": ["a", "b", "c", "d", "e"],
                "q1": [float(a) for a, _ in FIVE],
                "q2": [float(b) for _, b in FIVE],
            }
        )

        got = reliability(
            BASE,
            frame,
            columns={"ac-speak-up": "q1", "ac-use-influence": "q2"},
            id_column="who",
            missing="pairwise",
        )

        _assert_close(
            reliability(BASE, rows, missing="pairwise").to_dict(), got.to_dict()
        )


FIVE = [(1, 2), (3, 3), (4, 5), (2, 1), (5, 4)]


class TestFrameErrors:
    """Bad frames raise allykit errors that say what, where and what to do."""

    @pytest.mark.parametrize("make", BACKENDS)
    @pytest.mark.parametrize("function", [score_frame, reliability])
    def test_unknown_column(
        self, make: Callable[[Columns], Any], function: Callable[..., Any]
    ) -> None:
        """A column that names no item is reported with a hint."""
        frame = make({"ac-speak-up": [1.0], "ac-speek-up": [2.0]})

        with pytest.raises(ResponseError) as caught:
            function(BASE, frame)

        (problem,) = caught.value.problems
        assert problem.path == "column 'ac-speek-up'"
        assert "columns=" in problem.hint

    @pytest.mark.parametrize("make", BACKENDS)
    @pytest.mark.parametrize("function", [score_frame, reliability])
    def test_out_of_range(
        self, make: Callable[[Columns], Any], function: Callable[..., Any]
    ) -> None:
        """Out-of-range values: one problem per cell, by row and column."""
        frame = make(
            {
                "who": ["a", "b", "c", "d"],
                "ac-speak-up": [1.0, 7.0, 3.0, 0.0],
                "ac-use-influence": [2.0, 2.0, 2.0, 2.0],
            }
        )

        with pytest.raises(AnswersError) as caught:
            function(BASE, frame, id_column="who")

        first, second = caught.value.problems
        assert (first.message, first.value) == (
            "not one of the choice values (1 to 5)",
            "7.0",
        )
        assert second.value == "0.0"
        assert [first.path, second.path] in (
            ["row 2, column 'ac-speak-up'", "row 4, column 'ac-speak-up'"],
            # Unordered lazy engines (DuckDB, Dask) name rows by id.
            [
                "the row with who 'b', column 'ac-speak-up'",
                "the row with who 'd', column 'ac-speak-up'",
            ],
        )
        assert "invalid='missing'" in first.hint

    @pytest.mark.parametrize("make", BACKENDS)
    @pytest.mark.parametrize("function", [score_frame, reliability])
    def test_unmapped_label(
        self, make: Callable[[Columns], Any], function: Callable[..., Any]
    ) -> None:
        """Text that is no label of the item's choices is reported, not scored."""
        frame = make({"who": ["a", "b"], "ac-speak-up": ["Agree", "Sometimes"]})

        with pytest.raises(AnswersError) as caught:
            function(BASE, frame, id_column="who")

        (problem,) = caught.value.problems
        assert problem.value == "'Sometimes'"
        assert problem.message == "not a label of this item's choices"
        assert problem.path in (
            "row 2, column 'ac-speak-up'",
            "the row with who 'b', column 'ac-speak-up'",
        )

    @pytest.mark.parametrize("make", BACKENDS)
    def test_invalid_missing(self, make: Callable[[Columns], Any]) -> None:
        """With invalid='missing' unusable answers count as missing, as for rows."""
        frame = make({"ac-speak-up": [1.0, 7.0, 3.0], "ac-use-influence": [2.0, 1, 3]})
        rows = [
            {"ac-speak-up": 1, "ac-use-influence": 2},
            {"ac-speak-up": 7, "ac-use-influence": 1},
            {"ac-speak-up": 3, "ac-use-influence": 3},
        ]

        got = reliability(BASE, frame, invalid="missing")

        expected = reliability(BASE, rows, invalid="missing")
        _assert_close(expected.to_dict(), got.to_dict())

    def test_not_a_frame(self) -> None:
        """Something that is neither rows nor a frame is an argument error."""
        with pytest.raises(InvalidArgumentError, match="DataFrame"):
            reliability_frame(BASE, [{"ac-speak-up": 1}])

    def test_frame_options_with_rows(self) -> None:
        """Frame options given with response mappings are refused, not ignored."""
        with pytest.raises(InvalidArgumentError, match="for DataFrames only"):
            reliability(BASE, [{"ac-speak-up": 1}], long=True)

    def test_bad_policy(self) -> None:
        """An unknown missing policy is refused before the frame is read."""
        import polars as pl

        frame = pl.DataFrame({"ac-speak-up": [1]})
        with pytest.raises(InvalidArgumentError, match="listwise"):
            reliability_frame(BASE, frame, missing="everything")  # type: ignore[arg-type]

    def test_long_name_shared_by_two_items(self) -> None:
        """Two items given one name in the item column is a response error."""
        import polars as pl

        frame = pl.DataFrame({"who": ["a"], "item": ["q1"], "value": [4]})
        columns = {"ac-speak-up": "q1", "ac-use-influence": "q1"}
        with pytest.raises(ResponseError, match="already named so") as caught:
            reliability(BASE, frame, long=True, id_column="who", columns=columns)
        assert caught.value.problems[0].value == "'q1'"

    def test_long_needs_id(self) -> None:
        """Long input without an id column says which option to pass."""
        import polars as pl

        frame = pl.DataFrame({"item": ["ac-speak-up"], "value": [1]})
        with pytest.raises(InvalidArgumentError, match="id_column="):
            reliability(BASE, frame, long=True)


ROOT = Path(__file__).resolve().parents[2]
_SPARK_MARKER = "<!-- spark-example: run by tests/test_frames.py -->\n```python\n"


def _spark_example() -> str:
    page = (ROOT / "docs" / "frames.md").read_text(encoding="utf-8")
    start = page.index(_SPARK_MARKER) + len(_SPARK_MARKER)
    return page[start : page.index("```", start)]


class TestSparkExample:
    # PySpark 4 warns that it does not fully support pandas 3 (not used here).
    @pytest.mark.filterwarnings("ignore:PySpark does not yet:FutureWarning")
    def test_docs_example_runs(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The PySpark example of docs/frames.md prints what its comments show."""
        pytest.importorskip(
            "pyspark", reason="pyspark is not installed (it is not a dependency group)"
        )
        if shutil.which("java") is None:
            pytest.skip("PySpark needs Java, and java is not on PATH")
        code = _spark_example()
        expected = [
            line.split("  # ", 1)[1] for line in code.splitlines() if "  # " in line
        ]
        monkeypatch.chdir(ROOT)  # the example reads docs/data/... from the root

        namespace: dict[str, Any] = {}
        try:
            exec(compile(code, "docs/frames.md", "exec"), namespace)  # noqa: S102
        finally:
            if "spark" in namespace:
                namespace["spark"].stop()

        assert capsys.readouterr().out.splitlines() == expected


class TestLongFrameErrors:
    @pytest.mark.parametrize("make", BACKENDS)
    @pytest.mark.parametrize("function", [score_frame, reliability])
    def test_out_of_range(
        self, make: Callable[[Columns], Any], function: Callable[..., Any]
    ) -> None:
        """A bad long answer is named by its row and item, in read_answers' words."""
        frame = make(
            {
                "who": ["a", "a", "b"],
                "item": ["ac-speak-up", "ac-use-influence", "ac-speak-up"],
                "value": [1.0, 9.0, 2.0],
            }
        )

        with pytest.raises(AnswersError) as caught:
            function(BASE, frame, id_column="who", long=True)

        (problem,) = caught.value.problems
        assert problem.message == "not one of the choice values (1 to 5)"
        assert problem.value == "9.0"
        assert problem.path in (
            "row 2 (item 'ac-use-influence'), column 'value'",
            "the row with who 'a' (item 'ac-use-influence'), column 'value'",
        )

    @pytest.mark.parametrize("make", BACKENDS)
    @pytest.mark.parametrize("function", [score_frame, reliability])
    def test_unknown_item(
        self, make: Callable[[Columns], Any], function: Callable[..., Any]
    ) -> None:
        """An item name that no item has is named, with how to map it."""
        frame = make({"who": ["a"], "item": ["ac-speek-up"], "value": [1.0]})

        with pytest.raises(ResponseError) as caught:
            function(BASE, frame, id_column="who", long=True)

        (problem,) = caught.value.problems
        assert problem.value == "'ac-speek-up'"
        assert "columns=" in problem.hint


# --- clusters: Spark (local mode) and Dask on a distributed LocalCluster ------


@pytest.fixture(name="spark", scope="module")
def _spark() -> Any:
    """A local Spark session (Java from .ci/run), shared by the module's tests."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (.ci/run does)")
    if shutil.which("java") is None:
        pytest.skip("PySpark needs Java, and java is not on PATH")
    import warnings

    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas-version and JVM notices
        session = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(name="dask_client", scope="module")
def _dask_client() -> Any:
    """A distributed LocalCluster of two worker processes (no shared memory)."""
    pytest.importorskip("dask.dataframe", reason="dask is not installed")
    distributed = pytest.importorskip(
        "distributed", reason="distributed is not installed"
    )
    # ":0": a free port of the system's choosing. Two test processes may
    # each start a cluster, and the default port 8787 would clash (distributed
    # then warns, which the suite treats as an error).
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.filterwarnings("ignore:PySpark does not yet:FutureWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
class TestSpark:
    @settings(max_examples=3, deadline=None)
    @given(data=st.data(), instrument=instruments())
    def test_wide_with_nulls_and_nan(
        self, spark: Any, data: st.DataObject, instrument: Instrument
    ) -> None:
        """On Spark, scores equal score() to 1e-12, blanks as null or NaN."""
        columns, rows = data.draw(answer_sets(instrument))

        for given_columns in (columns, _with_nan(columns)):
            frame = spark.createDataFrame(_arrow(given_columns))
            result = score_frame(instrument, frame, id_column="who")
            _assert_same(instrument, rows, result)

    def test_long(self, spark: Any) -> None:
        """Long input on Spark: a NaN value row is a blank answer."""
        frame = spark.createDataFrame(
            _arrow(
                {
                    "who": ["a", "a", "a", "b"],
                    "item": [
                        "ac-speak-up",
                        "ac-use-influence",
                        "ac-keep-the-peace",
                        "ac-speak-up",
                    ],
                    "value": [5.0, math.nan, 2.0, 3.0],
                }
            )
        )

        result = score_frame(BASE, frame, id_column="who", long=True)

        _assert_same(
            BASE,
            [{"ac-speak-up": 5, "ac-keep-the-peace": 2}, {"ac-speak-up": 3}],
            result,
        )


@pytest.mark.usefixtures("dask_client")
class TestDaskDistributed:
    @settings(max_examples=3, deadline=None)
    @given(data=st.data(), instrument=instruments())
    def test_wide_with_nulls_and_nan(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """On worker processes, scores equal score() to 1e-12, NaN as null."""
        columns, rows = data.draw(answer_sets(instrument))

        for given_columns in (columns, _with_nan(columns)):
            result = score_frame(instrument, _dask(given_columns), id_column="who")
            _assert_same(instrument, rows, result)

    def test_runs_on_the_workers(self, dask_client: Any) -> None:
        """The computation goes to the cluster's worker processes."""
        from distributed import get_task_stream

        frame = _dask({"who": ["a", "b"], "ac-speak-up": [4.0, math.nan]})

        with get_task_stream(client=dask_client) as stream:
            rows = sorted(
                _to_rows(score_frame(BASE, frame, id_column="who")),
                key=lambda row: row["who"],
            )

        assert [row["action_answered"] for row in rows] == [1, 0]
        assert stream.data  # tasks ran on the workers


class TestResultNamesTheInstrument:
    """Where a library keeps frame metadata, the scores name their instrument."""

    RECORD: ClassVar[dict[str, Any]] = {
        "id": BASE.id,
        "version": BASE.version,
        "validated": False,
        "published": False,
        "status": "a reflective aid, not a validated measure",
        "content_hash": BASE.content_hash,
    }

    def test_pandas_attrs(self) -> None:
        """A pandas result carries attrs['allykit.instrument']."""
        pd = pytest.importorskip("pandas")

        result = score_frame(BASE, pd.DataFrame({"ac-speak-up": [4, None]}))

        assert result.attrs["allykit.instrument"] == self.RECORD

    def test_pyarrow_schema_metadata(self) -> None:
        """A pyarrow result names the instrument in its schema metadata."""
        pa = pytest.importorskip("pyarrow")

        result = score_frame(BASE, pa.table({"ac-speak-up": [4, None]}))

        metadata = result.schema.metadata
        assert json.loads(metadata[b"allykit.instrument"]) == self.RECORD

    def test_polars_is_unchanged(self) -> None:
        """A polars result is a plain frame: polars keeps no frame metadata."""
        pl = pytest.importorskip("polars")

        result = score_frame(BASE, pl.DataFrame({"ac-speak-up": [4, None]}))

        assert isinstance(result, pl.DataFrame)
        assert result["action_answered"].to_list() == [1, 0]


def test_nan_in_arrow_backed_pandas_is_missing() -> None:
    """A pandas frame of Arrow floats keeps NaN apart from null: still missing."""
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    values = pd.arrays.ArrowExtensionArray(pa.array([4.0, math.nan], pa.float64()))
    frame = pd.DataFrame({"who": ["a", "b"], "ac-speak-up": values})
    assert frame["ac-speak-up"].array._pa_array.null_count == 0  # a real NaN

    result = score_frame(BASE, frame, id_column="who")

    assert list(result["action_answered"]) == [1, 0]
