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
