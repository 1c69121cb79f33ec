"""Import and load cost, as ratios against baselines measured in the same run.

Each sample is a fresh interpreter that times one thing with
``time.perf_counter``; the three kinds of sample are interleaved so that
machine noise hits them alike. Prints medians and the ratios:

* ``import allykit`` / ``import attrs`` (target at most 1.10);
* ``import allykit`` + ``load_framework("ally-model")`` / ``import attrs``
  (time to a first framework; target at most 1.15);
* ``import allykit`` + load every bundled framework and instrument /
  ``import attrs`` (the whole catalogue, cold; target at most 1.50). The
  baseline is attrs, not allykit's own import: ``import allykit`` no longer
  imports attrs (the classes are built on first use), so the import alone
  would make a flattering denominator.
* ``import allykit`` + list every framework, which looks up the entry points
  of installed data packages / ``import allykit`` (informational: the cost
  of plugin discovery, paid once, on the first call that lists ids);
* ``import allykit`` + load every bundled framework only / ``import allykit``
  (informational: the part of the above that frameworks alone cost).

``--no-site`` runs each sample without ``site`` (``python -S``, this
interpreter's path): a ``.pth`` file that imports ``re``, ``enum`` or
``pathlib`` at start-up (some sandboxes and tools install one) makes
``import attrs`` cheaper and every ratio larger than on a plain install.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

_TIMED = "import time\nt = time.perf_counter()\n{body}\nprint(time.perf_counter() - t)"
# Finds the bundled ids in the package tree of today and of 0.1.x alike, so
# that the same script measures a before and an after.
_IDS = (
    "import allykit\n"
    "try:\n"
    "    from allykit.catalog._store import bundled_ids\n"
    "except ImportError:\n"
    "    from allykit.catalog import bundled_ids\n"
)
CASES = {
    "import attrs": "import attrs",
    "import allykit": "import allykit",
    "import + first": "import allykit; allykit.load_framework('ally-model')",
    # Bundled ids only: plugin frameworks are untrusted and validated with
    # pydantic, which is a different (and measured separately) cost.
    # The product target: every bundled framework AND instrument, cold.
    "import + load all": (
        _IDS + "[allykit.load_framework(f) for f in bundled_ids('frameworks')]\n"
        "[allykit.load_instrument(i) for i in bundled_ids('instruments')]"
    ),
    "import + list ids": "import allykit; allykit.available_frameworks()",
    # Informational: the frameworks alone, without the instrument module
    # and files.
    "+ frameworks only": (
        _IDS + "[allykit.load_framework(f) for f in bundled_ids('frameworks')]"
    ),
}


def byte_compile() -> None:
    """Byte-compile allykit's sources, as installing a wheel does.

    The baselines (attrs, typer) are installed with their ``.pyc`` files;
    an editable or source checkout has none, and with
    ``PYTHONDONTWRITEBYTECODE`` set every sample would compile allykit's
    sources again (measured: 2.9x against 2.4x for a first framework, 540
    against 220 ms for ``--help``). The samples compare installed states.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("allykit")
    if spec is None or not spec.submodule_search_locations:
        return
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def _sample(body: str, *, no_site: bool = False) -> float:
    command = [sys.executable, "-c", _TIMED.format(body=body)]
    env = None
    if no_site:
        # The interpreter's own path, without running site (and its .pth
        # files, some of which import re, enum or pathlib before any sample
        # starts, which makes ``import attrs`` cheaper than it is elsewhere).
        command.insert(1, "-S")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env
    ).stdout
    return float(out.strip())


def main() -> None:
    """Run the interleaved samples and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="run each sample with python -S on this interpreter's path "
        "(no .pth file imports anything before the sample starts)",
    )
    args = parser.parse_args()
    byte_compile()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(2):  # warm the file system cache
        for body in CASES.values():
            _sample(body, no_site=args.no_site)
    for _ in range(args.runs):
        for name, body in CASES.items():
            samples[name].append(_sample(body, no_site=args.no_site))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:20} median {value * 1000:7.2f} ms over {args.runs} runs")
    ratio_import = medians["import allykit"] / medians["import attrs"]
    ratio_first = medians["import + first"] / medians["import attrs"]
    ratio_load = medians["import + load all"] / medians["import attrs"]
    print(f"import allykit / import attrs      = {ratio_import:.3f}  (target <= 1.10)")
    print(f"import+first / import attrs        = {ratio_first:.3f}  (target <= 1.15)")
    ratio_list = medians["import + list ids"] / medians["import allykit"]
    print(f"import+load all / import attrs     = {ratio_load:.3f}  (target <= 1.50)")
    print(f"import+list ids / import allykit   = {ratio_list:.3f}  (plugin discovery)")
    ratio_fw = medians["+ frameworks only"] / medians["import allykit"]
    print(f"frameworks only / import allykit   = {ratio_fw:.3f}  (informational)")


if __name__ == "__main__":
    main()
