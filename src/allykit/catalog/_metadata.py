"""Other distributions' metadata for plugin discovery: the types and the safe reads.

What discovery finds (:class:`EntryPointInfo`, :class:`Owner`), the size cap
(:data:`MAX_METADATA_BYTES`), and the reading rules every file of another
distribution meets: only a regular file is opened (a named pipe would hang),
never past the cap, decoded as strict UTF-8, each failure a
:class:`MetadataFileError` naming the file. Also the ``.pth`` rule: a folder
a distribution's ``.pth`` file adds counts as its own only inside its install
location.

The discovery itself, through :mod:`importlib.metadata`, is in
:mod:`allykit.catalog._distribution`, imported on the first discovery only
(:mod:`importlib.metadata` costs more than ``import allykit``); this module
is cheap to import, since :mod:`allykit.catalog._plugins` needs its types.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

import attrs

__all__ = [
    "MAX_METADATA_BYTES",
    "EntryPointInfo",
    "MetadataFileError",
    "Owner",
    "decode",
    "is_regular_file",
    "local_path",
    "own_pth_folders",
    "pth_folders",
    "read_capped",
    "read_regular",
]

#: Largest metadata file of another distribution that is read (``RECORD`` of
#: a big package is a few MB; anything past this is not metadata).
MAX_METADATA_BYTES = 16 * 1024 * 1024


class MetadataFileError(Exception):
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
            install) that lie inside its install location; every package
            directly inside them is its own.
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


def is_regular_file(path: str) -> bool:
    """Return whether *path* is a regular file (a pipe or device could hang)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)  # noqa: PTH116 -- plain strings throughout
    except (OSError, ValueError):
        return False


def read_regular(path: str, limit: int) -> bytes | None:
    """Return at most *limit* bytes of *path*, or None when it is no regular file.

    The file is opened without blocking and checked after opening (not only
    before), so a file swapped for a named pipe in between cannot hang the
    read.

    Raises:
        OSError: If the file exists but cannot be opened or read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:  # pragma: no cover -- Windows: a folder cannot be opened
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return handle.read(limit)


def read_capped(path: str, limit: int | None = None) -> bytes | None:
    """Return the bytes of a regular file within *limit*, None if absent.

    *limit* defaults to :data:`MAX_METADATA_BYTES`.

    Raises:
        MetadataFileError: If the file is larger than *limit* or cannot be read.
    """
    if limit is None:
        limit = MAX_METADATA_BYTES
    if not is_regular_file(path):  # no need to open a folder or a missing file
        return None
    try:
        raw = read_regular(path, limit + 1)
    except OSError as error:
        msg = f"{os.path.basename(path)} cannot be read ({error.strerror or error})"  # noqa: PTH119
        raise MetadataFileError(msg) from None
    if raw is None:
        return None
    if len(raw) > limit:
        msg = f"{os.path.basename(path)} is larger than {limit} bytes"  # noqa: PTH119
        raise MetadataFileError(msg)
    return raw


def decode(raw: bytes, file_name: str) -> str:
    """Return *raw* decoded as UTF-8 (a leading BOM dropped).

    Raises:
        MetadataFileError: Naming *file_name* and the first bad byte.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"{file_name} is not UTF-8 (byte {error.start} cannot be decoded)"
        raise MetadataFileError(msg) from None


def pth_folders(path: str, site: str) -> list[str]:
    """Return the existing folders a ``.pth`` file adds to the path (no code lines)."""
    try:
        raw = read_capped(path)
    except MetadataFileError:
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


def local_path(url: str) -> str | None:
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


def _shared_folders(site: str) -> list[str]:
    """The site folder, the standard library and the interpreter's package folders."""
    import sysconfig

    paths = sysconfig.get_paths()
    keys = ("stdlib", "platstdlib", "purelib", "platlib")
    return [site, *(os.path.realpath(paths[key]) for key in keys if key in paths)]


def own_pth_folders(
    folders: list[str], site: str, tops: set[str], editable: str | None
) -> list[str]:
    """Keep the ``.pth`` folders that lie inside the distribution's install location.

    That location is the package folders the distribution installs, or the
    project folder of an editable install; a ``.pth`` line naming the site
    folder itself, the standard library or another project's folder gives
    its entry points no claim there. The project folder comes from
    ``direct_url.json``, which the distribution writes itself, so through it
    a folder counts only when it is neither inside the site folder, the
    standard library nor the interpreter's package folders, and the project
    is no file-system root (``file:///`` is no project).
    """
    packages = [os.path.realpath(os.path.join(site, top)) for top in sorted(tops)]  # noqa: PTH118
    project = editable if editable and os.path.dirname(editable) != editable else None  # noqa: PTH120
    shared = _shared_folders(os.path.realpath(site)) if project else []
    return [
        folder
        for folder in folders
        if any(_inside(folder, where) for where in packages)
        or (
            project is not None
            and _inside(folder, project)
            and not any(_inside(folder, where) for where in shared)
        )
    ]
