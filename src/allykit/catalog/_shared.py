"""Fill in what a framework shares with the framework that keeps it.

A framework file may use prompts and principles that another framework
keeps, by listing their ids under ``shared`` instead of copying them: one
copy in the data, so the two cannot drift apart. Before a framework document
is validated, :func:`expand` appends each listed item, exactly as its keeper
has it, to the document's collection (after the document's own). The
caller's mapping is never changed.

A document that already holds a listed item (``Framework.to_dict()`` writes
them out, so that a saved framework is self-contained) keeps it, provided it
is the keeper's item unchanged; when the keeper is not installed, such a
complete document loads as it is. Problems are reported at the file's own
paths (``shared[0].prompts[2]``), with the value and what to do.

A keeper may itself share from a third framework; such a chain may be at
most :data:`MAX_DEPTH` frameworks long (a longer one, like a circle, is a
problem of every framework on it, so that a listing skips them and keeps
the rest). Each keeper's items are indexed once per document, however many
``shared`` entries name it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from allykit import errors
from allykit.catalog._checks import entries
from allykit.errors import AllykitError, short_repr

if TYPE_CHECKING:
    from allykit.errors import Problem

__all__ = ["MAX_DEPTH", "SHAREABLE", "expand"]

#: How many frameworks a chain of sharing may pass through (this framework's
#: keeper, that keeper's keeper, ...).
MAX_DEPTH = 16

#: The collections a framework may share, and what one of their items is.
SHAREABLE: Mapping[str, str] = {"prompts": "prompt", "principles": "principle"}

# The ids of the frameworks being expanded on this thread: sharing in a
# circle (a from b, b from a) is reported instead of recursing for ever.
_local = threading.local()


def _active() -> list[str]:
    stack: list[str] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


class _Collection:
    """One collection of the document as it is being filled in."""

    def __init__(self, key: str, items: list[Any], what: str) -> None:
        self.key = key
        self.what = what
        self.items = list(items)
        self.present: dict[str, int] = {
            entry["id"]: index
            for index, entry in enumerate(items)
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
        }
        self.listed: dict[str, str] = {}  # id -> the path that shares it


def expand(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[Problem]]:
    """Return *data* with what it shares filled in, and any problems.

    *data* is returned unchanged when it shares nothing (or its fields have
    the wrong types, which the schema check then reports).
    """
    shared = data.get("shared")
    if not isinstance(shared, list) or not shared:
        return data, []
    collections = {
        key: _Collection(key, data.get(key, []), what)
        for key, what in SHAREABLE.items()
        if isinstance(data.get(key, []), list)
    }
    # What a shared item may refer to: ids of this document, read once.
    known = {
        key: {entry.get("id") for _, entry in entries(data, key)}
        for key in ("stages", "characteristics", "citations")
    }
    own_id = data.get("id")
    problems: list[Problem] = []
    stack = _active()
    stack.append(own_id if isinstance(own_id, str) else "")
    # Each keeper's items by id, built once for all the entries naming it.
    tables: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        for index, entry in entries(data, "shared"):
            problems.extend(
                _share(f"shared[{index}]", entry, data, collections, known, tables)
            )
    finally:
        stack.pop()
    return {**data, **{k: c.items for k, c in collections.items()}}, problems


def _share(  # noqa: PLR0913, PLR0917 -- the document's state, passed along
    where: str,
    entry: Mapping[str, Any],
    data: Mapping[str, Any],
    collections: Mapping[str, _Collection],
    known: Mapping[str, set[Any]],
    tables: dict[tuple[str, str], dict[str, Any]],
) -> list[Problem]:
    """Fill in the items one ``shared`` entry lists; return its problems."""
    keeper_id = entry.get("framework")
    if not isinstance(keeper_id, str):
        return []  # the schema check reports the type
    wanted = {
        key: ids for key in collections if isinstance(ids := entry.get(key, []), list)
    }
    complete = all(
        item_id in collections[key].present
        for key, ids in wanted.items()
        for item_id in ids
    )
    keeper, problem = _keeper(keeper_id, data, where, complete=complete)
    if problem is not None:
        return [problem]
    problems: list[Problem] = []
    for key, ids in wanted.items():
        collection = collections[key]
        kept = _table(tables, keeper_id, keeper, key)
        for position, item_id in enumerate(ids):
            path = f"{where}.{key}[{position}]"
            if not isinstance(item_id, str):
                continue
            if item_id in collection.listed:
                problems.append(
                    errors.Problem(
                        path=path,
                        message=f"this {collection.what} is already shared by "
                        f"{collection.listed[item_id]}",
                        value=short_repr(item_id),
                        hint=f"list each shared {collection.what} once",
                    )
                )
                continue
            collection.listed[item_id] = path
            if keeper is None:
                continue  # not installed: the document's own copy stands
            found = kept.get(item_id)
            if found is None:
                problems.append(_unknown(path, item_id, keeper_id, kept, collection))
                continue
            problems.extend(_fill(path, found, keeper_id, known, collection))
    return problems


def _table(
    tables: dict[tuple[str, str], dict[str, Any]],
    keeper_id: str,
    keeper: Any,
    key: str,
) -> dict[str, Any]:
    """The keeper's *key* items by id (indexed on first use)."""
    if keeper is None:
        return {}
    table = tables.get((keeper_id, key))
    if table is None:
        table = tables[keeper_id, key] = {i.id: i for i in getattr(keeper, key)}
    return table


def _keeper(
    keeper_id: str, data: Mapping[str, Any], where: str, *, complete: bool
) -> tuple[Any, Problem | None]:
    """Return the framework keeping the items, or the problem in the way.

    None and no problem: the keeper is not installed, but the document holds
    every listed item itself (*complete*: a saved, self-contained framework).
    """
    path = f"{where}.framework"
    refused = _refused(keeper_id, data, path)
    if refused is not None:
        return None, refused
    from allykit.catalog import _store

    try:
        keeper = _store.load("framework", keeper_id)
    except AllykitError as error:
        return None, None if complete else _not_loaded(error, path, keeper_id)
    # The same rule whether the keeper was loaded just now or before.
    if 1 + _chain_length(keeper) > MAX_DEPTH:
        return None, _too_deep(path, keeper_id, [*_active(), keeper_id, "..."])
    return keeper, None


def _not_loaded(error: AllykitError, path: str, keeper_id: str) -> Problem:
    """The problem of a keeper that failed to load with *error*."""
    from allykit.errors import UnknownDocumentError

    if isinstance(error, UnknownDocumentError):
        return errors.Problem(
            path=path,
            message="no framework with this id is installed to share from",
            value=short_repr(keeper_id),
            hint="install the package that provides it, or copy the items "
            "into this framework",
        )
    if _too_deep_below(error):  # one message, not one wrapper per level
        return _too_deep(path, keeper_id, [*_active(), keeper_id, "..."])
    return errors.Problem(
        path=path,
        message=f"the framework cannot be loaded: {_first_problem(error)}",
        value=short_repr(keeper_id),
        hint="fix that framework first (load it on its own to see every problem)",
    )


def _refused(keeper_id: str, data: Mapping[str, Any], path: str) -> Problem | None:
    """The problem with sharing from *keeper_id* before it is loaded, if any."""
    if keeper_id == data.get("id"):
        return errors.Problem(
            path=path,
            message="a framework cannot share with itself",
            value=short_repr(keeper_id),
            hint="list the items in the framework's own prompts or principles",
        )
    stack = _active()
    if keeper_id in stack:
        circle = " -> ".join([*stack[stack.index(keeper_id) :], keeper_id])
        return errors.Problem(
            path=path,
            message=f"frameworks share in a circle ({circle})",
            value=short_repr(keeper_id),
            hint="keep each item in one framework and share it from there",
        )
    if len(stack) >= MAX_DEPTH:  # checked before loading: no deep recursion
        return _too_deep(path, keeper_id, [*stack, keeper_id])
    return None


_SHOWN = 6  # frameworks of a chain named in full; a longer one is elided


_TOO_DEEP = f"sharing goes through more than {MAX_DEPTH} frameworks"


def _too_deep_below(error: AllykitError) -> bool:
    """Whether a keeper failed to load because its own chain is too long."""
    return any(
        problem.message.startswith(_TOO_DEEP)
        for problem in getattr(error, "problems", ())
    )


def _too_deep(path: str, keeper_id: str, chain: list[str]) -> Problem:
    shown = chain if len(chain) <= _SHOWN else [*chain[:3], "...", *chain[-2:]]
    return errors.Problem(
        path=path,
        message=f"{_TOO_DEEP} ({' -> '.join(shown)})",
        value=short_repr(keeper_id),
        hint="share from the framework that keeps the items, not through a "
        "chain of frameworks",
    )


def _chain_length(framework: Any) -> int:
    """Frameworks on the longest chain of sharing from *framework* (itself: 1).

    Walked with an explicit stack over loaded frameworks (a keeper that
    loaded had its own keepers loaded, so they come from the cache); each
    framework is visited once, however many paths lead to it.
    """
    lengths: dict[int, int] = {}
    keepers: dict[int, list[Any]] = {}

    def keepers_of(node: Any) -> list[Any]:
        found = keepers.get(id(node))
        if found is None:
            found = [
                keeper
                for entry in getattr(node, "shared", ())
                if (keeper := _installed(entry.framework)) is not None
            ]
            keepers[id(node)] = found
        return found

    todo: list[tuple[Any, bool]] = [(framework, False)]
    on_path: set[int] = set()
    while todo:
        node, finished = todo.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            below = [lengths.get(id(k), 0) for k in keepers_of(node)]
            lengths[key] = 1 + max(below, default=0)
        elif key not in lengths and key not in on_path:
            on_path.add(key)
            todo.append((node, True))
            todo.extend((k, False) for k in keepers_of(node))
    return lengths[id(framework)]


def _installed(framework_id: str) -> Any:
    """The framework *framework_id*, or None when it cannot be loaded.

    A framework that loaded while its keeper could not is a self-contained
    copy: its chain ends there.
    """
    from allykit.catalog import _store

    try:
        return _store.load("framework", framework_id)
    except AllykitError:
        return None


def _first_problem(error: AllykitError) -> str:
    """One line naming what is wrong with a keeper that fails to load."""
    problems = getattr(error, "problems", ())
    if not problems:
        return str(error).splitlines()[0]
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    where = f"{first.path}: " if first.path else ""
    return f"{where}{first.message}{more}"


def _unknown(
    path: str,
    item_id: str,
    keeper_id: str,
    kept: Mapping[str, Any],
    collection: _Collection,
) -> Problem:
    from allykit._suggest import closest

    near = closest(item_id, kept, limit=1)
    return errors.Problem(
        path=path,
        message=f"framework {keeper_id!r} has no {collection.what} with this id",
        value=short_repr(item_id),
        hint=f"did you mean {near[0]!r}?"
        if near
        else f"list one of its {collection.what} ids",
    )


def _fill(
    path: str,
    found: Any,
    keeper_id: str,
    known: Mapping[str, set[Any]],
    collection: _Collection,
) -> list[Problem]:
    """Append the keeper's item, or check the document's copy of it."""
    from allykit.models._convert import unstructure

    problems = _fits(path, found, keeper_id, known, collection.what)
    if problems:
        return problems
    plain = unstructure(found)
    index = collection.present.get(found.id)
    if index is None:
        collection.items.append(plain)
        return []
    if _same(collection.items[index], plain, type(found)):
        return []
    return [
        errors.Problem(
            path=f"{collection.key}[{index}]",
            message=f"this copy of a {collection.what} shared from {keeper_id!r} "
            f"differs from the {collection.what} there",
            value=short_repr(found.id),
            hint=f"remove the copy (it is filled in from {keeper_id!r}), or stop "
            f"sharing it in {path}",
        )
    ]


def _fits(
    path: str, found: Any, keeper_id: str, known: Mapping[str, set[Any]], what: str
) -> list[Problem]:
    """Problems of a shared item naming what this framework lacks.

    It may refer only to stages, characteristics and citations that this
    framework has too (*known*: their ids in this document).
    """
    source = getattr(found, "source", None)
    wanted = [
        ("stage", "stages", getattr(found, "stage", None)),
        *(
            ("characteristic", "characteristics", c)
            for c in getattr(found, "characteristics", ())
        ),
        ("citation", "citations", None if source is None else source.citation),
        *(
            ("citation", "citations", note.citation)
            for note in getattr(found, "modelling_notes", ())
        ),
    ]
    return [
        errors.Problem(
            path=path,
            message=f"the {what} refers to {kind} {value!r} of {keeper_id!r}, "
            "which this framework does not have",
            value=short_repr(found.id),
            hint=f"add that {kind} here, or share only {what}s that do not use it",
        )
        for kind, key, value in wanted
        if value is not None and value not in known[key]
    ]


def _same(copy: Any, plain: Mapping[str, Any], cls: type[Any]) -> bool:
    """Whether the document's copy is the keeper's item (absent = default)."""
    if not isinstance(copy, Mapping) or set(copy) - set(plain):
        return False
    defaults = _defaults(cls)
    return all(
        copy.get(key, defaults.get(key)) == value for key, value in plain.items()
    )


def _defaults(cls: type[Any]) -> dict[str, Any]:
    """The plain (JSON) form of each field default of an attrs class."""
    import attrs

    return {
        field.name: list(field.default)
        if isinstance(field.default, tuple)
        else field.default
        for field in attrs.fields(cls)
        if field.default is not attrs.NOTHING
    }
