"""Every dependency group installs and passes on its own (issue 25, item 7).

The README says what "passes" means for each group, and ``.ci/run``
checks each: the cheap ones (lint, docs, webapp) in an environment of their
own, the others added one at a time to the test environment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _groups() -> dict[str, list[Any]]:
    tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11+")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    groups: dict[str, list[Any]] = data["dependency-groups"]
    return groups


def _included(groups: dict[str, list[Any]], name: str) -> set[str]:
    """The groups *name* includes, itself and transitively."""
    found = {name}
    for entry in groups[name]:
        if isinstance(entry, dict):
            found |= _included(groups, entry["include-group"])
    return found


def test_every_group_is_described_in_the_readme() -> None:
    """The README's table names each group and what passing means for it."""
    readme = (ROOT / "README.md").read_text("utf-8")
    rows = set(re.findall(r"^\| `([a-z]+)` \|", readme, re.MULTILINE))

    assert rows == set(_groups())


def test_ci_installs_and_checks_every_group() -> None:
    """.ci/run installs each group by name (so each is checked as it is added)."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    installed = set(re.findall(r"--group ([a-z]+)", ci))

    assert installed == set(_groups())


@pytest.mark.parametrize("group", ["lint", "docs", "webapp"])
def test_cheap_groups_get_an_environment_of_their_own(group: str) -> None:
    """The cheap checks run where nothing but their group is installed."""
    ci = (ROOT / ".ci" / "run").read_text("utf-8")

    assert re.search(
        rf"^{group}_venv=\"\$\(group_venv {group} .*--group {group}\)\"$",
        ci,
        re.MULTILINE,
    )


def test_groups_that_run_tests_hold_the_test_tools() -> None:
    """A group whose checks are tests (or type-check them) includes ``tests``.

    One test, not one per group: a test id naming an engine would be moved
    to the engine set by tests/conftest.py.
    """
    groups = _groups()
    lacking = [
        name
        for name in ("frames", "distributed", "spark", "typing", "dev")
        if "tests" not in _included(groups, name)
    ]

    assert lacking == []


def test_webapp_holds_what_its_tests_import() -> None:
    """The web app's tests run with the webapp group alone (no ``tests`` group)."""
    names = {
        re.split(r"[<>=\[]", entry)[0]
        for entry in _groups()["webapp"]
        if isinstance(entry, str)
    }
    conftest = (ROOT / "tests" / "conftest.py").read_text("utf-8")

    assert {"pytest", "pytest-xdist", "fastapi", "httpx"} <= names
    assert "hypothesis" not in conftest or "hypothesis" in names


def test_dev_is_the_union_of_the_everyday_groups() -> None:
    """The dev group holds every group but docs, the heavy Spark and the web app."""
    groups = _groups()

    assert _included(groups, "dev") == set(groups) - {"spark", "webapp", "docs"}
