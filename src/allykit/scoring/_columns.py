"""Which column holds which item: one check of a header for every door.

Private to :mod:`allykit.scoring.answers`. A header (of a file, a frame or
rows) is checked against an instrument once, and every problem is listed
at once: columns named twice, an id column that is not there, a
``columns`` map naming unknown items or columns, and columns that are no
item of the instrument (with a did-you-mean). The housekeeping columns of
REDCap and Qualtrics exports are recognised by name and set aside, as are
the columns the caller asks to ignore.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from allykit.errors import (
    AnswersError,
    InvalidArgumentError,
    Problem,
    short_repr,
)

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = [
    "HOUSEKEEPING",
    "QUALTRICS_HOUSEKEEPING",
    "REDCAP_HOUSEKEEPING",
    "ColumnPlan",
    "plan_columns",
]

#: Columns of REDCap exports that are not answers (raw and label headers).
REDCAP_HOUSEKEEPING: tuple[str, ...] = (
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
QUALTRICS_HOUSEKEEPING: tuple[str, ...] = (
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

#: Every column name (:func:`fnmatch.fnmatchcase` pattern) set aside unasked.
HOUSEKEEPING: tuple[str, ...] = REDCAP_HOUSEKEEPING + QUALTRICS_HOUSEKEEPING

_MAP_HINT = (
    "map columns to item ids (columns= in Python, --columns FILE.json on the "
    "command line), or set the column aside (ignore= / --ignore NAME)"
)


class ColumnPlan:
    """Item id -> column, the id column and the columns set aside."""

    __slots__ = ("id_column", "ignored", "items")

    def __init__(
        self, items: dict[str, str], id_column: str | None, ignored: tuple[str, ...]
    ) -> None:
        self.items = items
        self.id_column = id_column
        self.ignored = ignored


def checked_ignore(ignore: object) -> tuple[str, ...]:
    """Return *ignore* as a tuple of names or patterns, or raise."""
    if isinstance(ignore, str):
        return (ignore,)
    names: tuple[Any, ...] | None = None
    if isinstance(ignore, Iterable):
        names = tuple(ignore)
    if names is None or not all(isinstance(n, str) for n in names):
        msg = (
            "ignore must be column names or patterns (such as 'note_*'), "
            f"not {short_repr(ignore)}"
        )
        raise InvalidArgumentError(msg)
    return names


def _near(name: str, known: Iterable[str]) -> str:
    from allykit._suggest import closest

    best = closest(name, known)
    if not best:
        return ""
    return "did you mean " + " or ".join(repr(b) for b in best) + "?"


def _delimiter_hint(column: str) -> str:
    """A hint when one header cell holds several names: another delimiter."""
    for delimiter, name in ((";", "semicolons"), ("\t", "tabs")):
        if delimiter in column:
            return (
                f"the header seems to be separated by {name}, not commas: "
                "save the file as comma-separated CSV"
            )
    return ""


def _checked_map(columns: object) -> dict[str, str]:
    if not isinstance(columns, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        msg = (
            "columns must map item id -> column name (both text), "
            f"not {short_repr(columns)}"
        )
        raise InvalidArgumentError(msg)
    return dict(columns)


def plan_columns(  # noqa: PLR0913 -- the header's facts and the options
    instrument: Instrument,
    header: Sequence[Any],
    *,
    source: str,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    id_required: bool = True,
    map_name: str = "columns",
) -> ColumnPlan:
    """Check *header* against *instrument*; return which column holds which item.

    Raises:
        AnswersError: Listing every problem of the header at once.
    """
    return plan_header(
        {str(item.id) for item in instrument.items},
        header,
        source=source,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
        id_required=id_required,
        map_name=map_name,
    )


def plan_header(  # noqa: C901, PLR0912, PLR0913 -- one pass listing every problem
    items: Collection[str],
    header: Sequence[Any],
    *,
    source: str,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    id_required: bool = True,
    map_name: str = "columns",
) -> ColumnPlan:
    """:func:`plan_columns` for the item ids *items*."""
    patterns = (*HOUSEKEEPING, *checked_ignore(ignore))
    problems: list[Problem] = []
    texts = [name for name in header if isinstance(name, str)]
    problems.extend(
        Problem(
            path="header",
            message="a column name is not text",
            value=short_repr(name),
            hint="name every column",
        )
        for name in header
        if not isinstance(name, str)
    )
    present = set(texts)
    # A name set aside is never read: named twice it holds nothing that could
    # be mixed up. Nameless columns (Excel's empty trailing ones) are one
    # problem of their own, below.
    twice = sorted(
        c
        for c, n in Counter(texts).items()
        if n > 1 and c and not any(fnmatchcase(c, p) for p in patterns)
    )
    if twice:
        problems.append(
            Problem(
                path="header",
                message="columns named twice: " + ", ".join(map(repr, twice)),
                hint="give every column its own name",
            )
        )
    if id_column is not None and id_column not in present:
        if id_required and texts:  # no rows, no header: nothing is missing
            problems.append(
                Problem(
                    path=f"column {id_column!r}",
                    message="there is no such column (the id column)",
                    hint=_near(id_column, texts) or "name the column holding the ids",
                )
            )
        id_column = None
    # The ids are never an item's answers (unless the map gives the item
    # another column).
    if id_column in items and not (
        isinstance(columns, Mapping) and id_column in columns
    ):
        problems.append(
            Problem(
                path=f"column {id_column!r}",
                message="the id column is named after an item of the instrument, "
                "whose answers would go unscored",
                hint="name the column of respondent ids (id_column= in Python, "
                "--id-column COLUMN on the command line)",
            )
        )
    mapping: dict[str, str] = {}
    if columns is not None:
        given = _checked_map(columns)
        for key, value in given.items():
            if key not in items:
                problems.append(
                    Problem(
                        path=f"{map_name}[{key!r}]",
                        message="no item has this id",
                        hint=_near(key, items),
                    )
                )
            if value not in present:
                problems.append(
                    Problem(
                        path=f"{map_name}[{key!r}]",
                        message=f"there is no column {value!r}",
                        hint=_near(value, texts),
                    )
                )
        mapping = {k: v for k, v in given.items() if k in items and v in present}
        problems.extend(_shared_columns(mapping, id_column, map_name))
    mapped = set(mapping.values())
    ignored: list[str] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for column in texts:
        if column == id_column or column in mapped or column in seen:
            continue  # a repeated name is reported once, above
        seen.add(column)
        if column in items and column not in mapping:
            mapping[column] = column
        elif any(fnmatchcase(column, p) for p in patterns):
            ignored.append(column)
        else:
            unknown.append(column)
    lone = bool(unknown) and not mapping
    if lone:
        problems.append(
            Problem(
                path="header",
                message="no column is named after an item of the instrument "
                f"(its items are named like {next(iter(sorted(items)), '')!r})",
                hint=_MAP_HINT,
            )
        )
    if "" in unknown:
        problems.append(
            Problem(
                path=f"column {texts.index('') + 1}",
                message="a column has no name",
                hint="remove it from the file, or set nameless columns aside "
                "(ignore= in Python, --ignore '' on the command line)",
            )
        )
        unknown = [c for c in unknown if c]
    problems.extend(
        Problem(
            path=f"column {column!r}",
            message="not an item id of the instrument",
            hint=_delimiter_hint(column)
            or "; ".join(
                h for h in (_near(column, items), "" if lone else _MAP_HINT) if h
            ),
        )
        for column in unknown
    )
    if problems:
        raise AnswersError(source, capped(problems))
    return ColumnPlan(mapping, id_column, tuple(ignored))


def _shared_columns(
    mapping: Mapping[str, str], id_column: str | None, map_name: str
) -> list[Problem]:
    """A problem for each column the map gives a second item, or the id column.

    One answer never counts for two items, nor is a respondent's id scored.
    """
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for key, column in mapping.items():
        if column == id_column:
            problems.append(
                Problem(
                    path=f"{map_name}[{key!r}]",
                    message=f"column {column!r} is the id column",
                    hint="map the item to the column of its answers",
                )
            )
        elif column in first:
            other = first[column]
            problems.append(
                Problem(
                    path=f"{map_name}[{key!r}]",
                    message=f"column {column!r} is mapped to item {other!r} too",
                    hint="map each column to one item",
                )
            )
        else:
            first[column] = key
    return problems


def duplicate_columns(frame: object) -> AnswersError:
    """The error for a frame whose columns are named twice (every door's words)."""
    names = [str(c) for c in getattr(frame, "columns", ())]
    twice = sorted(c for c, n in Counter(names).items() if n > 1)
    problem = Problem(
        path="header",
        message="columns named twice: " + ", ".join(map(repr, twice)),
        hint="give every column its own name",
    )
    return AnswersError("<frame>", [problem])


#: What to do about an unusable answer, in Python and on the command line.
INVALID_HINT = (
    "correct the answer, or score unusable answers as missing "
    "(invalid='missing' in Python, --invalid missing on the command line)"
)

#: How many problems an error lists before "... and N more".
SHOWN = 20


def capped(
    problems: Sequence[Problem], shown: int = SHOWN, *, total: int | None = None
) -> list[Problem]:
    """Return the first *shown* problems and one that counts the rest.

    *total* is how many problems there are when *problems* holds only the
    first of them (a frame function collects only the rows it shows).

    >>> many = [Problem(path=f"row {n}", message="bad") for n in range(1, 4)]
    >>> [p.path for p in capped(many, 2)]
    ['row 1', 'row 2', '... and 1 more']
    >>> [p.path for p in capped(many[:2], 2, total=30)]
    ['row 1', 'row 2', '... and 28 more']
    >>> capped(many, 2)[-1].message
    'a problem like the ones above'
    """
    count = len(problems) if total is None else max(total, len(problems))
    if count <= shown:
        return list(problems)
    rest = count - shown
    more = Problem(
        path=f"... and {rest} more",
        message=(
            "a problem like the ones above"
            if rest == 1
            else "problems like the ones above"
        ),
        hint="fix these and run again to see the rest",
    )
    return [*problems[:shown], more]
