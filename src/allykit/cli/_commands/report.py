"""``allykit report``: a self-contained HTML report of a file of answers.

Answers are read by :func:`allykit.scoring.answers.read_answers`, as
``allykit score`` reads them: the same formats, options, checks and errors.
"""

from pathlib import Path
from typing import Annotated

import typer

from allykit.cli._console import (
    ColumnsOption,
    EncodingOption,
    IgnoreOption,
    InvalidChoice,
    InvalidOption,
    _check_output,
    _fail,
    _friendly,
    _id_column,
    _instrument_and_file,
    _write,
)

__all__ = ["report"]

#: What -o writes: one HTML page.
_WRITTEN = ("the report", (".html", ".htm"))


@_friendly
def report(  # noqa: PLR0913, PLR0917 -- one option per choice of the command
    instrument: Annotated[str, typer.Argument(help="Instrument id or JSON file.")],
    file: Annotated[
        Path, typer.Argument(help="Answers: .csv or .parquet, one row per person.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the HTML report.")
    ],
    before: Annotated[
        Path | None,
        typer.Option(
            "--before", help="Earlier answers (.csv or .parquet), for change."
        ),
    ] = None,
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
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    omega: Annotated[
        bool | None,
        typer.Option(
            "--omega/--no-omega",
            help="Compute omega whatever the scale size, or leave it out "
            "(default: only for scales of up to 100 items).",
        ),
    ] = None,
) -> None:
    """Write one self-contained HTML report: scores, reliability, items, change.

    Needs the extras report (Matplotlib) and, for omega, stats (SciPy).
    """
    import warnings

    from allykit.errors import AllykitError, ReliabilityWarning
    from allykit.scoring import html_report
    from allykit.scoring.answers import read_answers

    if str(file) == "-" and before is not None and str(before) == "-":
        _fail(
            "FILE and --before are both '-', but standard input can be read "
            "only once: save one of them to a file",
            status=2,
        )
    chosen, instrument_file = _instrument_and_file(instrument)
    reads = [file, before, columns, instrument_file]
    _check_output(output, force=force, reads=reads, written=_WRITTEN)
    id_column = _id_column(file, id_column, encoding)
    if before is not None and id_column is None:
        msg = (
            "--before pairs answers by respondent: name the id column with "
            "--id-column (or call it id)"
        )
        raise AllykitError(msg)
    options = {
        "columns": columns,
        "id_column": id_column,
        "ignore": tuple(ignore or ()),
        "encoding": encoding,
        "invalid": "raise" if invalid is InvalidChoice.error else "missing",
    }
    answers = read_answers(file, chosen, **options)  # type: ignore[arg-type]
    earlier = None
    if before is not None:
        earlier = read_answers(before, chosen, **options)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        # The diagnostics are in the report's notes.
        warnings.simplefilter("ignore", ReliabilityWarning)
        page = html_report(
            chosen,
            answers,
            before=earlier,
            id_column=id_column,
            invalid="missing",  # read above, as asked: what is left is usable
            omega=omega,
        )
    _write(page, output, force=force, reads=reads, written=_WRITTEN)
