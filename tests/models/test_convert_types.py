"""The converter's annotation evaluator agrees with ``typing.get_type_hints``."""

from __future__ import annotations

import builtins
import importlib
import pkgutil
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit.models import _convert


def _attrs_classes() -> list[type[Any]]:
    found: list[type[Any]] = []
    for module_info in pkgutil.walk_packages(allykit.__path__, prefix="allykit."):
        name = module_info.name
        if name.startswith("allykit.cli") or name in {
            "allykit.__main__",
            "allykit.testing",
        }:
            continue
        module = importlib.import_module(name)
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


def _slow(cls: type[Any], data: Any) -> Any:
    """What structure() did before filling slots: call __init__."""
    return cls(
        **{
            alias: build(data[name])
            for name, alias, build in _convert._plan(cls)
            if name in data
        }
    )


def _all_values(obj: Any) -> list[Any]:
    return [getattr(obj, f.name, "<unset>") for f in attrs.fields(type(obj))]


def _same_build(cls: type[Any], data: Any) -> None:
    fast = _convert.structure(cls, data)
    slow = _slow(cls, data)
    assert type(fast) is type(slow) is cls
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert _all_values(fast) == _all_values(slow)  # init=False fields as well
    assert attrs.asdict(fast) == attrs.asdict(slow)


def test_slot_filling_matches_init_for_bundled_data() -> None:
    """Every bundled document builds the same by slots as through __init__."""
    from allykit.catalog import _resources
    from allykit.catalog._store import bundled_ids
    from allykit.models.crosswalk import Crosswalk
    from allykit.models.framework import Framework
    from allykit.models.instrument import Instrument

    for kind, cls in (
        ("frameworks", Framework),
        ("instruments", Instrument),
        ("crosswalks", Crosswalk),
    ):
        for item_id in bundled_ids(kind):
            _same_build(cls, _resources.read_json(kind, item_id))


def test_slot_filling_defaults_factories_and_missing() -> None:
    """Defaults, factories (also init=False, also takes_self) and errors match."""

    @attrs.frozen(kw_only=True)
    class Base:
        a: int
        b: tuple[int, ...] = ()

    @attrs.frozen(kw_only=True)
    class Child(Base):
        c: list[int] = attrs.field(factory=list)
        d: int = attrs.field(
            default=attrs.Factory(lambda self: self.a * 2, takes_self=True)
        )
        e: dict[str, int] = attrs.field(init=False, factory=dict, eq=False)
        f: int = attrs.field(init=False, default=7, eq=False)

    for data in ({"a": 1}, {"a": 2, "b": [1, 2], "c": [3], "d": 9, "z": 0}):
        _same_build(Child, data)
    made = _convert.structure(Child, {"a": 1})
    assert made.c == []
    assert made.c is not _convert.structure(Child, {"a": 1}).c
    assert made.e == {}
    assert made.f == 7
    with pytest.raises(TypeError, match="'a'"):
        _convert.structure(Child, {"b": []})


@given(data=st.data())
def test_slot_filling_matches_init_for_generated_data(data: st.DataObject) -> None:
    """Generated frameworks and instruments build the same both ways."""
    from allykit.models.framework import Framework
    from allykit.models.instrument import Instrument
    from allykit.testing import frameworks, instruments

    framework = data.draw(frameworks())
    _same_build(Framework, framework.to_dict())
    instrument = data.draw(instruments())
    _same_build(Instrument, instrument.to_dict())
