"""What every command shares: consoles, the error wrapper, JSON output, file writes.

Errors become one readable message on stderr and exit status 1, never a
traceback; files are written only where the user says, atomically.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from allykit.cli._atomic import write_text_atomic
from allykit.errors import AllykitError, DataFileError

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument


__all__ = ["InstrumentArgument", "JsonOption", "OutputOption"]


_F = TypeVar("_F", bound=Callable[..., Any])

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead.")
]


def _out() -> Console:
    # Built per call: rich then writes to the sys.stdout of the moment,
    # which is what typer's CliRunner swaps in tests.
    return Console(highlight=False, soft_wrap=False)


def _err() -> Console:
    # soft_wrap: a long path or message is never broken mid-word.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, *, status: int = 1) -> NoReturn:
    _err().print(f"allykit: error: {escape(message)}")
    raise typer.Exit(status)


def _friendly(function: _F) -> _F:
    """Turn allykit and file errors into one message and exit status 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except DataFileError as error:
            _err().print(f"allykit: error: {escape(str(error))}")
            raise typer.Exit(1) from None
        except AllykitError as error:
            _fail(str(error))
        except OSError as error:
            where = f" {error.filename}" if error.filename else ""
            _fail(f"cannot use the file{where}: {error.strerror or error}")

    return wrapper  # type: ignore[return-value]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _write(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    write_text_atomic(output, text)
    _err().print(f"wrote {escape(str(output))}")


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
