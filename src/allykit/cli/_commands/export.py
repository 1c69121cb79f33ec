"""``allykit export``: worksheets and survey forms, to a file or stdout."""

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from allykit.models.framework import Framework, Stage
    from allykit.surveys import QuestionType

from allykit.cli._console import (
    ForceOption,
    InstrumentArgument,
    OutputOption,
    _check_output,
    _err,
    _fail,
    _friendly,
    _instrument,
    _instrument_file,
    _plural,
    _print_json,
    _write,
    escape_name,
)

__all__ = ["export_redcap", "export_reproschema", "export_surveyjs", "export_worksheet"]


class WorksheetFormat(str, Enum):
    """Worksheet file formats."""

    md = "md"
    html = "html"


#: Whole numbers a survey expression holds exactly (the library's rule); a
#: code outside them is a value out of range, a usage error (status 2).
NaCodeOption = Annotated[
    int,
    typer.Option(
        "--na-code",
        min=-(2**53),
        max=2**53,
        help="Code of the N/A choice for scales with N/A labels only.",
    ),
]


@_friendly
def export_worksheet(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id.")],
    output_format: Annotated[
        WorksheetFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md or html (default: from the -o suffix, else md).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file (default: stdout)."),
    ] = None,
    force: ForceOption = False,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help=(
                "Only this stage of the framework, or FRAMEWORK:STAGE to apply "
                "a reflective cycle to another framework's stage."
            ),
        ),
    ] = None,
) -> None:
    """Export a framework as a worksheet to fill in (Markdown or printable HTML)."""
    from allykit.catalog import load_framework
    from allykit.worksheets import render_html_worksheet, render_markdown_worksheet

    output_format = _worksheet_format(output_format, output)
    _check_output(output, force=force)
    framework = load_framework(framework_id)
    focus = None if stage is None else _stage_option(framework, stage)
    if output_format is WorksheetFormat.html:
        text = render_html_worksheet(framework, stage=focus)
    else:
        text = render_markdown_worksheet(framework, stage=focus)
    _write(text, output, force=force)


def _stage_option(framework: "Framework", value: str) -> "Stage":
    """Return the stage --stage names: STAGE of *framework*, or FRAMEWORK:STAGE."""
    from allykit.catalog import load_framework

    owner_id, _, stage_id = value.rpartition(":")
    owner = load_framework(owner_id) if owner_id else framework
    if not stage_id:
        _fail(
            f"--stage {value!r} names no stage: give a stage id of {framework.id}, "
            "or FRAMEWORK:STAGE"
        )
    return owner.stage(stage_id)


_SUFFIXES = {
    ".md": WorksheetFormat.md,
    ".markdown": WorksheetFormat.md,
    ".html": WorksheetFormat.html,
    ".htm": WorksheetFormat.html,
}


def _worksheet_format(
    asked: WorksheetFormat | None, output: Path | None
) -> WorksheetFormat:
    """Return the format: --format, else the -o suffix; refuse a mismatch."""
    from_suffix = None
    if output is not None and str(output) != "-" and output.suffix:
        from_suffix = _SUFFIXES.get(output.suffix.lower())
        if from_suffix is None:
            _fail(
                f"cannot tell the worksheet format from {output.name!r}: "
                "name a .md or .html file, or use - for stdout"
            )
    if asked is not None and from_suffix is not None and asked is not from_suffix:
        _fail(
            f"--format {asked.value} does not match {output}: "
            f"name a .{asked.value} file, or drop --format"
        )
    return asked or from_suffix or WorksheetFormat.md


class QuestionKind(str, Enum):
    """SurveyJS question types for items."""

    radiogroup = "radiogroup"
    rating = "rating"


@_friendly
def export_surveyjs(
    instrument: InstrumentArgument,
    question_type: Annotated[
        QuestionKind,
        typer.Option("--question-type", help="radiogroup or rating."),
    ] = QuestionKind.radiogroup,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Export an instrument as a SurveyJS form whose calculated values score it."""
    from allykit.surveys import to_surveyjs

    kind: QuestionType = (
        "rating" if question_type is QuestionKind.rating else "radiogroup"
    )
    reads = [_instrument_file(instrument)]
    written = ("a SurveyJS form", (".json",))
    _check_output(output, force=force, reads=reads, written=written)
    form = to_surveyjs(_instrument(instrument), question_type=kind)
    text = json.dumps(form, indent=2, ensure_ascii=False) + "\n"
    _write(text, output, force=force, reads=reads)


@_friendly
def export_redcap(  # noqa: PLR0913, PLR0917 -- one option per choice of the command
    instrument: InstrumentArgument,
    form_name: Annotated[
        str | None,
        typer.Option("--form-name", help="REDCap form name (default: from the id)."),
    ] = None,
    prefix: Annotated[
        str, typer.Option("--prefix", help="Put before every field name.")
    ] = "",
    na_code: NaCodeOption = 99,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Export an instrument as a REDCap data dictionary whose calc fields score it."""
    from allykit.surveys import to_redcap_dictionary

    reads = [_instrument_file(instrument)]
    written = ("a REDCap data dictionary", (".csv",))
    _check_output(output, force=force, reads=reads, written=written)
    text = to_redcap_dictionary(
        _instrument(instrument), form_name=form_name, prefix=prefix, na_code=na_code
    )
    _write(text, output, force=force, reads=reads)


@_friendly
def export_reproschema(
    instrument: InstrumentArgument,
    prefix: Annotated[
        str, typer.Option("--prefix", help="Put before every variable name.")
    ] = "",
    na_code: NaCodeOption = 99,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FOLDER",
            help="Write the documents into this folder, laid out as a ReproSchema "
            "repository (default: one JSON object of path to document on stdout).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Export an instrument as ReproSchema JSON-LD whose compute entries score it."""
    from allykit.outputs import write_text_atomic
    from allykit.surveys import to_reproschema

    documents = to_reproschema(_instrument(instrument), prefix=prefix, na_code=na_code)
    if output is None or str(output) == "-":
        _print_json(documents)
        return
    if output.exists() and not output.is_dir():
        _fail(f"{output} is a file; -o names the folder to write the documents into")
    reads = [_instrument_file(instrument)]
    for relative in documents:  # refuse before anything is written
        if (output / relative).exists() or (output / relative).is_symlink():
            _check_output(output / relative, force=force, reads=reads)
    from allykit.outputs import Stopped, discard_pending, signals_as_interrupts

    try:
        with signals_as_interrupts():  # a signal leaves no temporary
            for relative, document in documents.items():
                target = output / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                write_text_atomic(
                    target, json.dumps(document, indent=2, ensure_ascii=False) + "\n"
                )
    except Stopped as stopped:
        discard_pending()
        _err().print(f"allykit: stopped by {stopped.name}; the files written stay")
        raise typer.Exit(128 + stopped.signum) from None
    _err().print(
        f"wrote {_plural(len(documents), 'document')} under {escape_name(output)}"
    )
