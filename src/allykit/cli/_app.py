"""The ``allykit`` command (typer + rich): a thin shell over the public API.

Every command calls the same public functions as any program would, prints,
and returns. Problems become one readable message on stderr and a non-zero
exit status (1 for bad input, 2 for usage), never a traceback. Commands
whose output a program might read take ``--json``.

Each command lives in its own module under :mod:`allykit.cli._commands`
and is registered here, explicitly: no command module imports this one.

Privacy: reflections and answers are written only to the files the user
names, and nowhere else; nothing is logged or sent.
"""

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand

from allykit.cli._commands import (
    allymap,
    assess,
    browse,
    bundle,
    export,
    reflect,
    report,
    score,
    search,
    tour,
    validate,
)
from allykit.cli._console import _err, escape

__all__ = ["app", "run"]

# Help is plain text: docstrings lose their reST markup (``--kind``,
# :func:`next_step`) before typer shows them.
_REST = re.compile(r"``(.+?)``|:[a-z]+:`~?([^`]+)`")
# typer checks some values with pydantic, whose messages start so.
_PYDANTIC_PREFIX = re.compile(r"^(Value|Assertion) error, ")
# Placeholders name what to type, never a Python type (<str>, <path>).
_METAVARS = {
    "journal": "FILE",
    "answers": "FILE",
    "save": "FILE",
    "output": "FILE",
    "before": "FILE",
    "columns": "FILE",
    "limit": "N",
    "count": "N",
    "seed": "N",
    "na_code": "N",
    "id_column": "COLUMN",
    "form_name": "NAME",
    "stages": "STAGE",
    "framework_id": "ID",
}


def _plain(text: str | None) -> str | None:
    if text is None:
        return None
    return _REST.sub(lambda m: m.group(1) or m.group(2).rsplit(".", 1)[-1], text)


def _is_choice(param: Any) -> bool:
    """Whether the help lists the choices (kept: they say what to type)."""
    descriptor = getattr(param, "type_descriptor", None)  # typer 0.2x
    if descriptor is not None:
        return bool(getattr(descriptor, "is_choice", False))
    return type(getattr(param, "type", None)).__name__ == "Choice"


class _Argument(TyperArgument):
    """An argument shown by its name alone: ``ID``, not ``{ID}`` or ``ID <str>``."""

    def display_type_rich(self, ctx: Any) -> str | None:  # noqa: ARG002 -- typer's
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw.upper()
        return name if self.required else f"[{name}]"


class _Command(TyperCommand):
    """A command whose help is plain text with placeholders that say what to type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["help"] = _plain(kwargs.get("help"))
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                param.__class__ = _Argument
                param.metavar = (param.metavar or param.name or "").upper() or None
            elif (
                param.metavar is None
                and not getattr(param, "is_flag", False)
                and not _is_choice(param)
            ):
                name = param.name or ""
                param.metavar = _METAVARS.get(name, name.upper().replace("_", "-"))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse as typer does; a bad value's message loses pydantic's prefix."""
        try:
            return list(super().parse_args(ctx, args))
        except typer.BadParameter as error:
            error.message = _PYDANTIC_PREFIX.sub("", error.message)
            raise


app = typer.Typer(
    name="allykit",
    help="Allyship frameworks from the terminal: browse, search, reflect, assess, "
    "map, score, validate and export.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(
    help="Export a framework (worksheets) or an instrument (survey forms) "
    "to a file or stdout.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        # The distribution's name (see the README): "allykit" on the package
        # index is another project.
        typer.echo(f"allykit {version('allykit-frameworks')}")
        raise typer.Exit


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,  # noqa: FBT003 -- typer's default
        "--version",
        "-V",
        help="Print the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
) -> None:
    """Browse allyship frameworks, reflect, validate and export; run with no command for a tour."""  # noqa: E501 -- one-line help text
    del version  # handled by its callback
    if ctx.invoked_subcommand is None:
        tour.tour()


# The commands, in the order ``allykit --help`` lists them.
app.command("tour", cls=_Command)(tour.tour)
app.command("list", cls=_Command)(browse.list_frameworks)
app.command("show", cls=_Command)(browse.show)
app.command("search", cls=_Command)(search.search_catalogue)
app.command("reflect", cls=_Command)(reflect.reflect)
app.command("assess", cls=_Command)(assess.assess)
app.command("map", cls=_Command)(allymap.ally_map)
app.command("score", cls=_Command)(score.score_file)
app.command("report", cls=_Command)(report.report)
app.command("validate", cls=_Command)(validate.validate)
app.command("schema", cls=_Command)(validate.schema)
app.command("bundle", cls=_Command)(bundle.bundle)
export_app.command("worksheet", cls=_Command)(export.export_worksheet)
export_app.command("surveyjs", cls=_Command)(export.export_surveyjs)
export_app.command("redcap", cls=_Command)(export.export_redcap)
export_app.command("reproschema", cls=_Command)(export.export_reproschema)


def _reader_gone() -> int:
    """The reader of our output left (``allykit list | head``): stop quietly.

    Stdout is pointed at the null device so that Python's own flush at exit
    does not report the broken pipe either. The status is 1, as rich gives
    when its own write meets the closed pipe.
    """
    import os
    import sys

    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    return 1


@contextlib.contextmanager
def _tolerant_streams() -> Iterator[None]:
    """Write what the terminal's encoding cannot show as escapes, never fail.

    A legacy code page (cp1252, cp437 on Windows) or ``PYTHONIOENCODING=ascii``
    cannot encode the catalogue's dashes and accents: ``\u2014`` is printed
    instead of stopping the command with an internal error. Each stream's
    own error handling is restored afterwards, for a program that runs the
    command in its own process.
    """
    import sys

    kept = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                before = getattr(stream, "errors", None) or "strict"
                reconfigure(errors="backslashreplace")
                kept.append((reconfigure, before))
    try:
        yield
    finally:
        for reconfigure, before in kept:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=before)


def run(argv: list[str]) -> int:
    """Run the app on *argv*; return the exit status, printing errors briefly."""
    import warnings

    from allykit.cli._console import _show_warning

    try:
        with _tolerant_streams(), warnings.catch_warnings():
            # Warnings (a plugin's conflict, a moved name) read like every
            # other message: "allykit: warning: ...", never a source path.
            # Each command also shows allykit's warnings whatever the filters
            # say (cli/_console.py: _friendly); --help does not import them.
            warnings.showwarning = _show_warning
            # Standalone mode: click prints usage errors itself (status 2)
            # and ends every run with SystemExit, whose code is the status.
            app(args=argv, prog_name="allykit")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        _err().print("allykit: interrupted")
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except Exception as error:  # noqa: BLE001 -- the promise is: never a traceback
        _err().print(
            f"allykit: internal error: {escape(type(error).__name__)}: "
            f"{escape(str(error))}; please report it"
        )
        return 3
    finally:
        # Whatever ended the run, no hidden temporary output outlives it.
        # Only a command that wrote imported the outputs module; --help
        # (which writes nothing) does not import it, nor the attrs it needs.
        outputs = sys.modules.get("allykit.outputs")
        if outputs is not None:
            outputs.discard_pending()
    return 0
