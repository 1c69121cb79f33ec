"""pydantic models of the on-disk formats, derived from the attrs classes.

This is the only module that imports pydantic, and only the loaders of
untrusted data import it (lazily). The models are generated from the attrs
fields of :mod:`allykit.models.framework` (and any other domain module), so the file
format, the JSON Schema and the Python objects cannot drift apart.

Rules of the derivation:

* ``*Id`` NewTypes become kebab-case strings (``^[a-z0-9]+(-[a-z0-9]+)*$``);
* a ``str`` field without a default must be non-blank;
* ``tuple[X, ...]`` becomes a JSON array;
* ``metadata`` keys ``ge``/``le``/``min_length`` become constraints and
  ``doc`` becomes the description;
* every object forbids unknown keys and nothing is coerced (strict mode).

No code of another distribution runs here. pydantic, when it first builds a
validator, imports every entry point in its ``pydantic`` group (its
"plugins") and reads every installed distribution's ``entry_points.txt`` to
find them. allykit builds its models inside :func:`_without_plugins`, which
holds pydantic's own "plugins are being loaded, use none" flag for the
build, so that hook is never reached: no plugin is imported, no other
distribution's metadata is read, and the caller's environment
(``PYDANTIC_DISABLE_PLUGINS``) and the caller's own models are untouched.
"""

from __future__ import annotations

import contextlib
import os
import threading
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal

import attrs
import pydantic

from allykit.errors import Problem, short_repr

__all__ = [
    "ID_PATTERN",
    "document_model",
    "json_schema",
    "model_for",
    "problems_from",
    "validate",
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_MAX = 80
_STRICT = pydantic.ConfigDict(extra="forbid", strict=True)

_IdStr = Annotated[
    str, pydantic.StringConstraints(pattern=ID_PATTERN, max_length=_ID_MAX)
]
_Text = Annotated[str, pydantic.StringConstraints(pattern=r"\S")]


def _is_id_type(tp: Any) -> bool:
    return getattr(tp, "__supertype__", None) is str and str(
        getattr(tp, "__name__", "")
    ).endswith("Id")


def _annotation_for(tp: Any, *, required_text: bool) -> Any:  # noqa: PLR0911 -- one branch per kind
    if _is_id_type(tp):
        return _IdStr
    supertype = getattr(tp, "__supertype__", None)
    if supertype is not None:
        return _annotation_for(supertype, required_text=required_text)
    if attrs.has(tp):
        return model_for(tp)
    if tp is str:
        return _Text if required_text else str
    if tp is float:
        # Whole numbers are fine where a float is wanted (strict mode
        # already refuses bools and strings).
        return Annotated[float, pydantic.Strict(strict=False)]
    origin = typing.get_origin(tp)
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return list[_annotation_for(inner, required_text=True)]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        args = tuple(
            _annotation_for(a, required_text=required_text) for a in typing.get_args(tp)
        )
        return typing.Union[args]  # noqa: UP007 -- built at run time
    if origin in (dict, Mapping):
        key_type, value_type = typing.get_args(tp)
        return dict[  # type: ignore[misc]
            _annotation_for(key_type, required_text=True),
            _annotation_for(value_type, required_text=True),
        ]
    return tp


_models: dict[tuple[type[Any], str], type[pydantic.BaseModel]] = {}
# Held while models are built: one build at a time, pydantic's flag restored
# by the build that set it.
_building = threading.RLock()


@contextlib.contextmanager
def _without_plugins() -> Iterator[None]:
    """Build pydantic models without pydantic's plugin hook.

    pydantic's ``get_plugins()`` returns no plugins, before reading any
    metadata, while its module flag ``_loading_plugins`` is set (the flag
    pydantic itself sets while it imports plugins). The flag is set only for
    the build of allykit's models and restored afterwards. Should a future
    pydantic drop the flag, its documented switch, the environment variable
    ``PYDANTIC_DISABLE_PLUGINS``, is set for the build instead and restored
    (the tests fail loudly if the flag is missing, so that is noticed).
    """
    from pydantic.plugin import _loader

    with _building:
        if hasattr(_loader, "_loading_plugins"):
            before = _loader._loading_plugins  # noqa: SLF001 -- see docstring
            _loader._loading_plugins = True  # noqa: SLF001
            try:
                yield
            finally:
                _loader._loading_plugins = before  # noqa: SLF001
            return
        name = "PYDANTIC_DISABLE_PLUGINS"  # pragma: no cover -- see above
        previous = os.environ.get(name)  # pragma: no cover
        os.environ[name] = "__all__"  # pragma: no cover
        try:  # pragma: no cover
            yield
        finally:  # pragma: no cover
            if previous is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = previous


def model_for(cls: type[Any]) -> type[pydantic.BaseModel]:
    """Return the strict pydantic model that validates plain data for *cls*."""
    key = (cls, "")
    if key in _models:
        return _models[key]
    with _without_plugins():
        return _build_model(cls, key)


def _build_model(
    cls: type[Any], key: tuple[type[Any], str]
) -> type[pydantic.BaseModel]:
    if key in _models:  # built by another thread meanwhile
        return _models[key]
    hints = typing.get_type_hints(cls, include_extras=True)
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue
        has_default = field.default is not attrs.NOTHING
        annotation = _annotation_for(hints[field.name], required_text=not has_default)
        meta = dict(field.metadata)
        info = pydantic.Field(
            default=_plain_default(field.default) if has_default else ...,
            description=str(meta.pop("doc", "")) or None,
            **{k: v for k, v in meta.items() if k in {"ge", "le", "min_length"}},
        )
        fields[field.name] = (annotation, info)
    model: type[pydantic.BaseModel] = pydantic.create_model(
        cls.__name__, __config__=_STRICT, **fields
    )
    _models[key] = model
    return model


def _plain_default(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def document_model(cls: type[Any], *, title: str) -> type[pydantic.BaseModel]:
    """Return the model of a file: *cls* plus ``$schema`` and ``schema_version``."""
    key = (cls, title)
    if key in _models:
        return _models[key]
    base = model_for(cls)
    with _without_plugins():
        if key in _models:
            return _models[key]
        model = _document(base, title)
    _models[key] = model
    return model


def _document(base: type[pydantic.BaseModel], title: str) -> type[pydantic.BaseModel]:
    model: type[pydantic.BaseModel] = pydantic.create_model(
        title.replace(" ", ""),
        __base__=base,
        schema_=(
            str | None,
            pydantic.Field(
                default=None,
                alias="$schema",
                description="Optional pointer to this JSON Schema.",
            ),
        ),
        schema_version=(
            Literal[1],
            pydantic.Field(default=1, description="Version of the file format."),
        ),
    )
    return model


def json_schema(cls: type[Any], *, title: str, description: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the file format for *cls*."""
    model = document_model(cls, title=title)
    schema = model.model_json_schema(by_alias=True)
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


def _fields_at(model: type[pydantic.BaseModel], loc: Sequence[int | str]) -> list[str]:
    """Return the field names of the object found at *loc*, best effort."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _innermost_model(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return sorted(info.alias or name for name, info in fields.items())


def _innermost_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _innermost_model(arg)
        if found is not None:
            return found
    return None


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


def problems_from(
    error: pydantic.ValidationError, model: type[pydantic.BaseModel]
) -> list[Problem]:
    """Convert a pydantic error into allykit problems (nothing pydantic escapes)."""
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
            allowed = _fields_at(model, loc[:-1])
            if allowed:
                from allykit._suggest import closest

                near = closest(str(loc[-1]), allowed, limit=1)
                hint = (f"did you mean {near[0]!r}? " if near else "") + (
                    "allowed fields: " + ", ".join(allowed)
                )
        elif kind == "string_pattern_mismatch":
            if "\\S" in str(detail.get("ctx", {}).get("pattern", "")):
                message = "must not be empty or blank"
                hint = "write some text"
            else:
                message = "not a valid id"
        problems.append(
            Problem(path=_path(loc), message=message, value=value, hint=hint)
        )
    return problems


def validate(model: type[pydantic.BaseModel], data: Any) -> list[Problem]:
    """Validate *data* against *model*; return the problems (empty when valid)."""
    try:
        model.model_validate(data, by_alias=True, by_name=True)
    except pydantic.ValidationError as error:
        return problems_from(error, model)
    return []
