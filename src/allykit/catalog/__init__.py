"""Find, load and validate documents: the bundled catalogue, plugins, the user's files.

One registry of kinds (:data:`KINDS`: framework, instrument, crosswalk,
published scale) drives every loader here; the functions per kind are typed
wrappers over the generic ones (:func:`from_mapping`, :func:`from_text`,
:func:`from_file`, :func:`json_schema`), and loading by id lives in
:mod:`allykit.catalog._store`: bundled data first, then documents from
installed packages (:mod:`allykit.catalog._plugins`). Bundled files are read
lazily, on first use, through :mod:`allykit.catalog._resources`, and cached:
loading the same id twice returns the same immutable object, from any thread.
User data (files, text, mappings) is untrusted: it is validated against the
file format and cross-checked, and every problem is reported at once in a
:class:`~allykit.errors.DataFileError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from allykit.catalog._kinds import KINDS, Kind
from allykit.catalog._store import (
    available_ids,
    bundled_ids,
    clear_cache,
    from_file,
    from_mapping,
    from_text,
    json_schema,
    load,
    sources_of,
)
from allykit.errors import UnknownDocumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.crosswalk import Crosswalk
    from allykit.models.framework import Framework
    from allykit.models.instrument import Instrument
    from allykit.models.published import PublishedScale

__all__ = [
    # Frameworks
    "available_frameworks",
    "framework_json_schema",
    "framework_sources",
    "get_framework",
    "load_framework",
    "load_framework_file",
    # Instruments
    "available_instruments",
    "get_instrument",
    "instrument_json_schema",
    "instrument_sources",
    "load_instrument",
    "load_instrument_file",
    "merge_item_text",
    # Crosswalks
    "available_crosswalks",
    "crosswalk_json_schema",
    "crosswalk_sources",
    "load_crosswalk",
    "load_crosswalk_file",
    # Published scales (metadata only)
    "available_scales",
    "load_scale",
    "load_scale_file",
    "scale_json_schema",
    # Any kind of document
    "KINDS",
    "Kind",
    "from_file",
    "from_mapping",
    "from_text",
    "document_sources",
    "example_answers",
    "guess_kind",
    "json_schema",
    "load_document",
    "read_json_file",
    # Search
    "SearchHit",
    "search",
    # Caches
    "clear_cache",
]

_D = TypeVar("_D")


# -- frameworks ----------------------------------------------------------------


def available_frameworks() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin framework, sorted.

    Plugin frameworks come from installed packages through the entry-point
    group ``allykit.frameworks`` (see :func:`framework_sources`); the first
    call looks them up.

    >>> "ally-model" in available_frameworks()
    True
    """
    return available_ids(KINDS["framework"].folder)


def framework_sources() -> dict[str, str]:
    """Return where each available framework comes from, by id (sorted).

    The value is ``"bundled"`` for allykit's own data, or a description of
    the installed package, entry point and file that provides it. Bundled
    data takes precedence over plugins (see the tool builder tutorial).

    >>> framework_sources()["ally-model"]
    'bundled'
    """
    return sources_of(KINDS["framework"].folder)


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
    return load(KINDS["framework"], framework_id)  # type: ignore[no-any-return]


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
    except UnknownDocumentError:
        return default


def load_framework_file(path: str | os.PathLike[str]) -> Framework:
    """Read, validate and build a framework from the user's own JSON file.

    The file must be UTF-8 JSON of at most 2 MiB. Nothing in it is executed.

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    return from_file(KINDS["framework"], path)  # type: ignore[no-any-return]


def framework_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the framework file format.

    >>> framework_json_schema()["title"]
    'allykit framework'
    """
    return json_schema(KINDS["framework"])


# -- instruments ---------------------------------------------------------------


def available_instruments() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin instrument, sorted.

    Plugin instruments come from installed packages through the entry-point
    group ``allykit.instruments`` (see :func:`instrument_sources`).

    >>> "ally-model-reflection" in available_instruments()
    True
    """
    return available_ids(KINDS["instrument"].folder)


def instrument_sources() -> dict[str, str]:
    """Return where each available instrument comes from, by id (sorted).

    >>> instrument_sources()["ally-model-reflection"]
    'bundled'
    """
    return sources_of(KINDS["instrument"].folder)


def load_instrument(instrument_id: str) -> Instrument:
    """Return the bundled or plugin instrument *instrument_id* (cached).

    Bundled instruments are trusted; a plugin instrument is validated like a
    user's file (:func:`load_instrument_file`) on its first load.
    Use :func:`get_instrument` to get a default instead of an error.

    Raises:
        UnknownDocumentError: If no instrument has that id; the message
            suggests the closest ids.
        DataFileError: If a plugin's file does not match the format.

    >>> load_instrument("ally-model-reflection").framework
    'ally-model'
    """
    return load(KINDS["instrument"], instrument_id)  # type: ignore[no-any-return]


@overload
def get_instrument(instrument_id: str) -> Instrument | None: ...
@overload
def get_instrument(instrument_id: str, default: _D) -> Instrument | _D: ...
def get_instrument(instrument_id: str, default: object = None) -> object:
    """Return the instrument *instrument_id*, or *default* if there is none.

    >>> get_instrument("no-such-inventory") is None
    True
    """
    try:
        return load_instrument(instrument_id)
    except UnknownDocumentError:
        return default


def load_instrument_file(path: str | os.PathLike[str]) -> Instrument:
    """Read, validate and build an instrument from the user's own JSON file.

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    return from_file(KINDS["instrument"], path)  # type: ignore[no-any-return]


def instrument_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the instrument file format.

    >>> instrument_json_schema()["title"]
    'allykit instrument'
    """
    return json_schema(KINDS["instrument"])


_MERGEABLE = ("response_scale", "items", "scales", "bands")


def merge_item_text(  # noqa: C901, PLR0912 -- a checklist of the user's input
    instrument: Instrument, supplied: str | os.PathLike[str] | Mapping[str, Any]
) -> Instrument:
    """Return *instrument* completed with wording and keys from the user's own file.

    For published scales allykit ships metadata only. A user who holds a
    licensed copy writes a JSON file (or passes a mapping) with any of the
    keys ``response_scale``, ``items``, ``scales`` and ``bands``, in the
    instrument file format. Items are merged by id (the user's fields win;
    new ids are appended); ``response_scale``, ``scales`` and ``bands``
    replace the instrument's when given. The result is validated like any
    user instrument, so a wrong item count or an unknown key is reported
    with its location. Nothing is written anywhere.

    Raises:
        InvalidArgumentError: If *instrument* is not an Instrument or
            *supplied* is neither a path nor a mapping.
        DataFileError: If the file cannot be read, has other keys, or the
            merged instrument is invalid; lists every problem.

    >>> from allykit.catalog import load_instrument
    >>> base = load_instrument("ally-model-reflection")
    >>> mine = {"items": [{"id": base.items[0].id, "text": "Mine."}]}
    >>> merged = merge_item_text(base, mine)
    >>> merged.items[0].text
    'Mine.'
    """
    from allykit.catalog._loading import parse_json, read_file
    from allykit.errors import DataFileError, InvalidArgumentError, Problem
    from allykit.models.instrument import Instrument

    if not isinstance(instrument, Instrument):
        msg = (
            f"expected an Instrument (from allykit.load_instrument or "
            f"load_instrument_file), got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    if isinstance(supplied, Mapping):
        source, data = "<mapping>", supplied
    elif isinstance(supplied, (str, os.PathLike)):
        source, raw = read_file(supplied)
        data = parse_json(raw, source)
    else:
        msg = f"expected a path or a mapping, got {short_repr(supplied)}"
        raise InvalidArgumentError(msg)
    if not isinstance(data, Mapping):
        problem = Problem(
            path="", message="expected a JSON object", value=short_repr(data)
        )
        raise DataFileError(source, [problem])
    extra = sorted(str(k) for k in data if k not in (*_MERGEABLE, "$schema"))
    if extra:
        problems = [
            Problem(
                path=key,
                message="this key cannot be merged",
                hint="allowed keys: " + ", ".join(_MERGEABLE),
            )
            for key in extra
        ]
        raise DataFileError(source, problems)
    document = instrument.to_dict()
    for key in ("response_scale", "scales", "bands"):
        if key in data:
            document[key] = data[key]
    supplied_items = data.get("items")
    if supplied_items is not None:
        if not isinstance(supplied_items, list):
            problem = Problem(
                path="items",
                message="expected a list",
                value=short_repr(supplied_items),
            )
            raise DataFileError(source, [problem])
        items = list(document["items"])
        where = {item["id"]: index for index, item in enumerate(items)}
        for entry in supplied_items:
            item_id = entry.get("id") if isinstance(entry, Mapping) else None
            if isinstance(item_id, str) and item_id in where:
                index = where[item_id]
                items[index] = {**items[index], **entry}
            else:
                items.append(entry)
        document["items"] = items
    return from_mapping(KINDS["instrument"], document, source=source)  # type: ignore[no-any-return]


# -- crosswalks ----------------------------------------------------------------


def available_crosswalks() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin crosswalk, sorted.

    Plugin crosswalks come from installed packages through the entry-point
    group ``allykit.crosswalks`` (see :func:`crosswalk_sources`).

    >>> "ally-model-to-ally-development-levels" in available_crosswalks()
    True
    """
    return available_ids(KINDS["crosswalk"].folder)


def crosswalk_sources() -> dict[str, str]:
    """Return where each available crosswalk comes from, by id (sorted).

    >>> crosswalk_sources()["ally-model-to-becoming-an-ally"]
    'bundled'
    """
    return sources_of(KINDS["crosswalk"].folder)


def load_crosswalk(crosswalk_id: str) -> Crosswalk:
    """Return the bundled or plugin crosswalk *crosswalk_id* (cached).

    A plugin crosswalk is validated like a user's file on its first load.

    Raises:
        UnknownDocumentError: If no crosswalk has that id; the message
            suggests the closest ids.
        DataFileError: If a plugin's file does not match the format.

    >>> len(load_crosswalk("ally-model-to-becoming-an-ally").links) > 0
    True
    """
    return load(KINDS["crosswalk"], crosswalk_id)  # type: ignore[no-any-return]


def load_crosswalk_file(path: str | os.PathLike[str]) -> Crosswalk:
    """Read, validate and build a crosswalk from the user's own JSON file.

    Stage ids are checked against each end's framework when it is available
    (bundled or from an installed package).

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    return from_file(KINDS["crosswalk"], path)  # type: ignore[no-any-return]


def crosswalk_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the crosswalk file format.

    >>> crosswalk_json_schema()["title"]
    'allykit crosswalk'
    """
    return json_schema(KINDS["crosswalk"])


# -- published scales (metadata only) -------------------------------------------


def available_scales() -> tuple[str, ...]:
    """Return the ids of every bundled scale record, sorted.

    >>> "ally-identity-measure" in available_scales()
    True
    """
    return bundled_ids(KINDS["scale"].folder)


def load_scale(scale_id: str) -> PublishedScale:
    """Return the bundled scale record *scale_id*.

    Raises:
        UnknownDocumentError: If no bundled record has that id.

    >>> scale = load_scale("ally-identity-measure")
    >>> scale.items, [s.name for s in scale.subscales]
    (19, ['Knowledge and Skills', 'Openness and Support', 'Oppression Awareness'])
    """
    return load(KINDS["scale"], scale_id)  # type: ignore[no-any-return]


def load_scale_file(path: str | os.PathLike[str]) -> PublishedScale:
    """Read, validate and build a scale record from the user's own JSON file.

    Raises:
        DataFileError: Listing every problem, each with its location.
    """
    return from_file(KINDS["scale"], path)  # type: ignore[no-any-return]


def scale_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the published-scale record format.

    >>> scale_json_schema()["title"]
    'allykit published scale'
    """
    return json_schema(KINDS["scale"])


# -- search ----------------------------------------------------------------------


def example_answers(instrument_id: str) -> dict[str, Any]:
    """Return the bundled, made-up example answers to an instrument.

    They ship for the tour and the tutorials and describe no one.

    >>> answers = example_answers("ally-model-reflection")
    >>> "ac-speak-up" in answers
    True
    """
    from allykit.catalog import _resources

    answers: dict[str, Any] = _resources.read_json(
        "examples", f"{instrument_id}-answers"
    )
    return answers


def guess_kind(data: object) -> Kind:
    """Tell a document's kind from its keys (a framework when nothing else fits).

    >>> guess_kind({"id": "x", "links": [], "source": "a"}).name
    'crosswalk'
    """
    from allykit.catalog._kinds import guess_kind as guess

    return guess(data)


def document_sources(kind: Kind | str) -> dict[str, str]:
    """Return ``"bundled"`` or the plugin source of every document of *kind*, by id.

    >>> document_sources("instruments")["ally-model-reflection"]
    'bundled'
    """
    from allykit.catalog._store import sources_of

    return sources_of(kind if isinstance(kind, str) else kind.folder)


def load_document(kind: Kind | str, document_id: str) -> Any:
    """Return the bundled or plugin document *document_id* of *kind* (cached).

    Raises:
        UnknownDocumentError: For an unknown id.
        DataFileError: For a plugin file that is not a valid document.
    """
    from allykit.catalog._store import load

    return load(kind, document_id)


def read_json_file(path: str | os.PathLike[str], *, limit: int | None = None) -> Any:
    """Return the plain data of a JSON file, read with the catalogue's rules.

    The same limits and checks as every document allykit reads: at most
    2 MiB (or *limit* bytes), UTF-8, no duplicate keys, no NaN or Infinity.

    Raises:
        DataFileError: If the file cannot be read or is not such JSON.
        InvalidArgumentError: If *path* is not a path.
    """
    from allykit.catalog._loading import MAX_FILE_BYTES, parse_json, read_file

    cap = MAX_FILE_BYTES if limit is None else limit
    source, raw = read_file(path, limit=cap)
    return parse_json(raw, source, limit=cap)


from allykit.catalog._search import SearchHit, search  # noqa: E402 -- after the loaders, as listed
