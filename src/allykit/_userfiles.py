"""Open a file a user named; what goes wrong is an error naming the file.

Every reader of user files (documents, survey exports) opens through
:func:`open_user_file`, so a NUL byte in the path, a missing file, a folder or
a permission problem reads the same everywhere: a
:class:`~allykit.errors.DataFileError` naming the file, what went wrong and
what to do.
"""

from __future__ import annotations

from typing import IO, Any

from allykit.errors import DataFileError, Problem, short_repr

__all__ = ["open_user_file", "unreadable"]


def unreadable(name: str, error: OSError) -> DataFileError:
    """The error for a user file that cannot be opened or read."""
    problem = Problem(
        path="",
        message=f"cannot read the file: {error.strerror or error}",
        hint="check the path and its permissions",
    )
    return DataFileError(name, [problem])


def open_user_file(name: str, *, text: bool = False) -> IO[Any]:
    """Open *name* for reading: bytes, or UTF-8 text (a BOM dropped, newlines kept).

    Raises:
        DataFileError: If the path holds a NUL byte or the file cannot be
            opened.
    """
    try:
        if text:
            return open(name, encoding="utf-8-sig", newline="")  # noqa: PTH123 -- plain user path; the caller closes it
        return open(name, "rb")  # noqa: PTH123 -- as above
    except ValueError:  # a NUL byte in the path
        problem = Problem(
            path="",
            message="the path contains a NUL byte",
            value=short_repr(name),
            hint="check the path",
        )
        raise DataFileError(short_repr(name), [problem]) from None
    except OSError as error:
        raise unreadable(name, error) from error
