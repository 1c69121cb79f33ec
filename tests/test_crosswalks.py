"""Tests of crosswalks: the data, map_stage and translate_profile."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import AllykitError, DataFileError, UnknownFrameworkError, UnknownIdError
from allykit.models.crosswalk import RELATION_WEIGHTS

CROSSWALK_IDS = allykit.catalog.available_crosswalks()
# Every pair of frameworks some crosswalk links, read in both directions.
PAIRS = sorted(
    {
        pair
        for cid in CROSSWALK_IDS
        for w in [allykit.catalog.load_crosswalk(cid)]
        for pair in ((w.source, w.target), (w.target, w.source))
    }
)


def _raw(crosswalk_id: str) -> dict[str, Any]:
    from allykit.catalog import _resources

    data: dict[str, Any] = json.loads(_resources.read_text("crosswalks", crosswalk_id))
    return data


@pytest.mark.parametrize("crosswalk_id", CROSSWALK_IDS)
class TestEveryBundledCrosswalk:
    def test_validates_as_user_data(self, crosswalk_id: str) -> None:
        """The bundled file passes the full untrusted-data validation."""
        data = _raw(crosswalk_id)

        assert allykit.Crosswalk.from_dict(data) == allykit.catalog.load_crosswalk(
            crosswalk_id
        )
        assert data["$schema"] == "../schemas/crosswalk.schema.json"
        assert data["id"] == crosswalk_id

    def test_links_name_real_stages(self, crosswalk_id: str) -> None:
        """Every link joins a stage of the source to a stage of the target."""
        walk = allykit.catalog.load_crosswalk(crosswalk_id)
        source = {s.id for s in allykit.load_framework(walk.source).stages}
        target = {s.id for s in allykit.load_framework(walk.target).stages}

        for link in walk.links:
            assert link.source in source
            assert link.target in target
            assert link.rationale.strip()

    def test_licensed_and_marked(self, crosswalk_id: str) -> None:
        """Every link is either cited (with a citation that exists) or editorial."""
        walk = allykit.catalog.load_crosswalk(crosswalk_id)
        citations = {c.id for c in walk.citations}

        assert walk.licence.note
        for link in walk.links:
            if link.basis == "cited":
                assert link.citation in citations
            else:
                assert link.citation is None


class TestRequiredChain:
    def test_chain_is_covered(self) -> None:
        """Crosswalks link ally model, development levels, continuum and Bishop."""
        chain = [
            ("ally-model", "ally-development-levels"),
            ("ally-development-levels", "action-continuum"),
            ("action-continuum", "becoming-an-ally"),
            ("ally-model", "becoming-an-ally"),
        ]

        for a, b in chain:
            assert allykit.crosswalks.crosswalks_between(a, b)
            assert allykit.crosswalks.crosswalks_between(b, a)

    def test_none_between_unlinked(self) -> None:
        """Unlinked frameworks have no crosswalk, and a framework none with itself."""
        assert (
            allykit.crosswalks.crosswalks_between("ally-skills", "bystander-5ds") == ()
        )
        assert allykit.crosswalks.crosswalks_between("ally-model", "ally-model") == ()


class TestMapStage:
    def test_forward(self) -> None:
        """The ally model's action links to skills (related) and action (equivalent)."""
        found = allykit.map_stage("ally-model", "action", "ally-development-levels")

        assert [(m.stage, m.relation) for m in found] == [
            ("skills", "related"),
            ("action", "equivalent"),
        ]
        assert all(m.basis == "editorial" for m in found)

    def test_reverse_inverts_relation(self) -> None:
        """Read backwards, a narrower link becomes broader."""
        found = allykit.map_stage(
            "becoming-an-ally", "becoming-an-ally", "action-continuum"
        )

        assert [m.relation for m in found] == ["broader"] * 3

    def test_gap_is_empty(self) -> None:
        """A stage with no link maps to nothing, without error."""
        assert (
            allykit.map_stage(
                "action-continuum", "actively-joins-in", "becoming-an-ally"
            )
            == ()
        )

    def test_unknown_stage(self) -> None:
        """An unknown stage raises UnknownIdError with a suggestion."""
        with pytest.raises(UnknownIdError, match="did you mean 'action'"):
            allykit.map_stage("ally-model", "Actión", "ally-development-levels")

    def test_no_crosswalk(self) -> None:
        """Two frameworks without a crosswalk raise a LookupError naming both."""
        with pytest.raises(UnknownFrameworkError, match="no crosswalk links"):
            allykit.map_stage("ally-model", "action", "spectrum-of-allies")


class TestTranslateProfile:
    def test_documented_example(self) -> None:
        """Equivalent and related sources combine by the weighted mean."""
        result = allykit.translate_profile(
            {"self-examination": 80, "awareness-and-education": 40, "action": 20},
            "ally-model",
            "ally-development-levels",
        )

        # awareness: 80 (equivalent, weight 1) and 40 (related, weight 0.25).
        assert result.profile == {
            "awareness": (80 + 0.25 * 40) / 1.25,
            "knowledge": 40.0,
            "skills": 20.0,
            "action": 20.0,
        }
        assert [s.stage for s in result.splits] == ["awareness-and-education", "action"]
        assert [m.stage for m in result.merges] == ["awareness"]
        assert not result.lossless

    def test_losses_reported(self) -> None:
        """Unlinked sources and unreached targets are listed, not hidden."""
        result = allykit.translate_profile(
            {"actively-joins-in": 10, "educate-oneself": 60, "no-response": None},
            "action-continuum",
            "becoming-an-ally",
        )

        assert result.unmapped_sources == ("actively-joins-in",)
        assert result.unfilled_targets == (
            "consciousness-and-healing",
            "becoming-a-worker-in-your-own-liberation",
            "maintaining-hope",
        )
        assert result.missing_inputs == ("becoming-an-ally",)
        assert result.profile["becoming-an-ally"] is None
        assert result.profile["understanding-oppression"] == 60.0

    def test_result_is_frozen_and_serialisable(self) -> None:
        """The result is frozen and turns into plain JSON data."""
        result = allykit.translate_profile({}, "ally-model", "becoming-an-ally")

        with pytest.raises(AttributeError):
            result.source = "x"  # type: ignore[misc, assignment]
        assert json.loads(json.dumps(result.to_dict()))["target"] == "becoming-an-ally"

    @pytest.mark.parametrize(
        "profile",
        [{"action": 101}, {"action": -1}, {"action": float("nan")}, {"action": "50"}],
    )
    def test_bad_values(self, profile: dict[str, Any]) -> None:
        """Values outside 0..100, NaN and strings are refused."""
        with pytest.raises(allykit.InvalidArgumentError):
            allykit.translate_profile(profile, "ally-model", "ally-development-levels")

    def test_unknown_stage_key(self) -> None:
        """A profile key that is not a source stage is refused with a suggestion."""
        with pytest.raises(UnknownIdError, match="self-examination"):
            allykit.translate_profile(
                {"self-examinaton": 1}, "ally-model", "ally-development-levels"
            )

    @given(data=st.data(), pair=st.sampled_from(PAIRS))
    def test_values_stay_within_the_inputs(
        self, data: st.DataObject, pair: tuple[str, str]
    ) -> None:
        """Every translated value lies between the smallest and largest input."""
        source, target = pair
        stages = [s.id for s in allykit.load_framework(source).stages]
        profile: dict[str, float | None] = data.draw(
            st.dictionaries(
                st.sampled_from(stages),
                st.none() | st.floats(0, 100, allow_nan=False),
            )
        )

        result = allykit.translate_profile(profile, source, target)

        given_values = [v for v in profile.values() if v is not None]
        assert [s for s, _v in result.values] == [
            s.id for s in allykit.load_framework(target).stages
        ]
        for _stage, value in result.values:
            if value is not None:
                assert min(given_values) - 1e-9 <= value <= max(given_values) + 1e-9
        if not given_values:
            assert all(v is None for _s, v in result.values)

    @given(data=st.data(), pair=st.sampled_from(PAIRS))
    def test_permutation_invariant(
        self, data: st.DataObject, pair: tuple[str, str]
    ) -> None:
        """The order of the profile's keys does not change the result."""
        source, target = pair
        stages = [s.id for s in allykit.load_framework(source).stages]
        items = data.draw(
            st.lists(
                st.tuples(st.sampled_from(stages), st.integers(0, 100)),
                unique_by=lambda item: item[0],
            )
        )

        forward = allykit.translate_profile(dict(items), source, target)
        backward = allykit.translate_profile(dict(reversed(items)), source, target)

        assert forward == backward

    @given(profile=st.dictionaries(st.text(max_size=20), st.integers() | st.text()))
    def test_fuzz(self, profile: dict[str, Any]) -> None:
        """Arbitrary profiles raise only allykit errors."""
        with contextlib.suppress(AllykitError):
            allykit.translate_profile(profile, "ally-model", "becoming-an-ally")

    def test_weights_documented(self) -> None:
        """Equivalent links weigh most; related links least."""
        assert RELATION_WEIGHTS["equivalent"] > RELATION_WEIGHTS["broader"]
        assert RELATION_WEIGHTS["broader"] == RELATION_WEIGHTS["narrower"]
        assert RELATION_WEIGHTS["related"] < RELATION_WEIGHTS["narrower"]


def _minimal() -> dict[str, Any]:
    return {
        "id": "mine",
        "name": "Mine",
        "summary": "A test crosswalk.",
        "source": "ally-model",
        "target": "ally-development-levels",
        "licence": {"spdx": None, "note": "mine"},
        "links": [
            {
                "source": "action",
                "target": "action",
                "relation": "equivalent",
                "rationale": "Same.",
            }
        ],
    }


class TestUserCrosswalks:
    def test_minimal_loads(self) -> None:
        """A minimal user crosswalk loads, with editorial basis by default."""
        walk = allykit.Crosswalk.from_dict(_minimal())

        assert walk.links[0].basis == "editorial"

    def test_every_problem_reported(self) -> None:
        """Bad stages, a duplicate and a basis mismatch are all reported at once."""
        data = _minimal()
        data["links"] = [
            {**data["links"][0], "source": "acton"},
            data["links"][0],
            data["links"][0],
            {**data["links"][0], "target": "skills", "basis": "cited"},
        ]

        with pytest.raises(DataFileError) as caught:
            allykit.Crosswalk.from_dict(data)

        paths = [p.path for p in caught.value.problems]
        assert paths == ["links[0].source", "links[2]", "links[3].citation"]

    def test_same_framework_refused(self) -> None:
        """A crosswalk from a framework to itself is refused."""
        data = {**_minimal(), "target": "ally-model"}

        with pytest.raises(DataFileError, match="different frameworks"):
            allykit.Crosswalk.from_dict(data)

    def test_committed_schema_matches(self) -> None:
        """The shipped crosswalk schema equals the generated one."""
        from allykit.catalog import _resources

        committed = json.loads(_resources.read_schema("crosswalk.schema.json"))

        assert committed == allykit.catalog.crosswalk_json_schema()

    def test_unknown_crosswalk(self) -> None:
        """An unknown crosswalk id suggests the closest."""
        with pytest.raises(allykit.UnknownDocumentError, match="did you mean"):
            allykit.catalog.load_crosswalk("ally-model-to-becoming-an-aly")


_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@given(base=st.just(_minimal()), key=st.sampled_from(sorted(_minimal())), value=_json)
def test_fuzz_user_crosswalk(base: dict[str, Any], key: str, value: Any) -> None:
    """A crosswalk with any field replaced either loads or raises DataFileError."""
    data = {**base, key: value}

    with contextlib.suppress(DataFileError):
        allykit.Crosswalk.from_dict(data)


def test_numpy_and_fraction_profile_values_are_numbers() -> None:
    """A profile from NumPy or pandas (np.int64 scores) reads as plain numbers.

    Both doors that take a profile, translate_profile and plan_focus, said
    "must be a number" of an np.int64 while taking an np.float64.
    """
    from fractions import Fraction

    import numpy as np

    from allykit.reflection import plan_focus

    framework = allykit.load_framework("ally-model")
    stage = str(framework.stages[0].id)
    plain: dict[str, Any] = {stage: 50.0}
    for value in (np.int64(50), np.float32(50), Fraction(100, 2)):
        given: dict[str, Any] = {stage: value}
        assert allykit.translate_profile(
            given, "ally-model", "ally-development-levels"
        ) == allykit.translate_profile(plain, "ally-model", "ally-development-levels")
        assert plan_focus(framework, profile=given) == plan_focus(
            framework, profile=plain
        )
    refused: Any
    for refused in (True, np.True_, "50"):
        with pytest.raises(allykit.InvalidArgumentError):
            allykit.translate_profile(
                {stage: refused}, "ally-model", "ally-development-levels"
            )
        with pytest.raises(allykit.InvalidArgumentError):
            plan_focus(framework, profile={stage: refused})
