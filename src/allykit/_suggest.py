"""Did-you-mean suggestions for unknown ids (imported only when an id is unknown)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["closest", "suggestion_text"]

_SHOWN = 12  # known ids listed in a message before "and N more"


def closest(wanted: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """Return up to *limit* known ids closest to *wanted*, best first."""
    candidates = sorted(set(known))
    lowered = wanted.lower()
    matches = difflib.get_close_matches(lowered, candidates, n=limit, cutoff=0.5)
    # Prefix and substring matches help with partial ids ("self" -> "self-examination").
    extra = [c for c in candidates if lowered and lowered in c and c not in matches]
    return (matches + extra)[:limit]


def suggestion_text(wanted: str, known: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'? known ids: ..."`` for an error message."""
    candidates = sorted(set(known))
    if not candidates:
        return "; there are none"
    best = closest(wanted, candidates)
    text = ""
    if best:
        text += "; did you mean " + " or ".join(repr(b) for b in best) + "?"
    shown = ", ".join(repr(c) for c in candidates[:_SHOWN])
    extra = len(candidates) - _SHOWN
    more = f" and {extra} more" if extra > 0 else ""
    return text + f" known ids: {shown}{more}"
