"""Where scores go: the summary of a run and the output file (CSV or Parquet).

Private to :mod:`allykit.scoring.scorefile`. CSV rows are written as they
come, Parquet at the end (or batch by batch from the frame path), always to
a temporary file that replaces the target only when every row is scored.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allykit.outputs import AtomicFile, neutralised
from allykit.scoring._answer_file import parquet_engine
from allykit.scoring._batches import touch

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._score import ScoreReport

__all__ = ["Sink", "Summary", "output_row", "sha256"]

# Rows between two touches of the temporary output (stale ones are older).
_TOUCH_EVERY = 10_000


class Summary:
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


def output_row(
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


class Sink:
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
        before_commit: Callable[[str, Summary], None] | None = None,
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
        self.engine = parquet_engine() if kind == "parquet" else ""
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
                self._writer.writerow(
                    [neutralised(name) for name in header] if neutralise else header
                )
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
        from allykit.scoring._batches import conform, csv_rows

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

    def close(self, *, keep: bool, summary: Summary) -> None:
        try:
            if self._handle is not None:
                self._handle.close()
            elif self._parquet_writer is not None:
                self._parquet_writer.close()
            elif keep:
                self._write_parquet(self._pending.temporary)
            if keep and self.before_commit is not None:
                self.before_commit(sha256(self._pending.temporary), summary)
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


def _kind_of_column(name: str) -> str:
    if name.endswith(("_answered", "_not_applicable")):
        return "int"
    if name.endswith("_prorated"):
        return "bool"
    return "float"


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (files may be large)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
