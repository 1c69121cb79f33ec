"""What starting the command costs: ``allykit --help`` imports only what it shows.

Timings live in ``benchmarks/bench_cli_start.py``; these tests pin the
design that keeps them low, without timing anything.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer

from allykit.cli._app import app


def _callbacks(typer_app: typer.Typer) -> Iterator[Callable[..., Any]]:
    if typer_app.registered_callback and typer_app.registered_callback.callback:
        yield typer_app.registered_callback.callback
    for command in typer_app.registered_commands:
        if command.callback is not None:
            yield command.callback
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            yield from _callbacks(group.typer_instance)


_ALL = list(_callbacks(app))


def test_every_command_is_found() -> None:
    """The walk below reaches the commands (so the next test checks something)."""
    names = {callback.__name__ for callback in _ALL}

    assert {"tour", "reflect", "assess", "validate"} <= names


@pytest.mark.parametrize("callback", _ALL, ids=lambda callback: callback.__name__)
def test_command_annotations_are_objects(callback: Callable[..., Any]) -> None:
    """Typer reads each command's signature for ``--help``: nothing to evaluate.

    A command module with postponed annotations (``from __future__ import
    annotations``) makes typer evaluate every annotation string, twice, for
    every command, each time the command starts.
    """
    strings = {
        name: value
        for name, value in inspect.get_annotations(callback).items()
        if isinstance(value, str)
    }

    assert strings == {}


def test_help_imports_no_library_machinery() -> None:
    """``allykit --help`` builds no class and loads no catalogue: not even attrs.

    The library's errors module (which builds ``Problem`` with attrs) and
    the outputs module are imported when a command runs.
    """
    code = (
        "import sys, runpy\n"
        "sys.argv = ['allykit', '--help']\n"
        "try:\n"
        "    runpy.run_module('allykit', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('allykit.models', 'allykit.catalog', 'allykit.reflection',\n"
        "         'allykit.scoring', 'allykit.surveys', 'allykit.errors',\n"
        "         'allykit.outputs', 'attr', 'pydantic')\n"
        "found = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print(found, file=sys.stderr)\n"
    )
    result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stderr.strip().splitlines()[-1] == "[]"
