"""``allykit bundle``: the catalogue as a folder an npm project can depend on."""

from pathlib import Path
from typing import Annotated

import typer

from allykit.cli._console import (
    JsonOption,
    _err,
    _fail,
    _friendly,
    _plural,
    _print_json,
    escape,
    escape_name,
)

__all__ = ["bundle"]


@_friendly
def bundle(  # noqa: PLR0913, PLR0917 -- one option per choice of the command
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="DIR",
            help="Folder to write (created; must be new or empty).",
        ),
    ],
    plugins: Annotated[
        bool,
        typer.Option(
            "--plugins", help="Also hold the documents of installed plugin packages."
        ),
    ] = False,
    files: Annotated[
        list[Path] | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="Also hold this document file of your own (any kind; repeatable).",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="npm package name (default: allykit-catalogue).",
        ),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            metavar="VERSION",
            help="npm package version (default: allykit's version).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an earlier bundle in the folder (other files are "
            "never touched: the command refuses instead).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the catalogue as JSON, JSON Schemas and TypeScript types for npm.

    One file per document, an index.json (ids, kinds, versions, hashes,
    licences, citations), the schemas, declarations and a package.json.
    The same allykit and the same options write the same bytes.
    """
    from allykit.bundle import DEFAULT_NAME, write_bundle

    if str(output) == "-":
        _fail("a bundle is a folder of files, not one stream: name a folder with -o")

    written = write_bundle(
        output,
        plugins=plugins,
        files=list(files or ()),
        name=name if name is not None else DEFAULT_NAME,
        version=version,
        overwrite=force,
    )
    documents = written.documents
    if as_json:
        _print_json(
            {
                "output": str(output),
                "name": written.name,
                "version": written.version,
                "licence": written.licence,
                "documents": len(documents),
                "files": len(written.files),
            }
        )
        return
    counts: dict[str, int] = {}
    for document in documents:
        counts[document["kind"]] = counts.get(document["kind"], 0) + 1
    held = ", ".join(_plural(count, kind) for kind, count in counts.items())
    _err().print(
        f"wrote {escape(written.name)} {escape(written.version)} into "
        f"{escape_name(output)}: {held}; licence {escape(written.licence)}"
    )
