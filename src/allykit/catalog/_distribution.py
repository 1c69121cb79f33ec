"""Plugin discovery through :mod:`importlib.metadata`, with safe reads.

:func:`entry_points_of` returns the entry points of a group, each with what
its distribution installs (:class:`~allykit.catalog._metadata.Owner`); an
unreadable, undecodable or odd file of another distribution, and anything
:mod:`importlib.metadata` raises while parsing one, becomes a note naming
the distribution, never an exception. This module is imported on the first
discovery only: :mod:`importlib.metadata` costs more than ``import allykit``.

:mod:`importlib.metadata` parses the metadata (``entry_points.txt``,
``METADATA``, ``RECORD``, ``direct_url.json``); this module gives it the
files through its documented extension point, a
:class:`~importlib.metadata.Distribution` subclass implementing
``read_text()`` and ``locate_file()`` ("Implementing Custom Providers" in the
standard library's documentation), so that every file of another
distribution is read

* only when it is a regular file (a named pipe or device would block for
  ever; a zip member is always a file);
* never past :data:`~allykit.catalog._metadata.MAX_METADATA_BYTES` (one byte
  more is read, to know it is too large);
* as strict UTF-8, a byte that is not becoming an error naming the file
  (:class:`~allykit.catalog._metadata.MetadataFileError`) that the caller
  turns into a note, never an exception of its own.

The distributions are found by :class:`SafeFinder`, a
:class:`~importlib.metadata.DistributionFinder` (the documented extension
point for finding them): it lists the ``*.dist-info`` and ``*.egg-info``
entries of each folder or zip archive on :data:`sys.path` (a directory
listing, no file is opened) and gives one :class:`SafeDistribution` for each.
It is called directly and never installed on :data:`sys.meta_path`, so the
caller's environment is unchanged.

What does not go through :mod:`importlib.metadata`'s public API, and why:

* The listing of the metadata folders. :class:`importlib.metadata.MetadataPathFinder`
  lists them without reading anything, but yields
  :class:`importlib.metadata.PathDistribution` objects whose ``read_text()``
  opens any file (a named pipe blocks) and reads it whole and strictly as
  UTF-8 (:exc:`UnicodeDecodeError`), and whose only handle on the folder is
  the private attribute ``_path``; a safe distribution cannot be made from
  one without that private name. :class:`SafeFinder` therefore lists the
  folders itself, as :class:`~importlib.metadata.MetadataPathFinder` does
  (folders and zip archives on the path, ``*.dist-info`` before
  ``*.egg-info``), and the caller keeps the first distribution of each
  normalised name, as :func:`importlib.metadata.entry_points` does.
  Distributions that only another finder on :data:`sys.meta_path` provides
  (neither a folder nor a zip archive on :data:`sys.path`) are not seen.
* The ``.pth`` files that a distribution's ``RECORD`` lists lie outside its
  metadata folder: :mod:`importlib.metadata` locates them
  (``PackagePath.locate()``), and they are read with the same cap and
  regular-file rule by :func:`~allykit.catalog._metadata.read_capped`
  instead of ``PackagePath.read_text()``, which has neither.

Nothing is imported: the distributions are data.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from importlib.metadata import Distribution, DistributionFinder
from pathlib import Path
from typing import Any, cast

from allykit.catalog import _metadata
from allykit.catalog._metadata import (
    EntryPointInfo,
    MetadataFileError,
    Owner,
    decode,
    local_path,
    own_pth_folders,
    pth_folders,
    read_capped,
)
from allykit.errors import short_repr

__all__ = ["SafeDistribution", "SafeFinder", "entry_points_of", "normalise"]

_SUFFIXES = (".dist-info", ".egg-info")


def normalise(name: str) -> str:
    """Return a project name normalised as :mod:`importlib.metadata` compares them."""
    return re.sub(r"[-_.]+", "_", name).lower()


class SafeDistribution(Distribution):
    """A distribution whose metadata files are read capped, regular files only.

    Attributes:
        folder: Its ``*.dist-info`` (or ``*.egg-info``) folder: a path, or a
            :class:`zipfile.Path` inside an archive on the path.
        folder_name: That folder's name.
        key: The normalised project name, from the folder's name.
    """

    def __init__(self, folder: str | zipfile.Path, folder_name: str) -> None:
        self.folder = folder
        self.folder_name = folder_name
        self.key = normalise(folder_name.rsplit(".", 1)[0].split("-", 1)[0])
        self._bytes: dict[str, bytes | None] = {}

    @property
    def folder_label(self) -> str:
        """``"<name> <version>"`` as the folder's name spells them."""
        return " ".join(self.folder_name.rsplit(".", 1)[0].split("-", 1))

    @property
    def site(self) -> str | zipfile.Path:
        """The folder (or zip node) holding the metadata folder: the install root."""
        if isinstance(self.folder, str):
            return os.path.dirname(self.folder)  # noqa: PTH120
        return cast("zipfile.Path", self.folder.parent)  # typeshed: PathLike

    def read_bytes(self, filename: str) -> bytes | None:
        """Return the bytes of a metadata file, or None when it is no regular file.

        Raises:
            MetadataFileError: If the file is larger than the cap or cannot
                be read.
        """
        try:
            return self._bytes[filename]
        except KeyError:
            pass
        if isinstance(self.folder, str):
            path = os.path.join(self.folder, filename) if filename else self.folder  # noqa: PTH118
            raw = read_capped(path)
        else:
            raw = _read_member(self.folder, filename)
        self._bytes[filename] = raw
        return raw

    def read_text(self, filename: str) -> str | None:
        """Return a metadata file's text (strict UTF-8), or None when absent.

        Raises:
            MetadataFileError: If the file is too large, unreadable or not
                UTF-8.
        """
        raw = self.read_bytes(filename)
        if raw is None:
            return None
        return decode(raw, filename or self.folder_name)

    def locate_file(self, path: str | os.PathLike[str]) -> Any:
        """Return where *path*, relative to the install root, is."""
        site = self.site
        if isinstance(site, str):
            return Path(site, path)
        return site.joinpath(os.fspath(path))


def _read_member(folder: zipfile.Path, filename: str) -> bytes | None:
    """Read a metadata file inside a zip archive, capped."""
    name = filename or folder.name
    limit = _metadata.MAX_METADATA_BYTES
    try:
        node = folder.joinpath(filename) if filename else folder
        if not node.is_file():
            return None
        with node.open("rb") as handle:
            raw: bytes = handle.read(limit + 1)
    except Exception as error:  # noqa: BLE001 -- zipfile, zlib, bz2, lzma: another package's archive
        msg = f"{name} cannot be read from its archive ({short_repr(str(error))})"
        raise MetadataFileError(msg) from None
    if len(raw) > limit:
        msg = f"{name} is larger than {limit} bytes"
        raise MetadataFileError(msg)
    return raw


def _ordered(names: list[str]) -> list[str]:
    """Metadata folder names: ``*.dist-info``, then ``*.egg-info``, each sorted."""
    ordered = sorted(name for name in names if name.endswith(_SUFFIXES))
    return sorted(ordered, key=lambda name: name.endswith(".egg-info"))


def _in_folder(folder: str) -> Iterator[SafeDistribution]:
    try:
        names = os.listdir(folder)  # noqa: PTH208
    except OSError:
        return
    for name in _ordered(names):
        yield SafeDistribution(os.path.join(folder, name), name)  # noqa: PTH118


def _in_archive(path: str) -> Iterator[SafeDistribution]:
    try:
        root = zipfile.Path(path)
        children = {node.name: node for node in root.iterdir()}
    except Exception:  # noqa: BLE001 -- not an archive, or a broken one: as importlib.metadata, pass it over
        return
    for name in _ordered(list(children)):
        yield SafeDistribution(children[name], name)


class SafeFinder(DistributionFinder):
    """Finds the distributions in the folders and zip archives of a path.

    Only lists: no file is opened until a distribution's metadata is read,
    and then through :class:`SafeDistribution`.
    """

    def find_distributions(
        self, context: DistributionFinder.Context | None = None
    ) -> Iterator[SafeDistribution]:
        """Yield a :class:`SafeDistribution` per metadata folder on the path.

        Args:
            context: What to look for (``path``, default :data:`sys.path`;
                ``name``, default every distribution).
        """
        context = context or DistributionFinder.Context()
        wanted = None if context.name is None else normalise(context.name)
        for entry in context.path:
            for dist in _in_entry(entry or "."):
                if wanted is None or dist.key == wanted:
                    yield dist


def _in_entry(entry: str) -> Iterator[SafeDistribution]:
    """Yield the distributions of one path entry: a folder or a zip archive."""
    try:
        mode = os.stat(entry).st_mode  # noqa: PTH116
    except (OSError, ValueError):
        return
    if stat.S_ISDIR(mode):
        yield from _in_folder(entry)
    elif stat.S_ISREG(mode):  # a pipe on the path is never opened
        yield from _in_archive(entry)


def _distribution_name(dist: SafeDistribution) -> tuple[str, list[str]]:
    """Return ``"<name> <version>"`` of a distribution, and notes.

    Read from ``METADATA`` (or ``PKG-INFO``) by :mod:`importlib.metadata`;
    when that cannot be used, taken from the folder's name, and noted.
    """
    fallback = dist.folder_label
    try:
        if dist.read_bytes("METADATA") is None and dist.read_bytes("PKG-INFO") is None:
            return fallback, []
        metadata = dist.metadata
    except MetadataFileError as error:
        return fallback, [f"{error}; named after its folder"]
    fields = [
        str((metadata.get_all(key) or [""])[0]).strip() for key in ("Name", "Version")
    ]
    name = " ".join(field for field in fields if field)
    return name or fallback, []


def _editable_location(dist: SafeDistribution) -> str | None:
    """Return the project folder of an editable install (``direct_url.json``), or None.

    PEP 610: an editable install records ``{"url": "file://...",
    "dir_info": {"editable": true}}``. Anything else (no file, another
    shape, a remote URL) is not an editable install.
    """
    import json

    try:
        text = dist.read_text("direct_url.json")
        data = json.loads(text) if text is not None else None
    except (MetadataFileError, ValueError, RecursionError):
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
    return local_path(url)


def _owner(dist: SafeDistribution) -> Owner:
    """What *dist* installs: its ``RECORD`` (``dist.files``) and ``top_level.txt``.

    Raises:
        MetadataFileError: If ``RECORD`` cannot be read.
        Exception: Whatever :mod:`importlib.metadata` raises parsing it.
    """
    tops: set[str] = set()
    raw = dist.read_bytes("top_level.txt")
    if raw is not None:
        tops.update(
            line.strip()
            for line in raw.decode("utf-8", "replace").splitlines()
            if line.strip()
        )
    site = dist.site
    pth: list[str] = []
    for file in dist.files or ():
        parts = str(file).replace("\\", "/").split("/")
        first = parts[0]
        if (
            not first
            or first in {".", ".."}
            or first.endswith((".dist-info", ".egg-info", ".data"))
        ):
            continue
        if len(parts) > 1:
            tops.add(first)
        elif first.endswith(".pth") and isinstance(site, str):
            # Located by importlib.metadata, read here: PackagePath.read_text
            # has neither the cap nor the regular-file rule.
            pth.extend(pth_folders(os.fspath(file.locate()), site))
    extra: list[str] = []
    if pth and isinstance(site, str):
        extra = own_pth_folders(pth, site, tops, _editable_location(dist))
    return Owner(tops=frozenset(tops), roots=(site,), extra_roots=tuple(extra))


def _unique(
    selected: Iterable[Any], group: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the ``(name, value)`` pairs, the first of each name, and notes."""
    pairs: list[tuple[str, str]] = []
    notes: list[str] = []
    seen: set[str] = set()
    for point in selected:
        if point.name in seen:
            notes.append(
                f"entry point {short_repr(point.name)} is declared more than once "
                f"in [{group}]; the first is used"
            )
            continue
        seen.add(point.name)
        pairs.append((point.name, point.value))
    return pairs, notes


def _selected(dist: SafeDistribution, group: str) -> list[Any]:
    """Return the entry points of *group* in *dist*, parsed by importlib.metadata.

    Raises:
        MetadataFileError: If ``entry_points.txt`` cannot be read or parsed.
    """
    try:
        return list(dist.entry_points.select(group=group))
    except MetadataFileError:
        raise
    except Exception:  # noqa: BLE001 -- importlib.metadata's parse error of another package's file
        msg = (
            "entry_points.txt cannot be parsed (a line is neither '[group]' "
            "nor 'name = value')"
        )
        raise MetadataFileError(msg) from None


def _owner_of(dist: SafeDistribution) -> Owner:
    """Return :func:`_owner` of *dist*, what importlib.metadata raises wrapped.

    Raises:
        MetadataFileError: If ``RECORD`` cannot be read or parsed.
    """
    try:
        return _owner(dist)
    except MetadataFileError:
        raise
    except Exception as error:  # noqa: BLE001 -- importlib.metadata's parse error of another package's file
        msg = f"its list of files (RECORD) cannot be parsed ({short_repr(str(error))})"
        raise MetadataFileError(msg) from None


def _points_of(
    dist: SafeDistribution, group: str, header: bytes
) -> tuple[list[EntryPointInfo], list[str]]:
    """Return the entry points of *group* one distribution declares, and notes."""
    try:
        raw = dist.read_bytes("entry_points.txt")
    except MetadataFileError as error:
        distribution, _ = _distribution_name(dist)
        return [], [f"{distribution}: {error}; its entry points are ignored"]
    # Most distributions declare no entry point of the group: only those
    # that name it are parsed (and have their other metadata read).
    if raw is None or header not in raw:
        return [], []
    distribution, notes = _distribution_name(dist)
    notes = [f"{distribution}: {note}" for note in notes]
    try:
        pairs, more = _unique(_selected(dist, group), group)
        notes.extend(f"{distribution}: {note}" for note in more)
        owner = _owner_of(dist) if pairs else None
    except MetadataFileError as error:
        return [], [*notes, f"{distribution}: {error}; its entry points are ignored"]
    points = [
        EntryPointInfo(name=name, value=value, distribution=distribution, owner=owner)
        for name, value in pairs
    ]
    return points, notes


def entry_points_of(
    group: str, path: Iterable[str] | None = None
) -> tuple[list[EntryPointInfo], list[str]]:
    """Return the entry points of *group* (sorted) and notes on unusable metadata.

    The distributions are those of the folders and zip archives of *path*
    (default :data:`sys.path`); of several with one normalised name, the
    first on the path counts, as for :func:`importlib.metadata.entry_points`.
    """
    import sys

    found: list[EntryPointInfo] = []
    notes: list[str] = []
    seen: set[str] = set()
    header = f"[{group}]".encode()
    context = SafeFinder.Context(path=list(sys.path if path is None else path))
    for dist in SafeFinder().find_distributions(context):
        if dist.key in seen:
            continue
        seen.add(dist.key)
        points, more = _points_of(dist, group, header)
        found.extend(points)
        notes.extend(more)
    return sorted(found, key=lambda p: (p.distribution.lower(), p.name, p.value)), notes
