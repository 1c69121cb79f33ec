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
the rest).

How a chain is resolved: iteratively, never through the call stack. The
first :func:`expand` on a thread owns a *session*; it loads the keepers with
an explicit work list, deepest first. A keeper's own :func:`expand` (run by
that load, inside the session) never loads anything: it uses what the
session already holds, or asks for its missing keepers by raising
:class:`_Need`, which the owner catches, loads those first, and loads the
keeper again. So however long a chain is (and whatever :data:`MAX_DEPTH`
is), at most two expansions are ever on the stack, each keeper is loaded
once per session, and a chain longer than the limit is cut off after
:data:`MAX_DEPTH` frameworks, never followed to its end. Each keeper's ids
are looked up in its own index (``Framework`` builds it once per object),
however many ``shared`` entries and documents name it.
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

#: How many frameworks a chain of sharing may pass through, the framework
#: itself included (it, its keeper, that keeper's keeper, ...).
MAX_DEPTH = 16

#: The collections a framework may share, and what one of their items is.
SHAREABLE: Mapping[str, str] = {"prompts": "prompt", "principles": "principle"}

# The session of the expansion under way on this thread, if any.
_local = threading.local()


class _Need(Exception):  # noqa: N818 -- a request, not an error
    """A keeper's expansion needs these frameworks loaded first.

    Raised only inside a session (by a keeper's :func:`expand`, run by the
    session's own load) and caught by the session's owner, never seen by a
    caller of the library.
    """

    def __init__(self, ids: list[str]) -> None:
        super().__init__(ids)
        self.ids = ids


class _Session:
    """What one top-level expansion learned about the frameworks it loaded."""

    def __init__(self, own_id: str) -> None:
        # Each keeper loaded (or tried): the framework, or why it failed.
        self.outcomes: dict[str, Any] = {}
        # Frameworks on the longest chain from each loaded keeper (itself: 1),
        # and the keeper that chain goes through next.
        self.heights: dict[str, int] = {}
        self.below: dict[str, str] = {}
        # Frameworks that failed because of their chain: ("circle", the
        # circle) or ("deep", the too-long chain starting at them).
        self.chains: dict[str, tuple[str, list[str]]] = {}
        # The frameworks being loaded, the owner's document first.
        self.path: list[str] = [own_id]
        # The owner's keepers whose chain was cut off at the limit.
        self.cut: dict[str, list[str]] = {}


def _keeper_ids(data: Mapping[str, Any]) -> list[str]:
    """The frameworks *data* shares from, each once, in order."""
    return list(
        dict.fromkeys(
            keeper
            for _, entry in entries(data, "shared")
            if isinstance(keeper := entry.get("framework"), str)
        )
    )


def expand(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[Problem]]:
    """Return *data* with what it shares filled in, and any problems.

    *data* is returned unchanged when it shares nothing (or its fields have
    the wrong types, which the schema check then reports).
    """
    shared = data.get("shared")
    if not isinstance(shared, list) or not shared:
        return data, []
    own_id = data.get("id")
    own = own_id if isinstance(own_id, str) else ""
    keepers = [k for k in _keeper_ids(data) if k != own]
    session: _Session | None = getattr(_local, "session", None)
    if session is not None:  # a keeper, loaded by the session's owner
        missing = [
            k for k in keepers if k not in session.outcomes and k not in session.path
        ]
        if missing:
            raise _Need(missing)
        return _expand(data, session)
    session = _local.session = _Session(own)
    try:
        _resolve(session, keepers)
        return _expand(data, session)
    finally:
        _local.session = None


def _resolve(session: _Session, wanted: list[str]) -> None:
    """Load every framework in *wanted* and their keepers, deepest first.

    An explicit work list: one frame per framework being loaded, with the
    keepers it still waits for. A framework is loaded once its keepers are;
    a chain that would pass :data:`MAX_DEPTH` frameworks is cut off there
    (the owner's document is then too deep, whatever lies further down).
    """
    for first in wanted:
        if first in session.outcomes or first in session.cut:
            continue
        frames: list[tuple[str, list[str]]] = [(first, [])]
        session.path.append(first)
        while frames:
            top, waiting = frames[-1]
            while waiting and waiting[-1] in session.outcomes:
                waiting.pop()
            if waiting:
                keeper = waiting.pop()
                if len(session.path) >= MAX_DEPTH:
                    session.cut[session.path[1]] = [*session.path, keeper]
                    break
                frames.append((keeper, []))
                session.path.append(keeper)
                continue
            missing = _attempt(session, top)
            if missing:
                waiting.extend(reversed(missing))
                continue
            frames.pop()
            session.path.pop()
        del session.path[1:]


def _attempt(session: _Session, framework_id: str) -> list[str]:
    """Load *framework_id* into the session; return the keepers it waits for."""
    from allykit.catalog import _store

    try:
        framework = _store.load("framework", framework_id)
    except _Need as need:
        missing = _unseen(session, need.ids, framework_id)
        if not missing:  # pragma: no cover -- it asked for what is there
            msg = f"sharing: {framework_id!r} waits for {need.ids!r} again"
            raise RuntimeError(msg) from None
        return missing
    except AllykitError as error:
        session.outcomes[framework_id] = error
        return []
    # Loaded now (its keepers are in the session) or before (cached: its
    # keepers are resolved next, for its height).
    keepers = list(dict.fromkeys(entry.framework for entry in framework.shared))
    missing = _unseen(session, keepers, framework_id)
    if missing:
        return missing
    below = [
        (session.heights[k], k)
        for k in keepers
        if k in session.heights and not isinstance(session.outcomes[k], AllykitError)
    ]
    height, deepest = max(below, default=(0, ""))
    session.heights[framework_id] = 1 + height
    if deepest:
        session.below[framework_id] = deepest
    session.outcomes[framework_id] = framework
    return []


def _unseen(session: _Session, ids: list[str], framework_id: str) -> list[str]:
    """The *ids* the session has neither loaded nor is loading."""
    return [
        k
        for k in ids
        if k != framework_id and k not in session.outcomes and k not in session.path
    ]


def _longest(session: _Session, framework_id: str) -> list[str]:
    """The longest chain of sharing from a loaded framework, itself first."""
    chain = [framework_id]
    while (next_id := session.below.get(chain[-1])) is not None:
        chain.append(next_id)
    return chain


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


def _expand(
    data: Mapping[str, Any], session: _Session
) -> tuple[Mapping[str, Any], list[Problem]]:
    """Fill in *data*'s shared items from keepers the session holds."""
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
    problems: list[Problem] = []
    for index, entry in entries(data, "shared"):
        problems.extend(
            _share(f"shared[{index}]", entry, data, collections, known, session)
        )
    return {**data, **{k: c.items for k, c in collections.items()}}, problems


def _share(  # noqa: PLR0913, PLR0917 -- the document's state, passed along
    where: str,
    entry: Mapping[str, Any],
    data: Mapping[str, Any],
    collections: Mapping[str, _Collection],
    known: Mapping[str, set[Any]],
    session: _Session,
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
    keeper, problem = _keeper(keeper_id, data, where, session, complete=complete)
    if problem is not None:
        return [problem]
    problems: list[Problem] = []
    for key, ids in wanted.items():
        collection = collections[key]
        kept = _table(keeper, key)
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


def _table(keeper: Any, key: str) -> Mapping[str, Any]:
    """The keeper's *key* items by id: its own index, built once per keeper."""
    if keeper is None:
        return {}
    table: Mapping[str, Any] = keeper._table(key)  # noqa: SLF001 -- Framework's index
    return table


def _keeper(
    keeper_id: str,
    data: Mapping[str, Any],
    where: str,
    session: _Session,
    *,
    complete: bool,
) -> tuple[Any, Problem | None]:
    """Return the framework keeping the items, or the problem in the way.

    None and no problem: the keeper is not installed (or cannot be loaded),
    but the document holds every listed item itself (*complete*: a saved,
    self-contained framework, whose chain ends here).
    """
    path = f"{where}.framework"
    me = session.path[-1]
    if keeper_id == data.get("id"):
        return None, errors.Problem(
            path=path,
            message="a framework cannot share with itself",
            value=short_repr(keeper_id),
            hint="list the items in the framework's own prompts or principles",
        )
    problem = _chain_problem(session, me, path, keeper_id)
    if problem is not None:
        return None, problem
    keeper = session.outcomes[keeper_id]
    if isinstance(keeper, AllykitError):
        return None, None if complete else _not_loaded(
            session, me, keeper, path, keeper_id
        )
    return keeper, None


def _chain_problem(
    session: _Session, me: str, path: str, keeper_id: str
) -> Problem | None:
    """The problem with the chain from *me* through *keeper_id*, if any."""
    if keeper_id in session.path:  # it is waiting for this framework
        circle = [me, *session.path[session.path.index(keeper_id) : -1], me]
        return _circle(session, me, path, keeper_id, circle)
    if keeper_id not in session.outcomes:  # the owner's keeper, cut off
        return _too_deep(session, me, path, keeper_id, session.cut[keeper_id])
    keeper = session.outcomes[keeper_id]
    # The same rule whether the keeper was loaded just now or before.
    if (
        not isinstance(keeper, AllykitError)
        and 1 + session.heights[keeper_id] > MAX_DEPTH
    ):
        chain = [me, *_longest(session, keeper_id)]
        return _too_deep(session, me, path, keeper_id, chain)
    return None


def _not_loaded(
    session: _Session, me: str, error: AllykitError, path: str, keeper_id: str
) -> Problem:
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
    # One message for a bad chain, not one wrapper per framework on it.
    kind, chain = session.chains.get(keeper_id, ("", []))
    if kind == "deep":
        return _too_deep(session, me, path, keeper_id, [me, *chain])
    if kind == "circle" and me in chain:
        at = chain.index(me)
        return _circle(session, me, path, keeper_id, [*chain[at:-1], *chain[:at], me])
    return errors.Problem(
        path=path,
        message=f"the framework cannot be loaded: {_first_problem(error)}",
        value=short_repr(keeper_id),
        hint="fix that framework first (load it on its own to see every problem)",
    )


def _circle(
    session: _Session, me: str, path: str, keeper_id: str, circle: list[str]
) -> Problem:
    session.chains[me] = ("circle", circle)
    return errors.Problem(
        path=path,
        message=f"frameworks share in a circle ({' -> '.join(circle)})",
        value=short_repr(keeper_id),
        hint="keep each item in one framework and share it from there",
    )


_SHOWN = 6  # frameworks of a chain named in full; a longer one is elided


def _too_deep(
    session: _Session, me: str, path: str, keeper_id: str, chain: list[str]
) -> Problem:
    session.chains[me] = ("deep", chain)
    shown = chain if len(chain) <= _SHOWN else [*chain[:3], "...", *chain[-2:]]
    return errors.Problem(
        path=path,
        message=f"sharing goes through more than {MAX_DEPTH} frameworks "
        f"({' -> '.join(shown)})",
        value=short_repr(keeper_id),
        hint="share from the framework that keeps the items, not through a "
        "chain of frameworks",
    )


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
