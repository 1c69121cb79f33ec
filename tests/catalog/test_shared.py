"""Shared items: one copy in the data, used by every framework that lists it.

The wheel of power and privilege asks the same positionality questions, and
holds the same principles, as the Social GRACES; its file lists them under
``shared`` instead of copying them. These tests hold the bundled data to one
copy of every text, and the mechanism to its promises: filled in exactly, in
order, without touching the caller's data; a saved framework is
self-contained; every mistake is reported at the file's own path with what to
do.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import DataFileError, Framework
from allykit.catalog import _resources
from allykit.catalog._store import bundled_ids
from allykit.errors import AllykitDeprecationWarning
from allykit.models.framework import SharedItems

WHEEL = "wheel-of-power-and-privilege"
GRACES = "social-graces"
GRACES_PROMPTS = [p.id for p in allykit.load_framework(GRACES).prompts]
DIFFERS = f"this copy of a prompt shared from {GRACES!r} differs from the prompt there"
GRACES_PRINCIPLES = [p.id for p in allykit.load_framework(GRACES).principles]


def _framework(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": "my-spokes",
        "name": "My spokes",
        "summary": "Written for the tests.",
        "kind": "positionality-tool",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "prompts": [{"id": "own", "text": "What do you notice about {focus}?"}],
        "shared": [{"framework": GRACES, "prompts": GRACES_PROMPTS[:2]}],
    }
    document.update(changes)
    return document


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DataFileError) as caught:
        Framework.from_dict(data)
    return [(p.path, p.message) for p in caught.value.problems]


class TestBundledData:
    def test_every_text_is_written_once(self) -> None:
        """No longer text appears twice in the bundled files: share, don't copy.

        Every prompt, and every summary or description of a stage,
        characteristic or principle, across all frameworks.
        """
        texts: Counter[str] = Counter()
        for framework_id in bundled_ids("frameworks"):
            raw = _resources.read_json("frameworks", framework_id)
            for key in ("stages", "characteristics", "prompts", "principles"):
                for item in raw.get(key, []):
                    texts.update(
                        item[field]
                        for field in ("text", "summary", "description")
                        if len(item.get(field, "")) > 40
                    )

        assert [text for text, count in texts.items() if count > 1] == []

    def test_the_wheel_keeps_no_copy(self) -> None:
        """The wheel's file lists the templates; the objects are the graces' own."""
        raw = _resources.read_json("frameworks", WHEEL)
        wheel = allykit.load_framework(WHEEL)
        graces = allykit.load_framework(GRACES)

        assert raw.get("prompts", []) == raw.get("principles", []) == []
        (shared,) = wheel.shared
        assert isinstance(shared, SharedItems)
        assert (shared.framework, list(shared.prompts)) == (GRACES, GRACES_PROMPTS)
        assert list(shared.principles) == GRACES_PRINCIPLES
        assert shared.note
        assert wheel.prompts == graces.prompts
        assert wheel.principles == graces.principles

    @pytest.mark.parametrize("old", ["wheel-where-opens-doors", "wheel-not-sure-about"])
    def test_released_wheel_ids_still_resolve(self, old: str) -> None:
        """The wheel's former copies resolve, with a warning, to the shared prompt."""
        wheel = allykit.load_framework(WHEEL)

        with pytest.warns(AllykitDeprecationWarning, match="graces-"):
            prompt = wheel.prompt(old)

        assert prompt.id == old.replace("wheel-", "graces-")
        assert prompt.text == wheel.prompt(prompt.id).text

    def test_round_trip_is_self_contained(self) -> None:
        """to_dict writes the prompts out; from_dict gives the same framework."""
        wheel = allykit.load_framework(WHEEL)
        data = wheel.to_dict()

        assert [p["id"] for p in data["prompts"]] == GRACES_PROMPTS
        assert Framework.from_dict(data) == wheel
        assert Framework.from_json(wheel.to_json()) == wheel


class TestFilling:
    def test_appended_in_order_after_own(self) -> None:
        """Own prompts first, then the shared ones as listed."""
        listed = [GRACES_PROMPTS[4], GRACES_PROMPTS[0]]
        data = _framework(
            shared=[{"framework": GRACES, "prompts": listed, "note": "n"}]
        )

        framework = Framework.from_dict(data)

        graces = allykit.load_framework(GRACES)
        assert [p.id for p in framework.prompts] == ["own", *listed]
        assert framework.prompts[1:] == tuple(graces.prompt(i) for i in listed)
        assert framework.shared[0].note == "n"

    def test_principles_too(self) -> None:
        """Principles are shared like prompts, after the framework's own."""
        own = {"id": "mine", "name": "Mine", "description": "Written for the tests."}
        listed = list(reversed(GRACES_PRINCIPLES))
        data = _framework(
            principles=[own],
            shared=[{"framework": GRACES, "principles": listed}],
        )

        framework = Framework.from_dict(data)

        graces = allykit.load_framework(GRACES)
        assert [p.id for p in framework.principles] == ["mine", *listed]
        assert framework.principles[1:] == tuple(graces.principle(i) for i in listed)
        assert [p.id for p in framework.prompts] == ["own"]
        assert Framework.from_dict(framework.to_dict()) == framework

    def test_callers_data_is_not_changed(self) -> None:
        """Filling in works on a copy."""
        data = _framework()
        before = copy.deepcopy(data)

        Framework.from_dict(data)

        assert data == before

    def test_from_a_file(self, tmp_path: Path) -> None:
        """A user's file shares the same way (and from text)."""
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(_framework()), "utf-8")

        from_file = allykit.catalog.load_framework_file(path)

        assert [p.id for p in from_file.prompts] == ["own", *GRACES_PROMPTS[:2]]
        assert allykit.Framework.from_json(path.read_text("utf-8")) == (from_file)

    def test_matching_copy_is_kept(self) -> None:
        """A copy equal to the keeper's (defaults left out) is accepted."""
        graces = allykit.load_framework(GRACES)
        shared = graces.prompt(GRACES_PROMPTS[0])
        data = _framework(
            prompts=[
                {"id": shared.id, "text": shared.text, "kind": shared.kind,
                 "tags": list(shared.tags)},
            ],
            shared=[{"framework": GRACES, "prompts": [shared.id]}],
        )  # fmt: skip

        framework = Framework.from_dict(data)

        assert framework.prompts == (shared,)

    def test_keeper_not_installed_but_complete(self) -> None:
        """A saved framework whose keeper is gone loads from its own copies."""
        data = Framework.from_dict(_framework()).to_dict()
        data["shared"][0]["framework"] = "not-installed-here"

        framework = Framework.from_dict(data)

        assert [p.id for p in framework.prompts] == ["own", *GRACES_PROMPTS[:2]]


class TestProblems:
    def test_copy_that_differs(self) -> None:
        """An edited copy is reported where it is, naming the keeper."""
        data = Framework.from_dict(_framework()).to_dict()
        data["prompts"][1]["text"] = "Changed {focus}."

        assert _problems(data) == [("prompts[1]", DIFFERS)]

    def test_unknown_keeper(self) -> None:
        """A keeper that is not installed, with copies missing."""
        data = _framework(shared=[{"framework": "socail-graces",
                                           "prompts": ["x"]}])  # fmt: skip

        assert _problems(data) == [
            (
                "shared[0].framework",
                "no framework with this id is installed to share from",
            )
        ]

    def test_unknown_prompt_suggests(self) -> None:
        """A prompt id the keeper lacks, with the closest one."""
        data = _framework(
            shared=[{"framework": GRACES, "prompts": ["graces-both-side-of"]}]
        )

        with pytest.raises(DataFileError) as caught:
            Framework.from_dict(data)

        (problem,) = caught.value.problems
        assert problem.path == "shared[0].prompts[0]"
        assert problem.message == f"framework {GRACES!r} has no prompt with this id"
        assert problem.hint == "did you mean 'graces-both-sides-of'?"

    def test_principle_problems_name_principles(self) -> None:
        """An unknown or edited principle is reported as a principle."""
        data = _framework(
            shared=[{"framework": GRACES, "principles": ["context-matter"]}]
        )
        with pytest.raises(DataFileError) as caught:
            Framework.from_dict(data)
        (problem,) = caught.value.problems
        assert problem.path == "shared[0].principles[0]"
        assert problem.message == f"framework {GRACES!r} has no principle with this id"
        assert problem.hint == "did you mean 'context-matters'?"

        saved = allykit.load_framework(WHEEL).to_dict()
        saved["principles"][0]["description"] = "Edited."
        differs = (
            f"this copy of a principle shared from {GRACES!r} differs from "
            "the principle there"
        )
        assert _problems(saved) == [("principles[0]", differs)]

    def test_itself(self) -> None:
        """A framework cannot share from itself."""
        data = _framework(shared=[{"framework": "my-spokes", "prompts": []}])

        assert _problems(data) == [
            (
                "shared[0].framework",
                "a framework cannot share with itself",
            )
        ]

    def test_listed_twice(self) -> None:
        """Each shared prompt is listed once, across entries too."""
        first = GRACES_PROMPTS[0]
        data = _framework(
            shared=[
                {"framework": GRACES, "prompts": [first]},
                {"framework": GRACES, "prompts": [first]},
            ]
        )

        assert _problems(data) == [
            (
                "shared[1].prompts[0]",
                "this prompt is already shared by shared[0].prompts[0]",
            )
        ]

    def test_own_prompt_with_a_shared_id(self) -> None:
        """An own prompt cannot take the id of a shared one."""
        data = _framework(prompts=[{"id": GRACES_PROMPTS[0], "text": "Mine."}])

        assert _problems(data) == [("prompts[0]", DIFFERS)]

    def test_prompt_needs_what_this_framework_lacks(self) -> None:
        """A shared prompt's stage and citation must exist here too."""
        model = allykit.load_framework("ally-model")
        staged = next(p for p in model.prompts if p.stage and p.source)
        data = _framework(shared=[{"framework": "ally-model", "prompts": [staged.id]}])

        found = _problems(data)

        lacking = (
            f"the prompt refers to stage {staged.stage!r} of 'ally-model', "
            "which this framework does not have"
        )
        assert ("shared[0].prompts[0]", lacking) in found
        assert any("refers to citation" in message for _, message in found)

    def test_wrong_types_are_the_schema_s(self) -> None:
        """Types are reported by the schema check, once, never as a raw error."""
        data = _framework(shared=[{"framework": 3, "prompts": "x"}])

        paths = [path for path, _ in _problems(data)]

        assert "shared[0].framework" in paths
        assert "shared[0].prompts" in paths


@settings(max_examples=40, deadline=None)
@given(
    listed=st.lists(st.sampled_from(GRACES_PROMPTS), unique=True, max_size=6),
    principles=st.lists(st.sampled_from(GRACES_PRINCIPLES), unique=True),
    own=st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3),
)
def test_filled_exactly_and_round_trips(
    listed: list[str], principles: list[str], own: list[str]
) -> None:
    """Any prompts shared, in any order: own first, then the keeper's.

    The saved form loads back to the same framework, without warnings.
    """
    data = _framework(
        prompts=[{"id": i, "text": f"Own {i}."} for i in own],
        shared=[{"framework": GRACES, "prompts": listed, "principles": principles}],
    )
    graces = allykit.load_framework(GRACES)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        framework = Framework.from_dict(data)
        again = Framework.from_dict(framework.to_dict())

    assert [p.id for p in framework.prompts] == [*own, *listed]
    assert framework.prompts[len(own) :] == tuple(graces.prompt(i) for i in listed)
    assert framework.principles == tuple(graces.principle(i) for i in principles)
    assert again == framework
    assert again.content_hash == framework.content_hash
