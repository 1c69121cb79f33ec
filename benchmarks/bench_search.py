"""Search and profile-translation cost, as ratios against a baseline in the same run.

The baseline is fetching every bundled framework from the warm catalogue cache
(``load_framework`` for each id), the least work any catalogue-wide call can do.
Prints absolute medians and the ratios:

* ``search("listening")`` (warm index) / baseline;
* ``search("")`` with a filter (browse) / baseline;
* ``translate_profile`` over one crosswalk / baseline.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import allykit

_REPEATS = 200


def _median(func: Callable[[], object]) -> float:
    func()  # warm caches and indexes
    samples = []
    for _ in range(_REPEATS):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _baseline() -> object:
    return [allykit.load_framework(f) for f in allykit.available_frameworks()]


def main() -> None:
    """Measure and print medians and ratios."""
    profile = {"self-examination": 80.0, "awareness-and-education": 40.0, "action": 20}
    cases: dict[str, Callable[[], object]] = {
        "baseline: load all (cached)": _baseline,
        "search('listening')": lambda: allykit.search("listening"),
        "search('', kind='stage')": lambda: allykit.search("", kind="stage"),
        "translate_profile": lambda: allykit.translate_profile(
            profile, "ally-model", "ally-development-levels"
        ),
    }
    medians = {name: _median(func) for name, func in cases.items()}
    base = medians["baseline: load all (cached)"]
    for name, median in medians.items():
        print(f"{name:32} {median * 1e6:9.1f} us   x{median / base:7.1f}")


if __name__ == "__main__":
    main()
