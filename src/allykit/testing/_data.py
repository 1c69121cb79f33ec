"""Generated data sets: longitudinal answers (seeded, not a strategy) and item columns.

Part of :mod:`allykit.testing`, the one strategies module: import from there.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from allykit.models.instrument import (
    Instrument,
)

__all__ = ["item_columns", "longitudinal_rows"]


def longitudinal_rows(  # noqa: PLR0913 -- keyword-only knobs of the generator
    instrument: Instrument,
    *,
    seed: int,
    people: int = 40,
    waves: int = 4,
    slope: float = 0.3,
    missed: float = 0.1,
) -> list[list[dict[str, Any]]]:
    """Return *waves* administrations of generated answers, paired by ``"id"``.

    Each respondent has an intercept and a slope of their own (normal, on
    the instrument's response scale), each answer adds noise and is
    rounded to a choice, reverse-keyed items are answered the other way
    round, and a wave is missed with probability *missed*. Not a Hypothesis
    strategy: a fixed data set per *seed*, for peer tests of ``waves()``.

    >>> from allykit.catalog import load_instrument
    >>> data = longitudinal_rows(
    ...     load_instrument("ally-model-reflection"), seed=1, people=5, waves=3)
    >>> len(data), all(len(wave) <= 5 for wave in data)
    (3, True)
    """
    import random

    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    scale = instrument.response_scale
    if scale is None:
        msg = "longitudinal_rows needs an instrument with one response scale"
        raise ValueError(msg)
    low, high = scale.min, scale.max
    middle, spread = (low + high) / 2, (high - low) / 4
    values = [float(choice.value) for choice in scale.choices]
    out: list[list[dict[str, Any]]] = [[] for _ in range(waves)]
    for person in range(people):
        level = rng.gauss(middle, spread)
        own_slope = rng.gauss(slope, abs(slope) * 0.8 + 0.05)
        for wave in range(waves):
            if rng.random() < missed:
                continue
            row: dict[str, Any] = {"id": f"r{person}"}
            for item in instrument.items:
                target = level + own_slope * wave + rng.gauss(0, spread / 2)
                if item.reverse:
                    target = low + high - target
                row[item.id] = _nearest(values, target)
            out[wave].append(row)
    return out


def _nearest(values: list[float], target: float) -> float | int:
    best = min(values, key=lambda v: abs(v - target))
    return int(best) if best.is_integer() else best


@st.composite
def item_columns(
    draw: st.DrawFn, *, max_items: int = 6, max_rows: int = 12
) -> list[list[float | None]]:
    """Answers to 2 to *max_items* items on 1..5, one list per item, some None.

    For properties of the figures computed from item columns (correlations,
    the first principal component).
    """
    k = draw(st.integers(2, max_items))
    n = draw(st.integers(5, max(5, max_rows)))
    # About one answer in ten missing.
    answer = st.integers(0, 49).map(lambda v: None if v < 5 else float(1 + v % 5))  # noqa: PLR2004
    return [draw(st.lists(answer, min_size=n, max_size=n)) for _ in range(k)]
