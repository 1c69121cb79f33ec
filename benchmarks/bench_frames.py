"""Benchmark score_frame on pandas and polars against hand-written NumPy.

1,000,000 rows x 18 items (three mean scales of six, two reverse-keyed items
each, 2% missing answers), scored with ``score_frame`` on pandas and on
polars, each as a ratio to NumPy doing the same arithmetic (validity check,
reverse keys, counts, proration threshold, clamped weighted mean) in the
same run; peak memory from tracemalloc; and 100,000 rows through
``score_many`` for contrast.

Run: ``python benchmarks/bench_frames.py [rows]``.
"""

from __future__ import annotations

import functools
import math
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from allykit.frames import score_frame
from allykit.instruments import Item, ItemId, Scale, ScaleId, load_instrument
from allykit.scoring import score_many

warnings.filterwarnings("ignore", category=FutureWarning)

ITEMS = 18
BASE = load_instrument("ally-model-reflection")
INSTRUMENT = attrs.evolve(
    BASE,
    items=tuple(
        Item(id=ItemId(f"q{n:02d}"), reverse=n % 6 in {4, 5}) for n in range(ITEMS)
    ),
    scales=tuple(
        Scale(
            id=ScaleId(f"scale-{s}"),
            name=f"Scale {s}",
            items=tuple(ItemId(f"q{n:02d}") for n in range(s * 6, s * 6 + 6)),
            method="mean",
            min_answered=4,
            min_answered_share=0.5,
        )
        for s in range(3)
    ),
    bands=(),
    framework=None,
)


def _data(rows: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    rng = np.random.default_rng(7)
    values = rng.integers(1, 6, size=(rows, ITEMS)).astype(np.float64)
    values[rng.random((rows, ITEMS)) < 0.02] = np.nan
    return values


def _numpy(values: np.ndarray[Any, np.dtype[np.float64]]) -> list[Any]:
    """The same rules as score_frame, written by hand for this instrument."""
    out: list[Any] = []
    choices = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    for s in range(3):
        block = values[:, s * 6 : s * 6 + 6].copy()
        valid = np.isin(block, choices)
        block[:, 4:] = 6.0 - block[:, 4:]
        answered = valid.sum(axis=1)
        total = np.where(valid, block, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.clip(total / answered, 1.0, 5.0)
        needed = max(4, math.ceil(0.5 * 6 - 1e-9))
        out.extend((np.where(answered >= needed, mean, np.nan), answered, answered < 6))
    return out


def _time(function: Callable[[], object], repeat: int = 3) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def main() -> None:
    """Print medians, ratios to NumPy and peak memory."""
    import pandas as pd
    import polars as pl

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    values = _data(rows)
    names = [f"q{n:02d}" for n in range(ITEMS)]
    pandas_frame = pd.DataFrame(values, columns=names)
    polars_frame = pl.from_numpy(values, schema=names).fill_nan(None)

    base, base_peak = _time(lambda: _numpy(values))
    print(f"rows: {rows:,} x {ITEMS} items, 2% missing")
    print(
        f"numpy (hand-written)   {base * 1000:9.1f} ms   peak {base_peak / 2**20:8.1f} MiB"
    )
    for label, frame in (("pandas", pandas_frame), ("polars", polars_frame)):
        elapsed, peak = _time(functools.partial(score_frame, INSTRUMENT, frame))
        print(
            f"score_frame({label:6})   {elapsed * 1000:9.1f} ms   peak {peak / 2**20:8.1f} MiB"
            f"   ratio to numpy {elapsed / base:5.2f}x"
        )
    few = min(rows, 100_000)
    dicts = [
        {
            name: (None if math.isnan(v) else int(v))
            for name, v in zip(names, row, strict=True)
        }
        for row in values[:few].tolist()
    ]
    elapsed, peak = _time(lambda: list(score_many(INSTRUMENT, dicts)), repeat=1)
    print(
        f"score_many ({few:,} rows) {elapsed * 1000:9.1f} ms   peak {peak / 2**20:8.1f} MiB"
        f"   ({elapsed / few * 1e6:.1f} us per row; {elapsed / few * rows:.1f} s per {rows:,})"
    )


if __name__ == "__main__":
    main()
