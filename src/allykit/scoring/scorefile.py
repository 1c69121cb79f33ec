r"""Scoring a file of answers into a file of scores: :func:`score_file`.

The library feature behind ``allykit score``. Answers are read by the one
reader (:class:`allykit.scoring.answers.AnswerFile` and
:func:`~allykit.scoring.answers.plan_columns`: the same formats, options,
checks and errors as :func:`~allykit.scoring.answers.read_answers`), in
bounded memory whatever the file's size: with the frames extra and pyarrow
installed, in batches through :func:`allykit.scoring.frames.score_frame`;
otherwise row by row through :func:`allykit.scoring.score_many`. Either way
the output is the same: the columns of
:func:`allykit.scoring.frames.score_columns`, after the id column when one
is named.

Only *output* (and the provenance record, when asked for) is written, all
at once: if scoring fails part-way, nothing is. Every file is checked by
:func:`allykit.outputs.check_output` first: no output may be a file the run
reads. With ``invalid="raise"`` the whole file is read and every unusable
answer is listed (by row, line, id and column) before anything is written.

>>> import tempfile
>>> from pathlib import Path
>>> from allykit.catalog import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> with tempfile.TemporaryDirectory() as folder:
...     answers = Path(folder) / "answers.csv"
...     header = ",".join(["who", *(item.id for item in inventory.items)])
...     _ = answers.write_text(header + "\np1" + ",3" * 20 + "\n", "utf-8")
...     result = score_file(
...         inventory, answers, Path(folder) / "scores.csv", id_column="who",
...         engine="rows",
...     )
>>> result.rows, result.scored
(1, 1)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from allykit.errors import (
    AllykitError,
    AnswersError,
    InvalidArgumentError,
    Problem,
    short_repr,
)
from allykit.outputs import AtomicFile, check_output, same_file, sweep_temporaries
from allykit.scoring._answer_file import AnswerFile, format_of, parquet_engine
from allykit.scoring._columns import INVALID_HINT, capped, plan_columns
from allykit.scoring._score_sink import Sink, Summary, output_row, sha256

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._score import InvalidPolicy

__all__ = ["Engine", "Progress", "Provenance", "ScoreFileResult", "score_file"]

#: How a file is scored: ``"rows"`` one at a time, ``"frames"`` in batches
#: through ``score_frame``, ``"auto"`` frames when installed.
Engine = Literal["auto", "rows", "frames"]
#: Told the number of rows (or None when it is not counted) once; returns
#: the function to call with each number of rows scored.
Progress = Callable[[int | None], Callable[[int], None]]
# A temporary output of ours untouched this long is left over from a run
# that was killed: it is removed at the next run.
_STALE_SECONDS = 15 * 60


@attrs.frozen
class ScoreFileResult:
    """What :func:`score_file` wrote, and a summary of the scores.

    Attributes:
        output: The scores file.
        provenance: The provenance record, or None.
        summary: Counts and means: ``rows``, ``scored``,
            ``answers_treated_as_missing``, ``instrument``, ``validated`` and
            per scale ``scored``, ``withheld`` and ``mean`` (plain data, as
            ``allykit score --json`` prints it).
    """

    output: str
    provenance: str | None
    summary: dict[str, Any]

    @property
    def rows(self) -> int:
        """Rows read."""
        return int(self.summary["rows"])

    @property
    def scored(self) -> int:
        """Rows with at least one scale score."""
        return int(self.summary["scored"])

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as ``allykit score --json`` prints it."""
        return {
            "output": self.output,
            **({"provenance": self.provenance} if self.provenance else {}),
            **self.summary,
        }


class Provenance:
    """The provenance record: what a scores file rests on, as JSON.

    Written nowhere by default: only where ``provenance=`` (the command's
    ``--provenance``) says.
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

    def prepare(self, output_sha256: str, summary: Summary) -> None:
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

    def to_dict(self, output_sha256: str, summary: Summary) -> dict[str, Any]:
        """The record as plain data (what is written, as JSON)."""
        from importlib.metadata import version

        from allykit.scoring._score import instrument_status

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
                validated=about["validated"],
                published=about.get("published", False),
            ),
            "input": {
                "path": str(self.source),
                "format": self.in_kind,
                "sha256": sha256(self.source) if self.source.is_file() else None,
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


def _check_provenance_path(
    provenance: Path, reads: list[Any], output: Path, *, force: bool
) -> None:
    if str(provenance) == "-":
        msg = (
            "the provenance record needs a file name (it is written beside the scores)"
        )
        raise AllykitError(msg)
    if provenance.absolute() == output.absolute() or same_file(provenance, output):
        msg = f"{provenance}: the provenance record must not be the output file"
        raise AllykitError(msg)
    check_output(provenance, reads=reads, force=force)
    if provenance.suffix.lower() != ".json":
        msg = (
            f"{provenance}: the provenance record is JSON; name a file ending in .json"
        )
        raise AllykitError(msg)


def _check_paths(
    output: Path,
    record: Path | None,
    reads: list[Any],
    *,
    parquet: bool,
    force: bool,
) -> None:
    """Refuse the outputs before anything is read or written."""
    if parquet:
        parquet_engine()
    check_output(output, reads=reads, force=force)
    if record is not None:
        _check_provenance_path(record, reads, output, force=force)
    sweep_temporaries(output, older_than=_STALE_SECONDS)


def _checked_options(engine: object, reads: object) -> list[Any]:
    """Check ``engine``; return ``reads`` as a list of paths (or None)."""
    if engine not in ("auto", "rows", "frames"):
        msg = f"engine must be 'auto', 'rows' or 'frames', not {short_repr(engine)}"
        raise AllykitError(msg)
    found = (
        None
        if isinstance(reads, (str, bytes, os.PathLike))
        or not isinstance(reads, Iterable)
        else list(reads)
    )
    if found is None or not all(
        r is None or isinstance(r, (str, os.PathLike)) for r in found
    ):
        msg = f"reads must be a list of file paths, not {short_repr(reads)}"
        raise InvalidArgumentError(msg)
    return found


def score_file(  # noqa: PLR0913 -- keyword-only options, each documented
    instrument: Instrument,
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    columns: Any = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    encoding: str | None = None,
    invalid: InvalidPolicy = "raise",
    engine: Engine = "auto",
    keep_formulas: bool = False,
    provenance: str | os.PathLike[str] | None = None,
    force: bool = False,
    reads: Iterable[str | os.PathLike[str] | None] = (),
    progress: Progress | None = None,
) -> ScoreFileResult:
    """Score a CSV or Parquet file of answers into a CSV or Parquet file.

    Args:
        instrument: The instrument answered.
        source: The answers: ``.csv`` or ``.parquet`` (``"-"``: CSV on
            standard input); read as :func:`~allykit.scoring.answers.read_answers`
            reads a file.
        output: Where the scores go: ``.csv`` or ``.parquet``.
        columns: Item id -> column (or the path of a JSON file of it).
        id_column: The respondent id column, copied first (as text).
        ignore: Columns to set aside (names or patterns).
        encoding: A CSV file's text encoding (default UTF-8).
        invalid: ``"raise"`` lists every unusable answer and writes
            nothing; ``"missing"`` scores them as missing.
        engine: ``"rows"``, ``"frames"`` or ``"auto"``.
        keep_formulas: Write CSV cells starting with ``= + - @`` tab or CR
            as they are; by default they get a leading ``'``.
        provenance: Also write the :class:`Provenance` record (``.json``).
        force: Replace existing files (never a file the run reads).
        reads: Other files this run reads (the instrument's file), never
            overwritten.
        progress: Told the row count, then each number of rows scored.

    Returns:
        What was written, and the summary.

    Raises:
        DataFileError: For a file that cannot be read, unknown columns, or
            (``invalid="raise"``) unusable answers, all listed.
        AllykitError: For an output that cannot be written, or when no row
            has enough answers to score any scale (nothing is written).
    """
    from allykit.scoring._score import score
    from allykit.scoring.answers import _checked_policy, _columns_of, check_options
    from allykit.scoring.frames import score_columns

    score(instrument, {})  # fails early for metadata-only instruments
    raise_on_problems = _checked_policy(invalid)
    check_options(id_column, encoding)  # the reader's own checks
    also_read = _checked_options(engine, reads)
    from allykit.outputs import as_path

    source_path, output_path = as_path(source, "source"), as_path(output, "output")
    in_kind = format_of(source_path, "input")
    out_kind = format_of(output_path, "output")
    column_file = columns if isinstance(columns, (str, os.PathLike)) else None
    record_path = None if provenance is None else as_path(provenance, "provenance")
    _check_paths(
        output_path,
        record_path,
        [source, column_file, *also_read],
        parquet="parquet" in {in_kind, out_kind},
        force=force,
    )
    mapping = _columns_of(columns, str(source))
    file = AnswerFile(source, id_column=id_column, encoding=encoding)
    summary = Summary(instrument)
    record = Provenance(
        record_path,
        source=source_path,
        in_kind=in_kind,
        output=output_path,
        out_kind=out_kind,
        options={
            "id_column": id_column,
            "columns": None if column_file is None else os.fspath(column_file),
            "invalid": "error" if raise_on_problems else "missing",
            "keep_formulas": keep_formulas,
        },
    )
    keep = False
    try:
        plan = plan_columns(
            instrument,
            file.columns,
            source=file.name,
            columns=mapping,
            id_column=id_column,
            ignore=ignore,
        )
        ident = [] if id_column is None else [id_column]
        header = [*ident, *score_columns(instrument)]
        run = _Run(instrument, file, plan.items, raise_on_problems, progress)
        runs = [run.rows]
        if _use_frames(engine, file, out_kind):
            runs.insert(0, run.batches)
        for step in runs:
            sink = Sink(
                output_path,
                out_kind,
                header,
                id_column,
                neutralise=not keep_formulas,
                metadata=summary.parquet_metadata(),
                before_commit=record.prepare if record_path else None,
            )
            try:
                step(sink, summary)
                keep = summary.scored > 0  # nothing useful: no file
            except _RowPath:
                # A file the batches cannot read (or one with unusable
                # answers): start again row by row, which names each row.
                summary = Summary(instrument)
                continue
            finally:
                sink.close(keep=keep, summary=summary)
            break
        record.commit()
    except OSError as error:
        raise _named(error, output_path) from error
    finally:
        record.discard()  # a no-op once committed
        file.close()
    if not keep:
        msg = (
            f"{source}: no row had enough answers to score any scale "
            f"({summary.rows} row{'' if summary.rows == 1 else 's'} read); "
            "nothing written"
        )
        raise AllykitError(msg)
    return ScoreFileResult(
        output=os.fspath(output),
        provenance=None if record_path is None else os.fspath(record_path),
        summary=summary.to_dict(),
    )


def _named(error: OSError, output: Path) -> OSError:
    """*error* naming the output asked for, when it names no file or a temporary.

    A full disk while the scores are written raises with no file name (or
    the hidden temporary's): the person asked for *output*.
    """
    name = error.filename
    if error.errno is None or (name and not str(name).endswith(".tmp")):
        return error
    return type(error)(error.errno, error.strerror, str(output))


class _RowPath(Exception):  # noqa: N818 -- a signal, not an error
    """Score the file row by row from the start."""


def _use_frames(engine: str, file: AnswerFile, out_kind: str) -> bool:
    """Whether to score in batches through score_frame."""
    from allykit.scoring import _batches

    if engine == "rows":
        return False
    usable = _batches.available() and file.plain
    if out_kind == "parquet" and file.engine not in {"", "pyarrow"}:
        usable = False
    if engine == "frames" and not usable:
        msg = (
            "the frames engine needs the frames extra and pyarrow "
            '(python -m pip install "allykit-frameworks[frames]" pyarrow) '
            "and a regular UTF-8 input file"
        )
        raise AllykitError(msg)
    return usable


class _Run:
    """One scoring run's parts: the two ways of scoring a file."""

    def __init__(
        self,
        instrument: Instrument,
        file: AnswerFile,
        mapping: dict[str, str],
        raise_on_problems: bool,
        progress: Progress | None,
    ) -> None:
        self.instrument = instrument
        self.file = file
        self.mapping = mapping
        self.raise_on_problems = raise_on_problems
        self.progress = progress

    def rows(self, sink: Sink, summary: Summary) -> None:
        """Score row by row; list every unusable answer (under ``raise``)."""
        from allykit.scoring._score import score_many

        id_column = self.file.id_column
        labels: list[str] = []
        current: list[Any] = [None]

        def responses() -> Iterator[dict[str, Any]]:
            for number, (line, row) in enumerate(self.file.rows(), start=1):
                current[0] = row.get(id_column) if id_column is not None else None
                where = f"row {number}"
                if self.file.kind == "csv":
                    where += f" (line {line})"
                if id_column is not None:
                    where += f", {id_column} {current[0]!r}"
                labels.append(where)
                yield {item: row.get(column) for item, column in self.mapping.items()}

        advance = self._progress()
        problems: list[Problem] = []
        columns = {f"responses[{item!r}]": c for item, c in self.mapping.items()}
        for report in score_many(self.instrument, responses(), invalid="missing"):
            where = labels.pop()
            if report.problems and self.raise_on_problems:
                problems.extend(
                    attrs.evolve(
                        p,
                        path=f"{where}, column {columns.get(p.path, p.path)!r}",
                        hint=p.hint or INVALID_HINT,
                    )
                    for p in report.problems
                )
                continue
            if not problems:
                sink.add(output_row(report, current[0], id_column))
                summary.add(report)
            if advance is not None:
                advance(1)
        if problems:
            raise AnswersError(self.file.name, capped(problems))

    def _progress(self) -> Callable[[int], None] | None:
        if self.progress is None:
            return None
        total = self.file.count() if self.file.regular else None
        return self.progress(total)

    def batches(self, sink: Sink, summary: Summary) -> None:
        """Score in batches through score_frame; memory bounded by the batch."""
        from allykit.scoring._batches import RowPath, score_batches

        advance = self._progress()
        try:
            for table, reports, problems in score_batches(
                self.instrument,
                self.file.path,
                self.file.kind,
                mapping=self.mapping,
                id_column=self.file.id_column,
                policy="missing",
                cell=_cell,
            ):
                if self.raise_on_problems and problems:
                    raise _RowPath  # the row path lists every unusable answer
                sink.add_table(table)
                if reports is None:
                    summary.add_table(table, problems)
                else:
                    for report in reports:
                        summary.add(report)
                if advance is not None:
                    advance(table.num_rows)
        except RowPath:
            raise _RowPath from None


def _cell(text: str) -> Any:
    from allykit.scoring._answer_file import answer_cell

    return answer_cell(text)
