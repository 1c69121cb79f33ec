"""Shared fixtures and Hypothesis profiles."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import allykit

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# ALLYKIT_HYPOTHESIS=patience runs every property much longer.
settings.register_profile(
    "patience",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("ALLYKIT_HYPOTHESIS", "default"))


@pytest.fixture(name="fresh_cache")
def _fresh_cache() -> Iterator[None]:
    """Start and end the test with an empty catalogue cache."""
    allykit.clear_cache()
    yield
    allykit.clear_cache()


@pytest.fixture(name="tmux")
def _tmux() -> Iterator[list[str]]:
    """A private tmux server (its own socket), killed at the end."""
    binary = shutil.which("tmux")
    if binary is None:
        pytest.skip("tmux is not installed; .ci/run installs it with apt when it can")
    base = [binary, "-L", f"allykit-test-{uuid.uuid4().hex[:8]}"]
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True, check=False)  # noqa: S603


@pytest.fixture(autouse=True, scope="session")
def _dask_in_process() -> Iterator[None]:
    """Run Dask graphs in the calling thread for the small frames of the tests.

    The equality properties compare results, which do not depend on the
    scheduler; the threaded default only adds start-up time to every tiny
    compute. Tests of a real multi-process cluster set their own client.
    """
    try:
        import dask
    except ImportError:
        yield
        return
    with dask.config.set(scheduler="synchronous"):
        yield


# R, for the scoring tests' peer comparisons with psych and lme4.
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
