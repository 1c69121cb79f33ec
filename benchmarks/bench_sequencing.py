"""Benchmark next_step: median time per call for pools and histories of 100 to 100,000.

Run ``python benchmarks/bench_sequencing.py``. Prints absolute medians and
ratios against a baseline measured in the same run: a plain
``random.Random(seed).choice`` over the pool, which ignores history, stage
and repeats. Three timings per size:

* warm: next_step again on the same History object (derived state cached);
* append: the app loop, ``history = history.append(step)`` then next_step;
* cold: a fresh History of the same entries (state rebuilt, O(history)).

A second table puts the cold call against the floor of any pure-Python
replay, measured in the same run: a bare ``for entry in entries: pass`` loop
and ``set(e.prompt for e in entries)``; and, for scale, what parsing the
history from JSON costs (``History.from_json``), then the cold call on it,
against the baseline of plain ``json.loads`` of the same text (no checks,
no objects). Target: from_json at most 10 ms for 10,000 entries.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable

import allykit
from allykit import Framework, History, Licence, ReflectivePrompt, Stage
from allykit.models.framework import (
    Citation,
    CitationId,
    FrameworkId,
    PromptId,
    StageId,
)

SIZES = (100, 1_000, 10_000, 100_000)


def _framework(size: int) -> Framework:
    stage = Stage(id=StageId("only"), name="Only", position=1, summary="One stage.")
    prompts = tuple(
        ReflectivePrompt(id=PromptId(f"p-{i}"), text=f"Prompt {i}?", stage=stage.id)
        for i in range(size)
    )
    return Framework(
        id=FrameworkId("bench"),
        name="Bench",
        summary="Benchmark framework.",
        kind="stage-model",
        licence=Licence(spdx=None, note="benchmark"),
        citations=(
            Citation(id=CitationId("none"), authors=("none",), year=None, title="T"),
        ),
        stages=(stage,),
        prompts=prompts,
    )


def _median(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _row(size: int) -> History:
    """Time one size, print its row and return its history."""
    framework = _framework(size)
    history = History()
    while len(history) < size:  # plan_session plans at most 10,000 steps a call
        steps = allykit.reflection.plan_session(
            framework, history, steps=min(size - len(history), 10_000), seed=1
        )
        history = History(entries=history.entries + tuple(s.entry() for s in steps))
    pool = [p.id for p in framework.prompts]
    rng = random.Random(1)

    baseline = _median(lambda: rng.choice(pool), 2001)
    allykit.next_step(framework, history, seed=1)  # build the state once
    warm = _median(lambda: allykit.next_step(framework, history, seed=1), 2001)

    state = {"history": history}

    def loop() -> None:
        step = allykit.next_step(framework, state["history"], seed=1)
        state["history"] = state["history"].append(step)

    loop()
    append = _median(loop, 501)
    cold = _median(
        lambda: allykit.next_step(framework, History(entries=history.entries), seed=1),
        21,
    )
    print(
        f"{size:>7} {baseline * 1e6:>8.2f}us {warm * 1e6:>8.2f}us "
        f"{append * 1e6:>8.2f}us {cold * 1e6:>8.0f}us "
        f"{warm / baseline:>10.1f} {append / baseline:>12.1f}"
    )
    return history


def _floor_row(size: int, history: History) -> None:
    """Time the cold call against bare loops over the entries; print its row."""
    framework = _framework(size)
    entries = history.entries

    def bare_loop() -> None:
        for _entry in entries:
            pass

    loop = _median(bare_loop, 201)
    prompt_set = _median(lambda: set(e.prompt for e in entries), 201)  # noqa: C401
    cold = _median(
        lambda: allykit.next_step(framework, History(entries=entries), seed=1), 201
    )
    text = history.to_json()
    loads = _median(lambda: json.loads(text), 5)
    parse = _median(lambda: History.from_json(text), 5)
    request = _median(
        lambda: allykit.next_step(framework, History.from_json(text), seed=1), 5
    )
    print(
        f"{size:>7} {loop * 1e6:>8.0f}us {prompt_set * 1e6:>8.0f}us "
        f"{cold * 1e6:>8.0f}us {cold / loop:>10.1f} {cold / prompt_set:>10.1f} "
        f"{loads * 1e3:>9.1f}ms {parse * 1e3:>9.1f}ms {parse / loads:>9.1f}"
        f" {request * 1e3:>9.1f}ms"
    )


def main() -> None:
    """Print the growth table, then the cold path against its floor."""
    print(
        f"{'size':>7} {'baseline':>10} {'warm':>10} {'append':>10} {'cold':>10}"
        f" {'warm/base':>10} {'append/base':>12}"
    )
    histories = {size: _row(size) for size in SIZES}
    print()
    print(
        f"{'size':>7} {'loop':>10} {'set':>10} {'cold':>10}"
        f" {'cold/loop':>10} {'cold/set':>10} {'json.loads':>11} {'from_json':>11}"
        f" {'ratio':>9} {'json+step':>11}"
    )
    for size in SIZES:
        _floor_row(size, histories[size])
    print("target: from_json at most 10 ms for 10,000 entries")


if __name__ == "__main__":
    main()
