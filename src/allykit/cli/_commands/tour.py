"""The scoring part of ``allykit tour``: a bundled example response set, scored.

The example answers ship as ``data/examples/ally-model-reflection-answers.json``
(read through :mod:`allykit.catalog._resources`, like every bundled file); they are
made up for the tour and describe no one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from allykit.cli._commands.assess import next_steps, profile_chart

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["EXAMPLE_INSTRUMENT", "example_answers", "tour_scoring"]

EXAMPLE_INSTRUMENT = "ally-model-reflection"


def example_answers() -> dict[str, object]:
    """Return the bundled example answers to the ally model reflection inventory."""
    from allykit.catalog import _resources

    answers: dict[str, object] = _resources.read_json(
        "examples", f"{EXAMPLE_INSTRUMENT}-answers"
    )
    return answers


def tour_scoring(out: Console) -> None:
    """Score the example answers and print the profile and a next step."""
    from allykit.catalog import load_instrument
    from allykit.scoring._score import score

    instrument = load_instrument(EXAMPLE_INSTRUMENT)
    report = score(instrument, example_answers())
    out.print(
        f"\n[bold]Scoring[/]: {escape(instrument.name)} ({len(instrument.items)} "
        "statements), answered by an invented example person:"
    )
    out.print(profile_chart(report))
    for line in next_steps(report)[:2]:
        out.print(escape(line))
    out.print(
        "[dim]A reflective aid, not a validated measure: the numbers describe "
        "answers, never a person.[/]"
    )
    out.print(
        f"Your turn: allykit assess {EXAMPLE_INSTRUMENT} | allykit map"
        " | allykit search feedback"
    )
