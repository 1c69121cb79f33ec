"""The history of steps a person has taken: plain, stable ids, as JSON.

A :class:`History` is all the state sequencing needs: :func:`allykit.next_step`
rebuilds everything else from it. It stores only ids (prompt, stage, cycle
step, framework, cycle), never answers, so it survives content updates: an id
that no longer exists is reported by the next step, not treated as an error.
allykit never writes a history anywhere; the caller stores the JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from allykit.models.framework import FrameworkId, PromptId, StageId, _doc

if TYPE_CHECKING:
    from allykit.models.framework import DeprecatedId, Framework

__all__ = ["History", "HistoryEntry", "history_json_schema"]

_TITLE = "allykit history"


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
        default=None, metadata=_doc("Id of the framework stage, or null.")
    )
    cycle_step: StageId | None = attrs.field(
        default=None, metadata=_doc("Id of the reflective-cycle stage, or null.")
    )
    framework: FrameworkId | None = attrs.field(
        default=None, metadata=_doc("Id of the framework, or null.")
    )
    cycle: FrameworkId | None = attrs.field(
        default=None,
        metadata=_doc("Id of the reflective cycle whose prompt was shown, or null."),
    )


@attrs.frozen(kw_only=True, repr=False)
class History:
    """The steps a person has taken, oldest first.

    Immutable: :meth:`append` returns a new history. Sequencing caches what it
    derives from a history on the history object itself (a pure function of
    the entries), so repeated calls and appended histories are cheap.

    >>> from allykit import History
    >>> from allykit.reflection import HistoryEntry
    >>> history = History().append(HistoryEntry(prompt="what-i-do-with-discomfort"))
    >>> History.from_json(history.to_json()) == history
    True
    >>> len(history)
    1
    """

    entries: tuple[HistoryEntry, ...] = attrs.field(
        default=(), metadata=_doc("Steps taken, oldest first.")
    )

    @functools.cached_property
    def _states(self) -> dict[Any, Any]:
        """Derived sequencing state, keyed by options (not data)."""
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
        # A snapshot: another thread may add a state while this one appends.
        for key, state in tuple(self._states.items()):
            # Carry derived state forward in O(1) instead of replaying.
            result._states[key] = state.extended(entry)
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
        from allykit.models._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the history as JSON text."""
        from allykit.models._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "<history>"
    ) -> History:
        """Validate plain data (as written by :meth:`to_dict`) and build a history.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit.catalog._loading import load_document

        return load_document(cls, data, source=source, title=_TITLE)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "<history>") -> History:
        """Validate JSON text and build a history.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit.catalog._loading import parse_json

        return cls.from_dict(parse_json(text, source), source=source)


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
