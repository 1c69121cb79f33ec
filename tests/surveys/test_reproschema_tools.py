"""ReproNim's own tools on the ReproSchema export: validate, then convert to REDCap.

``reproschema validate`` and ``reproschema2redcap`` (the PyPI package
``reproschema``) run in a separate virtual environment, whose Python is
named by the environment variable ``ALLYKIT_REPROSCHEMA_PYTHON`` (``.ci/run``
creates it), through ``tests/data/reproschema/offline.py``, which answers
every fetch of the JSON-LD context from the copy pinned in the repository.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import allykit
from allykit import Instrument
from allykit.surveys import to_reproschema
from allykit.testing import instruments

pytestmark = pytest.mark.reference

_DATA = Path(__file__).parents[1] / "data" / "reproschema"
_OFFLINE = _DATA / "offline.py"


def _python() -> str:
    found = os.environ.get("ALLYKIT_REPROSCHEMA_PYTHON", "")
    if not found or not Path(found).exists():
        pytest.skip(
            "ReproNim's reproschema tools are not installed: .ci/run installs the "
            "PyPI package 'reproschema' into its own virtual environment and sets "
            "ALLYKIT_REPROSCHEMA_PYTHON to its python (set it yourself to run these)"
        )
    return found


def _write(documents: Mapping[str, Any], root: Path) -> None:
    for relative, document in documents.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2), "utf-8")


def _check(roots: list[Path]) -> dict[str, dict[str, Any]]:
    """Run validate and reproschema2redcap on each root, in one process."""
    done = subprocess.run(  # noqa: S603 -- our script, our arguments
        [_python(), str(_OFFLINE), "check", *map(str, roots)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_ET": "1", "REPROSCHEMA_LOG_LEVEL": "WARNING"},
    )
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith('{"root"'):
            result = json.loads(line)
            results[result["root"]] = result
    assert len(results) == len(roots), done.stdout + done.stderr
    return results


def _converted(result: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    assert result["valid"], result.get("error")
    assert "csv" in result, result.get("convert_error")
    with Path(result["csv"]).open(encoding="utf-8", newline="") as file:
        return {row["Variable / Field Name"]: row for row in csv.DictReader(file)}


def _assert_round_trip(
    instrument: Instrument, documents: Mapping[str, Any], rows: Mapping[str, Any]
) -> None:
    """The REDCap rows hold every item with its choices, and every score."""
    folder = f"activities/{instrument.id}"
    activity = documents[f"{folder}/{instrument.id}_schema"]
    names = [p["variableName"] for p in activity["ui"]["addProperties"]]
    assert list(rows) == names
    computed = {c["variableName"]: c["jsExpression"] for c in activity["compute"]}
    for name, row in rows.items():
        assert row["Form Name"] == instrument.id
        if name in computed:
            assert row["Field Type"] == "calc"
            assert row["Choices, Calculations, OR Slider Labels"] == computed[name]
            continue
        assert row["Field Type"] == "radio"
        choices = documents[f"{folder}/items/{name}"]["responseOptions"]["choices"]
        codes = [
            part.split(",", 1)[0].strip()
            for part in row["Choices, Calculations, OR Slider Labels"].split("|")
        ]
        assert codes == [str(c["value"]) for c in choices]


def _exportable() -> list[str]:
    return [
        instrument_id
        for instrument_id in allykit.available_instruments()
        if not allykit.load_instrument(instrument_id).is_metadata_only
    ]


class TestReproNimTools:
    def test_every_bundled_instrument(self, tmp_path: Path) -> None:
        """Each bundled export validates and converts back to a REDCap dictionary."""
        exports = {}
        for instrument_id in _exportable():
            documents = to_reproschema(allykit.load_instrument(instrument_id))
            _write(documents, tmp_path / instrument_id)
            exports[instrument_id] = documents

        results = _check([tmp_path / i for i in exports])

        assert len(exports) >= 2
        for instrument_id, documents in exports.items():
            rows = _converted(results[str(tmp_path / instrument_id)])
            instrument = allykit.load_instrument(instrument_id)
            _assert_round_trip(instrument, documents, rows)

    def test_the_validator_still_rejects_a_mismatched_id(self, tmp_path: Path) -> None:
        """The harness is not vacuous: an @id unlike the file name is refused."""
        documents = dict(
            to_reproschema(allykit.load_instrument("ally-model-reflection"))
        )
        path = "activities/ally-model-reflection/items/ac_speak_up"
        documents[path] = {**documents[path], "@id": "ac_speak_up.jsonld"}
        _write(documents, tmp_path / "bad")

        (result,) = _check([tmp_path / "bad"]).values()

        assert not result["valid"]
        assert "does not match" in result["error"]

    @settings(
        max_examples=3,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(batch=st.lists(instruments(), min_size=1, max_size=6))
    def test_generated_instruments(
        self, tmp_path_factory: pytest.TempPathFactory, batch: list[Instrument]
    ) -> None:
        """Generated instruments validate and convert too (one process per batch)."""
        root = tmp_path_factory.mktemp("generated")
        exports = []
        for number, instrument in enumerate(batch):
            documents = to_reproschema(instrument, prefix="q_", na_code=_na(instrument))
            _write(documents, root / str(number))
            exports.append((instrument, documents))

        results = _check([root / str(n) for n in range(len(batch))])

        for number, (instrument, documents) in enumerate(exports):
            rows = _converted(results[str(root / str(number))])
            _assert_round_trip(instrument, documents, rows)


def _na(instrument: Instrument) -> int:
    scales = [i.response_scale or instrument.response_scale for i in instrument.items]
    highest = max(
        v for s in scales if s is not None for v in (s.max, *s.not_applicable_values)
    )
    return int(highest) + 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
