"""Benchmark score_frame on the bundled instruments as shipped, against NumPy.

Each bundled instrument that can be scored (``ally-model-reflection``:
20 items in three scales with reverse keys, N/A labels, bands and a
framework; ``action-continuum-scenarios``: one scale, bands, a framework)
is scored as shipped, on 1,000,000 rows with 5% missing answers (NaN), by
``score_frame`` on pandas and on polars, and by hand-written NumPy that
produces the same columns (score, answered, not applicable, prorated) by
the same rules, driven by the instrument's plan, in the same run.
Targets: pandas at most 1.5x NumPy, polars at most 1.0x (wall clock, warm).

Warm is the median of three calls after one untimed call; cold is the first
call in a fresh process (imports of narwhals and the engine's pieces, the
instrument's plan), measured in the same subprocess as peak memory.

Times are wall clock and the process's CPU time (less disturbed by other
work on a shared machine, but it adds up the threads polars runs in
parallel, so compare polars by wall clock). Peak memory is what scoring
adds to the resident set size: a fresh subprocess per engine builds that
engine's input, resets its peak (Linux: ``/proc/self/clear_refs``),
scores once, and reports ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
less the RSS before scoring. Where the peak cannot be reset, the absolute
peak of the process is shown instead.

Nothing is asserted: timings depend on the machine. Run:
``python benchmarks/bench_frames.py [rows]``; ``--profile`` adds a
cProfile of one pandas call (where the time goes).
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

import numpy as np

from allykit.catalog import load_instrument
from allykit.errors import UnvalidatedInstrumentWarning
from allykit.models.instrument import Instrument
from allykit.scoring._plan import Plan, plan_for
from allykit.scoring._score import score_many
from allykit.scoring.frames import score_frame

warnings.filterwarnings("ignore", category=FutureWarning)
# The bundled inventories are reflective aids, not validated measures; the
# benchmark times them and says so once here instead of once per call.
warnings.filterwarnings("ignore", category=UnvalidatedInstrumentWarning)

INSTRUMENTS = ("ally-model-reflection", "action-continuum-scenarios")
TARGETS = {"pandas": 1.5, "polars": 1.0}


def _data(instrument: Instrument, rows: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Choice values, 5% missing (NaN); built a column at a time to keep memory flat."""
    plan = plan_for(instrument)
    rng = np.random.default_rng(7)
    # Column-major, as a frame holds its columns: each item's answers are
    # contiguous for NumPy too (row-major would make NumPy's column passes
    # strided, and slower than they need to be).
    values = np.empty((rows, len(plan.items)), dtype=np.float64, order="F")
    for n, item in enumerate(plan.items):
        choices = np.array(sorted(float(v) for v in item.values))
        values[:, n] = rng.choice(choices, size=rows)
        values[rng.random(rows) < 0.05, n] = np.nan
    return values


def _numpy(plan: Plan, values: np.ndarray[Any, np.dtype[np.float64]]) -> list[Any]:
    """The rules of score_frame for numeric answers, written with NumPy."""
    valid = np.empty(values.shape, dtype=bool)
    na = np.zeros(values.shape, dtype=bool)
    for n, item in enumerate(plan.items):
        column = values[:, n]
        choices = sorted(float(v) for v in item.values)
        valid[:, n] = (column >= choices[0]) & (column <= choices[-1])
        valid[:, n] &= np.floor(column) == column
        if item.na_values:
            na[:, n] = np.isin(column, sorted(float(v) for v in item.na_values))
    out: list[Any] = []
    for sp in plan.scales:
        members = [index for index, _, _, _ in sp.members]
        weights = np.array([weight for _, weight, _, _ in sp.members])
        reverse = np.array([rev for _, _, rev, _ in sp.members])
        block = values[:, members]
        ok = valid[:, members]
        keyed = np.where(reverse, sp.low + sp.high - block, block)
        answered = ok.sum(axis=1)
        total = (np.where(ok, keyed, 0.0) * weights).sum(axis=1)
        weight_sum = (ok * weights).sum(axis=1)
        not_applicable = na[:, members].sum(axis=1)
        needed = np.maximum(
            np.maximum(
                sp.min_answered,
                np.ceil(sp.share * (sp.n_items - not_applicable) - 1e-9),
            ),
            1,
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.clip(total / weight_sum, sp.low, sp.high)
        method = sp.scale.method
        if method == "pomp":
            mean = (mean - sp.low) / (sp.high - sp.low) * 100.0
        elif method == "sum":
            mean *= sp.total_weight
        elif method == "median":
            mean = np.nanmedian(np.where(ok, keyed, np.nan), axis=1)
        out.extend(
            (
                np.where(answered >= needed, mean, np.nan),
                answered,
                not_applicable,
                answered < sp.n_items,
            )
        )
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


def _peak(instrument_id: str, engine: str, rows: int) -> tuple[str, float]:
    """Peak RSS added by scoring once, and the cold time, in a fresh process."""
    command = [sys.executable, __file__, "--peak", instrument_id, engine, str(rows)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    added, reset, cold = done.stdout.split()
    if reset == "reset":
        return f"peak +{float(added):5.0f} MiB", float(cold)
    return f"peak {float(added):5.0f} MiB (whole process)", float(cold)


def _max_rss() -> float:
    """Peak RSS so far in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    scale = 2**20 if sys.platform == "darwin" else 2**10
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _frame(engine: str, values: Any, names: list[str]) -> Any:
    if engine == "pandas":
        import pandas as pd

        return pd.DataFrame(values, columns=names)
    if engine == "polars":
        import polars as pl

        return pl.from_numpy(values, schema=names).fill_nan(None)
    return values


def _run_once(instrument_id: str, engine: str, rows: int) -> None:
    """Build *engine*'s input, score once; print RSS added, 'reset' and seconds."""
    instrument = load_instrument(instrument_id)
    values = _data(instrument, rows)
    names = [item.id for item in plan_for(instrument).items]
    frame = _frame(engine, values, names)
    try:  # Linux: "5" resets the peak RSS to the current RSS
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        before, reset = 0.0, "absolute"
    else:
        before, reset = _max_rss(), "reset"
    start = time.perf_counter()
    if engine == "numpy":
        _numpy(plan_for(instrument), frame)
    else:
        score_frame(instrument, frame)
    cold = time.perf_counter() - start
    print(_max_rss() - before, reset, cold)


def _bench(instrument_id: str, rows: int) -> None:
    """Print one instrument's table: NumPy, pandas, polars, score_many."""
    import pandas as pd
    import polars as pl

    instrument = load_instrument(instrument_id)
    plan = plan_for(instrument)
    # First, while this process is small: a child's ru_maxrss starts at the
    # RSS of the process it was forked from, which clear_refs cannot reset.
    peaks = {e: _peak(instrument_id, e, rows) for e in ("numpy", "pandas", "polars")}
    values = _data(instrument, rows)
    names = [item.id for item in plan.items]
    frames = {
        "pandas": pd.DataFrame(values, columns=names),
        "polars": pl.from_numpy(values, schema=names).fill_nan(None),
    }
    print(
        f"{instrument_id} as shipped: {rows:,} rows x {len(names)} items, "
        f"{len(plan.scales)} scale(s), 5% missing"
    )
    _numpy(plan, values)
    base, base_cpu = _time(lambda: _numpy(plan, values))
    peak, cold = peaks["numpy"]
    print(
        f"  numpy (hand-written)  warm {base * 1000:8.1f} ms  cpu {base_cpu * 1000:8.1f} ms"
        f"  cold {cold * 1000:8.1f} ms  {peak}"
    )
    for label, frame in frames.items():
        call = functools.partial(score_frame, instrument, frame)
        call()
        elapsed, cpu = _time(call)
        peak, cold = peaks[label]
        ratio = elapsed / base
        verdict = "met" if ratio <= TARGETS[label] else "MISSED"
        print(
            f"  score_frame({label:6})  warm {elapsed * 1000:8.1f} ms  cpu {cpu * 1000:8.1f} ms"
            f"  cold {cold * 1000:8.1f} ms  {peak}"
            f"  ratio to numpy: wall {ratio:5.2f}x (target <= {TARGETS[label]}x: {verdict}),"
            f" cpu {cpu / base_cpu:5.2f}x, cold {cold / peaks['numpy'][1]:5.1f}x"
        )
    few = min(rows, 20_000)
    dicts = [
        {n: (None if math.isnan(v) else v) for n, v in zip(names, row, strict=True)}
        for row in values[:few].tolist()
    ]
    elapsed, _ = _time(lambda: list(score_many(instrument, dicts)), repeat=1)
    print(
        f"  score_many ({few:,} dicts) {elapsed * 1000:8.1f} ms"
        f"  ({elapsed / few * 1e6:.1f} us per row; about {elapsed / few * rows:.0f} s"
        f" for {rows:,})"
    )


def _profile(rows: int) -> None:
    """Print where one warm pandas call of the reflection inventory spends time."""
    import cProfile
    import pstats

    import pandas as pd

    instrument = load_instrument(INSTRUMENTS[0])
    values = _data(instrument, rows)
    frame = pd.DataFrame(values, columns=[i.id for i in plan_for(instrument).items])
    score_frame(instrument, frame)
    profiler = cProfile.Profile()
    profiler.runcall(score_frame, instrument, frame)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    """Print medians, ratios to NumPy (with targets), cold times and peak memory."""
    if sys.argv[1:2] == ["--peak"]:
        _run_once(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    arguments = [a for a in sys.argv[1:] if a != "--profile"]
    if arguments and arguments[0] in {"-h", "--help"}:
        print(__doc__)
        return
    rows = int(arguments[0]) if arguments else 1_000_000
    for instrument_id in INSTRUMENTS:
        _bench(instrument_id, rows)
    if "--profile" in sys.argv:
        _profile(rows)


if __name__ == "__main__":
    main()
