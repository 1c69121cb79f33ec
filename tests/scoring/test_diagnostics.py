"""Diagnostics and omega of reliability(): notes, ReliabilityWarning, invariants."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import Instrument
from allykit.errors import AllykitWarning, ReliabilityWarning
from allykit.scoring import ReliabilityReport, reliability

pytest.importorskip("scipy", reason="omega needs the stats extra (SciPy)")


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
            "scales": [{"id": "s", "name": "S", "items": [f"i{n}" for n in range(k)]}],
        }
    )


def _quiet(instrument: Instrument, rows: Any, **options: Any) -> ReliabilityReport:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        return reliability(instrument, rows, omega=True, **options)


_KEY_HINT = re.compile(
    r"(a reverse key may be missing|it is already reverse-keyed"
    r"|they are already reverse-keyed)[^)]*"
)


def _figures(report: ReliabilityReport) -> list[Any]:
    """Every figure of the report, floats rounded (fsum and eigh are exact enough)."""
    out: list[Any] = []
    for entry in report.scales:
        scale_figures = (
            entry.alpha,
            entry.std_alpha,
            entry.average_r,
            entry.ci_low,
            entry.ci_high,
            entry.omega_total,
        )
        out.extend(None if v is None else round(v, 9) for v in scale_figures)
        # What a negative loading suggests depends on each item's key (see
        # key_hint); the figures and the notes' other words must not.
        notes = tuple(_KEY_HINT.sub("<key hint>", note) for note in entry.notes)
        out.extend((entry.n_used, entry.n_complete, notes))
        for item in entry.items:
            item_figures = (item.mean, item.sd, item.alpha_if_deleted, item.r_drop)
            out.extend(None if v is None else round(v, 6) for v in item_figures)
            out.append(None if item.loading is None else round(item.loading, 6))
    return out


def _table(seed: int, n: int, k: int, holes: float) -> list[list[int | None]]:
    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    base = [rng.randint(1, 5) for _ in range(n)]
    return [
        [
            None
            if rng.random() < holes
            else min(5, max(1, b + rng.choice((-1, 0, 0, 1))))
            for _ in range(k)
        ]
        for b in base
    ]


def _rows(table: list[list[int | None]]) -> list[dict[str, Any]]:
    return [{f"i{n}": v for n, v in enumerate(row) if v is not None} for row in table]


class TestNotes:
    def test_no_variance(self) -> None:
        """An item without variance is named, with alpha without it."""
        rows = _rows([[1, 3, 2], [2, 3, 2], [4, 3, 5], [5, 3, 4]])
        with pytest.warns(ReliabilityWarning, match="i1 has no variance") as caught:
            entry = reliability(_instrument(3, frozenset()), rows).scale("s")
        assert len(caught) == 1
        assert "(every answer is 3); alpha without it is 0.911" in entry.notes[0]
        assert entry.std_alpha is None
        assert any("standardised alpha" in note for note in entry.notes)

    def test_missing_reverse_key(self) -> None:
        """The item loading negatively on the first component is named alone."""
        rows = _rows([[5, 1, 2], [4, 2, 2], [2, 4, 5], [1, 5, 4], [3, 3, 3]])
        with pytest.warns(ReliabilityWarning, match="first principal component"):
            entry = reliability(_instrument(3, frozenset()), rows).scale("s")
        hint = next(note for note in entry.notes if "reverse key" in note)
        assert hint.startswith("item i0 loads negatively")
        # The r.drop evidence stands beside the loading.
        assert f"r.drop {entry.items[0].r_drop:.2f}" in hint

    def test_zero_complete_rows(self) -> None:
        """Every row answered something, none answered everything: said so."""
        rows = _rows([[1, 2, None], [None, 3, 4], [5, None, 2], [2, None, 3]])
        with pytest.warns(ReliabilityWarning, match="no complete rows"):
            entry = reliability(_instrument(3, frozenset()), rows).scale("s")
        assert entry.n_complete == 0
        assert not any("no answers to this scale" in note for note in entry.notes)

    def test_nobody_answered_is_quiet(self) -> None:
        """A scale nobody answered: "no answers", and no warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            entry = reliability(_instrument(3, frozenset()), [{}, {}]).scale("s")
        assert any("no answers to this scale" in note for note in entry.notes)

    def test_not_positive_definite(self) -> None:
        """An item that is the mirror of another makes R singular."""
        rows = _rows([[1, 5, 2], [2, 4, 2], [4, 2, 5], [5, 1, 4]])
        with pytest.warns(ReliabilityWarning, match="not positive definite"):
            reliability(_instrument(3, frozenset({1})), rows)

    def test_too_few_rows(self) -> None:
        """One complete row: no alpha, no interval, and a warning saying so."""
        with pytest.warns(ReliabilityWarning, match="too few complete rows"):
            entry = reliability(_instrument(2), [{"i0": 1, "i1": 2}]).scale("s")
        assert entry.alpha is None
        assert entry.notes

    def test_single_item_scale_is_quiet(self) -> None:
        """One item: figures are None with a note, and no warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            entry = reliability(
                _instrument(1, frozenset()), [{"i0": 1}, {"i0": 3}], omega=True
            ).scale("s")
        assert entry.alpha is None
        assert entry.omega_total is None
        assert any("one item" in note for note in entry.notes)

    def test_category_can_be_filtered(self) -> None:
        """ReliabilityWarning is an AllykitWarning; a filter silences it."""
        assert issubclass(ReliabilityWarning, AllykitWarning)
        rows = _rows([[1, 3], [2, 3], [4, 3]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.simplefilter("ignore", ReliabilityWarning)
            reliability(_instrument(2, frozenset()), rows)

    def test_round_trip_keeps_notes_and_omega(self) -> None:
        """The JSON report keeps omega, loadings and notes."""
        rows = _rows(_table(1, 30, 4, 0.0))
        report = _quiet(_instrument(4), rows)
        assert report.scales[0].omega_total is not None
        assert ReliabilityReport.from_json(report.to_json()) == report


class TestInvariants:
    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(2, 25),
        k=st.integers(1, 5),
        holes=st.sampled_from([0.0, 0.1, 0.4]),
        missing=st.sampled_from(["listwise", "pairwise"]),
    )
    def test_shuffling_rows_changes_nothing(
        self, seed: int, n: int, k: int, holes: float, missing: str
    ) -> None:
        """Row order is not information: every figure and note stays."""
        table = _table(seed, n, k, holes)
        shuffled = table[:]
        random.Random(seed + 1).shuffle(shuffled)  # noqa: S311
        instrument = _instrument(k)
        assert _figures(_quiet(instrument, _rows(table), missing=missing)) == (
            _figures(_quiet(instrument, _rows(shuffled), missing=missing))
        )

    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(2, 25),
        k=st.integers(2, 5),
        holes=st.sampled_from([0.0, 0.1]),
        flip=st.integers(0, 4),
    )
    def test_reverse_keying_data_and_instrument(
        self, seed: int, n: int, k: int, holes: float, flip: int
    ) -> None:
        """Mirror one item's answers and its key: every figure stays."""
        flip %= k
        table = _table(seed, n, k, holes)
        mirrored = [
            [6 - v if i == flip and v is not None else v for i, v in enumerate(row)]
            for row in table
        ]
        keys = frozenset({0}) ^ {flip}
        assert _figures(_quiet(_instrument(k), _rows(table))) == _figures(
            _quiet(_instrument(k, keys), _rows(mirrored))
        )

    @settings(max_examples=60, deadline=None)
    @given(
        seed=st.integers(0, 10_000),
        n=st.integers(0, 12),
        k=st.integers(1, 4),
        holes=st.sampled_from([0.0, 0.3, 0.8]),
        missing=st.sampled_from(["listwise", "pairwise"]),
    )
    def test_every_none_says_why(
        self, seed: int, n: int, k: int, holes: float, missing: str
    ) -> None:
        """A None figure always comes with a note giving the reason."""
        entry = _quiet(
            _instrument(k), _rows(_table(seed, n, k, holes)), missing=missing
        )
        entry_scale = entry.scales[0]
        for name in ("alpha", "std_alpha", "average_r", "ci_low", "omega_total"):
            if getattr(entry_scale, name) is None:
                assert entry_scale.notes, name
        for item in entry_scale.items:
            if item.mean is None or item.sd is None:
                assert any(item.item in note for note in entry_scale.notes)


def test_import_allykit_loads_no_numpy() -> None:
    """The NumPy and SciPy are of omega are imported only when omega is asked for."""
    code = (
        "import sys, allykit, allykit.scoring\n"
        "from allykit.scoring import reliability\n"
        "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_large_scales_hint_from_r_drop_and_say_why() -> None:
    """Past COMPONENT_MAX_ITEMS the hint rests on r.drop, and the note says so."""
    import warnings

    from allykit.errors import ReliabilityWarning
    from allykit.models.instrument import Instrument
    from allykit.scoring import reliability
    from allykit.scoring._diagnostics import COMPONENT_MAX_ITEMS

    k = COMPONENT_MAX_ITEMS + 1
    instrument = Instrument.from_dict(
        {
            "id": "wide",
            "name": "Wide",
            "summary": "Written for the tests.",
            "intended_use": "Tests only; not a measure.",
            "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": f"L{v}"} for v in range(1, 6)],
                "min": 1,
                "max": 5,
            },
            "items": [{"id": f"i{n}", "text": f"Item {n}."} for n in range(k)],
            "scales": [
                {"id": "all", "name": "All", "items": [f"i{n}" for n in range(k)]}
            ],
        }
    )
    # Every item rises with the row but the last, which falls.
    rows = [
        {f"i{n}": 1 + (r + n % 2) % 5 for n in range(k - 1)} | {f"i{k - 1}": 5 - r % 5}
        for r in range(12)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        notes = reliability(instrument, rows).scale("all").notes

    hint = [note for note in notes if f"i{k - 1} (r.drop" in note]
    assert hint, notes
    assert f"at most {COMPONENT_MAX_ITEMS} items; this one has {k}" in hint[0]
    assert not any("first principal component" in note for note in notes)


@pytest.mark.parametrize("reverse", [frozenset(), frozenset({0})])
def test_key_hint_is_true_to_the_items_key(reverse: frozenset[int]) -> None:
    """A negative loading says "missing" only for an item with no reverse key.

    Item i0's raw answers run against the others': unkeyed, a key may be
    missing; already reverse-keyed, its answers run *with* the others once
    keyed, so the keyed item i0 reversed twice is built here by answering
    it the other way round, and the note asks to check key and wording.
    """
    instrument = _instrument(4, reverse)
    rng = random.Random(7)  # noqa: S311 -- test data
    rows = []
    for _ in range(60):
        level = rng.randint(1, 5)
        others = {
            f"i{n}": min(5, max(1, level + rng.choice((-1, 0, 0, 1))))
            for n in (1, 2, 3)
        }
        # i0 as answered: opposite the others once keyed.
        keyed_against = 6 - level
        i0 = keyed_against if not reverse else level
        rows.append({"i0": i0, **others})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        report = reliability(instrument, rows, omega=True)
    notes = " ".join(report.scales[0].notes)
    assert "i0" in notes
    if reverse:
        assert "already reverse-keyed, so check its key and its wording" in notes
        assert "reverse key may be missing" not in notes
    else:
        assert "a reverse key may be missing" in notes
        assert "already reverse-keyed" not in notes
