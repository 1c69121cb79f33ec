"""The path of untrusted documents: bytes -> JSON -> schema -> checks -> objects.

Nothing here executes anything from the data: JSON is parsed with the
standard library, never evaluated, and the caller's mapping is only read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from allykit._printable import BIDI_CONTROLS, C1_CONTROLS
from allykit._userfiles import open_user_file, unreadable
from allykit.errors import DataFileError, InvalidArgumentError, Problem, short_repr
from allykit.models._convert import structure

if TYPE_CHECKING:
    from allykit.catalog._kinds import Checker, Preparer

__all__ = [
    "MAX_FILE_BYTES",
    "Validator",
    "control_problems",
    "from_file",
    "from_text",
    "load_document",
    "parse_json",
    "read_file",
]

#: Largest data file (or text) accepted, in bytes: 2 MiB.
MAX_FILE_BYTES = 2 * 1024 * 1024

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


class Validator(Protocol[_T_co]):
    """A ``load_<kind>_mapping`` function: validates plain data and builds it."""

    def __call__(self, data: Mapping[str, Any], /, *, source: str) -> _T_co:
        """Validate *data* (named *source* in problems) and build the object."""
        ...


def read_file(
    path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES
) -> tuple[str, bytes]:
    """Return ``(source name, raw bytes)`` of a user file, read up to *limit* + 1.

    The caller passes the bytes to :func:`parse_json` with the same *limit*,
    which refuses them when the file is larger.
    """
    if not isinstance(path, (str, os.PathLike)):
        msg = (
            f"expected a file path (a str or os.PathLike), got {short_repr(path)}; "
            "pass the path of the JSON file to load"
        )
        raise InvalidArgumentError(msg)
    source = os.fspath(path)
    with open_user_file(source) as handle:
        try:
            raw = handle.read(limit + 1)
        except OSError as error:
            raise unreadable(source, error) from error
    return source, raw


def from_file(path: str | os.PathLike[str], validate: Validator[_T]) -> _T:
    """Read a user file as strict JSON and build it with *validate*."""
    source, raw = read_file(path)
    return validate(parse_json(raw, source), source=source)


def from_text(text: str | bytes, source: str, validate: Validator[_T]) -> _T:
    """Parse JSON text strictly and build it with *validate*."""
    return validate(parse_json(text, source), source=source)


def _too_big(size: int, limit: int) -> Problem:
    return Problem(
        path="",
        message=f"the document is larger than the limit of {limit} bytes",
        value=f"{size} bytes or more",
        hint="split it into several files",
    )


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


#: Digits of the longest whole number read (Python's own default limit for
#: turning text into an int; no float holds more than 309 digits anyway).
_MAX_DIGITS = 4300


class _NumberTooLongError(ValueError):
    """A whole number in the text with more digits than any value can use."""

    def __init__(self, text: str) -> None:
        super().__init__(text[:20])
        self.text = text


def _parse_int(text: str) -> int:
    """``int(text)``, refusing numbers too long to be any value of a file.

    The same limit whatever the caller set with
    ``sys.set_int_max_str_digits()``, and a message for the file's author.
    """
    if len(text) - text.startswith("-") > _MAX_DIGITS:
        raise _NumberTooLongError(text)
    try:
        return int(text)
    except ValueError:  # the caller lowered Python's limit
        raise _NumberTooLongError(text) from None


def _long_number(error: _NumberTooLongError, text: str) -> Problem:
    """Where the over-long number is, what it is, and what to do."""
    where = text.find(error.text)
    line = text.count("\n", 0, where) + 1
    column = where - (text.rfind("\n", 0, where) + 1) + 1
    digits = len(error.text) - error.text.startswith("-")
    return Problem(
        path=f"line {line}, column {column}" if where >= 0 else "",
        message=f"a number of {digits} digits: no value of a file can be that "
        "long (a decimal number holds about 308 digits)",
        value=f"{error.text[:12]}...",
        hint="write a number within the range its field allows",
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"duplicate key {key!r}"
            raise ValueError(msg)
        result[key] = value
    return result


def parse_json(raw: str | bytes, source: str, *, limit: int = MAX_FILE_BYTES) -> Any:
    """Parse JSON text strictly (UTF-8, no NaN, no duplicate keys, size-limited).

    The one JSON parser of allykit: every reader of data (catalogue files,
    plugins, journals, survey exports) goes through it, whatever the size,
    so the meaning of a file never depends on its size. *limit* is the
    largest size accepted, in bytes (characters for text); it is set per
    kind of document by the caller.
    """
    if isinstance(raw, bytes):
        if len(raw) > limit:
            raise DataFileError(source, [_too_big(len(raw), limit)])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problem = Problem(
                path="",
                message=f"the text is not UTF-8 (byte {error.start} cannot be decoded)",
                value=short_repr(raw[error.start : error.start + 4]),
                hint="save the file as UTF-8",
            )
            raise DataFileError(source, [problem]) from None
    elif isinstance(raw, str):
        text = raw
        if len(text) > limit:
            raise DataFileError(source, [_too_big(len(text), limit)])
    else:
        problem = Problem(
            path="",
            message="expected JSON text (str or bytes)",
            value=short_repr(raw),
        )
        raise DataFileError(source, [problem])
    try:
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=_parse_int,
            object_pairs_hook=_no_duplicates,
        )
    except _NumberTooLongError as error:
        raise DataFileError(source, [_long_number(error, text)]) from None
    except json.JSONDecodeError as error:
        problem = Problem(
            path=f"line {error.lineno}, column {error.colno}",
            message=f"invalid JSON: {error.msg}",
            hint="check the syntax with a JSON validator or editor",
        )
        raise DataFileError(source, [problem]) from None
    except RecursionError:
        problem = Problem(
            path="",
            message="invalid JSON: arrays or objects are nested too deeply to read",
            hint="no allykit document nests more than a few levels",
        )
        raise DataFileError(source, [problem]) from None
    except ValueError as error:
        problem = Problem(
            path="",
            message=f"invalid JSON: {error}",
            hint="remove the offending value",
        )
        raise DataFileError(source, [problem]) from None


def load_document(  # noqa: PLR0913 -- the document, where from, and its rules
    cls: type[_T],
    data: Any,
    *,
    source: str,
    title: str,
    checks: Checker | None = None,
    prepare: Preparer | None = None,
) -> _T:
    """Validate *data* as a *cls* document and build it, or raise with every problem.

    *prepare* turns file data into document data first (and may report
    problems of its own); *checks* adds the document's own rules beyond its
    schema. None means none.
    """
    from allykit.catalog import _schema

    if not isinstance(data, Mapping):
        # The document's own first fields, such as 'id' and 'name' of a
        # framework or 'instrument' and 'instrument_version' of a report.
        shape = _schema.document_schema(cls, title=title).shapes.get("", {})
        named = [f for f in shape if f not in ("$schema", "schema_version")][:2]
        such = " and ".join(repr(f) for f in named) or "'schema_version'"
        article = "an" if title[:1].lower() in "aeiou" else "a"
        problem = Problem(
            path="",
            message="expected a JSON object at the top level",
            value=short_repr(data),
            hint=f"{article} {title} file is one object with fields such as {such}",
        )
        raise DataFileError(source, [problem])

    problems: list[Problem] = []
    if prepare is not None:
        data, problems = prepare(data)
    data = dict(data)  # strict validation wants a dict; the caller's stays as is

    document = _schema.document_schema(cls, title=title)
    problems.extend(_schema.validate(document, data))
    problems.extend(control_problems(data))
    if checks is not None:
        problems.extend(checks(data))
    if problems:
        raise DataFileError(source, _dedupe(problems))
    return structure(cls, data)


#: Control characters other than tab and newline: C0, DEL and C1. Never
#: text, and some (ESC, CSI U+009B) would drive the terminal that prints them.
_CONTROLS = (frozenset(chr(code) for code in range(32)) - {"\t", "\n"}) | C1_CONTROLS

#: Fields that name something: they may not hold a bidirectional override or
#: isolate either (it could make one name read as another). Other texts may,
#: since right-to-left writing uses them; every printer escapes them.
_NAME_FIELDS = frozenset({"id", "name", "label", "title", "short_name"})


def _has_control(text: str) -> bool:
    return not _CONTROLS.isdisjoint(text)


def _has_bidi(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)


def control_problems(data: Any) -> list[Problem]:
    """Return a problem for each key or text holding a control character.

    Tab and newline are allowed. Keys and name fields (``id``, ``name``,
    ``label``, ``title``, ``short_name``) may not hold a bidirectional
    override or isolate either. The walk is iterative (no recursion), so any
    nesting the JSON parser accepted is walked.
    """
    problems: list[Problem] = []
    stack: list[tuple[str, Any, bool]] = [("", data, False)]
    while stack:
        path, value, is_name = stack.pop()
        if isinstance(value, str):
            if _has_control(value):
                problems.append(_control_problem(path, value))
            elif is_name and _has_bidi(value):
                problems.append(_bidi_problem(path, value))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and (_has_control(key) or _has_bidi(key)):
                    problem = (
                        _control_problem(path, key, in_key=True)
                        if _has_control(key)
                        else _bidi_problem(path, key, in_key=True)
                    )
                    problems.append(problem)
                    where = f"{path}.{short_repr(key)}" if path else short_repr(key)
                stack.append((where, item, key in _NAME_FIELDS))
        elif isinstance(value, (list, tuple)):
            stack.extend(
                (f"{path}[{index}]", item, False) for index, item in enumerate(value)
            )
    problems.reverse()
    return problems


def _control_problem(path: str, text: str, *, in_key: bool = False) -> Problem:
    code = next(ord(char) for char in text if char in _CONTROLS)
    return Problem(
        path=path,
        message=(
            f"{'a key' if in_key else 'the text'} contains the control "
            f"character U+{code:04X}"
        ),
        value=short_repr(text),
        hint="remove it; text may hold tabs and line breaks only",
    )


def _bidi_problem(path: str, text: str, *, in_key: bool = False) -> Problem:
    code = next(ord(char) for char in text if char in BIDI_CONTROLS)
    return Problem(
        path=path,
        message=(
            f"{'a key' if in_key else 'the name'} contains the direction "
            f"control U+{code:04X}, which can make it read as another name"
        ),
        value=short_repr(text),
        hint="remove it; names may not change the direction of the text",
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    unique = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            unique.append(problem)
    return unique
