"""A terminal or pipe that cannot show every character never ends a command.

Windows consoles and redirections in a legacy code page (cp1252, cp437),
or ``PYTHONIOENCODING=ascii``, cannot encode the catalogue's dashes,
ellipses and accents: the command writes those as escapes instead of
stopping with "internal error" (status 3).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_RUN = "import sys; from allykit.cli import main; sys.exit(main())"


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("args", [["list"], ["show", "ally-model"], ["tour"]])
def test_runs_in_a_legacy_encoding(
    tmp_path: Path, encoding: str, args: list[str]
) -> None:
    """Status 0 and output, whatever the streams' encoding can show."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "100"}
    done = subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, "-c", _RUN, *args],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    assert b"internal error" not in done.stderr
    assert done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["reflect", "--journal", "journal.json", "-n", "1"],
        ["assess", "ally-model-reflection"],
        ["map"],
    ],
)
def test_typed_text_the_encoding_cannot_read(tmp_path: Path, args: list[str]) -> None:
    """An answer the input's encoding cannot decode: status 1, what to set."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "100"}
    done = subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
        [sys.executable, "-c", _RUN, *args],
        input="Café\n".encode(),
        capture_output=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=120,
    )
    stderr = done.stderr.decode("ascii", "replace")
    assert done.returncode == 1, stderr
    assert "PYTHONIOENCODING=utf-8" in stderr
    assert "internal error" not in stderr
    assert not (tmp_path / "journal.json").exists()


def test_the_streams_are_restored_after_a_run() -> None:
    """run() leaves stdout and stderr as it found them (a program may call it)."""
    code = (
        "import sys\n"
        "from allykit.cli._app import run\n"
        "before = (sys.stdout.errors, sys.stderr.errors)\n"
        "status = run(['list'])\n"
        "print(status, before == (sys.stdout.errors, sys.stderr.errors), "
        "file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii:strict"}
    done = subprocess.run(  # noqa: S603 -- this interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert done.stderr.strip().splitlines()[-1] == "0 True", done.stderr
