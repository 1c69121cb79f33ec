"""Scoring a file at frame speed: batches through ``score_frame``.

Private to :mod:`allykit.scoring.scorefile`. With the frames extra
(narwhals) and pyarrow installed, the input is read in batches (Parquet by
row groups of at most :data:`BATCH_ROWS` rows, CSV in blocks of about
:data:`CSV_BLOCK_BYTES`), each batch is scored by
:func:`allykit.scoring.frames.score_frame` (on polars when installed,
else pyarrow) and written before the next one is read, so memory stays
bounded by the batch, not the file.

The answers mean exactly what they mean on the row-by-row path: a CSV
column of numbers is numbers, a column of text is labels, blanks are
missing. A batch the columns cannot describe exactly (a CSV column mixing
numbers and text, a label with a digit in it, ``inf`` or ``nan``, a type
that cannot hold answers) or that holds an unusable answer is scored row by
row through :func:`allykit.score_many` instead, so errors, counts of
answers treated as missing and results are the same as without the extra.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allykit import errors
from allykit.errors import DataFileError, ResponseError
from allykit.outputs import neutralised

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._score import InvalidPolicy, ScoreReport

__all__ = [
    "BATCH_ROWS",
    "CSV_BLOCK_BYTES",
    "RowFailed",
    "RowPath",
    "available",
    "score_batches",
]

#: Largest batch of rows scored at once (Parquet row groups are split to it).
BATCH_ROWS = 65_536
#: Size of a CSV block read at once (about 50,000 rows of a short survey).
CSV_BLOCK_BYTES = 4 * 1024 * 1024

# Text that Python's int() or float() might read as a number: such a column
# is scored row by row, where each cell is read as the row path reads it.
_NUMBERISH = r"[0-9]|^[+-]?(inf|infinity|nan)$"


def available() -> bool:
    """Whether the frame path can run: narwhals and pyarrow importable."""
    from importlib.util import find_spec

    try:
        return find_spec("narwhals") is not None and find_spec("pyarrow") is not None
    except ValueError:  # pragma: no cover - a loaded module without a spec
        return False


class RowPath(Exception):  # noqa: N818 -- a signal to the command, not an error
    """The batches cannot read this file: score it row by row from the start."""


class RowFailed(Exception):  # noqa: N818 -- a signal to the command, not an error
    """An unusable answer at *row* (0-based, over the whole file)."""

    def __init__(self, row: int, error: ResponseError, respondent: Any) -> None:
        super().__init__(str(error))
        self.row = row
        self.error = error
        self.respondent = respondent


def score_batches(  # noqa: PLR0913 -- the command's choices, passed on
    instrument: Instrument,
    path: Path,
    kind: str,
    *,
    mapping: Mapping[str, str],
    id_column: str | None,
    policy: InvalidPolicy,
    cell: Callable[[str], Any],
) -> Iterator[tuple[Any, list[ScoreReport] | None, int]]:
    """Yield ``(pyarrow table of scores, reports or None, problems)`` per batch.

    The table has the id column (if named) and the score columns. *reports*
    is set for batches scored row by row (for the summary), else None.
    *cell* is the row path's reading of a CSV cell.

    Raises:
        RowFailed: With ``policy="raise"``, at the first unusable answer.
        DataFileError: If the file cannot be read.
    """
    import pyarrow as pa

    offset = 0
    for batch in _read(path, kind, [*mapping.values(), *_id(id_column)]):
        table = (
            pa.Table.from_batches([batch])
            if isinstance(batch, pa.RecordBatch)
            else batch
        )
        frame = _answers(table, kind, mapping, id_column)
        scored = None
        if frame is not None:
            scored = _fast(instrument, frame, mapping, id_column)
        if scored is not None:
            yield scored, None, 0
        else:
            yield _by_rows(
                instrument,
                table,
                kind,
                mapping=mapping,
                id_column=id_column,
                policy=policy,
                cell=cell,
                offset=offset,
            )
        offset += table.num_rows


def _id(id_column: str | None) -> list[str]:
    return [] if id_column is None else [id_column]


def _read(path: Path, kind: str, names: list[str]) -> Iterator[Any]:
    """Yield pyarrow record batches of the columns *names*."""
    import pyarrow as pa

    wanted = list(dict.fromkeys(names))
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            with pq.ParquetFile(path) as parquet:
                yield from parquet.iter_batches(batch_size=BATCH_ROWS, columns=wanted)
            return
        import pyarrow.csv as pacsv

        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=CSV_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(wanted, pa.string()),
                include_columns=wanted,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        with reader:
            yield from reader
    except pa.ArrowException as error:
        if kind == "csv":
            raise RowPath from None
        problem = errors.Problem(
            path="",
            message=f"cannot read the file as {kind.upper()}: {error}",
            hint="check that the file is UTF-8 CSV or Parquet, as its suffix says",
        )
        raise DataFileError(str(path), [problem]) from None


def _answers(
    table: Any, kind: str, mapping: Mapping[str, str], id_column: str | None
) -> Any | None:
    """Return the batch as typed answer columns, or None to score it row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns: dict[str, Any] = {}
    if id_column is not None:
        ids = table.column(id_column)
        if kind == "csv":
            ids = _blank_to_null(pc.utf8_trim_whitespace(ids))
        columns[id_column] = ids
    for column_name in dict.fromkeys(mapping.values()):
        values = table.column(column_name)
        if (
            kind == "csv"
            or pa.types.is_string(values.type)
            or pa.types.is_large_string(values.type)
        ):
            typed = _typed_text(values, trim=kind == "csv")
            if typed is None:
                return None
            columns[column_name] = typed
        elif pa.types.is_null(values.type) or (
            (pa.types.is_integer(values.type) or pa.types.is_floating(values.type))
            and not pa.types.is_float16(values.type)
        ):
            columns[column_name] = values.cast(pa.float64())
        else:
            return None  # a type the row path reads value by value
    return pa.table(columns)


def _blank_to_null(values: Any) -> Any:
    import pyarrow.compute as pc

    return pc.if_else(pc.equal(values, ""), None, values)


def _typed_text(values: Any, *, trim: bool) -> Any | None:
    """Numbers or labels, as the row path reads the cells; None if mixed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values.cast(pa.string())
    if trim:
        text = _blank_to_null(pc.utf8_trim_whitespace(text))
    try:
        numbers = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        # Text: labels, unless some cell might read as a number.
        if pc.any(pc.match_substring_regex(text, _NUMBERISH, ignore_case=True)).as_py():
            return None
        return text if trim else values
    if not trim:
        return None  # a Parquet text column of numbers: read value by value
    if pc.any(pc.invert(pc.is_finite(numbers))).as_py():
        return None  # inf or nan: text to the row path
    return numbers


def _fast(
    instrument: Instrument,
    frame: Any,
    mapping: Mapping[str, str],
    id_column: str | None,
) -> Any | None:
    """Score a clean batch with score_frame; None if some answer is unusable."""
    from allykit.scoring.frames import score_frame

    native = frame
    polars = _polars()
    if polars is not None:
        native = polars.from_arrow(frame)
    import warnings

    from allykit.errors import UnvalidatedInstrumentWarning

    try:
        with warnings.catch_warnings():
            # The same warnings as row by row: the status is in the summary
            # and the provenance record, not a warning per batch.
            warnings.simplefilter("ignore", UnvalidatedInstrumentWarning)
            result = score_frame(
                instrument,
                native,
                columns=dict(mapping),
                id_column=id_column,
                invalid="raise",
            )
    except ResponseError:
        return None  # the row path names the row and counts the answers
    if polars is None:
        return result
    table = result.to_arrow()
    if id_column is not None:  # polars writes large strings: keep the input's type
        at = table.schema.get_field_index(id_column)
        table = table.set_column(
            at, id_column, table.column(at).cast(frame.column(id_column).type)
        )
    return table


def _polars() -> Any:
    """Return polars (the faster engine) if installed, else None."""
    try:
        import polars as pl  # lazy: optional
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return pl


def _by_rows(  # noqa: PLR0913 -- one batch and the command's choices
    instrument: Instrument,
    table: Any,
    kind: str,
    *,
    mapping: Mapping[str, str],
    id_column: str | None,
    policy: InvalidPolicy,
    cell: Callable[[str], Any],
    offset: int,
) -> tuple[Any, list[ScoreReport], int]:
    """Score one batch row by row, as the plain install does."""
    import pyarrow as pa

    from allykit.scoring._score import score_many
    from allykit.scoring.frames import score_columns

    records = table.to_pylist()
    read = cell if kind == "csv" else _value
    ids: list[Any] = []
    answers = []
    for record in records:
        if id_column is not None:
            raw = record.get(id_column)
            if kind == "csv":
                raw = raw.strip() or None if isinstance(raw, str) else raw
            ids.append(raw)
        answers.append(
            {item: read(record.get(column)) for item, column in mapping.items()}
        )
    reports: list[ScoreReport] = []
    try:
        reports.extend(score_many(instrument, answers, invalid=policy))
    except ResponseError as error:
        row = error.row or 0
        respondent = ids[row] if id_column is not None else None
        raise RowFailed(offset + row, error, respondent) from None
    names = score_columns(instrument)
    out: dict[str, list[Any]] = {name: [] for name in names}
    for report in reports:
        for entry in report.scales:
            out[entry.scale].append(entry.score)
            out[entry.scale + "_answered"].append(entry.answered)
            out[entry.scale + "_not_applicable"].append(entry.not_applicable)
            out[entry.scale + "_prorated"].append(entry.prorated)
    arrays = {}
    if id_column is not None:
        id_type = table.column(id_column).type if kind == "parquet" else pa.string()
        arrays[id_column] = pa.array(ids, type=id_type)
    for name in names:
        arrays[name] = pa.array(out[name], type=_arrow_type(name))
    problems = sum(len(report.problems) for report in reports)
    return pa.table(arrays), reports, problems


def _value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    if name.endswith(("_answered", "_not_applicable")):
        return pa.int64()
    if name.endswith("_prorated"):
        return pa.bool_()
    return pa.float64()


def conform(table: Any, header: list[str], id_column: str | None) -> Any:
    """Return *table* with the output's columns in order and types."""
    import pyarrow as pa

    arrays = []
    for name in header:
        column = table.column(name)
        if name != id_column:
            column = column.cast(_arrow_type(name))
        arrays.append(column)
    return pa.table(arrays, names=header)


def csv_rows(
    table: Any, header: list[str], id_column: str | None, *, neutralise: bool
) -> Iterator[tuple[str, ...]]:
    """The rows of *table* as CSV cells, formatted as the row path formats them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for name in header:
        values = (
            table.column(name).to_pylist()
            if name == id_column or name.endswith("_prorated")
            else []
        )
        if name == id_column:
            cells = [_text(v) for v in values]
            if neutralise:
                cells = [neutralised(c) for c in cells]
        elif name.endswith("_prorated"):
            cells = ["" if v is None else ("true" if v else "false") for v in values]
        elif name.endswith(("_answered", "_not_applicable")):
            counts = pc.cast(table.column(name), pa.int64())
            cells = pc.fill_null(pc.cast(counts, pa.string()), "").to_pylist()
        else:
            cells = _float_text(table.column(name))
        columns.append(cells)
    return zip(*columns, strict=True)


def _float_text(column: Any) -> list[str]:
    """Numbers as ``str()`` writes them ("" for null), formatted by Arrow in C.

    Arrow and Python both write the shortest text that reads back as the same
    float; they differ only in form: Arrow drops ".0" from whole numbers
    (added back here) and uses exponents at other magnitudes (those few
    cells, and any below 1e-4 or from 1e16, are written by ``str()``).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = column.cast(pa.float64())
    text = pc.cast(numbers, pa.string())
    whole = pc.invert(pc.match_substring_regex(text, r"[.en]"))
    text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
    size = pc.abs(numbers)
    odd = pc.or_(
        pc.or_(
            pc.and_(pc.less(size, 1e-4), pc.not_equal(size, 0.0)),
            pc.greater_equal(size, 1e16),
        ),
        pc.match_substring(text, "e"),
    )
    cells: list[str] = pc.fill_null(text, "").to_pylist()
    if pc.any(odd).as_py():
        values = numbers.to_pylist()
        for at in pc.indices_nonzero(pc.fill_null(odd, fill_value=False)).to_pylist():
            cells[at] = str(values[at])
    return cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def touch(path: Path) -> None:
    """Mark a temporary file as in use (stale ones are older)."""
    with contextlib.suppress(OSError):  # the folder vanished: reported later
        os.utime(path)
