"""The converter's annotation evaluator agrees with ``typing.get_type_hints``."""

from __future__ import annotations

import builtins
import importlib
import pkgutil
import typing
from typing import Any

import attrs
import pytest

import allykit
from allykit import _convert


def _attrs_classes() -> list[type[Any]]:
    found: list[type[Any]] = []
    for module_info in pkgutil.iter_modules(allykit.__path__):
        name = module_info.name
        if name.startswith("_cli") or name in {"__main__", "_main", "testing"}:
            continue
        module = importlib.import_module(f"allykit.{name}")
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and attrs.has(value)
            and value.__module__ == module.__name__
        )
    return found


_CLASSES = _attrs_classes()


def test_found_the_domain_classes() -> None:
    """The sweep below sees the classes bundled data is built from."""
    names = {cls.__name__ for cls in _CLASSES}
    assert {"Framework", "Instrument", "Crosswalk", "ScoreReport"} <= names


@pytest.mark.parametrize(
    "cls", _CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}"
)
def test_same_as_get_type_hints(cls: type[Any]) -> None:
    """Every field's evaluated annotation is what get_type_hints gives."""
    try:
        hints = typing.get_type_hints(cls)
    except NameError:  # names imported only for type checkers
        with pytest.raises(NameError):
            _convert.field_types(cls)
        return
    found = _convert.field_types(cls)
    for field in attrs.fields(cls):
        assert found[field.name] == hints[field.name], field.name


def test_evaluate_shapes() -> None:
    """Unions, nested subscripts and ellipses evaluate like eval()."""
    scopes: tuple[dict[str, Any], ...] = (
        {"Any": Any, "Mapping": typing.Mapping},
        {},
        vars(builtins),
    )
    for text in (
        "str",
        "str | None",
        "tuple[str, ...]",
        "tuple[tuple[str, float | None], ...]",
        "dict[str, dict[str, Any]] | None",
        "Mapping[str, Any]",
        "int | float | None",
    ):
        assert _convert._evaluate(text, scopes) == eval(text, dict(scopes[0]))  # noqa: S307
    for text in ("'str'", "a.b", "Unknown", "x[1]"):
        with pytest.raises((_convert._Unsupported, TypeError)):
            _convert._evaluate(text, scopes)
