"""Data contributed by other installed packages, through entry points.

A package contributes frameworks, instruments or crosswalks by declaring an
entry point in the group ``allykit.frameworks``, ``allykit.instruments`` or
``allykit.crosswalks`` whose value is the dotted name of a package (or
folder-like module) holding ``<id>.json`` files::

    [project.entry-points."allykit.frameworks"]
    my-frameworks = "my_package.frameworks"

    [project.entry-points."allykit.instruments"]
    my-instruments = "my_package.instruments"

Each kind (the part after ``allykit.``) is discovered, cached and checked
for conflicts on its own; ids are one namespace per kind.

Safety: plugins are data. Nothing from an installed package is ever
imported, called or evaluated. The folder an entry point names is found
from its distribution's own metadata (``RECORD``, ``top_level.txt``, and the
folders of an editable install's ``.pth`` file that lie inside its install
location: the project folder its ``direct_url.json`` names, or the package
folders it installs), never through the import system, so no package
``__init__`` runs; an entry point naming a package that its distribution
does not install (a standard-library module, another
project's package) is refused, as is one with an attribute part
(``"pkg:object"``). The metadata files are read with a size cap and
decoded defensively: an unreadable or odd file of another distribution is
reported, never raised. The JSON files are untrusted data: each is read
with the same size cap as a user's file (never read whole first) and goes
through the same validation, when it is first loaded.

Discovery is lazy: the entry points are read on the first catalogue call
that needs the list of ids, and cached until :func:`allykit.clear_cache`.
They are found through :mod:`importlib.metadata`, which parses each
distribution's metadata, with the files handed to it by
:mod:`allykit.catalog._distribution` (capped, regular files only, strict
UTF-8), for the folders and zip archives on :data:`sys.path` alike;
:mod:`importlib.metadata` is imported then, not before.

Precedence, when two sources offer the same id: bundled data always wins
(an installed package cannot replace curated data); between plugins, the
first in order of (distribution name, entry point name) wins. Every
conflict, and every entry point or metadata file that cannot be used, is
reported once per discovery as a :class:`~allykit.errors.PluginWarning`
that names the distribution; :func:`problems` returns the same notes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from allykit._printable import printable
from allykit.catalog._metadata import (
    EntryPointInfo,
    Owner,
    is_regular_file,
    read_regular,
)
from allykit.errors import (
    DataFileError,
    PluginWarning,
    Problem,
    short_repr,
    warn,
)

if TYPE_CHECKING:
    from allykit.catalog._loading import Validator

__all__ = [
    "EntryPointInfo",
    "Owner",
    "PluginFile",
    "discover",
    "load_plugin_document",
    "problems",
    "reset",
]

_T = TypeVar("_T")
_SUFFIX = ".json"
_lock = threading.RLock()
_found: dict[str, dict[str, PluginFile]] = {}
_notes: dict[str, tuple[str, ...]] = {}
_loaded: dict[tuple[str, str], Any] = {}


@attrs.frozen(kw_only=True)
class PluginFile:
    """One JSON document offered by an installed package.

    Attributes:
        item_id: The id, taken from the file name.
        source: Human-readable origin: distribution, version, entry point, file.
        resource: Something with ``read_bytes()``: the file to read.
    """

    item_id: str
    source: str
    resource: Any = attrs.field(eq=False, repr=False)


def _group(kind: str) -> str:
    return f"allykit.{kind}"


def _entry_points(group: str) -> tuple[list[EntryPointInfo], list[str]]:
    from allykit.catalog._distribution import entry_points_of

    return entry_points_of(group)


def _label(point: EntryPointInfo) -> str:
    if not point.distribution:
        return f"entry point {point.name!r} ({point.value})"
    return f"{point.distribution} (entry point {point.name!r})"


class _File:
    """A plain file offered by a plugin package (what a traversable would be)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def read_bytes(self, limit: int) -> bytes:
        """Return at most *limit* bytes (a caller asks for one past its cap)."""
        raw = read_regular(self.path, limit)
        if raw is None:
            msg = "not a regular file"
            raise OSError(msg)
        return raw


class _Traversed:
    """A file inside a zip (or other traversable) offered by a plugin package."""

    def __init__(self, node: Any) -> None:
        self.node = node

    def read_bytes(self, limit: int) -> bytes:
        """Return at most *limit* bytes (a caller asks for one past its cap)."""
        with self.node.open("rb") as handle:
            return handle.read(limit)  # type: ignore[no-any-return]


def _folder_in(root: Any, parts: list[str]) -> Any:
    """Return the folder *parts* under *root* (a path or traversable), or None."""
    if isinstance(root, str):
        path = os.path.join(root, *parts)  # noqa: PTH118
        return path if os.path.isdir(path) else None  # noqa: PTH112
    node = root.joinpath(*parts)
    return node if node.is_dir() else None


def _listing(folder: Any) -> dict[str, Any]:
    if isinstance(folder, str):
        return {
            name: _File(os.path.join(folder, name))  # noqa: PTH118
            for name in sorted(os.listdir(folder))  # noqa: PTH208
            if is_regular_file(os.path.join(folder, name))  # noqa: PTH118
        }
    return {
        entry.name: _Traversed(entry)
        for entry in sorted(folder.iterdir(), key=lambda node: node.name)
        if entry.is_file()
    }


def _folders_of(point: EntryPointInfo, parts: list[str]) -> list[Any]:
    """Return the folders of the package *parts*, found without importing anything."""
    owner = point.owner
    if owner is None:
        import sys

        places: list[Any] = [entry or "." for entry in sys.path]
    else:
        places = []
        if parts[0] in owner.tops:
            places.extend(owner.roots)
        places.extend(
            root
            for root in owner.extra_roots
            if os.path.isdir(os.path.join(root, parts[0]))  # noqa: PTH112, PTH118
        )
        if not places:
            msg = (
                f"the package {parts[0]!r} is not one its distribution installs; "
                "an entry point may only name its own package"
            )
            raise ValueError(msg)
    folders = []
    for place in places:
        try:
            folder = _folder_in(place, parts)
        except (OSError, ValueError):
            continue
        if folder is not None:
            folders.append(folder)
    return folders


def _files_of(point: EntryPointInfo) -> list[tuple[str, Any]]:
    """Return ``(file name, readable)`` pairs of the entry point's package."""
    value = point.value.strip()
    if ":" in value or not value:
        msg = (
            f"the value {short_repr(value)} must name a package of JSON files "
            "(no ':attribute' part)"
        )
        raise ValueError(msg)
    parts = value.split(".")
    if not all(part.isidentifier() for part in parts):
        msg = f"the value {short_repr(value)} is not a dotted package name"
        raise ValueError(msg)
    folders = _folders_of(point, parts)
    if not folders:
        msg = f"no package folder named {value!r} is installed"
        raise ValueError(msg)
    pairs: dict[str, Any] = {}
    for folder in folders:  # a namespace package may span several folders
        for name, resource in _listing(folder).items():
            pairs.setdefault(name, resource)
    return sorted(pairs.items(), key=lambda pair: pair[0])


def _note_all(notes: Iterable[str]) -> None:
    for note in notes:
        warn(note, PluginWarning)


def discover(kind: str, bundled: tuple[str, ...]) -> dict[str, PluginFile]:
    """Return the plugin documents of *kind* by id (cached), warning about conflicts."""
    try:
        return _found[kind]
    except KeyError:
        pass
    with _lock:
        if kind in _found:
            return _found[kind]
        chosen: dict[str, PluginFile] = {}
        points, notes = _entry_points(_group(kind))
        for point in points:
            label = _label(point)
            try:
                listing = _files_of(point)
            except Exception as error:  # noqa: BLE001 -- any problem of a third-party package is reported, not raised
                notes.append(f"{label}: cannot be used: {error}")
                continue
            for name, resource in listing:
                if not name.endswith(_SUFFIX):
                    continue
                item_id = name[: -len(_SUFFIX)]
                source = f"{label}: {point.value}/{name}"
                if item_id in bundled:
                    notes.append(
                        f"{kind} id {item_id!r} from {source} is ignored: "
                        "the bundled one with that id takes precedence"
                    )
                elif item_id in chosen:
                    notes.append(
                        f"{kind} id {item_id!r} from {source} is ignored: "
                        f"{chosen[item_id].source} provides it first"
                    )
                else:
                    chosen[item_id] = PluginFile(
                        item_id=item_id, source=source, resource=resource
                    )
        # Names come from other packages' metadata: never print their controls.
        notes = [printable(note) for note in notes]
        _note_all(notes)
        _notes[kind] = tuple(notes)
        _found[kind] = chosen
        return chosen


def problems(kind: str, bundled: tuple[str, ...]) -> tuple[str, ...]:
    """Return the notes of the discovery of *kind*: one line per problem.

    The same lines are issued once as :class:`~allykit.errors.PluginWarning`;
    this lets a caller (the command line) report them in its own way.
    Files that are listed but fail validation are reported when loaded.
    """
    discover(kind, bundled)
    return _notes.get(kind, ())


def load_plugin_document(found: PluginFile, validate: Validator[_T]) -> _T:
    """Read, validate (as untrusted data) and cache one plugin document.

    *validate* is the function that checks a user's own file of the kind
    (``load_<kind>_mapping``), so a plugin file meets exactly the same rules,
    including the size cap (the file is never read past it).
    """
    key = (found.source, found.item_id)
    try:
        return _loaded[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    from allykit.catalog._loading import MAX_FILE_BYTES, parse_json

    with _lock:
        if key in _loaded:
            return _loaded[key]  # type: ignore[no-any-return]
        try:
            raw = found.resource.read_bytes(MAX_FILE_BYTES + 1)
        except OSError as error:
            problem = Problem(path="", message=f"cannot read the file: {error}")
            raise DataFileError(found.source, [problem]) from error
        data = parse_json(raw, found.source)
        declared = data.get("id") if isinstance(data, Mapping) else None
        issues: list[Problem] = []
        if isinstance(declared, str) and declared != found.item_id:
            issues.append(
                Problem(
                    path="id",
                    message="the id must equal the file name without '.json'",
                    value=short_repr(declared),
                    hint=f"rename the file or set the id to {found.item_id!r}",
                )
            )
        try:
            document = validate(data, source=found.source)
        except DataFileError as error:
            raise DataFileError(found.source, [*issues, *error.problems]) from None
        if issues:
            raise DataFileError(found.source, issues)
        _loaded[key] = document
        return document


def reset() -> None:
    """Forget discovered entry points and loaded plugin documents."""
    with _lock:
        _found.clear()
        _notes.clear()
        _loaded.clear()
