"""Tests of DataFrame scoring: the same numbers as ``score``, on every engine."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit.instruments import (
    Choice,
    Instrument,
    Item,
    ItemId,
    ResponseScale,
    Scale,
    ScaleId,
    load_instrument,
)
from allykit.scoring import score

pytest.importorskip("narwhals", reason="the frames extra (narwhals) is not installed")

from allykit.frames import score_frame

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

    return dd.from_pandas(_pandas(data), npartitions=2)  # type: ignore[no-untyped-call]


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
    got = sorted(_to_rows(result), key=lambda row: row["who"])
    assert len(got) == len(rows)
    for row, frame_row in zip(rows, got, strict=True):
        report = score(instrument, row)
        for entry in report.scales:
            assert _close(entry.score, frame_row[entry.scale]), (entry, frame_row)
            assert entry.answered == frame_row[entry.scale + "_answered"]
            assert entry.not_applicable == frame_row[entry.scale + "_not_applicable"]
            assert entry.prorated == frame_row[entry.scale + "_prorated"]


class TestScoreFrameEqualsScore:
    @pytest.mark.parametrize("make", BACKENDS)
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

    @pytest.mark.parametrize("make", BACKENDS)
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
        numeric = [
            i.id
            for i in instrument.items
            if all(not isinstance(v, str) for v in columns[i.id])
        ]
        # One value column holds one type: keep the numeric items only.
        kept = [{k: v for k, v in row.items() if k in numeric} for row in rows]
        long: Columns = {"who": [], "item": [], "value": []}
        for who, row in zip(columns["who"], kept, strict=True):
            for item, value in row.items():
                if value is not None:
                    long["who"].append(who)
                    long["item"].append(item)
                    long["value"].append(float(value))
        if not long["who"]:
            return

        result = score_frame(instrument, make(long), id_column="who", long=True)

        present = sorted(set(long["who"]))
        by_who = dict(zip(columns["who"], kept, strict=True))
        _assert_same(instrument, [by_who[w] for w in present], result)
