"""JSON Schema of the file formats, generated from their core schemas.

pydantic's public :class:`~pydantic.json_schema.GenerateJsonSchema` turns the
core schemas of :mod:`allykit.catalog._schema` into JSON Schema (draft
2020-12); the subclass here adds what a core schema carries in its metadata
(each object's title, each field's description) and encodes defaults with
:func:`pydantic_core.to_jsonable_python`. pydantic's own default encoder builds
a ``TypeAdapter``, which would reach pydantic's plugin hook; this one builds
no validator at all. Only schema generation imports this module (and so
:mod:`pydantic`); validation does not.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema, to_jsonable_python

from allykit.catalog._schema_keys import METADATA_DESCRIPTION, METADATA_TITLE

__all__ = ["generate"]


class _Generator(GenerateJsonSchema):
    """pydantic's generator, reading allykit's titles and descriptions."""

    def typed_dict_schema(self, schema: core_schema.TypedDictSchema) -> JsonSchemaValue:
        """Add the object's title (its class's name) and close it to other keys."""
        result = super().typed_dict_schema(schema)
        if schema.get("extra_behavior") == "forbid":  # said by every pydantic
            result["additionalProperties"] = False
        title = (schema.get("metadata") or {}).get(METADATA_TITLE)
        if title:
            result["title"] = title
        return result

    def typed_dict_field_schema(
        self, schema: core_schema.TypedDictField
    ) -> JsonSchemaValue:
        """Add the field's description from the metadata."""
        result = dict(super().typed_dict_field_schema(schema))
        doc = (schema.get("metadata") or {}).get(METADATA_DESCRIPTION)
        if doc:
            result["description"] = doc
        return result

    def encode_default(self, dft: Any) -> Any:
        """Encode a default as JSON without building a validator."""
        return to_jsonable_python(dft)


def generate(schema: CoreSchema) -> dict[str, Any]:
    """Return the JSON Schema (validation mode) of the core *schema*."""
    return _Generator(by_alias=True).generate(schema, mode="validation")
