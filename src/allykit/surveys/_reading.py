"""Reading a survey export: a path or an open text file, within the size cap.

:func:`_read_text` returns the whole text (a CSV source without
``readline``); :func:`_open_records` yields the CSV records a line at a time
(REDCap and Qualtrics exports). SurveyJS results are read one result at a
time by :mod:`allykit.surveys._json_array`.
Every failure is a :class:`~allykit.errors.DataFileError` naming the file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator
from typing import IO

from allykit._userfiles import open_user_file, unreadable
from allykit.errors import DataFileError, InvalidArgumentError, Problem, short_repr

__all__ = ["MAX_EXPORT_CHARS", "Source"]


#: Largest export read, in characters (128 MiB): far above any survey; a
#: wrong file (a database dump) is refused once this much has been read.
#: Exports are read as needed (CSV a line at a time, SurveyJS JSON a result
#: at a time) and only the mapped answers are kept, compactly (about a byte
#: each, see surveys/_columns.py), so an import peaks within a few times the
#: export: 0.3-0.5 times for usual exports, about 2.5 for one holding nothing
#: but one-digit answers (benchmarks/bench_import_memory.py).
MAX_EXPORT_CHARS = 128 * 1024 * 1024


Source = str | os.PathLike[str] | IO[str]


def _read_text(source: object) -> tuple[str, str]:
    """Return ``(source name, text)`` from a path or an open text file."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        with open_user_file(name, text=True) as handle:
            try:
                text = handle.read(MAX_EXPORT_CHARS + 1)
            except UnicodeDecodeError as error:
                raise _not_utf8(name, error) from None
            except OSError as error:
                raise unreadable(name, error) from error
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
        with open_user_file(name, text=True) as handle:
            try:
                yield name, _Records(name, _Lines(name, handle))
            except OSError as error:
                raise unreadable(name, error) from error
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


def _no_header(name: str) -> DataFileError:
    problem = Problem(path="row 1", message="the export has no header row")
    return DataFileError(name, [problem])
