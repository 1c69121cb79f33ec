"""Tests of score(), score_many() and the ScoreReport."""

from __future__ import annotations

import copy
import math
import pickle
import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import (
    AllykitError,
    Instrument,
    InvalidArgumentError,
    ResponseError,
    ScoreReport,
    score,
    score_many,
)
from allykit.testing import instruments, responses_for


@pytest.fixture(name="inventory")
def _inventory() -> Instrument:
    return allykit.load_instrument("ally-model-reflection")


def _all(inventory: Instrument, value: Any) -> dict[str, Any]:
    return {item.id: value for item in inventory.items}


class TestScore:
    def test_labels_numbers_and_aliases_agree(self, inventory: Instrument) -> None:
        """A label, its alias, odd spacing and the number give the same report."""
        by_number = score(inventory, _all(inventory, 4))

        for answer in ("Agree", "  agree ", "A", "AGREE"):
            assert score(inventory, _all(inventory, answer)) == by_number

    def test_reverse_keying(self, inventory: Instrument) -> None:
        """Reverse-keyed items score min + max - value."""
        report = score(inventory, _all(inventory, 5))
        scale = report.scale("action")

        assert scale.raw_sum == 5 * 4 + 1 * 2
        assert scale.reversed_items == ("ac-keep-the-peace", "ac-leave-it-to-others")
        assert scale.mean == pytest.approx(22 / 6)

    def test_pomp(self, inventory: Instrument) -> None:
        """POMP is (mean - min) / (max - min) * 100."""
        answers: dict[str, Any] = dict.fromkeys(inventory.scale("action").items, 5)
        answers["ac-keep-the-peace"] = answers["ac-leave-it-to-others"] = 1

        scale = score(inventory, answers).scale("action")

        assert scale.mean == 5
        assert scale.pomp == 100
        assert scale.band == "action-established"
        assert "a-rule-that-needs-changing" in scale.prompts

    def test_not_applicable_is_not_missing(self, inventory: Instrument) -> None:
        """N/A leaves the item out without counting towards the minimum."""
        keys = inventory.scale("action").items
        answers: dict[str, Any] = dict.fromkeys(keys, "N/A")
        answers.update({keys[0]: 4, keys[1]: 4})

        scale = score(inventory, answers).scale("action")

        assert (scale.answered, scale.not_applicable, scale.missing) == (2, 4, 0)
        # min_answered is 4, so two answers are too few whatever the N/A count.
        assert scale.withheld
        assert scale.score is None

    def test_proration(self, inventory: Instrument) -> None:
        """With enough answers the sum is prorated to all items and flagged."""
        keys = inventory.scale("self-examination").items
        answers = dict.fromkeys(keys[:4], 3)

        scale = score(inventory, answers).scale("self-examination")

        assert scale.prorated
        assert not scale.withheld
        assert scale.raw_sum == 12
        assert scale.sum == pytest.approx(3 * 7)
        assert scale.missing == 3

    def test_withheld_below_minimum(self, inventory: Instrument) -> None:
        """Below the minimum of answers the score, band and profile are None."""
        report = score(inventory, {"ac-speak-up": 5})

        assert report.scale("action").withheld
        assert report.scale("action").band is None
        assert report.profile_by_stage()["action"] is None
        assert report.strongest_stage is None

    def test_profile_in_stage_order(self, inventory: Instrument) -> None:
        """The profile follows the framework's stage order with names."""
        report = score(inventory, _all(inventory, 3))

        assert [(p.stage, p.stage_name, p.position) for p in report.profile] == [
            ("self-examination", "Self-Examination and Critical Thinking", 1),
            ("awareness-and-education", "Awareness and Education", 2),
            ("action", "Action", 3),
        ]
        assert report.profile_by_stage() == {
            "self-examination": 50.0,
            "awareness-and-education": 50.0,
            "action": 50.0,
        }

    def test_ties_go_to_earlier_stage(self, inventory: Instrument) -> None:
        """Equal POMPs make the first stage both strongest and weakest."""
        report = score(inventory, _all(inventory, 3))

        assert report.strongest_stage == "self-examination"
        assert report.weakest_stage == "self-examination"
        assert "the same for all 3 stages scored (POMP 50)" in report.explain()

    def test_weakest_prompts_first(self, inventory: Instrument) -> None:
        """Suggested prompts start with the weakest stage's band."""
        answers = _all(inventory, 3)
        answers.update(dict.fromkeys(inventory.scale("action").items, "N/A"))
        answers.update(dict.fromkeys(inventory.scale("action").items[:4], 1))

        report = score(inventory, answers)

        assert report.weakest_stage == "action"
        assert report.suggested_prompts[0] == "what-kept-me-silent"

    def test_explain_never_labels(self, inventory: Instrument) -> None:
        """The explanation describes answers and carries the honesty note."""
        text = score(inventory, _all(inventory, 4)).explain()

        assert "reflective aid, not a validated measure" in text
        assert "you are" not in text.lower()
        assert "Your answers" in text

    def test_all_problems_at_once(self, inventory: Instrument) -> None:
        """Unknown items, out-of-range, NaN, bool, labels and types are listed."""
        answers = {
            "nope": 3,
            "se-name-my-advantages": 9,
            "se-know-my-motives": math.nan,
            "se-invite-challenge": True,
            "ac-speak-up": "Sort of",
            "ac-use-influence": [4],
        }

        with pytest.raises(ResponseError) as caught:
            score(inventory, answers)

        assert sorted(p.path for p in caught.value.problems) == sorted(
            f"responses[{key!r}]" for key in answers
        )
        assert isinstance(caught.value, ValueError)

    def test_invalid_as_missing(self, inventory: Instrument) -> None:
        """With invalid='missing' bad answers are reported and skipped."""
        report = score(
            inventory,
            {"ac-speak-up": 9, "nope": 1, "ac-use-influence": 4},
            invalid="missing",
        )

        assert len(report.problems) == 2
        assert report.scale("action").answered == 1
        assert report.scale("action").missing == 5

    def test_unknown_policy(self, inventory: Instrument) -> None:
        """An unknown invalid policy is an argument error."""
        with pytest.raises(InvalidArgumentError):
            score(inventory, {}, invalid="ignore")  # type: ignore[arg-type]

    def test_not_a_mapping(self, inventory: Instrument) -> None:
        """Responses must be a mapping."""
        with pytest.raises(ResponseError, match="mapping"):
            score(inventory, [("ac-speak-up", 3)])  # type: ignore[arg-type]

    def test_responses_not_mutated(self, inventory: Instrument) -> None:
        """The caller's mapping is left exactly as it was."""
        answers: dict[str, Any] = {"ac-speak-up": " agree", "x": None}
        before = copy.deepcopy(answers)

        score(inventory, answers, invalid="missing")

        assert answers == before

    def test_error_pickles(self) -> None:
        """ResponseError keeps its problems and row through pickling."""
        error = ResponseError(
            [allykit.errors.Problem(path="responses['a']", message="m")], row=3
        )

        again = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own object

        assert again.problems == error.problems
        assert again.row == 3

    def test_report_json_round_trip(self, inventory: Instrument) -> None:
        """A report survives a JSON round trip, problems included."""
        report = score(
            inventory, {"ac-speak-up": 9, "se-know-my-motives": 2}, invalid="missing"
        )

        assert ScoreReport.from_json(report.to_json()) == report
        assert ScoreReport.from_dict(report.to_dict()) == report


class TestScenarios:
    def test_median_and_distribution(self) -> None:
        """The scenario scale reports the median point and answers per point."""
        scenarios = allykit.load_instrument("action-continuum-scenarios")
        points = [1, 2, 4, 4, 5, 6, 6, 6]
        answers: dict[str, Any] = {
            item.id: point for item, point in zip(scenarios.items, points, strict=False)
        }
        answers[scenarios.items[-1].id] = "This would not come up for me"

        scale = score(scenarios, answers).scale("continuum-position")

        assert scale.median == 4.5
        assert scale.score == 4.5
        assert scale.not_applicable == 1
        assert [(p.stage, p.count) for p in scale.distribution] == [
            ("actively-joins-in", 1),
            ("no-response", 1),
            ("educate-oneself", 0),
            ("interrupt-the-behaviour", 2),
            ("interrupt-and-educate", 1),
            ("initiate-an-organized-response", 3),
        ]
        assert scale.band == "toward-educating-and-organising"

    def test_option_labels(self) -> None:
        """An option's own text is an accepted answer."""
        scenarios = allykit.load_instrument("action-continuum-scenarios")
        item = scenarios.items[0]
        assert item.response_scale is not None

        report = score(scenarios, {item.id: item.response_scale.choices[3].label})

        assert report.scale("continuum-position").answered == 1


class TestScoreMany:
    def test_lazy(self, inventory: Instrument) -> None:
        """Rows are read one at a time from a generator."""
        read = []

        def rows() -> Any:
            for value in (1, 2, 3):
                read.append(value)
                yield _all(inventory, value)

        reports = score_many(inventory, rows())
        first = next(reports)

        assert read == [1]
        assert first == score(inventory, _all(inventory, 1))

    def test_row_number_in_error(self, inventory: Instrument) -> None:
        """A bad row raises with its 0-based number."""
        rows = [{"ac-speak-up": 1}, {"ac-speak-up": 0}]

        with pytest.raises(ResponseError, match="row 1") as caught:
            list(score_many(inventory, rows))

        assert caught.value.row == 1

    def test_not_iterable(self, inventory: Instrument) -> None:
        """Rows must be iterable."""
        with pytest.raises(InvalidArgumentError):
            score_many(inventory, 3)  # type: ignore[arg-type]

    @pytest.mark.parametrize("library", ["pandas", "polars"])
    def test_a_data_frame_names_the_frame_functions(
        self, inventory: Instrument, library: str
    ) -> None:
        """Iterating a frame gives its column names: say which function takes frames."""
        module = pytest.importorskip(library)
        frame = module.DataFrame({"ac-speak-up": [1, 2]})

        with pytest.raises(InvalidArgumentError, match="score_frame") as caught:
            score_many(inventory, frame)

        assert "read_answers" in str(caught.value)


class TestProperties:
    @given(data=st.data())
    def test_scores_bounded(self, data: st.DataObject) -> None:
        """Means stay in min..max, sums in the weighted range, POMP in 0..100."""
        instrument = data.draw(instruments())
        report = score(instrument, data.draw(responses_for(instrument)))

        for scale in report.scales:
            if scale.withheld:
                assert scale.score is None
                continue
            assert scale.mean is not None
            assert scale.pomp is not None
            assert scale.sum is not None
            assert scale.minimum <= scale.mean <= scale.maximum
            assert 0 <= scale.pomp <= 100
            weight = sum(
                instrument.item(k).weight for k in instrument.scale(scale.scale).items
            )
            assert scale.minimum * weight - 1e-9 <= scale.sum
            assert scale.sum <= scale.maximum * weight + 1e-9
            assert (
                scale.answered + scale.not_applicable + scale.missing == scale.n_items
            )
        for entry in report.profile:
            assert entry.pomp is None or 0 <= entry.pomp <= 100

    @given(data=st.data())
    def test_permutation_invariant(self, data: st.DataObject) -> None:
        """The order of the responses does not change the report."""
        instrument = data.draw(instruments())
        answers = data.draw(responses_for(instrument))
        keys = list(answers)
        random.Random(data.draw(st.integers())).shuffle(keys)  # noqa: S311 -- not secret

        assert score(instrument, {k: answers[k] for k in keys}) == score(
            instrument, answers
        )

    @given(data=st.data())
    def test_monotone(self, data: st.DataObject) -> None:
        """Raising an answer never lowers a forward scale nor raises a reverse one."""
        instrument = data.draw(instruments())
        item = data.draw(st.sampled_from(instrument.items))
        values = [c.value for c in instrument.response_scale_for(item.id).choices]
        low, high = sorted(
            data.draw(st.lists(st.sampled_from(values), min_size=2, max_size=2))
        )
        answers = data.draw(responses_for(instrument))
        before = score(instrument, {**answers, item.id: low})
        after = score(instrument, {**answers, item.id: high})

        for old, new in zip(before.scales, after.scales, strict=True):
            if item.id not in instrument.scale(old.scale).items or old.score is None:
                continue
            assert new.score is not None
            if item.reverse:
                assert new.score <= old.score + 1e-9
            else:
                assert new.score >= old.score - 1e-9

    @given(data=st.data())
    def test_reverse_twice_is_identity(self, data: st.DataObject) -> None:
        """Reverse keying a value twice gives it back."""
        instrument = data.draw(instruments())
        scale = instrument.response_scale
        assert scale is not None
        value = data.draw(st.sampled_from([c.value for c in scale.choices]))

        assert scale.reverse(scale.reverse(value)) == value

    @given(data=st.data())
    def test_na_never_missing(self, data: st.DataObject) -> None:
        """Turning an answer into N/A never raises the missing count."""
        instrument = data.draw(instruments())
        answers = data.draw(responses_for(instrument, missing=False))
        options = instrument.response_scale_for(instrument.items[0].id)
        if not options.not_applicable:
            return
        na = {**answers, instrument.items[0].id: options.not_applicable[0]}

        for with_na, plain in zip(
            score(instrument, na).scales, score(instrument, answers).scales, strict=True
        ):
            assert with_na.missing == plain.missing == 0

    @given(data=st.data())
    def test_score_many_equals_score(self, data: st.DataObject) -> None:
        """score_many gives the same report as score, row by row."""
        instrument = data.draw(instruments())
        rows = data.draw(st.lists(responses_for(instrument), max_size=5))

        assert list(score_many(instrument, iter(rows))) == [
            score(instrument, row) for row in rows
        ]

    @given(data=st.data())
    def test_report_round_trip(self, data: st.DataObject) -> None:
        """Every report survives a JSON round trip."""
        instrument = data.draw(instruments())
        report = score(instrument, data.draw(responses_for(instrument)))

        assert ScoreReport.from_json(report.to_json()) == report

    @given(
        data=st.data(),
        junk=st.dictionaries(
            st.one_of(st.text(max_size=8), st.integers()),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(),
                st.text(max_size=8),
                st.lists(st.integers(), max_size=2),
            ),
            max_size=6,
        ),
    )
    def test_fuzz_only_allykit_errors(
        self, data: st.DataObject, junk: dict[Any, Any]
    ) -> None:
        """Arbitrary answers give a report or an AllykitError, nothing else."""
        instrument = data.draw(instruments())
        keys = [item.id for item in instrument.items]
        answers = {**junk, **dict(zip(keys, junk.values(), strict=False))}

        for invalid in ("raise", "missing"):
            _score_or_error(instrument, answers, invalid)


def _score_or_error(instrument: Instrument, answers: Any, invalid: Any) -> None:
    try:
        report = score(instrument, answers, invalid=invalid)
    except AllykitError as error:
        assert isinstance(error, ResponseError)
        assert error.problems
    else:
        assert isinstance(report, ScoreReport)
