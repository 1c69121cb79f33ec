"""The document classes keep their field types as objects (annotations not postponed).

The converter reads each field's type from attrs instead of evaluating
annotation strings; these tests keep that true and keep it equal to what
:func:`typing.get_type_hints` says.
"""

from __future__ import annotations

import typing

import attrs
import pytest

from allykit.models import crosswalk, framework, instrument, published
from allykit.models._convert import field_types

_CLASSES = list(
    dict.fromkeys(
        getattr(module, name)
        for module in (framework, instrument, published, crosswalk)
        for name in module.__all__
        if isinstance(getattr(module, name), type) and attrs.has(getattr(module, name))
    )
)


def test_every_document_class_is_listed() -> None:
    """The list below is not empty (the models expose their attrs classes)."""
    assert {cls.__name__ for cls in _CLASSES} >= {
        "Framework",
        "Instrument",
        "Crosswalk",
    }


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_field_types_are_objects(cls: type[object]) -> None:
    """No model field holds its type as a string."""
    strings = [f.name for f in attrs.fields(cls) if isinstance(f.type, str)]  # type: ignore[arg-type]

    assert strings == []


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_field_types_agree_with_get_type_hints(cls: type[object]) -> None:
    """The converter's types are the ones the type hints evaluate to."""
    hints = typing.get_type_hints(cls)

    assert field_types(cls) == {f.name: hints[f.name] for f in attrs.fields(cls)}  # type: ignore[arg-type]


def test_string_annotations_still_evaluated() -> None:
    """A class with postponed annotations goes through get_type_hints."""

    @attrs.frozen
    class Later:
        count: int

    assert isinstance(attrs.fields(Later).count.type, str)
    assert field_types(Later) == {"count": int}
