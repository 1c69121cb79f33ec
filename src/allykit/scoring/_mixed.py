"""A linear growth model with random effects per respondent (extra ``stats``).

Needs NumPy, SciPy and statsmodels (``pip install
"allykit-frameworks[stats]"``); they are imported here only, and this module
only when :func:`allykit.scoring.waves` fits a model.

The model is R lme4's ``lmer(score ~ time + (time | id), REML = TRUE)``,
or ``lmer(score ~ time + (1 | id))`` where the data do not identify a
random slope:

* fitted by restricted maximum likelihood with statsmodels' ``MixedLM``
  (L-BFGS), then polished on the same profiled REML criterion
  (statsmodels' ``loglike`` and ``score``) by SciPy's L-BFGS-B down to a
  projected gradient of 1e-10, with the diagonal of the relative Cholesky
  factor (lme4's ``theta``) kept at or above 1e-4 (statsmodels' criterion
  loses accuracy below about 3e-5, where it inverts a near-singular
  covariance); the criterion is flat
  near its optimum, and the default stopping rules of either library
  leave the variances about 1e-5 (relative) apart;
* the fixed effects' covariance is ``(sum_i X_i' V_i^-1 X_i)^-1`` at the
  estimated variances (lme4's ``vcov()``), and the interval is Wald's
  ``estimate +- z(0.975) * SE`` (lme4's ``confint(method = "Wald")``);
* a random slope is tried when at least 3 distinct times are observed and
  at least 2 respondents have 3 or more observations at distinct times;
  it is dropped (with a note) when the fit is singular in lme4's sense:
  a diagonal of the relative Cholesky factor below 1e-4
  (``isSingular(tol = 1e-4)``), or the slope's own factor held at the
  floor fitting within 1e-6 of the free fit (the optimum is on the
  boundary, which lme4 reaches exactly and L-BFGS-B may stop just short
  of).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import attrs

__all__ = ["GrowthFit", "fit_growth", "wald_interval"]

_Z = 1.959963984540054
_GTOL = 1e-10
# Lower bound of a relative Cholesky diagonal: lme4's singular tolerance.
# statsmodels' criterion loses its accuracy below about 3e-5 (it inverts
# the random-effect covariance), so the optimiser stays above 1e-4.
_FLOOR = 1e-4
_FLAT = 1e-6  # criterion difference taken as "no better off the boundary"
_STOP = 1e-3  # largest gradient of the REML criterion taken as converged
_SINGULAR = 1e-4  # lme4's isSingular(tol = 1e-4)


@attrs.frozen(kw_only=True)
class GrowthFit:
    """The estimates of one linear growth model (internal)."""

    intercept: float
    slope: float
    intercept_se: float
    slope_se: float
    var_intercept: float
    var_slope: float | None
    cov_intercept_slope: float | None
    var_residual: float
    random_slope: bool
    reml_criterion: float
    boundary: bool
    notes: tuple[str, ...]


def _groups(ids: Sequence[str], times: Sequence[float]) -> tuple[int, int]:
    distinct = len(set(times))
    seen: dict[str, set[float]] = {}
    for key, time in zip(ids, times, strict=True):
        seen.setdefault(key, set()).add(time)
    rich = sum(1 for found in seen.values() if len(found) >= 3)  # noqa: PLR2004
    return distinct, rich


def fit_growth(
    ids: Sequence[str],
    times: Sequence[float],
    values: Sequence[float],
    *,
    random_slope: bool | None = None,
) -> GrowthFit:
    """Fit ``value ~ time`` with a random intercept (and slope) per id.

    *random_slope* None decides from the data (see the module docstring).
    """
    notes: list[str] = []
    distinct, rich = _groups(ids, times)
    if random_slope is None:
        random_slope = distinct >= 3 and rich >= 2  # noqa: PLR2004
        if not random_slope:
            notes.append(
                "random slope: not identified (needs 3 distinct times and 2 "
                "respondents with 3 or more observations); intercept only"
            )
    if random_slope:
        fit = _fit(ids, times, values, slope=True)
        if fit.boundary or _singular(fit):
            notes.append(
                "random slope: the fit is singular (lme4's isSingular, "
                "tolerance 1e-4: a relative Cholesky factor at zero); "
                "intercept only"
            )
        else:
            return fit
    fit = _fit(ids, times, values, slope=False)
    return attrs.evolve(fit, notes=(*notes, *fit.notes))


def _on_boundary(criterion: Any, gradient_of: Any, best: Any) -> bool:
    """Tell whether the slope's own factor at the floor fits as well.

    Re-fits ``[L00, L10]`` with ``L11`` held at the floor; a criterion
    within 1e-6 of the free fit means the data put the optimum on the
    boundary (lme4 reaches ``theta = 0`` there and calls the fit
    singular), wherever the free optimiser happened to stop.
    """
    import numpy as np
    from scipy import optimize

    def held(x: Any) -> float:
        return float(criterion(np.array([x[0], x[1], _FLOOR])))

    def held_gradient(x: Any) -> Any:
        return gradient_of(np.array([x[0], x[1], _FLOOR]))[:2]

    done = optimize.minimize(
        held,
        np.array(best[:2]),
        jac=held_gradient,
        method="L-BFGS-B",
        bounds=[(_FLOOR, None), (None, None)],
        options={"ftol": 1e-16, "gtol": _GTOL, "maxiter": 10_000},
    )
    return bool(done.fun <= float(criterion(best)) + _FLAT)


def _singular(fit: GrowthFit) -> bool:
    """Tell whether a diagonal of the relative Cholesky factor is below 1e-4."""
    a = fit.var_intercept / fit.var_residual
    b = (fit.cov_intercept_slope or 0.0) / fit.var_residual
    c = (fit.var_slope or 0.0) / fit.var_residual
    limit = (_SINGULAR * (1 + 1e-6)) ** 2
    if not a > limit:
        return True
    rest = c - b * b / a
    return not rest > limit


def _fit(
    ids: Sequence[str], times: Sequence[float], values: Sequence[float], *, slope: bool
) -> GrowthFit:
    import numpy as np
    from scipy import optimize
    from statsmodels.regression.mixed_linear_model import MixedLM, MixedLMParams

    y = np.asarray(values, dtype=float)
    t = np.asarray(times, dtype=float)
    exog = np.column_stack([np.ones_like(t), t])
    exog_re = exog if slope else exog[:, :1]
    groups = np.asarray(ids, dtype=object)
    model: Any = MixedLM(y, exog, groups=groups, exog_re=exog_re)

    def criterion(x: Any) -> float:
        return -2.0 * float(model.loglike(np.asarray(x), profile_fe=True))

    def gradient_of(x: Any) -> Any:
        return -2.0 * np.asarray(model.score(np.asarray(x), profile_fe=True))

    with warnings.catch_warnings():
        # Convergence chatter; the polish below decides.
        warnings.simplefilter("ignore")
        try:
            first: Any = model.fit(reml=True, method=["lbfgs"])
            start = np.array(
                first.params_object.get_packed(use_sqrt=True, has_fe=False)
            )
        except np.linalg.LinAlgError:
            # statsmodels' own fit inverts the random-effect covariance and
            # fails where the optimum has no variance between respondents;
            # the bounded polish below starts from lme4's start instead
            # (theta = identity), and keeps that covariance invertible.
            start = np.array([1.0, 0.0, 1.0] if slope else [1.0])
        # Relative Cholesky factor [L00, L10, L11] (or [L00]): diagonals
        # kept at or above _FLOOR, as lme4 keeps its theta at or above 0.
        diagonal = [0, 2] if slope else [0]
        start[diagonal] = np.maximum(np.abs(start[diagonal]), _FLOOR)
        bounds = [
            (_FLOOR, None) if i in diagonal else (None, None) for i in range(len(start))
        ]
        done = optimize.minimize(
            criterion,
            start,
            jac=gradient_of,
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-16, "gtol": _GTOL, "maxiter": 10_000},
        )
        best = min((start, done.x), key=criterion)
        boundary = slope and _on_boundary(criterion, gradient_of, best)
        gradient = gradient_of(best)
        free = [abs(g) for i, g in enumerate(gradient) if best[i] > 2 * _FLOOR or g < 0]
        largest = max(free, default=0.0)
        params: Any = MixedLMParams.from_packed(
            best, model.k_fe, model.k_re, use_sqrt=True, has_fe=False
        )
        fe, _ = model.get_fe_params(params.cov_re, params.vcomp)
        scale = float(model.get_scale(fe, params.cov_re, params.vcomp))
        reml = criterion(best)
    cov_re = np.asarray(params.cov_re) * scale
    # vcov of the fixed effects at these variances: (sum X' V^-1 X)^-1.
    information = np.zeros((2, 2))
    for key in dict.fromkeys(ids):
        rows = groups == key
        x, z = exog[rows], exog_re[rows]
        v = z @ cov_re @ z.T + scale * np.eye(int(rows.sum()))
        information += x.T @ np.linalg.solve(v, x)
    vcov = np.linalg.inv(information)
    # BFGS may stop on "precision loss" at the optimum itself; the
    # gradient of the criterion tells whether it got there.
    notes = (
        []
        if largest < _STOP
        else [f"optimiser stopped with a gradient of {largest:.2g}"]
    )
    return GrowthFit(
        intercept=float(fe[0]),
        slope=float(fe[1]),
        intercept_se=float(math.sqrt(vcov[0, 0])),
        slope_se=float(math.sqrt(vcov[1, 1])),
        var_intercept=float(cov_re[0, 0]),
        var_slope=float(cov_re[1, 1]) if slope else None,
        cov_intercept_slope=float(cov_re[0, 1]) if slope else None,
        var_residual=scale,
        random_slope=slope,
        reml_criterion=reml,
        boundary=boundary,
        notes=tuple(notes),
    )


def wald_interval(estimate: float, se: float) -> tuple[float, float]:
    """Return ``estimate +- z(0.975) * se`` (lme4 ``confint(method = "Wald")``)."""
    return estimate - _Z * se, estimate + _Z * se
