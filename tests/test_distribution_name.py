"""The distribution is ``allykit-frameworks``; the import name stays ``allykit``.

``allykit`` on the public package index is an unrelated project, so every
place that tells a person to install or depend on this package must name
``allykit-frameworks`` (issue 17, item 1).
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import allykit

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "allykit-frameworks"

# An install command naming allykit, or a requirement string for it.
_WRONG = re.compile(
    r"""pip install\s+(-\S+\s+)*["']?allykit(?![\w-])"""
    r"""|["']allykit(\[[a-z,]+\]|>=|==|~=)"""
)


def _texts() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found += sorted((ROOT / "src" / "allykit").rglob("*.py"))
    found += sorted((ROOT / "examples").rglob("*.md"))
    found += sorted((ROOT / "examples").rglob("*.toml"))
    return [path for path in found if path.is_file()]


def test_the_installed_distribution_is_the_free_name() -> None:
    """The installed metadata is found under the new name."""
    assert version(DISTRIBUTION) == allykit.__version__


def test_pyproject_names_the_distribution() -> None:
    """pyproject.toml builds the new name."""
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert f'name = "{DISTRIBUTION}"' in text


def test_no_instruction_installs_the_other_allykit() -> None:
    """No docs line, hint or example depends on the other project."""
    wrong = []
    for path in _texts():
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if _WRONG.search(line) and "somebody else" not in line:
                wrong.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not wrong, "install instructions naming 'allykit':\n" + "\n".join(wrong)


def test_the_readme_says_why_the_names_differ() -> None:
    """The README explains the two names."""
    text = (ROOT / "README.md").read_text("utf-8")
    assert DISTRIBUTION in text
    assert "import allykit" in text
    assert "unrelated project" in text
