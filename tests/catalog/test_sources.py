"""Source fidelity: every paragraph of the two source articles is accounted for.

The articles are copyrighted and not in the repository; ``docs/data/source-index.json``
holds their paragraph numbers, section headings and fingerprints. These tests check
that every paragraph is represented or left out with a reason, that every element's
locator points at a real paragraph of the right section, that the index matches the
articles in ``../shared/sources`` when that folder is present, and that
``docs/sources.md`` is up to date.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import allykit

REPO = Path(__file__).resolve().parents[2]
# CI checks the repo out beside ../shared; locally it is /work/shared.
SHARED_SOURCES = Path(__file__).resolve().parents[3] / "shared" / "sources"
SOURCE_FRAMEWORKS = ("ally-model", "allyship-in-practice")
COLLECTIONS = ("stages", "characteristics", "prompts", "principles")


def _script() -> ModuleType:
    path = REPO / "scripts" / "generate_sources.py"
    spec = importlib.util.spec_from_file_location("generate_sources", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """The generator script, imported from its file."""
    return _script()


@pytest.fixture(scope="module")
def index(script: ModuleType) -> dict[str, Any]:
    """The committed source index."""
    loaded: dict[str, Any] = script.load_index()
    return loaded


def _rows(source: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["n"]: row for row in source["paragraphs"]}


class TestIndex:
    def test_numbering_is_contiguous(self, index: dict[str, Any]) -> None:
        """Paragraphs are numbered 1, 2, 3 ... with no gap."""
        for source in index["sources"]:
            numbers = [row["n"] for row in source["paragraphs"]]
            assert numbers == list(range(1, len(numbers) + 1)), source["citation"]

    def test_holds_no_article_text(self, index: dict[str, Any]) -> None:
        """Rows carry a number, kind, heading and fingerprint only, never the text."""
        for source in index["sources"]:
            headings = {
                row["section"]
                for row in source["paragraphs"]
                if row["kind"] == "heading"
            }
            for row in source["paragraphs"]:
                assert set(row) == {"n", "kind", "section", "sha"}
                assert row["section"] in headings | {""}
                assert len(row["sha"]) == 12

    def test_matches_the_articles(
        self, script: ModuleType, index: dict[str, Any]
    ) -> None:
        """The committed index is what the numbering scheme gives for the articles."""
        missing = [
            s["file"]
            for s in index["sources"]
            if not (SHARED_SOURCES / s["file"]).exists()
        ]
        if missing:
            pytest.skip(
                f"source articles not found at {SHARED_SOURCES} (they are copyrighted "
                f"and not in the repository): {missing}"
            )
        rebuilt = script.rebuild_index(SHARED_SOURCES, index)
        assert rebuilt == index, (
            "docs/data/source-index.json does not match the articles: "
            "run python scripts/generate_sources.py --index"
        )

    def test_fingerprint_ignores_spacing_only(self, script: ModuleType) -> None:
        """Re-spacing a line keeps its fingerprint; changing a word does not."""
        assert script.fingerprint(" a  b\tc ") == script.fingerprint("a b c")
        assert script.fingerprint("a b c") != script.fingerprint("a b d")


class TestCoverage:
    def test_every_paragraph_covered_or_left_out(
        self, script: ModuleType, index: dict[str, Any]
    ) -> None:
        """Each paragraph is represented by an element or left out with a reason."""
        problems = []
        for source in index["sources"]:
            covered = script.coverage(source)
            left_out = source["left_out"]
            for row in source["paragraphs"]:
                n = row["n"]
                if row["kind"] == "heading":
                    continue
                if covered[n] and str(n) in left_out:
                    problems.append(f"{source['citation']} ¶{n}: covered and left out")
                if not covered[n] and str(n) not in left_out:
                    problems.append(f"{source['citation']} ¶{n}: neither")
                if str(n) in left_out and not left_out[str(n)].strip():
                    problems.append(f"{source['citation']} ¶{n}: no reason given")
        assert not problems, problems

    def test_left_out_names_real_paragraphs(self, index: dict[str, Any]) -> None:
        """A reason for leaving out points at a paragraph that exists."""
        for source in index["sources"]:
            rows = _rows(source)
            for number in source["left_out"]:
                assert int(number) in rows, (source["citation"], number)
                assert rows[int(number)]["kind"] == "paragraph"


class TestLocators:
    @pytest.mark.parametrize("framework_id", SOURCE_FRAMEWORKS)
    def test_every_element_has_a_locator(self, framework_id: str) -> None:
        """Every element of the two source frameworks names the passage it rests on."""
        framework = allykit.load_framework(framework_id)
        missing = [
            f"{collection}/{item.id}"
            for collection in COLLECTIONS
            for item in getattr(framework, collection)
            if item.source is None or not item.source.paragraphs
        ]
        assert not missing

    def test_every_locator_resolves(self, index: dict[str, Any]) -> None:
        """A locator into an indexed article names real paragraphs of its section."""
        by_citation = {s["citation"]: s for s in index["sources"]}
        problems = []
        checked = 0
        for framework_id in allykit.available_frameworks():
            framework = allykit.load_framework(framework_id)
            for collection in COLLECTIONS:
                for item in getattr(framework, collection):
                    locator = item.source
                    if locator is None:
                        continue
                    # The citation is one of the framework's (checked on load too).
                    framework.citation(locator.citation)
                    source = by_citation.get(locator.citation)
                    if source is None:
                        continue
                    rows = _rows(source)
                    where = f"{framework_id}: {collection}/{item.id}"
                    for number in locator.paragraphs:
                        checked += 1
                        if number not in rows:
                            problems.append(f"{where}: no paragraph {number}")
                        elif rows[number]["section"] not in locator.sections and (
                            rows[number]["section"] or locator.section
                        ):
                            problems.append(
                                f"{where}: paragraph {number} is under "
                                f"{rows[number]['section']!r}, not {locator.section!r}"
                            )
                    # Each section named holds at least one of the paragraphs.
                    named = {
                        rows[n]["section"] for n in locator.paragraphs if n in rows
                    }
                    problems.extend(
                        f"{where}: names section {section!r} but cites none of it"
                        for section in locator.sections
                        if section not in named
                    )
        assert not problems, problems
        assert checked > 100

    def test_resolver_catches_a_bad_locator(self, index: dict[str, Any]) -> None:
        """A locator to a missing paragraph or the wrong section would be reported."""
        rows = _rows(index["sources"][0])
        assert 999 not in rows
        assert rows[16]["section"] == "Self-Examination and Critical Thinking"
        assert rows[20]["section"] != "Self-Examination and Critical Thinking"


class TestPage:
    def test_page_matches(self, script: ModuleType) -> None:
        """docs/sources.md is exactly what scripts/generate_sources.py writes."""
        page = REPO / "docs" / "sources.md"
        assert page.read_text(encoding="utf-8") == script.render(), (
            "docs/sources.md is stale: run python scripts/generate_sources.py"
        )

    def test_page_has_nothing_uncovered(self) -> None:
        """The committed page shows no uncovered paragraph."""
        text = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
        assert "NOT COVERED" not in text

    def test_page_in_nav(self) -> None:
        """The page is reachable from the documentation site's navigation."""
        assert "sources.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


class TestFixedErrors:
    """Each known content error of issue 12, pinned so that it cannot come back."""

    def test_ally_model_not_cyclic(self) -> None:
        """The article orders its three characteristics; the model is not a cycle."""
        model = allykit.load_framework("ally-model")

        assert not model.cyclic
        assert "repeating cycle" not in model.description
        assert any(note.about == "cyclic" for note in model.modelling_notes)

    def test_tulane_content_present(self) -> None:
        """Tulane content that was missing is represented."""
        model = allykit.load_framework("ally-model")
        text = json.dumps(model.to_dict()).lower()

        for phrase in (
            "early 1990s",
            "suffrage",
            "civil rights",
            "common threads",
            "turned into action",
            "ally programmes",
            "knowing what allyship is does not suffice",
        ):
            assert phrase in text, phrase

    def test_tulane_drift_restored(self) -> None:
        """Wording that drifted from the article follows it again."""
        model = allykit.load_framework("ally-model")

        assert (
            "social justice"
            in model.principle("multiple-social-identities").description
        )
        assert "the foundation of all social work" in (
            model.principle("self-examination-in-social-work").description
        )
        assert "part of the foundation" not in json.dumps(model.to_dict())
        assert "policy" in model.characteristic("advocacy").description
        assert (
            "key practice"
            in model.characteristic("listen-to-lived-experience").description
        )
        assert "advocate for" in model.principle("allyship-is-active").description
        bias = model.characteristic("uncover-unconscious-bias").description
        assert "race" in bias
        assert "relapse" in bias

    def test_research_in_practice_fixed(self) -> None:
        """Research in Practice: the community's expertise, no pairing, the example."""
        guide = allykit.load_framework("allyship-in-practice")
        grassroots = guide.principle("ally-with-grassroots-groups").description
        sides = guide.prompt("what-each-side-brings").text
        # The members' expertise is named, in our own words (the guide's
        # eight-word phrase is not quoted).
        assert "experts on their own lives" in grassroots
        assert "expertise do its members bring" in sides
        for text in (grassroots, sides):
            assert "lived experience, wisdom and expertise" not in text
        assert (
            guide.prompt("when-have-i-been-an-ally").text == "When have I been an ally?"
        )
        assert "empowering" in guide.principle("allyship-can-empower").name.lower()
        tags: dict[str, set[str]] = {
            c.id: set(c.tags)
            for c in guide.characteristics
            if c.id in {"know-the-other", "support-people-to-fulfil-potential"}
        }
        # No one-to-one pairing of a practice approach with a requirement.
        assert tags["know-the-other"] == tags["support-people-to-fulfil-potential"]
        assert "deficits" not in json.dumps(guide.to_dict())

    def test_encyclopedia_levels_are_levels(self) -> None:
        """The encyclopedia record models levels, and names no invented author."""
        record = allykit.load_framework("ally-model-of-social-justice")

        assert record.kind == "level-model"
        assert all(
            allykit.reflection.next_stage(record, stage) is None
            for stage in record.stages
        )
        citation = record.citation("esw-ally-model-2016")
        assert "Encyclopedia of Social Work" not in citation.authors
        assert "author" in citation.note.lower()

    def test_loaded_prompt_reworded(self) -> None:
        """The rights prompt no longer sets rights against convenience."""
        guide = allykit.load_framework("allyship-in-practice")

        assert "convenience" not in guide.prompt("their-rights-and-my-convenience").text


class TestLicencesAndCitations:
    """Licence and citation errors of issue 12, pinned."""

    def test_package_licence_is_an_spdx_expression(self) -> None:
        """The package metadata names the data licences too, not MIT alone."""
        from packaging.licenses import canonicalize_license_expression

        tomllib = pytest.importorskip("tomllib", reason="tomllib needs Python 3.11+")

        project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
        expression = canonicalize_license_expression(project["license"])

        for licence in ("MIT", "CC-BY-4.0", "CC-BY-SA-4.0"):
            assert licence in expression.split(" AND ")

    def test_aim_instrument_licensed_like_its_scale_record(self) -> None:
        """The metadata-only AIM instrument carries the same licence as its record."""
        instrument = allykit.load_instrument("ally-identity-measure")
        record = allykit.catalog.load_scale("ally-identity-measure")

        assert instrument.licence.spdx == record.licence.spdx == "CC-BY-4.0"

    def test_example_answers_licensed(self) -> None:
        """The example answers have a licence statement beside them."""
        from allykit.catalog import _resources

        assert "ally-model-reflection-answers" in _resources.list_ids("examples")
        sidecar = REPO / "src" / "allykit" / "data" / "examples" / "LICENCE.md"
        text = sidecar.read_text(encoding="utf-8")
        assert "ally-model-reflection-answers.json" in text
        assert "CC-BY-4.0" in text

    def test_no_placeholder_authors(self) -> None:
        """No citation names a work as its own author or a department as author."""
        racs = allykit.catalog.load_scale("racial-allyship-characteristics-scale")
        esw = allykit.load_framework("ally-model-of-social-justice")

        assert racs.citation.authors == ()
        assert "author" in racs.citation.note.lower()
        assert racs.citation.title.startswith("[")  # an APA bracketed description
        assert esw.citation("esw-ally-model-2016").authors == ()

    def test_everyone_credited(self) -> None:
        """Ally Skills and wheel records credit everyone their sources credit."""
        skills = allykit.load_framework("ally-skills").citation("ally-skills-workshop")
        wheel = allykit.load_framework("wheel-of-power-and-privilege")

        assert {"Sheila Addison", "The Ada Initiative"} <= set(skills.authors)
        assert any(
            "Vanderwoerd" in author for c in wheel.citations for author in c.authors
        )

    def test_wheel_sexuality_pole_as_cited(self) -> None:
        """The sexuality pole lists what the cited wheel lists, adding nothing."""
        wheel = allykit.load_framework("wheel-of-power-and-privilege")
        spoke = wheel.characteristic("sexuality")

        assert "lesbian, bi, pan or asexual" in spoke.examples
        assert "gay" not in spoke.description
