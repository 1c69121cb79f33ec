"""Benchmark ``allykit score`` on a large file: row by row against batches.

Writes a CSV (and a Parquet copy) of N rows (default 1,000,000) answering the
bundled ``ally-model-reflection`` inventory as shipped: answers 1-5 as
numbers, 5% blank, an id column. Each run is a fresh process running the
command (``--engine rows``: ``score_many`` row by row; ``--engine frames``:
batches through ``score_frame``), and reports wall time, rows per second
and the process's peak resident memory (``ru_maxrss``). The baseline, in
the same run and process kind, is the floor of any row-by-row reader: a
``csv.reader`` pass over the same file that does nothing with the rows.

Nothing is asserted. Run: ``python benchmarks/bench_score_command.py [rows]``.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from allykit.catalog import load_instrument

INSTRUMENT = "ally-model-reflection"

_CHILD = """
import resource, sys, time
start = time.perf_counter()
if sys.argv[1] == "read":
    import csv
    with open(sys.argv[2], encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    code = 0
else:
    from allykit.cli._app import run
    code = run(sys.argv[2:])
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, code)
"""


def _write(folder: Path, rows: int) -> tuple[Path, Path]:
    items = [item.id for item in load_instrument(INSTRUMENT).items]
    rng = np.random.default_rng(7)
    answers = rng.integers(1, 6, size=(rows, len(items))).astype(object)
    answers[rng.random((rows, len(items))) < 0.05] = ""
    path = folder / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["who", *items])
        writer.writerows([f"r{n}", *row] for n, row in enumerate(answers.tolist()))
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet = folder / "answers.parquet"
    pq.write_table(pacsv.read_csv(path), parquet, row_group_size=65_536)
    return path, parquet


def _run(*argv: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, peak, code = done.stdout.splitlines()[-1].split()
    if code != "0":
        raise RuntimeError(done.stderr)
    return float(elapsed), float(peak)


def main() -> None:
    """Print rows per second and peak memory of each path, with ratios."""
    if sys.argv[1:2] == ["--write"]:
        _write(Path(sys.argv[2]), int(sys.argv[3]))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        # In a child: each run's ru_maxrss starts at the RSS of the process
        # it was forked from, which must stay small.
        subprocess.run(
            [sys.executable, __file__, "--write", folder, str(rows)], check=True
        )
        source, parquet = Path(folder) / "answers.csv", Path(folder) / "answers.parquet"
        print(f"{rows:,} rows written in {time.perf_counter() - start:.1f} s")
        base, base_peak = _run("read", str(source))
        print(
            f"{'baseline: csv.reader pass':38} {base:7.2f} s"
            f" {rows / base:>11,.0f} rows/s  peak {base_peak:6.0f} MiB"
        )
        results = {}
        for label, given, out, engine in (
            ("CSV -> CSV, row by row", source, "out.csv", "rows"),
            ("CSV -> CSV, batches (score_frame)", source, "out.csv", "frames"),
            ("Parquet -> Parquet, row by row", parquet, "out.parquet", "rows"),
            ("Parquet -> Parquet, batches", parquet, "out.parquet", "frames"),
        ):
            argv = ["score", INSTRUMENT, str(given), "-o", str(Path(folder) / out)]
            elapsed, peak = _run(
                "score", *argv, "--id-column", "who", "--engine", engine, "--json"
            )
            results[label] = elapsed
            print(
                f"{label:38} {elapsed:7.2f} s {rows / elapsed:>11,.0f} rows/s"
                f"  peak {peak:6.0f} MiB  {elapsed / base:6.1f}x baseline"
            )
        for kind, batches in (
            ("CSV -> CSV", "CSV -> CSV, batches (score_frame)"),
            ("Parquet -> Parquet", "Parquet -> Parquet, batches"),
        ):
            speedup = results[f"{kind}, row by row"] / results[batches]
            print(f"{kind}: batches are {speedup:.1f}x faster than row by row")


if __name__ == "__main__":
    main()
