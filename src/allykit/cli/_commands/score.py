"""``allykit score``: score a file of responses (CSV or Parquet) into another.

Argument handling around :func:`allykit.scoring.scorefile.score_file`, the
library function that reads, checks, scores and writes (see there): this
module turns options into its arguments, shows a progress bar on a
terminal, and prints the summary.
"""

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from allykit.cli._console import (
    ColumnsOption,
    EncodingOption,
    ForceOption,
    IgnoreOption,
    InstrumentArgument,
    InvalidChoice,
    InvalidOption,
    JsonOption,
    _check_output,
    _err,
    _friendly,
    _id_column,
    _instrument_and_file,
    _out,
    _plural,
    _print_json,
    escape,
    escape_name,
)

__all__ = ["InvalidChoice", "score_file"]


class EngineChoice(str, Enum):
    """How ``allykit score`` scores: row by row, or in batches of frames."""

    auto = "auto"
    rows = "rows"
    frames = "frames"


def _print_summary(
    summary: dict[str, Any],
    out_path: Path,
    *,
    provenance: Path | None = None,
    out_kind: str = "csv",
) -> None:
    from rich.table import Table  # lazy: not for --help

    out = _out()
    out.print(
        f"Scored {_plural(summary['rows'], 'row')} "
        f"({summary['scored']} with at least one score) into {escape_name(out_path)}."
    )
    unusable = summary["answers_treated_as_missing"]
    if unusable:
        verb = "was" if unusable == 1 else "were"
        out.print(f"{_plural(unusable, 'unusable answer')} {verb} treated as missing.")
    table = Table(box=None)
    table.add_column("scale")
    table.add_column("scored", justify="right")
    table.add_column("withheld", justify="right")
    table.add_column("mean", justify="right")
    for entry in summary["scales"]:
        mean = entry["mean"]
        table.add_row(
            escape(entry["name"]),
            str(entry["scored"]),
            str(entry["withheld"]),
            "-" if mean is None else f"{mean:.2f}",
        )
    out.print(table)
    about = summary["instrument"]
    from allykit.scoring import instrument_status

    status = instrument_status(
        validated=about["validated"], published=about.get("published", False)
    )
    out.print(
        f"Instrument {escape(about['id'])} {escape(about['version'])} "
        f"(content {about['content_hash'][:12]}): {status}."
    )
    if provenance is not None:
        out.print(f"Provenance written to {escape_name(provenance)}.")
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
        typer.Argument(
            help="Responses: .csv or .parquet, one row per respondent ('-': CSV "
            "on standard input)."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="Write the scores here (.csv or .parquet)."
        ),
    ],
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id-column",
            help="Column identifying the respondent (default: 'id' when there is one).",
        ),
    ] = None,
    columns: ColumnsOption = None,
    ignore: IgnoreOption = None,
    invalid: InvalidOption = InvalidChoice.error,
    encoding: EncodingOption = None,
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
    from allykit.outputs import Stopped, discard_pending, signals_as_interrupts
    from allykit.scoring.scorefile import score_file as score_into

    instrument, instrument_file = _instrument_and_file(instrument_id)
    # Refused outputs stop the run before any input is read (the id probe
    # reads the header); score_into checks them all again.
    _check_output(output, force=force, reads=[file, columns, instrument_file])
    id_column = _id_column(file, id_column, encoding)
    try:
        with signals_as_interrupts():
            result = score_into(
                instrument,
                file,
                output,
                columns=columns,
                id_column=id_column,
                ignore=tuple(ignore or ()),
                encoding=encoding,
                invalid="raise" if invalid is InvalidChoice.error else "missing",
                engine=engine.value,
                keep_formulas=keep_formulas,
                provenance=provenance,
                force=force,
                reads=[instrument_file],
                progress=_progress_bar,
            )
    except Stopped as stopped:
        discard_pending()  # a temporary made just before the signal landed
        _err().print(f"allykit: stopped by {stopped.name}; nothing written")
        raise typer.Exit(128 + stopped.signum) from None
    finally:
        _close_bar()
    if json_output:
        _print_json(result.to_dict())
        return
    _print_summary(
        result.summary,
        output,
        provenance=provenance,
        out_kind=output.suffix.lower()[1:],
    )


_BARS: list[Any] = []


def _progress_bar(total: int | None) -> Callable[[int], None]:
    """A progress bar on a terminal (none in logs and pipes)."""
    console = _err()
    if not console.is_terminal:
        return lambda _: None
    # rich.progress costs about 10 ms to import: only when scoring.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    _close_bar()
    bar = Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    bar.start()
    _BARS.append(bar)
    task = bar.add_task("rows", total=total)
    return lambda n: bar.advance(task, n)


def _close_bar() -> None:
    while _BARS:
        _BARS.pop().stop()
