"""Score 10 million rows on Dask (a distributed LocalCluster) and on Spark (local).

The documented cluster run of ``docs/frames.md``. One Parquet file of
*rows* answers to the bundled ``ally-model-reflection`` inventory (5 % of
the answers missing) is written once; then each engine, in the same run:

* **copies** it (read, write Parquet): the baseline, what any job pays;
* **scores** it with :func:`allykit.scoring.frames.score_frame` and writes
  the scores to Parquet.

It prints wall times, rows per second and the ratio score / copy for each
engine. Needs the frames extra, ``distributed`` and, for Spark, ``pyspark``
and a Java runtime (``--group spark``; .ci/run installs both). Not run in CI:
10 million rows take minutes on two cores.

    python benchmarks/bench_clusters.py --rows 10000000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from allykit.catalog import load_instrument
from allykit.errors import UnvalidatedInstrumentWarning
from allykit.scoring.frames import score_frame

INVENTORY = "ally-model-reflection"


def _write_answers(path: Path, rows: int, chunk: int = 1_000_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    instrument = load_instrument(INVENTORY)
    items = [item.id for item in instrument.items]
    generator = np.random.default_rng(2026)
    writer = None
    for start in range(0, rows, chunk):
        size = min(chunk, rows - start)
        columns: dict[str, Any] = {"who": np.arange(start, start + size)}
        for item in items:
            values = generator.integers(1, 6, size).astype("float64")
            values[generator.random(size) < 0.05] = np.nan
            columns[item] = values
        table = pa.table(columns)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()
    return len(items)


def _timed(label: str, run: Any) -> float:
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    print(f"  {label:8} {wall:8.1f} s")
    return wall


def _dask(source: Path, out: Path, rows: int) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    instrument = load_instrument(INVENTORY)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster),
    ):
        print("Dask, distributed LocalCluster (2 worker processes):")
        copy = _timed(
            "copy",
            lambda: dd.read_parquet(source).to_parquet(out / "dask-copy"),
        )
        scored = _timed(
            "score",
            lambda: score_frame(
                instrument, dd.read_parquet(source), id_column="who"
            ).to_parquet(out / "dask-scores"),
        )
    _report(rows, copy, scored)


def _spark(source: Path, out: Path, rows: int) -> None:
    from pyspark.sql import SparkSession

    instrument = load_instrument(INVENTORY)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    try:
        print("Spark, local[2]:")
        copy = _timed(
            "copy",
            lambda: spark.read.parquet(str(source)).write.parquet(
                str(out / "spark-copy")
            ),
        )
        scored = _timed(
            "score",
            lambda: score_frame(
                instrument, spark.read.parquet(str(source)), id_column="who"
            ).write.parquet(str(out / "spark-scores")),
        )
    finally:
        spark.stop()
    _report(rows, copy, scored)


def _report(rows: int, copy: float, scored: float) -> None:
    print(f"  {rows / scored:,.0f} rows/s scored; score / copy = {scored / copy:.2f}")


def main() -> None:
    """Write the answers once, then time each engine."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--engines", default="dask,spark")
    args = parser.parse_args()
    # The inventory is a reflective aid; the figures are about speed.
    warnings.simplefilter("ignore", UnvalidatedInstrumentWarning)
    folder = Path(tempfile.mkdtemp(prefix="allykit-clusters-"))
    try:
        source = folder / "answers.parquet"
        started = time.perf_counter()
        _write_answers(source, args.rows)
        size = source.stat().st_size / 2**20
        print(
            f"{args.rows:,} rows of {INVENTORY}, 5% missing: {size:.0f} MiB of "
            f"Parquet, written in {time.perf_counter() - started:.1f} s"
        )
        engines = {"dask": _dask, "spark": _spark}
        for name in args.engines.split(","):
            engines[name](source, folder, args.rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
