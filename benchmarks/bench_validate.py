"""Time to validate a user's framework file, cold and warm, as ratios.

Each sample is a fresh interpreter. A bundled framework (the largest) is
written out under a new id and validated by ``load_framework_file``:

* ``first file``: import allykit and validate the file once (the schema is
  built on this first call: the cost a command such as ``allykit validate``
  pays), divided by ``import attrs`` measured in the same run;
* ``each further file``: the median of 50 more validations in the same
  interpreter (the schema built), in milliseconds.

``--before SRC`` runs the same samples with another source tree first on
``sys.path`` (for example an exported older commit:
``git archive COMMIT src | tar -x -C /tmp/before``) and prints the ratios
after/before; samples of the two trees are interleaved so that machine
noise hits them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_FIRST = """
import time
t = time.perf_counter()
from allykit import catalog
catalog.load_framework_file({path!r})
print(time.perf_counter() - t)
"""
_FURTHER = """
import time, statistics
from allykit import catalog
catalog.load_framework_file({path!r})
times = []
for _ in range(50):
    t = time.perf_counter()
    catalog.load_framework_file({path!r})
    times.append(time.perf_counter() - t)
print(statistics.median(times))
"""
_ATTRS = """
import time
t = time.perf_counter()
import attrs
print(time.perf_counter() - t)
"""


def _sample(body: str, src: str | None) -> float:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    out = subprocess.run(
        [sys.executable, "-c", body],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _framework_file(folder: Path) -> Path:
    from allykit import catalog

    largest = max(
        (catalog.load_framework(f) for f in catalog.available_frameworks()),
        key=lambda f: len(f.to_json()),
    )
    path = folder / "mine.json"
    path.write_text(
        json.dumps({**largest.to_dict(), "id": "bench-mine"}), encoding="utf-8"
    )
    return path


def main() -> None:
    """Print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", help="another source tree to compare with")
    args = parser.parse_args()
    trees: dict[str, str | None] = {"now": None}
    if args.before:
        trees = {"before": args.before, "now": None}
    with tempfile.TemporaryDirectory() as folder:
        path = str(_framework_file(Path(folder)))
        times: dict[str, list[float]] = {}
        for _ in range(args.runs):
            times.setdefault("import attrs", []).append(_sample(_ATTRS, None))
            for name, src in trees.items():
                first = _sample(_FIRST.format(path=path), src)
                further = _sample(_FURTHER.format(path=path), src)
                times.setdefault(f"{name}: first file", []).append(first)
                times.setdefault(f"{name}: each further file", []).append(further)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:32} {value * 1000:8.2f} ms")
    attrs_time = medians["import attrs"]
    for name in trees:
        ratio = medians[f"{name}: first file"] / attrs_time
        print(f"{name}: first file / import attrs  {ratio:.2f}x")
    if args.before:
        for case in ("first file", "each further file"):
            ratio = medians[f"now: {case}"] / medians[f"before: {case}"]
            print(f"{case}: now / before  {ratio:.2f}x")


if __name__ == "__main__":
    main()
