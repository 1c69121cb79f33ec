"""Tests for the frozen domain objects."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

import allykit
from allykit import Framework, UnknownIdError
from allykit.testing import frameworks


class TestFrozen:
    def test_framework_is_immutable(self) -> None:
        """Assigning to a field of a framework raises."""
        model = allykit.load_framework("ally-model")

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            model.name = "changed"  # type: ignore[misc]

    def test_collections_are_tuples(self) -> None:
        """Every collection on a framework is a tuple."""
        model = allykit.load_framework("ally-model")

        assert isinstance(model.stages, tuple)
        assert isinstance(model.prompts, tuple)
        assert isinstance(model.prompts[0].tags, tuple)

    def test_hashable(self) -> None:
        """Frameworks are hashable, so they can be cached and put in sets."""
        model = allykit.load_framework("ally-model")

        assert hash(model) == hash(Framework.from_dict(model.to_dict()))


class TestLookups:
    @given(framework=frameworks())
    def test_lookups_find_every_id(self, framework: Framework) -> None:
        """Every id in every collection is found by its lookup method."""
        for stage in framework.stages:
            assert framework.stage(stage.id) is stage
        for characteristic in framework.characteristics:
            assert framework.characteristic(characteristic.id) is characteristic
        for prompt in framework.prompts:
            assert framework.prompt(prompt.id) is prompt
        for principle in framework.principles:
            assert framework.principle(principle.id) is principle
        for citation in framework.citations:
            assert framework.citation(citation.id) is citation

    @given(framework=frameworks(min_stages=1))
    def test_prompts_for_partition(self, framework: Framework) -> None:
        """prompts_for over every stage gives exactly the staged prompts."""
        staged = [p for s in framework.stages for p in framework.prompts_for(s.id)]

        assert sorted(p.id for p in staged) == sorted(
            p.id for p in framework.prompts if p.stage is not None
        )

    def test_unknown_stage_suggests(self) -> None:
        """An unknown stage id raises a LookupError that suggests the closest id."""
        model = allykit.load_framework("ally-model")

        with pytest.raises(UnknownIdError, match="did you mean 'action'") as info:
            model.stage("acton")

        assert isinstance(info.value, LookupError)
        assert isinstance(info.value, allykit.AllykitError)

    def test_unhashable_id_is_a_lookup_error(self) -> None:
        """A non-string id gives the same LookupError, not a TypeError."""
        model = allykit.load_framework("ally-model")

        with pytest.raises(UnknownIdError):
            model.prompt(["not", "an", "id"])  # type: ignore[arg-type]

    def test_prompt_text_in_error_lists_known(self) -> None:
        """The error for an unknown prompt names the framework and known ids."""
        model = allykit.load_framework("ally-model")

        with pytest.raises(UnknownIdError, match="in framework 'ally-model'"):
            model.prompt("nope")


class TestRoundTrip:
    @given(framework=frameworks())
    def test_dict_round_trip(self, framework: Framework) -> None:
        """from_dict(to_dict(x)) == x for any valid framework."""
        assert Framework.from_dict(framework.to_dict()) == framework

    @given(framework=frameworks())
    def test_json_round_trip(self, framework: Framework) -> None:
        """from_json(to_json(x)) == x, compact or indented."""
        assert Framework.from_json(framework.to_json()) == framework
        assert Framework.from_json(framework.to_json(indent=None)) == framework

    @given(framework=frameworks())
    def test_to_dict_is_plain_json(self, framework: Framework) -> None:
        """to_dict returns only dicts, lists, strings, numbers, bools and None."""

        def plain(value: object) -> bool:
            if isinstance(value, dict):
                return all(isinstance(k, str) and plain(v) for k, v in value.items())
            if isinstance(value, list):
                return all(plain(v) for v in value)
            return value is None or isinstance(value, (str, int, bool))

        assert plain(framework.to_dict())

    @given(framework=frameworks())
    def test_content_hash_stable(self, framework: Framework) -> None:
        """Equal content gives an equal content hash."""
        assert (
            Framework.from_json(framework.to_json()).content_hash
            == framework.content_hash
        )


@pytest.mark.parametrize("indent", [10**400, 1.5, [], "xx", "\t", -1, True, 65])
def test_to_json_refuses_an_indent_it_cannot_write(indent: object) -> None:
    """An indent that is not a whole number from 0 to 64 (or None) is an allykit error.

    json would raise OverflowError or TypeError, or write text that is not
    JSON (an indent of "xx"), or megabytes of spaces.
    """
    from allykit.errors import InvalidArgumentError
    from allykit.reflection import History
    from allykit.scoring import score

    inventory = allykit.load_instrument("ally-model-reflection")
    for value in (
        allykit.load_framework("ally-model"),
        History(),
        score(inventory, {"ac-speak-up": 3}),
    ):
        with pytest.raises(InvalidArgumentError, match="indent"):
            value.to_json(indent=indent)  # type: ignore[arg-type]
        assert value.to_json(indent=64).startswith("{\n" + " " * 64)
