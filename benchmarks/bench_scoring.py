"""Benchmark scoring against a hand-written loop doing the same arithmetic.

Run ``python benchmarks/bench_scoring.py``. It prints absolute medians and
the ratio of ``score()`` to a plain-Python loop that does the same work for
the 20-item ``ally-model-reflection`` inventory (look up and check each
answer, reverse-key, weighted sums and means, POMP, proration rule, band)
in the same run; the target is a ratio of at most 2. It then streams
100,000 rows through ``score_many()`` and prints rows per second.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import allykit
from allykit import Instrument


def _median_seconds(
    function: Callable[[], object], *, loops: int, repeats: int
) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            function()
        samples.append((time.perf_counter() - start) / loops)
    return statistics.median(samples)


def _baseline(instrument: Instrument) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return a hand-written scorer for *instrument* (tables built up front)."""
    scale = instrument.response_scale_for(instrument.items[0].id)
    values = {c.value for c in scale.choices}
    labels = {c.label: c.value for c in scale.choices}
    low, high = scale.min, scale.max
    keys = [
        (s.id, [(k, instrument.item(k).reverse) for k in s.items], s.min_answered)
        for s in instrument.scales
    ]
    bands = {s.id: instrument.bands_for(s.id) for s in instrument.scales}

    def run(responses: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for scale_id, members, minimum in keys:
            total = 0.0
            answered = 0
            for item_id, reverse in members:
                value = responses.get(item_id)
                if value is None:
                    continue
                if isinstance(value, str):
                    value = labels[value]
                elif value not in values:
                    raise ValueError(value)
                if reverse:
                    value = low + high - value
                total += value
                answered += 1
            if answered < max(minimum, math.ceil(0.5 * len(members))):
                result[scale_id] = None
                continue
            mean = total / answered
            pomp = (mean - low) / (high - low) * 100
            band = next((b.id for b in bands[scale_id] if mean < b.max), None)
            result[scale_id] = (total, mean * len(members), mean, pomp, band)
        return result

    return run


def main() -> None:
    """Print medians, the ratio to the baseline, and score_many throughput."""
    instrument = allykit.load_instrument("ally-model-reflection")
    rng = random.Random(2026)
    responses: dict[str, Any] = {
        item.id: rng.randint(1, 5) for item in instrument.items
    }
    baseline = _baseline(instrument)
    allykit.score(instrument, responses)  # build the cached plan first

    ours = _median_seconds(
        lambda: allykit.score(instrument, responses), loops=2000, repeats=9
    )
    theirs = _median_seconds(lambda: baseline(responses), loops=2000, repeats=9)
    print(f"score(): {ours * 1e6:.1f} us per response set ({len(responses)} items)")
    print(f"plain loop: {theirs * 1e6:.1f} us per response set")
    print(f"ratio score()/plain loop: {ours / theirs:.2f}x (target <= 2x)")

    rows = 100_000

    def generate() -> Iterator[dict[str, Any]]:
        for _ in range(rows):
            yield {str(item.id): rng.randint(1, 5) for item in instrument.items}

    generated = list(generate())
    start = time.perf_counter()
    count = sum(1 for _ in allykit.score_many(instrument, iter(generated)))
    elapsed = time.perf_counter() - start
    print(
        f"score_many(): {count} rows in {elapsed:.2f} s, {count / elapsed:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
