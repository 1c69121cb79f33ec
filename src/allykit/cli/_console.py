"""What every command shares: consoles, the error wrapper, JSON output, file writes.

Errors become one readable message on stderr and exit status 1, never a
traceback; files are written only where the user says, atomically.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from allykit.errors import DataFileError
    from allykit.models.instrument import Instrument


INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C

__all__ = [
    "ColumnsOption",
    "EncodingOption",
    "ForceOption",
    "IgnoreOption",
    "InstrumentArgument",
    "InvalidChoice",
    "InvalidOption",
    "JsonOption",
    "OutputOption",
]


_F = TypeVar("_F", bound=Callable[..., Any])

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead.")
]


def escape(text: str) -> str:
    """Make *text* safe to print: rich markup and terminal controls escaped.

    Control characters (C0 but tab and newline, DEL, C1) and the
    bidirectional overrides and isolates are written as escapes
    (:func:`allykit.errors.printable`), so a file name or a plugin's label
    cannot clear the screen or reverse what follows it. rich is imported on
    first use only: ``allykit --help`` imports no rich at all.
    """
    from rich.markup import escape as rich_escape

    from allykit.errors import printable

    return rich_escape(printable(text, lines=True))


def escape_name(name: object) -> str:
    """Make a file name or id safe to print on one line: :func:`escape`, newlines too.

    A name is never several lines: a newline in it is written as an escape, so
    it cannot start a forged line of output.
    """
    from rich.markup import escape as rich_escape

    from allykit.errors import printable

    return rich_escape(printable(str(name)))


def _out() -> Console:
    # Built per call: rich then writes to the sys.stdout of the moment,
    # which is what typer's CliRunner swaps in tests.
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _err() -> Console:
    # soft_wrap: a long path or message is never broken mid-word.
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_indented(
    console: Console, text: str, indent: int = 2, *, style: str = ""
) -> None:
    """Print plain *text* wrapped to the terminal, every line keeping *indent*.

    Words (ids, paths, commands) are never broken; lines carry no trailing
    spaces.
    """
    import textwrap

    width = max(20, console.width - indent)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    for line in lines or [""]:
        console.print(" " * indent + escape(line), style=style, soft_wrap=True)


def _report_broken(error: DataFileError) -> None:
    """One line on stderr for a document that cannot be used (it is skipped)."""
    count = len(error.problems)
    first = f": {error.problems[0]}" if error.problems else ""
    more = f" (and {count - 1} more)" if count > 1 else ""
    _err().print(
        f"allykit: warning: skipped {escape_name(error.source)}{escape(first)}{more}"
    )


def _show_warning(  # noqa: PLR0913, PLR0917 -- the signature of warnings.showwarning
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Show a warning like every other message: no file, line or class name."""
    del category, filename, lineno, file, line
    from allykit.cli._hints import cli_words

    _err().print(f"allykit: warning: {escape(cli_words(str(message)))}")


def _fail(message: str, *, status: int = 1, lines: bool = False) -> NoReturn:
    """Print *message* as the error and stop with *status*.

    A message is one line: a newline in it (from a file name) is written as
    an escape, so it cannot forge another line of output. With *lines*, an
    error that lists its problems (each already printable) keeps its lines.
    """
    from allykit.cli._hints import cli_words

    text = escape(cli_words(message)) if lines else escape_name(cli_words(message))
    _err().print(f"allykit: error: {text}")
    raise typer.Exit(status)


def _friendly(function: _F) -> _F:
    """Run a command: errors become one message and status 1; nothing half-written.

    The library is imported when a command runs, not when the command
    starts: ``allykit --help`` needs none of it (its errors module builds an
    attrs class). On the command line (where :func:`allykit.cli._app.run`
    has installed :func:`_show_warning`), allykit's warnings show once per
    place whatever the interpreter's filters say; an app invoked otherwise
    (tests, another program) leaves its caller's filters alone.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import warnings

        from allykit.errors import AllykitError, AllykitWarning, DataFileError

        try:
            with warnings.catch_warnings():
                if warnings.showwarning is _show_warning:
                    warnings.filterwarnings("default", category=AllykitWarning)
                return function(*args, **kwargs)
        except DataFileError as error:
            _fail(str(error), lines=True)
        except AllykitError as error:
            # A ResponseError lists its problems, one printable line each.
            _fail(str(error), lines=bool(getattr(error, "problems", None)))
        except BrokenPipeError:
            raise  # the reader went away (| head): not a file problem
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            _fail(f"cannot use the file{where}: {error.strerror or error}")

    return wrapper  # type: ignore[return-value]


def _print_json(data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # JSON escapes C0 itself; the rest that could drive a terminal is written
    # as a \u escape too (the same JSON value).
    sys.stdout.write(_UNSAFE_IN_JSON.sub(_json_escape, text) + "\n")


_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace the output file if it exists (a reflection journal is "
        "never replaced).",
    ),
]


#: What a command writes, and the suffixes a file of it may have.
Written = tuple[str, tuple[str, ...]]


def _check_output(
    output: Path | None,
    *,
    force: bool,
    journal: bool = False,
    reads: Sequence[Path | str | None] = (),
    written: Written | None = None,
) -> None:
    """Refuse an output path before any work is done or any question asked.

    The one guard of :func:`allykit.outputs.check_output`: *reads* are the
    files the same run reads, which no output may be (through any link),
    whatever ``--force`` says. *written* names what the command writes and
    the suffixes such a file has: a file named with another suffix is
    refused (a name without a suffix is taken as given).
    """
    from allykit.outputs import OutputError, check_output

    try:
        check_output(output, reads=reads, force=force, journal=journal)
    except OutputError as error:
        _fail(str(error))
    if written is not None and output is not None and str(output) != "-":
        what, suffixes = written
        if output.suffix and output.suffix.lower() not in suffixes:
            _fail(
                f"{what} is written as {suffixes[0]}, not {output.suffix}: "
                f"name a {' or '.join(suffixes)} file"
            )


def _write(
    text: str,
    output: Path | None,
    *,
    force: bool = False,
    reads: Sequence[Path | str | None] = (),
    written: Written | None = None,
) -> None:
    """Write *text* to *output* (stdout for None or ``-``), guarded and atomic.

    SIGTERM and SIGHUP during the write leave no temporary behind.
    """
    from allykit.outputs import (
        Stopped,
        discard_pending,
        signals_as_interrupts,
        write_text_atomic,
    )

    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    _check_output(output, force=force, reads=reads, written=written)
    try:
        with signals_as_interrupts():
            write_text_atomic(output, text)
    except Stopped as stopped:
        discard_pending()
        _err().print(f"allykit: stopped by {stopped.name}; nothing written")
        raise typer.Exit(128 + stopped.signum) from None
    _err().print(f"wrote {escape_name(output)}")


def _typed_answer(*, to_stderr: bool) -> str:
    """Ask for one answer; input the stream's encoding cannot read is an error.

    Raises:
        typer.Abort: On Ctrl-C or end of input, as :func:`typer.prompt` does.
    """
    try:
        answer: str = typer.prompt(
            "Your answer", default="", show_default=False, err=to_stderr
        )
    except UnicodeDecodeError:
        encoding = getattr(sys.stdin, "encoding", None) or "its encoding"
        _fail(
            f"cannot read what was typed as {encoding} text; set "
            "PYTHONIOENCODING=utf-8 (or your terminal's encoding) and run again"
        )
    return answer


def _prompt_answer(*, to_stderr: bool) -> str | None:
    """Ask for one answer; return None on Ctrl-C or end of input (to stop)."""
    try:
        return _typed_answer(to_stderr=to_stderr)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return None


def _say_kept(count: int, noun: str, save: Path | None) -> None:
    """After Ctrl-C or end of input: say what was kept, and where."""
    if count == 0:
        _err().print(f"\nallykit: stopped; no {noun} was given, nothing was saved")
        return
    kept = _plural(count, noun)
    if save is None:
        where = "shown above, and not saved (use --save FILE to keep them)"
    else:
        where = f"saved to {escape_name(save)}"
    verb = "is" if count == 1 else "are"
    _err().print(f"\nallykit: stopped; your {kept} so far {verb} {where}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _read_json_file(path: Path) -> Any:
    from allykit.catalog import read_json_file

    return read_json_file(path)


InstrumentArgument = Annotated[
    str,
    typer.Argument(
        metavar="INSTRUMENT",
        help="A bundled instrument id, or the path of your own instrument .json file.",
    ),
]

OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file (default: stdout)."),
]


class InvalidChoice(str, Enum):
    """What to do with answers that are not usable."""

    error = "error"
    missing = "missing"


InvalidOption = Annotated[
    InvalidChoice,
    typer.Option(
        "--invalid",
        help="Unusable answers: stop with an error listing every one, or score "
        "them as missing.",
    ),
]
ColumnsOption = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        help="JSON file mapping item id -> column name, for columns not "
        "named after items.",
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        help="A column to set aside (a name or a pattern such as 'note_*'); "
        "repeat for more. REDCap and Qualtrics housekeeping columns are set "
        "aside by name.",
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of a CSV file (default UTF-8, with or without a "
        "byte-order mark); Excel on Windows saves cp1252.",
    ),
]


def _id_column(file: Path, id_column: str | None, encoding: str | None) -> str | None:
    """Return *id_column*, or ``"id"`` when the answers file has such a column.

    Only a regular file is looked at: a pipe is read once, by the reader
    (name its id column). A file that cannot be read gets no default; the
    reader reports it.
    """
    import stat

    from allykit.errors import AllykitError
    from allykit.scoring.answers import AnswerFile

    if id_column is not None:
        return id_column
    try:
        if not stat.S_ISREG(file.stat().st_mode):
            return None
        with AnswerFile(file, encoding=encoding) as source:
            return "id" if "id" in source.columns else None
    except (OSError, AllykitError):
        return None


def _instrument_file(reference: str) -> Path | None:
    """Return the file an instrument argument names (None for an id)."""
    return Path(reference) if reference.endswith(".json") else None


def _instrument_and_file(reference: str) -> tuple[Instrument, Path | None]:
    """Return the instrument and the file it was read from (None if bundled)."""
    return _instrument(reference), _instrument_file(reference)


def _instrument(reference: str) -> Instrument:
    """Return the instrument named by an id, or read from a ``.json`` file path."""
    from allykit.catalog import load_instrument, load_instrument_file

    if reference.endswith(".json"):
        return load_instrument_file(reference)
    return load_instrument(reference)
