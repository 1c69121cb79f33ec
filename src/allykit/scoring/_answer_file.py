"""A file of answers, read as rows in bounded memory: CSV or Parquet.

Private to :mod:`allykit.scoring.answers` (public names there). CSV is read
in UTF-8 (with or without a byte-order mark) or a declared encoding; a pipe
(or ``-``, standard input) is read once, in one pass; Parquet needs pyarrow
or polars and a regular file. A line longer than :data:`MAX_LINE_CHARS`
(a 200 KB cell, ``/dev/zero``) is refused as soon as it is seen, so no
input is read for ever or held whole.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from allykit.errors import AllykitError, DataFileError, Problem, short_repr

__all__ = [
    "MAX_LINE_CHARS",
    "AnswerFile",
    "answer_cell",
    "is_frame",
    "parquet_engine",
    "qualtrics_extra_rows",
]

#: Longest line (and so cell) of a CSV file of answers, in characters.
MAX_LINE_CHARS = 128 * 1024
_SUFFIXES = (".csv", ".parquet")
_PARQUET_MISSING = (
    "reading or writing Parquet needs pyarrow (or polars): "
    "python -m pip install pyarrow"
)
_QUALTRICS_MARKERS = frozenset({"StartDate", "ResponseId", "RecordedDate"})


def answer_cell(text: str) -> Any:
    """Return a CSV cell as an answer: blank is missing, numbers are numbers.

    >>> answer_cell(" 4 "), answer_cell("3.5"), answer_cell(""), answer_cell("Agree")
    (4, 3.5, None, 'Agree')
    """
    value = text.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return value
    return number if math.isfinite(number) else value


#: The types of pandas' missing values besides NaN (``pd.NA``, ``pd.NaT``).
_PANDAS_MISSING = frozenset({"NAType", "NaTType"})


def frame_value(value: Any) -> Any:
    """Return a frame or Parquet value as an answer: NaN (pandas' missing) is None.

    So are ``pd.NA`` (the missing value of pandas' nullable ``Int64``,
    ``Float64`` and ``string`` columns) and ``pd.NaT``.
    """
    if isinstance(value, float) and math.isnan(value):
        return None
    kind = type(value)
    if kind.__name__ in _PANDAS_MISSING and kind.__module__.startswith("pandas"):
        return None
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        return frame_value(item())
    return value


def qualtrics_extra_rows(header: Sequence[Any], first: Sequence[Sequence[Any]]) -> int:
    """How many of the *first* data rows are a Qualtrics export's extra header rows.

    A Qualtrics CSV export has three header rows: the column names, the
    question texts (``Start Date`` under ``StartDate``) and a row of JSON
    (``{"ImportId":"QID1"}``). Read as CSV, the last two are the first data
    rows; this returns 2 for them, 1 when only the question texts are
    there, and 0 for any other table (one without the Qualtrics columns).

    >>> header = ["StartDate", "ResponseId", "Q1"]
    >>> qualtrics_extra_rows(
    ...     header,
    ...     [["Start Date", "Response ID", "How often?"],
    ...      ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}',
    ...       '{"ImportId":"QID1"}']],
    ... )
    2
    >>> qualtrics_extra_rows(header, [["2026-01-01", "R_1", "4"]])
    0
    """
    if not _QUALTRICS_MARKERS & {str(name) for name in header}:
        return 0

    def texts(row: Sequence[Any]) -> list[str]:
        return [cell.strip() for cell in row if isinstance(cell, str)]

    if len(first) > 1 and any(t.startswith('{"ImportId"') for t in texts(first[1])):
        return 2
    if first and any(t.startswith('{"ImportId"') for t in texts(first[0])):
        return 1  # the question texts were left out already
    if first and "Start Date" in texts(first[0]):
        return 1
    return 0


def format_of(path: Path, what: str) -> str:
    """Return ``"csv"`` or ``"parquet"`` from *path*'s suffix (``-`` is CSV)."""
    if str(path) == "-" and what == "input":
        return "csv"  # standard input
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        msg = (
            f"cannot tell the format of the {what} {str(path)!r} from its suffix; "
            "use .csv or .parquet"
        )
        raise AllykitError(msg)
    return suffix[1:]


def parquet_engine() -> str:
    """Return ``"pyarrow"`` or ``"polars"``, whichever can read Parquet."""
    from importlib.util import find_spec

    for engine in ("pyarrow", "polars"):
        try:
            found = find_spec(engine) is not None
        except ValueError:
            found = False
        if found:
            return engine
    raise AllykitError(_PARQUET_MISSING)


def _problem(message: str, hint: str = "", path: str = "") -> Problem:
    return Problem(path=path, message=message, hint=hint)


class _Lines:
    """The lines of a text stream, each at most :data:`MAX_LINE_CHARS` long."""

    def __init__(self, handle: Any, source: str) -> None:
        self.handle = handle
        self.source = source
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text: str = self.handle.readline(MAX_LINE_CHARS + 1)
        if not text:
            raise StopIteration
        self.line += 1
        if len(text) > MAX_LINE_CHARS:
            problem = _problem(
                f"line {self.line} is longer than {MAX_LINE_CHARS:,} characters",
                "a cell of answers is short text; check that this is the file "
                "of answers",
            )
            raise DataFileError(self.source, [problem])
        return text


class _Records:
    """CSV records of *lines*, read strictly: each bad quote is an error.

    Read leniently, a cell that opens with a quote and never closes takes
    every following line into itself, and those rows vanish. The error names
    the line where the record with the bad quote starts.
    """

    def __init__(self, lines: _Lines, source: str) -> None:
        self._reader = csv.reader(lines, strict=True)
        self.source = source
        self.line_num = 0

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            record: list[str] = next(self._reader)
        except csv.Error as error:
            start = self.line_num + 1
            message = (
                'a cell opens with a quote (") on this line and is never closed'
                if "end of data" in str(error)
                else f"a quoted cell from this line on is not valid CSV ({error})"
            )
            problem = _problem(
                message,
                "end a quoted cell with a quote, and write a quote inside one "
                'twice ("")',
                path=f"line {start}",
            )
            raise DataFileError(self.source, [problem]) from None
        self.line_num = self._reader.line_num
        return record


class AnswerFile:
    """A CSV or Parquet file of answers: its header and an iterator of rows.

    Rows are dicts of column -> answer (cells read by :func:`answer_cell`;
    the id column's cells kept as text, so ``007`` stays ``007``), each with
    its line number (CSV) or row number (Parquet), 1-based.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        id_column: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = os.fspath(path)
        self.kind = format_of(self.path, "input")
        self.id_column = id_column
        self.encoding = encoding or "utf-8-sig"
        self.stdin = self.name == "-"
        self.regular = not self.stdin and _is_regular(self.path)
        self.skipped = 0  # extra header rows (Qualtrics) left out
        self._stream: Any = None
        self._lines: _Lines | None = None
        self._reader: Any = None
        self._peeked: list[tuple[int, list[str]]] = []
        if self.kind == "csv":
            _check_encoding(self.encoding)
        if self.kind == "parquet" and not self.regular:
            msg = (
                f"{self.name} is not a regular file (a pipe?): Parquet is read by "
                "seeking, so save it to a file first, or pipe CSV instead"
            )
            raise AllykitError(msg)
        if not self.stdin:
            _check_exists(self.path)
        self.engine = parquet_engine() if self.kind == "parquet" else ""
        try:
            self.columns: list[str] = self._guarded(self._header)
        except BaseException:
            self.close()
            raise
        if self.regular:
            self.close()  # read again from the start by rows()

    @property
    def plain(self) -> bool:
        """Whether the file can be read by other engines as it is (for batches)."""
        return self.kind == "parquet" or (
            self.regular and self.encoding == "utf-8-sig" and not self.skipped
        )

    def _errors(self) -> tuple[type[Exception], ...]:
        if self.kind == "csv":
            return (UnicodeDecodeError, csv.Error)
        if self.engine == "pyarrow":
            import pyarrow as pa

            return (pa.ArrowException, OSError)
        import polars as pl

        return (pl.exceptions.PolarsError, OSError)

    def _unreadable(self, error: Exception) -> DataFileError:
        if isinstance(error, UnicodeDecodeError):
            return DataFileError(self.name, [self._undecodable(error)])
        problem = _problem(
            f"cannot read the file as {self.kind.upper()}: {error}",
            "check that the file is CSV or Parquet, as its suffix says",
        )
        return DataFileError(self.name, [problem])

    def _undecodable(self, error: UnicodeDecodeError) -> Problem:
        """Where the file stops being text in its encoding, and what to pass."""
        declared = self.encoding != "utf-8-sig"
        hint = (
            "check the encoding named for the file"
            if declared
            else "name the file's encoding (Excel on Windows saves cp1252): "
            "encoding='cp1252' in Python, --encoding cp1252 on the command line"
        )
        name = "UTF-8" if self.encoding == "utf-8-sig" else self.encoding
        found = _first_bad_byte(self.path, self.encoding) if self.regular else None
        if found is None:  # a pipe, read once: as far as the reader got
            after = self._lines.line if self._lines is not None else 0
            value = error.object[error.start : error.start + 1] or b"\x00"
            return _problem(
                f"cannot read the file as CSV text in {name}: a byte "
                f"(0x{value[0]:02x}) at or after line {after + 1} is not {name}",
                hint,
            )
        line, column, value = found
        if not declared and _utf16_bom(self.path):
            return _problem(
                "the file is UTF-16 text (it starts with a UTF-16 byte-order "
                "mark), not UTF-8",
                "read it with encoding='utf-16' in Python, --encoding utf-16 on the "
                "command line",
                path="line 1",
            )
        return _problem(
            f"cannot read the file as CSV text in {name}: byte {column} of "
            f"the line (0x{value[0]:02x}) is not {name}",
            hint,
            path=f"line {line}",
        )

    def _guarded(self, read: Any) -> Any:
        try:
            return read()
        except self._errors() as error:
            raise self._unreadable(error) from None

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(line or row number, {column: answer})`` for each data row."""
        try:
            yield from self._rows()
        except self._errors() as error:
            raise self._unreadable(error) from None

    def count(self) -> int:
        """Return the number of data rows (for CSV, a pass over the file)."""
        if self.kind == "csv":
            with self._open() as handle:
                lines = _Lines(handle, self.name)
                records = _Records(lines, self.name)
                rows: int = self._guarded(lambda: sum(1 for _ in records))
                return rows - 1
        if self.engine == "pyarrow":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(self.path).metadata.num_rows)
        import polars as pl

        return int(pl.scan_parquet(self.path).select(pl.len()).collect().item())

    def close(self) -> None:
        """Close the stream of a one-pass input (a pipe)."""
        if self._stream is not None and self.stdin:
            self._stream.detach()  # standard input stays open
        elif self._stream is not None:
            self._stream.close()
        self._stream = None
        self._reader = None
        self._peeked = []

    def __enter__(self) -> AnswerFile:  # noqa: PYI034 -- a final class
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _open(self) -> Any:
        if self.stdin:
            return io.TextIOWrapper(
                sys.stdin.buffer, encoding=self.encoding, newline=""
            )
        return self.path.open(encoding=self.encoding, newline="")

    def _header(self) -> list[str]:
        if self.kind == "parquet":
            if self.engine == "pyarrow":
                import pyarrow.parquet as pq

                return list(pq.ParquetFile(self.path).schema_arrow.names)
            import polars as pl

            return pl.scan_parquet(self.path).collect_schema().names()
        self._stream = self._open()
        self._lines = _Lines(self._stream, self.name)
        self._reader = _Records(self._lines, self.name)
        first: list[str] | None = next(self._reader, None)
        if first is None:
            problem = _problem("the file has no header row", path="row 1")
            raise DataFileError(self.name, [problem])
        self._skip_extra_headers(first)
        return first

    def _skip_extra_headers(self, header: list[str]) -> None:
        """Leave out the two extra header rows of a Qualtrics export."""
        if not _QUALTRICS_MARKERS & set(header):
            return
        for _ in range(2):
            record = next(self._reader, None)
            if record is None:
                break
            self._peeked.append((self._reader.line_num, record))
        self.skipped = qualtrics_extra_rows(header, [r for _, r in self._peeked])
        self._peeked = self._peeked[self.skipped :]

    def _rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        if self.kind == "csv":
            if self._reader is None:  # read again: a regular file
                self._header()
            try:
                yield from self._csv_records()
            finally:
                self.close()
            return
        if self.engine == "pyarrow":
            import pyarrow.parquet as pq

            number = 0
            with pq.ParquetFile(self.path) as parquet:
                for batch in parquet.iter_batches(batch_size=4096):
                    for row in batch.to_pylist():
                        number += 1
                        yield number, {k: frame_value(v) for k, v in row.items()}
            return
        import polars as pl

        for number, row in enumerate(
            pl.read_parquet(self.path).iter_rows(named=True), start=1
        ):
            yield number, {k: frame_value(v) for k, v in row.items()}

    def _csv_records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        width = len(self.columns)
        at = (
            self.columns.index(self.id_column) if self.id_column in self.columns else -1
        )
        reader = self._reader
        pending = self._peeked
        self._peeked = []
        while True:
            if pending:
                line, record = pending.pop(0)
            else:
                following: list[str] | None = next(reader, None)
                if following is None:
                    return
                record, line = following, reader.line_num
            if len(record) > width:
                problem = _problem(
                    f"{len(record)} cells, but the header names {width} columns",
                    "quote cells that hold commas",
                    path=f"line {line}",
                )
                raise DataFileError(self.name, [problem])
            row = dict(zip(self.columns, map(answer_cell, record), strict=False))
            if 0 <= at < len(record):
                # The id is copied as text (an id of 007 stays 007).
                row[self.columns[at]] = record[at].strip() or None
            yield line, row


def _utf16_bom(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(2) in {b"\xff\xfe", b"\xfe\xff"}
    except OSError:
        return False


def _first_bad_byte(path: Path, encoding: str) -> tuple[int, int, bytes] | None:
    """Return (line, byte in the line, the byte) of the first byte not text."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    line, raw = 0, b""
    try:
        with path.open("rb") as handle:
            for line, raw in enumerate(iter(handle.readline, b""), start=1):  # noqa: B007 -- read in the handler
                decoder.decode(raw)
    except UnicodeDecodeError as error:
        start = max(0, error.start - (len(error.object) - len(raw)))
        return line, start + 1, raw[start : start + 1] or b"\x00"
    except OSError:
        return None
    return None


def _check_encoding(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        shown = short_repr(encoding)
        msg = f"unknown text encoding {shown}; name one such as 'utf-8' or 'cp1252'"
        raise AllykitError(msg) from None


def _check_exists(path: Path) -> None:
    try:
        found = path.stat()
    except FileNotFoundError:
        problem = _problem("cannot read the file: no such file", "check the path")
        raise DataFileError(str(path), [problem]) from None
    except RuntimeError:  # a symlink loop (Path.resolve before Python 3.13)
        problem = _problem("cannot read the file: a loop of symbolic links")
        raise DataFileError(str(path), [problem]) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            problem = _problem("cannot read the file: a loop of symbolic links")
        else:
            problem = _problem(
                f"cannot read the file: {error.strerror or error}",
                "check the path and its permissions",
            )
        raise DataFileError(str(path), [problem]) from None
    if stat.S_ISDIR(found.st_mode):
        problem = _problem("this is a folder; name the file of answers")
        raise DataFileError(str(path), [problem])


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # reported when the file is opened


# Modules whose objects are DataFrames (or lazy frames) rather than rows.
_FRAME_LIBRARIES = frozenset(
    {
        "cudf",
        "dask",
        "dask_expr",
        "duckdb",
        "ibis",
        "modin",
        "narwhals",
        "pandas",
        "polars",
        "pyarrow",
        "pyspark",
        "sqlframe",
    }
)


def is_frame(data: object) -> bool:
    """Tell whether *data* is a DataFrame of some library rather than rows.

    Looks only at the type's module (no frame library is imported), so a
    list, tuple or generator of mappings is never mistaken for a frame.

    >>> is_frame([{"a": 1}]), is_frame({"a": [1]})
    (False, False)
    >>> import pandas as pd
    >>> is_frame(pd.DataFrame({"a": [1]}))
    True
    """
    if isinstance(data, (list, tuple, Mapping, str)):
        return False
    return type(data).__module__.partition(".")[0] in _FRAME_LIBRARIES
