"""Turn plain mappings into frozen attrs objects, and back.

This is the one small function every loader ends in. It trusts its input:
bundled data is checked by the test suite, and user data has been validated
by :mod:`allykit.catalog._schema` before it gets here. The conversion plan for each
class is derived from its attrs fields, so there is no second copy of the
field list to drift.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attr
import attrs

__all__ = ["content_hash", "document", "json_text", "structure", "unstructure"]

_C = TypeVar("_C")
_Builder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _builder_for(tp: Any) -> _Builder:  # noqa: PLR0911 -- one return per kind
    """Return a function that turns plain data into a value of type *tp*."""
    supertype = getattr(tp, "__supertype__", None)  # NewType
    if supertype is not None:
        return _builder_for(supertype)
    if attrs.has(tp):
        return functools.partial(structure, tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        build = _builder_for(inner)
        if build is _identity:
            return tuple
        return lambda value: tuple(map(build, value))
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            build = _builder_for(args[0])
            if build is _identity:
                return _identity
            return lambda value: None if value is None else build(value)
        return _identity
    if origin is dict or origin is Mapping:
        (_key, value_type) = typing.get_args(tp)
        build = _builder_for(value_type)
        return lambda value: {k: build(v) for k, v in value.items()}
    return _identity


#: Per class: the fields copied as they are (name, alias), the fields built
#: from their data (name, alias, builder), and, when every field's argument
#: is its name, the set of those names (else None).
_Plan = tuple[
    tuple[tuple[str, str], ...],
    tuple[tuple[str, str, _Builder], ...],
    frozenset[str] | None,
]
_plans: dict[type[Any], _Plan] = {}


def field_types(cls: type[Any]) -> dict[str, Any]:
    """Return the evaluated annotations of *cls*'s attrs fields by name.

    The document classes (:mod:`allykit.models`) keep their annotations as
    objects (their modules do not postpone annotations), so attrs already
    holds each field's type and nothing is evaluated again. A class whose
    annotations are strings goes through :func:`typing.get_type_hints`.
    """
    fields = attrs.fields(cls)
    if not any(isinstance(field.type, str) for field in fields):
        return {field.name: field.type for field in fields}
    hints = typing.get_type_hints(cls)
    return {field.name: hints[field.name] for field in fields}


def _plan(cls: type[Any]) -> _Plan:
    try:
        return _plans[cls]
    except KeyError:
        pass
    hints = field_types(cls)
    plain: list[tuple[str, str]] = []
    built: list[tuple[str, str, _Builder]] = []
    for field in attrs.fields(cls):
        if field.init:
            build = _builder_for(hints[field.name])
            if build is _identity:
                plain.append((field.name, field.alias))
            else:
                built.append((field.name, field.alias, build))
    pairs = [*plain, *((name, alias) for name, alias, _build in built)]
    same = all(name == alias for name, alias in pairs)
    names = frozenset(name for name, _alias in pairs) if same else None
    _plans[cls] = plan = (tuple(plain), tuple(built), names)
    return plan


def structure(cls: type[_C], data: Mapping[str, Any]) -> _C:
    """Build an instance of the attrs class *cls* from validated plain data.

    Keys absent from *data* take the field's default; keys that are not
    fields (such as ``"$schema"``) are ignored.
    """
    plain, built, names = _plan(cls)
    if names is not None and names.issuperset(data):
        # Every key is a field, passed under its own name (most nested
        # objects): copy the mapping, then build what needs building.
        kwargs = dict(data)
    else:
        kwargs = {alias: data[name] for name, alias in plain if name in data}
    for name, alias, build in built:
        if name in data:
            kwargs[alias] = build(data[name])
    return cls(**kwargs)


def _is_data(field: attrs.Attribute[Any], _value: object) -> bool:
    return field.init


def unstructure(obj: Any) -> dict[str, Any]:
    """Return the attrs instance *obj* as JSON-ready plain data (lists, not tuples)."""
    # The classic API is the one that turns tuples back into lists.
    result: dict[str, Any] = attr.asdict(
        obj, retain_collection_types=False, filter=_is_data
    )
    return result


def document(obj: Any) -> dict[str, Any]:
    """Return *obj* as a file-format document: ``schema_version`` first, then fields."""
    return {"schema_version": 1, **unstructure(obj)}


#: The widest indent ``to_json`` writes.
MAX_INDENT = 64


def json_text(data: Any, *, indent: int | None) -> str:
    """Return *data* as JSON text; indented text ends with a newline, like a file.

    Raises:
        InvalidArgumentError: If *indent* is not None or a whole number from
            0 to :data:`MAX_INDENT` (json would fail on a huge or fractional
            one, or write text that is not JSON for an indent such as "xx").
    """
    import json

    if indent is not None and (
        type(indent) is not int or not 0 <= indent <= MAX_INDENT
    ):
        from allykit.errors import InvalidArgumentError, short_repr

        msg = (
            f"indent must be None or a whole number from 0 to {MAX_INDENT}, "
            f"not {short_repr(indent)}"
        )
        raise InvalidArgumentError(msg)
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return text + "\n" if indent is not None else text


def content_hash(data: Any) -> str:
    """Return the SHA-256 hex digest of the canonical JSON of *data*."""
    import hashlib
    import json

    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
