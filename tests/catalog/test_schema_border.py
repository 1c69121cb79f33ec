"""The validation border (``catalog/_schema.py``): strict, closed, pydantic-free.

Files are validated by pydantic-core's ``SchemaValidator`` on core schemas
allykit writes itself. These tests pin what that border promises: nothing is
coerced (any leaf of a valid document replaced by a value of another JSON
type is refused, at its own path), unknown keys are refused with the allowed
fields of the right object, fixed-length tuples come from JSON arrays, and
the JSON Schemas come from the same core schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit import testing
from allykit.catalog import _schema
from allykit.errors import DataFileError
from allykit.models.framework import Framework, Stage
from allykit.models.instrument import Instrument

Leaf = tuple[str, Any]


def _leaves(value: Any, path: str = "") -> Iterator[Leaf]:
    """Every scalar leaf of plain data (no nulls), with its allykit path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    elif value is not None:
        yield path, value


def _replace(data: Any, path: str, new: Any) -> Any:
    """Return a copy of *data* with the leaf at *path* replaced."""
    if not path:
        return new
    if isinstance(data, list):
        index, _, rest = path[1:].partition("]")
        copy = list(data)
        copy[int(index)] = _replace(data[int(index)], rest.lstrip("."), new)
        return copy
    key = path
    for cut in (".", "["):
        key = key.split(cut, 1)[0]
    rest = path[len(key) :].lstrip(".")
    return {**data, key: _replace(data[key], rest, new)}


def _other_type(value: Any) -> Any:
    """A value of another JSON type that a lax validator would coerce back."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    return 7  # a string leaf


@settings(max_examples=40, deadline=None)
@given(document=st.one_of(testing.frameworks(), testing.instruments()), data=st.data())
def test_no_leaf_is_coerced(
    document: Framework | Instrument, data: st.DataObject
) -> None:
    """Any leaf given as another JSON type is a problem at exactly its path."""
    plain = document.to_dict()
    leaves = list(_leaves(plain))
    path, value = data.draw(st.sampled_from(leaves), label="leaf")
    bad = _replace(plain, path, _other_type(value))
    with pytest.raises(DataFileError) as caught:
        type(document).from_dict(bad)
    assert path in [problem.path for problem in caught.value.problems]


@given(document=testing.frameworks())
@settings(max_examples=20, deadline=None)
def test_valid_documents_pass_the_border(document: Framework) -> None:
    """What allykit writes, its validator takes (and builds back equal)."""
    assert Framework.from_dict(document.to_dict()) == document


_BASE: dict[str, Any] = {
    "id": "mine",
    "name": "Mine",
    "summary": "Written for the tests.",
    "kind": "stage-model",
    "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
    "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
    "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
}


def _problems(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    document = _schema.document_schema(Framework, title="allykit framework")
    return [(p.path, p.message, p.hint) for p in _schema.validate(document, data)]


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            {"stages": [{**_BASE["stages"][0], "position": 1.0}]},
            "stages[0].position",
            "input should be a valid integer",
        ),
        (
            {"stages": [{**_BASE["stages"][0], "position": True}]},
            "stages[0].position",
            "input should be a valid integer",
        ),
        (
            {"stages": [{**_BASE["stages"][0], "position": 0}]},
            "stages[0].position",
            "input should be greater than or equal to 1",
        ),
        ({"stages": ["one"]}, "stages[0]", "input should be a valid dictionary"),
        ({"stages": ({"id": "one"},)}, "stages", "input should be a valid list"),
        ({"name": " \t"}, "name", "must not be empty or blank"),
        ({"id": "Not_An_Id"}, "id", "not a valid id"),
        ({"id": "a" * 81}, "id", "string should have at most 80 characters"),
        ({"schema_version": 2}, "schema_version", "input should be 1"),
        ({"$schema": 3}, "$schema", "input should be a valid string"),
        ({"licence": None}, "licence", "input should be a valid dictionary"),
    ],
)
def test_refused_values(change: dict[str, Any], path: str, message: str) -> None:
    """Each wrong value is refused where it is, in words for file authors."""
    found = _problems({**_BASE, **change})
    assert [(p, m) for p, m, _ in found] == [(path, message)]


def test_document_fields_are_optional_and_checked() -> None:
    """``$schema`` and ``schema_version`` may be given, and only by those names."""
    assert _problems({**_BASE, "$schema": "x", "schema_version": 1}) == []
    assert _problems(_BASE) == []
    [(path, message, hint)] = _problems({**_BASE, "schema_": "x"})
    assert (path, message) == ("schema_", "unknown field")
    assert hint.startswith("did you mean '$schema'? allowed fields: $schema,")


def test_unknown_nested_field_names_that_objects_fields() -> None:
    """The did-you-mean and the allowed fields are those of the nested object."""
    stage = {**_BASE["stages"][0], "sumary": "x"}
    [(path, message, hint)] = _problems({**_BASE, "stages": [stage]})
    assert (path, message) == ("stages[0].sumary", "unknown field")
    assert hint.startswith("did you mean 'summary'? allowed fields: ")
    allowed = hint.split("allowed fields: ")[1].split(", ")
    assert allowed == sorted(f.name for f in attrs.fields(Stage) if f.init)


@attrs.frozen
class _Pairs:
    """A class with the shapes no bundled format has yet."""

    pair: tuple[str, int]
    table: dict[str, float] = attrs.field(factory=dict)
    either: int | str | None = None


def test_fixed_tuples_dicts_and_unions() -> None:
    """A fixed-length tuple from a JSON array; dicts and unions stay strict."""
    document = _schema.document_schema(_Pairs, title="pairs")
    assert _schema.validate(document, {"pair": ["a", 1]}) == []
    assert _schema.validate(document, {"pair": ("a", 1), "table": {"x": 1}}) == []
    assert _schema.validate(document, {"pair": ["a", 1], "either": "x"}) == []
    paths = [p.path for p in _schema.validate(document, {"pair": ["a", 1, 2]})]
    assert paths == ["pair"]
    paths = [p.path for p in _schema.validate(document, {"pair": ["a", "1"]})]
    assert paths == ["pair[1]"]
    found = _schema.validate(document, {"pair": ["a", 1], "table": {"x": "1"}})
    assert [p.path for p in found] == ["table.x"]
    found = _schema.validate(document, {"pair": ["a", 1], "either": 1.5})
    assert {p.path for p in found} == {"either.int", "either.str"}


def test_json_schema_comes_from_the_same_core_schema() -> None:
    """Fixed tuples, dicts and unions have their JSON Schema forms."""
    schema = _schema.json_schema(_Pairs, title="pairs", description="Pairs.")
    pair = schema["properties"]["pair"]
    assert pair["type"] == "array"
    assert pair["prefixItems"] == [
        {"pattern": r"\S", "type": "string"},
        {"type": "integer"},
    ]
    table = schema["properties"]["table"]
    assert table["patternProperties"] == {r"\S": {"type": "number"}}
    assert table["default"] == {}
    assert schema["required"] == ["pair"]
    assert schema["additionalProperties"] is False


def test_an_annotation_without_a_format_is_a_build_error() -> None:
    """A domain class with a type the border cannot express fails loudly."""

    @attrs.frozen
    class _Odd:
        when: complex

    with pytest.raises(TypeError, match="no file format"):
        _schema.document_schema(_Odd, title="odd")


def test_validation_keeps_pydantic_out() -> None:
    """No pydantic object escapes, and the validator is pydantic-core's own."""
    from pydantic_core import SchemaValidator

    document = _schema.document_schema(Framework, title="allykit framework")
    assert isinstance(document.validator, SchemaValidator)
    problems = _schema.validate(document, {"stages": 1})
    assert problems
    assert all(type(p).__module__ == "allykit.errors" for p in problems)
