"""Peer tests: waves() and its mixed model against R lme4, run live.

``Rscript`` with lme4 (Debian's ``r-cran-lme4``; ``.ci/run`` installs it)
fits ``lmer(y ~ time + (time | id), REML = TRUE)`` - or ``(1 | id)`` - on
lme4's own ``sleepstudy`` data (18 people, 10 days) and on generated
answers scored by allykit; allykit fits the same model with statsmodels.
Fixed effects agree to 1e-4 (absolute), their standard errors and the
variance components to 1e-4 (relative: the REML criterion is flat near its
optimum, and lme4's default stopping rule leaves ``sleepstudy``'s intercept
variance at 612.1002 where the optimum, found by both libraries with tight
tolerances, is 612.0899), and the REML criterion itself to 1e-6. Skipped,
with the reason, when R or lme4 is missing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

import allykit
from allykit import Instrument

pytest.importorskip("statsmodels", reason="waves() needs the stats extra")

from allykit.scoring import score, waves
from allykit.scoring._mixed import GrowthFit, fit_growth
from allykit.testing import longitudinal_rows

#: Runs a reference tool (see .ci/run); the reference step runs it.
pytestmark = pytest.mark.reference

RunR = Callable[[str, str, Path], dict[str, float]]  # the run_r fixture


def _instrument() -> Instrument:
    return allykit.Instrument.from_dict(
        {
            "id": "test-waves",
            "name": "Test",
            "summary": "For tests.",
            "intended_use": "Tests.",
            "licence": {"spdx": None, "note": "Tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": str(v)} for v in range(1, 8)],
                "min": 1,
                "max": 7,
            },
            "items": [{"id": f"i{n}", "reverse": n == 2} for n in range(3)],
            "scales": [{"id": "s", "name": "Sample", "items": ["i0", "i1", "i2"]}],
        }
    )


_FIXED = 1e-4  # absolute, fixed effects
_RELATIVE = 1e-4  # relative, standard errors and variance components
_CRITERION = 1e-6  # absolute, REML criterion (-2 * restricted log-likelihood)


#: lme4, and ``report(m)``: the figures of a fitted model, by ``out()``.
_PRELUDE = (
    "suppressPackageStartupMessages(library(lme4))\n"
    "report <- function(m) {\n"
    "  f <- fixef(m); se <- sqrt(diag(as.matrix(vcov(m))))\n"
    "  out('intercept', f[1]); out('slope', f[2])\n"
    "  out('intercept_se', se[1]); out('slope_se', se[2])\n"
    "  vc <- VarCorr(m)[[1]]\n"
    "  out('var_intercept', vc[1, 1])\n"
    "  if (ncol(vc) > 1) { out('var_slope', vc[2, 2]); out('cov', vc[1, 2]) }\n"
    "  out('var_residual', sigma(m)^2); out('reml', REMLcrit(m))\n"
    "  ci <- confint(m, method = 'Wald'); k <- nrow(ci)\n"
    "  out('ci_low', ci[k, 1]); out('ci_high', ci[k, 2])\n"
    "  out('singular', as.numeric(isSingular(m)))\n"
    "}\n"
)


def _compare(fit: GrowthFit, lme4: dict[str, float]) -> None:
    assert fit.intercept == pytest.approx(lme4["intercept"], abs=_FIXED)
    assert fit.slope == pytest.approx(lme4["slope"], abs=_FIXED)
    assert fit.intercept_se == pytest.approx(lme4["intercept_se"], rel=_RELATIVE)
    assert fit.slope_se == pytest.approx(lme4["slope_se"], rel=_RELATIVE)
    assert fit.var_intercept == pytest.approx(lme4["var_intercept"], rel=_RELATIVE)
    assert fit.var_residual == pytest.approx(lme4["var_residual"], rel=_RELATIVE)
    if fit.random_slope:
        assert fit.var_slope == pytest.approx(lme4["var_slope"], rel=_RELATIVE)
        assert fit.cov_intercept_slope == pytest.approx(lme4["cov"], rel=_RELATIVE)
    # The same criterion at the optimum: ours is never worse than lme4's.
    assert fit.reml_criterion == pytest.approx(lme4["reml"], abs=_CRITERION)
    assert fit.reml_criterion <= lme4["reml"] + 1e-9


def test_sleepstudy(tmp_path: Path, run_r: RunR) -> None:
    """lme4's sleepstudy: Reaction ~ Days + (Days | Subject), REML."""
    lme4 = run_r(
        _PRELUDE,
        """
write.csv(sleepstudy, 'sleepstudy.csv', row.names = FALSE)
report(lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE))
""",
        tmp_path,
    )
    with (tmp_path / "sleepstudy.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fit = fit_growth(
        [r["Subject"] for r in rows],
        [float(r["Days"]) for r in rows],
        [float(r["Reaction"]) for r in rows],
    )
    assert fit.random_slope
    assert lme4["singular"] == 0
    _compare(fit, lme4)
    # Published figures (Bates et al. 2015, JSS 67(1), section 1).
    assert fit.intercept == pytest.approx(251.405, abs=1e-3)
    assert fit.slope == pytest.approx(10.467, abs=1e-3)


@pytest.mark.parametrize("seed", [11, 12])
def test_generated_waves(tmp_path: Path, seed: int, run_r: RunR) -> None:
    """waves() on generated answers equals lmer on the same scale scores."""
    instrument = _instrument()
    data = longitudinal_rows(instrument, seed=seed, people=30, waves=4)
    with (tmp_path / "scores.csv").open("w", encoding="utf-8") as handle:
        handle.write("id,time,y\n")
        for time, wave in enumerate(data):
            for row in wave:
                answers = {k: v for k, v in row.items() if k != "id"}
                value = score(instrument, answers).scale("s").score
                handle.write(f"{row['id']},{time},{value!r}\n")
    lme4 = run_r(
        _PRELUDE,
        """
d <- read.csv('scores.csv')
report(lmer(y ~ time + (time | id), d, REML = TRUE))
""",
        tmp_path,
    )
    entry = waves(instrument, data).scale("s")
    assert entry.random_slope
    assert entry.change_per_wave == pytest.approx(lme4["slope"], abs=_FIXED)
    assert entry.intercept == pytest.approx(lme4["intercept"], abs=_FIXED)
    assert entry.ci_low == pytest.approx(lme4["ci_low"], abs=_FIXED)
    assert entry.ci_high == pytest.approx(lme4["ci_high"], abs=_FIXED)
    assert entry.var_intercept == pytest.approx(lme4["var_intercept"], rel=_RELATIVE)
    assert entry.var_slope == pytest.approx(lme4["var_slope"], rel=_RELATIVE)
    assert entry.cov_intercept_slope == pytest.approx(lme4["cov"], rel=_RELATIVE)
    assert entry.var_residual == pytest.approx(lme4["var_residual"], rel=_RELATIVE)


def test_singular_fit_as_lme4_sees_it(tmp_path: Path, run_r: RunR) -> None:
    """Everyone changes alike: lme4 calls the slope fit singular; so do we.

    allykit then fits ``(1 | id)``, which equals lme4's intercept-only fit.
    """
    ids = [f"p{n}" for _ in range(3) for n in range(8)]
    times = [float(w) for w in range(3) for _ in range(8)]
    values = [float(1 + n % 3 + s) for s in (0, 1, 1) for n in range(8)]
    with (tmp_path / "flat.csv").open("w", encoding="utf-8") as handle:
        handle.write("id,time,y\n")
        handle.writelines(
            f"{i},{t},{v}\n" for i, t, v in zip(ids, times, values, strict=True)
        )
    slope = run_r(
        _PRELUDE, "report(lmer(y ~ time + (time | id), read.csv('flat.csv')))", tmp_path
    )
    intercept = run_r(
        _PRELUDE, "report(lmer(y ~ time + (1 | id), read.csv('flat.csv')))", tmp_path
    )
    assert slope["singular"] == 1
    fit = fit_growth(ids, times, values)
    assert not fit.random_slope
    assert any("singular" in note for note in fit.notes)
    _compare(fit, intercept)
