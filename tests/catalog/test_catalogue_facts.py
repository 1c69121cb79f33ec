"""Content checks on the whole catalogue: pinned facts, citations, licences, own words.

Also checks that the generated catalogue page matches the data, and that
published-scale records carry metadata only.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit._normalise import words

REPO = Path(__file__).resolve().parents[2]
# CI checks the repo out beside ../shared; locally it is /work/shared.
SHARED = Path(__file__).resolve().parents[3] / "shared"
RUN = 12  # no run of this many consecutive words may come from a source
# The one sentence the brief allows to be quoted exactly (Research in Practice).
ALLOWED_QUOTES = (
    "Where can I act as an ally and where do I need allies?",
    # The Social GRACES dimension names, listed in their published order: short
    # names, which may be quoted.
    (
        "gender, geography, race, religion, age, ability, appearance, class, culture, "
        "ethnicity, education, employment, sexuality, sexual orientation, spirituality"
    ),
)
_URL = re.compile(r"https?://\S+")

# name, kind, stage names in order, characteristics, prompts, principles, SPDX
FACTS: dict[str, tuple[str, str, tuple[str, ...], int, int, int, str]] = {
    "action-continuum": (
        "Action continuum",
        "continuum",
        (
            "Actively joins in the behaviour",
            "No response",
            "Educate oneself",
            "Interrupt the behaviour",
            "Interrupt & educate",
            "Initiate an organized response",
        ),
        2,
        24,
        2,
        "CC-BY-4.0",
    ),
    "ally-development-levels": (
        "Four levels of ally development",
        "stage-model",
        ("Awareness", "Knowledge", "Skills", "Action"),
        8,
        17,
        2,
        "CC-BY-4.0",
    ),
    "ally-model": (
        "The ally model",
        "stage-model",
        ("Self-Examination and Critical Thinking", "Awareness and Education", "Action"),
        19,
        39,
        18,  # + seven principles for article content that was missing (issue 12)
        "CC-BY-4.0",
    ),
    "ally-model-of-social-justice": (
        "Ally model of social justice (structure only)",
        "level-model",  # levels, not developmental stages (issue 12)
        ("Intrapersonal", "Interpersonal", "System"),
        0,
        12,
        0,
        "CC-BY-4.0",
    ),
    "ally-skills": ("Ally skills", "repertoire", (), 5, 26, 6, "CC-BY-SA-4.0"),
    "allyship-in-practice": (
        "Allyship in practice",
        "practice-guide",
        (),
        5,
        25,  # + the example question "When have I been an ally?" (issue 12)
        16,  # + the empowering aim, the duty to learn (12); models as a method (22)
        "CC-BY-4.0",
    ),
    "aspiring-ally-identity": (
        "Aspiring social justice ally identity",
        "stage-model",
        (
            "Aspiring Ally for Self-Interest",
            "Aspiring Ally for Altruism",
            "Ally for Social Justice",
        ),
        8,
        14,
        2,
        "CC-BY-4.0",
    ),
    "becoming-an-ally": (
        "Becoming an ally: six steps",
        "stage-model",
        (
            "Understanding oppression",
            "Understanding different oppressions",
            "Consciousness and healing",
            "Becoming a worker in your own liberation",
            "Becoming an ally",
            "Maintaining hope",
        ),
        6,
        24,
        1,
        "CC-BY-4.0",
    ),
    "bystander-5ds": (
        "The 5Ds of bystander intervention",
        "repertoire",
        (),
        5,
        32,
        4,
        "CC-BY-4.0",
    ),
    "calling-in-calling-out": (
        "Calling in and calling out",
        "repertoire",
        (),
        2,
        16,
        6,
        "CC-BY-4.0",
    ),
    "enabling-factors": (
        "Enabling factors in ally development",
        "typology",
        (),
        5,
        23,
        3,
        "CC-BY-4.0",
    ),
    "inclusive-leader-continuum": (
        "Inclusive leader continuum",
        "continuum",
        ("Unaware", "Aware", "Active", "Advocate"),
        0,
        16,
        1,
        "CC-BY-4.0",
    ),
    "motivations-for-allyship": (
        "Motivations for allyship",
        "typology",
        (),
        4,
        18,
        3,
        "CC-BY-4.0",
    ),
    "spectrum-of-allies": (
        "Spectrum of allies",
        "continuum",
        (
            "Active Support/Allies",
            "Passive Support/Allies",
            "Neutral",
            "Passive Opposition",
            "Active Opposition",
        ),
        0,
        20,
        2,
        "CC-BY-4.0",
    ),
}

# Ordered item lists for frameworks without stages (the order is a fact too).
CHARACTERISTIC_ORDER = {
    "bystander-5ds": ("distract", "delegate", "document", "delay", "direct"),
    "enabling-factors": (
        "egalitarian-values",
        "gaining-information",
        "meaning-making",
        "developing-confidence",
        "opportunities-to-act",
    ),
    "motivations-for-allyship": (
        "outgroup-focused",
        "ingroup-focused",
        "personal-needs",
        "moral-beliefs",
    ),
    "calling-in-calling-out": ("calling-in", "calling-out"),
}


# Pinned in tests/test_sequencing*.py and tests/test_positionality*.py.
SEQUENCING_FRAMEWORKS = {
    "gibbs-reflective-cycle",
    "kolb-experiential-learning",
    "schon-reflective-practice",
    "social-graces",
    "what-so-what-now-what",
    "wheel-of-power-and-privilege",
}


class TestPinnedFacts:
    def test_catalogue_is_complete(self) -> None:
        """The catalogue ships exactly the pinned frameworks (plus issue 4's)."""
        from allykit.catalog._store import bundled_ids

        assert set(bundled_ids("frameworks")) == set(FACTS) | SEQUENCING_FRAMEWORKS

    @pytest.mark.parametrize("framework_id", sorted(FACTS))
    def test_framework_facts(self, framework_id: str) -> None:
        """Name, kind, stage order, counts and licence are as pinned."""
        f = allykit.load_framework(framework_id)

        actual = (
            f.name,
            f.kind,
            tuple(s.name for s in f.stages),
            len(f.characteristics),
            len(f.prompts),
            len(f.principles),
            f.licence.spdx,
        )

        assert actual == FACTS[framework_id]

    @pytest.mark.parametrize("framework_id", sorted(CHARACTERISTIC_ORDER))
    def test_item_order(self, framework_id: str) -> None:
        """Repertoires and typologies keep their published order."""
        f = allykit.load_framework(framework_id)

        assert (
            tuple(c.id for c in f.characteristics) == CHARACTERISTIC_ORDER[framework_id]
        )

    @pytest.mark.parametrize("framework_id", sorted(FACTS))
    def test_four_prompts_per_stage(self, framework_id: str) -> None:
        """Every stage (or, without stages, every characteristic) has 4+ prompts."""
        f = allykit.load_framework(framework_id)

        if f.stages:
            counts: dict[str, int] = {s.id: len(f.prompts_for(s.id)) for s in f.stages}
        else:
            counts = {
                c.id: sum(c.id in p.characteristics for p in f.prompts)
                for c in f.characteristics
            }

        assert all(n >= 4 for n in counts.values()), counts

    def test_structure_only_model_ships_no_characteristics(self) -> None:
        """The encyclopedia's ally model ships levels and citations only."""
        f = allykit.load_framework("ally-model-of-social-justice")

        assert f.characteristics == ()
        assert "structure-only" in f.tags

    def test_ally_skills_share_alike(self) -> None:
        """The Ally Skills Workshop material is CC BY-SA in its own file."""
        f = allykit.load_framework("ally-skills")

        assert f.licence.spdx == "CC-BY-SA-4.0"
        assert "sa" in f.licence.url.lower()

    def test_motivations_not_exclusive(self) -> None:
        """Motivations are a typology (tags), not a stage sequence."""
        f = allykit.load_framework("motivations-for-allyship")

        assert f.kind == "typology"
        assert f.stages == ()


class TestCitedAndLicensed:
    @pytest.mark.parametrize("framework_id", sorted(FACTS))
    def test_everything_cited_through_framework(self, framework_id: str) -> None:
        """Each framework, and so each of its stages and prompts, has a citation and licence."""  # noqa: E501
        f = allykit.load_framework(framework_id)

        assert f.citations
        # An unknown author is left empty, and the note must then say so.
        assert all(
            c.title
            and (c.authors or "author" in c.note.lower())
            and (c.url or c.publisher)
            for c in f.citations
        )
        assert f.licence.note.strip()
        assert f.licence.spdx is None or f.licence.url

    @pytest.mark.parametrize("crosswalk_id", allykit.catalog.available_crosswalks())
    def test_crosswalks_licensed(self, crosswalk_id: str) -> None:
        """Each crosswalk has a licence and every link a basis."""
        walk = allykit.catalog.load_crosswalk(crosswalk_id)

        assert walk.licence.note.strip()
        assert all(link.basis in {"cited", "editorial"} for link in walk.links)


class TestPublishedScales:
    @pytest.mark.parametrize("scale_id", allykit.catalog.available_scales())
    def test_metadata_only(self, scale_id: str) -> None:
        """Scale records cite a source, carry a licence note and no item text."""
        scale = allykit.catalog.load_scale(scale_id)
        raw = json.dumps(scale.to_dict()).lower()

        assert scale.citation.title
        assert "no item wording" in scale.licence.note
        assert '"items": [' not in raw
        assert "item_text" not in raw

    def test_aim_facts(self) -> None:
        """The AIM record has 19 items in three named subscales."""
        scale = allykit.catalog.load_scale("ally-identity-measure")

        assert scale.items == 19
        assert [s.name for s in scale.subscales] == [
            "Knowledge and Skills",
            "Openness and Support",
            "Oppression Awareness",
        ]
        assert scale.response_format == ""  # not verified, so not given

    def test_subscale_counts_add_up(self) -> None:
        """Where every subscale count is known, they add up to the total."""
        for scale_id in allykit.catalog.available_scales():
            scale = allykit.catalog.load_scale(scale_id)
            counts = [s.items for s in scale.subscales]
            if counts and None not in counts:
                assert sum(c for c in counts if c is not None) == scale.items

    def test_committed_schema_matches(self) -> None:
        """The shipped scale schema equals the generated one."""
        from allykit.catalog import _resources, scale_json_schema

        assert json.loads(_resources.read_schema("scale.schema.json")) == (
            scale_json_schema()
        )


def _prose(value: Any, key: str = "") -> Iterator[str]:
    """Yield our own text in a data document: not citations, URLs or schema keys."""
    if key in {"citations", "citation", "url", "$schema"}:
        return
    if isinstance(value, str):
        yield _URL.sub(" ", value)
    elif isinstance(value, list):
        for item in value:
            yield from _prose(item, key)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _prose(item, name)


def _segments(text: str) -> list[tuple[str, ...]]:
    """Split the words of *text* where an allowed quote occurs, dropping it."""
    found = words(text)
    segments, start, index = [], 0, 0
    quotes = [words(q) for q in ALLOWED_QUOTES]
    while index < len(found):
        for quote in quotes:
            if tuple(found[index : index + len(quote)]) == quote:
                segments.append(found[start:index])
                index = start = index + len(quote)
                break
        else:
            index += 1
    segments.append(found[start:])
    return segments


def _runs(text: str) -> set[tuple[str, ...]]:
    return {
        segment[i : i + RUN]
        for segment in _segments(text)
        for i in range(len(segment) - RUN + 1)
    }


def _data_documents() -> list[tuple[str, Any]]:
    from allykit.catalog import _resources

    return [
        (f"{kind}/{item_id}", json.loads(_resources.read_text(kind, item_id)))
        for kind in ("frameworks", "crosswalks", "scales")
        for item_id in _resources.list_ids(kind)
    ]


class TestOwnWords:
    def _check(self, source_files: list[Path]) -> None:
        copied = set()
        for path in source_files:
            copied |= _runs(path.read_text(encoding="utf-8"))
        found = [
            f"{name}: {' '.join(min(hit))}"
            for name, document in _data_documents()
            for text in _prose(document)
            for hit in [_runs(text) & copied]
            if hit
        ]
        assert not found, f"runs of {RUN} words copied from a source: {found}"

    def test_no_run_from_source_articles(self) -> None:
        """No run of 12 words in any data file comes from the source articles."""
        sources = sorted((SHARED / "sources").glob("*.txt"))
        if not sources:
            pytest.skip(f"source texts not found beside the repo at {SHARED}")
        self._check(sources)

    def test_no_run_from_fact_sheet(self) -> None:
        """No run of 12 words in any data file comes from the research fact sheet."""
        sheet = SHARED / "research" / "domain-facts.md"
        if not sheet.exists():
            pytest.skip(f"fact sheet not found beside the repo at {sheet}")
        self._check([sheet])

    def test_check_catches_a_copy(self) -> None:
        """The run detector flags a 12-word copy and ignores an 11-word one."""
        source = "one two three four five six seven eight nine ten eleven twelve"

        assert _runs("Intro: " + source.upper() + ".") & _runs(source)
        assert not _runs(" ".join(source.split()[:11]))

    def test_allowed_quote_is_skipped(self) -> None:
        """The one sanctioned quote does not count, but words around it still do."""
        quote = ALLOWED_QUOTES[0]

        assert not _runs(f"The question: {quote} Then more.")
        assert _runs("a b c d e f g h i j k l")


class TestCataloguePage:
    def test_page_matches_data(self) -> None:
        """docs/catalogue.md is exactly what scripts/generate_catalogue.py writes."""
        script = REPO / "scripts" / "generate_catalogue.py"
        page = REPO / "docs" / "catalogue.md"
        if not script.exists():
            pytest.skip("scripts/ not present beside the tests")
        spec = importlib.util.spec_from_file_location("generate_catalogue", script)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)

        expected = module.render()

        assert page.read_text(encoding="utf-8") == expected, (
            "docs/catalogue.md is stale: run python scripts/generate_catalogue.py"
        )

    def test_page_lists_every_framework(self) -> None:
        """Every bundled framework id and citation title appears on the page."""
        from allykit.catalog._store import bundled_ids

        text = (REPO / "docs" / "catalogue.md").read_text(encoding="utf-8")

        for framework_id in bundled_ids("frameworks"):
            framework = allykit.load_framework(framework_id)
            assert f"`{framework_id}`" in text
            for citation in framework.citations:
                assert " ".join(citation.title.split()) in text
