"""Fixtures of the scoring tests: R, for the peer comparisons with psych and lme4."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

#: ``run_r(prelude, code, workdir)``: the figures an R script prints.
RunR = Callable[[str, str, Path], dict[str, float]]

_RSCRIPT = shutil.which("Rscript")
#: Defined for every script: ``out(name, value)`` prints one figure exactly.
_OUT = "out <- function(name, v) cat(name, sprintf('%.17g', v), '\\n')\n"


def _run_r(prelude: str, code: str, workdir: Path) -> dict[str, float]:
    """Run *prelude*, ``out()`` and *code* in *workdir*; read its ``name value`` lines.

    Skips (with the reason) where Rscript or an R package is missing.
    """
    if _RSCRIPT is None:
        pytest.skip("Rscript is not installed (apt-get install r-base-core)")
    script = workdir / "peer.R"
    script.write_text(prelude + _OUT + code, encoding="utf-8")
    done = subprocess.run(  # noqa: S603 -- our own script, no shell
        [_RSCRIPT, str(script)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if "there is no package called" in done.stderr:
        pytest.skip(f"an R package is missing: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    figures = {}
    for line in done.stdout.splitlines():
        name, value = line.split()
        figures[name] = float(value)
    return figures


@pytest.fixture(scope="session")
def run_r() -> RunR:
    """Run an R script and return the figures it prints with ``out()``."""
    return _run_r
