"""Status words that fit the instrument, through every output (issue 22).

allykit's own inventories are reflective aids, not validated measures; a
published, validated scale completed with the user's own items
(``merge_item_text``) is one whose items allykit cannot confirm match the
validated version; a validated instrument (none is bundled) is a validated
measure. One function, ``allykit.scoring.instrument_status``, says which,
and every output says it through that function.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from typer.testing import CliRunner

import allykit
from allykit.cli._app import app
from allykit.errors import InvalidArgumentError
from allykit.models.instrument import Instrument
from allykit.scoring import change, instrument_status

OWN = "a reflective aid, not a validated measure"
PUBLISHED = "allykit cannot confirm these items match the validated version"
VALIDATED = "a validated measure"


def _merged_aim() -> Instrument:
    """The AIM record completed with placeholder items, as a licensed user would."""
    items = [
        {"id": f"aim-{n:02d}", "text": f"Placeholder item {n}.", "reverse": n == 3}
        for n in range(1, 20)
    ]
    own = {
        "response_scale": {
            "choices": [{"value": v, "label": f"Point {v}"} for v in range(1, 8)],
            "min": 1,
            "max": 7,
        },
        "items": items,
        "scales": [
            {
                "id": sid,
                "name": sid,
                "items": [i["id"] for i in items[index::3]],
                "method": "mean",
            }
            for index, sid in enumerate(("knowledge", "openness", "awareness"))
        ],
    }
    return allykit.catalog.merge_item_text(
        allykit.load_instrument("ally-identity-measure"), own
    )


OWN_INSTRUMENT = allykit.load_instrument("ally-model-reflection")
MERGED = _merged_aim()
VALIDATED_INSTRUMENT = attrs.evolve(OWN_INSTRUMENT, validated=True)
CASES = [(OWN_INSTRUMENT, OWN), (MERGED, PUBLISHED)]


def _rows(instrument: Instrument, count: int = 8) -> list[dict[str, Any]]:
    """Varied complete answers (so reliability has variance)."""
    rows = []
    for n in range(count):
        row: dict[str, Any] = {}
        for index, item in enumerate(instrument.items):
            scale = instrument.response_scale_for(item.id)
            values = [c.value for c in scale.choices]
            row[item.id] = values[(n * 3 + index * (n + 1)) % len(values)]
        rows.append(row)
    return rows


class TestTheFunction:
    def test_three_statuses(self) -> None:
        """Own inventory, completed published scale, validated instrument."""
        assert instrument_status(OWN_INSTRUMENT) == OWN
        assert PUBLISHED in instrument_status(MERGED)
        assert "reflective aid" not in instrument_status(MERGED)
        assert instrument_status(VALIDATED_INSTRUMENT) == VALIDATED

    def test_from_stored_flags(self) -> None:
        """Stored reports keep the flags; the words come out the same."""
        assert instrument_status(validated=False) == OWN
        assert instrument_status(validated=False, published=True) == (
            instrument_status(MERGED)
        )
        assert instrument_status(validated=True, published=True) == VALIDATED

    def test_needs_something_to_go_on(self) -> None:
        """Neither an instrument nor a flag is an allykit error, not a guess."""
        with pytest.raises(InvalidArgumentError, match="validated"):
            instrument_status()

    def test_no_bundled_instrument_is_validated(self) -> None:
        """None is bundled as validated today, so no output may say so."""
        for instrument_id in allykit.available_instruments():
            status = instrument_status(allykit.load_instrument(instrument_id))
            assert status != VALIDATED


@pytest.mark.parametrize(("instrument", "words"), CASES)
class TestEveryOutput:
    def test_explain(self, instrument: Instrument, words: str) -> None:
        """The explanation closes with the instrument's own status."""
        report = allykit.score(instrument, _rows(instrument)[0])
        last = report.explain().splitlines()[-1]
        assert words in last
        assert report.published is (instrument.published is not None)
        assert allykit.ScoreReport.from_json(report.to_json()) == report

    @pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")
    def test_reliability_text(self, instrument: Instrument, words: str) -> None:
        """The reliability report's status line, and its frame metadata."""
        report = allykit.reliability(instrument, _rows(instrument))
        assert words in str(report).splitlines()[1]
        from allykit.scoring._reliability_report import provenance

        assert words in provenance(report)["status"]

    def test_change_text(self, instrument: Instrument, words: str) -> None:
        """print(change) shows mean scores: its pairing line carries the status."""
        rows = _rows(instrument)
        before = [{"id": f"p{n}"} | row for n, row in enumerate(rows)]
        after = [{"id": f"p{n}"} | row for n, row in enumerate(reversed(rows))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = change(instrument, before, after)
        assert words in str(report).splitlines()[1]
        assert report.published is (instrument.published is not None)

    def test_html_report(self, instrument: Instrument, words: str) -> None:
        """The HTML report's about line."""
        pytest.importorskip("matplotlib")
        from allykit.scoring import html_report

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = html_report(instrument, _rows(instrument))
        assert words in page

    def test_survey_exports(self, instrument: Instrument, words: str) -> None:
        """SurveyJS, REDCap and ReproSchema carry the same status."""
        from allykit.surveys import to_redcap_dictionary, to_reproschema, to_surveyjs

        assert words in json.dumps(to_surveyjs(instrument), ensure_ascii=False)
        assert words in to_redcap_dictionary(instrument)
        assert words in json.dumps(to_reproschema(instrument), ensure_ascii=False)

    def test_frames_record_and_warning(
        self, instrument: Instrument, words: str
    ) -> None:
        """A scored frame's record and the unvalidated warning say it too."""
        pd = pytest.importorskip("pandas")
        from allykit.errors import UnvalidatedInstrumentWarning
        from allykit.scoring.frames import score_frame

        frame = pd.DataFrame(_rows(instrument, 3))
        with pytest.warns(UnvalidatedInstrumentWarning, match=words[:30]):
            result = score_frame(instrument, frame)
        assert words in result.attrs["allykit.instrument"]["status"]

    def test_cli_summary_and_provenance(
        self, instrument: Instrument, words: str, tmp_path: Path
    ) -> None:
        """``allykit score``'s summary and provenance record."""
        source = tmp_path / "instrument.json"
        source.write_text(instrument.to_json(), encoding="utf-8")
        rows = _rows(instrument, 3)
        items = [item.id for item in instrument.items]
        answers = tmp_path / "in.csv"
        answers.write_text(
            ",".join(items)
            + "\n"
            + "\n".join(",".join(f"{row[i]:g}" for i in items) for row in rows)
            + "\n",
            encoding="utf-8",
        )
        record = tmp_path / "provenance.json"
        result = CliRunner().invoke(
            app,
            [
                "score",
                str(source),
                str(answers),
                "-o",
                str(tmp_path / "out.csv"),
                "--provenance",
                str(record),
            ],
        )
        assert result.exit_code == 0, result.output
        assert words in " ".join(result.output.split())
        data = json.loads(record.read_text(encoding="utf-8"))
        assert words in data["status"]
        assert words in data["instrument"]["status"]


def test_validated_instrument_has_no_caveat() -> None:
    """A validated instrument's explanation carries no reflective-aid note."""
    report = allykit.score(VALIDATED_INSTRUMENT, _rows(VALIDATED_INSTRUMENT)[0])
    text = report.explain()
    assert OWN not in text
    assert PUBLISHED not in text
