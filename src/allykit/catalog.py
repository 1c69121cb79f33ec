"""Find, load and validate frameworks: the bundled catalogue and the user's own files.

The load-by-id path here (:func:`load_any`, :func:`available_ids`,
:func:`sources_of`) also serves instruments and crosswalks: bundled data
first, then documents from installed packages (:mod:`allykit._plugins`).
Bundled files are read lazily, on first use, through
:mod:`allykit._resources`, and cached: loading the same id twice returns the
same immutable object, from any thread. User data (files, text, mappings)
is untrusted: it is validated against the file format and cross-checked, and
every problem is reported at once in a :class:`~allykit.errors.DataFileError`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from allykit.errors import UnknownFrameworkError, short_repr

if TYPE_CHECKING:
    # Imported lazily at run time: the domain classes are built on first
    # use, which keeps ``import allykit`` close to ``import attrs``.
    from allykit._loading import Validator
    from allykit._plugins import PluginFile
    from allykit.models import Framework

__all__ = [
    "available_frameworks",
    "clear_cache",
    "framework_json_schema",
    "framework_sources",
    "get_framework",
    "load_framework",
    "load_framework_file",
    "load_framework_mapping",
    "load_framework_text",
]

_FRAMEWORKS = "frameworks"
_TITLE = "allykit framework"
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
    if not isinstance(item_id, str) or item_id not in known:  # type: ignore[redundant-expr]
        wanted = item_id if isinstance(item_id, str) else short_repr(item_id)  # type: ignore[redundant-expr]
        raise UnknownFrameworkError.for_id(wanted, known, what=kind.rstrip("s"))
    with _lock:
        if key not in _cache:
            from allykit import _resources
            from allykit._convert import structure

            # Bundled data is trusted (tests validate it against the schema),
            # so it skips pydantic and goes straight to the converter.
            data = _resources.read_json(kind, item_id)
            _cache[key] = structure(cls, data)
        return _cache[key]  # type: ignore[no-any-return]


def clear_cache() -> None:
    """Forget loaded documents and discovered plugins (the next call reads again)."""
    from allykit import _plugins

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
        from allykit import _resources

        _ids[kind] = _resources.list_ids(kind)
        return _ids[kind]


def plugin_files(kind: str) -> dict[str, PluginFile]:
    """Return the plugin documents of *kind* by id (discovered once, cached)."""
    from allykit import _plugins

    return _plugins.discover(kind, bundled_ids(kind))


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
    from allykit import _plugins

    return _plugins.load_plugin_document(found, validate)


def available_frameworks() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin framework, sorted.

    Plugin frameworks come from installed packages through the entry-point
    group ``allykit.frameworks`` (see :func:`framework_sources`); the first
    call looks them up.

    >>> "ally-model" in available_frameworks()
    True
    """
    return available_ids(_FRAMEWORKS)


def framework_sources() -> dict[str, str]:
    """Return where each available framework comes from, by id (sorted).

    The value is ``"bundled"`` for allykit's own data, or a description of
    the installed package, entry point and file that provides it. Bundled
    data takes precedence over plugins (see the tool builder tutorial).

    >>> framework_sources()["ally-model"]
    'bundled'
    """
    return sources_of(_FRAMEWORKS)


def load_framework(framework_id: str) -> Framework:
    """Return the bundled or plugin framework *framework_id*.

    Bundled frameworks are trusted; a plugin framework is validated like a
    user's file on its first load. Both are cached.
    Use :func:`get_framework` to get a default instead of an error.

    Raises:
        UnknownFrameworkError: If no framework has that id; the message
            suggests the closest ids.
        DataFileError: If a plugin's file does not match the format.

    >>> load_framework("ally-model").stages[0].name
    'Self-Examination and Critical Thinking'
    """
    from allykit.models import Framework

    return load_any(_FRAMEWORKS, Framework, framework_id, load_framework_mapping)


@overload
def get_framework(framework_id: str) -> Framework | None: ...
@overload
def get_framework(framework_id: str, default: _D) -> Framework | _D: ...
def get_framework(framework_id: str, default: object = None) -> object:
    """Return the framework *framework_id*, or *default* if there is none.

    Use :func:`load_framework` to get an error with suggestions instead.

    >>> get_framework("no-such-framework") is None
    True
    """
    try:
        return load_framework(framework_id)
    except UnknownFrameworkError:
        return default


def load_framework_mapping(
    data: Mapping[str, Any], *, source: str = "<mapping>"
) -> Framework:
    """Validate plain data in the framework file format and build a framework.

    The mapping is only read, never changed.

    Raises:
        DataFileError: Listing every problem, each with its location.
    """
    from allykit._checks import check_framework
    from allykit._loading import load_document
    from allykit.models import Framework

    return load_document(
        Framework, data, source=source, title=_TITLE, checks=check_framework
    )


def load_framework_text(text: str | bytes, *, source: str = "<string>") -> Framework:
    """Validate JSON text in the framework file format and build a framework.

    Raises:
        DataFileError: If the text is not UTF-8 JSON within the size limit,
            or does not match the format; lists every problem.
    """
    from allykit._loading import from_text

    return from_text(text, source, load_framework_mapping)


def load_framework_file(path: str | os.PathLike[str]) -> Framework:
    """Read, validate and build a framework from the user's own JSON file.

    The file must be UTF-8 JSON of at most 2 MiB. Nothing in it is executed.

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    from allykit._loading import from_file

    return from_file(path, load_framework_mapping)


def framework_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the framework file format.

    The same schema is committed as ``allykit/data/schemas/framework.schema.json``.

    >>> framework_json_schema()["title"]
    'allykit framework'
    """
    from allykit import _schema
    from allykit.models import Framework

    return _schema.json_schema(
        Framework,
        title=_TITLE,
        description="One allyship framework: stages, characteristics, prompts, "
        "principles, citations and licence. See docs/data-format.md.",
    )
