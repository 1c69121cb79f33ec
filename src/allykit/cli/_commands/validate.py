"""``allykit validate`` and ``allykit schema``: check files, print the formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

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
from allykit.errors import DataFileError, Problem

__all__ = ["schema", "validate"]


class DocumentKind(str, Enum):
    """The kinds of data file the command can check and describe."""

    auto = "auto"
    framework = "framework"
    instrument = "instrument"
    crosswalk = "crosswalk"


def _guess_kind(data: Any) -> DocumentKind:
    """Tell a file's kind from its keys (a framework when nothing else fits)."""
    if isinstance(data, dict):
        if "items" in data or "response_scale" in data or "intended_use" in data:
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


@_friendly
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Framework, instrument or crosswalk JSON files (one or more).",
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
    try:
        if kind is DocumentKind.auto:
            kind = _guess_kind(_read_json_file(file))
        document_id, summary = _describe(kind, file)
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
                f"[bold red]{escape(error.source)}: "
                f"{_plural(len(error.problems), 'problem')}[/]{checked}"
            )
            for problem in error.problems:
                _print_indented(_out(), str(problem), 2)
        return result
    if show:
        _out().print(
            f"[green]{escape(str(file))}: valid {kind.value}[/] "
            f"({escape(document_id)}: {escape(summary)})"
        )
    return {"source": str(file), "kind": kind.value, "valid": True, "id": document_id}


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
    _write(json.dumps(schemas[kind](), indent=2) + "\n", output, force=force)
