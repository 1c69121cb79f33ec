"""``allykit validate`` and ``allykit schema``: check files, print the formats."""

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allykit.cli._console import (
    ForceOption,
    JsonOption,
    _friendly,
    _out,
    _plural,
    _print_indented,
    _print_json,
    _read_json_file,
    _write,
    escape,
)
from allykit.cli._hints import cli_words

if TYPE_CHECKING:
    from allykit.errors import Problem

__all__ = ["schema", "validate"]


class DocumentKind(str, Enum):
    """The kinds of data file the command can check (``allykit.catalog.KINDS``)."""

    auto = "auto"
    framework = "framework"
    instrument = "instrument"
    crosswalk = "crosswalk"
    scale = "scale"


def _summary(document: Any) -> str:
    """A one-line description of a loaded document, by its kind."""
    from allykit.catalog import KINDS

    kind = next(k.name for k in KINDS.values() if isinstance(document, k.cls()))
    if kind == "instrument":
        return (
            f"{_plural(len(document.items), 'item')}, "
            f"{_plural(len(document.scales), 'scale')}"
        )
    if kind == "crosswalk":
        return (
            f"{document.source} to {document.target}, "
            f"{_plural(len(document.links), 'link')}"
        )
    if kind == "scale":
        return f"{document.items} items, {_plural(len(document.subscales), 'subscale')}"
    return (
        f"{_plural(len(document.stages), 'stage')}, "
        f"{_plural(len(document.prompts), 'prompt')}"
    )


KindOption = Annotated[
    DocumentKind,
    typer.Option(
        "--kind",
        help="What the file holds; 'auto' tells it from the file's keys.",
        case_sensitive=False,
    ),
]


@_friendly
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Framework, instrument, crosswalk or scale-record JSON files.",
        ),
    ],
    kind: KindOption = DocumentKind.auto,
    json_output: JsonOption = False,
) -> None:
    """Check data files and report every problem (exit status 1 if any).

    Frameworks, instruments and crosswalks are told apart by their keys;
    --kind says it explicitly. Several files are checked one after the
    other, as a linter does (allykit validate data/*.json).
    """
    results = [_check_one(file, kind, show=not json_output) for file in files]
    if json_output:
        _print_json(results[0] if len(results) == 1 else results)
    invalid = sum(not result["valid"] for result in results)
    if not json_output and len(results) > 1:
        _out().print(
            f"{_plural(len(results), 'file')} checked, {invalid} with problems"
        )
    if invalid:
        raise typer.Exit(1)


def _check_one(file: Path, kind: DocumentKind, *, show: bool) -> dict[str, Any]:
    """Check one file, print its result (unless --json), return it as JSON data."""
    import warnings

    from allykit.errors import DataFileError, DataWarning, printable

    try:
        from allykit.catalog import from_mapping, guess_kind

        # Read once (a pipe, such as <(curl ...), can be read only once):
        # as from_file() does, then checked as from_file() checks.
        data = _read_json_file(file)
        if kind is DocumentKind.auto:
            kind = DocumentKind(guess_kind(data).name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            document = from_mapping(kind.value, data, source=str(file))
        notes = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
        document_id, summary = document.id, _summary(document)
    except DataFileError as error:
        result = {
            "source": error.source,
            "kind": kind.value,
            "valid": False,
            "problems": [_problem_dict(p) for p in error.problems],
        }
        # Still auto: the file could not be read or parsed to tell its kind.
        checked = (
            ""
            if kind is DocumentKind.auto
            else f" (checked against the {kind.value} format)"
        )
        if show:
            _out().print(
                f"[bold red]{escape(printable(error.source))}: "
                f"{_plural(len(error.problems), 'problem')}[/]{checked}"
            )
            for problem in error.problems:
                _print_indented(_out(), cli_words(str(problem)), 2)
        return result
    if show:
        _out().print(
            f"[green]{escape(printable(str(file)))}: valid {kind.value}[/] "
            f"({escape(document_id)}: {escape(summary)})"
        )
        for note in notes:
            _print_indented(_out(), f"note: {cli_words(note)}", 2)
    valid: dict[str, Any] = {
        "source": str(file),
        "kind": kind.value,
        "valid": True,
        "id": document_id,
    }
    if notes:
        valid["notes"] = notes
    return valid


def _problem_dict(problem: "Problem") -> dict[str, str]:
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
    scale = "scale"
    history = "history"


@_friendly
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Option("--kind", help="Which file format.", case_sensitive=False),
    ] = SchemaKind.framework,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file.")
    ] = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of a file format (frameworks by default)."""
    if kind is SchemaKind.history:
        from allykit.reflection.history import history_json_schema

        document_schema = history_json_schema()
    else:
        from allykit.catalog import json_schema

        document_schema = json_schema(kind.value)
    _write(
        json.dumps(document_schema, indent=2) + "\n",
        output,
        force=force,
        written=("a JSON Schema", (".json",)),
    )
