"""``allykit map``: where can I act as an ally, and where may I need allies?

For each dimension of a positionality tool (the Social GRACES or the wheel
of power and privilege) the person records a placement; the command builds
the descriptive :class:`allykit.reflection.AllyMap` and prints it with its prompts.
Nothing is scored or ranked, and the map is written only where ``--save``
says.
"""

from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from allykit.cli._console import (
    INTERRUPTED,
    ForceOption,
    JsonOption,
    _check_output,
    _err,
    _friendly,
    _out,
    _prompt_answer,
    _read_json_file,
    _say_kept,
    _write,
    escape,
)

if TYPE_CHECKING:
    from allykit.errors import Problem
    from allykit.reflection.ally_map import (
        AllyMap,
        Dimension,
        MapEntry,
        Placement,
        Position,
    )

__all__ = ["ally_map"]

#: What --save writes: the map as JSON.
_WRITTEN = ("the ally map", (".json",))


class Tool(str, Enum):
    """The positionality tools a map can be drawn with."""

    social_graces = "social-graces"
    wheel = "wheel-of-power-and-privilege"


# What a person can type or write, and the placement it records (None: skip).
_CHOICES: "tuple[tuple[str, Position | None], ...]" = (
    ("can act as an ally (relative privilege)", "privilege"),
    ("may need allies (marginalisation)", "marginalisation"),
    ("both", "both"),
    ("unsure", "unsure"),
    ("skip (prefer not to say)", None),
)
_WORDS: "dict[str, Position | None]" = {
    "privilege": "privilege",
    "can-act-as-ally": "privilege",
    "can-act-as-an-ally": "privilege",
    "ally": "privilege",
    "marginalisation": "marginalisation",
    "marginalization": "marginalisation",
    "may-need-allies": "marginalisation",
    "need-allies": "marginalisation",
    "both": "both",
    "unsure": "unsure",
    "skip": None,
    "prefer-not-to-say": "prefer-not-to-say",
}


def _position(word: object) -> "Position | None":
    """Return the placement a word stands for (None: skip); KeyError if none."""
    if not isinstance(word, str):
        raise KeyError(word)
    return _WORDS[word.strip().lower().replace(" ", "-").replace("_", "-")]


def _placements_from_file(
    path: Path, dimensions: "Mapping[str, Dimension]"
) -> "list[Placement]":
    from allykit import errors
    from allykit.errors import DataFileError, short_repr
    from allykit.reflection.ally_map import Placement

    data = _read_json_file(path)
    allowed = ", ".join(sorted(_WORDS))
    if not isinstance(data, Mapping):
        problem = errors.Problem(
            path="",
            message="expected an object of dimension id -> placement "
            "(or -> {context: placement})",
            value=short_repr(data),
        )
        raise DataFileError(str(path), [problem])
    placements: list[Placement] = []
    problems: list[Problem] = []
    for key, value in data.items():
        if key not in dimensions:
            unknown = str(errors.UnknownIdError.for_id("dimension", key, dimensions))
            near = unknown.partition("; ")[2].partition(" known ids:")[0]
            problems.append(
                errors.Problem(
                    path=str(key),
                    message="not a dimension of this tool",
                    hint=(near + " " if near.startswith("did") else "")
                    + "known: "
                    + ", ".join(dimensions),
                )
            )
            continue
        per_context = value if isinstance(value, Mapping) else {"general": value}
        for context, word in per_context.items():
            where = f"{key}.{context}" if isinstance(value, Mapping) else str(key)
            try:
                position = _position(word)
            except KeyError:
                problems.append(
                    errors.Problem(
                        path=where,
                        message="not a placement",
                        value=short_repr(word),
                        hint=f"use one of: {allowed}",
                    )
                )
                continue
            if position is not None:
                placements.append(
                    Placement(
                        dimension=key,
                        position=position,
                        context=str(context),
                    )
                )
    if problems:
        raise DataFileError(str(path), problems)
    return placements


def _ask(
    dimensions: "Mapping[str, Dimension]", *, to_stderr: bool
) -> "tuple[list[Placement], bool]":
    """Ask dimension by dimension; return placements and whether Ctrl-C/EOF stopped."""
    from rich.panel import Panel  # lazy: not for --help

    from allykit.reflection.ally_map import Placement

    out = _err() if to_stderr else _out()
    menu = "\n".join(
        f"  {number}  {label}" for number, (label, _) in enumerate(_CHOICES, 1)
    )
    placements: list[Placement] = []
    total = len(dimensions)
    for number, dimension in enumerate(dimensions.values(), 1):
        body = escape(dimension.description or dimension.name)
        if dimension.centre_pole and dimension.outer_pole:
            body += (
                f"\n[dim]from {escape(dimension.centre_pole)} "
                f"to {escape(dimension.outer_pole)}[/]"
            )
        out.print(
            Panel(
                body,
                title=f"{number} of {total}: {escape(dimension.name)}",
                title_align="left",
                expand=False,
            )
        )
        out.print(menu + "\n  [dim](Enter to skip, q to stop)[/]")
        while True:
            answer = _prompt_answer(to_stderr=to_stderr)
            if answer is None:
                return placements, True
            typed = answer.strip()
            if typed.lower() == "q":
                return placements, False
            if not typed:
                break
            if typed.isdigit() and 1 <= int(typed) <= len(_CHOICES):
                position = _CHOICES[int(typed) - 1][1]
            else:
                try:
                    position = _position(typed)
                except KeyError:
                    out.print(
                        f"[yellow]type a number from 1 to {len(_CHOICES)}[/]",
                    )
                    continue
            if position is not None:
                placements.append(
                    Placement(
                        dimension=dimension.id,
                        position=position,
                    )
                )
            break
    return placements, False


def _where(contexts: tuple[str, ...]) -> str:
    shown = [c for c in contexts if c != "general"]
    return f" (in: {', '.join(shown)})" if shown else ""


_SECTIONS = (
    ("can_act_as_ally", "Where you can act as an ally", "privilege_contexts"),
    ("may_need_allies", "Where you may need allies", "marginalisation_contexts"),
    ("both", "Where it is both", None),
    ("unsure", "Where you are unsure", "unsure_contexts"),
)


def _entry_line(entry: "MapEntry", contexts_field: str | None) -> str:
    name = escape(entry.dimension.name)
    if contexts_field is None:
        return (
            f"[bold]{name}[/]: can act as an ally"
            f"{escape(_where(entry.privilege_contexts))}; "
            f"may need allies{escape(_where(entry.marginalisation_contexts))}"
        )
    return f"[bold]{name}[/]{escape(_where(getattr(entry, contexts_field)))}"


def _print_map(ally_map: "AllyMap") -> None:
    out = _out()
    if not any(getattr(ally_map, field) for field, _, _ in _SECTIONS):
        out.print("You placed no dimension, so the map is empty.")
    for field, heading, contexts_field in _SECTIONS:
        entries: tuple[MapEntry, ...] = getattr(ally_map, field)
        if not entries:
            continue
        out.print(f"\n[bold underline]{heading}[/]")
        for entry in entries:
            out.print(f"- {_entry_line(entry, contexts_field)}")
            if entry.prompts:
                out.print(f"  [italic]{escape(entry.prompts[0].text)}[/]")
    if ally_map.prompts:
        out.print("\n[bold underline]To reflect on[/]")
        for prompt in ally_map.prompts:
            out.print(f"- {escape(prompt.text)}")
    out.print(
        "\n[dim]The map describes what you recorded; it is not a score or a rank.[/]"
    )


@_friendly
def ally_map(
    tool: Annotated[
        Tool,
        typer.Option("--tool", help="The positionality tool to place yourself on."),
    ] = Tool.social_graces,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Place yourself from this JSON file instead of asking: "
            "{dimension id: placement} or {dimension id: {context: placement}}.",
        ),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Also write the map (JSON) to this file."),
    ] = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Draw your ally map: where you can act as an ally, where you may need allies.

    Type q to stop early. Ctrl-C or end of input stops too; the placements
    so far still make the map, are saved with --save, and the command says
    where they are.
    """
    from allykit.catalog import load_framework
    from allykit.reflection.ally_map import build_ally_map, dimensions_of

    _check_output(
        save, force=force, reads=[answers], written=_WRITTEN
    )  # before any question
    stopped = False
    framework = load_framework(tool.value)
    dimensions = {d.id: d for d in dimensions_of(framework)}
    if answers is not None:
        placements = _placements_from_file(answers, dimensions)
    else:
        # With --json, stdout is for the JSON only: the questions go to stderr.
        out = _err() if json_output else _out()
        out.print(f"[bold]{escape(framework.name)}[/]: {escape(framework.summary)}")
        out.print(
            "For each dimension, say whether it gives you relative privilege "
            "(you can act as an ally), marginalisation (you may need allies), "
            "both, or that you are unsure. Nothing is saved unless you use --save."
        )
        placements, stopped = _ask(dimensions, to_stderr=json_output)
    if stopped and not placements:
        _say_kept(0, "placement", None)
        raise typer.Exit(INTERRUPTED)
    result = build_ally_map(placements, dimensions=framework)
    if save is not None:
        _write(
            result.to_json() + "\n",
            save,
            force=force,
            reads=[answers],
            written=_WRITTEN,
        )
    if json_output:
        _write(result.to_json() + "\n", None)
    else:
        _print_map(result)
    if stopped:
        _say_kept(len(placements), "placement", save)
        raise typer.Exit(INTERRUPTED)
