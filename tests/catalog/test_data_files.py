"""Tests of the bundled data, as data: schema, cross-references, pinned facts."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import jsonschema
import pytest

import allykit
from allykit import Framework

# Bundled ids only: installed plugin packages (the example one in CI) offer
# frameworks that are not files of allykit.
FRAMEWORK_IDS = tuple(
    key
    for key, source in allykit.catalog.framework_sources().items()
    if source == "bundled"
)


def _raw(framework_id: str) -> str:
    resource = files("allykit") / "data" / "frameworks" / f"{framework_id}.json"
    return resource.read_text(encoding="utf-8")


@pytest.mark.parametrize("framework_id", FRAMEWORK_IDS)
class TestEveryBundledFramework:
    def test_validates_as_user_data(self, framework_id: str) -> None:
        """The bundled file passes the full untrusted-data validation."""
        validated = allykit.Framework.from_json(_raw(framework_id), source=framework_id)

        assert validated == allykit.load_framework(framework_id)

    def test_valid_against_committed_schema(self, framework_id: str) -> None:
        """The raw file validates against the committed JSON Schema (independently)."""
        schema_text = files("allykit") / "data" / "schemas" / "framework.schema.json"
        schema = json.loads(schema_text.read_text(encoding="utf-8"))

        jsonschema.Draft202012Validator(schema).validate(json.loads(_raw(framework_id)))

    def test_file_named_after_id(self, framework_id: str) -> None:
        """The file name is the framework id, and it declares its schema."""
        document = json.loads(_raw(framework_id))

        assert document["id"] == framework_id
        assert document["$schema"] == "../schemas/framework.schema.json"

    def test_cited_and_licensed(self, framework_id: str) -> None:
        """Every framework has a citation with a title and a licence note."""
        framework = allykit.load_framework(framework_id)

        assert framework.citations
        # An author that could not be confirmed is left empty, and said so.
        assert all(
            c.title and (c.authors or "author" in c.note.lower())
            for c in framework.citations
        )
        assert framework.licence.note

    def test_round_trip(self, framework_id: str) -> None:
        """The bundled framework survives a JSON round trip."""
        framework = allykit.load_framework(framework_id)

        assert Framework.from_json(framework.to_json()) == framework

    def test_no_person_labels(self, framework_id: str) -> None:
        """No text labels a person with a level or rank ("you are a level-3 ally")."""
        text = _raw(framework_id).lower()

        assert not re.search(r"you are an? (level|stage|good|bad|true|real)", text)


class TestAllyModel:
    def test_three_stages_in_order(self) -> None:
        """The ally model has its three stages in developmental order."""
        model = allykit.load_framework("ally-model")

        assert [(s.position, s.id, s.name) for s in model.stages] == [
            (1, "self-examination", "Self-Examination and Critical Thinking"),
            (2, "awareness-and-education", "Awareness and Education"),
            (3, "action", "Action"),
        ]
        assert model.kind == "stage-model"
        assert not model.cyclic  # the article orders the three (issue 12)

    def test_prompt_counts(self) -> None:
        """Each stage has at least eight reflective prompts."""
        model = allykit.load_framework("ally-model")

        counts = {s.id: len(model.prompts_for(s.id)) for s in model.stages}

        assert all(count >= 8 for count in counts.values()), counts
        assert len(model.prompts) == 39

    def test_forms_of_action(self) -> None:
        """The action stage names personal, activism, advocacy and speaking up."""
        model = allykit.load_framework("ally-model")

        names = " ".join(c.name.lower() for c in model.characteristics_for("action"))

        for word in ("personal", "activism", "advocacy", "speaking up"):
            assert word in names

    def test_social_work_application(self) -> None:
        """Application principles cover social work and career paths."""
        model = allykit.load_framework("ally-model")

        applications = [p for p in model.principles if p.kind == "application"]

        assert any("career-path" in p.tags for p in applications)
        assert any("social-work" in p.tags for p in applications)
        assert any(p.kind == "perspective" for p in model.principles)

    def test_cites_tulane(self) -> None:
        """The ally model cites the Tulane article."""
        citation = allykit.load_framework("ally-model").citation("tulane-2019")

        assert citation.year == 2019
        assert citation.url == "https://socialwork.tulane.edu/blog/allyship"


class TestAllyshipInPractice:
    def test_key_question(self) -> None:
        """The two-sided reflective question is a prompt, quoted exactly."""
        framework = allykit.load_framework("allyship-in-practice")

        prompt = framework.prompt("where-can-i-act-as-an-ally")

        assert prompt.text == "Where can I act as an ally and where do I need allies?"
        assert "two-sided" in prompt.tags

    def test_counts(self) -> None:
        """At least twelve prompts, the eight lessons and the practice principles."""
        framework = allykit.load_framework("allyship-in-practice")

        lessons = [p for p in framework.principles if p.kind == "lesson"]
        principles = {p.id for p in framework.principles if p.kind == "principle"}

        assert len(framework.prompts) >= 12
        # Six participant lessons, the empowering aim and the quoted duty to
        # learn (both added for issue 12).
        assert len(lessons) == 8
        assert len(principles) >= 7
        assert framework.kind == "practice-guide"
