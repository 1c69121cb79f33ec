"""Every exception allykit raises on purpose.

Catch :class:`AllykitError` for all of them, or the familiar built-in parent
(:class:`LookupError`, :class:`ValueError`) that each subclass also has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from allykit._printable import printable

if TYPE_CHECKING:
    from types import FrameType

__all__ = [
    "AllykitDeprecationWarning",
    "AllykitError",
    "AllykitWarning",
    "AnswersError",
    "DataFileError",
    "DataWarning",
    "InvalidArgumentError",
    "PluginWarning",
    "Problem",
    "ReliabilityWarning",
    "ResponseError",
    "UnknownDocumentError",
    "UnknownFrameworkError",
    "UnknownIdError",
    "UnvalidatedInstrumentWarning",
    "printable",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a piece of data, and where it is.

    Attributes:
        path: Where the problem is, such as ``stages[2].name``; empty for the
            whole document.
        message: What is wrong.
        value: A short ``repr`` of the offending value, or empty.
        hint: What to do about it, or empty.
    """

    path: str
    message: str
    value: str = ""
    hint: str = ""

    def __str__(self) -> str:
        """Render as ``path: message (got value); hint``, on one printable line.

        Control characters (which untrusted data may put in a path, such as
        a key holding a terminal escape sequence) are shown escaped.
        """
        text = f"{self.path or '<document>'}: {self.message}"
        if self.value:
            text += f" (got {self.value})"
        if self.hint:
            text += f"; {self.hint}"
        return printable(text)


def short_repr(value: object, limit: int = 60) -> str:
    """Return ``repr(value)`` cut to *limit* characters.

    Never raises: an int too long for ``repr`` (over 4300 digits) and an
    object whose ``__repr__`` fails are described by their type instead.
    """
    try:
        text = repr(value)
    except ValueError:
        if isinstance(value, int):
            return f"<a whole number of about {value.bit_length() * 3 // 10} digits>"
        text = f"<{type(value).__name__} object>"
    except Exception:  # noqa: BLE001 -- a user __repr__ may raise anything
        text = f"<{type(value).__name__} object>"
    if len(text) > limit:
        if isinstance(value, int) and not isinstance(value, bool):
            # Say how long: a cut number hides its size.
            digits = len(text) - text.startswith("-")
            return f"{text[:12]}... (a whole number of {digits} digits)"
        text = text[: limit - 3] + "..."
    return text


class AllykitError(Exception):
    """Base class for every exception allykit raises on purpose."""


class AllykitDeprecationWarning(DeprecationWarning):
    """A deprecated id was used; it still resolves, to its replacement.

    A :class:`DeprecationWarning` subclass, so the usual filters apply; turn
    it into an error with ``warnings.simplefilter("error",
    AllykitDeprecationWarning)`` to find stored ids that need updating.
    """


class InvalidArgumentError(AllykitError, ValueError):
    """A function was called with an argument it cannot use."""


#: Longest id quoted whole in a message; longer ones are cut (the full id
#: stays in the error's ``wanted`` attribute).
_ID_LIMIT = 80


def _suggest(wanted: str, known: Iterable[str]) -> str:
    from allykit._suggest import suggestion_text

    # A cut id costs the same to compare whatever was passed in.
    return suggestion_text(wanted[: _ID_LIMIT * 2], known)


def _quoted(wanted: str) -> str:
    """Return ``repr(wanted)``, cut to a bounded length."""
    return short_repr(wanted, limit=_ID_LIMIT)


class _UnknownError(AllykitError, LookupError):
    """Shared shape of the "no such id" errors: the message and the id wanted."""

    def __init__(self, message: str, *, wanted: str = "") -> None:
        super().__init__(message)
        self.wanted = wanted


class UnknownDocumentError(_UnknownError):
    """No bundled or installed document of the kind asked for has the id.

    The one error for an unknown framework, instrument, crosswalk or
    published-scale record; an unknown framework raises its subclass
    :class:`UnknownFrameworkError`, as it always did.
    """

    @classmethod
    def for_id(
        cls, wanted: str, known: Iterable[str], *, what: str = "framework"
    ) -> UnknownDocumentError:
        """Build the error for an unknown *wanted* id of kind *what* among *known*."""
        message = f"unknown {what} {_quoted(wanted)}" + _suggest(wanted, known)
        if what == "framework":
            return UnknownFrameworkError(message, wanted=wanted)
        return cls(message, wanted=wanted)


class UnknownFrameworkError(UnknownDocumentError):
    """No bundled or installed framework has the id."""


class UnknownIdError(_UnknownError):
    """A stage, characteristic, prompt or other item id is not in the collection."""

    @classmethod
    def for_id(
        cls, what: str, wanted: str, known: Iterable[str], *, where: str = ""
    ) -> UnknownIdError:
        """Build the error for an unknown *what* (e.g. ``"stage"``) id."""
        place = f" in {where}" if where else ""
        message = f"unknown {what} {_quoted(wanted)}{place}" + _suggest(wanted, known)
        return cls(message, wanted=wanted)


_SOURCE_LIMIT = 300


class DataFileError(AllykitError, ValueError):
    """A data file or mapping does not match the format; lists every problem.

    Attributes:
        source: The file, resource or ``<string>``/``<mapping>`` that was read.
        problems: Every problem found, each with its location.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        if not isinstance(source, str):  # a caller's source= of another type
            source = short_repr(source)
        elif len(source) > _SOURCE_LIMIT:  # a huge name is cut in the message
            source = source[: _SOURCE_LIMIT - 3] + "..."
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{printable(source)}: {count} {noun}"]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[DataFileError], tuple[str, tuple[Problem, ...]]]:
        """Pickle with the structured fields, not just the message."""
        return (type(self), (self.source, self.problems))


class ResponseError(AllykitError, ValueError):
    """Answers passed to scoring are unusable; lists every problem at once.

    Paths name the answer, such as ``responses['item-3']``. Pass
    ``invalid="missing"`` to the scoring functions to treat such answers
    as missing instead (they are then reported in the result).

    Attributes:
        problems: Every problem found, each with its location.
        row: The 0-based row of ``score_many`` or ``reliability`` input
            the problems belong to, or None for a single response set.
    """

    def __init__(self, problems: Iterable[Problem], *, row: int | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.row = row
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        where = f"row {row}: " if row is not None else ""
        lines = [f"{where}{count} {noun} with the responses"]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))

    def __reduce__(
        self,
    ) -> tuple[Any, tuple[tuple[Problem, ...], int | None]]:
        """Pickle with the structured fields, not just the message."""
        return (_rebuild_response_error, (self.problems, self.row))


def _rebuild_response_error(
    problems: tuple[Problem, ...], row: int | None
) -> ResponseError:
    return ResponseError(problems, row=row)


class AnswersError(DataFileError, ResponseError):
    """Answers (a file, a frame or rows) do not fit the instrument; lists every problem.

    Raised by :func:`allykit.scoring.answers.read_answers` and every door
    that reads answers through it. It is both a :class:`DataFileError`
    (``source`` names the file, ``<frame>`` or ``<rows>``) and a
    :class:`ResponseError`, so code catching either keeps working.

    Attributes:
        source: Where the answers came from.
        problems: Every problem found (a long list ends with a count).
        row: The 0-based row of the first unusable answer, or None (each
            problem's path names its row, 1-based, as a spreadsheet does).
    """

    def __init__(
        self, source: str, problems: Iterable[Problem], *, row: int | None = None
    ) -> None:
        shaped = DataFileError(source, problems)  # the message, as for any file
        self.source = source
        self.problems = shaped.problems
        self.row = row
        Exception.__init__(self, str(shaped))

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[Any, tuple[str, tuple[Problem, ...], int | None]]:
        """Pickle with the structured fields, not just the message."""
        return (_rebuild_answers_error, (self.source, self.problems, self.row))


def _rebuild_answers_error(
    source: str, problems: tuple[Problem, ...], row: int | None
) -> AnswersError:
    return AnswersError(source, problems, row=row)


class AllykitWarning(UserWarning):
    """Base class for every warning allykit issues."""


class UnvalidatedInstrumentWarning(AllykitWarning):
    """Scores in bulk come from an instrument that is not a validated measure.

    :func:`allykit.scoring.frames.score_frame` issues it once per call for an
    instrument with ``validated: false`` (every bundled inventory): a frame
    of scores has no field to carry that status, so the warning does, with
    the instrument's id, version and content hash. Filter it like any
    warning once you have noted it, for example
    ``warnings.simplefilter("ignore", UnvalidatedInstrumentWarning)``.
    """


class DataWarning(AllykitWarning):
    """A data file loads, but leaves out something allykit needs to render it well.

    Issued when a framework file is read: a continuum whose stages do not
    say which way they point (``direction``). The stages are read as
    ``towards``; add ``"direction": "towards" | "away" | "map"`` to each.
    ``allykit validate`` prints these as notes.
    """


class PluginWarning(AllykitWarning):
    """An installed data package offers an id that another source already has.

    Also issued when an entry point cannot be used, and when a crosswalk
    query skips a plugin crosswalk that fails validation. The message names
    the sources involved and says which one allykit uses.
    """


class ReliabilityWarning(AllykitWarning):
    """A reliability figure deserves a second look, as R psych would warn.

    Issued by :func:`allykit.scoring.reliability` once per scale with
    diagnostics: an item without variance, items that correlate negatively
    with the rest of their scale (a reverse key may be missing), a negative
    alpha, a correlation matrix that is not positive definite, or too few
    complete rows for the interval. The same text is in the scale's
    ``notes``. Silence it with ``warnings.simplefilter("ignore",
    ReliabilityWarning)``.
    """


def _inside(filename: str, package: str) -> bool:
    import os

    return os.path.abspath(filename).startswith(package)  # noqa: PTH100


def warn(message: str, category: type[Warning]) -> None:
    """Issue *message* as a *category* warning, pointed at the caller's code.

    The warning is attributed to the first frame outside the allykit
    package, however deep inside allykit it was raised, so that
    ``python -W error`` and warning filters name the user's line (the
    behaviour of ``skip_file_prefixes`` on Python 3.12, for every version).
    """
    import os
    import sys
    import warnings

    package = os.path.dirname(os.path.abspath(__file__)) + os.sep  # noqa: PTH100, PTH120
    level = 2
    # sys._getframe is documented (CPython); inspect would cost an import.
    frame: FrameType | None = sys._getframe(1)  # noqa: SLF001
    while frame is not None and _inside(frame.f_code.co_filename, package):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
