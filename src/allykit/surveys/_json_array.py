"""Read a JSON array one element at a time (SurveyJS results), by the one rule set.

A SurveyJS results file is one array of result objects. Reading it whole
held the text and every parsed object at once (3.5 times the file); here
the text is read in chunks and each element is decoded as soon as it is
complete (:meth:`json.JSONDecoder.raw_decode` at the element's start), handed
on, and let go, so an import holds the chunk, one element and what the
importer keeps of it.

The rules are those of :func:`allykit.catalog._loading.parse_json`, with its
own hooks: no ``NaN`` or ``Infinity``, no duplicate keys, no number too long
to be a value, the same size cap, and errors located by line and column of
the whole file. A document that is not an array is read whole (it is small,
or refused at the cap) and parsed by ``parse_json`` itself, so its error is
exactly that one's.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from typing import IO, Any

from allykit._userfiles import open_user_file, unreadable
from allykit.errors import DataFileError, InvalidArgumentError, Problem, short_repr

__all__ = ["CHUNK_CHARS", "JsonArrayReader", "open_array"]

#: Characters read at a time; an element longer than what is held doubles
#: the next read, so a huge element costs linear time.
CHUNK_CHARS = 1 << 20

_WHITESPACE = " \t\n\r"

_NUMBER_CHARS = frozenset("0123456789+-.eE")

# The json module's own words for these mistakes.
_DELIMITER = "Expecting ',' delimiter"
_EXTRA = "Extra data"


class JsonArrayReader:
    """The elements of the JSON array in *handle*, decoded one at a time.

    Iterate over it once. :attr:`is_array` is False when the text is not
    an array; :meth:`whole` then returns the whole document, parsed.

    >>> import io
    >>> reader = JsonArrayReader(io.StringIO('[{"a": 1}, 2]'), "<s>", limit=100)
    >>> reader.is_array, list(reader)
    (True, [{'a': 1}, 2])
    """

    def __init__(self, handle: IO[str], name: str, *, limit: int) -> None:
        from allykit.catalog import _loading

        self._loading = _loading
        self._handle = handle
        self.name = name
        self._limit = limit
        self._buffer = ""
        self._at = 0  # where reading continues in the buffer
        self._read = 0  # characters read in all
        self._eof = False
        self._lines = 0  # line breaks in the text dropped from the buffer
        self._column = 0  # characters after the last of them, dropped too
        self._decoder = json.JSONDecoder(
            parse_constant=_loading._reject_constant,  # noqa: SLF001 -- one rule set
            parse_int=_loading._parse_int,  # noqa: SLF001
            object_pairs_hook=_loading._no_duplicates,  # noqa: SLF001
        )
        first = self._start()
        self.is_array = first == "["
        if self.is_array:
            self._at += 1

    def _start(self) -> str | None:
        """The first character that is not whitespace, keeping all before it.

        A byte-order mark at the start is dropped (as a file's encoding
        drops it). Nothing is dropped from the buffer, so that
        :meth:`whole` parses the document exactly as it is.
        """
        while True:
            buffer = self._buffer
            at = self._at
            while at < len(buffer) and buffer[at] in _WHITESPACE:
                at += 1
            self._at = at
            if at < len(buffer):
                if at == 0 and buffer[0] == "\ufeff" and self._read == len(buffer):
                    self._buffer = buffer[1:]
                    continue
                return buffer[at]
            chunk = self._chunk(CHUNK_CHARS)
            if not chunk:
                return None
            self._buffer += chunk

    def whole(self) -> Any:
        """Read the rest and parse the whole document with ``parse_json``."""
        rest = self._chunk(self._limit + 1 - self._read)
        text = self._buffer + rest
        return self._loading.parse_json(text, self.name, limit=self._limit)

    # -- reading -------------------------------------------------------------

    def _chunk(self, size: int) -> str:
        """Up to *size* more characters of the handle ("" at its end)."""
        if self._eof or size <= 0:
            return ""
        try:
            chunk = self._handle.read(size)
        except UnicodeDecodeError as error:
            from allykit.surveys._reading import _not_utf8

            raise _not_utf8(self.name, error) from None
        except OSError as error:
            raise unreadable(self.name, error) from error
        if not isinstance(chunk, str):
            problem = Problem(
                path="",
                message="expected a file opened in text mode",
                hint="open it with open(path, encoding='utf-8-sig', newline='')",
            )
            raise DataFileError(self.name, [problem])
        if not chunk:
            self._eof = True
        self._read += len(chunk)
        if self._read > self._limit:
            from allykit.surveys._reading import _too_large

            raise _too_large(self.name)
        return chunk

    def _more(self) -> bool:
        """Read more into the buffer (at least as much as it holds); any?"""
        chunk = self._chunk(max(CHUNK_CHARS, len(self._buffer) - self._at))
        if not chunk:
            return False
        dropped = self._buffer[: self._at]
        breaks = dropped.count("\n")
        if breaks:
            self._lines += breaks
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        self._buffer = self._buffer[self._at :] + chunk
        self._at = 0
        return True

    def _peek(self) -> str | None:
        """The next character that is not whitespace (None at the end)."""
        while True:
            buffer = self._buffer
            at = self._at
            while at < len(buffer) and buffer[at] in _WHITESPACE:
                at += 1
            self._at = at
            if at < len(buffer):
                return buffer[at]
            if not self._more():
                return None

    # -- decoding ------------------------------------------------------------

    def __iter__(self) -> Iterator[Any]:
        """Yield each element of the array, in order."""
        if not self.is_array:
            return
        if self._peek() == "]":
            self._at += 1
        else:
            while True:
                yield self._element()
                following = self._peek()
                if following == "]":
                    self._at += 1
                    break
                if following != ",":
                    raise self._error(_DELIMITER, self._at)
                self._at += 1
                self._peek()
        if self._peek() is not None:
            raise self._error(_EXTRA, self._at)

    def _element(self) -> Any:
        """Decode the element starting at the next non-whitespace character."""
        self._peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._at)
            except json.JSONDecodeError as error:
                if self._more():
                    continue  # maybe only cut off by the chunk's end
                raise self._error(error.msg, error.pos) from None
            except RecursionError:
                problem = Problem(
                    path="",
                    message="invalid JSON: arrays or objects are nested too "
                    "deeply to read",
                    hint="no allykit document nests more than a few levels",
                )
                raise DataFileError(self.name, [problem]) from None
            except ValueError as error:
                if self._cut_number(error) and self._more():
                    continue  # a long number may go on past the chunk
                raise self._value_error(error) from None
            if self._may_go_on(end) and self._more():
                continue  # a number cut by the chunk's end: read it whole
            self._at = end
            return value

    def _may_go_on(self, end: int) -> bool:
        """Whether the element decoded up to *end* may be longer than that.

        A number is read as far as it is valid (``0`` of ``0.5`` when the
        chunk ends after ``0.``); in valid JSON no number is followed by a
        character that could continue it.
        """
        return end == len(self._buffer) or self._buffer[end] in _NUMBER_CHARS

    def _cut_number(self, error: ValueError) -> bool:
        """Whether *error* is about a number that ends where the buffer ends."""
        if not isinstance(error, self._loading._NumberTooLongError):  # noqa: SLF001
            return False
        return self._buffer.endswith(error.text)

    def _place(self, position: int) -> str:
        """``line L, column C`` of *position* in the buffer, in the whole text."""
        before = self._buffer[:position]
        breaks = before.count("\n")
        line = self._lines + breaks + 1
        if breaks:
            column = position - before.rfind("\n")
        else:
            column = self._column + position + 1
        return f"line {line}, column {column}"

    def _error(self, message: str, position: int) -> DataFileError:
        problem = Problem(
            path=self._place(position),
            message=f"invalid JSON: {message}",
            hint="check the syntax with a JSON validator or editor",
        )
        return DataFileError(self.name, [problem])

    def _value_error(self, error: ValueError) -> DataFileError:
        loading = self._loading
        if isinstance(error, loading._NumberTooLongError):  # noqa: SLF001
            problem = loading._long_number(error, self._buffer)  # noqa: SLF001
            found = self._buffer.find(error.text)
            if found >= 0:
                problem = Problem(
                    path=self._place(found),
                    message=problem.message,
                    value=problem.value,
                    hint=problem.hint,
                )
            return DataFileError(self.name, [problem])
        problem = Problem(
            path="",
            message=f"invalid JSON: {error}",
            hint="remove the offending value",
        )
        return DataFileError(self.name, [problem])


@contextlib.contextmanager
def open_array(source: object, *, limit: int) -> Iterator[JsonArrayReader]:
    """Open a path (or use an open text file) and read it as a JSON array.

    Raises:
        DataFileError: If the file cannot be opened or read.
        InvalidArgumentError: If *source* is neither a path nor a text file.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        handle = open_user_file(name, text=True)
        with handle:
            yield JsonArrayReader(handle, name, limit=limit)
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        yield JsonArrayReader(source, name, limit=limit)  # type: ignore[arg-type]
    else:
        msg = f"expected a path or an open text file, got {short_repr(source)}"
        raise InvalidArgumentError(msg)
