"""Every entry-point group the docs name is one the code reads (issue 20 item 6).

Four pages named ``allykit.models.instrument`` (a search-and-replace slip of
the module rename); a data package that followed them was ignored without a
word. Every Markdown page, the README and every docstring is read: a group
named after "group(s)" in a paragraph about entry points, or in a
``[project.entry-points."..."]`` table, must be a group the catalogue reads.
"""

from __future__ import annotations

import re
from pathlib import Path

from allykit.catalog import KINDS

ROOT = Path(__file__).resolve().parents[1]
READ = {kind.group for kind in KINDS.values() if kind.plugins}
PAGES = sorted(
    [
        *ROOT.glob("docs/*.md"),
        ROOT / "README.md",
        *ROOT.glob("src/allykit/**/*.py"),
        *ROOT.glob("examples/**/pyproject.toml"),
    ]
)
# A run of back-quoted names after "group" or "groups": `a`, `b` and `c`.
_AFTER_GROUP = re.compile(
    r"\bgroups?\s+((?:``?[^`]+``?(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)?)+)"
)
_NAME = re.compile(r"``?(allykit\.[^`]+?)``?")
_TABLE = re.compile(r"entry-points\.\"([^\"]+)\"")


def _named_groups(text: str) -> set[str]:
    names: set[str] = set(_TABLE.findall(text))
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        if not re.search(r"entry[- ]points?", flat, re.IGNORECASE):
            continue
        for run in _AFTER_GROUP.findall(flat):
            names.update(_NAME.findall(run))
    return names


def test_the_catalogue_reads_three_groups() -> None:
    """The groups are allykit.<folder> of every kind that takes plugins."""
    assert {"allykit.frameworks", "allykit.instruments", "allykit.crosswalks"} == READ


def test_every_group_named_in_the_docs_is_read() -> None:
    """No page names a group nothing reads."""
    found: dict[str, set[str]] = {}
    for page in PAGES:
        for name in _named_groups(page.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(str(page.relative_to(ROOT)))
    wrong = {name: pages for name, pages in found.items() if name not in READ}
    assert not wrong, f"entry-point groups nothing reads: {wrong}"
    # The scan does find the groups (it would pass vacuously otherwise).
    assert set(found) == READ


def test_the_data_format_page_names_every_group() -> None:
    """The reference page names every group the code reads."""
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert _named_groups(text) == READ


def test_the_scan_catches_the_slip() -> None:
    """The text the four pages had is caught."""
    slip = (
        "Installed packages can offer data through the entry point groups "
        "`allykit.frameworks`, `allykit.models.instrument` and `allykit.crosswalks`."
    )
    assert "allykit.models.instrument" in _named_groups(slip)
