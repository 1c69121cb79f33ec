"""McDonald's omega total from a one-factor minres model (extra ``stats``).

Needs NumPy and SciPy (``pip install "allykit-frameworks[stats]"``); they are
imported here only, and this module only when omega is asked for, so
``import allykit`` never loads them.

The estimator is the one of R psych's ``omega(x, nfactors = 1)``, which
calls ``fa(r, nfactors = 1, fm = "minres")``:

* ``R`` is the correlation matrix of the (reverse-keyed) items;
* the uniquenesses ``psi`` minimise the sum of squared off-diagonal
  residuals ``sum_{i<j} (R_ij - l_i l_j)^2``, where ``l`` is the first
  eigenvector of ``R`` with ``1 - psi`` on its diagonal, scaled by the
  square root of its eigenvalue; L-BFGS-B with ``psi`` in ``[0.005, 1]``,
  starting from ``1 - SMC``, with psych's gradient, ``parscale = 0.01``,
  5 correction pairs and ``factr = 1e7`` (``optim``'s defaults, as psych
  calls it);
* the loadings are the first eigenvector of ``R - diag(psi)``, scaled by
  the square root of its eigenvalue, signed so that they sum to a
  positive number (as ``fa`` does);
* items with a negative loading are flipped (psych's ``flip = TRUE``), and
  ``omega_total = 1 - sum(1 - l_i^2) / sum(R*)`` with ``R*`` the flipped
  correlation matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["one_factor_omega"]

_LOWER = 0.005  # psych's lower bound for a uniqueness (a Heywood guard)
_FACTR = 1e7  # optim's default factr
_EPS = 2.220446049250313e-16


def one_factor_omega(
    correlation: Sequence[Sequence[float]],
) -> tuple[float, tuple[float, ...]]:
    """Return omega total and the loadings of a one-factor minres model.

    Args:
        correlation: A ``k x k`` correlation matrix, ``k >= 2``.

    Returns:
        ``(omega_total, loadings)``; loadings in item order, signed so that
        they sum to a positive number.

    Raises:
        InvalidArgumentError: If NumPy or SciPy is not installed.

    >>> r = [[1.0, 0.48, 0.4], [0.48, 1.0, 0.3], [0.4, 0.3, 1.0]]
    >>> omega, loadings = one_factor_omega(r)
    >>> round(omega, 4), [round(x, 4) for x in loadings]
    (0.6735, [0.8, 0.6, 0.5])
    """
    try:  # lazy: the optional extra "stats"
        import numpy as np
        from scipy.optimize import minimize
    except ImportError:
        from allykit.errors import InvalidArgumentError

        msg = (
            "omega needs NumPy and SciPy: install the extra with "
            "pip install 'allykit-frameworks[stats]'"
        )
        raise InvalidArgumentError(msg) from None
    r = np.array(correlation, dtype=float)
    k = r.shape[0]
    lower = np.tril_indices(k, -1)

    def first_factor(matrix: np.ndarray) -> np.ndarray:
        values, vectors = np.linalg.eigh(matrix)
        value = max(float(values[-1]), 100 * _EPS)
        loading: np.ndarray = vectors[:, -1] * np.sqrt(value)
        return loading

    def residuals(psi: np.ndarray) -> float:
        s = r.copy()
        np.fill_diagonal(s, 1.0 - psi)
        loading = first_factor(s)
        return float(np.sum((r - np.outer(loading, loading))[lower] ** 2))

    def gradient(psi: np.ndarray) -> np.ndarray:
        values, vectors = np.linalg.eigh(r - np.diag(psi))
        loading = vectors[:, -1] * np.sqrt(max(float(values[-1]), 0.0))
        g = np.outer(loading, loading) + np.diag(psi) - r
        result: np.ndarray = np.diag(g).copy()
        return result

    # Squared multiple correlations; a singular R takes the pseudo-inverse,
    # as psych's smc() does.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        try:
            inverse = np.linalg.inv(r)
        except np.linalg.LinAlgError:
            inverse = np.linalg.pinv(r)
        if not np.all(np.isfinite(inverse)) or np.any(np.diag(inverse) <= 0):
            inverse = np.linalg.pinv(r)
        smc = 1.0 - 1.0 / np.diag(inverse)
    smc = np.clip(np.nan_to_num(smc, nan=1.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
    upper = max(float(np.max(smc)), 1.0)
    scale = 0.01  # psych's parscale

    def objective(x: np.ndarray) -> float:
        return residuals(x * scale)

    def slope(x: np.ndarray) -> np.ndarray:
        result: np.ndarray = gradient(x * scale) * scale
        return result

    found = minimize(
        objective,
        (1.0 - smc) / scale,
        jac=slope,
        method="L-BFGS-B",
        bounds=[(_LOWER / scale, upper / scale)] * k,
        options={"maxcor": 5, "ftol": _FACTR * _EPS, "gtol": 0.0, "maxiter": 100},
    )
    psi = found.x * scale
    values, vectors = np.linalg.eigh(r - np.diag(psi))
    loadings = vectors[:, -1] * np.sqrt(max(float(values[-1]), 0.0))
    if loadings.sum() < 0:
        loadings = -loadings
    key = np.where(loadings < 0, -1.0, 1.0)
    flipped = r * np.outer(key, key)
    omega_total = 1.0 - float(np.sum(1.0 - loadings**2)) / float(np.sum(flipped))
    return omega_total, tuple(float(x) for x in loadings)
