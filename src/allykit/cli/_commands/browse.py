"""``allykit list`` and ``allykit show``: browse the catalogue."""

import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    from allykit.models.framework import Framework, ReflectivePrompt

from allykit.cli._console import (
    JsonOption,
    _friendly,
    _out,
    _plural,
    _print_indented,
    _print_json,
    _report_broken,
    escape,
)

__all__ = ["list_frameworks", "show"]


class Listing(str, Enum):
    """What ``allykit list`` lists."""

    frameworks = "frameworks"
    instruments = "instruments"
    crosswalks = "crosswalks"


def _framework_columns(framework: Any) -> dict[str, Any]:
    return {
        "kind": framework.kind,
        "stages": len(framework.stages),
        "prompts": len(framework.prompts),
    }


def _instrument_columns(instrument: Any) -> dict[str, Any]:
    return {
        "framework": instrument.framework,
        "items": len(instrument.items),
        "validated": instrument.validated,
    }


def _crosswalk_columns(crosswalk: Any) -> dict[str, Any]:
    return {
        "source_framework": crosswalk.source,
        "target_framework": crosswalk.target,
        "links": len(crosswalk.links),
    }


#: Per listing: the kind of document, its extra fields, the table's columns
#: (``--json`` has every field; the crosswalk id names both frameworks).
_LISTINGS: dict[
    Listing, tuple[str, Callable[[Any], dict[str, Any]], tuple[str, ...]]
] = {
    Listing.frameworks: (
        "framework",
        _framework_columns,
        ("id", "kind", "stages", "prompts", "name"),
    ),
    Listing.instruments: (
        "instrument",
        _instrument_columns,
        ("id", "items", "validated", "name"),
    ),
    Listing.crosswalks: ("crosswalk", _crosswalk_columns, ("id", "links", "name")),
}


def _listing_rows(what: Listing) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Return a listing's rows and its columns, in display order.

    One broken file from an installed package never hides the rest: it is
    left out of the rows and reported on one line, with its file.
    """
    from allykit.catalog import KINDS, document_sources, load_document
    from allykit.errors import DataFileError

    kind_name, columns_of, columns = _LISTINGS[what]
    kind = KINDS[kind_name]
    rows: list[dict[str, Any]] = []
    for document_id, source in document_sources(kind).items():
        try:
            document = load_document(kind, document_id)
        except DataFileError as error:
            _report_broken(error)
            continue
        row = {"id": document.id, "name": document.name, **columns_of(document)}
        rows.append({**row, "source": source})
    return rows, columns


# Count columns: right-aligned, and as wide as their longest header.
_NUMERIC = ("stages", "prompts", "items", "links")

_MIN_WIDTHS = {
    "kind": len("stage-model"),
    "validated": len("validated"),
    **dict.fromkeys(_NUMERIC, len("prompts")),
}


def _plain(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _cell(value: object) -> str:
    return escape(_plain(value))


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
    out = _out()
    # The table when every column fits with its words whole; else one entry
    # per few lines, which fits any width without breaking a word.
    if _narrowest(rows, columns) <= out.width:
        out.print(_listing_table(what, rows, columns))
    else:
        _print_stacked(out, what, rows, columns)


_GAP = 2  # columns between two table columns (padding of one each side)


def _narrowest(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> int:
    """Return the narrowest table with every id whole and no word broken."""
    total = _GAP * (len(columns) - 1)
    for column in columns:
        cells = [_cells(row, columns)[columns.index(column)] for row in rows]
        if column == "name":  # wraps between words
            longest = max((len(w) for c in cells for w in c.split()), default=0)
        else:
            longest = max((len(c) for c in cells), default=0)
        total += max(len(column), longest)
    return total


def _listing_table(
    what: Listing, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> "Table":
    from rich.table import Table  # lazy: not for --help

    table = Table(
        title=_counted(len(rows), what.value),
        title_justify="left",
        box=None,
        pad_edge=False,
        header_style="bold underline",
    )
    for column in columns:
        table.add_column(
            column.replace("_", " "),
            justify="right" if column in _NUMERIC else "left",
            # Ids, kinds and counts stay whole (ids are typed back); names
            # wrap between words, never inside one.
            no_wrap=column != "name",
            overflow="fold",
        )
    for row in rows:
        table.add_row(*_cells(row, columns))
    return table


def _cells(row: dict[str, Any], columns: tuple[str, ...]) -> list[str]:
    cells = [_cell(row[column]) for column in columns]
    if row["source"] != "bundled":
        cells[columns.index("id")] += " (plugin)"
    return cells


def _counted(count: object, plural: str) -> str:
    """A count with its noun: "1 stage", "6 stages", "1 framework"."""
    return f"{_plain(count)} {plural[:-1] if count == 1 else plural}"


def _print_stacked(
    out: "Console", what: Listing, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> None:
    """Each entry: its id (whole), its other columns, its name (wrapped)."""
    out.print(_counted(len(rows), what.value))
    for row in rows:
        plugin = " (plugin)" if row["source"] != "bundled" else ""
        out.print(f"[bold]{escape(row['id'])}[/]{plugin}", soft_wrap=True)
        details = ", ".join(
            _counted(row[column], column.replace("_", " "))
            if column in _NUMERIC
            else f"{column.replace('_', ' ')}: {_plain(row[column])}"
            for column in columns
            if column not in {"id", "name"}
        )
        _print_indented(out, details, 2)
        _print_indented(out, row["name"], 2)


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


def _framework_tree(framework: "Framework") -> "Tree":  # noqa: C901 -- one branch per part
    from rich.tree import Tree  # lazy: not for --help

    from allykit.reflection import render_prompt

    def text(prompt: "ReflectivePrompt") -> str:
        """The prompt as every door shows it: through the one renderer."""
        return escape(render_prompt(prompt, framework=framework).text)

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
                asks.add(f"[dim]{escape(prompt.id)}[/] {text(prompt)}")
    loose = [p for p in framework.prompts if p.stage is None]
    if loose:
        asks = tree.add(f"[bold]Prompts for the whole framework[/] ({len(loose)})")
        for prompt in loose:
            asks.add(f"[dim]{escape(prompt.id)}[/] {text(prompt)}")
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
