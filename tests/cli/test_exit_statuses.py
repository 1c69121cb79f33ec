"""One table of exit statuses, held over every command (issue 20 item 6).

``docs/cli.md`` promises: 0 done, 1 the user's input (a file, an id, an
answer, a file that would be replaced), 2 usage (an unknown option, a
missing argument, a value out of range), 3 a bug (an internal error, never a
traceback). Every command is run with a good input, a bad input and bad
usage, and the status is asserted; a command with no input of its own (list,
tour, schema) says so in ``NO_INPUT`` rather than being left out. A bug is
simulated in each command by making its first print fail.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from typer.models import CommandInfo

from allykit.cli import main
from allykit.cli._app import app
from allykit.cli._console import _friendly

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {
    "ac-speak-up": "Agree",
    "ac-practical-support": 4,
    "ac-act-with-others": "Disagree",
    "ac-keep-the-peace": 2,
}
ITEMS = (
    "se-check-first-impressions,se-name-my-advantages,se-know-my-motives,"
    "se-use-my-own-experience,se-avoid-looking-at-bias,se-assume-i-am-fair,"
    "se-invite-challenge"
)


def _files(folder: Path) -> dict[str, Path]:
    """Write the good and bad input files every case uses; return their paths."""
    files = {
        "answers": folder / "answers.json",
        "bad-answers": folder / "bad-answers.json",
        "placements": folder / "placements.json",
        "bad-placements": folder / "bad-placements.json",
        "reflect": folder / "reflect.json",
        "not-json": folder / "not-json.json",
        "csv": folder / "responses.csv",
        "bad-csv": folder / "bad.csv",
        "exists": folder / "exists.txt",
    }
    files["answers"].write_text(json.dumps(ANSWERS), encoding="utf-8")
    files["bad-answers"].write_text(json.dumps({"ac-speak-up": 42}), "utf-8")
    files["placements"].write_text(json.dumps({"class": "privilege"}), "utf-8")
    files["bad-placements"].write_text(json.dumps({"class": "maybe"}), "utf-8")
    files["reflect"].write_text(json.dumps(["noted", "noted"]), "utf-8")
    files["not-json"].write_text("{not json", encoding="utf-8")
    files["csv"].write_text(
        f"id,{ITEMS}\n1,4,4,4,4,2,2,4\n2,3,3,3,3,3,3,3\n3,5,4,5,4,1,2,5\n",
        encoding="utf-8",
    )
    files["bad-csv"].write_text(f"id,{ITEMS}\n1,4,4,4,4,2,2,seven\n", "utf-8")
    files["exists"].write_text("keep me\n", encoding="utf-8")
    return files


# command -> (good, bad input, bad usage); "{name}" is a path from _files,
# "{out}" a new file in the folder.
CASES: dict[str, tuple[str, str | None, str]] = {
    "tour": ("tour", None, "tour --bogus"),
    "list": ("list", None, "list scales"),
    "show": ("show ally-model", "show ally-modle", "show"),
    "search": ("search speak", "search speak --framework nope", "search speak -n -1"),
    "reflect": (
        "reflect -j {out}.json --answers {reflect} -n 2",
        "reflect -j {not-json} -n 1",
        "reflect -n 2",
    ),
    "assess": (
        "assess ally-model-reflection --answers {answers}",
        "assess ally-model-reflection --answers {bad-answers}",
        "assess ally-model-reflection --answers",
    ),
    "map": (
        "map --answers {placements}",
        "map --answers {bad-placements}",
        "map --tool nope --answers {placements}",
    ),
    "score": (
        "score ally-model-reflection {csv} --id-column id -o {out}.csv",
        "score ally-model-reflection {bad-csv} --id-column id -o {out}.csv",
        "score ally-model-reflection {csv} --id-column id",
    ),
    "report": (
        "report ally-model-reflection {csv} -o {out}.html",
        "report ally-model-reflection {out}-missing.csv -o {out}.html",
        "report ally-model-reflection {csv}",
    ),
    "validate": (
        "validate " + str(ROOT / "src/allykit/data/frameworks/ally-model.json"),
        "validate {not-json}",
        "validate",
    ),
    "schema": ("schema", "schema -o {exists}", "schema --kind nope"),
    "export worksheet": (
        "export worksheet ally-model",
        "export worksheet ally-modle",
        "export worksheet ally-model --format pdf",
    ),
    "export surveyjs": (
        "export surveyjs ally-model-reflection",
        "export surveyjs no-such-instrument",
        "export surveyjs",
    ),
    "export redcap": (
        "export redcap ally-model-reflection",
        "export redcap ally-model-reflection --form-name 'Bad Name'",
        "export redcap ally-model-reflection --bogus",
    ),
    "bundle": (
        "bundle -o {out}",
        "bundle -o {out} --file {not-json}",
        "bundle",
    ),
    "export reproschema": (
        "export reproschema ally-model-reflection -o {out}",
        "export reproschema ally-identity-measure -o {out}",
        "export reproschema ally-model-reflection --bogus",
    ),
}
#: Commands that read no input of the user's own: no "bad input" run.
NO_INPUT = {"tour", "list"}


def _commands() -> set[str]:
    """Every command and subcommand the app has."""
    import typer.main

    group = typer.main.get_command(app)
    names: set[str] = set()
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names.update(f"{name} {sub}" for sub in subcommands)
        else:
            names.add(name)
    return names


def _argv(template: str, files: dict[str, Path], out: Path) -> list[str]:
    import shlex

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(out) if key == "out" else str(files[key])

    return shlex.split(re.sub(r"\{([a-z-]+)\}", fill, template))


def test_every_command_is_covered() -> None:
    """A new command must be added to the table (and to docs/cli.md)."""
    assert set(CASES) == _commands()
    for name in NO_INPUT:
        assert CASES[name][1] is None


def _command_info(command: str) -> CommandInfo:
    """The registered command (or subcommand) called *command*."""
    *group, name = command.split()
    typer_app = app
    for part in group:
        typer_app = next(
            g.typer_instance
            for g in typer_app.registered_groups
            if g.name == part and g.typer_instance is not None
        )
    for info in typer_app.registered_commands:
        called = info.name or (info.callback.__name__ if info.callback else "")
        if called.replace("_", "-") == name:
            return info
    raise LookupError(command)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("command", sorted(CASES))
def test_statuses(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Good input 0, bad input 1, bad usage 2: one message, never a traceback."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    files = _files(tmp_path)
    good, bad, usage = CASES[command]
    for expected, template in ((0, good), (1, bad), (2, usage)):
        if template is None:
            continue
        status, output = _run(_argv(template, files, tmp_path / "out"), capsys)
        assert status == expected, (template, output)
        assert "Traceback" not in output
        if expected == 1:
            assert "allykit: error:" in output or "problem" in output, output


@pytest.mark.parametrize("command", sorted(CASES))
def test_a_bug_is_status_3(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected exception inside any command is status 3, with one line.

    The command's body is replaced by one that raises, behind the same
    error handling every command has.
    """
    monkeypatch.chdir(tmp_path)
    files = _files(tmp_path)
    info = _command_info(command)
    original = info.callback
    assert original is not None
    inner = getattr(original, "__wrapped__", original)

    @functools.wraps(inner)
    def body(*args: object, **kwargs: object) -> None:
        del args, kwargs
        msg = "simulated bug"
        raise RuntimeError(msg)

    wrapped = _friendly(body) if inner is not original else body
    monkeypatch.setattr(info, "callback", wrapped)
    good = CASES[command][0]
    status, output = _run(_argv(good, files, tmp_path / "out"), capsys)
    assert status == 3, (good, output)
    assert "internal error" in output
    assert "Traceback" not in output


# The same outcome gives the same status in every command that can meet it.
SAME_OUTCOME = {
    "an output file that exists (no --force)": [
        "map --answers {placements} --save {exists}",
        "assess ally-model-reflection --answers {answers} --save {exists}",
        "export worksheet ally-model -o {exists}",
        "export surveyjs ally-model-reflection -o {exists}",
        "export redcap ally-model-reflection -o {exists}",
        "schema -o {exists}",
        "score ally-model-reflection {csv} --id-column id -o {exists}",
        "report ally-model-reflection {csv} -o {exists}",
    ],
    "an unknown id": [
        "show no-such-id",
        "search speak --framework no-such-id",
        "reflect -j {out}.json --framework no-such-id --answers {reflect}",
        "assess no-such-id --answers {answers}",
        "score no-such-id {csv} -o {out}.csv",
        "report no-such-id {csv} -o {out}.html",
        "export worksheet no-such-id",
        "export surveyjs no-such-id",
        "export redcap no-such-id",
        "export reproschema no-such-id -o {out}",
    ],
    "a file that does not exist": [
        "assess ally-model-reflection --answers {out}-missing.json",
        "map --answers {out}-missing.json",
        "reflect -j {out}.json --answers {out}-missing.json",
        "score ally-model-reflection {out}-missing.csv -o {out}.csv",
        "report ally-model-reflection {out}-missing.csv -o {out}.html",
        "validate {out}-missing.json",
        "export surveyjs {out}-missing.json",
    ],
}


@pytest.mark.parametrize("outcome", sorted(SAME_OUTCOME))
def test_the_same_outcome_is_the_same_status(
    outcome: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Status 1, and the file that exists is left as it was."""
    monkeypatch.chdir(tmp_path)
    files = _files(tmp_path)
    for template in SAME_OUTCOME[outcome]:
        status, output = _run(_argv(template, files, tmp_path / "out"), capsys)
        assert status == 1, (template, output)
        assert "Traceback" not in output
    assert files["exists"].read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("form", ["redcap", "reproschema"])
@pytest.mark.parametrize("code", [str(2**53 + 1), str(-(2**53) - 1)])
def test_na_code_out_of_range_is_usage(
    form: str, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An N/A code no survey expression holds exactly: a value out of range, 2."""
    status, output = _run(
        ["export", form, "ally-model-reflection", "--na-code", code], capsys
    )
    assert status == 2, output
    assert "--na-code" in output
