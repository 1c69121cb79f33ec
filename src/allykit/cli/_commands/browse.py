"""``allykit list`` and ``allykit show``: browse the catalogue."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.tree import Tree

    from allykit.models.framework import Framework, ReflectivePrompt

from allykit.cli._console import (
    JsonOption,
    _friendly,
    _out,
    _plural,
    _print_json,
    _report_broken,
    escape,
)
from allykit.errors import DataFileError

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
    from allykit.catalog import KINDS
    from allykit.catalog._store import load, sources_of

    kind_name, columns_of, columns = _LISTINGS[what]
    kind = KINDS[kind_name]
    rows: list[dict[str, Any]] = []
    for document_id, source in sources_of(kind.folder).items():
        try:
            document = load(kind, document_id)
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


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape(str(value))


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
    from rich.table import Table  # lazy: not for --help

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


def _framework_tree(framework: Framework) -> Tree:  # noqa: C901 -- one branch per part
    from rich.tree import Tree  # lazy: not for --help

    from allykit.reflection import render_prompt

    def text(prompt: ReflectivePrompt) -> str:
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
