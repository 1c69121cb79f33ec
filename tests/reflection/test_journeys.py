"""Tests of journeys: weekly plans through a framework's stages."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import AllykitError, Framework, InvalidArgumentError
from allykit.reflection import Journey
from allykit.testing import frameworks

# Framework-drawing properties are the slow ones: fewer examples by default,
# the full count under ALLYKIT_HYPOTHESIS=patience.
_EXAMPLES = 1000 if os.environ.get("ALLYKIT_HYPOTHESIS") == "patience" else 25


class TestBuildJourney:
    def test_six_weeks(self) -> None:
        """A six-week, two-a-week journey has twelve sessions and revisits."""
        model = allykit.load_framework("ally-model")

        journey = allykit.reflection.build_journey(model, 6, 2, steps_per_session=4)

        assert [s.week for s in journey.sessions] == [
            w for w in range(1, 7) for _ in "ab"
        ]
        assert [s.stage for s in journey.sessions[:3]] == [
            "self-examination",
            "awareness-and-education",
            "action",
        ]
        assert sum(s.revisit for s in journey.sessions) == 3

    def test_no_stages(self) -> None:
        """A framework without stages cannot make a journey."""
        with pytest.raises(InvalidArgumentError):
            allykit.reflection.build_journey(
                allykit.load_framework("allyship-in-practice"), 1, 1
            )

    @settings(max_examples=_EXAMPLES)
    @given(
        framework=frameworks(min_stages=1),
        weeks=st.integers(1, 12),
        per_week=st.integers(1, 4),
        size=st.integers(1, 9),
        every=st.integers(2, 6),
    )
    def test_properties(
        self, framework: Framework, weeks: int, per_week: int, size: int, every: int
    ) -> None:
        """Sizes are kept, new sessions cycle in order, revisits come at intervals."""
        journey = allykit.reflection.build_journey(
            framework, weeks, per_week, steps_per_session=size, revisit_every=every
        )

        order = [s.id for s in framework.stages]
        fresh = [s.stage for s in journey.sessions if not s.revisit]
        assert len(journey.sessions) == weeks * per_week
        assert all(s.steps == size for s in journey.sessions)
        assert fresh == [order[i % len(order)] for i in range(len(fresh))]
        assert all(s.number % every == 0 for s in journey.sessions if s.revisit)
        assert Journey.from_json(journey.to_json()) == journey

    @given(value=st.one_of(st.none(), st.integers(), st.text(max_size=5), st.floats()))
    def test_fuzz(self, value: Any) -> None:
        """Bad arguments raise only AllykitError subclasses."""
        model = allykit.load_framework("ally-model")
        calls: list[Callable[[], object]] = [
            lambda: allykit.reflection.build_journey(value, 1, 1),
            lambda: allykit.reflection.build_journey(model, value, 1),
            lambda: allykit.reflection.build_journey(model, 1, value),
            lambda: allykit.reflection.build_journey(model, 1, 1, revisit_every=value),
            lambda: Journey.from_json(str(value)),
        ]
        for call in calls:
            with contextlib.suppress(AllykitError):
                call()

    def test_committed_schemas(self) -> None:
        """The shipped journey schema equals the generated one."""
        import json

        from allykit.catalog import _resources
        from allykit.reflection.journeys import journey_json_schema

        committed = json.loads(_resources.read_schema("journey.schema.json"))

        assert committed == journey_json_schema()
