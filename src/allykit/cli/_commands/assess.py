"""``allykit assess``: answer an inventory item by item, then see the profile.

The profile is drawn as a bar chart of POMP (0-100) per stage, followed by
:meth:`ScoreReport.explain` (which ends with the "reflective aid, not a
validated measure" note for unvalidated instruments) and next steps from
:func:`allykit.reflection.plan_focus` and :func:`allykit.next_step`. Nothing here
describes the person: the words are about the answers.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allykit.cli._console import (
    INTERRUPTED,
    ForceOption,
    InstrumentArgument,
    JsonOption,
    _check_output,
    _err,
    _friendly,
    _instrument,
    _instrument_file,
    _out,
    _prompt_answer,
    _read_json_file,
    _say_kept,
    _write,
    escape,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from allykit import Stage
    from allykit.models.instrument import Instrument, Item, ResponseScale
    from allykit.scoring import ScoreReport

__all__ = ["assess", "print_report"]

#: What --save writes: the score report as JSON.
_WRITTEN = ("the score report", (".json",))

_SKIP = frozenset({"", "s", "skip"})
_NOT_APPLICABLE = frozenset({"na", "n/a"})
_STOP = "q"
_BAR_WIDTH = 30


class _Stop(Exception):  # noqa: N818 -- a signal, not an error
    """The person typed q: stop asking and score what was answered."""


def _read_answers(path: Path) -> dict[str, Any]:
    from allykit import errors
    from allykit.errors import DataFileError, short_repr

    data = _read_json_file(path)
    if not isinstance(data, Mapping):
        problem = errors.Problem(
            path="",
            message="expected an object of item id -> answer "
            "(a number, a choice label, or null)",
            value=short_repr(data),
        )
        raise DataFileError(str(path), [problem])
    return dict(data)


def _scored(
    instrument: "Instrument", given: dict[str, Any], answers: Path | None
) -> "ScoreReport":
    """Score *given*; a problem with an --answers file names the file and key."""
    from allykit.errors import DataFileError, Problem, ResponseError
    from allykit.scoring import score

    try:
        return score(instrument, given)
    except ResponseError as error:
        if answers is None:
            raise
        problems = [
            Problem(
                path=p.path.removeprefix("responses"),
                message=p.message,
                value=p.value,
                hint=p.hint,
            )
            for p in error.problems
        ]
        raise DataFileError(str(answers), problems) from None


def _choices_text(scale: "ResponseScale") -> str:
    lines = [
        f"  {number}  {escape(choice.label)}"
        for number, choice in enumerate(scale.choices, 1)
    ]
    extras = ["Enter to skip", "q to stop"]
    if scale.not_applicable or scale.not_applicable_values:
        label = scale.not_applicable[0] if scale.not_applicable else "does not apply"
        extras.insert(0, f"na: {label}")
    lines.append(f"  [dim]({escape('; '.join(extras))})[/]")
    return "\n".join(lines)


def _parse(instrument: "Instrument", item: "Item", text: str) -> Any:
    """Return the answer *text* stands for; raise ValueError with a hint if none."""
    from allykit.errors import ResponseError
    from allykit.scoring import score

    scale = instrument.response_scale_for(item.id)
    typed = text.strip()
    if typed.lower() in _SKIP:
        return None
    if typed.lower() == _STOP:
        raise _Stop
    if typed.isdigit():
        number = int(typed)
        if 1 <= number <= len(scale.choices):
            return scale.choices[number - 1].value
        msg = f"type a number from 1 to {len(scale.choices)}"
        raise ValueError(msg)
    if typed.lower() in _NOT_APPLICABLE:
        if scale.not_applicable:
            return scale.not_applicable[0]
        if scale.not_applicable_values:
            return scale.not_applicable_values[0]
        msg = "this item has no 'does not apply' option; press Enter to skip it"
        raise ValueError(msg)
    try:  # the scoring rules decide which labels count
        score(instrument, {item.id: typed})
    except ResponseError:
        msg = (
            f"{typed!r} is not one of the choices: type its number "
            f"(1 to {len(scale.choices)}) or its label"
        )
        raise ValueError(msg) from None
    return typed


def _ask(instrument: "Instrument", *, to_stderr: bool) -> tuple[dict[str, Any], bool]:
    """Ask item by item; return the answers and whether Ctrl-C or EOF stopped it."""
    from rich.panel import Panel  # lazy: not for --help

    out = _err() if to_stderr else _out()
    answers: dict[str, Any] = {}
    total = len(instrument.items)
    for number, item in enumerate(instrument.items, 1):
        scale = instrument.response_scale_for(item.id)
        out.print(
            Panel(
                escape(item.text or item.id),
                title=f"{number} of {total}",
                title_align="left",
                expand=False,
            )
        )
        out.print(_choices_text(scale))
        while True:
            typed = _prompt_answer(to_stderr=to_stderr)
            if typed is None:
                return answers, True
            try:
                answers[item.id] = _parse(instrument, item, typed)
            except _Stop:
                return answers, False
            except ValueError as problem:
                out.print(f"[yellow]{escape(str(problem))}[/]")
                continue
            break
    return answers, False


def profile_chart(report: "ScoreReport") -> "Table":
    """Return a bar chart of the report: POMP per stage (or per scale)."""
    from rich.bar import Bar  # lazy: not for --help
    from rich.table import Table  # lazy: not for --help

    if (
        not report.profile
        and report.scales
        and all(s.method == "median" for s in report.scales)
    ):
        return _middle_chart(report)
    rows: list[tuple[str, float | None]]
    if report.profile:
        rows = [(f"{p.position}. {p.stage_name}", p.pomp) for p in report.profile]
        what = "stage"
    else:
        rows = [(s.name, s.pomp) for s in report.scales]
        what = "scale"
    table = Table(
        title="Your answers, as percent of the maximum possible (POMP, 0-100)",
        title_justify="left",
        box=None,
    )
    table.add_column(what)
    table.add_column("", width=_BAR_WIDTH)
    table.add_column("POMP", justify="right")
    digits = _digits([pomp for _, pomp in rows if pomp is not None])
    for name, pomp in rows:
        if pomp is None:
            table.add_row(escape(name), "[dim]not scored: too few answers[/]", "-")
        else:
            table.add_row(
                escape(name),
                Bar(size=100, begin=0, end=pomp, width=_BAR_WIDTH),
                f"{pomp:.{digits}f}",
            )
    return table


def _digits(pomps: list[float]) -> int:
    """Decimals for the chart's POMPs, as explain() chooses them.

    Whole numbers, unless two different POMPs (or one and 50, the middle)
    would read alike: the chart and the explanation under it agree.
    """
    values = {*pomps, 50.0}
    for digits in range(3):
        if len({f"{value:.{digits}f}" for value in values}) == len(values):
            return digits
    return 2


def _middle_chart(report: "ScoreReport") -> "Table":
    """Chart median scales by their middle answer, the figure explain() gives.

    A POMP here would be of the mean, which can sit far from the middle
    answer the explanation and the band describe (answers 1, 1, 1, 1, 1, 6,
    6, 6, 6: the middle answer is 1, the POMP of the mean 44).
    """
    from rich.bar import Bar  # lazy: not for --help
    from rich.table import Table  # lazy: not for --help

    table = Table(
        title="Your answers: the middle answer (median) of each scale",
        title_justify="left",
        box=None,
    )
    table.add_column("scale")
    table.add_column("", width=_BAR_WIDTH)
    table.add_column("median", justify="right")
    for s in report.scales:
        if s.median is None:
            table.add_row(escape(s.name), "[dim]not scored: too few answers[/]", "-")
            continue
        span = s.maximum - s.minimum
        table.add_row(
            escape(s.name),
            Bar(size=span or 1, begin=0, end=s.median - s.minimum, width=_BAR_WIDTH),
            f"{s.median:g} ({s.minimum:g} to {s.maximum:g})",
        )
    return table


def _work_on(stage: "Stage") -> str:
    """The suggestion of a stage to work on, read through its direction.

    A stage that points away is one to move on from, never to work towards;
    a map's stage holds people to reflect on.
    """
    if stage.direction == "away":
        return f"Next, you might work on moving on from {stage.name}"
    if stage.direction == "map":
        return f"Next, you might reflect on the people your map places at {stage.name}"
    return f"Next, you might work on {stage.name}"


def next_steps(report: "ScoreReport") -> list[str]:
    """Return lines suggesting what to reflect on next, from the report.

    Stage profiles (such as the ally model's) get a focus plan and its first
    prompt; every report gets the prompts its bands suggest. A continuum's
    points are not stages to work on, so they get no plan.
    """
    from allykit.catalog import load_framework
    from allykit.reflection import next_step, render_prompt
    from allykit.reflection.focus import plan_focus

    if report.framework is None:
        return []
    framework = load_framework(report.framework)
    lines = []
    shown = set()
    command = ""
    if report.profile:
        plan = plan_focus(framework, profile=report)
        first = plan[0]
        step = next_step(framework, focus=[item.stage.id for item in plan])
        shown.add(step.prompt.id)
        lines += [
            f"{_work_on(first.stage)} ({first.reason}).",
            f"A prompt to start with: {step.prompt.text}",
        ]
        command = f" --stage {first.stage.id}"
    lines.extend(
        "Suggested by your answers: "
        + render_prompt(framework.prompt(prompt_id), framework=framework).text
        for prompt_id in report.suggested_prompts[:3]
        if prompt_id not in shown
    )
    if lines:
        lines.append(
            "To reflect on it: allykit reflect --journal my-journal.json "
            f"--framework {framework.id}{command}"
        )
    return lines


def print_report(report: "ScoreReport", console: "Console") -> None:
    """Print the chart, the explanation and next steps of a report."""
    console.print(profile_chart(report))
    console.print()
    console.print(escape(report.explain()))
    steps = next_steps(report)
    if steps:
        console.print()
        for line in steps:
            console.print(escape(line))


@_friendly
def assess(
    instrument_id: InstrumentArgument,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answer from this JSON file ({item id: number, label or null}) "
            "instead of asking.",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Also write the score report (JSON) to this file."),
    ] = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Answer an inventory item by item, then see your stage profile.

    Type q to stop early: what you answered is scored. Ctrl-C or end of
    input stops too; the answers so far are still scored, saved with
    --save, and the command says where they are.
    """
    from allykit.scoring import score

    instrument = _instrument(instrument_id)
    score(instrument, {})  # fails early for metadata-only instruments
    reads = [answers, _instrument_file(instrument_id)]
    _check_output(
        save, force=force, reads=reads, written=_WRITTEN
    )  # before any question
    stopped = False
    if answers is not None:
        given = _read_answers(answers)
    else:
        # With --json, stdout is for the JSON only: the questions go to stderr.
        asking = _err() if json_output else _out()
        asking.print(f"[bold]{escape(instrument.name)}[/]")
        asking.print(escape(instrument.intended_use))
        given, stopped = _ask(instrument, to_stderr=json_output)
    if stopped and not any(value is not None for value in given.values()):
        _say_kept(0, "answer", None)
        raise typer.Exit(INTERRUPTED)
    report = _scored(instrument, given, answers)
    if save is not None:
        _write(
            report.to_json() + "\n", save, force=force, reads=reads, written=_WRITTEN
        )
    if json_output:
        _write(report.to_json() + "\n", None)
    else:
        out = _out()
        out.print()
        print_report(report, out)
    if stopped:
        answered = sum(value is not None for value in given.values())
        _say_kept(answered, "answer", save)
        raise typer.Exit(INTERRUPTED)
