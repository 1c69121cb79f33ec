"""Tests of stage order, reflective cycles, next steps, sessions and focus plans."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import allykit
from allykit import (
    AllykitError,
    Framework,
    FrameworkId,
    History,
    InvalidArgumentError,
    PromptId,
    UnknownIdError,
    next_step,
)
from allykit.reflection import (
    HistoryEntry,
    next_stage,
    plan_focus,
    plan_session,
    previous_stage,
    render_prompt,
)
from allykit.testing import frameworks, histories_for, profiles_for

CYCLES = (
    "gibbs-reflective-cycle",
    "what-so-what-now-what",
    "kolb-experiential-learning",
    "schon-reflective-practice",
)


@pytest.fixture(name="model")
def _model() -> Framework:
    """The bundled ally model."""
    return allykit.load_framework("ally-model")


def _with_prompts(framework: Framework) -> bool:
    return bool(framework.prompts)


# Framework-drawing properties are the slow ones: fewer examples by default,
# the full count under ALLYKIT_HYPOTHESIS=patience.
_EXAMPLES = 1000 if os.environ.get("ALLYKIT_HYPOTHESIS") == "patience" else 25


class TestStageOrder:
    def test_ally_model_is_ordered(self, model: Framework) -> None:
        """The ally model is ordered, not a cycle: nothing comes after action."""
        assert [s.id for s in allykit.reflection.stages_in_order(model)] == [
            "self-examination",
            "awareness-and-education",
            "action",
        ]
        assert next_stage(model, "self-examination").id == "awareness-and-education"  # type: ignore[union-attr]
        assert next_stage(model, "action") is None
        assert previous_stage(model, "self-examination") is None
        assert not model.cyclic
        assert allykit.reflection.stage_position(model, model.stage("action")) == 3

    def test_non_cyclic_ends(self) -> None:
        """A framework that is not a cycle has no stage after its last."""
        schon = allykit.load_framework("schon-reflective-practice")

        assert next_stage(schon, "reflection-on-action") is None
        assert previous_stage(schon, "reflection-in-action") is None

    def test_unknown_stage(self, model: Framework) -> None:
        """An unknown stage id raises UnknownIdError with a suggestion."""
        with pytest.raises(UnknownIdError, match="did you mean 'action'"):
            next_stage(model, "actoin")

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(min_stages=1))
    def test_next_and_previous_are_inverse(self, framework: Framework) -> None:
        """Going forward then back returns to the same stage, where both exist."""
        for stage in framework.stages:
            after = next_stage(framework, stage)
            if after is not None:
                assert previous_stage(framework, after) == stage
            elif framework.kind == "level-model":
                # Levels hold at once: no level comes after another.
                assert previous_stage(framework, stage) is None
            else:
                assert not framework.cyclic
                assert stage.position == len(framework.stages)


class TestReflectiveCycles:
    def test_gibbs_six_stages(self) -> None:
        """Gibbs' cycle has its six stages in order and cites 1988."""
        gibbs = allykit.load_framework("gibbs-reflective-cycle")

        assert [s.name for s in gibbs.stages] == [
            "Description",
            "Feelings",
            "Evaluation",
            "Analysis",
            "Conclusion",
            "Action plan",
        ]
        assert gibbs.cyclic
        assert gibbs.citation("gibbs-1988").year == 1988

    def test_kolb_four_stages(self) -> None:
        """Kolb's cycle has its four stages in order and cites 1984."""
        kolb = allykit.load_framework("kolb-experiential-learning")

        assert [s.name for s in kolb.stages] == [
            "Concrete Experience",
            "Reflective Observation",
            "Abstract Conceptualization",
            "Active Experimentation",
        ]
        assert kolb.citation("kolb-1984").year == 1984

    def test_what_so_what_and_schon(self) -> None:
        """Borton/Driscoll has three questions; Schön two modes, not a cycle."""
        wsnw = allykit.load_framework("what-so-what-now-what")
        schon = allykit.load_framework("schon-reflective-practice")

        assert [s.name for s in wsnw.stages] == ["What?", "So what?", "Now what?"]
        assert {c.year for c in wsnw.citations} >= {1970, 2007}
        assert [s.id for s in schon.stages] == [
            "reflection-in-action",
            "reflection-on-action",
        ]
        assert not schon.cyclic

    @pytest.mark.parametrize("cycle_id", CYCLES)
    def test_templates_everywhere(self, cycle_id: str) -> None:
        """Every step of every cycle has at least two templates with {focus}."""
        cycle = allykit.load_framework(cycle_id)

        assert cycle.kind == "reflective-cycle"
        for stage in cycle.stages:
            prompts = cycle.prompts_for(stage.id)
            assert len(prompts) >= 2
            for prompt in prompts:
                assert allykit.reflection.TEMPLATE_TAG in prompt.tags
                assert allykit.reflection.FOCUS_PLACEHOLDER in prompt.text

    @pytest.mark.parametrize("cycle_id", CYCLES)
    def test_templates_render_for_every_ally_stage(
        self, cycle_id: str, model: Framework
    ) -> None:
        """A template rendered for any ally-model stage names it and has no braces."""
        cycle = allykit.load_framework(cycle_id)
        for stage in model.stages:
            for prompt in cycle.prompts:
                text = render_prompt(prompt, stage).text
                # Stages read by their phrase in a sentence (issue 12).
                assert stage.phrase in text
                assert "{" not in text


class TestRenderPrompt:
    def test_plain_prompt_unchanged(self, model: Framework) -> None:
        """A prompt without the placeholder comes back as it is."""
        prompt = model.prompts[0]

        assert render_prompt(prompt, model.stages[0]) is prompt

    def test_bad_focus(self, model: Framework) -> None:
        """A blank focus is an InvalidArgumentError."""
        with pytest.raises(InvalidArgumentError):
            render_prompt(model.prompts[0], " ")


def _pool_key(step: allykit.Step) -> tuple[Any, ...]:
    return (
        step.stage.id if step.stage else None,
        step.cycle_step.id if step.cycle_step else None,
    )


class TestNextStep:
    def test_first_step(self, model: Framework) -> None:
        """With no history the first step is in the first stage, with a reason."""
        step = next_step(model)

        assert step.stage is not None
        assert step.stage.id == "self-examination"
        assert step.cycle_step is None
        assert "first in the focus order" in step.reason
        assert step.round == 1

    def test_cycle_walk(self, model: Framework) -> None:
        """A Gibbs session walks the six steps in order for each focus stage."""
        session = plan_session(
            model,
            steps=12,
            focus=["awareness-and-education", "action"],
            cycle="gibbs-reflective-cycle",
        )

        names = [s.cycle_step.position for s in session]  # type: ignore[union-attr]
        stages = [s.stage.id for s in session]  # type: ignore[union-attr]
        assert names == [1, 2, 3, 4, 5, 6] * 2
        assert stages == ["awareness-and-education"] * 6 + ["action"] * 6
        assert "awareness and education" in session[1].prompt.text  # its phrase
        assert session[1].prompt.id.startswith("gibbs-")

    def test_unknown_prompt_reported(self, model: Framework) -> None:
        """A history id that no longer exists is reported, not an error."""
        history = History(entries=(HistoryEntry(prompt=PromptId("retired-prompt")),))

        step = next_step(model, history)

        assert step.unknown_prompts == ("retired-prompt",)
        assert "no longer exist" in step.reason

    def test_other_framework_entries_ignored(self, model: Framework) -> None:
        """Entries of another framework are neither used nor reported."""
        history = History(
            entries=(
                HistoryEntry(
                    prompt=PromptId("zzz"),
                    framework=FrameworkId("allyship-in-practice"),
                ),
            )
        )

        assert next_step(model, history) == next_step(model)

    def test_focus_from_plan(self, model: Framework) -> None:
        """A focus plan can be passed straight to next_step."""
        plan = plan_focus(model, chosen="action")

        assert next_step(model, focus=plan).stage == model.stage("action")

    def test_filters(self, model: Framework) -> None:
        """Tags and kinds narrow the pool; an empty pool is an error."""
        session = plan_session(model, steps=10, tags=["workplace"], kinds="scenario")

        assert all("workplace" in s.prompt.tags for s in session)
        assert all(s.prompt.kind == "scenario" for s in session)
        with pytest.raises(InvalidArgumentError, match="no prompt"):
            next_step(model, tags=["no-such-tag"])

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), seed=st.integers(), data=st.data())
    def test_deterministic(
        self, framework: Framework, seed: int, data: st.DataObject
    ) -> None:
        """The same framework, history and seed always give the same step."""
        assume(_with_prompts(framework))
        history = data.draw(histories_for(framework))

        first = next_step(framework, history, seed=seed)
        again = next_step(framework, History(entries=history.entries), seed=seed)

        assert first == again

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), seed=st.integers(0, 5), steps=st.integers(0, 40))
    def test_no_repeat_until_exhausted(
        self, framework: Framework, seed: int, steps: int
    ) -> None:
        """Within a pool, no prompt repeats until every prompt has been shown."""
        assume(_with_prompts(framework))
        session = plan_session(framework, steps=steps, seed=seed)

        by_pool: dict[Any, list[str]] = {}
        for step in session:
            by_pool.setdefault(_pool_key(step), []).append(step.prompt.id)
        for key, shown in by_pool.items():
            size = sum(1 for p in framework.prompts if p.stage == key[0])
            for start in range(0, len(shown), size):
                chunk = shown[start : start + size]
                assert len(set(chunk)) == len(chunk)

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), seed=st.integers(0, 5), data=st.data())
    def test_state_from_history_alone(
        self, framework: Framework, seed: int, data: st.DataObject
    ) -> None:
        """A session equals fresh next_step calls on each prefix, even after JSON."""
        assume(_with_prompts(framework))
        start = data.draw(histories_for(framework, max_size=8))
        session = plan_session(framework, start, steps=6, seed=seed)

        entries = list(start.entries)
        for step in session:
            text = History(entries=tuple(entries)).to_json()
            assert next_step(framework, History.from_json(text), seed=seed) == step
            entries.append(step.entry())

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), data=st.data())
    def test_no_repeat_after_any_history(
        self, framework: Framework, data: st.DataObject
    ) -> None:
        """Whatever came before, a session never repeats within a pool's pass."""
        assume(_with_prompts(framework))
        start = data.draw(histories_for(framework))
        session = plan_session(framework, start, steps=30)

        for step in session:
            assert step.round >= 1

        rounds = Counter((_pool_key(s), s.round, s.prompt.id) for s in session)
        assert max(rounds.values()) == 1

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(min_stages=1), data=st.data())
    def test_cycle_order(self, framework: Framework, data: st.DataObject) -> None:
        """With a cycle, each stage gets the cycle's steps in order."""
        cycle = allykit.load_framework(data.draw(st.sampled_from(CYCLES)))
        session = plan_session(framework, steps=15, cycle=cycle)

        positions = [s.cycle_step.position for s in session]  # type: ignore[union-attr]
        size = len(cycle.stages)
        assert positions == [(i % size) + 1 for i in range(15)]
        for i in range(0, 15, size):
            assert len({_pool_key(s)[0] for s in session[i : i + size]}) == 1

    @given(seed=st.integers(0, 50))
    def test_spreads_across_characteristics(self, seed: int) -> None:
        """In a pass, no characteristic comes round again before the others."""
        model = allykit.load_framework("ally-model")
        session = plan_session(model, steps=13, focus="self-examination", seed=seed)

        firsts = [s.prompt.characteristics[0] for s in session]
        groups = Counter(
            p.characteristics[0] for p in model.prompts_for("self-examination")
        )
        seen: Counter[str] = Counter()
        for first in firsts:
            # Round-robin: a group is only taken again once every group that
            # still has prompts has been taken as often.
            level = seen[first]
            assert all(
                seen[other] >= level for other, size in groups.items() if size > level
            )
            seen[first] += 1

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), seed=st.integers(0, 3))
    def test_stages_visited_in_turn(self, framework: Framework, seed: int) -> None:
        """Without a cycle, consecutive steps go round the focus stages in order."""
        assume(_with_prompts(framework))
        session = plan_session(framework, steps=10, seed=seed)
        keys = [_pool_key(s)[0] for s in session]
        distinct = list(dict.fromkeys(keys))

        assert keys == [distinct[i % len(distinct)] for i in range(len(keys))]


class TestHistory:
    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), data=st.data())
    def test_json_round_trip(self, framework: Framework, data: st.DataObject) -> None:
        """A history survives a JSON round trip."""
        history = data.draw(histories_for(framework))

        assert History.from_json(history.to_json()) == history

    def test_bad_json(self) -> None:
        """A malformed history is a DataFileError with its location."""
        with pytest.raises(allykit.DataFileError, match=r"entries\[0\]\.prompt"):
            History.from_dict({"entries": [{"prompt": "Not An Id"}]})

    def test_committed_schema(self) -> None:
        """The shipped history schema equals the generated one."""
        import json

        from allykit.catalog import _resources

        committed = json.loads(_resources.read_schema("history.schema.json"))

        assert committed == allykit.reflection.history_json_schema()


class TestPlanFocus:
    def test_developmental_then_weakest(self, model: Framework) -> None:
        """Stages below the threshold come in developmental order, then weakest."""
        plan = plan_focus(
            model,
            profile={"self-examination": 90, "awareness-and-education": 70},
        )

        assert [i.stage.id for i in plan] == [
            "action",
            "awareness-and-education",
            "self-examination",
        ]
        assert "no score" in plan[0].reason

    def test_protocol_profile(self, model: Framework) -> None:
        """An object with profile_by_stage() works as a profile."""

        class Report:
            def profile_by_stage(self) -> dict[str, float | None]:
                return {"action": 10.0, "self-examination": 30.0}

        plan = plan_focus(model, profile=Report(), chosen="awareness-and-education")

        assert [i.stage.id for i in plan] == [
            "awareness-and-education",
            "self-examination",
            "action",
        ]
        assert plan[0].reason == "you chose to work on this stage"

    def test_bad_score(self, model: Framework) -> None:
        """A score outside 0-100 is an InvalidArgumentError."""
        with pytest.raises(InvalidArgumentError, match="0-100"):
            plan_focus(model, profile={"action": 101})

    @settings(max_examples=_EXAMPLES)
    @given(framework=frameworks(), data=st.data())
    def test_plan_properties(self, framework: Framework, data: st.DataObject) -> None:
        """A plan is a permutation: chosen, developing in order, then weakest."""
        profile = data.draw(profiles_for(framework))
        chosen = data.draw(
            st.lists(st.sampled_from([s.id for s in framework.stages]), max_size=2)
            if framework.stages
            else st.just([])
        )

        plan = plan_focus(framework, profile=profile, chosen=chosen)

        assert sorted(i.stage.position for i in plan) == list(
            range(1, len(framework.stages) + 1)
        )
        assert [i.stage.id for i in plan[: len(set(chosen))]] == list(
            dict.fromkeys(chosen)
        )
        rest = list(plan[len(set(chosen)) :])
        below = [i for i in rest if i.score is not None and i.score < 60]
        above = [i for i in rest if i.score is not None and i.score >= 60]
        assert below == rest[: len(below)]
        assert [i.stage.position for i in below] == sorted(
            i.stage.position for i in below
        )
        assert above == rest[len(rest) - len(above) :]
        assert [(i.score, i.stage.position) for i in above] == sorted(
            (i.score, i.stage.position) for i in above
        )


_anything = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=20),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.floats(),
)


class TestFuzz:
    @given(
        history=_anything,
        focus=_anything,
        cycle=_anything,
        seed=_anything,
        tags=_anything,
        kinds=_anything,
    )
    def test_next_step_raises_only_allykit_errors(  # noqa: PLR0913, PLR0917 -- fuzzed
        self,
        history: Any,
        focus: Any,
        cycle: Any,
        seed: Any,
        tags: Any,
        kinds: Any,
    ) -> None:
        """Arbitrary arguments give a step or an AllykitError, nothing else."""
        model = allykit.load_framework("ally-model")
        try:
            step = next_step(
                model,
                history,
                focus=focus,
                cycle=cycle,
                seed=seed,
                tags=tags,
                kinds=kinds,
            )
        except AllykitError:
            return
        assert isinstance(step, allykit.Step)

    @given(profile=_anything, chosen=_anything, developed_at=_anything)
    def test_plan_focus_raises_only_allykit_errors(
        self, profile: Any, chosen: Any, developed_at: Any
    ) -> None:
        """Arbitrary arguments give a plan or an AllykitError, nothing else."""
        model = allykit.load_framework("ally-model")
        try:
            plan_focus(model, profile=profile, chosen=chosen, developed_at=developed_at)
        except AllykitError:
            return

    @given(value=_anything)
    def test_other_functions(self, value: Any) -> None:
        """Stage helpers and plan_session reject bad arguments with AllykitError."""
        model = allykit.load_framework("ally-model")
        for call in (
            lambda: next_stage(model, value),
            lambda: previous_stage(model, value),
            lambda: allykit.reflection.stage_position(value, "action"),
            lambda: plan_session(model, steps=value),
            lambda: render_prompt(model.prompts[0], value),
            lambda: History().append(value),
        ):
            with contextlib.suppress(AllykitError):
                call()


# -- deprecated ids in histories ---------------------------------------------


def _replaced(value: Any, renames: dict[str, str]) -> Any:
    """Return plain data with every string equal to an old id renamed."""
    if isinstance(value, str):
        return renames.get(value, value)
    if isinstance(value, list):
        return [_replaced(v, renames) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, renames) for k, v in value.items()}
    return value


def _renamed(
    framework: Framework, collection: str, renames: dict[str, str]
) -> Framework:
    """Return a later release of *framework* with *renames* deprecated, as shipped."""
    data = _replaced(framework.to_dict(), renames)
    data["data_version"] = "9.0.0"
    data["deprecated_ids"] = [
        *data.get("deprecated_ids", []),
        *(
            {"collection": collection, "id": old, "replaced_by": new, "since": "9.0.0"}
            for old, new in renames.items()
        ),
    ]
    return allykit.Framework.from_dict(data, source=f"{framework.id} 9.0.0")


def _quietly(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
    """Call *function*, returning its result and the warnings it issued."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    return result, list(caught)


def _shape(step: Any) -> tuple[Any, ...]:
    return (
        step.prompt.id,
        step.stage,
        step.cycle_step,
        step.round,
        step.unknown_prompts,
    )


class TestDeprecatedIds:
    @settings(max_examples=_EXAMPLES)
    @given(
        seed=st.integers(0, 5),
        steps=st.integers(0, 30),
        cycle_id=st.sampled_from([None, "gibbs-reflective-cycle"]),
        data=st.data(),
    )
    def test_same_step_as_the_migrated_history(
        self, seed: int, steps: int, cycle_id: str | None, data: st.DataObject
    ) -> None:
        """A history with deprecated ids gives the step its migration gives.

        And that step is the one the old release gave, renamed: a prompt
        seen under its old id is not shown again.
        """
        import warnings

        model = allykit.load_framework("ally-model")
        cycle = allykit.load_framework(cycle_id) if cycle_id else None
        history = History(
            entries=tuple(
                step.entry()
                for step in plan_session(model, steps=steps, seed=seed, cycle=cycle)
            )
        )
        owner = cycle or model
        old_ids = data.draw(
            st.lists(st.sampled_from([p.id for p in owner.prompts]), unique=True)
        )
        renames: dict[str, str] = {old: f"renamed-{old}" for old in old_ids}
        newer_owner = _renamed(owner, "prompts", renames)
        newer, newer_cycle = (
            (model, newer_owner) if cycle is not None else (newer_owner, None)
        )

        direct, caught = _quietly(
            next_step, newer, history, seed=seed, cycle=newer_cycle
        )
        migrated = history.migrate(newer, cycle=newer_cycle)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            via_migration = next_step(newer, migrated, seed=seed, cycle=newer_cycle)
        before = next_step(model, history, seed=seed, cycle=cycle)

        assert _shape(direct) == _shape(via_migration)
        assert direct.prompt.id == renames.get(before.prompt.id, before.prompt.id)
        used = list(
            dict.fromkeys(e.prompt for e in history.entries if e.prompt in renames)
        )
        assert list(direct.deprecated_ids) == used
        assert via_migration.deprecated_ids == ()
        assert [type(w.message) for w in caught] == [
            allykit.errors.AllykitDeprecationWarning
        ] * len(used)
        assert all(e.prompt not in renames for e in migrated.entries)
        assert len(migrated) == len(history)

    def test_warning_names_the_replacement_and_the_caller(
        self, model: Framework
    ) -> None:
        """The warning reads like a lookup's, and points at the caller's line."""
        first = model.prompts[0].id
        newer = _renamed(model, "prompts", {first: "a-new-name"})
        history = History(entries=(HistoryEntry(prompt=first),))

        step, caught = _quietly(next_step, newer, history)

        assert step.deprecated_ids == (first,)
        assert "1 deprecated id in the history was read as its replacement" in (
            step.reason
        )
        message = str(caught[0].message)
        assert f"prompt id {first!r} of framework 'ally-model'" in message
        assert "deprecated since 9.0.0; use 'a-new-name'" in message
        assert "history.migrate(framework)" in message
        assert caught[0].filename == __file__

    def test_deprecated_stage_in_a_cycle_history(self, model: Framework) -> None:
        """A renamed stage in cycle entries counts under its replacement."""
        gibbs = allykit.load_framework("gibbs-reflective-cycle")
        session = plan_session(model, steps=3, cycle=gibbs, focus="action")
        history = History(entries=tuple(step.entry() for step in session))
        newer = _renamed(model, "stages", {"action": "acting"})

        step, caught = _quietly(next_step, newer, history, cycle=gibbs, focus="acting")
        migrated = history.migrate(newer, cycle=gibbs)
        again = next_step(newer, migrated, cycle=gibbs, focus="acting")

        assert step.deprecated_ids == ("action",)
        assert "stage id 'action'" in str(caught[0].message)
        assert step.cycle_step == again.cycle_step
        assert step.cycle_step is not None
        assert step.cycle_step.position == 4
        assert {e.stage for e in migrated.entries} == {"acting"}

    def test_migrate_keeps_what_it_cannot_replace(self, model: Framework) -> None:
        """Retired ids without a replacement and other frameworks' entries stay."""
        first = model.prompts[0].id
        newer = _renamed(model, "prompts", {first: "a-new-name"})
        entries = (
            HistoryEntry(prompt=first, framework=model.id),
            HistoryEntry(prompt=PromptId("gone-for-good")),
            HistoryEntry(prompt=first, framework=FrameworkId("another-framework")),
            HistoryEntry(prompt=first, cycle=FrameworkId("gibbs-reflective-cycle")),
        )

        migrated = History(entries=entries).migrate(newer)

        assert [e.prompt for e in migrated.entries] == [
            "a-new-name",
            "gone-for-good",
            first,
            first,
        ]
        assert History.from_json(migrated.to_json()) == migrated

    def test_migrate_without_deprecations_is_the_same_history(
        self, model: Framework
    ) -> None:
        """Nothing to replace: the same object comes back."""
        history = History(
            entries=tuple(s.entry() for s in plan_session(model, steps=4))
        )

        assert history.migrate(model) is history

    @pytest.mark.parametrize(
        "arguments",
        [{"framework": "ally-model"}, {"cycle": "gibbs-reflective-cycle"}],
        ids=["framework", "cycle"],
    )
    def test_migrate_needs_frameworks(
        self, model: Framework, arguments: dict[str, Any]
    ) -> None:
        """migrate() takes Framework objects and says so."""
        given_arguments = {"framework": model, **arguments}

        with pytest.raises(InvalidArgumentError, match="must be a Framework"):
            History().migrate(**given_arguments)


# -- the set-at-a-time replay against a per-entry reference ------------------


def _reference_state(index: Any, seed: int, history: History) -> Any:
    """Replay *history* entry by entry, as sequencing did before 2026-11.

    Kept as the specification of the optimised replay: fold each entry into
    the pools (the same per-entry steps ``History.append`` still takes).
    """
    from allykit.reflection import _engine as engine

    pools: dict[Any, Any] = {}
    unknown: list[PromptId] = []
    deprecated: tuple[tuple[str, str], ...] = ()
    last = None
    for entry in history.entries:
        seen = engine._classify(index, entry)
        if seen.missing:
            unknown.append(entry.prompt)
        if seen.deprecated:
            deprecated = engine._merged(deprecated, seen.deprecated)
        if seen.key is not None:
            pools[seen.key] = engine._advance(
                index, seed, seen.key, pools.get(seen.key, engine.Pool()), seen.prompt
            )
            last = seen.key
    return engine.State(
        index=index,
        seed=seed,
        pools=pools,
        last=last,
        unknown=tuple(unknown),
        deprecated=deprecated,
    )


def _pooled_framework(sizes: list[int], general: int, renamed: int) -> Framework:
    """Return a framework with stages of *sizes* prompts, *general* stageless ones.

    The first *renamed* prompts of the first stage, and that stage, are
    renamed: their old ids are deprecated with live replacements.
    """
    from allykit import Licence, ReflectivePrompt, Stage
    from allykit.models.framework import (
        Citation,
        CitationId,
        DeprecatedId,
        ItemId,
        StageId,
    )

    stages = tuple(
        Stage(id=StageId(f"s-{n}"), name=f"S{n}", position=n + 1, summary="A stage.")
        for n in range(len(sizes))
    )
    prompts = [
        ReflectivePrompt(
            id=PromptId(f"p-{n}-{i}"), text=f"Prompt {n} {i}?", stage=stages[n].id
        )
        for n, size in enumerate(sizes)
        for i in range(size)
    ]
    prompts += [
        ReflectivePrompt(id=PromptId(f"g-{i}"), text=f"General {i}?")
        for i in range(general)
    ]
    deprecated = tuple(
        DeprecatedId(
            collection="prompts",
            id=ItemId(f"old-p-0-{i}"),
            replaced_by=ItemId(f"p-0-{i}"),
            since="9.0.0",
        )
        for i in range(min(renamed, sizes[0]))
    )
    if renamed:
        deprecated += (
            DeprecatedId(
                collection="stages",
                id=ItemId("old-s-0"),
                replaced_by=ItemId("s-0"),
                since="9.0.0",
            ),
        )
    return Framework(
        id=FrameworkId("pooled"),
        name="Pooled",
        summary="Pools of chosen sizes.",
        kind="stage-model",
        licence=Licence(spdx=None, note="test"),
        citations=(
            Citation(id=CitationId("none"), authors=("none",), year=None, title="T"),
        ),
        stages=stages,
        prompts=tuple(prompts),
        deprecated_ids=deprecated,
    )


class TestReplay:
    @settings(max_examples=_EXAMPLES * 4, deadline=None)
    @given(
        sizes=st.lists(st.sampled_from([1, 2, 3, 31, 32, 40]), min_size=1, max_size=3),
        general=st.sampled_from([0, 0, 2, 33]),
        renamed=st.sampled_from([0, 0, 2]),
        use_cycle=st.booleans(),
        seed=st.integers(0, 3),
        data=st.data(),
    )
    def test_same_state_and_step_as_the_reference(  # noqa: PLR0913, PLR0917 -- drawn
        self,
        sizes: list[int],
        general: int,
        renamed: int,
        use_cycle: bool,
        seed: int,
        data: st.DataObject,
    ) -> None:
        """The set-at-a-time replay gives the state and step of the per-entry one."""
        from allykit.reflection import _engine as engine
        from allykit.reflection._sequencing import _filter, _focus_keys

        framework = _pooled_framework(sizes, general, renamed)
        cycle = allykit.load_framework("gibbs-reflective-cycle") if use_cycle else None
        stage_ids = [s.id for s in framework.stages]
        focus = data.draw(
            st.one_of(st.none(), st.lists(st.sampled_from(stage_ids), min_size=1))
        )
        kinds = data.draw(st.sampled_from([None, ["question"], ["scenario"]]))
        assume(kinds != ["scenario"])  # every generated prompt is a question
        planned = plan_session(
            framework,
            steps=data.draw(st.one_of(st.integers(0, 150), st.sampled_from([32, 40]))),
            seed=data.draw(st.integers(0, 3)),
            focus=focus,
            cycle=cycle,
        )
        entries = [step.entry() for step in planned]
        prompt_ids: list[str] = [p.id for p in framework.prompts]
        prompt_ids += [d.id for d in framework.deprecated_ids]
        prompt_ids += ["gone-1", "gone-2"]
        if cycle is not None:
            prompt_ids += [p.id for p in cycle.prompts]
        # Plain noise (this framework, no cycle) keeps the prompt-only path.
        plain = data.draw(st.booleans())
        noise = st.builds(
            HistoryEntry,
            prompt=st.sampled_from(prompt_ids),
            stage=st.sampled_from([None, "old-s-0", "gone-stage", *stage_ids]),
            framework=st.sampled_from([None, "pooled", *([] if plain else ["other"])]),
            cycle=st.sampled_from(
                [None]
                if plain
                else [None, "other-cycle", *([cycle.id] * 2 if cycle else [])]
            ),
        )
        for entry in data.draw(st.lists(noise, max_size=30)):
            entries.insert(data.draw(st.integers(0, len(entries))), entry)
        if data.draw(st.booleans()):
            entries = data.draw(st.permutations(entries))
        history = History(entries=tuple(entries))

        index = engine.index_for(
            framework,
            cycle,
            _focus_keys(framework, focus),
            None,
            _filter(kinds, "kinds"),
        )
        expected = _reference_state(index, seed, history)
        assert engine.replay(index, seed, history.entries) == expected

        got, got_warnings = _quietly(
            next_step,
            framework,
            history,
            focus=focus,
            cycle=cycle,
            seed=seed,
            kinds=kinds,
        )
        reference = History(entries=history.entries)
        reference._states[id(index), seed] = expected
        want, want_warnings = _quietly(
            next_step,
            framework,
            reference,
            focus=focus,
            cycle=cycle,
            seed=seed,
            kinds=kinds,
        )
        assert got == want
        assert [str(w.message) for w in got_warnings] == [
            str(w.message) for w in want_warnings
        ]
