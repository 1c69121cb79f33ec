"""explain() reads correctly for every count: one of a thing is singular.

Sentences built from counts ("1 answers", "all 2 stages", "1 of 1 items")
and notes about things the text does not show (the keyed-mean note when no
keyed mean is given) are the defects these tests keep out.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit.scoring import score
from allykit.scoring._score_report import _middle
from allykit.testing import instruments, responses_for

INVENTORY = allykit.load_instrument("ally-model-reflection")

# "1 answers", "1 of 1 items", "all 2 stages", "all 1 stages".
_ONE_PLURAL = re.compile(
    r"(?<![\d.])1 (?:of 1 )?(?:answers|items|stages|rows|pairs|scales|prompts)\b"
)
_ALL_FEW = re.compile(r"\ball [12] \w+")


def _agreement(text: str) -> list[str]:
    """Return the phrases of *text* whose count and noun disagree."""
    return [m.group() for m in (*_ONE_PLURAL.finditer(text), *_ALL_FEW.finditer(text))]


def _stage(prefix: str, value: int) -> dict[str, Any]:
    return {item.id: value for item in INVENTORY.items if item.id.startswith(prefix)}


def test_two_stages_tied_read_both() -> None:
    """Two stages scored with one POMP: "both stages", not "all 2 stages"."""
    report = score(INVENTORY, {**_stage("se-", 4), **_stage("ae-", 4)})

    text = report.explain()

    assert "the same for both stages scored (POMP 61)" in text
    assert _agreement(text) == []


def test_one_unusable_answer_is_singular() -> None:
    """One answer treated as missing: "1 answer ... was", not "1 answers ... were"."""
    answers: dict[str, Any] = {item.id: 4 for item in INVENTORY.items}
    answers["ac-speak-up"] = 9

    text = score(INVENTORY, answers, invalid="missing").explain()

    assert "1 answer could not be used and was treated as missing." in text


def test_two_unusable_answers_are_plural() -> None:
    """Two answers treated as missing keep the plural."""
    answers: dict[str, Any] = {item.id: 4 for item in INVENTORY.items}
    answers["ac-speak-up"] = 9
    answers["se-invite-challenge"] = 0

    text = score(INVENTORY, answers, invalid="missing").explain()

    assert "2 answers could not be used and were treated as missing." in text


def test_keyed_note_only_beside_a_keyed_mean() -> None:
    """No scale scored: the note explaining keyed means has nothing to explain."""
    answers = {item.id: 5 for item in INVENTORY.items[::3]}  # too few everywhere
    report = score(INVENTORY, answers)
    assert all(entry.withheld for entry in report.scales)
    assert any(entry.reversed_items for entry in report.scales)

    assert "Keyed means" not in report.explain()


def test_keyed_note_beside_a_keyed_mean() -> None:
    """A keyed mean shown with a reverse-keyed answer keeps its note."""
    report = score(INVENTORY, _stage("ac-", 4))

    assert "Keyed means turn round" in report.explain()


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_counts_agree_with_their_nouns(data: st.DataObject) -> None:
    """For any instrument and answers, no count disagrees with its noun."""
    instrument = data.draw(instruments())
    report = score(instrument, data.draw(responses_for(instrument)))

    assert _agreement(report.explain()) == []


CONTINUUM = allykit.load_instrument("action-continuum-scenarios")


def test_a_median_between_two_answers_is_not_called_an_answer() -> None:
    """Answers 1, 1, 1, 6, 6, 6: the median 3.5 is nobody's answer."""
    ids = [item.id for item in CONTINUUM.items]
    answers = {**dict.fromkeys(ids[:3], 1), **dict.fromkeys(ids[3:6], 6)}

    line = score(CONTINUUM, answers).explain().splitlines()[0]

    assert "the middle answer is" not in line
    assert "the two middle answers are 1 and 6 (median 3.5) on a 1 to 6 scale" in line
    assert line.endswith(
        "; the middle of the answers sits around learning and interrupting."
    )


def test_one_middle_answer_is_named() -> None:
    """Five answers of 3: the middle answer is 3."""
    answers = dict.fromkeys([item.id for item in CONTINUUM.items][:5], 3)

    line = score(CONTINUUM, answers).explain().splitlines()[0]

    assert ": the middle answer is 3 on a 1 to 6 scale" in line


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_middle_answer_named_was_given(data: st.DataObject) -> None:
    """Whenever explain() says "the middle answer is X", someone answered X."""
    instrument = data.draw(instruments())
    report = score(instrument, data.draw(responses_for(instrument)))

    for entry in report.scales:
        if entry.method != "median" or entry.withheld:
            continue
        given_values = {p.value for p in entry.distribution if p.count}
        line = _middle(entry)
        if line.startswith("the middle answer is"):
            assert entry.median in given_values, (line, given_values)


def _relabelled(first: str, second: str, third: str) -> Any:
    """The reflection inventory with its action bands relabelled."""
    import attrs

    labels = {"action-early": first, "action-developing": second}
    labels["action-established"] = third
    bands = tuple(
        attrs.evolve(band, label=labels.get(band.id, band.label))
        for band in INVENTORY.bands
    )
    return attrs.evolve(INVENTORY, bands=bands)


@pytest.mark.parametrize(
    ("label", "clause"),
    [
        ("Mostly towards the practices.", "; mostly towards the practices."),
        ("POMP above 50", "; POMP above 50."),
        ("These answers lean towards them", "; these answers lean towards them."),
    ],
)
def test_a_band_label_joins_the_sentence(label: str, clause: str) -> None:
    """A label's own full stop is not doubled, and an acronym keeps its capitals."""
    inventory = _relabelled(label, label, label)
    report = score(inventory, _stage("ac-", 4))

    line = next(x for x in report.explain().splitlines() if x.startswith("- Action"))
    assert line.endswith(clause)
    reason = next(
        item.reason
        for item in allykit.reflection.plan_focus(
            allykit.load_framework("ally-model"), profile=report
        )
        if item.stage.id == "action"
    )
    assert reason.endswith(clause[:-1])


def test_print_shows_the_explanation_and_the_status() -> None:
    """print(report) shows scores in words with the status, not a repr."""
    report = score(INVENTORY, _stage("ac-", 4))

    assert str(report) == report.explain()
    assert "not a validated measure" in str(report)
    assert repr(report).startswith("ScoreReport(instrument='ally-model-reflection'")


def _keyed(prefix: str, total: int) -> dict[str, Any]:
    """Answers to one stage's statements whose keyed sum is *total*."""
    items = [item for item in INVENTORY.items if item.id.startswith(prefix)]
    base, extra = divmod(total, len(items))
    answers: dict[str, Any] = {}
    for index, item in enumerate(items):
        value = base + (1 if index < extra else 0)
        answers[item.id] = 6 - value if item.reverse else value
    return answers


def test_highest_and_lowest_never_read_alike() -> None:
    """POMP 53.57 and 54.17 are not both "POMP 54" in one sentence."""
    report = score(INVENTORY, {**_keyed("se-", 22), **_keyed("ac-", 19)})

    text = report.explain()

    assert text.startswith(
        "Your answers, once keyed, score highest for Action (POMP 54.2) and lowest "
        "for Self-Examination and Critical Thinking (POMP 53.6);"
    )
    assert "(POMP 53.6), from 7 of 7 items" in text
    reasons = [
        item.reason
        for item in allykit.reflection.plan_focus(
            allykit.load_framework("ally-model"), profile=report
        )
    ]
    assert any(reason.startswith("scored 53.6, below 60") for reason in reasons)
    assert any(reason.startswith("scored 54.2, below 60") for reason in reasons)


_HIGH_LOW = re.compile(
    r"highest for .*\(POMP ([\d.]+)(?: each)?\) and lowest for .*\(POMP ([\d.]+)"
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_highest_and_lowest_differ_in_words(data: st.DataObject) -> None:
    """Whenever the headline names a highest and a lowest, their numbers differ."""
    report = score(INVENTORY, data.draw(responses_for(INVENTORY)))

    found = _HIGH_LOW.search(report.explain().splitlines()[0])
    if found is not None:
        assert found.group(1) != found.group(2)
