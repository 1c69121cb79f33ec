"""Tests of reliability(): alpha, its Feldt interval and item statistics."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import (
    DataFileError,
    Instrument,
    InvalidArgumentError,
    ResponseError,
    reliability,
)
from allykit.scoring._reliability import ReliabilityReport, f_quantile

# Figures on data that psych would warn about are pinned here; the
# ReliabilityWarning itself is tested in test_diagnostics.py.
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")


def _instrument(k: int) -> Instrument:
    return allykit.Instrument.from_dict(
        {
            "id": "test-scale",
            "name": "Test",
            "summary": "For tests.",
            "intended_use": "Tests.",
            "licence": {"spdx": None, "note": "Tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": str(v)} for v in range(1, 6)],
                "min": 1,
                "max": 5,
                "not_applicable": ["N/A"],
            },
            "items": [{"id": f"i{n}", "reverse": n == 0} for n in range(k)],
            "scales": [{"id": "s", "name": "S", "items": [f"i{n}" for n in range(k)]}],
        }
    )


def _alpha(matrix: np.ndarray) -> float:
    """Independent raw alpha from a complete n x k array (NumPy)."""
    k = matrix.shape[1]
    item_var = matrix.var(axis=0, ddof=1).sum()
    total_var = matrix.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def _rows(table: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {f"i{n}": value for n, value in enumerate(row) if value is not None}
        for row in table
    ]


FIXED = [
    [2, 4, 4, 5],
    [4, 2, 3, 2],
    [1, 5, 4, 4],
    [3, 3, 3, 4],
    [5, 1, 2, 1],
    [2, 4, 5, 4],
    [3, 3, 2, 3],
]


class TestFixed:
    def test_matches_numpy(self) -> None:
        """Alpha, std alpha, alpha-if-deleted and r.drop match NumPy formulas."""
        entry = reliability(_instrument(4), _rows(FIXED)).scale("s")
        keyed = np.array(FIXED, dtype=float)
        keyed[:, 0] = 6 - keyed[:, 0]
        corr = np.corrcoef(keyed, rowvar=False)
        mean_r = corr[np.triu_indices(4, 1)].mean()

        assert entry.alpha == pytest.approx(_alpha(keyed))
        assert entry.std_alpha == pytest.approx(4 * mean_r / (1 + 3 * mean_r))
        assert entry.average_r == pytest.approx(mean_r)
        for i, item in enumerate(entry.items):
            rest = np.delete(keyed, i, axis=1)
            assert item.alpha_if_deleted == pytest.approx(_alpha(rest))
            r = np.corrcoef(keyed[:, i], rest.sum(axis=1))[0, 1]
            assert item.r_drop == pytest.approx(r)
            assert item.mean == pytest.approx(keyed[:, i].mean())
            assert item.sd == pytest.approx(keyed[:, i].std(ddof=1))
        assert entry.n_complete == entry.n_used == 7

    def test_feldt_interval(self) -> None:
        """The interval is Feldt's, with F quantiles pinned from SciPy."""
        entry = reliability(_instrument(4), _rows(FIXED)).scale("s")
        assert entry.alpha is not None
        # SciPy's F quantiles at 0.975 and 0.025 for 6 and 18 degrees of freedom.
        upper_q, lower_q = 3.2209153074898556, 0.19222878435541532

        assert entry.ci_low == pytest.approx(1 - (1 - entry.alpha) * upper_q)
        assert entry.ci_high == pytest.approx(1 - (1 - entry.alpha) * lower_q)

    def test_f_quantiles(self) -> None:
        """The pure-Python F quantile agrees with SciPy's values."""
        assert f_quantile(0.975, 10, 90) == pytest.approx(2.1942273297102246)
        assert f_quantile(0.025, 10, 90) == pytest.approx(0.31649729768062734)
        assert f_quantile(0.975, 4, 12) == pytest.approx(4.121208618523441)
        assert f_quantile(0.975, 1, 1) == pytest.approx(647.7890114778442)
        assert f_quantile(0.025, 220, 4200) == pytest.approx(0.8182980391240283)

    def test_listwise_drops_incomplete_rows(self) -> None:
        """Listwise uses complete rows only; N/A counts as missing here."""
        table: list[list[Any]] = [*FIXED, [None, 3, 3, 3], ["N/A", 1, 1, 1]]

        entry = reliability(_instrument(4), _rows(table)).scale("s")

        assert entry.n_complete == 7
        assert entry.alpha == pytest.approx(
            reliability(_instrument(4), _rows(FIXED)).scale("s").alpha
        )

    def test_pairwise_matches_pairwise_covariance(self) -> None:
        """Pairwise alpha uses each pair's complete rows, as psych does."""
        table: list[list[Any]] = [
            *FIXED,
            [None, 3, 3, 3],
            [4, None, 1, 2],
            [2, 2, None, None],
        ]
        entry = reliability(_instrument(4), _rows(table), missing="pairwise").scale("s")
        keyed = np.array(
            [[np.nan if v is None else float(v) for v in row] for row in table]
        )
        keyed[:, 0] = 6 - keyed[:, 0]
        cov = np.empty((4, 4))
        for i in range(4):
            for j in range(4):
                ok = ~np.isnan(keyed[:, i]) & ~np.isnan(keyed[:, j])
                cov[i, j] = np.cov(keyed[ok, i], keyed[ok, j], ddof=1)[0, 1]
        expected = 4 / 3 * (1 - np.trace(cov) / cov.sum())

        assert entry.alpha == pytest.approx(expected)
        assert entry.n_complete == 7
        assert entry.n_used == 10

    def test_too_little_data(self) -> None:
        """With one row or no variance alpha is None, not an error."""
        one = reliability(_instrument(3), _rows([[1, 2, 3]])).scale("s")
        flat = reliability(_instrument(3), _rows([[3, 3, 3]] * 4)).scale("s")

        assert one.alpha is None
        assert one.ci_low is None
        assert flat.alpha is None

    def test_bad_arguments(self) -> None:
        """Unknown policies and bad rows raise allykit errors."""
        with pytest.raises(InvalidArgumentError):
            reliability(_instrument(2), [], missing="all")  # type: ignore[arg-type]
        with pytest.raises(ResponseError) as caught:
            reliability(_instrument(2), [{"i0": 1}, {"i0": 7}])
        assert caught.value.row == 1


class TestGenerated:
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(3, 30),
        k=st.integers(2, 6),
        holes=st.floats(0, 0.3),
    )
    def test_listwise_matches_numpy(
        self, seed: int, n: int, k: int, holes: float
    ) -> None:
        """On random data with holes, listwise alpha equals NumPy on complete rows."""
        rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
        table: list[list[Any]] = [
            [None if rng.random() < holes else rng.randint(1, 5) for _ in range(k)]
            for _ in range(n)
        ]
        entry = reliability(_instrument(k), _rows(table)).scale("s")
        complete = np.array(
            [row for row in table if None not in row], dtype=float
        ).reshape(-1, k)
        complete[:, 0] = 6 - complete[:, 0]
        total_var = complete.sum(axis=1).var(ddof=1) if len(complete) > 1 else 0.0
        trace = complete.var(axis=0, ddof=1).sum() if len(complete) > 1 else 0.0

        assert entry.n_complete == len(complete)
        # Same rule as allykit: a total variance that is zero up to rounding
        # gives no alpha.
        if len(complete) < 2 or not total_var > 1e-9 * max(abs(trace), 1.0):
            assert entry.alpha is None
        else:
            assert entry.alpha == pytest.approx(_alpha(complete))
            assert entry.ci_low is not None
            assert entry.ci_high is not None
            # The interval holds allykit's own alpha; NumPy's may differ from
            # it in the last bit (1.0 against 0.9999999999999998 at alpha 1).
            assert entry.alpha is not None
            assert entry.ci_low <= entry.alpha <= entry.ci_high


class TestReportJson:
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(0, 12),
        k=st.integers(1, 5),
        missing=st.sampled_from(["listwise", "pairwise"]),
    )
    def test_round_trip_is_lossless(
        self, seed: int, n: int, k: int, missing: str
    ) -> None:
        """A report survives to_json/from_json and to_dict/from_dict unchanged."""
        rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
        table: list[list[Any]] = [
            [None if rng.random() < 0.2 else rng.randint(1, 5) for _ in range(k)]
            for _ in range(n)
        ]
        report = reliability(_instrument(k), _rows(table), missing=missing)  # type: ignore[arg-type]

        assert ReliabilityReport.from_json(report.to_json()) == report
        assert ReliabilityReport.from_dict(report.to_dict()) == report
        assert report.to_dict()["schema_version"] == 1

    def test_bad_document(self) -> None:
        """A damaged report is a DataFileError naming the field, not a raw error."""
        report = reliability(_instrument(4), _rows(FIXED))
        data = report.to_dict()
        data["n_rows"] = -1
        del data["scales"][0]["alpha"]

        with pytest.raises(DataFileError) as caught:
            ReliabilityReport.from_dict(data)

        paths = {problem.path for problem in caught.value.problems}
        assert {"n_rows", "scales[0].alpha"} <= paths
