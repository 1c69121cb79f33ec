"""Counts with their nouns, for every sentence the scoring text builds.

>>> counted(1, "row")
'1 row'
>>> counted(3, "row")
'3 rows'
>>> counted(1, "repeated id")
'1 repeated id'
>>> counted(0, "pair")
'0 pairs'
"""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, one: str, many: str | None = None) -> str:
    """Return *count* with *one* (for 1) or *many* (default: *one* + "s")."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
