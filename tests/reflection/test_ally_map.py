"""Tests of the positionality tools and the ally map."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import AllykitError, UnknownIdError
from allykit.reflection import (
    AllyMap,
    Dimension,
    Placement,
    build_ally_map,
    dimensions_of,
)
from allykit.testing import placements_for

GRACES = allykit.load_framework("social-graces")
WHEEL = allykit.load_framework("wheel-of-power-and-privilege")
ALL_IDS = sorted({c.id for c in GRACES.characteristics + WHEEL.characteristics})


class TestTools:
    def test_social_graces(self) -> None:
        """The Social GRACES list the classic fifteen and Burnham's 2025 additions."""
        classic = [c.id for c in GRACES.characteristics if "classic" in c.tags]
        added = [c.id for c in GRACES.characteristics if "burnham-2025" in c.tags]

        assert len(classic) == 15
        assert added == ["accent", "affiliation", "senses"]
        assert GRACES.kind == "positionality-tool"

    def test_wheel_spokes(self) -> None:
        """The wheel has twelve spokes, each with a centre and a rim pole."""
        spokes = dimensions_of(WHEEL)

        assert len(spokes) == 12
        assert all(d.centre_pole and d.outer_pole for d in spokes)
        assert spokes[0].name == "Skin colour"

    def test_poles_configurable(self) -> None:
        """Poles can be replaced per spoke; unknown spokes are refused."""
        spokes = dimensions_of(WHEEL, poles={"wealth": ("secure", "insecure")})

        assert {d.id: d.outer_pole for d in spokes}["wealth"] == "insecure"
        with pytest.raises(UnknownIdError):
            dimensions_of(WHEEL, poles={"welth": ("a", "b")})


class TestBuildAllyMap:
    def test_two_sided(self) -> None:
        """Privilege at work and marginalisation in the family make 'both'."""
        ally_map = build_ally_map(
            [
                Placement(dimension="age", position="privilege", context="work"),
                Placement(
                    dimension="age", position="marginalisation", context="family"
                ),
                Placement(dimension="race", position="prefer-not-to-say"),
                Placement(dimension="senses", position="unsure"),
            ]
        )

        (entry,) = ally_map.both
        assert entry.privilege_contexts == ("work",)
        assert entry.marginalisation_contexts == ("family",)
        assert "where you stand on age" in entry.prompts[0].text  # its phrase
        assert [e.dimension.id for e in ally_map.unsure] == ["senses"]
        assert not ally_map.can_act_as_ally
        assert any("key-question" in p.tags for p in ally_map.prompts)

    def test_custom_dimension(self) -> None:
        """A user's own dimension can be mapped alongside the bundled ones."""
        caring = Dimension(id="caring-role", name="Caring responsibilities")

        ally_map = build_ally_map(
            [Placement(dimension="caring-role", position="marginalisation")],
            dimensions=[GRACES, caring],
        )

        assert ally_map.may_need_allies[0].dimension == caring

    def test_unknown_dimension(self) -> None:
        """An unknown dimension id is an UnknownIdError with a suggestion."""
        with pytest.raises(UnknownIdError, match="did you mean 'class'"):
            build_ally_map([Placement(dimension="clas", position="privilege")])

    @given(placements=placements_for(ALL_IDS))
    def test_partition_and_round_trip(self, placements: list[Placement]) -> None:
        """Each placed dimension lands in exactly one section; JSON round trips."""
        ally_map = build_ally_map(placements)

        sections = [
            ally_map.can_act_as_ally,
            ally_map.may_need_allies,
            ally_map.both,
            ally_map.unsure,
        ]
        mapped = [e.dimension.id for section in sections for e in section]
        shared = {p.dimension for p in placements if p.position != "prefer-not-to-say"}
        assert sorted(mapped) == sorted(shared)
        assert AllyMap.from_json(ally_map.to_json()) == ally_map

    @given(placements=placements_for(ALL_IDS), data=st.data())
    def test_order_does_not_matter(
        self, placements: list[Placement], data: st.DataObject
    ) -> None:
        """Which section a dimension lands in does not depend on input order."""
        shuffled = data.draw(st.permutations(placements))

        def sections(ally_map: AllyMap) -> dict[str, str]:
            return {
                e.dimension.id: name
                for name in ("can_act_as_ally", "may_need_allies", "both", "unsure")
                for e in getattr(ally_map, name)
            }

        assert sections(build_ally_map(placements)) == sections(
            build_ally_map(shuffled)
        )

    def test_no_score(self) -> None:
        """The map carries no number: it describes, never ranks."""
        data = build_ally_map(
            [Placement(dimension="class", position="privilege")]
        ).to_dict()

        def numbers(value: Any) -> list[Any]:
            if isinstance(value, dict):
                # A source locator's paragraph numbers point into a cited
                # article; they are not a measure of the person.
                # schema_version is the file format's, not a figure either.
                return [
                    n
                    for k, v in value.items()
                    if k not in {"source", "schema_version"}
                    for n in numbers(v)
                ]
            if isinstance(value, list):
                return [n for v in value for n in numbers(v)]
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            return [value] if is_number else []

        assert numbers(data) == []

    @given(
        value=st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=10),
            st.lists(st.text(max_size=5), max_size=3),
            st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
        )
    )
    def test_fuzz(self, value: Any) -> None:
        """Bad arguments raise only AllykitError subclasses."""
        for call in (
            lambda: build_ally_map(value),
            lambda: build_ally_map([], dimensions=value),
            lambda: build_ally_map([], prompts=value),
            lambda: dimensions_of(value),
            lambda: dimensions_of(WHEEL, poles=value),
            lambda: AllyMap.from_json(str(value)),
        ):
            with contextlib.suppress(AllykitError):
                call()
