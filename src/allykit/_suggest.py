"""Did-you-mean suggestions for unknown ids (imported only when an id is unknown).

Ids are compared after the same folding as :func:`allykit.search`
(accents removed, case folded, spaces and underscores read as hyphens), so
``"Ally Modél"`` suggests ``'ally-model'``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from allykit._normalise import words

__all__ = ["closest", "suggestion_text"]

_SHOWN = 12  # known ids listed in a message before "and N more"
_SUBSTRING_MIN = 3  # shorter ids match only the start of a word


def closest(wanted: str, known: Iterable[str], *, limit: int = 3) -> list[str]:
    """Return up to *limit* known ids closest to *wanted*, best first."""
    candidates = sorted(set(known))
    folded = {_key(c): c for c in reversed(candidates)}  # first wins on clashes
    lowered = _key(wanted)
    keys = sorted(folded)
    matches = [
        folded[k] for k in difflib.get_close_matches(lowered, keys, n=limit, cutoff=0.5)
    ]
    # Prefix and substring matches help with partial ids ("self" -> "self-examination");
    # under three characters, only a word's start ("ac" in "ac-x", not in "factors").
    extra = [
        folded[k]
        for k in keys
        if lowered
        and (
            lowered in k
            if len(lowered) >= _SUBSTRING_MIN
            else any(w.startswith(lowered) for w in k.split("-"))
        )
        and folded[k] not in matches
    ]
    # A misspelt first word ("gibs" -> "gibbs-reflective-cycle").
    heads = [
        folded[k]
        for k in keys
        if "-" in k
        and "-" not in lowered
        and folded[k] not in matches + extra
        and difflib.get_close_matches(lowered, [k.split("-")[0]], cutoff=0.75)
    ]
    return (matches + extra + heads)[:limit]


def _key(text: str) -> str:
    """Fold *text* into id form: ``"Ally Modél"`` -> ``"ally-model"``."""
    return "-".join(words(text)) or text


def suggestion_text(wanted: str, known: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'? known ids: ..."`` for an error message.

    Without a suggestion it is ``"; known ids: ..."``: the separator is
    always there.
    """
    candidates = sorted(set(known))
    if not candidates:
        return "; there are none"
    best = closest(wanted, candidates)
    text = ";"
    if best:
        text += " did you mean " + " or ".join(repr(b) for b in best) + "?"
    shown = ", ".join(repr(c) for c in candidates[:_SHOWN])
    extra = len(candidates) - _SHOWN
    more = f" and {extra} more" if extra > 0 else ""
    return text + f" known ids: {shown}{more}"
