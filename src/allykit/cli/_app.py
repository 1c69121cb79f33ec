"""The ``allykit`` command (typer + rich): a thin shell over the public API.

Every command calls the same public functions as any program would, prints,
and returns. Problems become one readable message on stderr and a non-zero
exit status (1 for bad input, 2 for usage), never a traceback. Commands
whose output a program might read take ``--json``.

Privacy: reflections and answers are written only to the journal file the
user names, and nowhere else; nothing is logged or sent.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from allykit.cli._atomic import write_text_atomic
from allykit.errors import AllykitError, DataFileError, Problem

if TYPE_CHECKING:
    from allykit.models.framework import Framework
    from allykit.models.instrument import Instrument
    from allykit.surveys._exports import QuestionType

__all__ = ["app", "run"]

_F = TypeVar("_F", bound=Callable[..., Any])

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

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead.")
]


def _out() -> Console:
    # Built per call: rich then writes to the sys.stdout of the moment,
    # which is what typer's CliRunner swaps in tests.
    return Console(highlight=False, soft_wrap=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


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


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context) -> None:
    """Browse allyship frameworks, reflect, validate and export; run with no command for a tour."""  # noqa: E501 -- one-line help text
    if ctx.invoked_subcommand is None:
        tour()


class Listing(str, Enum):
    """What ``allykit list`` lists."""

    frameworks = "frameworks"
    instruments = "instruments"
    crosswalks = "crosswalks"


def _listing_rows(what: Listing) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Return the rows of a listing and its columns, in display order."""
    if what is Listing.instruments:
        from allykit.catalog import instrument_sources, load_instrument

        rows = []
        for instrument_id, source in instrument_sources().items():
            instrument = load_instrument(instrument_id)
            rows.append(
                {
                    "id": instrument.id,
                    "name": instrument.name,
                    "framework": instrument.framework,
                    "items": len(instrument.items),
                    "validated": instrument.validated,
                    "source": source,
                }
            )
        return rows, ("id", "items", "validated", "name")
    if what is Listing.crosswalks:
        from allykit.catalog import crosswalk_sources, load_crosswalk

        rows = []
        for crosswalk_id, source in crosswalk_sources().items():
            crosswalk = load_crosswalk(crosswalk_id)
            rows.append(
                {
                    "id": crosswalk.id,
                    "name": crosswalk.name,
                    "source_framework": crosswalk.source,
                    "target_framework": crosswalk.target,
                    "links": len(crosswalk.links),
                    "source": source,
                }
            )
        # The id names both frameworks; --json has them apart.
        return rows, ("id", "links", "name")
    from allykit.catalog import framework_sources, load_framework

    rows = []
    for framework_id, source in framework_sources().items():
        framework = load_framework(framework_id)
        rows.append(
            {
                "id": framework.id,
                "name": framework.name,
                "kind": framework.kind,
                "stages": len(framework.stages),
                "prompts": len(framework.prompts),
                "source": source,
            }
        )
    return rows, ("id", "kind", "stages", "prompts", "name")


# Count columns: right-aligned, and as wide as their longest header.
_NUMERIC = ("stages", "prompts", "items", "links")
_MIN_WIDTHS = {
    "kind": len("stage-model"),
    "validated": len("validated"),
    **dict.fromkeys(_NUMERIC, len("prompts")),
}


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape(str(value))


@app.command("list")
@_friendly
def list_frameworks(
    what: Annotated[
        Listing,
        typer.Argument(
            help="What to list: frameworks, instruments or crosswalks.",
            case_sensitive=False,
        ),
    ] = Listing.frameworks,
    json_output: JsonOption = False,
) -> None:
    """List the available frameworks, instruments or crosswalks.

    Bundled data and data from installed packages (marked "plugin").
    """
    rows, columns = _listing_rows(what)
    if json_output:
        _print_json(rows)
        return
    table = Table(title=f"{len(rows)} {what.value}", title_justify="left")
    id_width = max(
        (
            len(row["id"]) + (row["source"] != "bundled") * len(" (plugin)")
            for row in rows
        ),
        default=2,
    )
    for column in columns:
        table.add_column(
            column.replace("_", " "),
            justify="right" if column in _NUMERIC else "left",
            # Ids stay whole (they are typed back); other text wraps.
            no_wrap=column == "id",
            min_width=_MIN_WIDTHS.get(column, id_width if column == "id" else None),
            overflow="fold",
        )
    for row in rows:
        cells = [_cell(row[column]) for column in columns]
        if row["source"] != "bundled":
            cells[columns.index("id")] += " (plugin)"
        table.add_row(*cells)
    _out().print(table)


@app.command()
@_friendly
def show(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id.")],
    json_output: JsonOption = False,
) -> None:
    """Show a framework as a tree of stages, characteristics and prompts."""
    from allykit.catalog import load_framework

    framework = load_framework(framework_id)
    if json_output:
        sys.stdout.write(framework.to_json() + "\n")
        return
    _out().print(_framework_tree(framework))


def _framework_tree(framework: Framework) -> Tree:
    tree = Tree(
        f"[bold]{escape(framework.name)}[/] ({escape(framework.id)}, {framework.kind})"
    )
    tree.add(escape(framework.summary))
    for stage in framework.stages:
        branch = tree.add(f"[bold]{stage.position}. {escape(stage.name)}[/]")
        branch.add(f"[italic]{escape(stage.summary)}[/]")
        for characteristic in framework.characteristics_for(stage.id):
            branch.add(escape(characteristic.name))
        prompts = framework.prompts_for(stage.id)
        if prompts:
            asks = branch.add(_plural(len(prompts), "prompt"))
            for prompt in prompts:
                asks.add(f"[dim]{escape(prompt.id)}[/] {escape(prompt.text)}")
    loose = [p for p in framework.prompts if p.stage is None]
    if loose:
        asks = tree.add(f"[bold]Prompts for the whole framework[/] ({len(loose)})")
        for prompt in loose:
            asks.add(f"[dim]{escape(prompt.id)}[/] {escape(prompt.text)}")
    if framework.principles:
        principles = tree.add(f"[bold]Principles[/] ({len(framework.principles)})")
        for principle in framework.principles:
            principles.add(escape(principle.name))
    sources = tree.add("[bold]Sources[/]")
    for citation in framework.citations:
        sources.add(escape(str(citation)))
    licence = framework.licence
    tree.add(f"Licence: {escape(licence.spdx or 'see note')}: {escape(licence.note)}")
    return tree


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class DocumentKind(str, Enum):
    """The kinds of data file the command can check and describe."""

    auto = "auto"
    framework = "framework"
    instrument = "instrument"
    crosswalk = "crosswalk"


def _guess_kind(data: Any) -> DocumentKind:
    """Tell a file's kind from its keys (a framework when nothing else fits)."""
    if isinstance(data, dict):
        if "items" in data or "response_scale" in data:
            return DocumentKind.instrument
        if "links" in data and ("source" in data or "target" in data):
            return DocumentKind.crosswalk
    return DocumentKind.framework


def _describe(kind: DocumentKind, file: Path) -> tuple[str, str]:
    """Load *file* as *kind*; return its id and a one-line description."""
    if kind is DocumentKind.instrument:
        from allykit.catalog import load_instrument_file

        instrument = load_instrument_file(file)
        return instrument.id, (
            f"{_plural(len(instrument.items), 'item')}, "
            f"{_plural(len(instrument.scales), 'scale')}"
        )
    if kind is DocumentKind.crosswalk:
        from allykit.catalog import load_crosswalk_file

        crosswalk = load_crosswalk_file(file)
        return crosswalk.id, (
            f"{crosswalk.source} to {crosswalk.target}, "
            f"{_plural(len(crosswalk.links), 'link')}"
        )
    from allykit.catalog import load_framework_file

    framework = load_framework_file(file)
    return framework.id, (
        f"{_plural(len(framework.stages), 'stage')}, "
        f"{_plural(len(framework.prompts), 'prompt')}"
    )


KindOption = Annotated[
    DocumentKind,
    typer.Option(
        "--kind",
        help="What the file holds; 'auto' tells it from the file's keys.",
        case_sensitive=False,
    ),
]


@app.command()
@_friendly
def validate(
    file: Annotated[
        Path,
        typer.Argument(help="A framework, instrument or crosswalk JSON file."),
    ],
    kind: KindOption = DocumentKind.auto,
    json_output: JsonOption = False,
) -> None:
    """Check a data file and report every problem (exit status 1 if any).

    Frameworks, instruments and crosswalks are told apart by their keys;
    ``--kind`` says it explicitly.
    """
    try:
        if kind is DocumentKind.auto:
            kind = _guess_kind(_read_json_file(file))
        document_id, summary = _describe(kind, file)
    except DataFileError as error:
        if json_output:
            _print_json(
                {
                    "source": error.source,
                    "kind": kind.value,
                    "valid": False,
                    "problems": [_problem_dict(p) for p in error.problems],
                }
            )
            raise typer.Exit(1) from None
        # Still auto: the file could not be read or parsed to tell its kind.
        checked = (
            ""
            if kind is DocumentKind.auto
            else f" (checked against the {kind.value} format)"
        )
        _out().print(
            f"[bold red]{escape(error.source)}: "
            f"{_plural(len(error.problems), 'problem')}[/]{checked}"
        )
        for problem in error.problems:
            _out().print(f"  {escape(str(problem))}")
        raise typer.Exit(1) from None
    if json_output:
        _print_json(
            {"source": str(file), "kind": kind.value, "valid": True, "id": document_id}
        )
        return
    _out().print(
        f"[green]{escape(str(file))}: valid {kind.value}[/] "
        f"({escape(document_id)}: {escape(summary)})"
    )


def _problem_dict(problem: Problem) -> dict[str, str]:
    return {
        "path": problem.path,
        "message": problem.message,
        "value": problem.value,
        "hint": problem.hint,
    }


class SchemaKind(str, Enum):
    """The file formats whose JSON Schema the command prints."""

    framework = "framework"
    instrument = "instrument"
    crosswalk = "crosswalk"
    history = "history"


@app.command()
@_friendly
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Option("--kind", help="Which file format.", case_sensitive=False),
    ] = SchemaKind.framework,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file.")
    ] = None,
) -> None:
    """Print the JSON Schema of a file format (frameworks by default)."""
    from allykit.catalog import (
        crosswalk_json_schema,
        framework_json_schema,
        instrument_json_schema,
    )
    from allykit.reflection.history import history_json_schema

    schemas: dict[SchemaKind, Callable[[], dict[str, Any]]] = {
        SchemaKind.framework: framework_json_schema,
        SchemaKind.instrument: instrument_json_schema,
        SchemaKind.crosswalk: crosswalk_json_schema,
        SchemaKind.history: history_json_schema,
    }
    _write(json.dumps(schemas[kind](), indent=2) + "\n", output)


class WorksheetFormat(str, Enum):
    """Worksheet file formats."""

    md = "md"
    html = "html"


@export_app.command("worksheet")
@_friendly
def export_worksheet(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id.")],
    output_format: Annotated[
        WorksheetFormat, typer.Option("--format", "-f", help="md or html.")
    ] = WorksheetFormat.md,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (default: stdout)."),
    ] = None,
) -> None:
    """Export a framework as a worksheet to fill in (Markdown or printable HTML)."""
    from allykit.catalog import load_framework
    from allykit.worksheets import render_html_worksheet, render_markdown_worksheet

    framework = load_framework(framework_id)
    if output_format is WorksheetFormat.html:
        text = render_html_worksheet(framework)
    else:
        text = render_markdown_worksheet(framework)
    _write(text, output)


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


class QuestionKind(str, Enum):
    """SurveyJS question types for items."""

    radiogroup = "radiogroup"
    rating = "rating"


@export_app.command("surveyjs")
@_friendly
def export_surveyjs(
    instrument: InstrumentArgument,
    question_type: Annotated[
        QuestionKind,
        typer.Option("--question-type", help="radiogroup or rating."),
    ] = QuestionKind.radiogroup,
    output: OutputOption = None,
) -> None:
    """Export an instrument as a SurveyJS form whose calculated values score it."""
    from allykit.surveys._exports import to_surveyjs

    kind: QuestionType = (
        "rating" if question_type is QuestionKind.rating else "radiogroup"
    )
    form = to_surveyjs(_instrument(instrument), question_type=kind)
    _write(json.dumps(form, indent=2, ensure_ascii=False) + "\n", output)


@export_app.command("redcap")
@_friendly
def export_redcap(
    instrument: InstrumentArgument,
    form_name: Annotated[
        str | None,
        typer.Option("--form-name", help="REDCap form name (default: from the id)."),
    ] = None,
    prefix: Annotated[
        str, typer.Option("--prefix", help="Put before every field name.")
    ] = "",
    na_code: Annotated[
        int,
        typer.Option(
            "--na-code", help="Code of the N/A choice for scales with N/A labels only."
        ),
    ] = 99,
    output: OutputOption = None,
) -> None:
    """Export an instrument as a REDCap data dictionary whose calc fields score it."""
    from allykit.surveys._exports import to_redcap_dictionary

    text = to_redcap_dictionary(
        _instrument(instrument), form_name=form_name, prefix=prefix, na_code=na_code
    )
    _write(text, output)


@export_app.command("reproschema")
@_friendly
def export_reproschema(
    instrument: InstrumentArgument,
    prefix: Annotated[
        str, typer.Option("--prefix", help="Put before every variable name.")
    ] = "",
    na_code: Annotated[
        int,
        typer.Option(
            "--na-code", help="Code of the N/A choice for scales with N/A labels only."
        ),
    ] = 99,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the documents into this folder, laid out as a ReproSchema "
            "repository (default: one JSON object of path to document on stdout).",
        ),
    ] = None,
) -> None:
    """Export an instrument as ReproSchema JSON-LD whose compute entries score it."""
    from allykit.surveys._exports import to_reproschema

    documents = to_reproschema(_instrument(instrument), prefix=prefix, na_code=na_code)
    if output is None or str(output) == "-":
        _print_json(documents)
        return
    if output.exists() and not output.is_dir():
        _fail(f"{output} is a file; -o names the folder to write the documents into")
    for relative, document in documents.items():
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(
            target, json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        )
    _err().print(
        f"wrote {_plural(len(documents), 'document')} under {escape(str(output))}"
    )


@app.command()
@_friendly
def tour() -> None:
    """A short, non-interactive tour of the main job."""
    from allykit.catalog import available_frameworks, load_framework

    out = _out()
    model = load_framework("ally-model")
    out.print(
        f"[bold]allykit[/]: {len(available_frameworks())} frameworks available "
        "(allykit list)."
    )
    out.print(f"\n[bold]{escape(model.name)}[/]: {escape(model.summary)}")
    for stage in model.stages:
        prompts = model.prompts_for(stage.id)
        out.print(f"\n[bold]{stage.position}. {escape(stage.name)}[/]")
        out.print(f"   {escape(stage.summary)}")
        if prompts:
            out.print(f"   e.g. [italic]{escape(prompts[0].text)}[/]")
    out.print(f"\nSource: {escape(str(model.citations[0]))}")
    from allykit.cli._commands.tour import tour_scoring

    tour_scoring(out)
    out.print(
        "More: allykit show ally-model | allykit reflect --journal my-journal.json"
        " | allykit export worksheet ally-model --format html -o sheet.html"
    )


# --- shared by the commands in their own modules ----------------------------


def _read_json_file(path: Path) -> Any:
    from allykit.catalog._loading import parse_json, read_file

    source, raw = read_file(path)
    return parse_json(raw, source)


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


# The other commands live in their own modules and register themselves on
# ``app`` when imported; importing them here keeps ``allykit --help`` whole.
from allykit.cli._commands import (  # noqa: E402 -- after app and the helpers they use
    allymap,  # noqa: F401 -- registers ``map``
    assess,  # noqa: F401 -- registers ``assess``
    reflect,  # noqa: F401 -- registers ``reflect``
    score,  # noqa: F401 -- registers ``score``
    search,  # noqa: F401 -- registers ``search``
)
