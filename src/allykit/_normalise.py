"""Text folding shared by search and did-you-mean: case- and accent-insensitive."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "words"]

#: A word: letters and digits (compiled by ``re`` on first use, then cached).
_WORD = r"[^\W_]+"


def fold(text: str) -> str:
    """Return *text* decomposed (NFKD), without combining marks, casefolded.

    >>> fold("Ćafé STRASSE")
    'cafe strasse'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # casefold can produce new decomposable characters; normalise once more.
    return unicodedata.normalize("NFKD", stripped.casefold())


def words(text: str) -> tuple[str, ...]:
    """Return the folded words of *text* (letters and digits; hyphens split).

    >>> words("Self-Examination & Critical thinking")
    ('self', 'examination', 'critical', 'thinking')
    """
    return tuple(re.findall(_WORD, fold(text)))
