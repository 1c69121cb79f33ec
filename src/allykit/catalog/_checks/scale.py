"""Consistency checks of published-scale records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["check_scale"]


def check_scale(data: Mapping[str, Any]) -> list[Any]:
    from allykit.errors import Problem, short_repr

    items, subscales = data.get("items"), data.get("subscales")
    if not (isinstance(items, int) and isinstance(subscales, list)):
        return []
    raw = [s.get("items") for s in subscales if isinstance(s, Mapping)]
    counts = [c for c in raw if isinstance(c, int)]
    if counts and len(counts) == len(raw) and sum(counts) != items:
        return [
            Problem(
                path="subscales",
                message=f"subscale item counts add up to {sum(counts)}, "
                f"not the scale's {items}",
                value=short_repr(counts),
                hint="check the counts against the publication",
            )
        ]
    return []
