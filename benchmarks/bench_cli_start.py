"""Start-up cost of the command, as a ratio against ``import typer`` in the same run.

Each sample is a fresh interpreter, timed from outside (process start to
exit), so the interpreter's own start-up is in both: ``python -c "import
typer"`` (the least any typer command can cost) and ``python -m allykit
--help`` (what a person waits for first). The two kinds of sample are
interleaved so that machine noise hits them alike. Prints the medians and
the ratio; the target (issue 25) is at most 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "import typer": [sys.executable, "-c", "import typer"],
    "allykit --help": [sys.executable, "-m", "allykit", "--help"],
    "allykit list": [sys.executable, "-m", "allykit", "list", "--json"],
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


def _sample(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    """Run the interleaved samples and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    byte_compile()
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for command in CASES.values():  # warm the file system cache
        _sample(command)
    for _ in range(args.runs):
        for name, command in CASES.items():
            samples[name].append(_sample(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:16} median {value * 1000:7.1f} ms over {args.runs} runs")
    ratio_help = medians["allykit --help"] / medians["import typer"]
    ratio_list = medians["allykit list"] / medians["import typer"]
    print(f"allykit --help / import typer = {ratio_help:.3f}  (target <= 1.30)")
    print(f"allykit list / import typer   = {ratio_list:.3f}  (informational)")


if __name__ == "__main__":
    main()
