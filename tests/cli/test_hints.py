"""Command hints name options, never Python parameters (issue 20 item 6).

The library's messages speak to Python callers; the command prints every
message through :func:`allykit.cli._hints.cli_words`. Two checks: every
message text in the library (``msg``, ``hint``, ``message`` ... and the
arguments of ``warn``), once put in the command's words, has no
``name=`` or ``name()`` left, except in the few messages only Python code can
meet (listed below with the reason); and the issue's examples, run as
commands, name the options.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app
from allykit.cli._hints import PYTHON_SPEAK, cli_words

runner = CliRunner()
PACKAGE = Path(allykit.__file__).resolve().parent
_NAMES = {"msg", "message", "hint", "how", "note", "text"}
_CALLS = {"warn", "InvalidArgumentError", "Problem", "_problem"}
#: Messages only Python code can meet: (module, start of the text), and why.
PYTHON_ONLY = {
    ("reflection/focus.py", "profile must map"): "plan_focus(profile=...) argument",
    ("reflection/history.py", "; build entries"): "History built in Python",
    ("reflection/history.py", "History(entries=...)"): "History built in Python",
    ("reflection/history.py", " bytes); keep"): "History.to_json size cap",
    ("scoring/_reliability_report.py", "to_frame(backend="): "to_frame() argument",
    ("scoring/_change_forms.py", "to_frame(backend="): "to_frame() argument",
    ("surveys/_options.py", "na_codes="): "an importer's Python arguments",
    ("scoring/_figures.py", ": n="): "a figure's caption (n people), not a hint",
    ("scoring/_provenance.py", "instrument_status needs"): "a Python call's arguments",
    ("scoring/_score.py", ": score a DataFrame with"): "score_many() given a frame",
    ("scoring/_waves.py", "; for two, use change()"): "waves() has no command yet",
    ("scoring/_waves.py", "waves() fits a mixed"): "waves() has no command yet",
    ("surveys/_options.py", " needs instrument=:"): "an importer's Python arguments",
    ("surveys/_options.py", "id_column must be"): "an importer's Python arguments",
    ("surveys/_tabular.py", "id_column "): "an importer's Python arguments",
    ("scoring/_waves.py", "id_column must be"): "waves() has no command yet",
    ("scoring/answers.py", "id_column must be"): "type check; the command passes text",
    ("scoring/frames/_checks.py", "leave them out when reading the file"): (
        "a lazy DataFrame given in Python (the command reads files itself)"
    ),
}


def _message_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith(("cli/", "testing")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            parts: list[ast.AST] = []
            if (
                isinstance(node, ast.Assign)
                and any(
                    isinstance(t, ast.Name)
                    and (t.id in _NAMES or t.id.upper().endswith("_HINT"))
                    for t in node.targets
                )
            ) or (isinstance(node, ast.keyword) and node.arg in _NAMES):
                parts.append(node.value)
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in _CALLS:
                    parts.extend(node.args)
            for part in parts:
                found.extend(
                    (module, sub.value)
                    for sub in ast.walk(part)
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
                )
    return found


def test_every_library_message_is_said_as_options() -> None:
    """No message text keeps Python speech once in the command's words."""
    texts = _message_texts()
    assert len(texts) > 200  # the scan reads the messages
    left = [
        (module, text)
        for module, text in texts
        if re.search(PYTHON_SPEAK, cli_words(text))
        and not any(
            module == where and text.startswith(start) for where, start in PYTHON_ONLY
        )
    ]
    assert not left, left


def test_the_table_changes_what_it_should() -> None:
    """The issue's phrases come out as options."""
    assert cli_words("pass form_name='my_form'") == "pass --form-name my_form"
    assert cli_words("rename one, or pass prefix='q_'").endswith("pass --prefix q_")
    assert "merge_item_text" not in cli_words(
        "supply them from your own licensed copy with merge_item_text()"
    )
    assert "--invalid missing" in cli_words("pass invalid='missing' to score them")
    assert "--columns" in cli_words(
        "pass columns={item id: column name} to map columns"
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (
            ["export", "redcap", "ally-model-reflection", "--form-name", "Bad Name"],
            "--form-name",
        ),
        (["export", "redcap", "ally-model-reflection", "--prefix", "1"], "--prefix"),
        (
            [
                "export",
                "reproschema",
                "ally-model-reflection",
                "--prefix",
                "x-",
                "-o",
                "rs",
            ],
            "--prefix",
        ),
        (["export", "redcap", "ally-identity-measure"], "instrument file"),
        (["export", "surveyjs", "ally-identity-measure"], "instrument file"),
    ],
)
def test_the_commands_name_options(args: list[str], option: str) -> None:
    """Run as a command, a hint names the option (and no Python parameter)."""
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert option in result.output
    assert not re.search(PYTHON_SPEAK, result.output), result.output
    assert "form_name" not in result.output


def test_hints_said_for_both_keep_the_command_half() -> None:
    """A library hint naming the parameter and the option keeps the option only."""
    both = (
        "map columns to item ids (columns= in Python, --columns FILE.json on the "
        "command line), or set the column aside (ignore= / --ignore NAME)"
    )
    assert cli_words(both) == (
        "map columns to item ids (--columns FILE.json), "
        "or set the column aside (--ignore NAME)"
    )
    assert cli_words(
        "name the file's encoding: encoding='cp1252' in Python, "
        "--encoding cp1252 on the command line"
    ).endswith("encoding: --encoding cp1252")


def test_score_errors_name_options_only(tmp_path: Path) -> None:
    """An unknown column and an undecodable file: options, never parameters."""
    unknown = tmp_path / "who.csv"
    unknown.write_text("who,se-check-first-impressions\nana,3\n", "utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"se-check-first-impressions\n3\n\xe9\n")
    for source, option in ((unknown, "--ignore"), (latin, "--encoding cp1252")):
        result = runner.invoke(
            app,
            [
                "score",
                "ally-model-reflection",
                str(source),
                "-o",
                str(tmp_path / "o.csv"),
            ],
            env={"COLUMNS": "200"},
        )
        assert result.exit_code == 1, result.output
        assert option in result.output
        assert not re.search(PYTHON_SPEAK, result.output), result.output
        assert "in Python" not in result.output


def _option_names() -> set[str]:
    """The Python names of the command's options with an underscore (na_code)."""
    import typer.main

    names: set[str] = set()
    stack = [typer.main.get_command(app)]
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        names.update(
            param.name
            for param in command.params
            if param.name and "_" in param.name
            and any(opt.startswith("--") for opt in getattr(param, "opts", ()))
        )  # fmt: skip
    return names


def test_no_message_names_an_option_by_its_parameter() -> None:
    """Said as options, no message keeps a bare parameter name (na_code)."""
    names = _option_names()
    assert {"na_code", "form_name", "id_column"} <= names
    left = [
        (module, text)
        for module, text in _message_texts()
        if any(re.search(rf"\b{name}\b", cli_words(text)) for name in names)
        and not any(
            module == where and text.startswith(start) for where, start in PYTHON_ONLY
        )
    ]
    assert not left, left


def test_export_na_code_names_the_option() -> None:
    """An N/A code among the values: the hint names --na-code."""
    result = runner.invoke(
        app,
        ["export", "redcap", "ally-model-reflection", "--na-code", "3"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1, result.output
    assert "--na-code" in result.output
    assert "na_code" not in result.output
