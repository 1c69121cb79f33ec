"""Data contributed by other installed packages, through entry points.

A package contributes frameworks by declaring an entry point in the group
``allykit.frameworks`` whose value is the dotted name of a package (or
folder-like module) holding ``<id>.json`` files::

    [project.entry-points."allykit.frameworks"]
    my-frameworks = "my_package.frameworks"

Safety: allykit imports the named package only to locate its files (as any
:mod:`importlib.resources` lookup does, which runs that package's
``__init__``) and never calls, instantiates or evaluates anything from it.
An entry point with an attribute part (``"pkg:object"``) is refused. The
files are untrusted data: each is read as JSON and goes through the same
validation as a user's own file, when it is first loaded.

Discovery is lazy: :mod:`importlib.metadata` is imported, and the entry
points read, on the first catalogue call that needs the list of ids, and
the result is cached until :func:`allykit.clear_cache`.

Precedence, when two sources offer the same id: bundled data always wins
(an installed package cannot replace curated data); between plugins, the
first in order of (distribution name, entry point name) wins. Every
conflict, and every entry point that cannot be used, is reported once per
discovery as a :class:`~allykit.errors.PluginWarning` that names both sources.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from allykit.errors import DataFileError, PluginWarning, Problem, short_repr

__all__ = ["PluginFile", "discover", "load_plugin_document", "reset"]

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
        resource: The :mod:`importlib.resources` traversable to read.
    """

    item_id: str
    source: str
    resource: Any = attrs.field(eq=False, repr=False)


def _group(kind: str) -> str:
    return f"allykit.{kind}"


def _entry_points(group: str) -> list[Any]:
    # Imported here: importlib.metadata costs several milliseconds and is
    # needed only once a catalogue call lists ids.
    from importlib.metadata import entry_points

    found = list(entry_points(group=group))

    def key(point: Any) -> tuple[str, str, str]:
        dist = getattr(point, "dist", None)
        name = dist.metadata["Name"] if dist is not None else ""
        return (str(name or "").lower(), point.name, point.value)

    return sorted(found, key=key)


def _label(point: Any) -> str:
    dist = getattr(point, "dist", None)
    if dist is None:
        return f"entry point {point.name!r} ({point.value})"
    return f"{dist.metadata['Name']} {dist.version} (entry point {point.name!r})"


def _files_of(point: Any) -> list[tuple[str, Any]]:
    """Return ``(file name, traversable)`` pairs of the entry point's package."""
    from importlib.resources import files

    value = point.value.strip()
    if ":" in value or not value:
        msg = (
            f"the value {value!r} must name a package of JSON files "
            "(no ':attribute' part)"
        )
        raise ValueError(msg)
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
            warnings.warn(note, PluginWarning, stacklevel=4)
        _found[kind] = chosen
        return chosen


def load_plugin_document(
    found: PluginFile, loader: Callable[[Mapping[str, Any], str], _T]
) -> _T:
    """Read, validate (as untrusted data) and cache one plugin document."""
    key = (found.source, found.item_id)
    try:
        return _loaded[key]  # type: ignore[no-any-return]
    except KeyError:
        pass
    from allykit._loading import MAX_FILE_BYTES, parse_json

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
            document = loader(data, found.source)
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
