"""Tests of the public surface: names, import cost, the installed wheel."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import allykit


def _run(code: str) -> str:
    result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


class TestSurface:
    def test_all_names_resolve(self) -> None:
        """Every name in __all__ is an attribute of the package."""
        for name in allykit.__all__:
            assert getattr(allykit, name) is not None, name

    def test_all_is_sorted_within_groups_and_unique(self) -> None:
        """__all__ lists each name once."""
        assert len(allykit.__all__) == len(set(allykit.__all__))

    def test_dir_lists_public_names(self) -> None:
        """dir(allykit) shows the public names and __version__."""
        assert set(allykit.__all__) <= set(dir(allykit))
        assert "__version__" in dir(allykit)

    def test_version(self) -> None:
        """__version__ comes from the installed metadata."""
        assert allykit.__version__ == "0.1.0"

    def test_function_named_like_its_module(self) -> None:
        """allykit.reliability is the function whatever was imported first."""
        out = _run(
            "import allykit.scoring._reliability, allykit.scoring.frames\n"
            "from allykit import reliability\n"
            "import allykit\n"
            "print(callable(reliability), allykit.reliability is reliability)"
        )

        assert out == "True True"

    def test_unknown_attribute(self) -> None:
        """A missing attribute raises AttributeError."""
        with pytest.raises(AttributeError):
            _ = allykit.no_such_name  # type: ignore[attr-defined]

    def test_installed_not_checkout(self) -> None:
        """The tests run against the installed package, not the src/ tree."""
        assert "site-packages" in Path(allykit.__file__).parts


class TestImportCost:
    def test_no_pydantic_on_import(self) -> None:
        """Import allykit imports no pydantic(-core), narwhals, json or difflib."""
        out = _run(
            "import sys, allykit; "
            "print(sorted(m for m in "
            "('pydantic', 'pydantic_core', 'narwhals', 'json', 'difflib') "
            "if m in sys.modules))"
        )

        assert out == "[]"

    def test_no_file_read_on_import(self) -> None:
        """Import allykit does not even import the module that reads data files."""
        out = _run(
            "import sys, allykit; "
            "print('allykit.catalog._resources' in sys.modules, "
            "'importlib.resources' in sys.modules)"
        )

        assert out == "False False"

    def test_bundled_load_skips_pydantic(self) -> None:
        """Loading bundled frameworks imports no validator (trusted data)."""
        out = _run(
            "import sys, allykit\n"
            "for f, s in allykit.catalog.framework_sources().items():\n"
            "    if s == 'bundled': allykit.load_framework(f)\n"
            "print('pydantic' in sys.modules, 'pydantic_core' in sys.modules)"
        )

        assert out == "False False"

    def test_bundled_instrument_load_imports_only_what_it_needs(self) -> None:
        """Loading every bundled framework and instrument imports only their modules.

        Nothing for scoring, importing answers, validating (pydantic),
        warnings or the deprecated class.
        """
        out = _run(
            "import sys, allykit\n"
            "from allykit.catalog._store import bundled_ids\n"
            "before = set(sys.modules)\n"
            "for f in bundled_ids('frameworks'): allykit.load_framework(f)\n"
            "for i in bundled_ids('instruments'): allykit.load_instrument(i)\n"
            "new = set(sys.modules) - before\n"
            "print(sorted(n for n in new if n.startswith('allykit')), "
            "sorted(new & {'json', 'warnings', 'pydantic', 'importlib.resources'}))"
        )

        assert out == (
            "['allykit.catalog._checks', "
            "'allykit.catalog._resources', "
            "'allykit.catalog._shared', 'allykit.models', 'allykit.models._convert', "
            "'allykit.models._document', 'allykit.models.framework', "
            "'allykit.models.instrument', "
            "'allykit.models.published'] ['json']"
        )

    def test_first_framework_builds_only_framework_classes(self) -> None:
        """A first framework builds no instrument, scale or crosswalk class.

        ``allykit.models`` names nothing itself, so importing
        ``allykit.models.framework`` does not import its sibling modules.
        """
        out = _run(
            "import sys, allykit\n"
            "allykit.load_framework('ally-model')\n"
            "print(sorted(n for n in sys.modules if n.startswith('allykit.models')))"
        )

        assert out == (
            "['allykit.models', 'allykit.models._convert', "
            "'allykit.models._document', 'allykit.models.framework']"
        )


def _modules() -> list[str]:
    names = ["allykit"]
    names.extend(
        info.name for info in pkgutil.walk_packages(allykit.__path__, prefix="allykit.")
    )
    return sorted(names)


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples(module_name: str) -> None:
    """Every >>> example in the installed package's docstrings runs."""
    module = importlib.import_module(module_name)

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)

    assert result.failed == 0


@pytest.mark.parametrize("module_name", _modules())
def test_public_modules_declare_all(module_name: str) -> None:
    """Every module declares __all__."""
    module = importlib.import_module(module_name)

    assert hasattr(module, "__all__") or module_name.endswith("__main__")


def test_api_reference_covers_every_public_module() -> None:
    """docs/api.md renders every public module, and only those."""
    import re

    page = Path(__file__).resolve().parent.parent / "docs" / "api.md"
    text = page.read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: (allykit[\w.]*)$", text, re.MULTILINE))
    public = {
        name
        for name in _modules()
        if not any(part.startswith("_") for part in name.split("."))
    }

    assert documented == public


class TestOneTableOfRootNames:
    """The root's names are written in one table; the type checker's imports agree."""

    @staticmethod
    def _imports() -> dict[str, str]:
        """The names the root imports for the type checker, with their modules."""
        import ast

        tree = ast.parse(Path(allykit.__file__).read_text(encoding="utf-8"))
        typed: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                for inner in node.body:
                    if isinstance(inner, ast.ImportFrom) and inner.module != "allykit":
                        module = inner.module or ""
                        typed.update({a.asname or a.name: module for a in inner.names})
        return typed

    def test_table_imports_and_all_agree(self) -> None:
        """__all__ is the table's names; each typed import names its home."""
        homes = allykit._HOMES
        assert self._imports() == homes
        assert set(allykit.__all__) == set(homes)
        assert len(allykit.__all__) == len(homes)

    def test_every_name_resolves_from_its_home(self) -> None:
        """Each name of the table is the object of that name in its home."""
        import importlib

        for name, home in allykit._HOMES.items():
            assert getattr(allykit, name) is getattr(
                importlib.import_module(home), name
            )
