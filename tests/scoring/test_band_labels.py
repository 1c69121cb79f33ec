"""Band labels and explain() describe the keyed score truly, for every answer pattern.

The reflection inventory has reverse-keyed statements, so "agreeing with the
statements" and "leaning towards the stage's practices" differ: answering
"Strongly agree" to everything agrees with every statement but leans away
from the practices the reversed ones describe. Labels must describe the keyed
score (issue 12).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings

import allykit
from allykit.models.instrument import Instrument
from allykit.testing import responses_for

INVENTORY = allykit.load_instrument("ally-model-reflection")
EARLY, ESTABLISHED = 2.5, 3.75  # the inventory's band boundaries


def _keyed_mean(
    instrument: Instrument, scale_id: str, answers: Mapping[str, Any]
) -> float:
    """Recompute a scale's keyed mean from plain numeric answers, independently."""
    scale = instrument.scale(scale_id)
    low, high = 1, 5
    values: list[float] = []
    for item in instrument.items:
        if item.id in scale.items and isinstance(answers.get(item.id), int):
            value = float(answers[item.id])
            values.append(low + high - value if item.reverse else value)
    return sum(values) / len(values)


def _direction(label: str) -> str:
    if "lean away" in label:
        return "away"
    if "lean towards" in label:
        return "towards"
    assert "mixed" in label, label
    return "mixed"


def _expected(mean: float) -> str:
    if mean < EARLY:
        return "away"
    if mean < ESTABLISHED:
        return "mixed"
    return "towards"


class TestLabels:
    def test_no_label_speaks_of_agreement(self) -> None:
        """Labels describe practices, never agreement with the statements."""
        for band in INVENTORY.bands:
            assert "agree" not in band.label.lower()
            assert "practices" in band.label

    def test_strongly_agree_everywhere(self) -> None:
        """Agreeing with every statement is not described as leaning towards all."""
        answers: dict[str, Any] = {item.id: 5 for item in INVENTORY.items}
        report = allykit.score(INVENTORY, answers)

        for entry in report.scales:
            assert entry.band_label is not None
            expected = _expected(_keyed_mean(INVENTORY, entry.scale, answers))
            assert _direction(entry.band_label) == expected

    @pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
    def test_every_constant_answer(self, value: int) -> None:
        """The same answer to every statement gets the label its keyed mean earns."""
        answers: dict[str, Any] = {item.id: value for item in INVENTORY.items}
        report = allykit.score(INVENTORY, answers)

        for entry in report.scales:
            assert entry.band_label is not None
            expected = _expected(_keyed_mean(INVENTORY, entry.scale, answers))
            assert _direction(entry.band_label) == expected

    @settings(max_examples=300, deadline=None)
    @given(answers=responses_for(INVENTORY, missing=False))
    def test_labels_true_for_every_pattern(self, answers: dict[str, Any]) -> None:
        """For any answers, each label states the direction of the keyed score."""
        report = allykit.score(INVENTORY, answers)
        for entry in report.scales:
            if entry.withheld or entry.mean is None:
                continue
            assert entry.band_label is not None
            assert _direction(entry.band_label) == _expected(entry.mean)
            numeric = {
                k: v for k, v in answers.items() if isinstance(v, int) and 1 <= v <= 5
            }
            if numeric.keys() >= set(INVENTORY.scale(entry.scale).items):
                assert entry.mean == pytest.approx(
                    _keyed_mean(INVENTORY, entry.scale, numeric)
                )

    @settings(max_examples=100, deadline=None)
    @given(answers=responses_for(INVENTORY))
    def test_explain_says_keyed(self, answers: dict[str, Any]) -> None:
        """explain() names the keyed mean and repeats the label, never "agree"."""
        report = allykit.score(INVENTORY, answers)
        text = report.explain()

        assert "agree" not in text.lower()
        for entry in report.scales:
            if entry.withheld:
                continue
            assert "keyed mean" in text
            assert entry.band_label is not None
            assert entry.band_label[1:] in text
            if entry.reversed_items:
                assert "turned round" in text


# -- issue 22: descriptions and headlines that follow the numbers -----------

SCENARIOS = allykit.load_instrument("action-continuum-scenarios")
MODEL = allykit.load_framework("ally-model")


def _keyed_values(
    instrument: Instrument, scale_id: str, answers: Mapping[str, Any]
) -> list[float]:
    """The keyed numeric answers of one scale (values only, 1 to 5)."""
    scale = instrument.scale(scale_id)
    return [
        6.0 - answers[item.id] if item.reverse else float(answers[item.id])
        for item in instrument.items
        if item.id in scale.items and isinstance(answers.get(item.id), int)
    ]


def _at_least_half(values: list[float], keep: Any) -> bool:
    return 2 * sum(1 for v in values if keep(v)) >= len(values)


#: What each action-continuum band description claims about the answers.
CONTINUUM_CLAIMS: dict[str, Any] = {
    "toward-joining-or-silence": lambda v: _at_least_half(v, lambda x: x <= 2),
    "toward-learning-and-interrupting": lambda v: (
        _at_least_half(v, lambda x: x >= 3) and _at_least_half(v, lambda x: x <= 4)
    ),
    "toward-educating-and-organising": lambda v: _at_least_half(v, lambda x: x >= 5),
}


class TestBandDescriptions:
    def test_neutral_throughout_is_not_called_mixed_directions(self) -> None:
        """All "Neither agree nor disagree" is not "towards some, away from others"."""
        answers = dict.fromkeys((i.id for i in INVENTORY.items), 3)
        report = allykit.score(INVENTORY, answers)
        for entry in report.scales:
            band = next(b for b in INVENTORY.bands if b.id == entry.band)
            assert "towards some" not in band.description
            assert "away from others" not in band.description

    @settings(max_examples=300, deadline=None)
    @given(answers=responses_for(INVENTORY, missing=False, values_only=True))
    def test_inventory_descriptions_true_for_every_pattern(
        self, answers: dict[str, Any]
    ) -> None:
        """A band description claims nothing the keyed answers contradict."""
        report = allykit.score(INVENTORY, answers)
        for entry in report.scales:
            if entry.band is None:
                continue
            band = next(b for b in INVENTORY.bands if b.id == entry.band)
            values = _keyed_values(INVENTORY, entry.scale, answers)
            text = band.description
            if "towards some" in text or "away from others" in text:
                assert any(v > 3 for v in values)
                assert any(v < 3 for v in values)
            if "lean towards this stage" in text:
                assert sum(values) / len(values) > 3
            if "Most " in text:
                assert _at_least_half(values, lambda v: v > 3)

    def test_no_median_band_says_most(self) -> None:
        """A median supports "at least half", never "most"."""
        for instrument_id in allykit.available_instruments():
            instrument = allykit.load_instrument(instrument_id)
            for band in instrument.bands:
                if instrument.scale(band.scale).method == "median":
                    assert not band.description.startswith("Most"), band.id

    def test_issue_example(self) -> None:
        """1,1,1,1,4,6,6,6,6 (median 4) is described truly."""
        values = [1, 1, 1, 1, 4, 6, 6, 6, 6]
        answers = dict(zip((i.id for i in SCENARIOS.items), values, strict=True))
        entry = allykit.score(SCENARIOS, answers).scale("continuum-position")
        assert entry.median == 4
        assert entry.band is not None
        assert CONTINUUM_CLAIMS[entry.band]([float(v) for v in values])
        band = next(b for b in SCENARIOS.bands if b.id == entry.band)
        assert "Most" not in band.description

    def test_every_continuum_band_has_its_claim(self) -> None:
        """Each band of the scenarios is checked below (no band unchecked)."""
        assert {b.id for b in SCENARIOS.bands} == set(CONTINUUM_CLAIMS)

    @settings(max_examples=300, deadline=None)
    @given(answers=responses_for(SCENARIOS, values_only=True))
    def test_continuum_descriptions_true_for_every_pattern(
        self, answers: dict[str, Any]
    ) -> None:
        """Whatever the answers, the band reached describes their spread truly."""
        entry = allykit.score(SCENARIOS, answers).scale("continuum-position")
        if entry.band is None or entry.withheld:
            return
        values = [float(v) for v in answers.values() if isinstance(v, int)]
        assert CONTINUUM_CLAIMS[entry.band](values), (entry.band, sorted(values))


def _headline(report: allykit.ScoreReport) -> str:
    return report.explain().splitlines()[0]


class TestHeadline:
    def test_bottom_everywhere(self) -> None:
        """The lowest answer everywhere never reads "lean most towards"."""
        answers = dict.fromkeys((i.id for i in INVENTORY.items), 1)
        line = _headline(allykit.score(INVENTORY, answers))
        assert "towards" not in line
        assert "highest for Action (POMP 33)" in line
        assert "all 3 stages scored sit below the middle of the scale" in line

    @settings(max_examples=300, deadline=None)
    @given(answers=responses_for(INVENTORY))
    def test_headline_follows_the_numbers(self, answers: dict[str, Any]) -> None:
        """It compares, names ties, and places all stages only when true."""
        report = allykit.score(INVENTORY, answers)
        scored = {p.stage_name: p.pomp for p in report.profile if p.pomp is not None}
        if not scored:
            assert "Your answers, once keyed," not in report.explain()
            return
        line = _headline(report)
        high, low = max(scored.values()), min(scored.values())
        middle = 50
        assert "towards" not in line
        assert "away" not in line
        assert ("below the middle" in line) == (high < middle)
        assert ("above the middle" in line) == (low > middle)
        if high != low:
            for name, pomp in scored.items():
                if pomp in {high, low}:
                    assert name in line, (name, line)
        assert f"POMP {high:.0f}" in line
        assert f"POMP {low:.0f}" in line


class TestPlanSpeaksTheBand:
    @settings(max_examples=100, deadline=None)
    @given(answers=responses_for(INVENTORY))
    def test_reasons_quote_the_band(self, answers: dict[str, Any]) -> None:
        """plan_focus never calls a stage "developed"; it quotes the band."""
        report = allykit.score(INVENTORY, answers)
        labels = {e.stage: e.band_label for e in report.scales if e.band_label}
        for item in allykit.reflection.plan_focus(MODEL, profile=report):
            reason = item.reason.replace("developmental order", "")
            assert "develop" not in reason
            label = labels.get(item.stage.id)
            if label is not None and item.score is not None:
                assert label[1:] in item.reason

    def test_pomp_60_is_not_called_developed(self) -> None:
        """The issue's case: POMP 60 in the "mixed" band reads as mixed."""
        answers = dict.fromkeys(INVENTORY.scale("action").items, 4)
        report = allykit.score(INVENTORY, answers)
        action = report.scale("action")
        assert action.pomp is not None
        assert 50 < action.pomp < 68.75
        plan = allykit.reflection.plan_focus(MODEL, profile=report)
        reason = next(i.reason for i in plan if i.stage.id == "action")
        assert "developed" not in reason
        assert "mixed about the practices" in reason
