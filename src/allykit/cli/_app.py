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

from __future__ import annotations

import typer
from rich.markup import escape

from allykit.cli._commands import (
    allymap,
    assess,
    browse,
    export,
    reflect,
    score,
    search,
    tour,
    validate,
)
from allykit.cli._console import _err

__all__ = ["app", "run"]

app = typer.Typer(
    name="allykit",
    help="Allyship frameworks from the terminal: browse, search, reflect, assess, "
    "map, score, validate and export.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
export_app = typer.Typer(
    help="Export a framework (worksheets) or an instrument (survey forms) "
    "to a file or stdout.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """Browse allyship frameworks, reflect, validate and export; run with no command for a tour."""  # noqa: E501 -- one-line help text
    if ctx.invoked_subcommand is None:
        tour.tour()


# The commands, in the order ``allykit --help`` lists them.
app.command("tour")(tour.tour)
app.command("list")(browse.list_frameworks)
app.command("show")(browse.show)
app.command("search")(search.search_catalogue)
app.command("reflect")(reflect.reflect)
app.command("assess")(assess.assess)
app.command("map")(allymap.ally_map)
app.command("score")(score.score_file)
app.command("validate")(validate.validate)
app.command("schema")(validate.schema)
export_app.command("worksheet")(export.export_worksheet)
export_app.command("surveyjs")(export.export_surveyjs)
export_app.command("redcap")(export.export_redcap)
export_app.command("reproschema")(export.export_reproschema)


def run(argv: list[str]) -> int:
    """Run the app on *argv*; return the exit status, printing errors briefly."""
    try:
        # Standalone mode: click prints usage errors itself (status 2) and
        # ends every run with SystemExit, whose code is the status.
        app(args=argv, prog_name="allykit")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        _err().print("allykit: interrupted")
        return 130
    except Exception as error:  # noqa: BLE001 -- the promise is: never a traceback
        _err().print(
            f"allykit: internal error: {escape(type(error).__name__)}: "
            f"{escape(str(error))}; please report it"
        )
        return 3
    return 0
