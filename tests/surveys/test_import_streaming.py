"""CSV importers stream (issue 21, item 8).

An import used to hold the whole text, then every record of the export,
then the columns, then the rows: about 35 times the export at its peak.
Now the export is read a line at a time and only the mapped answers are
kept, compactly (see test_import_compact.py), so the peak is the result and
a little more. ``benchmarks/bench_import_memory.py`` measures it on 20 MB
and 100 MB exports; these tests hold the rule on small ones.
"""

from __future__ import annotations

import gc
import io
import random
import tracemalloc
from pathlib import Path

import pytest

from allykit import DataFileError
from allykit.surveys import _reading, load_qualtrics_export, load_redcap_export

ITEMS = 20
FIELDS = {f"q{k}": f"item-{k}" for k in range(ITEMS)}


def _export(rows: int) -> str:
    """A REDCap raw export: id, timestamp, items, another form's free text."""
    chance = random.Random(rows)  # noqa: S311 -- test data, not secrets
    others = [f"other_{k}" for k in range(10)]
    lines = [",".join(["record_id", "form_timestamp", *FIELDS, *others])]
    for record in range(1, rows + 1):
        codes = [str(chance.randint(1, 5)) for _ in FIELDS]
        texts = [f"free text answer {chance.randint(0, 10**6)}" for _ in others]
        lines.append(",".join([str(record), "2026-01-01 10:00:00", *codes, *texts]))
    return "\n".join(lines) + "\n"


class _LinesOnly(io.StringIO):
    """A text stream that refuses to be read whole."""

    def read(self, size: int | None = -1, /) -> str:  # noqa: ARG002 -- refused
        msg = "read() called: the importer did not stream"
        raise AssertionError(msg)


def test_reads_line_by_line() -> None:
    """The importer takes lines from the stream, never read() of all of it."""
    imported = load_redcap_export(
        _LinesOnly(_export(50)),
        fields=FIELDS,
        id_column="record_id",
        ignore=["other_*", "form_timestamp"],
    )
    assert len(imported.rows) == 50


def test_peak_is_a_few_times_the_export(tmp_path: Path) -> None:
    """Peak Python memory of an import stays within 4x the export's size."""
    path = tmp_path / "export.csv"
    path.write_text(_export(6000), encoding="utf-8")
    size = path.stat().st_size
    gc.collect()
    tracemalloc.start()
    try:
        imported = load_redcap_export(
            path,
            fields=FIELDS,
            id_column="record_id",
            ignore=["other_*", "form_timestamp"],
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(imported.rows) == 6000
    assert peak < 4 * size, f"peak {peak} bytes for a {size}-byte export"


def test_same_result_as_reading_whole(tmp_path: Path) -> None:
    """A path, a stream and a stream without readline() give the same rows."""
    text = _export(30)
    path = tmp_path / "export.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")

    class _ReadOnly:
        def __init__(self, text: str) -> None:
            self.text = text

        def read(self, size: int = -1) -> str:
            return self.text if size < 0 else self.text[:size]

    options = {"fields": FIELDS, "id_column": "record_id", "strict": False}
    from_path = load_redcap_export(path, **options)  # type: ignore[arg-type]
    from_stream = load_redcap_export(io.StringIO(text), **options)  # type: ignore[arg-type]
    from_reader = load_redcap_export(_ReadOnly(text), **options)  # type: ignore[arg-type]
    assert from_path.rows == from_stream.rows == from_reader.rows
    assert from_path.respondents == from_stream.respondents


def test_size_cap_while_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cap is counted as lines are read; a larger export is refused."""
    monkeypatch.setattr(_reading, "MAX_EXPORT_CHARS", 500)
    with pytest.raises(DataFileError, match="larger than 500 characters"):
        load_redcap_export(
            io.StringIO(_export(40)), fields=FIELDS, id_column="record_id"
        )


def test_bad_utf8_and_bad_csv_still_reported(tmp_path: Path) -> None:
    """Errors found mid-file are the same DataFileError as before."""
    path = tmp_path / "latin.csv"
    path.write_bytes(b"record_id,q0\n1,caf\xe9\n")
    with pytest.raises(DataFileError, match="not UTF-8"):
        load_redcap_export(path, fields={"q0": "item-0"}, id_column="record_id")
    quoted = tmp_path / "quote.csv"
    quoted.write_text('record_id,q0\n1,"open\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="not a valid CSV file"):
        load_redcap_export(quoted, fields={"q0": "item-0"}, id_column="record_id")


def test_qualtrics_header_rows_streamed() -> None:
    """Qualtrics' three header rows are read off the stream, then the data."""
    text = (
        "ResponseId,Q1,Q2\n"
        "Response ID,First question,Second question\n"
        '{"ImportId":"_recordId"},{"ImportId":"QID1"},{"ImportId":"QID2"}\n'
        "R_1,4,2\n"
        "R_2,5,\n"
    )
    imported = load_qualtrics_export(
        _LinesOnly(text), fields={"Q1": "a", "Q2": "b"}, id_column="ResponseId"
    )
    assert imported.rows == ({"a": 4, "b": 2}, {"a": 5, "b": None})
    assert imported.respondents == ("R_1", "R_2")
