"""``allykit tour``: the main job on bundled data, with an example inventory scored.

The example answers ship as ``data/examples/ally-model-reflection-answers.json``
(read by :func:`allykit.catalog.example_answers`, like every bundled file); they are
made up for the tour and describe no one.
"""

from typing import TYPE_CHECKING

from allykit.cli._commands.assess import next_steps, profile_chart
from allykit.cli._console import _friendly, _out, _print_indented, escape

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["EXAMPLE_INSTRUMENT", "example_answers", "tour", "tour_scoring"]

EXAMPLE_INSTRUMENT = "ally-model-reflection"


def example_answers() -> dict[str, object]:
    """Return the bundled example answers to the ally model reflection inventory."""
    from allykit.catalog import example_answers as bundled

    answers: dict[str, object] = bundled(EXAMPLE_INSTRUMENT)
    return answers


def tour_scoring(out: "Console") -> None:
    """Score the example answers and print the profile and a next step."""
    from allykit.catalog import load_instrument
    from allykit.scoring import score

    instrument = load_instrument(EXAMPLE_INSTRUMENT)
    report = score(instrument, example_answers())
    out.print(
        f"\n[bold]Scoring[/]: {escape(instrument.name)} ({len(instrument.items)} "
        "statements), answered by an invented example person:"
    )
    out.print(profile_chart(report))
    for line in next_steps(report)[:2]:
        out.print(escape(line))
    # The sentence explain() closes with: one wording for one status.
    if not report.validated:
        out.print(f"[dim]{escape(report.explain().splitlines()[-1])}[/]")
    _commands(
        out,
        "Your turn:",
        f"allykit assess {EXAMPLE_INSTRUMENT}",
        "allykit map",
        "allykit search feedback",
    )


def _commands(out: "Console", heading: str, *commands: str) -> None:
    """Print commands one a line, never broken: each copies and pastes whole."""
    out.print(heading)
    for command in commands:
        out.print(f"  {escape(command)}", soft_wrap=True)


@_friendly
def tour() -> None:
    """A short, non-interactive tour of the main job."""
    from allykit.catalog import available_frameworks, load_framework
    from allykit.reflection import render_prompt

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
        _print_indented(out, stage.summary, 3)
        if prompts:
            text = render_prompt(prompts[0], framework=model).text
            _print_indented(out, f"e.g. {text}", 3, style="italic")
    out.print(f"\nSource: {escape(str(model.citations[0]))}")
    tour_scoring(out)
    _commands(
        out,
        "More:",
        "allykit show ally-model",
        "allykit reflect --journal my-journal.json",
        "allykit export worksheet ally-model --format html -o sheet.html",
    )
