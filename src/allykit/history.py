"""The history of steps a person has taken: plain, stable ids, as JSON.

A :class:`History` is all the state sequencing needs: :func:`allykit.next_step`
rebuilds everything else from it. It stores only ids (prompt, stage, cycle
step, framework, cycle), never answers, so it survives content updates: an id
that no longer exists is reported by the next step, not treated as an error.
allykit never writes a history anywhere; the caller stores the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from allykit.models import FrameworkId, PromptId, StageId, _doc

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

    >>> from allykit import History, HistoryEntry
    >>> history = History().append(HistoryEntry(prompt="what-i-do-with-discomfort"))
    >>> History.from_json(history.to_json()) == history
    True
    >>> len(history)
    1
    """

    entries: tuple[HistoryEntry, ...] = attrs.field(
        default=(), metadata=_doc("Steps taken, oldest first.")
    )
    # Derived sequencing state, keyed by options; not data, equality or hash.
    _states: dict[Any, Any] = attrs.field(
        init=False, factory=dict, eq=False, hash=False, repr=False
    )

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
        result = History(entries=(*self.entries, entry))
        for key, state in self._states.items():
            # Carry derived state forward in O(1) instead of replaying.
            result._states[key] = state.extended(entry)
        return result

    # -- conversion ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the history as JSON-ready plain data."""
        from allykit._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = None) -> str:
        """Return the history as JSON text."""
        from allykit._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, source: str = "<history>"
    ) -> History:
        """Validate plain data (as written by :meth:`to_dict`) and build a history.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit._loading import load_document

        return load_document(cls, data, source=source, title=_TITLE, checks=_no_checks)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "<history>") -> History:
        """Validate JSON text and build a history.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit._loading import parse_json

        return cls.from_dict(parse_json(text, source), source=source)


def _no_checks(_data: Mapping[str, Any]) -> list[Any]:
    return []


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
    from allykit import _schema

    return _schema.json_schema(
        History,
        title=_TITLE,
        description="The steps a person has taken through allykit prompts, as "
        "stable ids. See docs/sequencing.md.",
    )
