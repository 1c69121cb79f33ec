"""``allykit score``: score a file of responses (CSV or Parquet) into another.

With the frames extra and pyarrow installed, rows are scored in batches
through :func:`allykit.scoring.frames.score_frame` (see ``_batches``);
otherwise (or with ``--engine rows``) they are read one at a time and
scored with :func:`allykit.score_many`, with a progress bar. Either way a
file of any size streams through in bounded memory, and the output is the
same. Parquet needs
pyarrow (or polars). The output has the columns of
:func:`allykit.scoring.frames.score_columns` (the same as ``score_frame``), after
the id column when one is named. Only the ``-o`` file is written; if
scoring fails part-way, that file is removed again.
"""

from __future__ import annotations

import contextlib
import csv
import math
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from allykit import errors
from allykit.cli._atomic import AtomicFile, discard_pending
from allykit.cli._commands._batches import neutralised, touch
from allykit.cli._console import (
    ForceOption,
    InstrumentArgument,
    JsonOption,
    _check_output,
    _err,
    _friendly,
    _instrument,
    _out,
    _plural,
    _print_json,
    _read_json_file,
    escape,
)
from allykit.errors import (
    AllykitError,
    DataFileError,
    ResponseError,
    short_repr,
)

if TYPE_CHECKING:
    from allykit.errors import Problem
    from allykit.models.instrument import Instrument
    from allykit.scoring._score import InvalidPolicy, ScoreReport

__all__ = ["score_file"]

_PARQUET_MISSING = (
    "reading or writing Parquet needs pyarrow (or polars): "
    "python -m pip install pyarrow"
)
_SUFFIXES = (".csv", ".parquet")
# How many problems of the first bad row the error lists.
_SHOWN = 5
# Rows between two touches of the temporary output (stale ones are older).
_TOUCH_EVERY = 10_000
# A temporary output of ours (cli._atomic's naming) untouched this long is
# left over from a run that was killed: it is removed at the next run.
_STALE_SECONDS = 15 * 60
_T = TypeVar("_T")


class InvalidChoice(str, Enum):
    """What to do with answers that are not usable."""

    error = "error"
    missing = "missing"


class EngineChoice(str, Enum):
    """How ``allykit score`` scores: row by row, or in batches of frames."""

    auto = "auto"
    rows = "rows"
    frames = "frames"


def _format_of(path: Path, what: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        msg = (
            f"cannot tell the format of the {what} {str(path)!r} from its suffix; "
            "use .csv or .parquet"
        )
        raise AllykitError(msg)
    return suffix[1:]


def _parquet_engine() -> str:
    from importlib.util import find_spec

    # find_spec is None for a missing package (or one set to None in
    # sys.modules) and raises ValueError for a loaded module without a spec.
    for engine in ("pyarrow", "polars"):
        try:
            found = find_spec(engine) is not None
        except ValueError:
            found = False
        if found:
            return engine
    raise AllykitError(_PARQUET_MISSING)


def _cell(text: str) -> Any:
    """Return a CSV cell as an answer: blank is missing, numbers are numbers."""
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


def _value(value: Any) -> Any:
    """Return a Parquet value as an answer: NaN (pandas' missing) is missing."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class _Source:
    """The input file: its columns, its row count and an iterator of rows."""

    def __init__(self, path: Path, kind: str, id_column: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.id_column = id_column
        # A named pipe (or other stream) can be read once only: CSV is read
        # in one pass, from the one handle; Parquet (read by seeking) is refused.
        self.regular = _is_regular(path)
        self._stream: Any = None
        self._reader: Any = None
        if not self.regular and kind == "parquet":
            msg = (
                f"{path} is not a regular file (a pipe?): Parquet is read by "
                "seeking, so save it to a file first, or pipe CSV instead"
            )
            raise AllykitError(msg)
        self.engine = _parquet_engine() if kind == "parquet" else ""
        self.columns = self._guarded(self._header)

    def _unreadable(self, error: Exception) -> DataFileError:
        problem = errors.Problem(
            path="",
            message=f"cannot read the file as {self.kind.upper()}: {error}",
            hint="check that the file is UTF-8 CSV or Parquet, as its suffix says",
        )
        return DataFileError(str(self.path), [problem])

    def _errors(self) -> tuple[type[Exception], ...]:
        """Return the exceptions that mean the file cannot be read."""
        if self.kind == "csv":
            return (UnicodeDecodeError, csv.Error)
        if self.engine == "pyarrow":
            import pyarrow as pa

            return (pa.ArrowException,)
        import polars as pl

        return (pl.exceptions.PolarsError,)

    def _guarded(self, read: Callable[[], _T]) -> _T:
        try:
            return read()
        except self._errors() as error:
            raise self._unreadable(error) from None

    def count(self) -> int:
        """Return the number of data rows (for CSV, a pass over the file)."""
        return self._guarded(self._count)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yield each data row as {column: answer}."""
        try:
            yield from self._rows()
        except self._errors() as error:
            raise self._unreadable(error) from None

    def close(self) -> None:
        """Close the stream of a one-pass input (a pipe)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _header(self) -> list[str]:
        if self.kind == "csv" and not self.regular:
            self._stream = self.path.open(encoding="utf-8-sig", newline="")
            self._reader = csv.reader(self._stream)
            first: list[str] | None = next(self._reader, None)
            if first is None:
                problem = errors.Problem(
                    path="row 1", message="the file has no header row"
                )
                raise DataFileError(str(self.path), [problem])
            return first
        if self.kind == "csv":
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), None)
            if header is None:
                problem = errors.Problem(
                    path="row 1", message="the file has no header row"
                )
                raise DataFileError(str(self.path), [problem])
            return header
        if self.engine == "pyarrow":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(self.path).schema_arrow.names)
        import polars as pl

        return pl.scan_parquet(self.path).collect_schema().names()

    def _count(self) -> int:
        if self.kind == "csv":
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                return sum(1 for _ in csv.reader(handle)) - 1
        if self.engine == "pyarrow":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(self.path).metadata.num_rows)
        import polars as pl

        return int(pl.scan_parquet(self.path).select(pl.len()).collect().item())

    def _rows(self) -> Iterator[dict[str, Any]]:
        if self.kind == "csv" and self._reader is not None:
            yield from self._csv_records(self._reader)
            return
        if self.kind == "csv":
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                yield from self._csv_records(reader)
            return
        if self.engine == "pyarrow":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(self.path).iter_batches(batch_size=4096):
                for row in batch.to_pylist():
                    yield {key: _value(value) for key, value in row.items()}
            return
        import polars as pl

        for row in pl.read_parquet(self.path).iter_rows(named=True):
            yield {key: _value(value) for key, value in row.items()}

    def _csv_records(self, reader: Any) -> Iterator[dict[str, Any]]:
        width = len(self.columns)
        # The id is copied as text (an id of 007 stays 007), never a number.
        at = (
            self.columns.index(self.id_column) if self.id_column in self.columns else -1
        )
        for record in reader:
            if len(record) > width:
                problem = errors.Problem(
                    path=f"row {reader.line_num}",
                    message=f"{len(record)} cells, but the header names "
                    f"{width} columns",
                )
                raise DataFileError(str(self.path), [problem])
            row = dict(zip(self.columns, map(_cell, record), strict=False))
            if 0 <= at < len(record):
                row[self.columns[at]] = record[at].strip() or None
            yield row


def _is_regular(path: Path) -> bool:
    import stat

    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # reported when the file is opened


def _column_map(
    instrument: Instrument,
    columns: Sequence[str],
    id_column: str | None,
    mapping_file: Path | None,
    source: str,
) -> dict[str, str]:
    """Return item id -> column, checking every name against file and instrument."""
    items = {item.id for item in instrument.items}
    problems: list[Problem] = []
    present = set(columns)  # membership tests stay linear in the header
    if len(present) != len(columns):
        from collections import Counter  # one pass: linear in the header

        twice = sorted(c for c, n in Counter(columns).items() if n > 1)
        problems.append(
            errors.Problem(
                path="header", message=f"columns named twice: {', '.join(twice)}"
            )
        )
    if id_column is not None and id_column not in present:
        problems.append(
            errors.Problem(
                path=f"column {id_column!r}",
                message="the file has no such column (--id-column)",
            )
        )
    if mapping_file is not None:
        data = _read_json_file(mapping_file)
        if not isinstance(data, Mapping) or not all(
            isinstance(v, str) for v in data.values()
        ):
            problem = errors.Problem(
                path="",
                message="expected an object of item id -> column name",
                value=short_repr(data),
            )
            raise DataFileError(str(mapping_file), [problem])
        mapping = dict(data)
        problems.extend(
            errors.Problem(path=f"{mapping_file}: {key}", message="not an item id")
            for key in mapping
            if key not in items
        )
        problems.extend(
            errors.Problem(
                path=f"{mapping_file}: {key}", message=f"no column {value!r}"
            )
            for key, value in mapping.items()
            if value not in present
        )
        # Columns named after items still count; any other column is an
        # error, as without --columns (never silently dropped).
        mapped = set(mapping.values())
        for column in columns:
            if column in items and column not in mapping and column not in mapped:
                mapping[column] = column
        rest = [c for c in columns if c != id_column and c not in mapped]
    else:
        mapping = {c: c for c in columns if c != id_column}
        rest = list(mapping)
    problems.extend(
        errors.Problem(
            path=f"column {column!r}",
            message="not an item id of the instrument",
            hint=_delimiter_hint(column)
            or "map columns to items with --columns FILE, "
            "or name the id column with --id-column",
        )
        for column in rest
        if column not in items
    )
    if problems:
        raise DataFileError(source, problems)
    return mapping


def _delimiter_hint(column: str) -> str:
    """A hint when one header cell holds several names: another delimiter."""
    for delimiter, name in ((";", "semicolons"), ("\t", "tabs")):
        if delimiter in column:
            return (
                f"the header seems to be separated by {name}, not commas: "
                "save the file as comma-separated CSV"
            )
    return ""


class _Summary:
    """Counts and sums for the summary printed at the end."""

    def __init__(self, instrument: Instrument) -> None:
        self.rows = 0
        self.scored = 0
        self.problems = 0
        self.names: dict[str, str] = {s.id: s.name for s in instrument.scales}
        from allykit.scoring._score import instrument_record

        # What the scores rest on, so that a result can be traced to the
        # exact data and its status (a reflective aid is not a measure).
        self.instrument: dict[str, Any] = instrument_record(instrument)
        self.withheld = dict.fromkeys(self.names, 0)
        self.totals = dict.fromkeys(self.names, 0.0)
        self.counts = dict.fromkeys(self.names, 0)

    def add(self, report: ScoreReport) -> None:
        self.rows += 1
        self.problems += len(report.problems)
        if any(not s.withheld for s in report.scales):
            self.scored += 1
        for entry in report.scales:
            if entry.withheld or entry.score is None:
                self.withheld[entry.scale] += 1
            else:
                self.totals[entry.scale] += entry.score
                self.counts[entry.scale] += 1

    def add_table(self, table: Any, problems: int) -> None:
        """Add a batch of scores (a pyarrow table of the score columns)."""
        import pyarrow.compute as pc

        rows = table.num_rows
        self.rows += rows
        self.problems += problems
        any_score = None
        for scale in self.names:
            column = table.column(scale)
            present = pc.is_valid(column)
            any_score = present if any_score is None else pc.or_(any_score, present)
            count = rows - column.null_count
            self.counts[scale] += count
            self.withheld[scale] += rows - count
            if count:
                self.totals[scale] += pc.sum(column).as_py()
        if any_score is not None:
            self.scored += pc.sum(any_score.cast("int64")).as_py() or 0

    def parquet_metadata(self) -> dict[str, str]:
        """The instrument's id, version, status and hash, for a Parquet file."""
        import json

        return {"allykit.instrument": json.dumps(self.instrument, sort_keys=True)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "validated": self.instrument["validated"],
            "rows": self.rows,
            "scored": self.scored,
            "answers_treated_as_missing": self.problems,
            "scales": [
                {
                    "scale": scale,
                    "name": name,
                    "scored": self.counts[scale],
                    "withheld": self.withheld[scale],
                    "mean": (
                        self.totals[scale] / self.counts[scale]
                        if self.counts[scale]
                        else None
                    ),
                }
                for scale, name in self.names.items()
            ],
        }


def _output_row(
    report: ScoreReport, respondent: Any, id_column: str | None
) -> dict[str, Any]:
    row: dict[str, Any] = {} if id_column is None else {id_column: respondent}
    for entry in report.scales:
        row[entry.scale] = entry.score
        row[f"{entry.scale}_answered"] = entry.answered
        row[f"{entry.scale}_not_applicable"] = entry.not_applicable
        row[f"{entry.scale}_prorated"] = entry.prorated
    return row


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Sink:
    """The output file: CSV rows are written as they come, Parquet at the end."""

    def __init__(  # noqa: PLR0913 -- the file and how to write it, each needed
        self,
        path: Path,
        kind: str,
        header: list[str],
        id_column: str | None,
        *,
        neutralise: bool = True,
        metadata: dict[str, str] | None = None,
        before_commit: Callable[[str, _Summary], None] | None = None,
    ) -> None:
        self.path = path
        # Called with the output's SHA-256 once it is whole, before it
        # replaces the target (the provenance record is made then).
        self.before_commit = before_commit
        self.kind = kind
        # Parquet only: key-value metadata naming the instrument the scores
        # rest on (CSV has no place for it; the summary names it there).
        self.metadata = metadata or {}
        self.header = header
        self.id_column = id_column
        self.neutralise = neutralise and kind == "csv" and id_column is not None
        self.rows: list[dict[str, Any]] = []
        self._parquet_writer: Any = None
        self._added = 0
        self.engine = _parquet_engine() if kind == "parquet" else ""
        self._handle = None
        # Rows go to a temporary file that replaces *path* only when every row
        # is scored: a failed run leaves an existing output file untouched.
        self._pending = AtomicFile(path)
        if kind == "csv":
            try:
                self._handle = self._pending.temporary.open(
                    "w", encoding="utf-8", newline=""
                )
                self._writer = csv.writer(self._handle)
                self._writer.writerow(header)
            except BaseException:
                if self._handle is not None:
                    self._handle.close()
                self._pending.discard()
                raise

    def add(self, row: dict[str, Any]) -> None:
        if self._handle is not None:
            cells = [_csv_text(row[name]) for name in self.header]
            if self.neutralise:
                cells[0] = neutralised(cells[0])
            self._writer.writerow(cells)
        else:
            self.rows.append(row)
        self._added += 1
        if not self._added % _TOUCH_EVERY:
            touch(self._pending.temporary)

    def add_table(self, table: Any) -> None:
        """Write a batch of scores (a pyarrow table) before the next is read."""
        from allykit.cli._commands._batches import conform, csv_rows

        if self._handle is not None:
            self._writer.writerows(
                csv_rows(table, self.header, self.id_column, neutralise=self.neutralise)
            )
        else:
            import pyarrow.parquet as pq

            table = conform(table, self.header, self.id_column)
            if self._parquet_writer is None:
                self._parquet_writer = pq.ParquetWriter(
                    self._pending.temporary, table.schema.with_metadata(self.metadata)
                )
            self._parquet_writer.write_table(table)
        touch(self._pending.temporary)

    def close(self, *, keep: bool, summary: _Summary) -> None:
        try:
            if self._handle is not None:
                self._handle.close()
            elif self._parquet_writer is not None:
                self._parquet_writer.close()
            elif keep:
                self._write_parquet(self._pending.temporary)
            if keep and self.before_commit is not None:
                self.before_commit(_sha256(self._pending.temporary), summary)
        except BaseException:
            self._pending.discard()
            raise
        if keep:
            self._pending.commit()
        else:
            self._pending.discard()

    def _write_parquet(self, target: Path) -> None:
        columns = {name: [row[name] for row in self.rows] for name in self.header}
        if self.engine == "pyarrow":
            import pyarrow as pa
            import pyarrow.parquet as pq

            types = {"int": pa.int64(), "bool": pa.bool_(), "float": pa.float64()}
            arrays = [
                pa.array(
                    values,
                    type=None
                    if name == self.id_column
                    else types[_kind_of_column(name)],
                )
                for name, values in columns.items()
            ]
            table = pa.table(arrays, names=self.header)
            pq.write_table(table.replace_schema_metadata(self.metadata), target)
            return
        import polars as pl

        dtypes = {"int": pl.Int64, "bool": pl.Boolean, "float": pl.Float64}
        pl.DataFrame(
            [
                pl.Series(
                    name,
                    values,
                    dtype=None
                    if name == self.id_column
                    else dtypes[_kind_of_column(name)],
                )
                for name, values in columns.items()
            ]
        ).write_parquet(target, metadata=self.metadata)


class _Provenance:
    """The ``--provenance`` record: what a scores file rests on, as JSON.

    Written next to nothing by default: only where ``--provenance`` says.
    It holds no answers and no respondent ids: the instrument (id, version,
    content hash, validated status), the files' SHA-256, the options and the
    summary's counts and means. It has no time stamp, so the same run gives
    the same bytes. The record is made (as a hidden temporary) before the
    output replaces its target and is moved into place right after it.
    """

    FORMAT = 1

    def __init__(  # noqa: PLR0913 -- each names part of the record
        self,
        path: Path | None,
        *,
        source: Path,
        in_kind: str,
        output: Path,
        out_kind: str,
        options: dict[str, Any],
    ) -> None:
        self.path = path
        self.source = source
        self.in_kind = in_kind
        self.output = output
        self.out_kind = out_kind
        self.options = options
        self._pending: AtomicFile | None = None

    def prepare(self, output_sha256: str, summary: _Summary) -> None:
        """Write the record to a temporary next to its target."""
        import json

        if self.path is None:
            return
        text = json.dumps(
            self.to_dict(output_sha256, summary), indent=2, ensure_ascii=False
        )
        if self._pending is not None:  # a second try (row by row) replaces it
            self._pending.discard()
        self._pending = AtomicFile(self.path)
        try:
            self._pending.temporary.write_bytes((text + "\n").encode("utf-8"))
        except OSError as error:
            self._pending.discard()
            raise self._pending.named(error) from error

    def commit(self) -> None:
        """Move the record into place (after the output is)."""
        if self._pending is not None:
            self._pending.commit()
            self._pending = None

    def discard(self) -> None:
        """Remove a record whose output was not written."""
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def to_dict(self, output_sha256: str, summary: _Summary) -> dict[str, Any]:
        from importlib.metadata import version

        from allykit.scoring import instrument_status

        counts = summary.to_dict()
        about = summary.instrument
        return {
            "allykit_provenance": self.FORMAT,
            "tool": {
                "name": "allykit-frameworks",
                "version": version("allykit-frameworks"),
            },
            "instrument": about,
            "validated": about["validated"],
            "status": instrument_status(
                validated=about["validated"], published=about["published"]
            ),
            "input": {
                "path": str(self.source),
                "format": self.in_kind,
                "sha256": _sha256(self.source) if self.source.is_file() else None,
            },
            "output": {
                "path": str(self.output),
                "format": self.out_kind,
                "sha256": output_sha256,
            },
            "options": self.options,
            **{key: counts[key] for key in _COUNTS},
        }


_COUNTS = ("rows", "scored", "answers_treated_as_missing", "scales")


def _sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (files may be large)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_provenance_path(
    provenance: Path, file: Path, output: Path, *, force: bool
) -> None:
    if str(provenance) == "-":
        msg = "--provenance needs a file name (it is written next to the scores)"
        raise AllykitError(msg)
    for other, what in ((file, "input"), (output, "output")):
        if provenance.resolve() == other.resolve():
            msg = f"the provenance file must not be the {what} file"
            raise AllykitError(msg)
    if provenance.suffix.lower() != ".json":
        msg = (
            f"{provenance}: the provenance record is JSON; name a file ending in .json"
        )
        raise AllykitError(msg)
    _check_output(provenance, force=force)


def _kind_of_column(name: str) -> str:
    if name.endswith(("_answered", "_not_applicable")):
        return "int"
    if name.endswith("_prorated"):
        return "bool"
    return "float"


def _print_summary(
    summary: _Summary,
    out_path: Path,
    *,
    provenance: Path | None = None,
    out_kind: str = "csv",
) -> None:
    from rich.table import Table  # lazy: not for --help

    out = _out()
    out.print(
        f"Scored {_plural(summary.rows, 'row')} "
        f"({summary.scored} with at least one score) into {escape(str(out_path))}."
    )
    if summary.problems:
        verb = "was" if summary.problems == 1 else "were"
        out.print(
            f"{_plural(summary.problems, 'unusable answer')} {verb} treated as missing."
        )
    table = Table(box=None)
    table.add_column("scale")
    table.add_column("scored", justify="right")
    table.add_column("withheld", justify="right")
    table.add_column("mean", justify="right")
    for entry in summary.to_dict()["scales"]:
        mean = entry["mean"]
        table.add_row(
            escape(entry["name"]),
            str(entry["scored"]),
            str(entry["withheld"]),
            "-" if mean is None else f"{mean:.2f}",
        )
    out.print(table)
    about = summary.instrument
    from allykit.scoring import instrument_status

    status = instrument_status(
        validated=about["validated"], published=about["published"]
    )
    out.print(
        f"Instrument {escape(about['id'])} {escape(about['version'])} "
        f"(content {about['content_hash'][:12]}): {status}."
    )
    if provenance is not None:
        out.print(f"Provenance written to {escape(str(provenance))}.")
    elif out_kind == "csv":
        out.print(
            "A CSV file cannot carry this: --provenance FILE.json keeps it "
            "with the scores."
        )


@_friendly
def score_file(  # noqa: PLR0913, PLR0917 -- one option per choice of the command
    instrument_id: InstrumentArgument,
    file: Annotated[
        Path,
        typer.Argument(help="Responses: .csv or .parquet, one row per respondent."),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Write the scores here (.csv or .parquet)."
        ),
    ],
    id_column: Annotated[
        str | None,
        typer.Option("--id-column", help="Column identifying the respondent."),
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns",
            help="JSON file mapping item id -> column name, for columns not "
            "named after items.",
        ),
    ] = None,
    invalid: Annotated[
        InvalidChoice,
        typer.Option(
            "--invalid",
            help="Unusable answers: stop with an error, or score them as missing.",
        ),
    ] = InvalidChoice.error,
    force: ForceOption = False,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            "--engine",
            help="rows: score row by row; frames: in batches through score_frame "
            "(needs the frames extra and pyarrow); auto: frames when installed.",
        ),
    ] = EngineChoice.auto,
    keep_formulas: Annotated[
        bool,
        typer.Option(
            "--keep-formulas",
            help="Copy CSV id cells that start with = + - @ tab or CR as they are; "
            "by default they get a leading ' so spreadsheets show, not run, them.",
        ),
    ] = False,
    provenance: Annotated[
        Path | None,
        typer.Option(
            "--provenance",
            help="Also write a JSON record of what the scores rest on: the "
            "instrument's id, version, content hash and validated status, the "
            "SHA-256 of the input and output files, the options and the summary.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Score a CSV or Parquet file of responses into a CSV or Parquet file."""
    from allykit.cli._commands import _batches
    from allykit.scoring._score import score
    from allykit.scoring.frames import score_columns

    instrument = _instrument(instrument_id)
    score(instrument, {})  # fails early for metadata-only instruments
    in_kind = _format_of(file, "input")
    out_kind = _format_of(output, "output")
    if "parquet" in {in_kind, out_kind}:
        _parquet_engine()  # before anything is read or written
    _check_paths(file, output, provenance, force=force)
    _clear_stale_temporaries(output)
    source = _Source(file, in_kind, id_column)
    policy: InvalidPolicy = "raise" if invalid is InvalidChoice.error else "missing"
    summary = _Summary(instrument)
    record = _Provenance(
        provenance,
        source=file,
        in_kind=in_kind,
        output=output,
        out_kind=out_kind,
        options={
            "id_column": id_column,
            "columns": None if columns is None else str(columns),
            "invalid": invalid.value,
            "keep_formulas": keep_formulas,
        },
    )
    keep = False
    try:
        with _signals_as_interrupts():
            mapping = _column_map(
                instrument, source.columns, id_column, columns, str(file)
            )
            ident = [] if id_column is None else [id_column]
            header = [*ident, *score_columns(instrument)]
            runs = [_run_rows]
            if _use_frames(engine, source, out_kind):
                runs.insert(0, _run_batches)
            for run in runs:
                sink = _Sink(
                    output,
                    out_kind,
                    header,
                    id_column,
                    neutralise=not keep_formulas,
                    metadata=summary.parquet_metadata(),
                    before_commit=record.prepare if provenance else None,
                )
                try:
                    run(
                        instrument,
                        source,
                        mapping=mapping,
                        policy=policy,
                        sink=sink,
                        summary=summary,
                    )
                    keep = summary.scored > 0  # nothing useful: no file, status 1
                except _batches.RowPath:
                    # A CSV file pyarrow cannot parse: start again row by row,
                    # which names the row (nothing of the first try is kept).
                    summary = _Summary(instrument)
                    continue
                finally:
                    sink.close(keep=keep, summary=summary)
                break
            record.commit()
    except _Stopped as stopped:
        discard_pending()  # a temporary made just before the signal landed
        _err().print(f"allykit: stopped by {stopped.name}; nothing written")
        raise typer.Exit(128 + stopped.signum) from None
    finally:
        record.discard()  # a no-op once committed
        source.close()
    if not keep:
        raise _nothing_scored(file, summary)
    _report(summary, output, provenance, out_kind, json_output=json_output)


def _nothing_scored(file: Path, summary: _Summary) -> AllykitError:
    return AllykitError(
        f"{file}: no row had enough answers to score any scale "
        f"({_plural(summary.rows, 'row')} read); nothing written"
    )


def _report(
    summary: _Summary,
    output: Path,
    provenance: Path | None,
    out_kind: str,
    *,
    json_output: bool,
) -> None:
    """Print the summary, as a table or (``--json``) as JSON."""
    if json_output:
        _print_json(
            {
                "output": str(output),
                **({"provenance": str(provenance)} if provenance else {}),
                **summary.to_dict(),
            }
        )
        return
    _print_summary(summary, output, provenance=provenance, out_kind=out_kind)


def _use_frames(engine: EngineChoice, source: _Source, out_kind: str) -> bool:
    """Whether to score in batches through score_frame."""
    from allykit.cli._commands import _batches

    if engine is EngineChoice.rows:
        return False
    usable = _batches.available() and source.regular
    if out_kind == "parquet" and source.engine not in {"", "pyarrow"}:
        usable = False
    if engine is EngineChoice.frames and not usable:
        msg = (
            "--engine frames needs the frames extra and pyarrow "
            '(python -m pip install "allykit-frameworks[frames]" pyarrow) '
            "and a regular input file"
        )
        raise AllykitError(msg)
    return usable


def _run_rows(  # noqa: PLR0913 -- the run's parts, passed on
    instrument: Instrument,
    source: _Source,
    *,
    mapping: dict[str, str],
    policy: InvalidPolicy,
    sink: _Sink,
    summary: _Summary,
) -> None:
    """Score row by row through score_many, with a progress bar on a terminal."""
    from allykit.scoring._score import score_many

    id_column = source.id_column
    # score_many takes one row, then yields its report: the id seen last is
    # the id of the report in hand.
    current: list[Any] = [None]

    def responses() -> Iterator[dict[str, Any]]:
        for row in source.rows():
            current[0] = row.get(id_column) if id_column is not None else None
            yield {item: row.get(column) for item, column in mapping.items()}

    # rich.progress costs about 10 ms to import: only when scoring.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = _err()
    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # no bar in logs and pipes
    )
    try:
        with progress:
            # Counting the rows reads a CSV file once more: only for the bar,
            # and never for a pipe, which can be read once only.
            counted = console.is_terminal and source.regular
            total = source.count() if counted else None
            task = progress.add_task("rows", total=total)
            for report in score_many(instrument, responses(), invalid=policy):
                sink.add(_output_row(report, current[0], id_column))
                summary.add(report)
                progress.advance(task)
    except ResponseError as error:
        row = _row_number(error.row or 0, source.kind)
        raise AllykitError(
            _bad_row_message(source.path, row, id_column, current[0], error)
        ) from None


def _run_batches(  # noqa: PLR0913 -- the run's parts, passed on
    instrument: Instrument,
    source: _Source,
    *,
    mapping: dict[str, str],
    policy: InvalidPolicy,
    sink: _Sink,
    summary: _Summary,
) -> None:
    """Score in batches through score_frame; memory bounded by the batch."""
    from allykit.cli._commands._batches import RowFailed, score_batches

    try:
        for table, reports, problems in score_batches(
            instrument,
            source.path,
            source.kind,
            mapping=mapping,
            id_column=source.id_column,
            policy=policy,
            cell=_cell,
        ):
            sink.add_table(table)
            if reports is None:
                summary.add_table(table, problems)
            else:
                for report in reports:
                    summary.add(report)
    except RowFailed as failed:
        row = _row_number(failed.row, source.kind)
        raise AllykitError(
            _bad_row_message(
                source.path, row, source.id_column, failed.respondent, failed.error
            )
        ) from None


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, removing the temporary."""

    def __init__(self, signum: int) -> None:
        import signal

        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an interrupt while the output is pending.

    The default action of both ends the process at once, leaving the hidden
    temporary output (respondent ids and scores) behind; as an exception,
    they unwind through the code that removes it, as Ctrl-C does.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers
        return

    def stop(signum: int, _frame: Any) -> None:
        raise _Stopped(signum)

    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    before = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _clear_stale_temporaries(output: Path) -> None:
    """Remove temporaries of *output* (ours, by name) left by a killed run.

    The name is cli._atomic's: ``.<name>.<8 hex digits>.tmp`` next to the
    target. A running ``score`` touches its temporary as it writes, so one
    untouched for :data:`_STALE_SECONDS` belongs to no live run.
    """
    import os
    import re
    import time

    target = Path(os.path.realpath(output))
    pattern = re.compile(re.escape(f".{target.name}.") + r"[0-9a-f]{8}\.tmp")
    cutoff = time.time() - _STALE_SECONDS
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return
    for candidate in candidates:
        if not pattern.fullmatch(candidate.name):
            continue
        with contextlib.suppress(OSError):
            found = candidate.lstat()
            if stat.S_ISREG(found.st_mode) and found.st_mtime < cutoff:
                candidate.unlink()


def _check_paths(
    file: Path, output: Path, provenance: Path | None, *, force: bool
) -> None:
    """Refuse the files before anything is read or written."""
    if output.resolve() == file.resolve():
        msg = "the output file must not be the input file"
        raise AllykitError(msg)
    if not file.exists():
        problem = errors.Problem(path="", message="cannot read the file: no such file")
        raise DataFileError(str(file), [problem])
    _check_output(output, force=force)
    if provenance is not None:
        _check_provenance_path(provenance, file, output, force=force)


def _row_number(row: int, kind: str) -> str:
    """Return the bad row (0-based) as a spreadsheet shows it (CSV: header is 1)."""
    if kind == "csv":
        return f"{row + 2} (the header is row 1)"
    return str(row + 1)


def _bad_row_message(
    file: Path, row: str, id_column: str | None, respondent: Any, error: ResponseError
) -> str:
    where = f"{file}: row {row}"
    if id_column is not None:
        where += f", {id_column} {respondent!r}"
    count = len(error.problems)
    lines = [f"{where}: {count} unusable answer(s); nothing written"]
    lines.extend(f"  {problem}" for problem in error.problems[:_SHOWN])
    if count > _SHOWN:
        lines.append(f"  ... and {count - _SHOWN} more")
    lines.append("  use --invalid missing to score such answers as missing")
    return "\n".join(lines)
