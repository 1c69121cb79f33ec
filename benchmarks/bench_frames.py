"""Benchmark score_frame on pandas and polars against hand-written NumPy.

1,000,000 rows x 18 items (three mean scales of six, two reverse-keyed items
each, 2% missing answers), scored with ``score_frame`` on pandas and on
polars, each as a ratio to NumPy doing the same arithmetic (validity check,
reverse keys, counts, proration threshold, clamped weighted mean) in the
same run; and 100,000 rows through ``score_many`` for contrast.

Times are the median of three runs: wall clock, and the process's CPU time
(less disturbed by other work on a shared machine, but it adds up the
threads polars runs in parallel, so compare polars by wall clock). Peak
memory is what scoring adds to the resident set size: a fresh subprocess
per engine builds that engine's input, resets its peak (Linux:
``/proc/self/clear_refs``), scores once, and reports
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` less the RSS before scoring.
That includes what the engine holds outside Python's allocator (pandas and
polars buffers), which tracemalloc does not see. Where the peak cannot be
reset, the absolute peak of the process is shown instead.

Nothing is asserted: timings depend on the machine. Run:
``python benchmarks/bench_frames.py [rows]``.
"""

from __future__ import annotations

import functools
import math
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from allykit.catalog import load_instrument
from allykit.models.instrument import Item, ItemId, Scale, ScaleId
from allykit.scoring._score import score_many
from allykit.scoring.frames import score_frame

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
    """Answers 1-5, 2% missing (NaN); built a column at a time to keep memory flat."""
    rng = np.random.default_rng(7)
    values = np.empty((rows, ITEMS), dtype=np.float64)
    for n in range(ITEMS):
        values[:, n] = rng.integers(1, 6, size=rows, dtype=np.int8)
        values[rng.random(rows) < 0.02, n] = np.nan
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


def _time(function: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of *repeat* calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), statistics.median(cpu)


def _peak(engine: str, rows: int) -> str:
    """What scoring once adds to peak RSS, measured in a fresh process."""
    command = [sys.executable, __file__, "--peak", engine, str(rows)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    added, reset = done.stdout.split()
    if reset == "reset":
        return f"peak +{float(added):5.0f} MiB"
    return f"peak {float(added):5.0f} MiB (whole process)"


def _max_rss() -> float:
    """Peak RSS so far in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    scale = 2**20 if sys.platform == "darwin" else 2**10
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _run_once(engine: str, rows: int) -> None:
    """Build *engine*'s input, score it once; print the RSS added and 'reset'."""
    values = _data(rows)
    names = [f"q{n:02d}" for n in range(ITEMS)]
    if engine == "pandas":
        import pandas as pd

        frame: Any = pd.DataFrame(values, columns=names)
    elif engine == "polars":
        import polars as pl

        frame = pl.from_numpy(values, schema=names).fill_nan(None)
    else:
        frame = values
    try:  # Linux: "5" resets the peak RSS to the current RSS
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        before, reset = 0.0, "absolute"
    else:
        before, reset = _max_rss(), "reset"
    if engine == "numpy":
        _numpy(frame)
    else:
        score_frame(INSTRUMENT, frame)
    print(_max_rss() - before, reset)


def main() -> None:
    """Print medians, ratios to NumPy and peak memory."""
    if sys.argv[1:2] == ["--peak"]:
        _run_once(sys.argv[2], int(sys.argv[3]))
        return
    import pandas as pd
    import polars as pl

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    # First, while this process is small: a child's ru_maxrss starts at the
    # RSS of the process it was forked from, which clear_refs cannot reset.
    peaks = {engine: _peak(engine, rows) for engine in ("numpy", "pandas", "polars")}
    values = _data(rows)
    names = [f"q{n:02d}" for n in range(ITEMS)]
    pandas_frame = pd.DataFrame(values, columns=names)
    polars_frame = pl.from_numpy(values, schema=names).fill_nan(None)

    base, base_cpu = _time(lambda: _numpy(values))
    print(f"rows: {rows:,} x {ITEMS} items, 2% missing")
    print(
        f"numpy (hand-written)     wall {base * 1000:8.1f} ms  cpu {base_cpu * 1000:8.1f} ms"
        f"  {peaks['numpy']}"
    )
    for label, frame in (("pandas", pandas_frame), ("polars", polars_frame)):
        elapsed, cpu = _time(functools.partial(score_frame, INSTRUMENT, frame))
        print(
            f"score_frame({label:6})     wall {elapsed * 1000:8.1f} ms  cpu {cpu * 1000:8.1f} ms"
            f"  {peaks[label]}"
            f"  ratio to numpy: wall {elapsed / base:5.2f}x, cpu {cpu / base_cpu:5.2f}x"
        )
    few = min(rows, 100_000)
    dicts = [
        {
            name: (None if math.isnan(v) else int(v))
            for name, v in zip(names, row, strict=True)
        }
        for row in values[:few].tolist()
    ]
    elapsed, _ = _time(lambda: list(score_many(INSTRUMENT, dicts)), repeat=1)
    print(
        f"score_many ({few:,} dicts) wall {elapsed * 1000:8.1f} ms"
        f"  ({elapsed / few * 1e6:.1f} us per row; about {elapsed / few * rows:.0f} s"
        f" for {rows:,})"
    )


if __name__ == "__main__":
    main()
