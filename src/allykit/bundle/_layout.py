"""The bundle's layout: its fixed files, schemas, declarations and index format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from allykit.catalog import KINDS

__all__ = [
    "BUNDLE_FORMAT",
    "DEFAULT_NAME",
    "INDEX_FILE",
    "MARKER_FILE",
    "SCHEMA_FILES",
    "TYPE_FILES",
    "index_json_schema",
]

#: Version of the bundle's layout and index (``index.json``'s ``format``).
BUNDLE_FORMAT = 1

#: The npm package name of a bundle unless the caller names another.
DEFAULT_NAME = "allykit-catalogue"

#: The JSON Schemas a bundle holds (``schemas/``), by the kind they describe.
#: ``history`` and ``journey`` are the formats of files apps keep themselves;
#: ``bundle-index`` describes ``index.json``.
SCHEMA_FILES: Mapping[str, str] = {
    "framework": "framework.schema.json",
    "instrument": "instrument.schema.json",
    "crosswalk": "crosswalk.schema.json",
    "scale": "scale.schema.json",
    "history": "history.schema.json",
    "journey": "journey.schema.json",
    "bundle-index": "bundle-index.schema.json",
}

#: The TypeScript declarations a bundle holds (``types/``), generated from
#: the schemas by ``scripts/generate_types.py``; ``index.d.ts`` re-exports
#: each file's top-level type.
TYPE_FILES: tuple[str, ...] = (
    *(f"{stem}.d.ts" for stem in SCHEMA_FILES),
    "index.d.ts",
)

#: The index of what the bundle holds, and the npm manifest, at its top.
INDEX_FILE = "index.json"
MARKER_FILE = "package.json"

_HEX64 = "^[0-9a-f]{64}$"


def index_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a bundle's ``index.json`` (draft 2020-12).

    Its ``Citation`` and ``Licence`` are the document formats' own, so a
    change there reaches the index too; ``scripts/generate_schemas.py``
    writes it into ``data/schemas/bundle-index.schema.json``.

    >>> index_json_schema()["title"]
    'allykit bundle index'
    """
    from allykit.catalog import json_schema

    formats = json_schema(KINDS["framework"])["$defs"]
    folders = "|".join(kind.folder for kind in KINDS.values())
    document = {
        "type": "object",
        "title": "BundleDocument",
        "description": "One document of the bundle.",
        "additionalProperties": False,
        "required": [
            "kind",
            "id",
            "name",
            "path",
            "version",
            "content_hash",
            "sha256",
            "source",
            "licence",
            "citations",
        ],
        "properties": {
            "kind": {
                "enum": list(KINDS),
                "description": "The kind of document, which names its schema.",
            },
            "id": {
                "type": "string",
                "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                "description": "The document's id, unique within its kind.",
            },
            "name": {"type": "string", "description": "Human-readable title."},
            "path": {
                "type": "string",
                "pattern": f"^({folders})/[a-z0-9-]+\\.json$",
                "description": "The document's file, relative to the bundle.",
            },
            "version": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "The document's data_version (or an "
                "instrument's version), or null.",
            },
            "content_hash": {
                "type": "string",
                "pattern": _HEX64,
                "description": "allykit's content hash: SHA-256 of the "
                "document's canonical JSON without $schema (Python: "
                "document.content_hash).",
            },
            "sha256": {
                "type": "string",
                "pattern": _HEX64,
                "description": "SHA-256 of the file's bytes.",
            },
            "source": {
                "type": "string",
                "description": '"bundled", the plugin package that provides it, '
                'or "file: NAME" for the caller\'s own file.',
            },
            "licence": {"$ref": "#/$defs/Licence"},
            "citations": {
                "type": "array",
                "items": {"$ref": "#/$defs/Citation"},
                "description": "The works the document cites.",
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "allykit bundle index",
        "description": "index.json of a catalogue bundle written by allykit "
        "bundle: what it holds, with versions, hashes, licences and "
        "citations. See docs/bundle.md.",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "format",
            "name",
            "version",
            "allykit_version",
            "licence",
            "schemas",
            "documents",
        ],
        "properties": {
            "$schema": {
                "type": "string",
                "description": "Pointer to this JSON Schema.",
            },
            "format": {
                "const": BUNDLE_FORMAT,
                "description": "Version of the bundle layout and of this index.",
            },
            "name": {"type": "string", "description": "The npm package name."},
            "version": {"type": "string", "description": "The npm package version."},
            "allykit_version": {
                "type": "string",
                "description": "The allykit version that wrote the bundle.",
            },
            "licence": {
                "type": "string",
                "description": "SPDX expression of what the bundle holds, or "
                "SEE LICENSE IN LICENCE.md.",
            },
            "schemas": {
                "type": "object",
                "additionalProperties": False,
                "required": list(SCHEMA_FILES),
                "properties": {name: {"type": "string"} for name in SCHEMA_FILES},
                "description": "Path of each JSON Schema, by what it describes.",
            },
            "documents": {
                "type": "array",
                "items": {"$ref": "#/$defs/BundleDocument"},
                "description": "Every document, frameworks first, then "
                "instruments, crosswalks and scales, each by id.",
            },
        },
        "$defs": {
            "BundleDocument": document,
            "Citation": formats["Citation"],
            "Licence": formats["Licence"],
        },
    }
