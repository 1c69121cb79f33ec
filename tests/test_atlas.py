"""The text atlas: every text allykit can render, committed and held to rules.

Issue 22 item 2. ``scripts/generate_atlas.py`` writes ``tests/data/atlas.txt``
(every template x stage x dimension x cycle, step reasons, worksheet lines,
``explain()`` and band sentences, command summaries). This test fails when
the committed file and the generator disagree (regenerate with ``python
scripts/generate_atlas.py`` and review the diff like code), and runs rules
over every line: no brace or unfilled slot, no doubled punctuation, no
action aimed at a stage that points away, no sentence that labels a person.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import allykit
from allykit.catalog._store import bundled_ids
from allykit.reflection import unfilled_slots

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_atlas.py"
    spec = importlib.util.spec_from_file_location("generate_atlas", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_atlas", module)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
LINES: list[tuple[str, str, str]] = [
    (section, key, text)
    for section, key, text in (line.split("\t") for line in GENERATOR.atlas_lines())
]

_ABBREVIATIONS = re.compile(r"\b(?:al|e\.g|i\.e|etc|vs|n\.d|ed|eds|pp|vol|no)\.,")
# Two marks in a row ("Work?. Tulane", "done.."); a title that ends in ? or !
# may take a comma after it ("What? So what? Now what?, applied to"), an
# ellipsis is three dots, and an abbreviation keeps its dot ("et al.,").
_MARKS = re.compile(r"[.,;:!?]\s*[.,;:!?]")
_TITLE_COMMA = {"?,", "!,"}


def _doubled(text: str) -> bool:
    """Whether *text* has two marks in a row (ellipses and abbreviations aside)."""
    cleaned = _ABBREVIATIONS.sub("", text.replace("...", "\u2026"))
    return any(
        "".join(m.group().split()) not in _TITLE_COMMA for m in _MARKS.finditer(cleaned)
    )


_ACTIONS = (
    r"arrange|plan|choose|take|try|practise|practice|do|commit|schedule|test|"
    r"prepare|seek|act"
)
# "you are a level-3 ally", "you're an oppressor", "you are at stage 2".
_LABELS = re.compile(
    r"\b(?:you are|you're|he is|she is|they are|this person is)\s+"
    r"(?:(?:an?|the)\s+(?:[\w-]+\s+){0,2}"
    r"(?:ally|allies|advocate|oppressor|bigot|racist|sexist|leader|level|stage)\b"
    r"|(?:at|in|on)\s+(?:stage|level)\b)",
    re.IGNORECASE,
)


def _away_stages() -> list[tuple[str, str]]:
    return [
        (stage.phrase or stage.name, stage.direction)
        for framework_id in bundled_ids("frameworks")
        for stage in allykit.load_framework(framework_id).stages
        if stage.direction in {"away", "map"}
    ]


AWAY = _away_stages()
_FORMS = {"away": "moving on from ", "map": "the people your map places at "}


def test_the_committed_atlas_is_current() -> None:
    """The file holds exactly what the generator writes today."""
    committed = GENERATOR.ATLAS.read_text(encoding="utf-8")
    assert committed == GENERATOR.render(), (
        "tests/data/atlas.txt is out of date: run python scripts/generate_atlas.py "
        "and review the diff"
    )


def test_the_atlas_covers_every_door() -> None:
    """Every section is there, with every template x stage pairing."""
    sections = {section for section, _, _ in LINES}
    assert sections == {"template", "step", "worksheet", "explain", "command"}
    frameworks = [allykit.load_framework(f) for f in bundled_ids("frameworks")]
    stages = sum(len(f.stages) for f in frameworks if f.kind != "reflective-cycle")
    cycle_templates = sum(
        len(f.prompts) for f in frameworks if f.kind == "reflective-cycle"
    )
    pairs = [k for s, k, _ in LINES if s == "template" and "(none)" not in k]
    assert len(pairs) >= stages * cycle_templates
    assert len(LINES) > 2000


@pytest.mark.parametrize(
    "section", ["template", "step", "worksheet", "explain", "command"]
)
def test_no_brace_or_unfilled_slot(section: str) -> None:
    """No line holds a brace, an escaped brace or an unfilled slot."""
    bad = [
        (key, text) for s, key, text in LINES if s == section and unfilled_slots(text)
    ]
    assert not bad, bad[:5]


def test_no_doubled_punctuation() -> None:
    """No two marks in a row, but for titles, ellipses and abbreviations."""
    bad = [(section, key, text) for section, key, text in LINES if _doubled(text)]
    assert not bad, bad[:5]


def test_doubled_punctuation_rule_catches_the_examples() -> None:
    """The rule sees the issue's "...in Social Work?. Tulane" and plain doubles."""
    assert _doubled("Done.. Next")
    assert _doubled("first,, then")
    assert _doubled("in Social Work?. Tulane")
    assert not _doubled("What? So what? Now what?, applied to")
    assert not _doubled("Wait... then")
    assert not _doubled("Adams et al., 1997")


def test_no_action_aimed_at_an_away_stage() -> None:
    """A stage that points away or is a map is only reached through its form."""
    bad = []
    for section, key, text in LINES:
        if section not in {"template", "step"}:
            continue
        for phrase, direction in AWAY:
            for match in re.finditer(re.escape(phrase), text):
                before = text[: match.start()]
                if before.endswith(_FORMS[direction]):
                    continue
                if re.search(rf"\b(?:{_ACTIONS})\b", before, re.IGNORECASE):
                    bad.append((key, text))
    assert not bad, bad[:5]


def test_the_away_rule_catches_the_issue_example() -> None:
    """The prompt issue 22 quotes would fail the rule."""
    text = (
        "Arrange one new first-hand experience this week that relates to "
        "joining in harmful behaviour, such as a conversation"
    )
    phrase = "joining in harmful behaviour"
    before = text[: text.index(phrase)]
    assert re.search(rf"\b(?:{_ACTIONS})\b", before, re.IGNORECASE)
    assert not before.endswith(_FORMS["away"])


def test_no_sentence_labels_a_person() -> None:
    """Nothing says what a person is ("you are a level-3 ally")."""
    bad = [(s, key, text) for s, key, text in LINES if _LABELS.search(text)]
    assert not bad, bad[:5]
    assert _LABELS.search("Based on this, you are a level-3 ally.")
    assert _LABELS.search("You are at stage 2.")
    assert not _LABELS.search("You are not sure where you stand on race.")
