r"""Importers: survey-platform exports -> response rows keyed by item id.

Each importer reads one export format with the standard library only and
turns it into :class:`ImportedResponses`: one ``dict`` per respondent,
keyed by allykit item id, ready for ``score``, ``score_many`` or a
DataFrame. The link between the export's fields and the instrument's
items is always an explicit map (``fields={"q1": "notices-bias", ...}``),
kept outside the code, so a renamed column never scores silently as
something else.

Rules shared by every importer:

- **Strict by default.** Export fields that are neither mapped nor
  ignored, and mapped fields that are not in the export, are reported
  together in one :class:`~allykit.errors.DataFileError`, each with its
  location (``row 1, column 'q7'``). With ``strict=False`` unknown fields
  are skipped, missing ones read as missing answers, and every problem is
  kept in :attr:`ImportedResponses.problems` instead.
- **Values stay as exported.** A column whose every non-blank cell is a
  number becomes ``int``/``float``; any other column keeps its text, so
  label exports score through the instrument's labels. A blank cell is
  ``None`` (a missing answer).
- **Platform metadata is ignored** (dates, progress, ``*_complete`` ...;
  see :data:`REDCAP_METADATA` and :data:`QUALTRICS_METADATA`), unless a
  field is mapped explicitly. ``ignore=`` adds more names or
  :func:`fnmatch.fnmatchcase` patterns.
- **Rows are numbered as a spreadsheet shows them**: the header is row 1.
- **With the instrument** (``instrument=``), ``na_codes=`` reads values
  such as ``99`` as "does not apply", and the score fields of allykit's
  own exports (:func:`allykit.surveys.to_redcap_dictionary`,
  :func:`allykit.surveys.to_surveyjs`) are skipped unless ``skip_score_fields=False``.

>>> import io
>>> from allykit.surveys import load_redcap_export
>>> export = io.StringIO("record_id,q1,q2,survey_complete\n1,5,2,2\n2,,4,2\n")
>>> imported = load_redcap_export(
...     export, fields={"q1": "notices-bias", "q2": "speaks-up"}, id_column="record_id"
... )
>>> imported.rows
({'notices-bias': 5, 'speaks-up': 2}, {'notices-bias': None, 'speaks-up': 4})
>>> imported.respondents
('1', '2')
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from allykit.errors import DataFileError, InvalidArgumentError, Problem, short_repr
from allykit.surveys._columns import ColumnBuilder, ResponseRows
from allykit.surveys._options import _NUMBER, MAX_NESTING, Platform, _ignored, _Options
from allykit.surveys._reading import MAX_EXPORT_CHARS, Source

__all__ = ["ImportedResponses", "MAX_EXPORT_CHARS", "MAX_NESTING", "Platform", "Source"]


_INTEGER = re.compile(r"[+-]?\d+")


@attrs.frozen(kw_only=True)
class ImportedResponses:
    """Response rows read from one export, keyed by item id.

    Attributes:
        source: The file (or ``<stream>``) that was read.
        platform: The survey platform of the export.
        rows: One dict per respondent, in export order, with a key for
            every mapped item (``None`` when blank or not exported). An
            import's rows are a :class:`~allykit.surveys.ResponseRows`: a
            sequence equal to the tuple of those dicts, which keeps the
            answers compactly and builds each dict when asked for (a fresh
            copy each time: edit it freely; the import does not change).
        respondents: The respondent ids, one per row, as text; empty when
            no id column was named.
        unknown_fields: Export fields neither mapped nor ignored (skipped
            with ``strict=False``).
        missing_fields: Mapped fields the export lacks (read as missing
            answers with ``strict=False``).
        score_fields: Fields skipped because they hold the scale scores of
            allykit's own export of the instrument (``<scale>_score`` calc
            fields in REDCap, ``<scale>-score`` calculated values in
            SurveyJS).
        not_applicable: How many answers were read as "does not apply"
            because they were one of the ``na_codes``.
        problems: Everything strict mode would have raised, for review.
    """

    source: str
    platform: Platform
    rows: Sequence[dict[str, Any]]
    respondents: tuple[str | None, ...] = ()
    unknown_fields: tuple[str, ...] = ()
    missing_fields: tuple[str, ...] = ()
    score_fields: tuple[str, ...] = ()
    not_applicable: int = 0
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Iterate over the rows, so that the result goes straight to scoring.

        ``score_many(instrument, imported)`` and ``reliability(instrument,
        imported)`` read the rows as they would a list of response mappings.
        """
        return iter(self.rows)

    def to_columns(self, *, id_column: str | None = None) -> dict[str, list[Any]]:
        """Return ``{column: values}`` for ``pandas.DataFrame`` or ``polars.DataFrame``.

        Args:
            id_column: Name of a first column holding :attr:`respondents`,
                or None for item columns only.

        Raises:
            InvalidArgumentError: If *id_column* is asked for but no
                respondent ids were read, or clashes with an item id.

        >>> import io
        >>> from allykit.surveys import load_surveyjs_results
        >>> imported = load_surveyjs_results(
        ...     io.StringIO('[{"q1": 4}, {"q1": 2}]'), fields={"q1": "speaks-up"}
        ... )
        >>> imported.to_columns()
        {'speaks-up': [4, 2]}
        """
        items: list[str] = list(self.rows[0]) if self.rows else []
        columns: dict[str, list[Any]] = {}
        if id_column is not None:
            if not self.respondents and self.rows:
                msg = "no respondent ids were read; name id_column= when importing"
                raise InvalidArgumentError(msg)
            if id_column in items:
                msg = f"id_column {id_column!r} is also an item id"
                raise InvalidArgumentError(msg)
            columns[id_column] = list(self.respondents)
        rows = self.rows
        for item in items:
            columns[item] = (
                rows.column(item)
                if isinstance(rows, ResponseRows)
                else [row[item] for row in rows]
            )
        return columns


def _cell(value: str) -> str | None:
    return value if value.strip() else None


def _numeric(values: list[Any]) -> list[Any]:
    """Parse a text column as numbers if every non-blank cell is one."""
    texts = [v.strip() for v in values if v is not None]
    if not texts or not all(_NUMBER.fullmatch(t) for t in texts):
        return values
    try:
        return [
            None
            if v is None
            else int(v.strip())
            if _INTEGER.fullmatch(v.strip())
            else float(v.strip())
            for v in values
        ]
    except ValueError:  # an integer of more digits than int() reads (4300)
        return values


@attrs.define
class _Header:
    """What the header row says: where each item and the id are, what is skipped."""

    item_column: dict[str, int] = attrs.field(factory=dict)
    id_index: int | None = None
    unknown: list[str] = attrs.field(factory=list)
    score_fields: list[str] = attrs.field(factory=list)
    problems: list[Problem] = attrs.field(factory=list)


def _resolve_header(
    header: Sequence[str], aliases: Sequence[str | None], options: _Options
) -> _Header:
    """Return the item columns, the id column, the skipped and unknown fields."""
    fields, id_column = options.fields, options.id_column
    found = _Header()
    item_column = found.item_column
    unknown = found.unknown
    problems = found.problems
    for index, column in enumerate(header):
        alias = aliases[index]
        keys = [column] if alias is None else [column, alias]
        field = next((key for key in keys if key in fields), None)
        place = f"row 1, column {column!r}"
        if id_column is not None and id_column in keys:
            found.id_index = index
        elif field is not None and fields[field] in item_column:
            problems.append(
                Problem(
                    path=place,
                    message=f"a second column for field {field!r}",
                    hint="rename or drop the duplicate column",
                )
            )
        elif field is not None:
            item_column[fields[field]] = index
        elif any(key in options.score_fields for key in keys):
            found.score_fields.append(column)
        elif not _ignored(keys, options.ignore):
            unknown.append(column)
            problems.append(
                Problem(
                    path=place,
                    message="export field is neither mapped to an item nor ignored",
                    hint="add it to fields= or ignore=, or pass strict=False",
                )
            )
    return found


def _from_table(
    name: str,
    header: Sequence[str],
    aliases: Sequence[str | None],
    body: Iterator[tuple[int, list[str]]],
    options: _Options,
) -> ImportedResponses:
    """Build the result from a header and numbered data records."""
    fields, id_column = options.fields, options.id_column
    found = _resolve_header(header, aliases, options)
    item_column, id_index, problems = found.item_column, found.id_index, found.problems
    missing = [field for field, item in fields.items() if item not in item_column]
    problems.extend(_missing_problem(field) for field in missing)
    if id_column is not None and id_index is None:
        problem = Problem(
            path=f"id_column {id_column!r}",
            message="the export has no such column",
            hint="name the column that holds the respondent id, or pass None",
        )
        raise DataFileError(name, [*problems, problem])
    # Each item's answers compactly (its distinct texts once, a small code
    # per row): a one-digit answer costs about a byte, not a dict entry.
    columns = {item: ColumnBuilder() for item in fields.values()}
    adders = [
        (column.add_text, item_column.get(item)) for item, column in columns.items()
    ]
    respondents: list[str | None] = []
    row_numbers = array("Q")
    width = len(header)
    for row_number, record in body:
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave blank lines at the end
        row_numbers.append(row_number)
        cells = record
        if len(record) != width:
            problems.append(
                Problem(
                    path=f"row {row_number}",
                    message=f"has {len(record)} cells, the header has {width}",
                    hint="check for a stray comma or an unquoted line break",
                )
            )
            cells = [*record, *[""] * (width - len(record))]
        for add, position in adders:
            add(None if position is None else _cell(cells[position]))
        if id_index is not None:
            respondents.append(_cell(cells[id_index]))
    names = {item: header[index] for item, index in item_column.items()}
    not_applicable = _parse_columns(columns, names, row_numbers, options, problems)
    if problems and options.strict:
        raise DataFileError(name, problems)
    rows = ResponseRows.from_builders(columns, len(row_numbers))
    return ImportedResponses(
        source=name,
        platform=options.platform,
        rows=rows,
        respondents=tuple(respondents),
        unknown_fields=tuple(found.unknown),
        missing_fields=tuple(missing),
        score_fields=tuple(found.score_fields),
        not_applicable=not_applicable,
        problems=tuple(problems),
    )


def _parse_columns(
    columns: dict[str, ColumnBuilder],
    names: dict[str, str],
    row_numbers: Sequence[int],
    options: _Options,
    problems: list[Problem],
) -> int:
    """Parse each column's levels (numbers, N/A codes); return how many were N/A.

    Each distinct text is parsed once, not once per row.
    """
    not_applicable = 0
    for item, column in columns.items():
        levels = column.levels
        codes = [lv for lv in range(1, len(levels)) if options.is_na(levels[lv])]
        answer = options.na_answers.get(item)
        if codes and answer is None:
            first = column.first(codes)
            where = f"row {row_numbers[first]}, column {names[item]!r}"
            count = sum(column.count(lv) for lv in codes)
            value = levels[column.codes[first]]
            problems.append(_no_na_answer(where, value, item, count))
            codes = []
        # N/A codes are set aside so a column of numbers and 99s stays numeric.
        for lv in codes:
            levels[lv] = None
        levels = _numeric(levels)
        for lv in codes:
            levels[lv] = answer
            not_applicable += column.count(lv)
        column.levels = levels
    return not_applicable


def _no_na_answer(where: str, value: Any, item: str, count: int) -> Problem:
    more = f" ({count} answers)" if count > 1 else ""
    return Problem(
        path=where,
        message=(
            f"an N/A code{more}, but item {item!r} has no 'does not apply' answer "
            "in the instrument, so it is kept as exported"
        ),
        value=short_repr(value),
        hint="remove it from na_codes, or give the item's response scale "
        "not_applicable labels or not_applicable_values",
    )


def _missing_problem(field: str) -> Problem:
    return Problem(
        path=f"fields[{field!r}]",
        message="mapped field is not in the export",
        hint="check the spelling against the export's header, or pass strict=False",
    )
