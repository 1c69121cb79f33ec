"""The only module that touches the package's bundled data files.

When the package is installed as ordinary files (the usual case), the data
is listed with :func:`os.listdir` and read with :func:`os.read` (what the
package's own loader does, less its file-object layers: about half the time
of reading the bundled frameworks). Otherwise (a zip, or any loader without
plain files) it falls back to :func:`importlib.resources.files`,
anchored on the top-level package. The fallback is not the default because
importing :mod:`importlib.resources` costs about 10 ms (it pulls in pathlib,
tempfile and zipfile), which is more than all of allykit's own loading.
The standard library covers everything on Python >= 3.10, so the
``importlib-resources`` backport is not a dependency.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["list_ids", "parse_trusted_json", "read_json", "read_schema", "read_text"]

_SUFFIX = ".json"
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120 -- pathlib is the cost we avoid
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
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size + 1
        chunks = []
        while chunk := os.read(descriptor, size):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _read(*parts: str) -> str:
    if _plain_files():
        return _read_file(os.path.join(_DATA_DIR, *parts)).decode("utf-8")  # noqa: PTH118
    text: str = _files(*parts).read_text(encoding="utf-8")
    return text


def read_text(kind: str, item_id: str) -> str:
    """Return the text of ``data/<kind>/<item_id>.json``."""
    return _read(kind, f"{item_id}{_SUFFIX}")


class _ScannerContext:
    """The settings ``json.loads`` gives its scanner (``json.JSONDecoder()``)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {
        "-Infinity": float("-inf"),
        "Infinity": float("inf"),
        "NaN": float("nan"),
    }.__getitem__


_JSON_WHITESPACE = " \t\n\r"


def parse_trusted_json(text: str) -> Any:
    """Return ``json.loads(text)`` for the package's own data files.

    Importing :mod:`json` costs about a millisecond (it compiles its
    regular expressions), as much as parsing every bundled framework. So
    well-formed text goes straight to the C scanner that ``json.loads``
    itself uses, with the same settings; anything else (no C scanner, a
    byte-order mark, malformed or trailing text) goes through ``json.loads``,
    which gives the same value or its usual error.
    """
    make_scanner: Any
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover -- not CPython
        make_scanner = None
    if make_scanner is not None and not text.startswith("\ufeff"):
        start = len(text) - len(text.lstrip(_JSON_WHITESPACE))
        try:
            value, end = make_scanner(_ScannerContext())(text, start)
        except (StopIteration, ValueError):
            pass
        else:
            if not text[end:].strip(_JSON_WHITESPACE):
                return value
    import json

    return json.loads(text)


def read_json(kind: str, item_id: str) -> Any:
    """Return the parsed data of ``data/<kind>/<item_id>.json``."""
    return parse_trusted_json(read_text(kind, item_id))


def read_schema(name: str) -> str:
    """Return the text of the committed JSON Schema ``data/schemas/<name>``."""
    return _read("schemas", name)
