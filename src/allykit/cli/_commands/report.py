"""``allykit report``: a self-contained HTML report of a file of answers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer

from allykit.cli._console import _check_output, _friendly, _instrument, _write

__all__ = ["report"]


def _rows(path: Path) -> list[dict[str, Any]]:
    from allykit.cli._commands.score import _cell

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {k: _cell(v or "") for k, v in row.items() if k is not None}
            for row in csv.DictReader(handle)
        ]


@_friendly
def report(  # noqa: PLR0913, PLR0917 -- one option per choice of the command
    instrument: Annotated[str, typer.Argument(help="Instrument id or JSON file.")],
    file: Annotated[Path, typer.Argument(help="Answers: .csv, one row per person.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the HTML report.")
    ],
    before: Annotated[
        Path | None,
        typer.Option("--before", help="Earlier answers (.csv), for change."),
    ] = None,
    id_column: Annotated[
        str, typer.Option("--id-column", help="Column identifying the respondent.")
    ] = "id",
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

    from allykit.errors import ReliabilityWarning
    from allykit.scoring._report import html_report

    _check_output(output, force=force)
    rows = _rows(file)
    earlier = _rows(before) if before is not None else None
    with warnings.catch_warnings():
        # The diagnostics are in the report's notes.
        warnings.simplefilter("ignore", ReliabilityWarning)
        page = html_report(
            _instrument(instrument),
            rows,
            before=earlier,
            id_column=id_column,
            omega=omega,
        )
    _write(page, output, force=force)
