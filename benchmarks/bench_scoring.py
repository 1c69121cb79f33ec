"""Benchmark scoring against a hand-written loop doing the same arithmetic.

Run ``python benchmarks/bench_scoring.py``. It prints absolute medians and
the ratio of ``score()`` to a plain-Python loop that does the same work for
the 20-item ``ally-model-reflection`` inventory (reject unknown ids, look up
and check each answer including N/A codes, reverse-key, weighted sums and
means, counts, proration rule, POMP, band, stage profile with strongest and
weakest stage, suggested prompts), timed in alternating batches in the same
run; the target is a ratio of at most 2. The loop's numbers are checked
against score()'s first, so the comparison stays honest. It then streams
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


def _paired_medians(
    ours: Callable[[], object],
    theirs: Callable[[], object],
    *,
    loops: int,
    repeats: int,
) -> tuple[float, float, float]:
    """Time *ours* and *theirs* in alternating batches (noise hits both alike).

    Returns the median seconds per call of each and the median of the
    per-batch ratios ours / theirs.
    """
    mine: list[float] = []
    base: list[float] = []
    for _ in range(repeats):
        for function, samples in ((ours, mine), (theirs, base)):
            start = time.perf_counter()
            for _ in range(loops):
                function()
            samples.append((time.perf_counter() - start) / loops)
    ratios = [a / b for a, b in zip(mine, base, strict=True)]
    return statistics.median(mine), statistics.median(base), statistics.median(ratios)


def _baseline(instrument: Instrument) -> Callable[[dict[str, Any]], dict[str, Any]]:  # noqa: C901, PLR0915 -- one closure, kept flat
    """Return a hand-written scorer for *instrument* (tables built up front).

    It does the work that score() does for this instrument, in plain Python:
    reject unknown item ids, look up and check each answer (numbers, labels,
    N/A codes), reverse-key (and list the reversed items), weight, count
    answered / N/A / missing, apply the proration rule, prorate the sum,
    POMP, band (label and prompts), the stage profile in framework order
    with the strongest and weakest stage, and the suggested prompts.
    """
    scale = instrument.response_scale_for(instrument.items[0].id)
    values = {c.value for c in scale.choices}
    labels = {c.label: c.value for c in scale.choices}
    labels.update({a.label: a.value for a in scale.aliases})
    na_labels = set(scale.not_applicable)
    item_ids = {item.id for item in instrument.items}
    low, high = scale.min, scale.max
    keys = []
    for s in instrument.scales:
        members = [
            (k, float(instrument.item(k).weight), instrument.item(k).reverse)
            for k in s.items
        ]
        bands = [
            (b.max, b.id, b.label, b.prompts)
            for b in sorted(instrument.bands_for(s.id), key=lambda b: b.min)
        ]
        total_weight = math.fsum(w for _, w, _ in members)
        keys.append(
            (
                s.id,
                s.stage,
                members,
                s.min_answered,
                s.min_answered_share,
                total_weight,
                bands,
            )
        )
    framework = allykit.load_framework(instrument.framework or "")
    stage_of = [s.stage for s in instrument.scales]
    stages = [
        (stage.id, [i for i, sid in enumerate(stage_of) if sid == stage.id])
        for stage in framework.stages
        if stage.id in stage_of
    ]

    def run(responses: dict[str, Any]) -> dict[str, Any]:  # noqa: C901, PLR0912
        if not item_ids.issuperset(responses):
            raise ValueError(set(responses) - item_ids)
        scales: list[tuple[Any, ...]] = []
        for scale_id, stage, members, minimum, share, total_weight, bands in keys:
            total = weights = 0.0
            answered = not_applicable = 0
            reversed_items = []
            for item_id, weight, reverse in members:
                value = responses.get(item_id)
                if value is None:
                    continue
                if isinstance(value, str):
                    if value in na_labels:
                        not_applicable += 1
                        continue
                    value = labels[value]
                elif value not in values:
                    raise ValueError(value)
                if reverse:
                    value = low + high - value
                    reversed_items.append(item_id)
                total += weight * value
                weights += weight
                answered += 1
            n_items = len(members)
            missing = n_items - answered - not_applicable
            applicable = n_items - not_applicable
            if answered < max(minimum, math.ceil(share * applicable), 1):
                scales.append(
                    (
                        scale_id,
                        stage,
                        total,
                        None,
                        None,
                        None,
                        None,
                        None,
                        (),
                        answered,
                        not_applicable,
                        missing,
                        tuple(reversed_items),
                        True,
                    )
                )
                continue
            mean = total / weights
            pomp = (mean - low) / (high - low) * 100
            band = next((b for b in bands if mean < b[0]), bands[-1])
            scales.append(
                (
                    scale_id,
                    stage,
                    total,
                    mean * total_weight,
                    mean,
                    pomp,
                    band[1],
                    band[2],
                    band[3],
                    answered,
                    not_applicable,
                    missing,
                    tuple(reversed_items),
                    answered < n_items,
                )
            )
        profile = []
        strongest = weakest = None
        top = bottom = 0.0
        for stage_id, indexes in stages:
            pomp = scales[indexes[0]][5]
            profile.append((stage_id, pomp))
            if pomp is not None:
                if strongest is None or pomp > top:
                    strongest, top = stage_id, pomp
                if weakest is None or pomp < bottom:
                    weakest, bottom = stage_id, pomp
        prompts: dict[str, None] = {}
        for entry in scales:
            if entry[1] == weakest:
                prompts.update(dict.fromkeys(entry[8]))
        for entry in scales:
            prompts.update(dict.fromkeys(entry[8]))
        return {
            "scales": scales,
            "profile": profile,
            "strongest": strongest,
            "weakest": weakest,
            "prompts": tuple(prompts),
        }

    return run


def _check_same(report: allykit.ScoreReport, plain: dict[str, Any]) -> None:
    """Fail loudly if the plain loop does not compute what score() does."""
    for entry, row in zip(report.scales, plain["scales"], strict=True):
        mine = (
            entry.scale,
            entry.stage,
            entry.raw_sum,
            entry.sum,
            entry.mean,
            entry.pomp,
            entry.band,
            entry.band_label,
            entry.prompts,
            entry.answered,
            entry.not_applicable,
            entry.missing,
            entry.reversed_items,
            entry.prorated,
        )
        if mine != row:
            raise AssertionError((mine, row))
    if (
        [(p.stage, p.pomp) for p in report.profile] != plain["profile"]
        or report.strongest_stage != plain["strongest"]
        or report.weakest_stage != plain["weakest"]
        or report.suggested_prompts != plain["prompts"]
    ):
        raise AssertionError(plain)


def main() -> None:
    """Print medians, the ratio to the baseline, and score_many throughput."""
    instrument = allykit.load_instrument("ally-model-reflection")
    rng = random.Random(2026)
    responses: dict[str, Any] = {
        item.id: rng.randint(1, 5) for item in instrument.items
    }
    baseline = _baseline(instrument)
    report = allykit.score(instrument, responses)  # build the cached plan first
    _check_same(report, baseline(responses))

    ours, theirs, ratio = _paired_medians(
        lambda: allykit.score(instrument, responses),
        lambda: baseline(responses),
        loops=500,
        repeats=41,
    )
    print(f"score(): {ours * 1e6:.1f} us per response set ({len(responses)} items)")
    print(f"plain loop: {theirs * 1e6:.1f} us per response set")
    print(f"ratio score()/plain loop: {ratio:.2f}x (target <= 2x)")

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
