"""The first principal component of a scale's items, as R psych computes it.

Pure Python. psych's ``alpha()`` asks ``principal(x)`` for one component
of ``cor(x, use = "pairwise")`` and, when any loading is negative, says the
item "probably should be reversed" (``check.keys``). :func:`first_component`
gives the same loadings: each correlation from the rows answering both
items, the leading eigenvector of that matrix (cyclic Jacobi rotations)
times the square root of its eigenvalue, signed so the loadings sum to a
non-negative number (psych's ``sign(colSums(loadings))``).

The eigen decomposition needs no positive definiteness, so a pairwise
matrix that is not positive definite still has a first component.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["first_component", "pairwise_correlations"]

_SWEEPS = 100
_TINY = 1e-15


def pairwise_correlations(
    columns: Sequence[Sequence[float | None]],
) -> list[list[float]] | None:
    """Return R's ``cor(x, use = "pairwise")``, or None where one is undefined.

    >>> pairwise_correlations([[1.0, 2.0, 3.0], [1.0, 3.0, 2.0]])
    [[1.0, 0.5], [0.5, 1.0]]
    """
    k = len(columns)
    matrix = [[1.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            pairs = [
                (x, y)
                for x, y in zip(columns[i], columns[j], strict=True)
                if x is not None and y is not None
            ]
            n = len(pairs)
            if n < 2:  # noqa: PLR2004 -- a correlation needs two rows
                return None
            mean_x = math.fsum(x for x, _ in pairs) / n
            mean_y = math.fsum(y for _, y in pairs) / n
            sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs)
            sxx = math.fsum((x - mean_x) ** 2 for x, _ in pairs)
            syy = math.fsum((y - mean_y) ** 2 for _, y in pairs)
            if not (sxx > 0 and syy > 0):
                return None
            matrix[i][j] = matrix[j][i] = sxy / math.sqrt(sxx * syy)
    return matrix


def first_component(correlation: Sequence[Sequence[float]]) -> list[float]:
    """Return the loadings on the first principal component (psych's signs).

    >>> [round(x, 4) for x in first_component([[1.0, 0.5], [0.5, 1.0]])]
    [0.866, 0.866]
    >>> loadings = first_component(
    ...     [[1.0, 0.6, -0.5], [0.6, 1.0, -0.4], [-0.5, -0.4, 1.0]])
    >>> [x < 0 for x in loadings]
    [False, False, True]
    """
    k = len(correlation)
    a = [[float(v) for v in row] for row in correlation]
    vectors = [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]
    for _ in range(_SWEEPS):
        off = math.fsum(a[i][j] ** 2 for i in range(k) for j in range(k) if i != j)
        if off < _TINY**2:
            break
        for p in range(k - 1):
            for q in range(p + 1, k):
                if abs(a[p][q]) < _TINY:
                    continue
                theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.hypot(theta, 1.0))
                c = 1.0 / math.hypot(t, 1.0)
                s = t * c
                for m in range(k):  # columns p and q
                    x, y = a[m][p], a[m][q]
                    a[m][p], a[m][q] = c * x - s * y, s * x + c * y
                for m in range(k):  # rows p and q
                    x, y = a[p][m], a[q][m]
                    a[p][m], a[q][m] = c * x - s * y, s * x + c * y
                for m in range(k):
                    x, y = vectors[m][p], vectors[m][q]
                    vectors[m][p], vectors[m][q] = c * x - s * y, s * x + c * y
    top = max(range(k), key=lambda i: a[i][i])
    size = math.sqrt(max(a[top][top], 0.0))
    loadings = [vectors[m][top] * size for m in range(k)]
    if math.fsum(loadings) < 0:
        loadings = [-x for x in loadings]
    return loadings
