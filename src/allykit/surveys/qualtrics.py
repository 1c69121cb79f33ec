"""Qualtrics: CSV exports of responses read back as rows keyed by item id."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from allykit.errors import DataFileError, Problem, short_repr
from allykit.scoring.answers import QUALTRICS_HOUSEKEEPING
from allykit.surveys._options import _Given, _import_options
from allykit.surveys._reading import Source, _no_header, _open_records
from allykit.surveys._tabular import ImportedResponses, _from_table

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = ["QUALTRICS_METADATA", "load_qualtrics_export"]


#: Columns of Qualtrics exports that are not answers: the one list the
#: reader of answers sets aside too.
QUALTRICS_METADATA: tuple[str, ...] = QUALTRICS_HOUSEKEEPING


def _import_ids(
    name: str, record: list[str], width: int
) -> tuple[list[str | None], list[Problem]]:
    """Read the third Qualtrics header row: ``{"ImportId":"QID1_1"}`` per column."""
    from allykit.catalog._loading import parse_json  # lazy: json and friends

    ids: list[str | None] = []
    problems: list[Problem] = []
    for index in range(width):
        cell = record[index] if index < len(record) else ""
        try:
            data = parse_json(cell, name) if cell.strip() else {}
        except DataFileError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("ImportId", ""), str):
            problems.append(
                Problem(
                    path=f"row 3, column {index + 1}",
                    message="not an ImportId cell",
                    value=short_repr(cell),
                    hint='Qualtrics writes {"ImportId":"QID1"} here',
                )
            )
            ids.append(None)
        else:
            ids.append(data.get("ImportId") or None)
    if problems:
        raise DataFileError(name, problems)
    return ids, problems


def _is_import_id_row(record: list[str]) -> bool:
    cells = [cell.strip() for cell in record if cell.strip()]
    return bool(cells) and all(
        cell.startswith("{") and '"ImportId"' in cell for cell in cells
    )


def load_qualtrics_export(  # noqa: PLR0913 -- keyword options, each documented
    source: Source,
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
    instrument: Instrument | None = None,
    na_codes: Iterable[float | str] = (),
) -> ImportedResponses:
    r"""Read a Qualtrics CSV export (numeric values or choice text) into response rows.

    Qualtrics writes three header rows: column names (``Q1_1``), question
    text, and a row of ``{"ImportId":"QID1_1"}`` cells; data starts on row
    4 (row 3 if the ImportId row is absent, as in older exports). A key of
    *fields* may be a column name or an ImportId: ImportIds survive
    renaming a question in the editor. Columns matching
    :data:`QUALTRICS_METADATA` (``StartDate``, ``Progress``, ``Q_*``, ...)
    are ignored unless mapped; ``id_column="ResponseId"`` keeps the
    response id.

    Args:
        source: A path, or a file opened in text mode.
        fields: Column name or ImportId -> item id.
        id_column: Name (or ImportId) of the respondent id column.
        ignore: More names or :func:`fnmatch.fnmatchcase` patterns to skip.
        strict: Raise on unknown or missing fields (default); with False,
            skip them and report them in the result.
        instrument: The instrument the answers belong to (optional). With
            it, *fields* are checked against its items and *na_codes* can be
            read.
        na_codes: Values to read as "does not apply" (needs *instrument*), such
            as ``[99]`` or ``["-99"]``, the values your survey's "does not
            apply" choice was recoded to. Each one found becomes the item's
            first N/A code, or else its first N/A label, which
            :func:`allykit.score` reads as N/A. Numbers match by value (``99``
            matches ``"99"`` and ``99.0``); texts match trimmed and ignoring
            case. A code that is one of an item's answers raises; one found for
            an item without an N/A answer is a problem (kept as exported).

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the file cannot be read, its header rows are
            malformed or, when strict, it has unknown fields, lacks
            mapped ones, has ragged rows, or has N/A codes for items
            without an N/A answer.
        InvalidArgumentError: If *fields*, *ignore*, *id_column*,
            *instrument* or *na_codes* are malformed.

    >>> import io
    >>> export = io.StringIO(
    ...     "ResponseId,Finished,Q1_1,Q1_2\n"
    ...     "Response ID,Finished,Bias - I notice,Bias - I speak\n"
    ...     '{"ImportId":"_recordId"},{"ImportId":"finished"},'
    ...     '{"ImportId":"QID1_1"},{"ImportId":"QID1_2"}\n'
    ...     "R_1,1,4,5\n"
    ... )
    >>> load_qualtrics_export(
    ...     export,
    ...     fields={"QID1_1": "notices", "Q1_2": "speaks"},
    ...     id_column="ResponseId",
    ... ).rows
    ({'notices': 4, 'speaks': 5},)
    """
    given = _Given(
        fields=fields,
        id_column=id_column,
        ignore=ignore,
        strict=strict,
        instrument=instrument,
        na_codes=na_codes,
    )
    options = _import_options("qualtrics", given, QUALTRICS_METADATA)
    with _open_records(source) as (name, records):
        header = next(records, None)
        if header is None:
            raise _no_header(name)
        if next(records, None) is None:  # the question-text row
            problem = Problem(
                path="row 2",
                message="the question-text header row is missing",
                hint="export the CSV from Qualtrics without removing its header rows",
            )
            raise DataFileError(name, [problem])
        aliases: list[str | None] = [None] * len(header)
        third = next(records, None)
        first: list[tuple[int, list[str]]] = []
        if third is not None and _is_import_id_row(third):
            aliases, _ = _import_ids(name, third, len(header))
        elif third is not None:
            first = [(3, third)]
        body = itertools.chain(first, enumerate(records, start=4))
        return _from_table(name, header, aliases, body, options)
