"""Importers hold answers compactly and read SurveyJS results a result at a time.

Issue 21, item 8. An answer-only export used to peak at 16 times its size
(one dict per respondent costs more than the export's one-digit answers and
commas) and SurveyJS results, read whole, at 3.5 times. Now each item keeps
its distinct values once and a small code per respondent
(:class:`allykit.surveys.ResponseRows`), and a SurveyJS array is decoded
one element at a time by the same rules as the one JSON parser.
``benchmarks/bench_import_memory.py`` measures 20 MB and 100 MB exports;
these tests hold the rules on small ones.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import random
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit import DataFileError, load_instrument
from allykit.catalog._loading import parse_json
from allykit.surveys import (
    ResponseRows,
    _json_array,
    load_qualtrics_export,
    load_redcap_export,
    load_surveyjs_results,
)
from allykit.surveys._columns import MAX_INDEXED, ColumnBuilder
from allykit.testing import json_values

ITEMS = 20
FIELDS = {f"q{k}": f"item-{k}" for k in range(ITEMS)}


def _codes(rows: int, seed: int) -> list[list[int]]:
    chance = random.Random(seed)  # noqa: S311 -- test data, not secrets
    return [[chance.randint(1, 5) for _ in FIELDS] for _ in range(rows)]


def _answer_only_csv(rows: int) -> str:
    """The worst case: the id and one-digit answers, nothing else."""
    lines = [",".join(["record_id", *FIELDS])]
    lines += [
        ",".join([str(n), *map(str, codes)])
        for n, codes in enumerate(_codes(rows, 1), start=1)
    ]
    return "\n".join(lines) + "\n"


def _results_json(rows: int) -> str:
    results = [
        {"id": str(n), **dict(zip(FIELDS, codes, strict=True))}
        for n, codes in enumerate(_codes(rows, 2), start=1)
    ]
    return json.dumps(results)


def _peak(run: Callable[[], object]) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result


class TestPeakMemory:
    def test_answer_only_csv(self, tmp_path: Path) -> None:
        """The worst case (one-digit answers only) stays within 4x the export."""
        path = tmp_path / "export.csv"
        path.write_text(_answer_only_csv(8000), encoding="utf-8")
        size = path.stat().st_size

        peak, imported = _peak(
            lambda: load_redcap_export(path, fields=FIELDS, id_column="record_id")
        )

        assert len(imported) == 8000  # type: ignore[arg-type]
        assert peak < 4 * size, f"peak {peak} bytes for a {size}-byte export"

    def test_answer_only_qualtrics(self, tmp_path: Path) -> None:
        """Qualtrics (three header rows) too."""
        body = _answer_only_csv(8000).split("\n", 1)[1]
        header = ",".join(["ResponseId", *FIELDS])
        ids = ",".join(f'"{{""ImportId"":""{name}""}}"' for name in ["_id", *FIELDS])
        text = f"{header}\n{header}\n{ids}\n{body}"
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size

        peak, imported = _peak(
            lambda: load_qualtrics_export(path, fields=FIELDS, id_column="ResponseId")
        )

        assert len(imported) == 8000  # type: ignore[arg-type]
        assert peak < 4 * size, f"peak {peak} bytes for a {size}-byte export"

    def test_surveyjs_results(self, tmp_path: Path) -> None:
        """A SurveyJS results file is not read whole: within 4x, not 3.5x+."""
        path = tmp_path / "results.json"
        path.write_text(_results_json(8000), encoding="utf-8")
        size = path.stat().st_size

        peak, imported = _peak(
            lambda: load_surveyjs_results(path, fields=FIELDS, id_column="id")
        )

        assert len(imported) == 8000  # type: ignore[arg-type]
        assert peak < 4 * size, f"peak {peak} bytes for a {size}-byte export"


class _ChunksOnly(io.StringIO):
    """A text stream that refuses to be read whole."""

    def read(self, size: int | None = -1, /) -> str:
        if size is None or size < 0 or size > _json_array.CHUNK_CHARS:
            msg = f"read({size}) called: the importer did not stream"
            raise AssertionError(msg)
        return super().read(size)


@contextlib.contextmanager
def _chunk(size: int) -> Iterator[None]:
    old = _json_array.CHUNK_CHARS
    _json_array.CHUNK_CHARS = size
    try:
        yield
    finally:
        _json_array.CHUNK_CHARS = old


_NOISE = list(',:[]{}"x1 \n')


def _streamed(text: str, size: int) -> Any:
    with _chunk(size), _json_array.open_array(io.StringIO(text), limit=10**9) as reader:
        return list(reader) if reader.is_array else reader.whole()


def _outcome(read: Callable[[], Any]) -> Any:
    """The value read, or the problems of the error (what a user sees)."""
    try:
        return ("value", read())
    except DataFileError as error:
        return ("error", [(p.path, p.message, p.value) for p in error.problems])


class TestStreamedJson:
    def test_reads_in_chunks(self) -> None:
        """The results stream is read a chunk at a time, never whole."""
        text = _results_json(300)
        with _chunk(512):
            imported = load_surveyjs_results(
                _ChunksOnly(text), fields=FIELDS, id_column="id"
            )
        assert len(imported) == 300
        assert imported.respondents[-1] == "300"

    @settings(max_examples=150, deadline=None)
    @given(
        results=st.lists(json_values(max_leaves=12), max_size=6),
        indent=st.sampled_from([None, 0, 2]),
        size=st.sampled_from([1, 2, 3, 7, 64]),
    )
    def test_same_as_the_one_parser(
        self, results: list[Any], indent: int | None, size: int
    ) -> None:
        """Any array, in chunks of any size: what parse_json reads (or refuses).

        Infinities (written as ``Infinity``) are refused by both alike.
        """
        text = json.dumps(results, indent=indent)

        expected = _outcome(lambda: parse_json(text, "<s>", limit=10**9))
        assert _outcome(lambda: _streamed(text, size)) == expected

    @settings(max_examples=200, deadline=None)
    @given(
        results=st.lists(json_values(max_leaves=8), min_size=1, max_size=4),
        data=st.data(),
        size=st.sampled_from([1, 3, 16]),
    )
    def test_broken_text_fails_alike(
        self, results: list[Any], data: st.DataObject, size: int
    ) -> None:
        """Cut short, or with a character dropped or added: the same outcome."""
        text = json.dumps(results, indent=1)
        at = data.draw(st.integers(0, len(text) - 1))
        broken = data.draw(
            st.sampled_from(
                [
                    text[:at],
                    text[:at] + text[at + 1 :],
                    text[:at] + data.draw(st.sampled_from(_NOISE)) + text[at:],
                ]
            )
        )

        expected = _outcome(lambda: parse_json(broken, "<s>", limit=10**9))
        assert _outcome(lambda: _streamed(broken, size)) == expected

    @pytest.mark.parametrize(
        "text",
        [
            '[{"a": 1, "a": 2}]',
            "[NaN]",
            "[1, 2,]",
            "[1 2]",
            "[1",
            "[1] x",
            '[\n  {"a": 1},\n  {"a": tru}\n]',
            "[" + "9" * 5000 + "]",
            "\n\n[1,\n " + "-" + "7" * 4400 + "]",
            '{"results": []}',
            "",
            "  ",
            "[" * 100_000,
        ],
    )
    @pytest.mark.parametrize("size", [1, 5, 1 << 20])
    def test_errors_match(self, text: str, size: int) -> None:
        """Each mistake is the one parser's error, at the same line and column."""
        expected = _outcome(lambda: parse_json(text, "<s>", limit=10**9))
        assert expected[0] == "error" or text.startswith("{")
        assert _outcome(lambda: _streamed(text, size)) == expected

    def test_a_huge_element_costs_linear_time(self) -> None:
        """An element far longer than a chunk doubles each read: few reads."""
        big = {"text": "x" * 200_000}
        calls: list[int] = []

        class Counting(io.StringIO):
            def read(self, size: int | None = -1, /) -> str:
                calls.append(size or 0)
                return super().read(size)

        with (
            _chunk(64),
            _json_array.open_array(
                Counting(json.dumps([big, 1])), limit=10**9
            ) as reader,
        ):
            assert list(reader) == [big, 1]
        assert len(calls) < 30

    def test_the_size_cap_holds(self) -> None:
        """A results file over the cap is refused as it is read."""
        text = "[" + "1," * 1000 + "1]"
        with (
            pytest.raises(DataFileError, match="larger than"),
            _json_array.open_array(io.StringIO(text), limit=100) as reader,
        ):
            list(reader)

    def test_a_byte_stream_is_refused(self) -> None:
        """A binary file says to open it in text mode."""
        with pytest.raises(DataFileError, match="text mode"):
            load_surveyjs_results(io.BytesIO(b"[]"), fields={"a": "a"})  # type: ignore[arg-type]

    def test_not_an_array_says_so(self, tmp_path: Path) -> None:
        """A wrapped export is refused with what to pass instead."""
        path = tmp_path / "wrapped.json"
        path.write_text('{"results": [{"q0": 1}]}', encoding="utf-8")

        with pytest.raises(DataFileError, match="pass the list itself"):
            load_surveyjs_results(path, fields={"q0": "a"})

    def test_a_bom_is_skipped(self) -> None:
        """A file saved with a byte-order mark reads as without it."""
        imported = load_surveyjs_results(
            io.StringIO('\ufeff[{"q0": 3}]'), fields={"q0": "a"}
        )
        assert imported.rows == ({"a": 3},)


class TestResponseRows:
    def test_reads_like_a_tuple_of_dicts(self) -> None:
        """Index, negative index, slice, iteration, equality, repr, length."""
        expected = ({"a": 1, "b": "x"}, {"a": None, "b": "y"}, {"a": 1.5, "b": "x"})
        rows = ResponseRows.from_columns({"a": [1, None, 1.5], "b": ["x", "y", "x"]})

        assert rows == expected
        assert expected == rows
        assert rows[-1] == expected[-1]
        assert rows[1:] == expected[1:]
        assert list(rows) == list(expected)
        assert repr(rows) == repr(expected)
        assert len(rows) == 3
        assert rows != expected[:2]
        assert rows.column("b") == ["x", "y", "x"]
        with pytest.raises(IndexError):
            rows[3]
        with pytest.raises(KeyError):
            rows.column("c")
        with pytest.raises(TypeError):
            hash(rows)

    def test_every_access_is_a_fresh_dict(self) -> None:
        """Editing a row never changes the import."""
        rows = ResponseRows.from_columns({"a": [4]})

        rows[0]["a"] = 99
        next(iter(rows))["a"] = 98

        assert rows[0] == {"a": 4}

    def test_values_keep_their_types(self) -> None:
        """1, 1.0, True and "1" stay apart; lists (checkbox answers) stay lists."""
        values = [1, 1.0, True, "1", [1, 2], [1, 2], None, 0, False, 0.0, -0.0]
        rows = ResponseRows.from_columns({"a": values})

        got = rows.column("a")
        assert got == values
        assert [type(v) for v in got] == [type(v) for v in values]
        assert [repr(v) for v in got] == [repr(v) for v in values]

    def test_codes_widen(self) -> None:
        """More than 255 and 65,535 distinct values still read back exactly."""
        column = ColumnBuilder()
        values = [f"text {n}" for n in range(70_000)] + ["text 3"]
        for value in values:
            column.add(value)

        assert column.codes.itemsize >= 4
        rows = ResponseRows.from_builders({"a": column}, len(values))
        assert rows.column("a") == values
        # Past MAX_INDEXED distinct values (free text) each is kept as it comes.
        assert len(column.levels) == 1 + len(values)
        assert MAX_INDEXED < 70_000

    def test_text_cells_code_as_any_value(self) -> None:
        """add_text (CSV cells) gives the levels and codes add gives."""
        chance = random.Random(5)  # noqa: S311 -- test data, not secrets
        cells = [
            None if chance.random() < 0.2 else str(chance.randint(0, 6000))
            for _ in range(20_000)
        ]
        by_value, by_text = ColumnBuilder(), ColumnBuilder()
        for cell in cells:
            by_value.add(cell)
            by_text.add_text(cell)

        assert by_text.levels == by_value.levels
        assert by_text.codes == by_value.codes
        rows = ResponseRows.from_builders({"a": by_text}, len(cells))
        assert rows.column("a") == cells

    def test_no_items(self) -> None:
        """Rows without items are empty dicts, one per row."""
        rows = ResponseRows([], [], [], 2)

        assert list(rows) == [{}, {}]
        assert rows == ({}, {})


class TestSameAnswers:
    def test_to_columns_from_the_compact_columns(self) -> None:
        """to_columns() gives each item's answers, as the rows hold them."""
        imported = load_redcap_export(
            io.StringIO(_answer_only_csv(50)), fields=FIELDS, id_column="record_id"
        )
        columns = imported.to_columns(id_column="who")

        assert columns["who"] == [str(n) for n in range(1, 51)]
        assert columns["item-3"] == [row["item-3"] for row in imported.rows]

    def test_na_codes_counted_per_row(self) -> None:
        """N/A codes are parsed once per distinct value but counted per answer."""
        instrument = load_instrument("ally-model-reflection")
        item = "ac-use-influence"  # has a 'does not apply' answer
        text = "record_id,q\n1,99\n2,3\n3,99\n4, 99\n"

        imported = load_redcap_export(
            io.StringIO(text),
            fields={"q": item},
            id_column="record_id",
            instrument=instrument,
            na_codes=[99],
        )

        assert imported.not_applicable == 3
        assert imported.rows[1] == {item: 3}
        assert imported.rows[0] == imported.rows[2] == imported.rows[3]
