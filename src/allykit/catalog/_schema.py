"""Validation schemas of the on-disk formats, derived from the attrs classes.

This is the only module that validates untrusted plain data, and only the
loaders of such data import it (lazily). The schemas are generated from the
attrs fields of :mod:`allykit.models.framework` (and any other domain module),
so the file format, the JSON Schema and the Python objects cannot drift apart.

Rules of the derivation:

* ``*Id`` NewTypes become kebab-case strings (``^[a-z0-9]+(-[a-z0-9]+)*$``);
* a ``str`` field without a default must be non-blank;
* ``tuple[X, ...]`` becomes a JSON array, a fixed-length tuple a JSON array of
  that length;
* ``metadata`` keys ``ge``/``le``/``min_length`` become constraints and
  ``doc`` becomes the description;
* every object forbids unknown keys and nothing is coerced (strict mode).

No code of another distribution runs here, and no other distribution's
metadata is read. The schemas are written with the public
:mod:`pydantic_core.core_schema` API and checked by
:class:`pydantic_core.SchemaValidator` directly. pydantic's plugin hook (which
imports every entry point of the ``pydantic`` group and reads every installed
distribution's ``entry_points.txt``) lives in pydantic's own model and
``TypeAdapter`` machinery, which this module never uses: validation does not
even import :mod:`pydantic`. The JSON Schema is generated from the same core
schema with pydantic's public :class:`~pydantic.json_schema.GenerateJsonSchema`
(defaults encoded by :func:`pydantic_core.to_jsonable_python`, not by a
``TypeAdapter``). The caller's environment (``PYDANTIC_DISABLE_PLUGINS``
included) and the caller's own pydantic models are never touched.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
from pydantic_core import SchemaValidator, ValidationError, core_schema

from allykit.catalog._schema_keys import METADATA_DESCRIPTION, METADATA_TITLE
from allykit.errors import Problem, short_repr

__all__ = [
    "ID_PATTERN",
    "Document",
    "document_schema",
    "json_schema",
    "problems_from",
    "validate",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_MAX = 80
_TEXT_PATTERN = r"\S"
#: Every object's config, and each schema says ``strict=True`` itself too: a
#: typed dict validates with its own config, not the validator's.
_CONFIG = core_schema.CoreConfig(strict=True, extra_fields_behavior="forbid")
#: The fields every document adds to its class's: ``$schema`` and ``schema_version``.
_DOCUMENT_FIELDS = ("$schema", "schema_version")


@attrs.frozen
class Document:
    """The validation schema of one file format.

    Attributes:
        cls: The attrs class a valid document builds.
        title: The format's title, such as ``'allykit framework'``.
        schema: The core schema (a ``definitions`` schema: the document
            inline, each nested class once, by reference).
        validator: The validator built from *schema*.
        shapes: For each object's reference (``""`` for the document), its
            field names and, per field, the reference of the object the field
            holds (or None): what "allowed fields" hints are made of.
    """

    cls: type[Any]
    title: str
    schema: core_schema.CoreSchema
    validator: SchemaValidator
    shapes: Mapping[str, Mapping[str, str | None]]


_documents: dict[tuple[type[Any], str], Document] = {}


def document_schema(cls: type[Any], *, title: str) -> Document:
    """Return the schema of a file: *cls* plus ``$schema`` and ``schema_version``.

    Built once per class and title (building is pure: two threads racing
    build equal schemas, and either is kept).
    """
    key = (cls, title)
    found = _documents.get(key)
    if found is None:
        found = _documents.setdefault(key, _build_document(cls, title))
    return found


def _build_document(cls: type[Any], title: str) -> Document:
    builder = _Builder()
    fields, shape = builder.fields(cls)
    fields["$schema"] = core_schema.typed_dict_field(
        core_schema.with_default_schema(
            core_schema.nullable_schema(core_schema.str_schema(strict=True)),
            default=None,
        ),
        required=False,
        metadata={METADATA_DESCRIPTION: "Optional pointer to this JSON Schema."},
    )
    fields["schema_version"] = core_schema.typed_dict_field(
        core_schema.with_default_schema(core_schema.literal_schema([1]), default=1),
        required=False,
        metadata={METADATA_DESCRIPTION: "Version of the file format."},
    )
    shape = {**shape, "$schema": None, "schema_version": None}
    document = core_schema.typed_dict_schema(
        fields, extra_behavior="forbid", config=_CONFIG
    )
    schema = core_schema.definitions_schema(
        document, [d for d in builder.definitions.values() if d is not None]
    )
    return Document(
        cls=cls,
        title=title,
        schema=schema,
        validator=SchemaValidator(schema, _CONFIG),
        shapes={"": shape, **builder.shapes},
    )


def _ref(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_id_type(tp: Any) -> bool:
    return getattr(tp, "__supertype__", None) is str and str(
        getattr(tp, "__name__", "")
    ).endswith("Id")


def _list_to_tuple(value: Any) -> Any:
    """A JSON array where a fixed-length tuple is wanted (strict mode wants a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def _plain_default(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _innermost_class(tp: Any) -> type[Any] | None:
    """Return the first attrs class inside the annotation *tp*, if any."""
    if attrs.has(tp):
        return typing.cast("type[Any]", tp)
    supertype = getattr(tp, "__supertype__", None)
    if supertype is not None:
        return _innermost_class(supertype)
    for arg in typing.get_args(tp):
        found = _innermost_class(arg)
        if found is not None:
            return found
    return None


def _constrained(
    schema: core_schema.CoreSchema, constraints: Mapping[str, Any]
) -> core_schema.CoreSchema:
    """Return *schema* with ``ge``/``le``/``min_length`` set where they apply.

    A nullable schema takes them on the value it holds (as pydantic does).
    """
    if not constraints:
        return schema
    if schema["type"] == "nullable":
        inner = _constrained(schema["schema"], constraints)
        return core_schema.nullable_schema(inner)
    allowed = {
        "int": {"ge", "le"},
        "float": {"ge", "le"},
        "str": {"min_length"},
        "list": {"min_length"},
    }.get(schema["type"], set())
    unusable = set(constraints) - allowed
    if unusable:  # a mistake in a domain class, found by the schema tests
        msg = f"constraints {sorted(unusable)} do not apply to {schema['type']}"
        raise TypeError(msg)
    return typing.cast("core_schema.CoreSchema", {**schema, **constraints})


class _Builder:
    """Builds core schemas for attrs classes, each nested class once."""

    def __init__(self) -> None:
        # None while a class is being built (a class that holds itself).
        self.definitions: dict[str, core_schema.CoreSchema | None] = {}
        self.shapes: dict[str, dict[str, str | None]] = {}

    def fields(
        self, cls: type[Any]
    ) -> tuple[dict[str, core_schema.TypedDictField], dict[str, str | None]]:
        """Return the typed-dict fields of *cls* and its shape."""
        hints = typing.get_type_hints(cls, include_extras=True)
        fields: dict[str, core_schema.TypedDictField] = {}
        shape: dict[str, str | None] = {}
        for field in attrs.fields(cls):
            if not field.init:
                continue
            has_default = field.default is not attrs.NOTHING
            tp = hints[field.name]
            schema = self.schema_for(tp, required_text=not has_default)
            meta = dict(field.metadata)
            doc = str(meta.pop("doc", ""))
            schema = _constrained(
                schema,
                {k: v for k, v in meta.items() if k in {"ge", "le", "min_length"}},
            )
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                # A fresh default each time: the schema shows one (and none
                # where the factory needs the object itself).
                default = attrs.NOTHING if default.takes_self else default.factory()
            if default is not attrs.NOTHING:
                schema = core_schema.with_default_schema(
                    schema, default=_plain_default(default)
                )
            fields[field.name] = core_schema.typed_dict_field(
                schema,
                required=not has_default,
                metadata={METADATA_DESCRIPTION: doc} if doc else None,
            )
            inner = _innermost_class(tp)
            shape[field.name] = None if inner is None else _ref(inner)
        return fields, shape

    def reference(self, cls: type[Any]) -> core_schema.CoreSchema:
        """Return a reference to *cls*'s object schema, building it once."""
        ref = _ref(cls)
        if ref not in self.definitions:
            self.definitions[ref] = None
            fields, shape = self.fields(cls)
            self.shapes[ref] = shape
            self.definitions[ref] = core_schema.typed_dict_schema(
                fields,
                extra_behavior="forbid",
                config=_CONFIG,
                ref=ref,
                metadata={METADATA_TITLE: cls.__name__},
            )
        return core_schema.definition_reference_schema(ref)

    def schema_for(  # noqa: PLR0911 -- one branch per kind
        self, tp: Any, *, required_text: bool
    ) -> core_schema.CoreSchema:
        """Return the core schema of the annotation *tp*."""
        if _is_id_type(tp):
            return core_schema.str_schema(
                pattern=ID_PATTERN, max_length=_ID_MAX, strict=True
            )
        supertype = getattr(tp, "__supertype__", None)
        if supertype is not None:
            return self.schema_for(supertype, required_text=required_text)
        if attrs.has(tp):
            return self.reference(tp)
        scalar = _scalar(tp, required_text=required_text)
        if scalar is not None:
            return scalar
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004 -- tuple[X, ...]
                return core_schema.list_schema(
                    self.schema_for(args[0], required_text=True), strict=True
                )
            # A fixed-length tuple, such as (id, number) pairs: a JSON array.
            members = [self.schema_for(a, required_text=True) for a in args]
            return core_schema.no_info_before_validator_function(
                _list_to_tuple, core_schema.tuple_schema(members, strict=True)
            )
        if origin in (typing.Union, types.UnionType):
            return self._union(args, required_text=required_text)
        if origin is Literal:
            return core_schema.literal_schema(list(args))
        if origin in (dict, Mapping):
            key_type, value_type = args
            return core_schema.dict_schema(
                self.schema_for(key_type, required_text=True),
                self.schema_for(value_type, required_text=True),
                strict=True,
            )
        msg = f"no file format for the annotation {tp!r}"
        raise TypeError(msg)

    def _union(
        self, args: Sequence[Any], *, required_text: bool
    ) -> core_schema.CoreSchema:
        members: list[core_schema.CoreSchema | tuple[core_schema.CoreSchema, str]] = [
            self.schema_for(a, required_text=required_text)
            for a in args
            if a is not type(None)
        ]
        inner = (
            typing.cast("core_schema.CoreSchema", members[0])
            if len(members) == 1
            else core_schema.union_schema(members)
        )
        if len(members) < len(args):
            return core_schema.nullable_schema(inner)
        return inner


def _scalar(tp: Any, *, required_text: bool) -> core_schema.CoreSchema | None:
    if tp is str:
        if required_text:
            return core_schema.str_schema(pattern=_TEXT_PATTERN, strict=True)
        return core_schema.str_schema(strict=True)
    if tp is bool:
        return core_schema.bool_schema(strict=True)
    if tp is int:
        return core_schema.int_schema(strict=True)
    if tp is float:
        # Strict mode takes whole numbers where a float is wanted and refuses
        # bools and strings ("1.5").
        return core_schema.float_schema(strict=True)
    return None


def json_schema(cls: type[Any], *, title: str, description: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the file format for *cls*."""
    from allykit.catalog._json_schema import generate

    schema = generate(document_schema(cls, title=title).schema)
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
    }
    result.update({k: v for k, v in schema.items() if k != "title"})
    return result


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _fields_at(document: Document, loc: Sequence[int | str]) -> list[str]:
    """Return the field names of the object found at *loc*, best effort."""
    shape = document.shapes[""]
    for part in loc:
        if isinstance(part, int):
            continue
        if part not in shape:
            return []
        child = shape[part]
        if child is None:
            return []
        shape = document.shapes[child]
    return sorted(shape)


_HINTS = {
    "missing": "add this field",
    "string_pattern_mismatch": (
        "ids are kebab-case: lower-case letters and digits joined by single "
        "hyphens, like 'self-examination'"
    ),
    "string_too_long": "shorten it",
    "greater_than_equal": "use a larger number",
    "less_than_equal": "use a smaller number",
}


def problems_from(error: ValidationError, document: Document) -> list[Problem]:
    """Convert a validation error into allykit problems (nothing pydantic escapes)."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        kind = detail["type"]
        message = detail["msg"]
        message = message[:1].lower() + message[1:]
        hint = _HINTS.get(kind, "")
        value = "" if kind == "missing" else short_repr(detail.get("input"))
        if kind == "extra_forbidden":
            message = "unknown field"
            value = ""
            allowed = _fields_at(document, loc[:-1])
            if allowed:
                from allykit._suggest import closest

                near = closest(str(loc[-1]), allowed, limit=1)
                hint = (f"did you mean {near[0]!r}? " if near else "") + (
                    "allowed fields: " + ", ".join(allowed)
                )
        elif kind == "string_pattern_mismatch":
            if _TEXT_PATTERN in str(detail.get("ctx", {}).get("pattern", "")):
                message = "must not be empty or blank"
                hint = "write some text"
            else:
                message = "not a valid id"
        problems.append(
            Problem(path=_path(loc), message=message, value=value, hint=hint)
        )
    return problems


def validate(document: Document, data: Any) -> list[Problem]:
    """Validate *data* against *document*; return the problems (empty when valid).

    >>> from allykit.models.framework import Stage
    >>> document = document_schema(Stage, title="stage")
    >>> [p.path for p in validate(document, {"id": "one", "name": "One",
    ...     "position": "1", "summary": "S.", "nmae": "x"})]
    ['position', 'nmae']
    """
    try:
        document.validator.validate_python(data)
    except ValidationError as error:
        return problems_from(error, document)
    return []
