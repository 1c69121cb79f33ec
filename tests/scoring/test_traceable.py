"""Reports say that an inventory is not validated and name the exact data (issue 12)."""

from __future__ import annotations

import pytest

import allykit
from allykit.scoring import ReliabilityReport, ScoreReport, reliability

# Their data trips psych-style diagnostics on purpose; the notes are
# tested in test_diagnostics.py.
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")

INVENTORY = allykit.load_instrument("ally-model-reflection")
ROWS = [
    {item.id: (row + column) % 5 + 1 for column, item in enumerate(INVENTORY.items)}
    for row in range(8)
]


class TestScoreReport:
    def test_carries_status_version_and_hash(self) -> None:
        """A score report names the instrument, its version and its content hash."""
        report = allykit.score(INVENTORY, ROWS[0])

        assert report.validated is False
        assert report.instrument == INVENTORY.id
        assert report.instrument_version == INVENTORY.version
        assert report.instrument_hash == INVENTORY.content_hash
        assert report.to_dict()["instrument_hash"] == INVENTORY.content_hash

    def test_hash_follows_the_data(self) -> None:
        """An edited instrument gives a different hash, even under the same id."""
        data = INVENTORY.to_dict()
        data["bands"][0]["label"] = "Another label"
        edited = type(INVENTORY).from_dict(data)

        assert allykit.score(edited, ROWS[0]).instrument_hash != (
            allykit.score(INVENTORY, ROWS[0]).instrument_hash
        )

    def test_old_reports_still_load(self) -> None:
        """A stored report without the hash loads, with the hash empty."""
        data = allykit.score(INVENTORY, ROWS[0]).to_dict()
        del data["instrument_hash"]

        assert ScoreReport.from_dict(data).instrument_hash == ""


class TestReliabilityReport:
    def test_carries_status_version_and_hash(self) -> None:
        """A reliability report says the inventory is not validated, and which data."""
        report = reliability(INVENTORY, ROWS)

        assert report.validated is False
        assert report.instrument_version == INVENTORY.version
        assert report.instrument_hash == INVENTORY.content_hash
        assert ReliabilityReport.from_json(report.to_json()) == report

    def test_old_reports_still_load(self) -> None:
        """A stored report without the new fields loads with their defaults."""
        data = reliability(INVENTORY, ROWS).to_dict()
        del data["validated"], data["instrument_hash"]

        loaded = ReliabilityReport.from_dict(data)
        assert loaded.validated is False
        assert loaded.instrument_hash == ""


class TestScoreFrame:
    def test_warns_unvalidated_with_hash(self) -> None:
        """Scoring a frame says, once, that the inventory is not validated."""
        import warnings

        import pytest

        pd = pytest.importorskip("pandas", reason="score_frame needs pandas here")
        pytest.importorskip("narwhals", reason="score_frame needs narwhals")
        from allykit.errors import AllykitWarning, UnvalidatedInstrumentWarning
        from allykit.scoring.frames import score_frame

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            score_frame(INVENTORY, pd.DataFrame(ROWS))
        found = [w for w in caught if w.category is UnvalidatedInstrumentWarning]

        assert len(found) == 1
        assert issubclass(UnvalidatedInstrumentWarning, AllykitWarning)
        message = str(found[0].message)
        assert INVENTORY.id in message
        assert INVENTORY.version in message
        assert INVENTORY.content_hash[:12] in message
        assert "not a validated measure" in message
