"""Tests of search(): matching, filters, ranking and the did-you-mean folding."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import AllykitError, InvalidArgumentError
from allykit._normalise import fold
from allykit._suggest import closest
from allykit.testing import frameworks

_KINDS = ("framework", "stage", "characteristic", "principle", "prompt")


def _key(hit: allykit.catalog.SearchHit) -> tuple[Any, ...]:
    return (-hit.score, hit.framework, _KINDS.index(hit.kind))


class TestMatching:
    def test_case_and_accents_ignored(self) -> None:
        """Upper case and accents find the same hits as plain lower case."""
        assert allykit.search("ÁWÂRENÉSS") == allykit.search("awareness")

    def test_name_beats_description(self) -> None:
        """A stage named by the word ranks above items that only mention it."""
        hits = allykit.search("maintaining hope")

        assert (hits[0].framework, hits[0].kind, hits[0].id) == (
            "becoming-an-ally",
            "stage",
            "maintaining-hope",
        )

    def test_every_word_must_match(self) -> None:
        """A word found nowhere leaves no hits."""
        assert allykit.search("awareness zzzyzzx") == ()

    def test_prefix_matches(self) -> None:
        """The start of a word matches it."""
        assert any(h.id == "delegate" for h in allykit.search("deleg"))

    def test_prompts_searched(self) -> None:
        """The quoted reflective question is found by its words."""
        hits = allykit.search("need allies", kind="prompt")

        assert hits[0].id == "where-can-i-act-as-an-ally"
        assert hits[0].snippet.startswith("Where can I act")


class TestFilters:
    def test_licence(self) -> None:
        """Filtering by licence keeps only the CC BY-SA ally skills file."""
        hits = allykit.search("", licence="CC-BY-SA-4.0", limit=None)

        assert hits
        assert {h.framework for h in hits} == {"ally-skills"}

    def test_level(self) -> None:
        """Filtering by level returns characteristics at that level only."""
        hits = allykit.search("", level="system", limit=None)

        for hit in hits:
            framework = allykit.load_framework(hit.framework)
            assert hit.kind == "characteristic"
            assert framework.characteristic(hit.id).level == "system"

    def test_stage(self) -> None:
        """Filtering by stage returns the stage and what serves it."""
        hits = allykit.search("", framework="ally-model", stage="action", limit=None)

        assert {h.kind for h in hits} == {"stage", "characteristic", "prompt"}
        assert len([h for h in hits if h.kind == "prompt"]) == 13

    def test_tag_folded(self) -> None:
        """Tags match ignoring case."""
        assert allykit.search("", tag="SOCIAL-WORK", limit=None)

    def test_framework_kind(self) -> None:
        """Filtering by framework kind keeps only continua."""
        hits = allykit.search("", framework_kind="continuum", kind="framework")

        assert [h.id for h in hits] == [
            "action-continuum",
            "inclusive-leader-continuum",
            "spectrum-of-allies",
        ]

    def test_limit(self) -> None:
        """The limit caps the number of hits."""
        assert len(allykit.search("ally", limit=3)) == 3

    @pytest.mark.parametrize(
        "kwargs",
        [{"kind": "stages"}, {"limit": -1}, {"limit": True}, {"tag": 3}],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any]) -> None:
        """Unusable arguments raise InvalidArgumentError."""
        with pytest.raises(InvalidArgumentError):
            allykit.search("ally", **kwargs)


class TestRanking:
    @given(text=st.sampled_from(["ally", "action", "listen", "power", "", "self"]))
    def test_order_is_documented_tie_break(self, text: str) -> None:
        """Hits are sorted by (-score, framework id, item kind order)."""
        hits = allykit.search(text, limit=None)

        assert [_key(h) for h in hits] == sorted(_key(h) for h in hits)

    def test_stable(self) -> None:
        """The same query gives the same hits, after the cache is cleared too."""
        first = allykit.search("listen")
        allykit.clear_cache()

        assert allykit.search("listen") == first

    @given(framework=frameworks(), text=st.text(max_size=12))
    def test_user_frameworks_and_fuzz(
        self, framework: allykit.Framework, text: str
    ) -> None:
        """Arbitrary text over arbitrary frameworks never fails, hits are positive."""
        hits = allykit.search(text, frameworks=[framework], limit=None)

        assert all(h.framework == framework.id for h in hits)
        if text.strip() and any(c.isalnum() for c in text):
            assert all(h.score > 0 for h in hits)

    @given(value=st.one_of(st.integers(), st.none(), st.binary(), st.text()))
    def test_fuzz_arguments(self, value: Any) -> None:
        """Arbitrary argument values raise only allykit errors."""
        with contextlib.suppress(AllykitError):
            allykit.search(value, kind=value if isinstance(value, str) else None)


class TestFolding:
    @given(text=st.text(max_size=30))
    def test_fold_idempotent(self, text: str) -> None:
        """Folding twice changes nothing more."""
        assert fold(fold(text)) == fold(text)

    def test_did_you_mean_folds(self) -> None:
        """Did-you-mean ignores accents, case and spaces."""
        assert closest("Ally Modél", ["ally-model", "ally-skills"])[0] == "ally-model"

    def test_error_message_suggests(self) -> None:
        """Unknown-id errors suggest through the same folding."""
        with pytest.raises(LookupError, match="did you mean 'self-examination'"):
            allykit.load_framework("ally-model").stage("SELF EXAMINATIÓN")
