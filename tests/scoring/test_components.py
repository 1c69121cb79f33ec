"""Properties of the first principal component behind the reverse-key hint."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given

from allykit.scoring._components import first_component, pairwise_correlations
from allykit.testing import item_columns

np = pytest.importorskip("numpy")


@given(item_columns())
def test_first_component_is_numpys_leading_eigenvector(
    columns: list[list[float | None]],
) -> None:
    """Loadings = leading eigenvector * sqrt(eigenvalue), summing >= 0."""
    correlation = pairwise_correlations(columns)
    assume(correlation is not None)
    assert correlation is not None
    values, vectors = np.linalg.eigh(np.array(correlation))
    assume(values[-1] - values[-2] > 1e-6)  # a unique leading direction
    expected = vectors[:, -1] * math.sqrt(values[-1])
    if expected.sum() < 0:
        expected = -expected
    loadings = first_component(correlation)
    assume(abs(sum(loadings)) > 1e-9)  # psych's sign rule decides the sign
    assert loadings == pytest.approx(list(expected), abs=1e-8)
    assert sum(loadings) >= 0


@given(item_columns())
def test_pairwise_correlations_match_numpy(
    columns: list[list[float | None]],
) -> None:
    """Each correlation uses the rows answering both items (R's pairwise)."""
    correlation = pairwise_correlations(columns)
    assume(correlation is not None)
    assert correlation is not None
    for i, x in enumerate(columns):
        for j, y in enumerate(columns):
            if i == j:
                continue
            pairs = [(a, b) for a, b in zip(x, y, strict=True) if None not in (a, b)]
            expected = np.corrcoef(np.array(pairs, dtype=float).T)[0, 1]
            assert correlation[i][j] == pytest.approx(expected, abs=1e-12)
