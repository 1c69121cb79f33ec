"""The only module that touches the package's bundled data files.

When the package is installed as ordinary files (the usual case), the data
is listed with :func:`os.listdir` and read with :func:`open`. Otherwise (a
zip, or any loader without plain files) it falls back to
:func:`importlib.resources.files`, anchored on the top-level package. The
fallback is not the default because importing :mod:`importlib.resources`
costs about 10 ms (it pulls in pathlib, tempfile and zipfile), which is
more than all of allykit's own loading.
The standard library covers everything on Python >= 3.10, so the
``importlib-resources`` backport is not a dependency.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "list_ids",
    "parse_trusted_json",
    "read_json",
    "read_package_file",
    "read_schema",
    "read_text",
]

_SUFFIX = ".json"
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120 -- pathlib is the cost we avoid
_DATA_DIR = os.path.join(_PACKAGE_DIR, "data")  # noqa: PTH118


def _plain_files() -> bool:
    return os.path.isdir(_DATA_DIR)  # noqa: PTH112


def _files(*parts: str) -> Any:
    from importlib.resources import files

    resource = files("allykit") / "data"
    for part in parts:
        resource = resource / part
    return resource


def list_ids(kind: str) -> tuple[str, ...]:
    """Return the sorted ids of the bundled files in ``data/<kind>/``."""
    if _plain_files():
        folder = os.path.join(_DATA_DIR, kind)  # noqa: PTH118
        try:
            names = os.listdir(folder)  # noqa: PTH208 -- see module docstring
        except FileNotFoundError:
            return ()
    else:
        resource = _files(kind)
        if not resource.is_dir():
            return ()
        names = [entry.name for entry in resource.iterdir() if entry.is_file()]
    return tuple(sorted(n[: -len(_SUFFIX)] for n in names if n.endswith(_SUFFIX)))


def _read_file(path: str) -> bytes:
    with open(path, "rb") as handle:  # noqa: PTH123 -- see module docstring
        return handle.read()


def _read(*parts: str) -> str:
    if _plain_files():
        return _read_file(os.path.join(_DATA_DIR, *parts)).decode("utf-8")  # noqa: PTH118
    text: str = _files(*parts).read_text(encoding="utf-8")
    return text


def read_text(kind: str, item_id: str) -> str:
    """Return the text of ``data/<kind>/<item_id>.json``."""
    return _read(kind, f"{item_id}{_SUFFIX}")


def parse_trusted_json(text: str) -> Any:
    """Return the parsed JSON of one of the package's own data files."""
    import json

    return json.loads(text)


def read_json(kind: str, item_id: str) -> Any:
    """Return the parsed data of ``data/<kind>/<item_id>.json``."""
    return parse_trusted_json(read_text(kind, item_id))


def read_schema(name: str) -> str:
    """Return the text of the committed JSON Schema ``data/schemas/<name>``."""
    return _read("schemas", name)


def read_package_file(folder: str, name: str) -> str:
    """Return the text of another committed data file, ``data/<folder>/<name>``."""
    return _read(folder, name)
