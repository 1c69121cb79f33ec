"""Other distributions' metadata, read for plugin discovery: capped, never trusted.

The entry points of a group, each with what its distribution installs
(:class:`Owner`), read from the ``*.dist-info`` folders on :data:`sys.path`
(the :mod:`importlib.metadata` layout) with a size cap per file and only
from regular files, so a huge or special file (a named pipe) can neither
exhaust memory nor hang discovery; a zip on the path falls back to
:mod:`importlib.metadata` itself. An unreadable, undecodable or odd file
of another distribution becomes a note, never an exception. Nothing is
imported. :mod:`allykit.catalog._plugins` turns the entry points into
documents.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

import attrs

from allykit.errors import short_repr

__all__ = ["MAX_METADATA_BYTES", "EntryPointInfo", "Owner", "entry_points_of"]

#: Largest metadata file of another distribution that is read (``RECORD`` of
#: a big package is a few MB; anything past this is not metadata).
MAX_METADATA_BYTES = 16 * 1024 * 1024


class _MetadataError(Exception):
    """A metadata file of another distribution cannot be used."""


@attrs.frozen(kw_only=True)
class Owner:
    """What one distribution installs, from its metadata alone.

    Attributes:
        tops: Top-level names of the packages its ``RECORD`` (or
            ``top_level.txt``) lists.
        roots: Folders (paths, or traversables inside a zip) that hold
            those packages: the folder of its ``*.dist-info``.
        extra_roots: Folders named by its ``.pth`` files (an editable
            install); every package directly inside them is its own.
    """

    tops: frozenset[str]
    roots: tuple[Any, ...]
    extra_roots: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class EntryPointInfo:
    """One entry point of the group: its name, value and distribution.

    Attributes:
        name: The entry point's name.
        value: Its value: the dotted name of a package of JSON files.
        distribution: ``"<name> <version>"`` of the package declaring it,
            or empty when unknown.
        owner: What its distribution installs; None only for an entry
            point built by hand (tests), whose package is then looked for
            in the folders of :data:`sys.path`, still without importing.
    """

    name: str
    value: str
    distribution: str = ""
    owner: Owner | None = attrs.field(default=None, eq=False, repr=False)


def _normalise(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "_", name).lower()


def _is_regular_file(path: str) -> bool:
    """Return whether *path* is a regular file (a pipe or device could hang)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)  # noqa: PTH116 -- see _scan_path
    except (OSError, ValueError):
        return False


def _read_capped(path: str, limit: int = MAX_METADATA_BYTES) -> bytes | None:
    """Return the bytes of a regular file within *limit*, None if absent.

    Raises:
        _MetadataError: If the file is larger than *limit* or cannot be read.
    """
    if not _is_regular_file(path):
        return None
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            raw = handle.read(limit + 1)
    except OSError as error:
        msg = f"{os.path.basename(path)} cannot be read ({error.strerror or error})"  # noqa: PTH119
        raise _MetadataError(msg) from None
    if len(raw) > limit:
        msg = f"{os.path.basename(path)} is larger than {limit} bytes"  # noqa: PTH119
        raise _MetadataError(msg)
    return raw


def _decode(raw: bytes, file_name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"{file_name} is not UTF-8 (byte {error.start} cannot be decoded)"
        raise _MetadataError(msg) from None


def _parse_group(text: str, group: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Return ``(name, value)`` pairs of *group* in entry_points.txt text, and notes.

    The format is INI-like: ``[group]`` headers, ``name = value`` lines,
    comments starting with ``#`` or ``;``. A repeated name keeps its first
    value (and is noted); a line that is not ``name = value`` is noted.
    """
    pairs: list[tuple[str, str]] = []
    notes: list[str] = []
    seen: set[str] = set()
    inside = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            inside = stripped[1:-1].strip() == group
            continue
        if not inside:
            continue
        name, equals, value = stripped.partition("=")
        name, value = name.strip(), value.strip()
        if not equals or not name:
            notes.append(
                f"the line {short_repr(stripped)} in [{group}] is not "
                "'name = value'; it is ignored"
            )
        elif name in seen:
            notes.append(
                f"entry point {short_repr(name)} is declared more than once in "
                f"[{group}]; the first is used"
            )
        else:
            seen.add(name)
            pairs.append((name, value))
    return pairs, notes


def _header_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and key in {"Name", "Version"} and key not in fields:
            fields[key] = value.strip()
    return fields


def _distribution_name(info: str) -> tuple[str, list[str]]:
    """Return ``"<name> <version>"`` of a dist-info folder, and notes.

    Read from ``METADATA`` (or ``PKG-INFO``); when that cannot be used,
    taken from the folder's name, and noted.
    """
    base = os.path.basename(info).rsplit(".", 1)[0]  # noqa: PTH119
    fallback = " ".join(base.split("-", 1))
    notes: list[str] = []
    for file_name in ("METADATA", "PKG-INFO"):
        path = os.path.join(info, file_name)  # noqa: PTH118
        try:
            raw = _read_capped(path)
            if raw is None:
                continue
            fields = _header_fields(_decode(raw, file_name))
        except _MetadataError as error:
            notes.append(f"{error}; named after its folder")
            return fallback, notes
        name = " ".join(fields[key] for key in ("Name", "Version") if fields.get(key))
        return name or fallback, notes
    return fallback, notes


def _pth_folders(path: str, site: str) -> list[str]:
    """Return the existing folders a ``.pth`` file adds to the path (no code lines)."""
    try:
        raw = _read_capped(path)
    except _MetadataError:
        return []
    if raw is None:
        return []
    folders = []
    for line in raw.decode("utf-8", "replace").splitlines():
        entry = line.strip()
        if not entry or entry.startswith(("#", "import ", "import\t")):
            continue
        folder = os.path.join(site, entry)  # noqa: PTH118
        if os.path.isdir(folder):  # noqa: PTH112
            folders.append(folder)
    return folders


_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def _editable_location(info: str) -> str | None:
    """Return the project folder of an editable install (``direct_url.json``), or None.

    PEP 610: an editable install records ``{"url": "file://...",
    "dir_info": {"editable": true}}``. Anything else (no file, another
    shape, a remote URL) is not an editable install.
    """
    import json

    try:
        raw = _read_capped(os.path.join(info, "direct_url.json"), 64 * 1024)  # noqa: PTH118
        data = json.loads(raw) if raw is not None else None
    except (_MetadataError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    dir_info, url = data.get("dir_info"), data.get("url")
    if not (
        isinstance(dir_info, dict)
        and dir_info.get("editable") is True
        and isinstance(url, str)
    ):
        return None
    return _local_path(url)


def _local_path(url: str) -> str | None:
    """Return the resolved path of a local file URL, or None for anything else.

    ``file:///path`` or ``file://localhost/path`` (RFC 8089), percent-encoded
    as UTF-8; decoded here because allykit imports no URL library.
    """
    for prefix in ("file:///", "file://localhost/"):
        if url.startswith(prefix):
            encoded = (
                "/"
                + url[len(prefix) :].split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]
            )
            break
    else:
        return None
    decoded = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), encoded)
    try:
        path = decoded.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return os.path.realpath(path)


def _inside(folder: str, location: str) -> bool:
    """Return whether *folder* (resolved) is *location* or lies below it."""
    real = os.path.realpath(folder)
    return real == location or real.startswith(location.rstrip(os.sep) + os.sep)


def _own_pth_folders(
    folders: list[str], site: str, tops: set[str], editable: str | None
) -> list[str]:
    """Keep the ``.pth`` folders that lie inside the distribution's install location.

    That location is the project folder of an editable install, or the
    package folders the distribution installs; a ``.pth`` line naming the
    site folder itself, the standard library or another project's folder
    gives its entry points no claim there.
    """
    locations = [os.path.realpath(os.path.join(site, top)) for top in sorted(tops)]  # noqa: PTH118
    if editable is not None:
        locations.append(editable)
    return [f for f in folders if any(_inside(f, where) for where in locations)]


def _owner_of_folder(info: str) -> Owner:
    """What the distribution of the dist-info (or egg-info) folder *info* installs."""
    site = os.path.dirname(info)  # noqa: PTH120
    tops: set[str] = set()
    extra: list[str] = []
    raw = _read_capped(os.path.join(info, "top_level.txt"))  # noqa: PTH118
    if raw is not None:
        tops.update(
            line.strip()
            for line in raw.decode("utf-8", "replace").splitlines()
            if line.strip()
        )
    raw = _read_capped(os.path.join(info, "RECORD"))  # noqa: PTH118
    if raw is not None:
        for line in _decode(raw, "RECORD").splitlines():
            path = line.split(",", 1)[0].strip().strip('"').replace("\\", "/")
            parts = path.split("/")
            first = parts[0]
            if (
                not first
                or first in {".", ".."}
                or first.endswith((".dist-info", ".egg-info", ".data"))
            ):
                continue
            if len(parts) > 1:
                tops.add(first)
            elif first.endswith(".pth"):
                extra.extend(_pth_folders(os.path.join(site, first), site))  # noqa: PTH118
    if extra:
        extra = _own_pth_folders(extra, site, tops, _editable_location(info))
    return Owner(tops=frozenset(tops), roots=(site,), extra_roots=tuple(extra))


def _scan_path(
    group: str,
) -> tuple[list[EntryPointInfo], list[str]] | None:
    """Read the entry points of *group* from ``*.dist-info`` folders on sys.path.

    This is what :mod:`importlib.metadata` does for ordinary installs, at a
    fraction of its import cost (which is several times allykit's own).
    Returns the entry points and notes about distributions whose metadata
    cannot be used, or None when sys.path holds something else (a zip
    file), so the caller falls back to :mod:`importlib.metadata`.
    """
    import sys

    found: list[EntryPointInfo] = []
    notes: list[str] = []
    seen: set[str] = set()
    header = f"[{group}]".encode()
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
            points, more = _scan_folder(info, group, header)
            found.extend(points)
            notes.extend(more)
    return found, notes


def _scan_folder(
    info: str, group: str, header: bytes
) -> tuple[list[EntryPointInfo], list[str]]:
    """Return the entry points of *group* one dist-info folder declares, and notes."""
    try:
        raw = _read_capped(os.path.join(info, "entry_points.txt"))  # noqa: PTH118
    except _MetadataError as error:
        distribution, _ = _distribution_name(info)
        return [], [f"{distribution}: {error}; its entry points are ignored"]
    if raw is None or header not in raw:
        return [], []
    distribution, notes = _distribution_name(info)
    notes = [f"{distribution}: {note}" for note in notes]
    try:
        text = _decode(raw, "entry_points.txt")
        pairs, more = _parse_group(text, group)
        owner = _owner_of_folder(info)
    except _MetadataError as error:
        return [], [*notes, f"{distribution}: {error}; its entry points are ignored"]
    notes.extend(f"{distribution}: {note}" for note in more)
    points = [
        EntryPointInfo(name=name, value=value, distribution=distribution, owner=owner)
        for name, value in pairs
    ]
    return points, notes


def _owner_of_distribution(dist: Any) -> Owner:
    tops: set[str] = set()
    text = dist.read_text("top_level.txt") or ""
    tops.update(line.strip() for line in text.splitlines() if line.strip())
    for file in dist.files or ():
        parts: tuple[str, ...] = getattr(file, "parts", ())
        if len(parts) > 1 and not parts[0].endswith((".dist-info", ".egg-info")):
            tops.add(parts[0])
    return Owner(tops=frozenset(tops), roots=(dist.locate_file(""),))


def _metadata_scan(group: str) -> tuple[list[EntryPointInfo], list[str]]:
    """Read the entry points of *group* through :mod:`importlib.metadata`.

    Each distribution is read on its own, so one with broken metadata is
    noted and skipped instead of failing the whole scan.
    """
    from importlib.metadata import distributions

    found: list[EntryPointInfo] = []
    notes: list[str] = []
    seen: set[str] = set()
    for dist in distributions():
        where = str(getattr(dist, "_path", "a distribution"))
        try:
            text = dist.read_text("entry_points.txt") or ""
            if f"[{group}]" not in text:
                continue
            name = dist.metadata["Name"] or where
            if _normalise(name) in seen:
                continue
            seen.add(_normalise(name))
            distribution = f"{name} {dist.version}"
            pairs, more = _parse_group(text, group)
            owner = _owner_of_distribution(dist)
        except Exception as error:  # noqa: BLE001 -- another package's broken metadata is reported, not raised
            notes.append(f"{where}: its metadata cannot be read ({error})")
            continue
        notes.extend(f"{distribution}: {note}" for note in more)
        found.extend(
            EntryPointInfo(
                name=name, value=value, distribution=distribution, owner=owner
            )
            for name, value in pairs
        )
    return found, notes


def entry_points_of(group: str) -> tuple[list[EntryPointInfo], list[str]]:
    """Return the entry points of *group* (sorted) and notes on unusable metadata."""
    scanned = _scan_path(group)
    if scanned is None:
        scanned = _metadata_scan(group)
    found, notes = scanned
    return sorted(found, key=lambda p: (p.distribution.lower(), p.name, p.value)), notes
