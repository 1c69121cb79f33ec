"""SurveyJS's own engine (npm ``survey-core``) scores our forms as score() does.

``.ci/run`` installs ``survey-core`` with npm and names its ``node_modules``
folder in ``ALLYKIT_SURVEY_CORE``; ``tests/data/surveyjs/score.js`` loads each
exported form into a ``Survey.Model``, sets the answers and reports the
calculated values, the survey's data and the rendered (processed) texts.
One Node process serves the whole test session.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import allykit
from allykit import Instrument
from allykit.scoring._plan import NA, plan_for, resolve
from allykit.surveys import to_surveyjs
from allykit.testing import instruments, responses_for

pytestmark = pytest.mark.reference

_SCRIPT = Path(__file__).parents[1] / "data" / "surveyjs" / "score.js"


class SurveyCore:
    """A Node process running score.js: batches of cases in, results out."""

    def __init__(self, node: str, node_path: str) -> None:
        self.process = subprocess.Popen(  # noqa: S603 -- our script
            [node, str(_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "NODE_PATH": node_path},
        )

    def run(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return survey-core's results for *cases* (form, answers, then)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(cases) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "survey-core's Node process ended"
        results: list[dict[str, Any]] = json.loads(line)
        return results

    def close(self) -> None:
        """End the Node process."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="session")
def survey_core() -> Iterator[SurveyCore]:
    """Yield a running survey-core, or skip saying how to install it."""
    node = shutil.which("node")
    node_path = os.environ.get("ALLYKIT_SURVEY_CORE", "")
    if node is None or not (Path(node_path) / "survey-core").is_dir():
        pytest.skip(
            "survey-core is not installed: .ci/run installs it with npm "
            "('npm install survey-core') and sets ALLYKIT_SURVEY_CORE to the "
            "node_modules folder (needs node on PATH)"
        )
    engine = SurveyCore(node, node_path)
    yield engine
    engine.close()


# -- answers as SurveyJS stores them -------------------------------------------


def _resolved(instrument: Instrument, responses: Mapping[str, Any]) -> dict[str, Any]:
    values, _ = resolve(plan_for(instrument), responses, raise_on_problems=True)
    return {
        item.id: value for item, value in zip(instrument.items, values, strict=True)
    }


def _answers(
    instrument: Instrument,
    form: Mapping[str, Any],
    responses: Mapping[str, Any],
    pick: Callable[[list[Any]], Any],
) -> dict[str, Any]:
    """Return the answers as SurveyJS values: choice values, an N/A choice, none."""
    resolved = _resolved(instrument, responses)
    data: dict[str, Any] = {}
    for question in form["pages"][0]["elements"]:
        item = instrument.item(question["name"])
        options = item.response_scale or instrument.response_scale
        assert options is not None
        values = [c["value"] for c in question.get("choices") or question["rateValues"]]
        value = resolved[item.id]
        if value is NA:
            data[item.id] = pick(values[len(options.choices) :])
        elif value is not None:
            data[item.id] = value
    return data


def _decimal(instrument: Instrument, factor: float, weight: float) -> Instrument:
    """Return *instrument* with every value times *factor* and other weights.

    Values such as 0.1, 0.3 and 0.7 are not exact in binary, so SurveyJS's
    decimal correction of sums changes the last bits; bands are dropped.
    """
    data = instrument.to_dict()

    def scaled(options: dict[str, Any]) -> None:
        for choice in options["choices"]:
            choice["value"] = round(choice["value"] * factor, 10)
        for alias in options.get("aliases", []):
            alias["value"] = round(alias["value"] * factor, 10)
        options["min"] = options["choices"][0]["value"]
        options["max"] = options["choices"][-1]["value"]
        options["not_applicable_values"] = [
            round(v * factor, 10) for v in options.get("not_applicable_values", [])
        ]

    scaled(data["response_scale"])
    for item in data["items"]:
        if item.get("response_scale"):
            scaled(item["response_scale"])
        if item.get("weight", 1.0) != 1.0:
            item["weight"] = weight
    data["bands"] = []
    return Instrument.from_dict(data)


def _withheld(value: Any) -> bool:
    return value is None or value == ""


def _assert_same(
    instrument: Instrument,
    responses: Mapping[str, Any],
    result: Mapping[str, Any],
    *,
    record: bool = True,
) -> None:
    assert "error" not in result, result["error"]
    report = allykit.score(instrument, responses)
    for entry in report.scales:
        value = result["values"][f"{entry.scale}-score"]
        if record:
            event("withheld" if entry.score is None else f"scored by {entry.method}")
        if entry.score is None:
            assert _withheld(value), (entry, value)
        else:
            assert isinstance(value, (int, float)), (entry, value)
            assert not isinstance(value, bool)
            assert math.isclose(value, entry.score, rel_tol=0, abs_tol=1e-9), (
                entry,
                value,
            )


_BATCH = st.integers(min_value=4, max_value=12)


class TestSurveyCoreScoresEqualScore:
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data(), size=_BATCH, rating=st.booleans())
    def test_generated_instruments_and_answers(
        self, survey_core: SurveyCore, data: st.DataObject, size: int, rating: bool
    ) -> None:
        """N/A, missing, reverse keys, weights, every method: equal to 1e-9."""
        cases = []
        for _ in range(size):
            instrument = data.draw(instruments())
            responses = data.draw(responses_for(instrument))
            form = to_surveyjs(
                instrument, question_type="rating" if rating else "radiogroup"
            )
            answers = _answers(
                instrument, form, responses, lambda v: data.draw(st.sampled_from(v))
            )
            cases.append((instrument, responses, {"form": form, "answers": answers}))

        results = survey_core.run([case for _, _, case in cases])

        for (instrument, responses, _), result in zip(cases, results, strict=True):
            _assert_same(instrument, responses, result)

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        data=st.data(),
        size=_BATCH,
        factor=st.sampled_from([0.1, 0.3, 0.7]),
        weight=st.sampled_from([0.1, 0.3, 1.7]),
    )
    def test_values_and_weights_not_exact_in_binary(
        self,
        survey_core: SurveyCore,
        data: st.DataObject,
        size: int,
        factor: float,
        weight: float,
    ) -> None:
        """With values such as 0.1 and 0.3, SurveyJS's rounding stays within 1e-9."""
        cases = []
        for _ in range(size):
            instrument = _decimal(data.draw(instruments()), factor, weight)
            responses = data.draw(responses_for(instrument))
            form = to_surveyjs(instrument)
            answers = _answers(
                instrument, form, responses, lambda v: data.draw(st.sampled_from(v))
            )
            cases.append((instrument, responses, {"form": form, "answers": answers}))

        results = survey_core.run([case for _, _, case in cases])

        for (instrument, responses, _), result in zip(cases, results, strict=True):
            _assert_same(instrument, responses, result)

    def test_bundled_inventories(self, survey_core: SurveyCore) -> None:
        """Boundaries on the bundled inventories: all lowest, all highest, all N/A."""
        cases = []
        for instrument_id in ("ally-model-reflection", "action-continuum-scenarios"):
            instrument = allykit.load_instrument(instrument_id)
            form = to_surveyjs(instrument)
            for pick in (0, -1, "na", "three"):
                responses: dict[str, Any] = {}
                for index, item in enumerate(instrument.items):
                    options = item.response_scale or instrument.response_scale
                    assert options is not None
                    if pick == "na" and options.not_applicable:
                        responses[item.id] = options.not_applicable[0]
                    elif pick == "three":
                        if index < 3:
                            responses[item.id] = options.choices[1].value
                    elif isinstance(pick, int):
                        responses[item.id] = options.choices[pick].value
                answers = _answers(instrument, form, responses, lambda v: v[0])
                cases.append(
                    (instrument, responses, {"form": form, "answers": answers})
                )

        results = survey_core.run([case for _, _, case in cases])

        for (instrument, responses, _), result in zip(cases, results, strict=True):
            _assert_same(instrument, responses, result, record=False)


class TestWithheldInResults:
    def test_a_score_computed_then_withheld_is_an_empty_string(
        self, survey_core: SurveyCore
    ) -> None:
        """As docs/surveys.md says: '' in the results once computed, else absent."""
        inventory = allykit.load_instrument("ally-model-reflection")
        form = to_surveyjs(inventory)
        answers = {
            "ac-speak-up": 5,
            "ac-keep-the-peace": 2,
            "ac-practical-support": 4,
            "ac-act-with-others": 3,
        }
        cleared = {"ac-speak-up": None, "ac-keep-the-peace": None}

        (result,) = survey_core.run(
            [{"form": form, "answers": answers, "then": cleared}]
        )

        assert result["data"]["action-score"] == ""
        assert "self-examination-score" not in result["data"]
        imported = allykit.surveys.load_surveyjs_results(
            [result["data"]],
            fields={item.id: item.id for item in inventory.items},
            instrument=inventory,
            strict=False,
        )
        assert imported.score_fields == ("action-score",)
        assert allykit.score(inventory, imported.rows[0]).scale("action").score is None


def _with_piping_text(instrument: Instrument) -> Instrument:
    """Return *instrument* whose texts name its own questions in braces."""
    data = instrument.to_dict()
    first = data["items"][0]["id"]
    data["name"] = f"Form {{{first}}} {{locale}}"
    data["items"][0]["text"] = f"Rate {{{first}}} and {{pageno}}"
    data["response_scale"]["choices"][0]["label"] = f"Low {{{first}}}"
    data["response_scale"]["not_applicable"] = ["N/A {" + first + "-score}"]
    return Instrument.from_dict(data)


class TestTextIsNotPiped:
    def test_braces_show_as_written_and_scores_still_agree(
        self, survey_core: SurveyCore
    ) -> None:
        """survey-core shows {name} in every text as written, answered or not."""
        instrument = _with_piping_text(allykit.load_instrument("ally-model-reflection"))
        form = to_surveyjs(instrument)
        first = instrument.items[0]
        low = form["pages"][0]["elements"][0]["choices"][0]["value"]
        responses: dict[str, Any] = {item.id: low for item in instrument.items}
        responses[instrument.items[1].id] = "N/A {" + first.id + "-score}"

        results = survey_core.run(
            [
                {"form": form, "answers": {}},
                {
                    "form": form,
                    "answers": _answers(instrument, form, responses, lambda v: v[0]),
                },
            ]
        )

        for result in results:
            assert "error" not in result, result["error"]
            shown = result["titles"][0]
            visible = [text.replace("\u2060", "") for text in shown["choices"]]
            assert shown["title"].replace("\u2060", "") == first.text
            assert visible[0] == f"Low {{{first.id}}}"
            assert visible[-1] == "N/A {" + first.id + "-score}"
            assert result["title"].replace("\u2060", "") == instrument.name
        _assert_same(instrument, responses, results[1], record=False)
