"""``allykit search``: the catalogue search of :func:`allykit.search` as a table."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allykit.cli._console import (
    JsonOption,
    _friendly,
    _out,
    _print_indented,
    _print_json,
    _report_broken,
    escape,
)
from allykit.errors import DataFileError

if TYPE_CHECKING:
    from allykit.models.framework import Framework

__all__ = ["search_catalogue"]


def _loadable_frameworks() -> list[Framework]:
    from allykit.catalog import available_frameworks, load_framework

    found = [_loaded(load_framework, i) for i in available_frameworks()]
    return [framework for framework in found if framework is not None]


def _loaded(load: Callable[[str], Framework], framework_id: str) -> Framework | None:
    try:
        return load(framework_id)
    except DataFileError as error:
        _report_broken(error)
        return None


class ItemKindChoice(str, Enum):
    """The kinds of item :func:`allykit.search` can filter on."""

    framework = "framework"
    stage = "stage"
    characteristic = "characteristic"
    principle = "principle"
    prompt = "prompt"


@_friendly
def search_catalogue(  # noqa: PLR0913, PLR0917 -- one option per search() filter
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT", help="Words to look for (case and accents ignored)."
        ),
    ],
    kind: Annotated[
        ItemKindChoice | None, typer.Option("--kind", help="Only items of this kind.")
    ] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", help="Only items of this framework.")
    ] = None,
    stage: Annotated[
        str | None, typer.Option("--stage", help="Only items of this stage id.")
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only items with this tag.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="Most hits to show; 0 for all.")
    ] = 20,
    json_output: JsonOption = False,
) -> None:
    """Search frameworks, stages, characteristics, principles and prompts."""
    from allykit.catalog import load_framework
    from allykit.catalog._search import search

    if framework is not None:
        load_framework(framework)  # an unknown id is an error, not "no hits"
    filters: dict[str, Any] = {
        "kind": kind.value if kind is not None else None,
        "framework": framework,
        "stage": stage,
        "tag": tag,
        "limit": limit or None,
    }
    try:
        hits = search(text, **filters)
    except DataFileError:
        # One broken data file (a plugin's) hides nothing else: search the
        # frameworks that load, and say which did not, one line each.
        hits = search(text, frameworks=_loadable_frameworks(), **filters)
    if json_output:
        _print_json(
            [
                {
                    "framework": hit.framework,
                    "kind": hit.kind,
                    "id": hit.id,
                    "title": hit.title,
                    "snippet": hit.snippet,
                    "score": hit.score,
                }
                for hit in hits
            ]
        )
        return
    out = _out()
    if not hits:
        out.print(f"No matches for {escape(repr(text))}.")
        return
    # One hit per two lines, not a table: readable at 80 columns, and each
    # id stays whole to copy into the next command (scores are in --json).
    out.print(f"{len(hits)} match{'es' if len(hits) != 1 else ''}")
    for hit in hits:
        out.print(
            f"[bold]{escape(hit.id)}[/] [dim]({hit.kind} of "
            f"{escape(hit.framework)})[/]",
            soft_wrap=True,
        )
        _print_indented(out, hit.title, 2)
