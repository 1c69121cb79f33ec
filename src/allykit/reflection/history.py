"""The history of steps a person has taken: plain, stable ids, as JSON.

A :class:`History` is all the state sequencing needs: :func:`allykit.next_step`
rebuilds everything else from it. It stores only ids (prompt, stage, cycle
step, framework, cycle), never answers, so it survives content updates: an id
that no longer exists is reported by the next step, not treated as an error.
allykit never writes a history anywhere; the caller stores the JSON.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import attrs

from allykit.models._result import Result
from allykit.models.framework import FrameworkId, PromptId, StageId, _doc

if TYPE_CHECKING:
    from allykit.models.framework import DeprecatedId, Framework

__all__ = ["MAX_HISTORY_BYTES", "History", "HistoryEntry", "history_json_schema"]

_TITLE = "allykit history"

#: Largest history JSON text that :meth:`History.from_json` reads and
#: :meth:`History.to_json` writes, in bytes (UTF-8): 64 MiB, several hundred
#: thousand steps. Histories have a cap of their own, larger than the 2 MiB
#: of other documents, so that whatever allykit writes it reads back.
MAX_HISTORY_BYTES = 64 * 1024 * 1024

_ORDER = ("prompt", "stage", "cycle_step", "framework", "cycle")
_FIELDS = frozenset(_ORDER)
_TOP_FIELDS = frozenset({"$schema", "schema_version", "entries"})
# The id rule of the schema (catalog._schema.ID_PATTERN, at most 80 characters)
# as a full match: "$" would also accept a trailing newline.
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ID_MAX = 80


_OPTIONAL_ID = frozenset({str, type(None)})


def _refuse_field(name: str, value: object) -> None:
    """Raise the error for an entry field *name* that is not an id."""
    from allykit.errors import InvalidArgumentError, short_repr

    kind = "an id (str)" if name == "prompt" else "an id (str) or None"
    msg = (
        f"HistoryEntry.{name} must be {kind}, got {short_repr(value)}; "
        "build entries from steps (step.entry()) or History.from_json"
    )
    raise InvalidArgumentError(msg)


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One step taken: which prompt was shown, for which stage and cycle step.

    Attributes:
        prompt: Id of the prompt shown (a prompt of *framework*, or of
            *cycle* when a reflective cycle was used).
        stage: Id of the framework stage the step served, or None.
        cycle_step: Id of the reflective-cycle stage, or None.
        framework: Id of the framework, or None when the history serves one
            framework only.
        cycle: Id of the reflective cycle whose prompt was shown, or None.
    """

    prompt: PromptId = attrs.field(metadata=_doc("Id of the prompt shown."))
    stage: StageId | None = attrs.field(
        default=None,
        metadata=_doc("Id of the framework stage, or null."),
    )
    cycle_step: StageId | None = attrs.field(
        default=None,
        metadata=_doc("Id of the reflective-cycle stage, or null."),
    )
    framework: FrameworkId | None = attrs.field(
        default=None,
        metadata=_doc("Id of the framework, or null."),
    )
    cycle: FrameworkId | None = attrs.field(
        default=None,
        metadata=_doc("Id of the reflective cycle whose prompt was shown, or null."),
    )

    def __attrs_post_init__(self) -> None:
        """Check every field at once: the prompt a str, the others a str or None.

        One check per entry rather than a validator per field: a history
        read from JSON builds an entry per distinct step.
        """
        if (
            type(self.prompt) is str
            and {
                type(self.stage),
                type(self.cycle_step),
                type(self.framework),
                type(self.cycle),
            }
            <= _OPTIONAL_ID
        ):
            return
        for name in ("prompt", "stage", "cycle_step", "framework", "cycle"):
            value = getattr(self, name)
            if not isinstance(value, str) and (value is not None or name == "prompt"):
                _refuse_field(name, value)


def _as_entries(entries: object) -> tuple[HistoryEntry, ...]:
    """Converter of ``History.entries``: a tuple of entries, or an allykit error."""
    from allykit.errors import InvalidArgumentError, short_repr

    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Iterable):
        msg = (
            "History(entries=...) takes a sequence of HistoryEntry (or steps), "
            f"got {short_repr(entries)}"
        )
        raise InvalidArgumentError(msg)
    result = tuple(entries)
    if set(map(type, result)) <= {HistoryEntry}:
        return result
    converted = []
    for position, entry in enumerate(result):
        try:
            converted.append(as_entry(entry))
        except InvalidArgumentError:  # noqa: PERF203 -- only on the error path
            msg = (
                f"History(entries=...): entry {position} is not a HistoryEntry "
                f"or step, got {short_repr(entry)}; build entries with "
                "HistoryEntry(prompt=...) or read stored ones with "
                "History.from_json"
            )
            raise InvalidArgumentError(msg) from None
    return tuple(converted)


@attrs.frozen(kw_only=True, repr=False)
class History(Result):
    """The steps a person has taken, oldest first.

    Immutable, and safe to share between threads: :meth:`append` returns a
    new history. Sequencing caches what it derives from a history on the
    history object itself (a pure function of the entries, replaced whole,
    never changed in place), so repeated calls and appended histories are
    cheap. *entries* may be any iterable of :class:`HistoryEntry` (or steps
    from :func:`allykit.next_step`); it is stored as a tuple.

    >>> from allykit import History
    >>> from allykit.reflection import HistoryEntry
    >>> history = History().append(HistoryEntry(prompt="what-i-do-with-discomfort"))
    >>> History.from_json(history.to_json()) == history
    True
    >>> len(history)
    1
    """

    entries: tuple[HistoryEntry, ...] = attrs.field(
        default=(),
        converter=_as_entries,
        metadata=_doc("Steps taken, oldest first."),
    )

    @functools.cached_property
    def _states(self) -> dict[Any, Any]:
        """Derived sequencing state, keyed by options (not data).

        Copy on write: a published dict is never changed; the sequencer
        replaces it whole (see :func:`remember`), so threads sharing the
        history read consistent snapshots.
        """
        return {}

    def __len__(self) -> int:
        """Return the number of steps taken."""
        return len(self.entries)

    def __repr__(self) -> str:
        """Return a short summary."""
        return f"<History: {len(self.entries)} steps>"

    def append(self, step: Any) -> History:
        """Return a new history with *step* (a :class:`Step` or entry) added.

        Raises:
            InvalidArgumentError: If *step* is neither.
        """
        entry = as_entry(step)
        # Concatenation copies the tuple in C: about 5x faster than unpacking.
        result = History(entries=self.entries + (entry,))  # noqa: RUF005
        states = self._states  # a snapshot: published dicts never change
        if states:
            # Carry derived state forward in O(1) instead of replaying.
            remember(
                result, {key: state.extended(entry) for key, state in states.items()}
            )
        return result

    def migrate(self, framework: Any, *, cycle: Any = None) -> History:
        """Return a new history with deprecated ids replaced by their replacements.

        When a framework renames a prompt or stage, it keeps the old id in
        :attr:`~allykit.models.framework.Framework.deprecated_ids`. Call this once
        after upgrading allykit (or a data package) and store the result:
        the entries of *framework* (those whose ``framework`` is its id or
        None) get the live prompt and stage ids, and, with *cycle*, the
        entries of that reflective cycle get its live prompt and step ids.
        Ids retired without a live replacement, and entries of other
        frameworks, are kept as they are. No warning is issued: migrating is
        the fix the :class:`~allykit.errors.AllykitDeprecationWarning` of
        :func:`allykit.next_step` asks for.

        Args:
            framework: The framework (as now released) the history serves.
            cycle: The reflective cycle used with it, if any (a framework).

        Returns:
            The migrated history; this one when nothing needed replacing.

        Raises:
            InvalidArgumentError: If *framework* or *cycle* is not a
                framework.

        >>> import allykit
        >>> model = allykit.load_framework("ally-model")
        >>> old = model.prompts[0].id
        >>> data = model.to_dict()
        >>> data["prompts"][0]["id"] = "renamed-prompt"
        >>> data["deprecated_ids"] = [
        ...     {"collection": "prompts", "id": old, "replaced_by": "renamed-prompt",
        ...      "since": "2.0.0"}
        ... ]
        >>> newer = allykit.Framework.from_dict(data)
        >>> history = History(entries=(HistoryEntry(prompt=old, framework=model.id),))
        >>> history.migrate(newer).entries[0].prompt
        'renamed-prompt'
        >>> history.migrate(model) is history
        True
        """
        main = _framework_arg(framework, "framework")
        other = _framework_arg(cycle, "cycle") if cycle is not None else None
        prompts = replacements(main, "prompts")
        stages = replacements(main, "stages")
        cycle_prompts = replacements(other, "prompts") if other else {}
        cycle_steps = replacements(other, "stages") if other else {}
        entries = []
        for entry in self.entries:
            new = entry
            if entry.framework in {None, main.id}:
                if entry.cycle is None:
                    new = attrs.evolve(
                        entry,
                        prompt=_live(prompts, entry.prompt),
                        stage=_live(stages, entry.stage),
                    )
                elif other is not None and entry.cycle == other.id:
                    new = attrs.evolve(
                        entry,
                        prompt=_live(cycle_prompts, entry.prompt),
                        stage=_live(stages, entry.stage),
                        cycle_step=_live(cycle_steps, entry.cycle_step),
                    )
            entries.append(new)
        if all(a is b or a == b for a, b in zip(entries, self.entries, strict=True)):
            return self
        return History(entries=tuple(entries))

    # -- conversion ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the history as JSON-ready plain data."""
        return {
            "schema_version": 1,
            "entries": [
                {
                    "prompt": e.prompt,
                    "stage": e.stage,
                    "cycle_step": e.cycle_step,
                    "framework": e.framework,
                    "cycle": e.cycle,
                }
                for e in self.entries
            ],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the history as JSON text, which :meth:`from_json` reads back.

        Raises:
            InvalidArgumentError: If the text would be larger than
                :data:`MAX_HISTORY_BYTES` (what :meth:`from_json` reads).
        """
        from allykit.models._convert import json_text

        text = json_text(self.to_dict(), indent=indent)
        # Ids are ASCII, so characters are bytes unless something else crept in.
        size = len(text) if text.isascii() else len(text.encode("utf-8"))
        if size > MAX_HISTORY_BYTES:
            from allykit.errors import InvalidArgumentError

            msg = (
                f"this history of {len(self.entries)} steps is {size} bytes as "
                f"JSON, more than from_json reads ({MAX_HISTORY_BYTES} bytes); "
                "keep the recent steps (History(entries=history.entries[-n:])) "
                "or store it in parts"
            )
            raise InvalidArgumentError(msg)
        return text

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "<history>"
    ) -> History:
        """Validate plain data (as written by :meth:`to_dict`) and build a history.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        if isinstance(data, Mapping):
            fast = _fast_build(data.items())
            if fast is not None:
                return fast
        from allykit.catalog._loading import load_document

        return load_document(cls, data, source=source, title=_TITLE)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "<history>") -> History:
        """Validate JSON text and build a history, in one pass.

        Reads up to :data:`MAX_HISTORY_BYTES`; every history :meth:`to_json`
        writes reads back. Valid text is checked and built in one pass
        (identical entries share one immutable object); on any problem the
        text goes through the full validation, which reports every problem
        with its location.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        fast = _fast_from_json(text)
        if fast is not None:
            return fast
        from allykit.catalog._loading import parse_json

        data = parse_json(text, source, limit=MAX_HISTORY_BYTES)
        from allykit.catalog._loading import load_document

        return load_document(cls, data, source=source, title=_TITLE)


def remember(history: History, states: dict[Any, Any]) -> None:
    """Publish *states* as the derived state of *history* (replacing it whole)."""
    object.__setattr__(history, "_states", states)


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


def _fast_from_json(text: object) -> History | None:
    """Parse, check and build valid history text in one pass; None on any doubt.

    Objects are parsed as tuples of pairs (in C), which keeps duplicate keys
    visible and makes each entry hashable: each distinct entry is checked
    and built once. Anything unusual returns None, and the caller runs the
    full validation for its located errors.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_HISTORY_BYTES:
            return None
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    if not isinstance(text, str) or len(text) > MAX_HISTORY_BYTES:
        return None
    try:
        top = json.loads(text, object_pairs_hook=tuple, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if type(top) is not tuple:
        return None
    return _fast_build(top, pairs=True)


def _fast_build(  # noqa: PLR0911 -- one return per reason to doubt
    top: Iterable[Any], *, pairs: bool = False
) -> History | None:
    """Check and build a history document given as (key, value) pairs."""
    items = tuple(top)
    document = dict(items)
    if len(document) != len(items) or not document.keys() <= _TOP_FIELDS:
        return None
    version = document.get("schema_version", 1)
    if type(version) is not int or version != 1:
        return None
    schema = document.get("$schema")
    if schema is not None and not isinstance(schema, str):
        return None
    raw = document.get("entries", [])
    if type(raw) is not list:  # with pairs, an object is a tuple: not entries
        return None
    if not pairs:
        return _fast_mappings(raw)
    try:
        distinct = dict.fromkeys(raw)  # in order of first appearance
    except TypeError:  # a list or object in an entry's value: not an id
        return None
    unique = list(distinct)
    # Keys in another order, or something to doubt: entry by entry.
    entries = _columnwise(unique) or _one_by_one(unique)
    if entries is None:
        return None
    if len(unique) == len(raw):  # every step distinct: already in order
        return History(entries=tuple(entries))
    built = dict(zip(unique, entries, strict=True))
    return History(entries=tuple(map(built.__getitem__, raw)))


def _columnwise(  # noqa: C901, PLR0911 -- one return per reason to doubt
    unique: list[Any],
) -> list[HistoryEntry] | None:
    """Check and build distinct entries whose keys come in one order, column by column.

    The common case (what :meth:`History.to_json` writes), done with C-level
    passes: each column's key is checked as a set, every id in one regular
    expression match over the distinct ids, then one constructor call per
    entry. Returns the entries in the order of *unique*, or None when the
    entries are not all alike.
    """
    if not unique:
        return []
    if any(type(pairs) is not tuple for pairs in unique):
        return None
    widths = set(map(len, unique))
    if len(widths) != 1:
        return None
    columns = list(zip(*unique, strict=True))
    names: list[str] = []
    values: list[list[Any]] = []
    for column in columns:  # pairs of a parsed object: (key, value) always
        keys = set(map(_first, column))
        if len(keys) != 1:
            return None
        (name,) = keys
        if name not in _FIELDS or name in names:
            return None
        names.append(name)
        values.append(list(map(_second, column)))
    if "prompt" not in names:
        return None
    ids: set[Any] = set()
    for name, column_values in zip(names, values, strict=True):
        ids.update(column_values)
        if name == "prompt" and None in ids:
            return None
    ids.discard(None)
    if not set(map(type, ids)) <= {str} or not _all_ids(ids):
        return None
    absent = [None] * len(unique)
    by_name = dict(zip(names, values, strict=True))
    ordered = [by_name.get(name, absent) for name in _ORDER]
    return [
        HistoryEntry(
            prompt=prompt,
            stage=stage,
            cycle_step=cycle_step,
            framework=framework,
            cycle=cycle,
        )
        for prompt, stage, cycle_step, framework, cycle in zip(*ordered, strict=True)
    ]


def _one_by_one(unique: list[Any]) -> list[HistoryEntry] | None:
    """Check and build distinct entries one at a time; None on any doubt."""
    entries = []
    good: set[str] = set()
    for pairs_of_entry in unique:
        entry = _entry_from_pairs(pairs_of_entry, good)
        if entry is None:
            return None
        entries.append(entry)
    return entries


_first = itemgetter(0)
_second = itemgetter(1)
_IDS = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*\n)*")


def _all_ids(ids: set[str]) -> bool:
    """Whether every string in *ids* is an id (one match over all of them)."""
    if not ids:
        return True
    if max(map(len, ids)) > _ID_MAX:
        return False
    return _IDS.fullmatch("\n".join(ids) + "\n") is not None


def _fast_mappings(raw: Iterable[Any]) -> History | None:
    """Check and build entries given as mappings (from_dict)."""
    entries = []
    built: dict[tuple[tuple[str, Any], ...], HistoryEntry] = {}
    good: set[str] = set()
    for item in raw:
        if type(item) is not dict:
            return None
        try:
            key = tuple(item.items())
            entry = built.get(key)
        except TypeError:
            return None
        if entry is None:
            made = _entry_from_pairs(key, good)
            if made is None:
                return None
            entry = built[key] = made
        entries.append(entry)
    return History(entries=tuple(entries))


def _entry_from_pairs(pairs: Any, good: set[str] | None = None) -> HistoryEntry | None:
    """Build the entry that (key, value) pairs describe, or None if not valid.

    *good* holds ids already checked in this document (ids repeat).
    """
    if type(pairs) is not tuple:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or not fields.keys() <= _FIELDS:
        return None
    if "prompt" not in fields:
        return None
    if good is None:
        good = set()
    for name, value in fields.items():
        if value in good or (value is None and name != "prompt"):
            continue
        if (
            type(value) is not str
            or len(value) > _ID_MAX
            or _ID.fullmatch(value) is None
        ):
            return None
        good.add(value)
    return HistoryEntry(
        prompt=fields["prompt"],
        stage=fields.get("stage"),
        cycle_step=fields.get("cycle_step"),
        framework=fields.get("framework"),
        cycle=fields.get("cycle"),
    )


def _framework_arg(value: Any, what: str) -> Framework:
    from allykit.models.framework import Framework

    if not isinstance(value, Framework):
        from allykit.errors import InvalidArgumentError, short_repr

        msg = (
            f"{what} must be a Framework (from allykit.load_framework), "
            f"got {short_repr(value)}"
        )
        raise InvalidArgumentError(msg)
    return value


def replacements(framework: Framework, collection: str) -> dict[str, DeprecatedId]:
    """Return old id -> deprecation for ids of *collection* with a live replacement.

    Shared by :meth:`History.migrate` and the sequencer; not public API.
    """
    live = framework._table(collection)  # noqa: SLF001 -- the framework's id table
    return {
        old.id: old
        for old in framework.deprecated_ids
        if old.collection == collection
        and old.id not in live
        and old.replaced_by in live
    }


def _live(found: dict[str, DeprecatedId], wanted: Any) -> Any:
    old = found.get(wanted) if wanted is not None else None
    return old.replaced_by if old is not None else wanted


def as_entry(step: Any) -> HistoryEntry:
    """Return *step* as a history entry (a :class:`Step` or an entry)."""
    if isinstance(step, HistoryEntry):
        return step
    to_entry = getattr(step, "entry", None)
    if callable(to_entry):
        entry = to_entry()
        if isinstance(entry, HistoryEntry):
            return entry
    from allykit.errors import InvalidArgumentError, short_repr

    msg = f"expected a Step or HistoryEntry, got {short_repr(step)}"
    raise InvalidArgumentError(msg)


def history_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the history format.

    >>> history_json_schema()["title"]
    'allykit history'
    """
    from allykit.catalog import _schema

    return _schema.json_schema(
        History,
        title=_TITLE,
        description="The steps a person has taken through allykit prompts, as "
        "stable ids. See docs/sequencing.md.",
    )
