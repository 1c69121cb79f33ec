"""``allykit search``: the catalogue search of :func:`allykit.search` as a table."""

from enum import Enum
from typing import Annotated, Any

import typer

from allykit.cli._console import (
    JsonOption,
    _err,
    _friendly,
    _out,
    _print_indented,
    _print_json,
    escape,
)
from allykit.cli._hints import cli_words

__all__ = ["search_catalogue"]


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
    from allykit.catalog import load_framework, search

    if framework is not None:
        load_framework(framework)  # an unknown id is an error, not "no hits"
    if stage is not None:
        _check_stage(stage, framework)
    filters: dict[str, Any] = {
        "kind": kind.value if kind is not None else None,
        "framework": framework,
        "stage": stage,
        "tag": tag,
        "limit": None,  # every hit, to say how many there are; cut below
    }
    import warnings

    from allykit.errors import PluginWarning

    # One broken data file (a plugin's) hides nothing else: search() skips
    # it with a PluginWarning, reported here as one line like every message.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginWarning)
        found = search(text, **filters)
    hits = found[:limit] if limit else found
    for warning in caught:
        if issubclass(warning.category, PluginWarning):
            _err().print(f"allykit: warning: {escape(cli_words(str(warning.message)))}")
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
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
    out.print(_count_line(len(hits), len(found)))
    for hit in hits:
        out.print(
            f"[bold]{escape(hit.id)}[/] [dim]({hit.kind} of "
            f"{escape(hit.framework)})[/]",
            soft_wrap=True,
        )
        _print_indented(out, hit.title, 2)


def _check_stage(stage: str, framework: str | None) -> None:
    """Raise UnknownIdError if no searched framework has the stage *stage*."""
    from allykit.catalog import search
    from allykit.errors import UnknownIdError

    known = {
        hit.id for hit in search("", kind="stage", framework=framework, limit=None)
    }
    if stage not in known:
        where = f"framework {framework!r}" if framework is not None else ""
        error = UnknownIdError.for_id("stage", stage, known, where=where)
        raise error


def _count_line(shown: int, found: int) -> str:
    """Return "3 matches", or "20 of 72 matches (--limit 0 for all)" when cut."""
    noun = "match" if found == 1 else "matches"
    if shown < found:
        return f"{shown} of {found} {noun} (--limit 0 for all)"
    return f"{found} {noun}"
