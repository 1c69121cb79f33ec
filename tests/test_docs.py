"""Run the terminal examples of the documentation (``console`` blocks).

The ``>>>`` examples run through pytest's doctest collection of ``docs/*.md``.
This module runs the other kind: every ```` ```console ```` block of the docs
and README, one page at a time, in an empty folder. A line ``$ allykit ...``
runs the command in-process (``> FILE`` writes its stdout to FILE); a line
``$ cat > FILE <<'EOF'`` writes the following lines up to ``EOF`` to FILE.
The lines after a command, up to the next ``$``, are expected output: each
must appear in what the command printed. Commands must exit with status 0.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.cli._app import app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.DOTALL | re.MULTILINE)
_HEREDOC = re.compile(r"^cat > (\S+) <<'EOF'$")


def _blocks(page: Path) -> list[str]:
    return _BLOCK.findall(page.read_text(encoding="utf-8"))


def _steps(block: str) -> list[tuple[str, list[str]]]:
    """Split a block into (command, following lines) pairs."""
    steps: list[tuple[str, list[str]]] = []
    continued = False
    for line in block.splitlines():
        if continued and steps:
            # A command continued over lines ends them with a backslash.
            command = steps[-1][0] + " " + line.strip()
            continued = command.endswith("\\")
            steps[-1] = (command.removesuffix("\\").rstrip(), steps[-1][1])
        elif line.startswith("$ "):
            continued = line.endswith("\\")
            steps.append((line[2:].removesuffix("\\").rstrip(), []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _normal(text: str) -> str:
    return " ".join(text.split())


def _run_step(command: str, lines: list[str], folder: Path) -> None:
    heredoc = _HEREDOC.match(command)
    if heredoc:
        end = lines.index("EOF")
        (folder / heredoc.group(1)).write_text("\n".join(lines[:end]) + "\n", "utf-8")
        return
    words = shlex.split(command)
    assert words[0] == "allykit", f"only allykit commands run here: {command!r}"
    target = None
    if ">" in words:
        at = words.index(">")
        target = folder / words[at + 1]
        words = words[:at]
    result = CliRunner().invoke(app, words[1:], env={"COLUMNS": "100"})
    assert result.exit_code == 0, (
        f"{command!r} exited {result.exit_code}\n{result.output}"
    )
    if target is not None:
        target.write_text(result.stdout, "utf-8")
    printed = _normal(result.output)
    for expected in lines:
        assert _normal(expected) in printed, f"{command!r}: missing {expected!r}"


CASES = [
    pytest.param(page, index, id=f"{page.name}-{index}")
    for page in PAGES
    for index, _ in enumerate(_blocks(page))
]


class TestConsoleExamples:
    def test_pages_have_examples(self) -> None:
        """The command reference has console examples to run."""
        assert len(_blocks(ROOT / "docs" / "cli.md")) >= 4

    @pytest.mark.parametrize(("page", "index"), CASES)
    def test_block_runs(
        self,
        page: Path,
        index: int,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Every command of the block exits 0 and prints what the page shows."""
        monkeypatch.chdir(tmp_path)
        # Pages run from the project's root: docs/data/... is the sample data.
        (tmp_path / "docs").symlink_to(ROOT / "docs", target_is_directory=True)
        # Earlier blocks of the same page may create files later ones use.
        for block in _blocks(page)[: index + 1]:
            for command, lines in _steps(block):
                _run_step(command, lines, tmp_path)
