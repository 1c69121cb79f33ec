"""Docs that lead (issue 17, item 9): entry pages link every guide; code fits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# mkdocs-material shows about 90 characters of code at 1280 px.
CODE_WIDTH = 88


@pytest.mark.parametrize("page", ["index.md", "getting-started.md"])
def test_entry_pages_link_every_tutorial(page: str) -> None:
    """index.md and getting-started.md link every tutorial, scoring and frames."""
    text = (DOCS / page).read_text("utf-8")
    linked = set(re.findall(r"\]\(([a-z-]+\.md)\)", text))
    wanted = {p.name for p in DOCS.glob("tutorial-*.md")} | {"scoring.md", "frames.md"}
    assert wanted <= linked, f"{page} misses {sorted(wanted - linked)}"


def test_researcher_code_fits_the_page() -> None:
    """Every line of code and output on the researcher page fits 88 columns."""
    text = (DOCS / "tutorial-researcher.md").read_text("utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    long = [
        line
        for block in blocks
        for line in block.splitlines()
        if len(line) > CODE_WIDTH
    ]
    assert not long


def test_readme_installs_the_example_plugin_and_upgrades_pip_for_docs() -> None:
    """The README says how to install the example plugin and which pip docs need."""
    text = (ROOT / "README.md").read_text("utf-8")
    assert "python -m pip install ./examples/allykit-example-plugin" in text
    assert "python -m pip install -U pip && python -m pip install --group docs" in text


def _readme_test_command() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    (command,) = re.findall(
        r"^python -m pip install -U pip && .* python -m pytest$", text, re.MULTILINE
    )
    return str(command)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    """.ci/run runs the README's test command as written, then each marked set."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert _readme_test_command() in ci.splitlines()
    for marker in ("property", "reference", "growth", "engine"):
        assert re.search(rf"^python -m pytest .*-m {marker}\b", ci, re.MULTILINE), (
            marker
        )


def test_readme_test_command_installs_the_tests_group_only() -> None:
    """The fast set needs the tests group alone, not the 1 GB dev group."""
    command = _readme_test_command()
    assert "--group tests" in command
    assert "--group dev" not in command


def test_marked_sets_are_left_out_of_the_fast_set() -> None:
    """Pyproject registers the four markers and deselects them by default."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    for marker in ("property", "reference", "engine", "growth"):
        assert re.search(rf'^    "{marker}: ', text, re.MULTILINE), marker
    assert '"-m",\n    "not (property or reference or engine or growth)",' in text
