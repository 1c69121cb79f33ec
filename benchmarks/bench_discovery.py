"""Plugin discovery cost, as ratios against ``import attrs`` measured in the same run.

Discovery (reading every installed distribution's entry points for the
``allykit.frameworks`` group) runs on the first call that lists ids, never
on ``import allykit`` or on loading a bundled document. Each sample is a
fresh interpreter timing one thing with ``time.perf_counter``; the kinds of
sample are interleaved so that machine noise hits them alike. Prints medians
and ratios:

* ``import allykit`` + ``available_frameworks()`` / ``import attrs`` (the
  first listing, discovery included);
* ``import importlib.metadata`` / ``import attrs`` (the part of the above
  that the standard library's metadata module costs to import);
* the discovery alone (``available_frameworks()`` after ``import allykit``),
  in milliseconds, with the number of distributions on the path.

Run it on two trees to compare, e.g. ``PYTHONPATH=/old/tree/src python
benchmarks/bench_discovery.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

_TIMED = "import time\nt = time.perf_counter()\n{body}\nprint(time.perf_counter() - t)"
CASES = {
    "import attrs": "import attrs",
    "import importlib.metadata": "import importlib.metadata",
    "import + list ids": "import allykit; allykit.available_frameworks()",
}
_ALONE = (
    "import time, allykit\n"
    "allykit.load_framework('ally-model')\n"
    "t = time.perf_counter()\n"
    "allykit.available_frameworks()\n"
    "print(time.perf_counter() - t)"
)
_COUNT = (
    "import importlib.metadata as m\n"
    "print(len({d.metadata['Name'] for d in m.distributions()}))"
)


def _sample(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out.strip())


def main() -> None:
    """Run the interleaved samples and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    codes = {name: _TIMED.format(body=body) for name, body in CASES.items()}
    codes["discovery alone"] = _ALONE
    samples: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(2):  # warm the file system cache
        for code in codes.values():
            _sample(code)
    for _ in range(args.runs):
        for name, code in codes.items():
            samples[name].append(_sample(code))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:26} median {value * 1000:7.2f} ms over {args.runs} runs")
    attrs = medians["import attrs"]
    listing = medians["import + list ids"] / attrs
    metadata = medians["import importlib.metadata"] / attrs
    print(f"import+list ids / import attrs            = {listing:.3f}")
    print(f"import importlib.metadata / import attrs  = {metadata:.3f}")
    print(f"distributions on the path                 = {int(_sample(_COUNT))}")


if __name__ == "__main__":
    main()
