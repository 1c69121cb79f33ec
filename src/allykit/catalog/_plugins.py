"""Data contributed by other installed packages, through entry points.

A package contributes frameworks, instruments or crosswalks by declaring an
entry point in the group ``allykit.frameworks``, ``allykit.models.instrument`` or
``allykit.crosswalks`` whose value is the dotted name of a package (or
folder-like module) holding ``<id>.json`` files::

    [project.entry-points."allykit.frameworks"]
    my-frameworks = "my_package.frameworks"

    [project.entry-points."allykit.instruments"]
    my-instruments = "my_package.instruments"

Each kind (the part after ``allykit.``) is discovered, cached and checked
for conflicts on its own; ids are one namespace per kind.

Safety: to locate the folder, allykit asks the import system for the
package's spec, which imports its parent packages as any import would
(keep their ``__init__`` empty); it then lists and reads the files, and
never calls, instantiates or evaluates anything from the package.
An entry point with an attribute part (``"pkg:object"``) is refused. The
files are untrusted data: each is read as JSON and goes through the same
validation as a user's own file, when it is first loaded.

Discovery is lazy: the entry points are read on the first catalogue call
that needs the list of ids, and cached until :func:`allykit.clear_cache`.
For ordinary installs they are read straight from the ``*.dist-info``
folders on :data:`sys.path`; anything else (a zip on the path) falls back
to :mod:`importlib.metadata`, which costs more to import.

Precedence, when two sources offer the same id: bundled data always wins
(an installed package cannot replace curated data); between plugins, the
first in order of (distribution name, entry point name) wins. Every
conflict, and every entry point that cannot be used, is reported once per
discovery as a :class:`~allykit.errors.PluginWarning` that names both sources.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from allykit.errors import DataFileError, PluginWarning, Problem, short_repr, warn

if TYPE_CHECKING:
    from allykit.catalog._loading import Validator

__all__ = [
    "EntryPointInfo",
    "PluginFile",
    "discover",
    "load_plugin_document",
    "reset",
]

_T = TypeVar("_T")
_SUFFIX = ".json"
_lock = threading.RLock()
_found: dict[str, dict[str, PluginFile]] = {}
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


@attrs.frozen(kw_only=True)
class EntryPointInfo:
    """One entry point of the group: its name, value and distribution.

    Attributes:
        name: The entry point's name.
        value: Its value: the dotted name of a package of JSON files.
        distribution: ``"<name> <version>"`` of the package declaring it,
            or empty when unknown.
    """

    name: str
    value: str
    distribution: str = ""


def _normalise(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_field(folder: str, field: str) -> str:
    for file_name in ("METADATA", "PKG-INFO"):
        try:
            path = os.path.join(folder, file_name)  # noqa: PTH118 -- see _scan_path
            with open(path, encoding="utf-8") as handle:  # noqa: PTH123
                for line in handle:
                    if line.startswith(f"{field}:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return ""


def _scan_path(group: str) -> list[EntryPointInfo] | None:
    """Read the entry points of *group* from ``*.dist-info`` folders on sys.path.

    This is what :mod:`importlib.metadata` does for ordinary installs, at a
    fraction of its import cost (which is several times allykit's own).
    Returns None when sys.path holds something else (a zip file), so the
    caller falls back to :mod:`importlib.metadata`.
    """
    import sys

    found: list[EntryPointInfo] = []
    seen: set[str] = set()
    header = f"[{group}]"
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):  # noqa: PTH112 -- pathlib costs more than it saves here
            if os.path.exists(folder):  # noqa: PTH110
                return None
            continue
        try:
            names = sorted(os.listdir(folder))  # noqa: PTH208
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            key = _normalise(name.rsplit(".", 1)[0].split("-", 1)[0])
            if key in seen:
                continue
            seen.add(key)
            info = os.path.join(folder, name)  # noqa: PTH118
            points = os.path.join(info, "entry_points.txt")  # noqa: PTH118
            try:
                with open(points, encoding="utf-8") as handle:  # noqa: PTH123
                    text = handle.read()
            except OSError:
                continue
            if header not in text:
                continue
            found.extend(_parse_entry_points(text, group, info))
    return found


def _parse_entry_points(text: str, group: str, info: str) -> list[EntryPointInfo]:
    import configparser

    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign] # keep the case of names
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    distribution = " ".join(
        part
        for part in (_metadata_field(info, "Name"), _metadata_field(info, "Version"))
        if part
    )
    return [
        EntryPointInfo(name=name, value=value.strip(), distribution=distribution)
        for name, value in parser.items(group)
    ]


def _metadata_scan(group: str) -> list[EntryPointInfo]:
    from importlib.metadata import entry_points

    found = []
    for point in entry_points(group=group):
        dist = getattr(point, "dist", None)
        distribution = f"{dist.metadata['Name']} {dist.version}" if dist else ""
        found.append(
            EntryPointInfo(
                name=point.name, value=point.value, distribution=distribution
            )
        )
    return found


def _entry_points(group: str) -> list[EntryPointInfo]:
    found = _scan_path(group)
    if found is None:
        found = _metadata_scan(group)
    return sorted(found, key=lambda p: (p.distribution.lower(), p.name, p.value))


def _label(point: EntryPointInfo) -> str:
    if not point.distribution:
        return f"entry point {point.name!r} ({point.value})"
    return f"{point.distribution} (entry point {point.name!r})"


class _File:
    """A plain file offered by a plugin package (what a traversable would be)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def read_bytes(self) -> bytes:
        with open(self.path, "rb") as handle:  # noqa: PTH123
            return handle.read()


def _files_of(point: EntryPointInfo) -> list[tuple[str, Any]]:
    """Return ``(file name, readable)`` pairs of the entry point's package."""
    value = point.value.strip()
    if ":" in value or not value:
        msg = (
            f"the value {value!r} must name a package of JSON files "
            "(no ':attribute' part)"
        )
        raise ValueError(msg)
    from importlib.util import find_spec

    # find_spec imports the parent packages (as any import would), not the
    # package itself; its folders are then listed like any folder.
    spec = find_spec(value)
    if spec is None:
        msg = f"no package named {value!r} is installed"
        raise ValueError(msg)
    locations = list(spec.submodule_search_locations or ())
    if locations and all(os.path.isdir(place) for place in locations):  # noqa: PTH112
        pairs: dict[str, Any] = {}
        for place in locations:
            for name in sorted(os.listdir(place)):  # noqa: PTH208
                full = os.path.join(place, name)  # noqa: PTH118
                if name not in pairs and os.path.isfile(full):  # noqa: PTH113
                    pairs[name] = _File(full)
        return sorted(pairs.items(), key=lambda pair: pair[0])
    from importlib.resources import files

    folder = files(value)
    return sorted(
        ((entry.name, entry) for entry in folder.iterdir() if entry.is_file()),
        key=lambda pair: pair[0],
    )


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
        notes: list[str] = []
        for point in _entry_points(_group(kind)):
            label = _label(point)
            try:
                listing = _files_of(point)
            except Exception as error:  # noqa: BLE001 -- any import problem of a third-party package is reported, not raised
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
        for note in notes:
            warn(note, PluginWarning)
        _found[kind] = chosen
        return chosen


def load_plugin_document(found: PluginFile, validate: Validator[_T]) -> _T:
    """Read, validate (as untrusted data) and cache one plugin document.

    *validate* is the function that checks a user's own file of the kind
    (``load_<kind>_mapping``), so a plugin file meets exactly the same rules.
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
            raw = found.resource.read_bytes()
        except OSError as error:
            problem = Problem(path="", message=f"cannot read the file: {error}")
            raise DataFileError(found.source, [problem]) from error
        data = parse_json(raw[: MAX_FILE_BYTES + 1], found.source)
        declared = data.get("id") if isinstance(data, Mapping) else None
        problems: list[Problem] = []
        if isinstance(declared, str) and declared != found.item_id:
            problems.append(
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
            raise DataFileError(found.source, [*problems, *error.problems]) from None
        if problems:
            raise DataFileError(found.source, problems)
        _loaded[key] = document
        return document


def reset() -> None:
    """Forget discovered entry points and loaded plugin documents."""
    with _lock:
        _found.clear()
        _loaded.clear()
