"""Tests of change(): pairing by id, mean change, effect sizes, reliable change."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import Instrument, InvalidArgumentError
from allykit.errors import AllykitWarning
from allykit.scoring import ChangeReport, change


def _instrument(k: int, reverse: frozenset[int] = frozenset({0})) -> Instrument:
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
            "items": [{"id": f"i{n}", "reverse": n in reverse} for n in range(k)],
            "scales": [
                {
                    "id": "s",
                    "name": "S",
                    "items": [f"i{n}" for n in range(k)],
                    "method": "mean",
                }
            ],
        }
    )


def _rows(seed: int, n: int, k: int, shift: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 -- test data
    rows = []
    for person in range(n):
        base = rng.randint(1, 5)
        row: dict[str, Any] = {"id": f"p{person}"}
        for i in range(k):
            row[f"i{i}"] = min(5, max(1, base + shift + rng.choice((-1, 0, 1))))
        rows.append(row)
    return rows


def _figures(report: ChangeReport) -> list[Any]:
    out: list[Any] = [report.n_pairs, report.only_before, report.only_after]
    for s in report.scales:
        for v in (s.mean_change, s.ci_low, s.ci_high, s.effect_size, s.d_z, s.s_diff):
            out.append(None if v is None else round(v, 9))  # noqa: PERF401
        out.extend((s.n_rose, s.n_fell, s.n_within, s.notes))
        out.extend((key, None if v is None else round(v, 9)) for key, v in s.rci)
    return out


class TestFixed:
    def test_figures_by_hand(self) -> None:
        """Mean change, t interval, effect sizes and RCI from their formulas."""
        instrument = _instrument(1, frozenset())
        before = [{"id": p, "i0": v} for p, v in zip("abcd", (2, 3, 2, 4), strict=True)]
        after = [{"id": p, "i0": v} for p, v in zip("abcd", (4, 4, 2, 5), strict=True)]
        entry = change(instrument, before, after, reliability=0.75).scale("s")
        diffs = [2, 1, 0, 1]
        mean = 1.0
        sd_d = math.sqrt(sum((d - mean) ** 2 for d in diffs) / 3)
        sd_1 = math.sqrt(sum((x - 2.75) ** 2 for x in (2, 3, 2, 4)) / 3)
        assert entry.mean_change == pytest.approx(mean)
        t = 3.182446305284263  # qt(0.975, 3) in R
        assert entry.ci_low == pytest.approx(mean - t * sd_d / 2, abs=1e-9)
        assert entry.d_z == pytest.approx(mean / sd_d)
        assert entry.effect_size == pytest.approx(mean / sd_1)
        s_diff = math.sqrt(2) * sd_1 * math.sqrt(0.25)
        assert entry.s_diff == pytest.approx(s_diff)
        assert dict(entry.rci)["a"] == pytest.approx(2 / s_diff)
        assert (entry.n_rose, entry.n_fell, entry.n_within) == (1, 0, 3)
        assert entry.reliability_source == "supplied"

    def test_pairing_reports_ids(self) -> None:
        """Unmatched, duplicate and missing ids are counted, not paired."""
        instrument = _instrument(2)
        before = [
            {"id": "a", "i0": 1, "i1": 2},
            {"id": "b", "i0": 2, "i1": 2},
            {"id": "b", "i0": 3, "i1": 2},
            {"i0": 3, "i1": 2},
            {"id": "c", "i0": 3, "i1": 3},
        ]
        after = [
            {"id": "a", "i0": 1, "i1": 3},
            {"id": "b", "i0": 1, "i1": 3},
            {"id": "d", "i0": 1, "i1": 3},
        ]
        report = change(instrument, before, after, reliability=0.8)
        assert report.n_pairs == 1
        assert report.duplicate_ids == ("b",)
        assert report.only_before == ("c",)
        assert report.only_after == ("d",)
        assert report.rows_without_id == (1, 0)
        assert report.scale("s").notes  # one pair: no interval, says why

    def test_reliability_of_numpy_numbers(self) -> None:
        """np.float32, np.int64 and Fraction reliabilities: numbers, as floats are."""
        from fractions import Fraction

        import numpy as np

        instrument = _instrument(2)
        rows = _rows(1, 12, 2, 0)
        after = _rows(2, 12, 2, 1)
        expected = change(instrument, rows, after, reliability=0.75)
        value: Any
        for value in (np.float32(0.75), Fraction(3, 4), {"s": np.float32(0.75)}):
            got = change(instrument, rows, after, reliability=value)
            assert got == expected
        assert change(instrument, rows, after, reliability=np.int64(0)) == change(
            instrument, rows, after, reliability=0
        )

    def test_rows_without_any_column_are_rows_without_an_id(self) -> None:
        """Empty rows (no header at all) are counted as rows without an id."""
        instrument = _instrument(2)
        after = [{"id": "a", "i0": 1, "i1": 3}]

        with pytest.warns(AllykitWarning, match="no respondent id"):
            report = change(instrument, [{}, {}], after, reliability=0.8)

        assert report.n_before == 2
        assert report.n_pairs == 0
        assert report.rows_without_id == (2, 0)
        assert report.only_after == ("a",)

    def test_alpha_of_before_by_default(self) -> None:
        """Without a reliability, alpha of the before answers is used."""
        report = change(_instrument(3), _rows(1, 30, 3, 0), _rows(2, 30, 3, 1))
        entry = report.scale("s")
        assert entry.reliability_source == "alpha of the before answers"
        assert entry.reliability is not None
        assert entry.n_rose + entry.n_fell + entry.n_within == entry.n_pairs

    def test_bad_reliability(self) -> None:
        """Reliabilities outside [0, 1) and unknown scales are refused."""
        for bad in (1.0, -0.1, "0.8", {"nope": 0.8}, True):
            with pytest.raises(InvalidArgumentError):
                change(_instrument(2), [], [], reliability=bad)  # type: ignore[arg-type]

    def test_frames_give_the_same_report(self) -> None:
        """A DataFrame and its rows give the same report (one implementation)."""
        pd = pytest.importorskip("pandas")
        before, after = _rows(3, 20, 3, 0), _rows(4, 20, 3, 1)
        rows = change(_instrument(3), before, after)
        frames = change(_instrument(3), pd.DataFrame(before), pd.DataFrame(after))
        assert frames == rows


class TestInvariants:
    @settings(max_examples=30, deadline=None)
    @given(seed=st.integers(0, 10_000), n=st.integers(0, 15), k=st.integers(1, 4))
    def test_shuffling_rows_changes_nothing(self, seed: int, n: int, k: int) -> None:
        """Row order is not information."""
        before, after = _rows(seed, n, k, 0), _rows(seed + 1, n, k, 1)
        shuffled = after[:]
        random.Random(seed).shuffle(shuffled)  # noqa: S311
        instrument = _instrument(k)
        assert _figures(change(instrument, before, after)) == _figures(
            change(instrument, before[::-1], shuffled)
        )

    @settings(max_examples=30, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(2, 15),
        k=st.integers(2, 4),
        flip=st.integers(0, 3),
    )
    def test_reverse_keying_data_and_instrument(
        self, seed: int, n: int, k: int, flip: int
    ) -> None:
        """Mirror one item's answers (both times) and its key: figures stay."""
        flip %= k
        before, after = _rows(seed, n, k, 0), _rows(seed + 1, n, k, 1)

        def mirror(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [row | {f"i{flip}": 6 - row[f"i{flip}"]} for row in rows]

        keys = frozenset({0}) ^ {flip}
        assert _figures(change(_instrument(k), before, after)) == _figures(
            change(_instrument(k, keys), mirror(before), mirror(after))
        )


def test_rci_threshold_is_exact_and_documented() -> None:
    """One cut-off, the 0.975 normal quantile, in the code and in the docs."""
    from pathlib import Path
    from statistics import NormalDist

    from allykit.scoring import RCI_THRESHOLD
    from allykit.scoring._change import _reliable_change

    assert NormalDist().inv_cdf(0.975) == pytest.approx(RCI_THRESHOLD, abs=1e-15)
    # 1.95998 is above the cut-off (it rose); the cut-off itself is within.
    pairs = [("a", 0.0, 1.95998), ("b", 0.0, RCI_THRESHOLD), ("c", 0.0, -1.95998)]
    rci, (rose, fell, within) = _reliable_change(pairs, 1.0)
    assert [value for _, value in rci] == [1.95998, RCI_THRESHOLD, -1.95998]
    assert (rose, fell, within) == (1, 1, 1)
    docs = Path(__file__).parents[2] / "docs" / "reliability-figures.md"
    text = docs.read_text(encoding="utf-8")
    assert repr(RCI_THRESHOLD) in text
    assert "<= 1.96" not in text
