"""Tests of the instrument model, its loaders and the bundled inventories."""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import allykit
from allykit import DataFileError, Instrument
from allykit.testing import instruments

# The bundled ones only: installed packages (the example plugin) may add more.
INSTRUMENT_IDS = tuple(
    key
    for key, source in allykit.catalog.instrument_sources().items()
    if source == "bundled"
)


def _raw(instrument_id: str) -> str:
    resource = files("allykit") / "data" / "instruments" / f"{instrument_id}.json"
    return resource.read_text(encoding="utf-8")


def _minimal() -> dict[str, Any]:
    return {
        "id": "mine",
        "name": "Mine",
        "summary": "A small inventory for tests.",
        "intended_use": "Tests.",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "response_scale": {
            "choices": [
                {"value": 1, "label": "No"},
                {"value": 2, "label": "Sometimes"},
                {"value": 3, "label": "Yes"},
            ],
            "min": 1,
            "max": 3,
            "not_applicable": ["N/A"],
        },
        "items": [{"id": "a"}, {"id": "b", "reverse": True}, {"id": "c"}],
        "scales": [{"id": "all", "name": "All", "items": ["a", "b", "c"]}],
        "bands": [
            {"id": "low", "scale": "all", "min": 1, "max": 2, "label": "Lower"},
            {"id": "high", "scale": "all", "min": 2, "max": 3, "label": "Higher"},
        ],
    }


def _paths(data: dict[str, Any]) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        allykit.Instrument.from_dict(data)
    return [problem.path for problem in caught.value.problems]


class TestCatalogue:
    def test_available(self) -> None:
        """The three bundled instruments are listed, sorted."""
        ids = allykit.available_instruments()

        assert list(ids) == sorted(ids)
        assert INSTRUMENT_IDS == (
            "action-continuum-scenarios",
            "ally-identity-measure",
            "ally-model-reflection",
        )

    def test_unknown_id_suggests(self) -> None:
        """An unknown id raises with a suggestion."""
        with pytest.raises(allykit.UnknownDocumentError, match="ally-model-reflection"):
            allykit.load_instrument("ally-model-reflect")

    def test_get_default(self) -> None:
        """get_instrument returns the default for an unknown id."""
        assert allykit.catalog.get_instrument("nothing", "x") == "x"
        assert allykit.catalog.get_instrument("ally-model-reflection") is not None

    def test_committed_schema_matches(self) -> None:
        """The committed instrument schema equals the generated one."""
        from allykit.catalog import _resources

        committed = json.loads(_resources.read_schema("instrument.schema.json"))

        assert committed == allykit.catalog.instrument_json_schema()


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
class TestEveryBundledInstrument:
    def test_validates_as_user_data(self, instrument_id: str) -> None:
        """The bundled file passes the full untrusted-data validation."""
        validated = allykit.Instrument.from_json(_raw(instrument_id))

        assert validated == allykit.load_instrument(instrument_id)

    def test_named_and_declares_schema(self, instrument_id: str) -> None:
        """The file is named after its id and points at its schema."""
        document = json.loads(_raw(instrument_id))

        assert document["id"] == instrument_id
        assert document["$schema"] == "../schemas/instrument.schema.json"

    def test_honest(self, instrument_id: str) -> None:
        """Every bundled instrument is cited, licensed and marked not validated."""
        instrument = allykit.load_instrument(instrument_id)

        assert instrument.citations
        assert instrument.licence.note
        assert instrument.validated is False
        assert "not" in instrument.intended_use

    def test_round_trip(self, instrument_id: str) -> None:
        """The instrument survives a JSON round trip."""
        instrument = allykit.load_instrument(instrument_id)

        assert Instrument.from_json(instrument.to_json()) == instrument

    def test_published_record_matches_scales(self, instrument_id: str) -> None:
        """A published-scale record in an instrument is the bundled scale record."""
        published = allykit.load_instrument(instrument_id).published

        if published is not None:
            assert published == allykit.catalog.load_scale(published.id)


class TestAllyModelReflection:
    def test_items_per_stage(self) -> None:
        """Each of the three stages has at least six items, some reverse-keyed."""
        inventory = allykit.load_instrument("ally-model-reflection")
        model = allykit.load_framework("ally-model")

        assert [s.stage for s in inventory.scales] == [s.id for s in model.stages]
        for scale in inventory.scales:
            reverse = [k for k in scale.items if inventory.item(k).reverse]
            assert len(scale.items) >= 6
            assert 1 <= len(reverse) < len(scale.items)
        assert len(inventory.items) == 20

    def test_agreement_scale(self) -> None:
        """The response scale is 5-point agreement with N/A codes."""
        scale = allykit.load_instrument("ally-model-reflection").response_scale

        assert scale is not None
        assert [c.value for c in scale.choices] == [1, 2, 3, 4, 5]
        assert scale.choices[-1].label == "Strongly agree"
        assert "Does not apply" in scale.not_applicable

    def test_bands_point_at_stage_prompts(self) -> None:
        """Every band suggests prompts of its own stage."""
        inventory = allykit.load_instrument("ally-model-reflection")
        model = allykit.load_framework("ally-model")

        for band in inventory.bands:
            scale = inventory.scale(band.scale)
            assert band.prompts
            assert all(model.prompt(p).stage == scale.stage for p in band.prompts)
        assert len(inventory.bands) == 9


class TestActionContinuumScenarios:
    def test_options_map_to_each_point(self) -> None:
        """At least eight scenarios, each option at one continuum point, in order."""
        scenarios = allykit.load_instrument("action-continuum-scenarios")
        continuum = allykit.load_framework("action-continuum")

        assert len(scenarios.items) >= 8
        for item in scenarios.items:
            assert item.response_scale is not None
            assert [(c.value, c.stage) for c in item.response_scale.choices] == [
                (s.position, s.id) for s in continuum.stages
            ]
        assert scenarios.scales[0].method == "median"


class TestAllyIdentityMeasure:
    def test_metadata_only(self) -> None:
        """No wording, keys or invented bounds ship; the published facts do."""
        aim = allykit.load_instrument("ally-identity-measure")

        assert aim.is_metadata_only
        assert aim.items == ()
        assert aim.response_scale is None
        assert aim.published is not None
        assert aim.published.items == 19
        assert aim.published.subscale_names == (
            "Knowledge and Skills",
            "Openness and Support",
            "Oppression Awareness",
        )
        assert aim.published.response_format == ""
        assert aim.citations[0].year == 2014

    def test_published_is_the_scale_record(self) -> None:
        """The instrument carries the same record that load_scale() returns."""
        aim = allykit.load_instrument("ally-identity-measure")

        assert aim.published == allykit.catalog.load_scale("ally-identity-measure")
        assert aim.citations == (aim.published.citation,)

    def test_scores_with_users_licensed_file(self, tmp_path: Path) -> None:
        """With the user's own file of wording, keys and scale, it scores."""
        subscales = ["knowledge-and-skills", "openness-and-support", "oppression"]
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
                for index, sid in enumerate(subscales)
            ],
        }
        path = tmp_path / "my-licensed-aim.json"
        path.write_text(json.dumps(own), encoding="utf-8")
        aim = allykit.load_instrument("ally-identity-measure")

        merged = allykit.catalog.merge_item_text(aim, path)
        report = allykit.score(merged, dict.fromkeys([i["id"] for i in items], 7))

        assert merged.items[0].text == "Placeholder item 1."
        assert report.scale("knowledge-and-skills").mean == 7
        assert report.scale("oppression").mean == pytest.approx((1 + 5 * 7) / 6)
        assert report.scale("oppression").reversed_items == ("aim-03",)
        assert report.validated is False
        assert aim.items == ()

    def test_wrong_item_count_reported(self) -> None:
        """Supplying fewer items than published is reported."""
        aim = allykit.load_instrument("ally-identity-measure")
        own = {
            "response_scale": _minimal()["response_scale"],
            "items": [{"id": "x"}],
            "scales": [{"id": "s", "name": "S", "items": ["x"]}],
        }

        with pytest.raises(DataFileError, match="19 items"):
            allykit.catalog.merge_item_text(aim, own)

    def test_scoring_metadata_only_refused(self) -> None:
        """Scoring before the wording is supplied is a clear error."""
        aim = allykit.load_instrument("ally-identity-measure")

        with pytest.raises(allykit.InvalidArgumentError, match="merge_item_text"):
            allykit.score(aim, {})

    def test_unknown_merge_key(self) -> None:
        """Keys other than items, scales, bands and response_scale are refused."""
        aim = allykit.load_instrument("ally-identity-measure")

        with pytest.raises(DataFileError, match="cannot be merged"):
            allykit.catalog.merge_item_text(aim, {"name": "Mine"})


class TestChecks:
    def test_minimal_loads(self) -> None:
        """The minimal document loads."""
        instrument = allykit.Instrument.from_dict(_minimal())

        assert instrument.scale("all").items == ("a", "b", "c")

    def test_every_problem_at_once(self) -> None:
        """Bad keys, bounds, bands and an empty scale are all reported together."""
        data = _minimal()
        data["response_scale"]["max"] = 4
        data["scales"][0]["items"] = ["a", "zz"]
        data["scales"].append({"id": "empty", "name": "E", "items": []})
        data["bands"][1]["min"] = 1.5
        data["citations"] = []

        paths = _paths(data)

        assert "response_scale.max" in paths
        assert "scales[0].items[1]" in paths
        assert "scales[1].items" in paths
        assert "bands[1].min" in paths
        assert "citations" in paths

    def test_band_gap_and_range(self) -> None:
        """Bands must start at the lowest score and leave no gap."""
        data = _minimal()
        data["bands"][0]["min"] = 1.2
        data["bands"][1]["min"] = 2.5

        assert _paths(data) == ["bands[0].min", "bands[1].min"]

    def test_choices_in_order(self) -> None:
        """Choice values must increase and labels must differ."""
        data = _minimal()
        data["response_scale"]["choices"][2] = {"value": 2, "label": " no "}

        paths = _paths(data)

        assert "response_scale.choices[2].value" in paths
        assert "response_scale.choices[2].label" in paths

    def test_bool_value_refused(self) -> None:
        """A bool is not a choice value."""
        data = _minimal()
        data["response_scale"]["choices"][0]["value"] = True

        assert "response_scale.choices[0].value" in _paths(data)

    def test_na_code_inside_range(self) -> None:
        """A numeric N/A code inside min..max is refused."""
        data = _minimal()
        data["response_scale"]["not_applicable_values"] = [2]

        assert _paths(data) == ["response_scale.not_applicable_values[0]"]

    def test_mixed_bounds_in_one_scale(self) -> None:
        """Items of one scale must share their bounds."""
        data = _minimal()
        data["items"][0]["response_scale"] = {
            "choices": [{"value": 0, "label": "x"}, {"value": 9, "label": "y"}],
            "min": 0,
            "max": 9,
        }

        assert "scales[0].items" in _paths(data)

    def test_unknown_stage_and_prompt(self) -> None:
        """With a bundled framework, stage and prompt references are checked."""
        data = _minimal()
        data["framework"] = "ally-model"
        data["scales"][0]["stage"] = "actoin"
        data["bands"][0]["prompts"] = ["no-such-prompt"]

        assert _paths(data) == ["scales[0].stage", "bands[0].prompts[0]"]

    def test_mapping_not_changed(self) -> None:
        """The caller's mapping is left as it was."""
        data = _minimal()
        before = copy.deepcopy(data)

        allykit.Instrument.from_dict(data)

        assert data == before

    def test_file_loader(self, tmp_path: Path) -> None:
        """A user file loads, and a broken one is reported with its name."""
        good = tmp_path / "good.json"
        good.write_text(json.dumps(_minimal()), encoding="utf-8")
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")

        assert allykit.load_instrument_file(good).id == "mine"
        with pytest.raises(DataFileError, match=r"bad\.json"):
            allykit.load_instrument_file(bad)


class TestGeneratedInstruments:
    @given(instrument=instruments())
    def test_round_trip(self, instrument: Instrument) -> None:
        """Generated instruments are valid and survive a JSON round trip."""
        assert Instrument.from_json(instrument.to_json()) == instrument


class TestOnePublishedScaleModel:
    def test_one_class_under_every_name(self) -> None:
        """The catalogue, .published and .instrument share one class."""
        from allykit.models import instrument as instruments
        from allykit.models import published as scales

        scale = allykit.catalog.load_scale("white-privilege-attitudes-scale")
        assert type(scale) is scales.PublishedScale
        assert instruments.PublishedScale is scales.PublishedScale

    def test_old_accessors(self) -> None:
        """item_count and subscale names still read as before."""
        scale = allykit.catalog.load_scale("white-privilege-attitudes-scale")

        assert scale.item_count == scale.items
        assert scale.subscale_names == tuple(s.name for s in scale.subscales)

    def test_reported_statistic(self) -> None:
        """ReportedStatistic is an ordinary frozen class."""
        from allykit.models.instrument import ReportedStatistic

        stat = ReportedStatistic(name="alpha", value=".8", note="n = 9")
        assert stat == ReportedStatistic(name="alpha", value=".8", note="n = 9")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            stat.name = "beta"  # type: ignore[misc]

    def test_old_published_block_is_reported(self) -> None:
        """An instrument file in the old published format gets a clear error."""
        data = copy.deepcopy(_minimal())
        data["published"] = {"item_count": 1, "subscales": ["S"]}

        with pytest.raises(DataFileError, match="item_count"):
            allykit.Instrument.from_dict(data)
