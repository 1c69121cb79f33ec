"""Test sets, marked by rule for the whole run (``tests/`` and the ``docs/`` pages).

The README's command runs the fast set; ``pyproject.toml``'s ``addopts``
leaves out the marked sets, which ``.ci/run`` runs as steps of their own
(``python -m pytest -m property`` and so on: a later ``-m`` replaces the
default one).
"""

from __future__ import annotations

import re

import pytest

_ENGINES = re.compile(r"dask|spark|duckdb", re.IGNORECASE)
_ENGINE_EXAMPLE = re.compile(
    r"^>>> (?:import|from) (?:dask|duckdb|pyspark)\b", re.MULTILINE
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the sets the fast run leaves out by rule, not by hand.

    ``property``: every test that uses Hypothesis's ``@given``; ``engine``:
    every test whose id names Dask, Spark or DuckDB (the engine
    parametrisations of the frame tests) and every documentation page whose
    examples import one of them. ``reference`` and ``growth`` are marked in
    their files.
    """
    for item in items:
        if item.path.suffix == ".md" and _ENGINE_EXAMPLE.search(
            item.path.read_text(encoding="utf-8")
        ):
            item.add_marker(pytest.mark.engine)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
        if _ENGINES.search(item.nodeid):
            item.add_marker(pytest.mark.engine)
