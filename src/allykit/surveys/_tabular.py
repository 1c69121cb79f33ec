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

import contextlib
import csv
import io
import math
import re
from array import array
from typing import TYPE_CHECKING, Any, Literal

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale


import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import IO, TYPE_CHECKING

import attrs

from allykit.errors import DataFileError, Problem
from allykit.surveys._columns import ColumnBuilder, ResponseRows

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale

__all__ = ["ImportedResponses", "MAX_EXPORT_CHARS", "MAX_NESTING", "Platform", "Source"]


#: The survey platform an export came from.
Platform = Literal["redcap", "qualtrics", "surveyjs"]


#: Largest export read, in characters (128 MiB): far above any survey; a
#: wrong file (a database dump) is refused once this much has been read.
#: Exports are read as needed (CSV a line at a time, SurveyJS JSON a result
#: at a time) and only the mapped answers are kept, compactly (about a byte
#: each, see surveys/_columns.py), so an import peaks within a few times the
#: export: 0.3-0.5 times for usual exports, about 2.5 for one holding nothing
#: but one-digit answers (benchmarks/bench_import_memory.py).
MAX_EXPORT_CHARS = 128 * 1024 * 1024


#: Deepest nesting of objects in a SurveyJS result (matrices nest two or
#: three levels); deeper data is refused with its location.
MAX_NESTING = 64


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


_INTEGER = re.compile(r"[+-]?\d+")


_MAX_EXACT_INT = 2**53  # larger whole numbers are not exact as floats


Source = str | os.PathLike[str] | IO[str]


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
        except ValueError:  # a NUL byte in the path
            problem = Problem(
                path="",
                message="the path contains a NUL byte",
                value=short_repr(name),
                hint="check the path",
            )
            raise DataFileError(short_repr(name), [problem]) from None
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
            message=f"the export is larger than {MAX_EXPORT_CHARS} characters "
            "(the limit keeps an import within a few GB of memory)",
            hint="split it by rows into several files and import each",
        )
        raise DataFileError(name, [problem])
    return name, text


def _not_csv(name: str, error: csv.Error) -> DataFileError:
    problem = Problem(
        path="",
        message=f"not a valid CSV file: {error}",
        hint="check for an unclosed quote",
    )
    return DataFileError(name, [problem])


def _too_large(name: str) -> DataFileError:
    problem = Problem(
        path="",
        message=f"the export is larger than {MAX_EXPORT_CHARS} characters "
        "(the limit keeps an import within a few GB of memory)",
        hint="split it by rows into several files and import each",
    )
    return DataFileError(name, [problem])


class _Lines:
    """The lines of an open text file, counted against the size cap.

    Iterated by :func:`csv.reader`: the export is read a line at a time, so
    an import holds one record, never the whole text or every record.
    """

    def __init__(self, name: str, handle: IO[str]) -> None:
        self.name = name
        self.handle = handle
        self.read = 0
        self.first = True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = self.handle.readline(MAX_EXPORT_CHARS + 1 - self.read)
        except UnicodeDecodeError as error:
            raise _not_utf8(self.name, error) from None
        if not isinstance(line, str):
            problem = Problem(
                path="",
                message="expected a file opened in text mode",
                hint="open it with open(path, encoding='utf-8-sig', newline='')",
            )
            raise DataFileError(self.name, [problem])
        if not line:
            raise StopIteration
        self.read += len(line)
        if self.read > MAX_EXPORT_CHARS:
            raise _too_large(self.name)
        if self.first:
            self.first = False
            line = line.removeprefix("\ufeff")
        return line


def _not_utf8(name: str, error: UnicodeDecodeError) -> DataFileError:
    problem = Problem(
        path="",
        message=f"the file is not UTF-8 (byte {error.start} cannot be decoded)",
        hint="export the file again as UTF-8 (CSV UTF-8 in Excel)",
    )
    return DataFileError(name, [problem])


class _Records:
    """The CSV records of an export, read as they are needed (see :class:`_Lines`)."""

    def __init__(self, name: str, lines: _Lines) -> None:
        self.name = name
        self.reader = csv.reader(lines, strict=True)

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self.reader)
        except csv.Error as error:
            raise _not_csv(self.name, error) from None


@contextlib.contextmanager
def _open_records(source: object) -> Iterator[tuple[str, _Records]]:
    """Open a path or use an open text file; yield its name and its CSV records."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            handle = open(name, encoding="utf-8-sig", newline="")  # noqa: PTH123, SIM115 -- plain user path, closed below
        except ValueError:  # a NUL byte in the path
            problem = Problem(
                path="",
                message="the path contains a NUL byte",
                value=short_repr(name),
                hint="check the path",
            )
            raise DataFileError(short_repr(name), [problem]) from None
        except OSError as error:
            problem = Problem(
                path="",
                message=f"cannot read the file: {error.strerror or error}",
                hint="check the path and its permissions",
            )
            raise DataFileError(str(name), [problem]) from error
        with handle:
            try:
                yield name, _Records(name, _Lines(name, handle))
            except OSError as error:
                problem = Problem(
                    path="",
                    message=f"cannot read the file: {error.strerror or error}",
                    hint="check the path and its permissions",
                )
                raise DataFileError(str(name), [problem]) from error
    elif hasattr(source, "readline"):
        name = str(getattr(source, "name", "<stream>"))
        yield name, _Records(name, _Lines(name, source))  # type: ignore[arg-type]
    elif hasattr(source, "read"):
        # A file-like object without readline(): read it (within the cap).
        name, text = _read_text(source)
        yield name, _Records(name, _Lines(name, io.StringIO(text, newline="")))
    else:
        msg = f"expected a path or an open text file, got {short_repr(source)}"
        raise InvalidArgumentError(msg)


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


@attrs.frozen(kw_only=True)
class _Options:
    fields: dict[str, str]
    id_column: str | None
    ignore: tuple[str, ...]
    strict: bool
    platform: Platform
    # The N/A codes, and item id -> the answer they read as (absent: the
    # item has no "does not apply" answer).
    na_codes: tuple[float | str, ...] = ()
    na_answers: dict[str, float | str] = attrs.field(factory=dict)
    score_fields: frozenset[str] = frozenset()

    # The codes as trimmed, case-folded texts and as numbers, for is_na.
    na_texts: frozenset[str] = attrs.field(init=False)
    na_numbers: frozenset[float] = attrs.field(init=False)

    @na_texts.default
    def _na_texts(self) -> frozenset[str]:
        return frozenset(str(c).strip().casefold() for c in self.na_codes)

    @na_numbers.default
    def _na_numbers(self) -> frozenset[float]:
        numbers = (_as_number(c) for c in self.na_codes)
        return frozenset(n for n in numbers if n is not None)

    def is_na(self, value: Any) -> bool:
        """Return whether an exported *value* (cell text or JSON value) is an N/A code.

        Texts compare trimmed and ignoring case; numbers (and texts that are
        numbers) compare by value, so ``99``, ``99.0`` and ``"99"`` match.
        """
        if not self.na_codes or value is None or isinstance(value, bool):
            return False
        if isinstance(value, str):
            text = value.strip()
            return (
                text.casefold() in self.na_texts or _as_number(text) in self.na_numbers
            )
        if isinstance(value, (int, float)):
            return float(value) in self.na_numbers
        return False


def _as_number(value: float | str) -> float | None:
    if isinstance(value, str):
        text = value.strip()
        return float(text) if _NUMBER.fullmatch(text) else None
    return float(value)


@attrs.frozen(kw_only=True)
class _Given:
    """The importers' arguments, as the caller passed them."""

    fields: object
    id_column: object
    ignore: object
    strict: object
    instrument: object = None
    na_codes: object = ()
    skip_score_fields: object = True


def _import_options(
    platform: Platform, given: _Given, metadata: tuple[str, ...]
) -> _Options:
    for name in ("strict", "skip_score_fields"):
        flag = getattr(given, name)
        if not isinstance(flag, bool):
            msg = f"{name} must be True or False, got {short_repr(flag)}"
            raise InvalidArgumentError(msg)
    fields = _checked_fields(given.fields)
    instrument = _checked_instrument(given.instrument, fields)
    codes = _checked_na_codes(given.na_codes)
    if codes and instrument is None:
        msg = (
            f"na_codes={short_repr(list(codes))} needs instrument=: the "
            "instrument says which answer means 'does not apply' for each item; pass "
            "instrument=allykit.load_instrument(...)"
        )
        raise InvalidArgumentError(msg)
    na_answers: dict[str, float | str] = {}
    score_fields: frozenset[str] = frozenset()
    if instrument is not None:
        na_answers = _na_answers(instrument, fields, codes)
        if given.skip_score_fields:
            score_fields = _score_fields(platform, instrument, fields)
    return _Options(
        fields=fields,
        id_column=_checked_id(given.id_column),
        ignore=(*metadata, *_checked_ignore(given.ignore)),
        strict=bool(given.strict),
        platform=platform,
        na_codes=codes,
        na_answers=na_answers,
        score_fields=score_fields,
    )


def _checked_instrument(
    instrument: object, fields: dict[str, str]
) -> Instrument | None:
    if instrument is None:
        return None
    from allykit.models.instrument import Instrument  # lazy: keeps imports light

    if not isinstance(instrument, Instrument):
        msg = (
            "instrument must be an Instrument (from allykit.load_instrument), "
            f"got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    known = {item.id for item in instrument.items}
    for field, item in fields.items():
        if item not in known:
            from allykit._suggest import closest

            near = closest(item, known, limit=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            msg = (
                f"fields maps {field!r} to {item!r}, which is not an item of "
                f"instrument {instrument.id!r}{hint}"
            )
            raise InvalidArgumentError(msg)
    return instrument


def _checked_na_codes(na_codes: object) -> tuple[float | str, ...]:
    if isinstance(na_codes, (str, int, float)):
        na_codes = (na_codes,)
    if not isinstance(na_codes, Iterable):
        msg = (
            "na_codes must be numbers or texts, such as [99], got "
            f"{short_repr(na_codes)}"
        )
        raise InvalidArgumentError(msg)
    codes: list[float | str] = []
    for code in na_codes:
        text = isinstance(code, str) and bool(code.strip())
        number = (
            isinstance(code, int)
            and not isinstance(code, bool)
            and abs(code) <= _MAX_EXACT_INT
        ) or (isinstance(code, float) and math.isfinite(code))
        usable = text or number
        if not usable:
            msg = (
                "na_codes must be finite numbers (whole numbers up to 2**53) or "
                f"non-blank texts, such as [99] or ['NA'], got {short_repr(code)}"
            )
            raise InvalidArgumentError(msg)
        codes.append(code)
    return tuple(codes)


def _na_answers(
    instrument: Instrument, fields: dict[str, str], codes: tuple[float | str, ...]
) -> dict[str, float | str]:
    """Return item id -> the answer an N/A code reads as, checking the codes."""
    found: dict[str, float | str] = {}
    if not codes:
        return found
    for item_id in fields.values():
        item = instrument.item(item_id)
        options = item.response_scale or instrument.response_scale
        if options is None:
            continue
        for code in codes:
            if _is_code(code, [c.value for c in options.choices], options):
                msg = (
                    f"na_codes value {code!r} is an answer of item {item_id!r} "
                    f"({options.min:g} to {options.max:g}), so it cannot also "
                    "mean 'does not apply'; remove it from na_codes"
                )
                raise InvalidArgumentError(msg)
        if options.not_applicable_values:
            value = options.not_applicable_values[0]
            found[item_id] = int(value) if float(value).is_integer() else value
        elif options.not_applicable:
            found[item_id] = options.not_applicable[0]
    return found


def _is_code(code: float | str, values: list[float], options: ResponseScale) -> bool:
    """Return whether an N/A *code* is one of the item's own answers."""
    if isinstance(code, str):
        key = code.strip().casefold()
        labels = [c.label for c in options.choices] + [a.label for a in options.aliases]
        return any(label.strip().casefold() == key for label in labels) or (
            bool(_NUMBER.fullmatch(code.strip())) and float(code) in values
        )
    return float(code) in values


def _score_fields(
    platform: Platform, instrument: Instrument, fields: dict[str, str]
) -> frozenset[str]:
    """Return the names allykit's own export gives the instrument's score fields."""
    from allykit.surveys import _forms as surveys  # lazy: not needed to import

    if platform == "surveyjs":
        return frozenset(surveys.surveyjs_score_name(s.id) for s in instrument.scales)
    # A raw export's fields are <prefix><item>; find the prefix from the map.
    prefixes = {""}
    for field, item in fields.items():
        stem = item.replace("-", "_")
        if field.endswith(stem):
            prefixes.add(field.removesuffix(stem))
    names = {
        surveys.redcap_score_name(scale.id, prefix)
        for scale in instrument.scales
        for prefix in prefixes
    }
    # A label export's header holds the calc field's label instead.
    names.update(surveys.redcap_score_label(scale) for scale in instrument.scales)
    return frozenset(names)


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
    adders = [(column.add, item_column.get(item)) for item, column in columns.items()]
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


def _no_header(name: str) -> DataFileError:
    problem = Problem(path="row 1", message="the export has no header row")
    return DataFileError(name, [problem])
