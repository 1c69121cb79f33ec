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

>>> import io
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

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import IO, Any, Literal

import attrs

from allykit.errors import DataFileError, InvalidArgumentError, Problem, short_repr

__all__ = [
    "QUALTRICS_METADATA",
    "REDCAP_METADATA",
    "ImportedResponses",
    "Platform",
    "load_qualtrics_export",
    "load_redcap_export",
    "load_surveyjs_results",
]

#: The survey platform an export came from.
Platform = Literal["redcap", "qualtrics", "surveyjs"]

#: Columns of REDCap exports that are not answers (raw and label headers).
REDCAP_METADATA: tuple[str, ...] = (
    "redcap_*",
    "*_timestamp",
    "*_complete",
    "Event Name",
    "Repeat Instrument",
    "Repeat Instance",
    "Data Access Group",
    "Survey Identifier",
    "Survey Timestamp",
    "Complete[?]",
)

#: Columns of Qualtrics exports that are not answers.
QUALTRICS_METADATA: tuple[str, ...] = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
    "Q_*",
)

# Largest export read, in characters: far above any survey, small enough to
# refuse a wrong file (a database dump) before it fills memory.
MAX_EXPORT_CHARS = 512 * 1024 * 1024

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")

Source = str | os.PathLike[str] | IO[str]


@attrs.frozen(kw_only=True)
class ImportedResponses:
    """Response rows read from one export, keyed by item id.

    Attributes:
        source: The file (or ``<stream>``) that was read.
        platform: The survey platform of the export.
        rows: One dict per respondent, in export order, with a key for
            every mapped item (``None`` when blank or not exported). The
            dicts are fresh copies: edit them freely.
        respondents: The respondent ids, one per row, as text; empty when
            no id column was named.
        unknown_fields: Export fields neither mapped nor ignored (skipped
            with ``strict=False``).
        missing_fields: Mapped fields the export lacks (read as missing
            answers with ``strict=False``).
        problems: Everything strict mode would have raised, for review.
    """

    source: str
    platform: Platform
    rows: tuple[dict[str, Any], ...]
    respondents: tuple[str | None, ...] = ()
    unknown_fields: tuple[str, ...] = ()
    missing_fields: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.rows)

    def to_columns(self, *, id_column: str | None = None) -> dict[str, list[Any]]:
        """Return ``{column: values}`` for ``pandas.DataFrame`` or ``polars.DataFrame``.

        Args:
            id_column: Name of a first column holding :attr:`respondents`,
                or None for item columns only.

        Raises:
            InvalidArgumentError: If *id_column* is asked for but no
                respondent ids were read, or clashes with an item id.

        >>> import io
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
        for item in items:
            columns[item] = [row[item] for row in self.rows]
        return columns


# -- arguments -----------------------------------------------------------


def _checked_fields(fields: object) -> dict[str, str]:
    if not isinstance(fields, Mapping) or not fields:
        msg = (
            "fields must be a non-empty mapping of export field to item id, "
            f"got {short_repr(fields)}"
        )
        raise InvalidArgumentError(msg)
    checked: dict[str, str] = {}
    owner: dict[str, str] = {}
    for field, item in fields.items():
        if not isinstance(field, str) or not isinstance(item, str) or not item:
            msg = (
                "fields maps export field names (text) to item ids (text), "
                f"got {short_repr(field)}: {short_repr(item)}"
            )
            raise InvalidArgumentError(msg)
        if item in owner:
            msg = f"fields {owner[item]!r} and {field!r} both map to item {item!r}"
            raise InvalidArgumentError(msg)
        owner[item] = field
        checked[field] = item
    return checked


def _checked_ignore(ignore: object) -> tuple[str, ...]:
    if isinstance(ignore, str):
        return (ignore,)
    if not isinstance(ignore, Iterable):
        msg = f"ignore must be field names or patterns, got {short_repr(ignore)}"
        raise InvalidArgumentError(msg)
    patterns = tuple(ignore)
    for pattern in patterns:
        if not isinstance(pattern, str):
            msg = f"ignore must be field names or patterns, got {short_repr(pattern)}"
            raise InvalidArgumentError(msg)
    return patterns


def _checked_id(id_column: object) -> str | None:
    if id_column is not None and not isinstance(id_column, str):
        msg = f"id_column must be a field name or None, got {short_repr(id_column)}"
        raise InvalidArgumentError(msg)
    return id_column


def _ignored(names: Iterable[str], patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for name in names for pattern in patterns)


# -- reading -------------------------------------------------------------


def _read_text(source: object) -> tuple[str, str]:
    """Return ``(source name, text)`` from a path or an open text file."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            with open(name, encoding="utf-8-sig", newline="") as handle:  # noqa: PTH123 -- plain user path
                text = handle.read(MAX_EXPORT_CHARS + 1)
        except UnicodeDecodeError as error:
            problem = Problem(
                path="",
                message=f"the file is not UTF-8 (byte {error.start} cannot be decoded)",
                hint="export the file again as UTF-8 (CSV UTF-8 in Excel)",
            )
            raise DataFileError(str(name), [problem]) from None
        except OSError as error:
            problem = Problem(
                path="",
                message=f"cannot read the file: {error.strerror or error}",
                hint="check the path and its permissions",
            )
            raise DataFileError(str(name), [problem]) from error
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        text = source.read(MAX_EXPORT_CHARS + 1)
        if not isinstance(text, str):
            problem = Problem(
                path="",
                message="expected a file opened in text mode",
                hint="open it with open(path, encoding='utf-8-sig', newline='')",
            )
            raise DataFileError(name, [problem])
        text = text.removeprefix("\ufeff")
    else:
        msg = f"expected a path or an open text file, got {short_repr(source)}"
        raise InvalidArgumentError(msg)
    if len(text) > MAX_EXPORT_CHARS:
        problem = Problem(
            path="",
            message=f"the export is larger than {MAX_EXPORT_CHARS} characters",
            hint="split it, or read it in parts",
        )
        raise DataFileError(name, [problem])
    return name, text


def _records(name: str, text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        problem = Problem(
            path="",
            message=f"not a valid CSV file: {error}",
            hint="check for an unclosed quote",
        )
        raise DataFileError(name, [problem]) from None


def _cell(value: str) -> str | None:
    return value if value.strip() else None


def _numeric(values: list[Any]) -> list[Any]:
    """Parse a text column as numbers if every non-blank cell is one."""
    texts = [v.strip() for v in values if v is not None]
    if not texts or not all(_NUMBER.fullmatch(t) for t in texts):
        return values
    return [
        None
        if v is None
        else int(v.strip())
        if _INTEGER.fullmatch(v.strip())
        else float(v.strip())
        for v in values
    ]


@attrs.frozen(kw_only=True)
class _Options:
    fields: dict[str, str]
    id_column: str | None
    ignore: tuple[str, ...]
    strict: bool
    platform: Platform


def _options(  # noqa: PLR0913, PLR0917 -- the importers' own arguments, checked once
    platform: Platform,
    fields: object,
    id_column: object,
    ignore: object,
    metadata: tuple[str, ...],
    strict: object,
) -> _Options:
    if not isinstance(strict, bool):
        msg = f"strict must be True or False, got {short_repr(strict)}"
        raise InvalidArgumentError(msg)
    return _Options(
        fields=_checked_fields(fields),
        id_column=_checked_id(id_column),
        ignore=(*metadata, *_checked_ignore(ignore)),
        strict=strict,
        platform=platform,
    )


def _resolve_header(
    header: Sequence[str], aliases: Sequence[str | None], options: _Options
) -> tuple[dict[str, int], int | None, list[str], list[Problem]]:
    """Return (item -> column index, id column index, unknown fields, problems)."""
    fields, id_column = options.fields, options.id_column
    item_column: dict[str, int] = {}
    id_index: int | None = None
    unknown: list[str] = []
    problems: list[Problem] = []
    for index, column in enumerate(header):
        alias = aliases[index]
        keys = [column] if alias is None else [column, alias]
        field = next((key for key in keys if key in fields), None)
        place = f"row 1, column {column!r}"
        if id_column is not None and id_column in keys:
            id_index = index
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
        elif not _ignored(keys, options.ignore):
            unknown.append(column)
            problems.append(
                Problem(
                    path=place,
                    message="export field is neither mapped to an item nor ignored",
                    hint="add it to fields= or ignore=, or pass strict=False",
                )
            )
    return item_column, id_index, unknown, problems


def _from_table(
    name: str,
    header: Sequence[str],
    aliases: Sequence[str | None],
    body: Iterator[tuple[int, list[str]]],
    options: _Options,
) -> ImportedResponses:
    """Build the result from a header and numbered data records."""
    fields, id_column = options.fields, options.id_column
    item_column, id_index, unknown, problems = _resolve_header(header, aliases, options)
    missing = [field for field, item in fields.items() if item not in item_column]
    problems.extend(_missing_problem(field) for field in missing)
    if id_column is not None and id_index is None:
        problem = Problem(
            path=f"id_column {id_column!r}",
            message="the export has no such column",
            hint="name the column that holds the respondent id, or pass None",
        )
        raise DataFileError(name, [*problems, problem])
    columns: dict[str, list[Any]] = {item: [] for item in fields.values()}
    respondents: list[str | None] = []
    width = len(header)
    for row_number, record in body:
        if not any(cell.strip() for cell in record):
            continue  # spreadsheets leave blank lines at the end
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
        for item, values in columns.items():
            position = item_column.get(item)
            values.append(None if position is None else _cell(cells[position]))
        if id_index is not None:
            respondents.append(_cell(cells[id_index]))
    if problems and options.strict:
        raise DataFileError(name, problems)
    parsed = {item: _numeric(values) for item, values in columns.items()}
    rows = tuple(
        {item: parsed[item][i] for item in parsed} for i in range(_length(parsed))
    )
    return ImportedResponses(
        source=name,
        platform=options.platform,
        rows=rows,
        respondents=tuple(respondents),
        unknown_fields=tuple(unknown),
        missing_fields=tuple(missing),
        problems=tuple(problems),
    )


def _length(columns: dict[str, list[Any]]) -> int:
    return len(next(iter(columns.values()))) if columns else 0


def _missing_problem(field: str) -> Problem:
    return Problem(
        path=f"fields[{field!r}]",
        message="mapped field is not in the export",
        hint="check the spelling against the export's header, or pass strict=False",
    )


def _no_header(name: str) -> DataFileError:
    problem = Problem(path="row 1", message="the export has no header row")
    return DataFileError(name, [problem])


# -- public importers ----------------------------------------------------


def load_redcap_export(
    source: Source,
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
) -> ImportedResponses:
    r"""Read a REDCap CSV export (raw codes or labels) into response rows.

    A *raw* export has variable names in its header and choice codes as
    values; a *label* export has field labels in its header and choice
    labels as values. Map whichever the header holds: ``{"q1": "item-id"}``
    for raw, ``{"I notice bias": "item-id"}`` for labels. Columns matching
    :data:`REDCAP_METADATA` (``redcap_event_name``, ``*_complete``, ...)
    are ignored unless mapped.

    Args:
        source: A path, or a file opened in text mode.
        fields: Export field (header text) -> item id.
        id_column: Header of the respondent id column (``record_id``), kept
            as text in :attr:`ImportedResponses.respondents`.
        ignore: More field names or :func:`fnmatch.fnmatchcase` patterns
            to skip.
        strict: Raise on unknown or missing fields (default); with False,
            skip them and report them in the result.

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the file cannot be read or, when strict, has
            unknown fields, lacks mapped ones, or has ragged rows; every
            problem is listed with its row and column.
        InvalidArgumentError: If *fields*, *ignore* or *id_column* are
            malformed (for example two fields for one item).

    >>> import io
    >>> labels = io.StringIO(
    ...     "Record ID,I notice bias,Complete?\n"
    ...     "7,Agree,Complete\n"
    ...     "8,Strongly disagree,Incomplete\n"
    ... )
    >>> load_redcap_export(
    ...     labels, fields={"I notice bias": "notices-bias"}, id_column="Record ID"
    ... ).rows
    ({'notices-bias': 'Agree'}, {'notices-bias': 'Strongly disagree'})
    """
    options = _options("redcap", fields, id_column, ignore, REDCAP_METADATA, strict)
    name, text = _read_text(source)
    records = _records(name, text)
    if not records:
        raise _no_header(name)
    header = records[0]
    body = ((number, record) for number, record in enumerate(records[1:], start=2))
    return _from_table(name, header, [None] * len(header), body, options)


def _import_ids(
    name: str, record: list[str], width: int
) -> tuple[list[str | None], list[Problem]]:
    """Read the third Qualtrics header row: ``{"ImportId":"QID1_1"}`` per column."""
    import json  # lazy: not on the path of ``import allykit``

    ids: list[str | None] = []
    problems: list[Problem] = []
    for index in range(width):
        cell = record[index] if index < len(record) else ""
        try:
            data = json.loads(cell) if cell.strip() else {}
        except ValueError:
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


def load_qualtrics_export(
    source: Source,
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
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

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the file cannot be read, its header rows are
            malformed or, when strict, it has unknown fields, lacks
            mapped ones, or has ragged rows.
        InvalidArgumentError: If *fields*, *ignore* or *id_column* are
            malformed.

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
    options = _options(
        "qualtrics", fields, id_column, ignore, QUALTRICS_METADATA, strict
    )
    name, text = _read_text(source)
    records = _records(name, text)
    if not records:
        raise _no_header(name)
    header = records[0]
    if len(records) < 2:  # noqa: PLR2004 -- the question-text row
        problem = Problem(
            path="row 2",
            message="the question-text header row is missing",
            hint="export the CSV from Qualtrics without removing its header rows",
        )
        raise DataFileError(name, [problem])
    first_data = 2
    aliases: list[str | None] = [None] * len(header)
    if len(records) > first_data and _is_import_id_row(records[first_data]):
        aliases, _ = _import_ids(name, records[first_data], len(header))
        first_data = 3
    body = (
        (number, record)
        for number, record in enumerate(records[first_data:], start=first_data + 1)
    )
    return _from_table(name, header, aliases, body, options)


def _flatten(result: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten matrix answers: ``{"m": {"r1": 3}}`` -> ``{"m.r1": 3}``."""
    flat: dict[str, Any] = {}
    for key, value in result.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def _json_value(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _surveyjs_results(source: object) -> tuple[str, list[Any]]:
    if isinstance(source, Sequence) and not isinstance(source, (str, bytes)):
        return "<results>", list(source)
    name, text = _read_text(source)
    from allykit._loading import parse_json  # lazy: json and friends

    data = (
        parse_json(text, name) if len(text) <= MAX_JSON_CHARS else _big_json(text, name)
    )
    if not isinstance(data, list):
        problem = Problem(
            path="",
            message="expected a JSON array of survey result objects",
            value=short_repr(data),
            hint="collect each survey.data object into one array; for a "
            "wrapped export, pass the list itself (data['results'])",
        )
        raise DataFileError(name, [problem])
    return name, data


# allykit's document parser refuses over 2 MiB (framework files); result
# exports may be bigger, so large ones go through plain json.loads.
MAX_JSON_CHARS = 2 * 1024 * 1024


def _big_json(text: str, name: str) -> Any:
    import json  # lazy: not on the path of ``import allykit``

    try:
        return json.loads(text)
    except ValueError as error:
        problem = Problem(path="", message=f"invalid JSON: {error}")
        raise DataFileError(name, [problem]) from None


def load_surveyjs_results(
    source: Source | Sequence[Mapping[str, Any]],
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
) -> ImportedResponses:
    """Read SurveyJS results (a JSON array of ``survey.data`` objects) into rows.

    Each result object maps question names to answers; SurveyJS leaves out
    questions that were not answered, so an absent name is a missing
    answer. Matrix questions (``{"bias": {"notice": 4}}``) are flattened to
    dotted names (``"bias.notice"``). Values keep their JSON types.

    Args:
        source: A path or text file holding the JSON array, or the list of
            result mappings itself (for a wrapped export, pass the list).
        fields: Question name (dotted for matrix rows) -> item id.
        id_column: Name of a value holding the respondent id (one your app
            stores, such as a hidden question), kept as text.
        ignore: More names or :func:`fnmatch.fnmatchcase` patterns to skip.
        strict: Raise on unknown names, on mapped names that no result
            has, and on results without an id (default); with False, skip
            and report them.

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the JSON is invalid, not an array of objects or,
            when strict, has unknown or missing fields; each problem is
            located as ``results[3]['q7']``.
        InvalidArgumentError: If *fields*, *ignore* or *id_column* are
            malformed.

    >>> load_surveyjs_results(
    ...     [{"id": "a", "bias": {"notice": 4, "speak": "Agree"}}, {"id": "b"}],
    ...     fields={"bias.notice": "notices", "bias.speak": "speaks"},
    ...     id_column="id",
    ... ).rows
    ({'notices': 4, 'speaks': 'Agree'}, {'notices': None, 'speaks': None})
    """
    options = _options("surveyjs", fields, id_column, ignore, (), strict)
    name, results = _surveyjs_results(source)
    problems: list[Problem] = []
    unknown: dict[str, None] = {}
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    respondents: list[str | None] = []
    for index, result in enumerate(results):
        if not isinstance(result, Mapping):
            problems.append(
                Problem(
                    path=f"results[{index}]",
                    message="expected a result object",
                    value=short_repr(result),
                )
            )
            continue
        flat = _flatten(result)
        seen.update(flat)
        for key in flat:
            if (
                key not in options.fields
                and key != options.id_column
                and key not in unknown
                and not _ignored([key], options.ignore)
            ):
                unknown[key] = None
                problems.append(
                    Problem(
                        path=f"results[{index}][{key!r}]",
                        message="result field is neither mapped to an item nor ignored",
                        hint="add it to fields= or ignore=, or pass strict=False",
                    )
                )
        rows.append(
            {
                item: _json_value(flat.get(field))
                for field, item in options.fields.items()
            }
        )
        if options.id_column is not None:
            value = _json_value(flat.get(options.id_column))
            if value is None:
                problems.append(
                    Problem(
                        path=f"results[{index}]",
                        message=f"has no respondent id {options.id_column!r}",
                    )
                )
            respondents.append(None if value is None else str(value))
    missing = [field for field in options.fields if field not in seen]
    problems.extend(_missing_problem(field) for field in missing)
    if problems and options.strict:
        raise DataFileError(name, problems)
    return ImportedResponses(
        source=name,
        platform="surveyjs",
        rows=tuple(rows),
        respondents=tuple(respondents),
        unknown_fields=tuple(unknown),
        missing_fields=tuple(missing),
        problems=tuple(problems),
    )
