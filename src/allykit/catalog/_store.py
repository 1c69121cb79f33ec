"""The catalogue's store: load by id (bundled, then plugins), cached; build any kind.

Private to :mod:`allykit.catalog`, whose public functions are thin, typed
wrappers over these, one per kind of document (see
:mod:`allykit.catalog._kinds`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from allykit.catalog._kinds import Kind, kind_named
from allykit.errors import (
    InvalidArgumentError,
    UnknownDocumentError,
    short_repr,
)

if TYPE_CHECKING:
    from allykit.catalog._loading import Validator
    from allykit.catalog._plugins import PluginFile

__all__ = [
    "available_ids",
    "build_for_models",
    "bundled_ids",
    "clear_cache",
    "from_file",
    "from_mapping",
    "from_text",
    "json_schema",
    "load",
    "load_any",
    "load_bundled",
    "plugin_files",
    "plugin_problems",
    "sources_of",
]

_D = TypeVar("_D")

# attrs already imports threading, so the lock costs nothing at import.
_lock = threading.RLock()
_cache: dict[tuple[str, str], Any] = {}


def load_bundled(kind: str, cls: type[_D], item_id: str, known: tuple[str, ...]) -> _D:
    """Return the cached bundled *kind* document *item_id*, loading it once."""
    key = (kind, item_id)
    try:
        return _cache[key]  # type: ignore[no-any-return]
    except (KeyError, TypeError):  # TypeError: an unhashable id, reported below
        pass
    what = kind.rstrip("s")
    if not isinstance(item_id, str):
        # A wrong type is not an unknown id: say what an id is.
        msg = f"{what} id must be a string, got {short_repr(item_id)}"
        raise InvalidArgumentError(msg)
    if item_id not in known:
        raise UnknownDocumentError.for_id(item_id, known, what=what)
    with _lock:
        if key not in _cache:
            from allykit.catalog import _resources
            from allykit.models._convert import structure

            # Bundled data is trusted (tests validate it against the schema),
            # so it skips pydantic and goes straight to the converter.
            data = _resources.read_json(kind, item_id)
            data = _prepared(kind, data, item_id)
            _cache[key] = structure(cls, data)
        return _cache[key]  # type: ignore[no-any-return]


def _prepared(folder: str, data: Any, item_id: str) -> Any:
    """Bundled data after its kind's preparation (shared prompts filled in)."""
    from allykit.catalog._kinds import KINDS

    kind = next(kind for kind in KINDS.values() if kind.folder == folder)
    prepare = kind.preparer()
    if prepare is None:
        return data
    data, problems = prepare(data)
    if problems:  # pragma: no cover -- the test suite checks bundled data
        from allykit.errors import DataFileError

        where = f"bundled {kind.name} {item_id!r}"
        raise DataFileError(where, problems)
    return data


def clear_cache() -> None:
    """Forget loaded documents and discovered plugins (the next call reads again)."""
    from allykit.catalog import _plugins

    with _lock:
        _cache.clear()
        _ids.clear()
        _plugins.reset()


_ids: dict[str, tuple[str, ...]] = {}


def bundled_ids(kind: str) -> tuple[str, ...]:
    """Return the sorted ids of the bundled *kind* documents (cached)."""
    try:
        return _ids[kind]
    except KeyError:
        from allykit.catalog import _resources

        _ids[kind] = _resources.list_ids(kind)
        return _ids[kind]


def plugin_files(kind: str) -> dict[str, PluginFile]:
    """Return the plugin documents of *kind* by id (discovered once, cached)."""
    from allykit.catalog import _plugins

    return _plugins.discover(kind, bundled_ids(kind))


def plugin_problems(kind: str) -> tuple[str, ...]:
    """Return one line per unusable plugin entry point or metadata file of *kind*.

    The same lines are issued once as ``PluginWarning``; a caller such as the
    command line reports them in its own format. Files that are listed but
    fail validation are reported when loaded (``DataFileError``).
    """
    from allykit.catalog import _plugins

    return _plugins.problems(kind, bundled_ids(kind))


def available_ids(kind: str) -> tuple[str, ...]:
    """Return the sorted ids of every bundled and plugin *kind* document."""
    bundled = bundled_ids(kind)
    plugins = plugin_files(kind)
    if not plugins:
        return bundled
    return tuple(sorted({*bundled, *plugins}))


def sources_of(kind: str) -> dict[str, str]:
    """Return ``"bundled"`` or the plugin source of every *kind* id, sorted by id."""
    sources = dict.fromkeys(bundled_ids(kind), "bundled")
    sources.update({key: found.source for key, found in plugin_files(kind).items()})
    return dict(sorted(sources.items()))


def load_any(kind: str, cls: type[_D], item_id: str, validate: Validator[_D]) -> _D:
    """Return the bundled or plugin *kind* document *item_id* (cached).

    Bundled data is trusted; a plugin document goes through *validate*, the
    same function that checks a user's own file, on its first load.
    """
    bundled = bundled_ids(kind)
    if item_id in bundled or not isinstance(item_id, str):
        return load_bundled(kind, cls, item_id, bundled)
    found = plugin_files(kind).get(item_id)
    if found is None:
        return load_bundled(kind, cls, item_id, available_ids(kind))
    from allykit.catalog import _plugins

    return _plugins.load_plugin_document(found, validate)


# -- any kind of document ----------------------------------------------------


def _kind(kind: Kind | str) -> Kind:
    return kind if isinstance(kind, Kind) else kind_named(kind)


def from_mapping(
    kind: Kind | str, data: Mapping[str, Any], *, source: str = "<mapping>"
) -> Any:
    """Validate plain data of *kind* and build its object.

    This is what ``Framework.from_dict``, ``Instrument.from_dict`` and their
    siblings do: the schema first, then the kind's cross-reference checks;
    every problem is reported at once. The mapping is only read.

    Raises:
        InvalidArgumentError: If *kind* is not a kind of document.
        DataFileError: Listing every problem, each with its location.

    >>> from_mapping("framework", {"id": "x"}).id
    Traceback (most recent call last):
    ...
    allykit.errors.DataFileError: ...
    """
    found = _kind(kind)
    from allykit.catalog._loading import load_document

    return load_document(
        found.cls(),
        data,
        source=source,
        title=found.title,
        checks=found.checker(),
        prepare=found.preparer(),
    )


def _validator(kind: Kind) -> Validator[Any]:
    def validate(data: Mapping[str, Any], /, *, source: str) -> Any:
        return from_mapping(kind, data, source=source)

    return validate


def from_text(kind: Kind | str, text: str | bytes, *, source: str = "<string>") -> Any:
    """Validate JSON text of *kind* (UTF-8, within the size limit) and build it.

    Raises:
        InvalidArgumentError: If *kind* is not a kind of document.
        DataFileError: If the text is not strict JSON or does not match the
            format; lists every problem.
    """
    from allykit.catalog._loading import from_text as parse

    return parse(text, source, _validator(_kind(kind)))


def from_file(kind: Kind | str, path: str | os.PathLike[str]) -> Any:
    """Read, validate and build a document of *kind* from the user's own file.

    The file must be UTF-8 JSON within the size limit. Nothing in it is
    executed.

    Raises:
        InvalidArgumentError: If *kind* is not a kind of document.
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    from allykit.catalog._loading import from_file as read

    return read(path, _validator(_kind(kind)))


def json_schema(kind: Kind | str) -> dict[str, Any]:
    """Return the JSON Schema of *kind*'s file format.

    The same schemas are committed in ``allykit/data/schemas/``.

    >>> json_schema("crosswalk")["title"]
    'allykit crosswalk'
    """
    found = _kind(kind)
    from allykit.catalog import _schema

    return _schema.json_schema(
        found.cls(), title=found.title, description=found.description
    )


def load(kind: Kind | str, item_id: str) -> Any:
    """Return the bundled or plugin document *item_id* of *kind* (cached)."""
    found = _kind(kind)
    if not found.plugins:
        return load_bundled(
            found.folder, found.cls(), item_id, bundled_ids(found.folder)
        )
    return load_any(found.folder, found.cls(), item_id, _validator(found))


def build_for_models(cls: type[Any], data: Any, source: str) -> Any:
    """Validate *data* (a mapping or JSON text) and build a *cls* (a kind's class)."""
    from allykit.catalog._kinds import kind_of

    kind = kind_of(cls)
    if isinstance(data, (str, bytes)):
        return from_text(kind, data, source=source)
    return from_mapping(kind, data, source=source)
