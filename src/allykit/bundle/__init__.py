"""The catalogue as a folder an npm project can depend on: JSON, schemas and types.

:func:`build_bundle` gathers the bundled documents (and, when asked, the
documents of installed plugins and the caller's own files) into a
:class:`Bundle`: one JSON file per document, an ``index.json`` (ids, kinds,
versions, content hashes, licences and citations), the JSON Schemas of the
file formats, TypeScript declarations generated from those schemas, a
``LICENCE.md`` and a ``package.json``. :func:`write_bundle` writes it into a
folder. Nothing in a bundle is fetched at run time, and the same inputs give
the same bytes: keys in a fixed order, Unix line ends, no time stamps, no
absolute paths.

The bundle's version is allykit's own version, so ``allykit-frameworks
0.4.0`` on PyPI and ``allykit-catalogue@0.4.0`` on npm hold the same data.
A bundle with plugin documents or the caller's files gets build metadata
after a ``+`` (``0.4.0+custom.<hash>``), derived from what it holds.

>>> bundle = build_bundle()
>>> bundle.name
'allykit-catalogue'
>>> "frameworks/ally-model.json" in bundle.files
True
>>> bundle.licence
'CC-BY-4.0 AND CC-BY-SA-4.0'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from allykit.bundle._folder import inside, prepare_folder
from allykit.bundle._layout import (
    BUNDLE_FORMAT,
    DEFAULT_NAME,
    INDEX_FILE,
    MARKER_FILE,
    SCHEMA_FILES,
    TYPE_FILES,
    index_json_schema,
)
from allykit.catalog import KINDS, Kind, from_mapping, read_json_file
from allykit.catalog._kinds import guess_kind
from allykit.catalog._resources import read_package_file, read_schema
from allykit.catalog._store import bundled_ids, load, sources_of
from allykit.errors import InvalidArgumentError, short_repr
from allykit.outputs import as_path, write_text_atomic

__all__ = [
    "BUNDLE_FORMAT",
    "DEFAULT_NAME",
    "SCHEMA_FILES",
    "TYPE_FILES",
    "Bundle",
    "build_bundle",
    "index_json_schema",
    "write_bundle",
]

# npm's rules for a package name (validate-npm-package-name), lower case.
_NPM_NAME = re.compile(r"^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")
_NPM_NAME_LIMIT = 214
# Semantic Versioning 2.0.0, the grammar npm accepts.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_SPDX_ID = re.compile(r"^[A-Za-z0-9.+-]+$")


@attrs.frozen
class Bundle:
    """A catalogue bundle in memory, ready to write.

    Attributes:
        name: The npm package name.
        version: The npm package version.
        licence: The SPDX expression of what the bundle holds (``package.json``
            ``license``), or ``"SEE LICENSE IN LICENCE.md"`` when a document
            has no SPDX id.
        index: The parsed ``index.json``.
        files: Every file, by its path inside the bundle (``/``-separated,
            sorted), as the exact bytes written (a read-only mapping).
    """

    name: str
    version: str
    licence: str
    index: Mapping[str, Any] = attrs.field(repr=False)
    files: Mapping[str, bytes] = attrs.field(repr=False)

    @property
    def documents(self) -> tuple[Mapping[str, Any], ...]:
        """The index's entry for each document, in bundle order."""
        return tuple(self.index["documents"])


def _json_bytes(data: Any, *, sort_keys: bool = False) -> bytes:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    return (text + "\n").encode("utf-8")


def _allykit_version() -> str:
    from importlib.metadata import version

    return version("allykit-frameworks")


def _check_name(name: object) -> str:
    if (
        not isinstance(name, str)
        or len(name) > _NPM_NAME_LIMIT
        or not _NPM_NAME.fullmatch(name)
    ):
        msg = (
            f"name={short_repr(name)} is not an npm package name; use lower-case "
            f"letters, digits, '-', '.', '_' (optionally @scope/name), at most "
            f"{_NPM_NAME_LIMIT} characters, e.g. {DEFAULT_NAME!r}"
        )
        raise InvalidArgumentError(msg)
    return name


def _check_version(version: object) -> str:
    if not isinstance(version, str) or not _SEMVER.fullmatch(version):
        msg = (
            f"version={short_repr(version)} is not a semantic version; "
            "use MAJOR.MINOR.PATCH, e.g. '1.2.0' or '1.2.0-beta.1'"
        )
        raise InvalidArgumentError(msg)
    return version


def _spdx_expression(ids: Iterable[str | None]) -> str:
    """Return the SPDX expression for documents under *ids* (None: no SPDX id)."""
    found = set(ids)
    if not found or None in found:
        return "SEE LICENSE IN LICENCE.md"
    parts = [
        spdx if _SPDX_ID.fullmatch(spdx) else f"({spdx})"
        for spdx in sorted(str(i) for i in found)
    ]
    return " AND ".join(parts)


def _citations(data: Mapping[str, Any]) -> list[Any]:
    if "citations" in data:
        return list(data["citations"])
    citation = data.get("citation")
    return [citation] if citation is not None else []


class _Entry:
    """One document on its way into the bundle."""

    __slots__ = ("data", "document", "kind", "source")

    def __init__(self, kind: Kind, document: Any, source: str) -> None:
        self.kind = kind
        self.document = document
        self.source = source
        self.data: dict[str, Any] = document.to_dict()

    @property
    def item_id(self) -> str:
        return str(self.data["id"])

    @property
    def path(self) -> str:
        return f"{self.kind.folder}/{self.item_id}.json"

    def file_bytes(self) -> bytes:
        schema = f"../schemas/{SCHEMA_FILES[self.kind.name]}"
        return _json_bytes({"$schema": schema, **self.data})

    def index_entry(self, file_bytes: bytes) -> dict[str, Any]:
        data = self.data
        version = data.get("data_version", data.get("version"))
        return {
            "kind": self.kind.name,
            "id": self.item_id,
            "name": data.get("name", self.item_id),
            "path": self.path,
            "version": version,
            "content_hash": self.document.content_hash,
            "sha256": hashlib.sha256(file_bytes).hexdigest(),
            "source": self.source,
            "licence": data["licence"],
            "citations": _citations(data),
        }


def _catalogue_entries(*, plugins: bool) -> list[_Entry]:
    entries: list[_Entry] = []
    for kind in KINDS.values():
        if plugins and kind.plugins:
            sources = sources_of(kind.folder)
        else:
            sources = dict.fromkeys(bundled_ids(kind.folder), "bundled")
        entries.extend(
            _Entry(kind, load(kind, item_id), source)
            for item_id, source in sources.items()
        )
    return entries


def _file_entry(path: object) -> _Entry:
    """Read the caller's file once, by the catalogue's rules, and build it."""
    file = as_path(path, "each of files")
    # The same caps, regular-file rule and strict JSON as every user file.
    data = read_json_file(file)
    kind = guess_kind(data)
    document = from_mapping(kind, data, source=str(file))
    return _Entry(kind, document, f"file: {file.name}")


def _add_files(
    entries: list[_Entry], files: Iterable[str | os.PathLike[str]]
) -> list[_Entry]:
    if isinstance(files, (str, bytes, os.PathLike)):
        msg = (
            f"files={short_repr(files)} must be a list of paths, not one path; "
            "wrap it: files=[path]"
        )
        raise InvalidArgumentError(msg)
    if not isinstance(files, Iterable):
        msg = f"files must be a list of paths, not {short_repr(files)}"
        raise InvalidArgumentError(msg)
    taken = {(e.kind.name, e.item_id): e.source for e in entries}
    added = []
    for path in files:
        entry = _file_entry(path)
        key = (entry.kind.name, entry.item_id)
        if key in taken:
            msg = (
                f"{entry.source[6:]!r} holds the {entry.kind.name} "
                f"{entry.item_id!r}, which the bundle already has from "
                f"{taken[key]}; give your file another id"
            )
            raise InvalidArgumentError(msg)
        taken[key] = entry.source
        added.append(entry)
    return [*entries, *added]


_KIND_ORDER = {name: position for position, name in enumerate(KINDS)}


def _check_references(entries: list[_Entry]) -> None:
    """Refuse a bundle whose instruments or crosswalks name a framework it lacks."""
    frameworks = {e.item_id for e in entries if e.kind.name == "framework"}
    for entry in entries:
        if entry.kind.name == "instrument":
            wanted = [entry.data.get("framework")]
        elif entry.kind.name == "crosswalk":
            wanted = [entry.data.get("source"), entry.data.get("target")]
        else:
            continue
        for framework_id in wanted:
            if framework_id is not None and framework_id not in frameworks:
                msg = (
                    f"the {entry.kind.name} {entry.item_id!r} ({entry.source}) "
                    f"refers to the framework {framework_id!r}, which the bundle "
                    "does not hold; add it with plugins=True (--plugins) or as "
                    "one of your files (--file)"
                )
                raise InvalidArgumentError(msg)


def _readme(name: str, version: str, licence: str, count: int, base: str) -> str:
    return f"""# {name} {version}

allykit's catalogue of allyship frameworks, reflection inventories,
crosswalks and published-scale records as JSON, written by
`allykit bundle` (allykit {base}). {count} documents.

- `index.json`: every document's kind, id, name, path, version, content
  hash, SHA-256 of its file, source, licence and citations
  (`schemas/bundle-index.schema.json`, type `AllykitBundleIndex`).
- `frameworks/`, `instruments/`, `crosswalks/`, `scales/`: one JSON file per
  document, each naming its JSON Schema in `$schema`.
- `schemas/`: the JSON Schemas (draft 2020-12) of the file formats.
- `types/`: TypeScript declarations generated from those schemas
  (`import type {{ AllykitFramework }} from "{name}"`).

Nothing here is fetched at run time. Licence: {licence}; see `LICENCE.md`
for each document's licence and attribution. Do not edit these files by
hand: regenerate them with the allykit version whose data you want.
"""


def _licence_text(entries: list[_Entry], licence: str) -> str:
    lines = [
        "# Licences of this bundle",
        "",
        f"The bundle as a whole: {licence}. Each document keeps its own licence",
        "and attribution, listed below and in its file's `licence` field; cite",
        "the works in its `citations` when you show its content.",
        "",
    ]
    for entry in entries:
        licence_data = entry.data["licence"]
        spdx = licence_data.get("spdx") or "no SPDX id"
        url = licence_data.get("url")
        line = f"- `{entry.path}` ({spdx}"
        line += f", {url})" if url else ")"
        lines.append(f"{line}: {' '.join(str(licence_data['note']).split())}")
    return "\n".join(lines) + "\n"


def _package_json(name: str, version: str, licence: str, base: str) -> dict[str, Any]:
    return {
        "name": name,
        "version": version,
        "description": "allykit's catalogue of allyship frameworks as JSON, "
        "with JSON Schemas and TypeScript types "
        f"(written by allykit {base}).",
        "license": licence,
        "keywords": ["allyship", "allykit", "reflection", "json-schema"],
        "types": "./types/index.d.ts",
        "exports": {
            ".": {"types": "./types/index.d.ts"},
            "./package.json": "./package.json",
            "./*": "./*",
        },
        "files": [
            "LICENCE.md",
            "README.md",
            "index.json",
            *sorted({kind.folder for kind in KINDS.values()}),
            "schemas",
            "types",
        ],
        "sideEffects": False,
        "allykit": {"version": base, "bundle_format": BUNDLE_FORMAT},
    }


def build_bundle(
    *,
    plugins: bool = False,
    files: Iterable[str | os.PathLike[str]] = (),
    name: str = DEFAULT_NAME,
    version: str | None = None,
) -> Bundle:
    """Gather the catalogue into a :class:`Bundle` (nothing is written).

    Args:
        plugins: Also hold the documents of installed plugin packages.
        files: The caller's own document files (any kind, told from its
            keys); each is validated as :func:`allykit.catalog.from_file`
            does. An id the bundle already holds is refused.
        name: The npm package name.
        version: The npm package version; by default allykit's version,
            with ``+custom.<hash>`` when plugins or files add documents.

    Raises:
        InvalidArgumentError: If *name* or *version* is not valid for npm,
            or a file cannot be read or repeats an id.
        DataFileError: If a file or plugin document does not match its format.

    >>> bundle = build_bundle(version="1.0.0")
    >>> bundle.version, bundle.index["documents"][0]["path"]
    ('1.0.0', 'frameworks/action-continuum.json')
    """
    name = _check_name(name)
    if version is not None:
        version = _check_version(version)
    entries = _add_files(_catalogue_entries(plugins=plugins), files)
    entries.sort(key=lambda e: (_KIND_ORDER[e.kind.name], e.item_id))
    _check_references(entries)
    base = _allykit_version()
    out: dict[str, bytes] = {}
    documents = []
    for entry in entries:
        file_bytes = entry.file_bytes()
        out[entry.path] = file_bytes
        documents.append(entry.index_entry(file_bytes))
    if version is None:
        version = base
        if any(entry.source != "bundled" for entry in entries):
            digest = hashlib.sha256()
            for document in documents:
                digest.update(f"{document['path']}\0{document['sha256']}\n".encode())
            version = f"{base}+custom.{digest.hexdigest()[:12]}"
    licence = _spdx_expression(e.data["licence"].get("spdx") for e in entries)
    for schema_file in SCHEMA_FILES.values():
        out[f"schemas/{schema_file}"] = read_schema(schema_file).encode("utf-8")
    for type_file in TYPE_FILES:
        out[f"types/{type_file}"] = read_package_file("types", type_file).encode(
            "utf-8"
        )
    index = {
        "$schema": f"./schemas/{SCHEMA_FILES['bundle-index']}",
        "format": BUNDLE_FORMAT,
        "name": name,
        "version": version,
        "allykit_version": base,
        "licence": licence,
        "schemas": {
            kind: f"schemas/{schema_file}" for kind, schema_file in SCHEMA_FILES.items()
        },
        "documents": documents,
    }
    out[INDEX_FILE] = _json_bytes(index)
    out[MARKER_FILE] = _json_bytes(_package_json(name, version, licence, base))
    out["README.md"] = _readme(name, version, licence, len(entries), base).encode()
    out["LICENCE.md"] = _licence_text(entries, licence).encode("utf-8")
    return Bundle(
        name=name,
        version=version,
        licence=licence,
        index=index,
        files=MappingProxyType(dict(sorted(out.items()))),
    )


def write_bundle(  # noqa: PLR0913 -- build_bundle's options and overwrite
    directory: str | os.PathLike[str],
    *,
    plugins: bool = False,
    files: Iterable[str | os.PathLike[str]] = (),
    name: str = DEFAULT_NAME,
    version: str | None = None,
    overwrite: bool = False,
) -> Bundle:
    """Build the bundle (see :func:`build_bundle`) and write it into *directory*.

    The folder is created if needed and must be empty, unless *overwrite* is
    true and it holds an earlier bundle and nothing else: then that bundle's
    files are replaced. Nothing is written outside the folder (links in it are
    refused), and nothing is written at all when a check fails.

    Raises:
        InvalidArgumentError: If the folder is a file, is not empty (see
            above), or an argument is invalid.
        DataFileError: If a file or plugin document does not match its format.
    """
    given: object = files  # checked by build_bundle: a str or a number is refused
    if isinstance(given, Iterable) and not isinstance(given, (str, bytes, os.PathLike)):
        files = list(given)  # read twice: built, then kept from being replaced
    bundle = build_bundle(plugins=plugins, files=files, name=name, version=version)
    root = prepare_folder(
        as_path(directory, "directory"), overwrite=overwrite, reads=files
    )
    # The index and package.json first: a run cut short leaves a folder
    # that overwrite=True recognises as a bundle and replaces. Each file is
    # written whole (allykit.outputs), never half.
    first = (INDEX_FILE, MARKER_FILE)
    order = [*first, *(path for path in bundle.files if path not in first)]
    for relative in order:
        target = root.joinpath(*relative.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        if not inside(root, target.parent):
            msg = f"{relative!r} would be written outside {str(directory)!r}"
            raise InvalidArgumentError(msg)
        write_text_atomic(target, bundle.files[relative].decode("utf-8"))
    return bundle
