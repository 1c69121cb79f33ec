"""What every command shares: consoles, the error wrapper, JSON output, file writes.

Errors become one readable message on stderr and exit status 1, never a
traceback; files are written only where the user says, atomically.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from allykit.cli._atomic import write_text_atomic
from allykit.errors import AllykitError, DataFileError

if TYPE_CHECKING:
    from rich.console import Console

    from allykit.models.instrument import Instrument


INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C

__all__ = ["ForceOption", "InstrumentArgument", "JsonOption", "OutputOption"]


_F = TypeVar("_F", bound=Callable[..., Any])

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead.")
]


def escape(text: str) -> str:
    """Escape rich markup in *text* (rich is imported on first use only).

    ``allykit --help`` imports no rich at all: every rich import of the
    command is inside the function that draws something.
    """
    from rich.markup import escape as rich_escape

    return rich_escape(text)


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
        f"allykit: warning: skipped {escape(error.source)}{escape(first)}{more}"
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


def _fail(message: str, *, status: int = 1) -> NoReturn:
    from allykit.cli._hints import cli_words

    _err().print(f"allykit: error: {escape(cli_words(message))}")
    raise typer.Exit(status)


def _friendly(function: _F) -> _F:
    """Turn allykit and file errors into one message and exit status 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except DataFileError as error:
            from allykit.cli._hints import cli_words

            _err().print(f"allykit: error: {escape(cli_words(str(error)))}")
            raise typer.Exit(1) from None
        except AllykitError as error:
            _fail(str(error))
        except BrokenPipeError:
            raise  # the reader went away (| head): not a file problem
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            _fail(f"cannot use the file{where}: {error.strerror or error}")

    return wrapper  # type: ignore[return-value]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace the output file if it exists (a reflection journal is "
        "never replaced).",
    ),
]

# The "kind" a reflection journal declares (see allykit reflect).
_JOURNAL_KIND = "allykit-journal"
# A journal is small; a bigger file is not read to find out.
_JOURNAL_SNIFF_LIMIT = 64 * 1024 * 1024


def _is_journal(path: Path) -> bool:
    """Return whether *path* holds a reflection journal (``kind: allykit-journal``)."""
    try:
        if path.stat().st_size > _JOURNAL_SNIFF_LIMIT:
            return False
        with path.open("rb") as handle:
            head = handle.read(4096)
            if _JOURNAL_KIND.encode() not in head:
                return False
            data = json.loads(head + handle.read())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("kind") == _JOURNAL_KIND


def _check_output(output: Path | None, *, force: bool, journal: bool = False) -> None:
    """Refuse an output path before any work is done or any question asked.

    The rule for every file the command writes: a new file is fine; an
    existing file is replaced only with ``--force``; a reflection journal is
    never replaced by anything but a journal (*journal* true). Stdout
    (``None`` or ``-``), devices and pipes are always fine.
    """
    if output is None or str(output) == "-":
        return
    if output.is_dir():
        _fail(f"{output} is a folder; name a file to write")
    if not output.exists():
        parent = output.parent
        if not parent.is_dir():
            _fail(f"cannot use the file {output}: no such folder {parent}")
        if not os.access(parent, os.W_OK):
            _fail(f"cannot use the file {output}: the folder {parent} is not writable")
        return
    if not output.is_file():
        return  # /dev/stdout, a FIFO: written in place
    if not journal and _is_journal(output):
        _fail(
            f"{output} is a reflection journal; allykit never replaces a journal "
            "with anything else: name another file"
        )
    if not force:
        _fail(f"{output} exists; add --force to replace it, or name another file")
    if not os.access(output, os.W_OK):
        _fail(f"cannot use the file {output}: it is not writable")


def _write(text: str, output: Path | None, *, force: bool = False) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    _check_output(output, force=force)
    write_text_atomic(output, text)
    _err().print(f"wrote {escape(str(output))}")


def _prompt_answer(*, to_stderr: bool) -> str | None:
    """Ask for one answer; return None on Ctrl-C or end of input (to stop)."""
    try:
        answer: str = typer.prompt(
            "Your answer", default="", show_default=False, err=to_stderr
        )
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return None
    return answer


def _say_kept(count: int, noun: str, save: Path | None) -> None:
    """After Ctrl-C or end of input: say what was kept, and where."""
    if count == 0:
        _err().print(f"\nallykit: stopped; no {noun} was given, nothing was saved")
        return
    kept = _plural(count, noun)
    if save is None:
        where = "shown above, and not saved (use --save FILE to keep them)"
    else:
        where = f"saved to {escape(str(save))}"
    verb = "is" if count == 1 else "are"
    _err().print(f"\nallykit: stopped; your {kept} so far {verb} {where}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _read_json_file(path: Path) -> Any:
    from allykit.catalog._loading import parse_json, read_file

    source, raw = read_file(path)
    return parse_json(raw, source)


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


def _instrument(reference: str) -> Instrument:
    """Return the instrument named by an id, or read from a ``.json`` file path."""
    from allykit.catalog import load_instrument, load_instrument_file

    if reference.endswith(".json"):
        return load_instrument_file(reference)
    return load_instrument(reference)
