"""Fuzz the public API: bad input raises only allykit errors, never raw ones.

Each test calls public functions with arbitrary or mutated arguments
(arbitrary JSON documents, mostly-invalid answer mappings, values of the
wrong type for every parameter, arbitrary CSV and JSON files) and accepts
a result or an :class:`allykit.AllykitError`; any other exception fails.
Where the caller passes a mutable object, it must come back unchanged.
"""

from __future__ import annotations

import copy
import importlib.util
import inspect
import io
import json
import math
import pickle
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import allykit
import allykit.scoring.frames  # named below (not an attribute until imported)
from allykit import AllykitError, Framework, History, Instrument
from allykit.models.crosswalk import ProfileTranslation
from allykit.testing import (
    bad_values,
    frameworks,
    fuzzed_responses,
    instruments,
    json_values,
    responses_for,
)

# Fuzzed answers often give figures R psych would warn about; the
# ReliabilityWarning is tested in tests/scoring/test_diagnostics.py, here
# only errors matter.
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")


def _quiet(make: Callable[[], Any]) -> Any:
    """Run *make* without ReliabilityWarning (module level: no pytestmark)."""
    import warnings

    from allykit.errors import ReliabilityWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        return make()


# Modest example counts keep the suite fast: half the profile's (30 by
# default); ALLYKIT_HYPOTHESIS=patience (see conftest.py) runs 500.
_FEW = settings(
    max_examples=max(1, settings().max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

_FRAMEWORK = allykit.load_framework("ally-model")
_INSTRUMENT = allykit.load_instrument("ally-model-reflection")
_STAGE = _FRAMEWORK.stages[0].id


def _same(value: Any) -> Any:
    """Return a comparable snapshot of *value* (NaN- and huge-int-safe)."""
    return pickle.dumps(value)


def _dumps(value: Any) -> str:
    """Return *value* as JSON text, or a placeholder JSON can't hold it."""
    try:
        return json.dumps(value, default=repr)
    except ValueError:  # an int over 4300 digits
        return "{}"


def _only_allykit_errors(call: Callable[[], Any]) -> Any:
    """Run *call*; return its result or None if it raised an allykit error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = call()
            if inspect.isgenerator(result) or isinstance(result, Iterator):
                return list(result)
        except AllykitError as error:
            assert str(error), "an allykit error must say what was wrong"
            return None
        else:
            return result


# --- documents: arbitrary JSON to every from_json / mapping loader -----------

_DOCUMENT_LOADERS: dict[str, Callable[[Any], Any]] = {
    "Framework.from_dict": allykit.Framework.from_dict,
    "Instrument.from_dict": allykit.Instrument.from_dict,
    "Crosswalk.from_dict": allykit.Crosswalk.from_dict,
    "History.from_dict": History.from_dict,
    "ScoreReport.from_dict": allykit.ScoreReport.from_dict,
    "ReliabilityReport.from_dict": allykit.ReliabilityReport.from_dict,
    "ChangeReport.from_dict": allykit.scoring.ChangeReport.from_dict,
    "AllyMap.from_dict": allykit.reflection.AllyMap.from_dict,
    "ProfileTranslation.from_dict": ProfileTranslation.from_dict,
    "merge_item_text": lambda doc: allykit.catalog.merge_item_text(_INSTRUMENT, doc),
}
_TEXT_LOADERS: dict[str, Callable[[Any], Any]] = {
    "ChangeReport.from_json": allykit.scoring.ChangeReport.from_json,
    "History.from_json": History.from_json,
    "ScoreReport.from_json": allykit.ScoreReport.from_json,
    "ReliabilityReport.from_json": allykit.ReliabilityReport.from_json,
    "Instrument.from_json": Instrument.from_json,
    "Framework.from_json": Framework.from_json,
}


@_FEW
@given(name=st.sampled_from(sorted(_DOCUMENT_LOADERS)), document=json_values())
def test_arbitrary_documents(name: str, document: Any) -> None:
    """Any JSON value given as a document loads or raises an allykit error."""
    before = _same(document)
    _only_allykit_errors(lambda: _DOCUMENT_LOADERS[name](document))
    assert _same(document) == before


@_FEW
@given(name=st.sampled_from(sorted(_DOCUMENT_LOADERS)), value=bad_values())
def test_wrong_document_types(name: str, value: Any) -> None:
    """A non-mapping where a document belongs raises an allykit error."""
    _only_allykit_errors(lambda: _DOCUMENT_LOADERS[name](value))


@_FEW
@given(
    name=st.sampled_from(sorted(_TEXT_LOADERS)),
    text=json_values().map(_dumps) | st.text(max_size=40) | bad_values(),
)
def test_arbitrary_json_text(name: str, text: Any) -> None:
    """Any JSON text (or a non-text) to a from_json raises an allykit error."""
    _only_allykit_errors(lambda: _TEXT_LOADERS[name](text))


def _mutate(document: Any, data: st.DataObject) -> None:
    """Replace one value somewhere inside *document* with a bad value."""
    target = document
    for step in data.draw(st.lists(st.integers(0, 20), min_size=1, max_size=4)):
        children = (
            [target[k] for k in sorted(target)] if isinstance(target, dict) else target
        )
        nested = [c for c in children if isinstance(c, (dict, list)) and c]
        if not nested:
            break
        target = nested[step % len(nested)]
    value = data.draw(bad_values())
    if isinstance(target, dict) and target:
        keys = sorted(target)
        target[keys[data.draw(st.integers(0, len(keys) - 1))]] = value
    elif isinstance(target, list) and target:
        target[data.draw(st.integers(0, len(target) - 1))] = value


@_FEW
@given(instrument=instruments(max_items=4), data=st.data())
def test_mutated_instrument_document(instrument: Instrument, data: Any) -> None:
    """Corrupting one field of a valid instrument gives an allykit error."""
    document = instrument.to_dict()
    _mutate(document, data)
    _only_allykit_errors(lambda: allykit.Instrument.from_dict(document))


_ROWS = [{i.id: 3 for i in _INSTRUMENT.items}, {i.id: 4 for i in _INSTRUMENT.items}]
_ROWS[1][_INSTRUMENT.items[0].id] = 1
_REPORTS: dict[
    str, tuple[Callable[[Any], Any], Callable[[Any], Any], dict[str, Any]]
] = {
    "score": (
        allykit.ScoreReport.from_dict,
        allykit.ScoreReport.from_json,
        allykit.score(_INSTRUMENT, _ROWS[0]).to_dict(),
    ),
    "reliability": (
        allykit.ReliabilityReport.from_dict,
        allykit.ReliabilityReport.from_json,
        _quiet(lambda: allykit.reliability(_INSTRUMENT, _ROWS * 2).to_dict()),
    ),
}


@_FEW
@given(kind=st.sampled_from(sorted(_REPORTS)), data=st.data())
def test_mutated_reports(kind: str, data: Any) -> None:
    """Corrupting one field of a saved score or reliability report."""
    from_dict, from_json, saved = _REPORTS[kind]
    document = copy.deepcopy(saved)
    _mutate(document, data)
    _only_allykit_errors(lambda: from_dict(document))
    _only_allykit_errors(lambda: from_json(_dumps(document)))


@_FEW
@given(framework=frameworks(), data=st.data())
def test_mutated_history(framework: Framework, data: Any) -> None:
    """A corrupted saved history raises an allykit error, and migrates safely."""
    history = History(
        entries=tuple(
            allykit.reflection.HistoryEntry(prompt=p.id, stage=p.stage)
            for p in framework.prompts[:3]
        )
    )
    document = history.to_dict()
    _mutate(document, data)
    loaded = _only_allykit_errors(lambda: History.from_dict(document))
    if loaded is not None:
        _only_allykit_errors(lambda: loaded.migrate(framework))
    _only_allykit_errors(lambda: history.migrate(data.draw(bad_values())))


# --- answers: score, score_many, reliability --------------------------------


@_FEW
@given(instrument=instruments(max_items=5), data=st.data())
@example(instrument=_INSTRUMENT, data=None)
def test_score_arbitrary_responses(instrument: Instrument, data: Any) -> None:
    """score() and score_many() read any mapping or raise an allykit error."""
    if data is None:  # the explicit example: every nasty value on one item
        answers_list: list[dict[Any, Any]] = [
            {instrument.items[0].id: value}
            for value in (math.nan, math.inf, 10**400, True, [[1]], {1: 2}, b"x")
        ] + [{1: 2}, {None: 1}, {("a",): 1}]
    else:
        answers_list = data.draw(
            st.lists(
                fuzzed_responses(instrument) | responses_for(instrument), max_size=3
            )
        )
    for answers in answers_list:
        before = _same(answers)
        for invalid in ("raise", "missing"):
            _only_allykit_errors(
                lambda a=answers, i=invalid: allykit.score(instrument, a, invalid=i)  # type: ignore[misc]
            )
        assert _same(answers) == before
    before = _same(answers_list)
    _only_allykit_errors(lambda: allykit.score_many(instrument, answers_list))
    _only_allykit_errors(lambda: allykit.reliability(instrument, answers_list))
    _only_allykit_errors(
        lambda: allykit.reliability(
            instrument, answers_list, missing="pairwise", invalid="missing"
        )
    )
    assert _same(answers_list) == before


@_FEW
@given(rows=bad_values() | st.lists(bad_values(), max_size=3))
def test_wrong_row_types(rows: Any) -> None:
    """Rows that are not mappings (or not iterable) raise allykit errors."""
    before = _same(rows)
    _only_allykit_errors(lambda: allykit.score(_INSTRUMENT, rows))
    _only_allykit_errors(lambda: allykit.score_many(_INSTRUMENT, rows))
    _only_allykit_errors(lambda: allykit.reliability(_INSTRUMENT, rows))
    assert _same(rows) == before


# --- wrong types for every parameter ----------------------------------------

_GOOD_ROW = {i.id: 3 for i in _INSTRUMENT.items}
_ITEM = _INSTRUMENT.items[0].id


class _Fresh:
    """A good argument made anew for each call (a file object is used up)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


_CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "score": (allykit.score, {"instrument": _INSTRUMENT, "responses": _GOOD_ROW}),
    "score_many": (
        allykit.score_many,
        {"instrument": _INSTRUMENT, "rows": [_GOOD_ROW]},
    ),
    "reliability": (
        allykit.reliability,
        {"instrument": _INSTRUMENT, "rows": [_GOOD_ROW, _GOOD_ROW]},
    ),
    "score_columns": (
        allykit.scoring.frames.score_columns,
        {"instrument": _INSTRUMENT},
    ),
    "merge_item_text": (
        allykit.catalog.merge_item_text,
        {"instrument": _INSTRUMENT, "supplied": {}},
    ),
    "to_surveyjs": (allykit.surveys.to_surveyjs, {"instrument": _INSTRUMENT}),
    "to_redcap_dictionary": (
        allykit.surveys.to_redcap_dictionary,
        {"instrument": _INSTRUMENT},
    ),
    "to_reproschema": (allykit.surveys.to_reproschema, {"instrument": _INSTRUMENT}),
    "load_framework": (allykit.load_framework, {"framework_id": "ally-model"}),
    "load_instrument": (allykit.load_instrument, {"instrument_id": _INSTRUMENT.id}),
    "load_scale": (
        allykit.catalog.load_scale,
        {"scale_id": allykit.catalog.available_scales()[0]},
    ),
    "load_crosswalk": (
        allykit.catalog.load_crosswalk,
        {"crosswalk_id": allykit.catalog.available_crosswalks()[0]},
    ),
    "load_framework_file": (allykit.load_framework_file, {"path": "missing.json"}),
    "load_instrument_file": (allykit.load_instrument_file, {"path": "missing.json"}),
    "load_crosswalk_file": (
        allykit.catalog.load_crosswalk_file,
        {"path": "missing.json"},
    ),
    "Framework.from_json": (
        allykit.Framework.from_json,
        {"text": json.dumps(_FRAMEWORK.to_dict())},
    ),
    "get_framework": (allykit.get_framework, {"framework_id": "ally-model"}),
    "get_instrument": (
        allykit.catalog.get_instrument,
        {"instrument_id": _INSTRUMENT.id},
    ),
    "crosswalks_between": (
        allykit.crosswalks.crosswalks_between,
        {"a": "ally-model", "b": "ally-development-levels"},
    ),
    "map_stage": (
        allykit.map_stage,
        {
            "from_framework": "ally-model",
            "stage": _STAGE,
            "to_framework": "ally-development-levels",
        },
    ),
    "translate_profile": (
        allykit.translate_profile,
        {
            "profile": {_STAGE: 50.0},
            "from_framework": "ally-model",
            "to_framework": "ally-development-levels",
        },
    ),
    "search": (allykit.search, {"text": "bias"}),
    "plan_focus": (allykit.reflection.plan_focus, {"framework": _FRAMEWORK}),
    "next_step": (allykit.next_step, {"framework": _FRAMEWORK}),
    "plan_session": (
        allykit.reflection.plan_session,
        {"framework": _FRAMEWORK, "steps": 2},
    ),
    "next_stage": (
        allykit.reflection.next_stage,
        {"framework": _FRAMEWORK, "stage": _STAGE},
    ),
    "previous_stage": (
        allykit.reflection.previous_stage,
        {"framework": _FRAMEWORK, "stage": _STAGE},
    ),
    "stage_position": (
        allykit.reflection.stage_position,
        {"framework": _FRAMEWORK, "stage": _STAGE},
    ),
    "stages_in_order": (allykit.reflection.stages_in_order, {"framework": _FRAMEWORK}),
    "render_prompt": (
        allykit.reflection.render_prompt,
        {"prompt": _FRAMEWORK.prompts[0], "focus": _STAGE},
    ),
    "build_journey": (
        allykit.reflection.build_journey,
        {"framework": _FRAMEWORK, "weeks": 1, "sessions_per_week": 1},
    ),
    "build_ally_map": (allykit.reflection.build_ally_map, {"placements": []}),
    "dimensions_of": (allykit.reflection.dimensions_of, {"framework": _FRAMEWORK}),
    "diff_frameworks": (
        allykit.changes.diff_frameworks,
        {"old": _FRAMEWORK, "new": _FRAMEWORK},
    ),
    "render_markdown_worksheet": (
        allykit.worksheets.render_markdown_worksheet,
        {"framework": _FRAMEWORK},
    ),
    "render_html_worksheet": (
        allykit.worksheets.render_html_worksheet,
        {"framework": _FRAMEWORK},
    ),
    "History.migrate": (History().migrate, {"framework": _FRAMEWORK}),
    "History.from_json": (History.from_json, {"text": "{}"}),
    "Instrument.from_dict": (
        allykit.Instrument.from_dict,
        {"data": _INSTRUMENT.to_dict()},
    ),
    "load_redcap_export": (
        allykit.surveys.load_redcap_export,
        {"source": _Fresh(lambda: io.StringIO("q1\n3\n")), "fields": {"q1": _ITEM}},
    ),
    "load_qualtrics_export": (
        allykit.surveys.load_qualtrics_export,
        {
            "source": _Fresh(lambda: io.StringIO("Q1\nText\n3\n")),
            "fields": {"Q1": _ITEM},
        },
    ),
    "load_surveyjs_results": (
        allykit.surveys.load_surveyjs_results,
        {"source": [{"q1": 3}], "fields": {"q1": _ITEM}},
    ),
    # The doors of the one reader, and the result contract's writer.
    "read_answers": (
        allykit.scoring.read_answers,
        {"source": [_GOOD_ROW], "instrument": _INSTRUMENT},
    ),
    "change": (
        allykit.scoring.change,
        {
            "instrument": _INSTRUMENT,
            "before": [{"id": "a"} | _GOOD_ROW, {"id": "b"} | _GOOD_ROW],
            "after": [{"id": "a"} | _GOOD_ROW, {"id": "b"} | _GOOD_ROW],
        },
    ),
    "ScoreReport.to_json": (allykit.score(_INSTRUMENT, _GOOD_ROW).to_json, {}),
    "History.to_json": (History().to_json, {}),
}
if importlib.util.find_spec("matplotlib"):
    _CALLS["html_report"] = (
        allykit.scoring.html_report,
        {"instrument": _INSTRUMENT, "rows": [_GOOD_ROW, _GOOD_ROW]},
    )
if importlib.util.find_spec("statsmodels"):
    _CALLS["waves"] = (
        allykit.scoring.waves,
        {
            "instrument": _INSTRUMENT,
            "administrations": [[{"id": "a"} | _GOOD_ROW]] * 3,
        },
    )
if importlib.util.find_spec("polars") and importlib.util.find_spec("narwhals"):

    def _frame(rows: int) -> Any:
        import polars as pl

        return pl.DataFrame([_GOOD_ROW] * rows)

    _CALLS["score_frame"] = (
        allykit.scoring.frames.score_frame,
        {"instrument": _INSTRUMENT, "frame": _Fresh(lambda: _frame(1))},
    )
    _CALLS["reliability_frame"] = (
        allykit.scoring.frames.reliability_frame,
        {"instrument": _INSTRUMENT, "frame": _Fresh(lambda: _frame(3))},
    )
_PARAMETERS = sorted(
    (name, parameter)
    for name, (function, _) in _CALLS.items()
    for parameter in inspect.signature(function).parameters
)


def _call(name: str, arguments: dict[str, Any]) -> Any:
    fresh = {k: v.make() if isinstance(v, _Fresh) else v for k, v in arguments.items()}
    return _CALLS[name][0](**fresh)


def test_every_call_works_with_good_arguments() -> None:
    """The table of good arguments is right: each call succeeds as is."""
    for name, (_, arguments) in _CALLS.items():
        if name.startswith("load_") and name.endswith("_file"):
            continue
        _call(name, dict(arguments))


@settings(_FEW, max_examples=len(_PARAMETERS) * 3)
@given(target=st.sampled_from(_PARAMETERS), value=bad_values())
@example(target=("score_columns", "instrument"), value=None)
@example(target=("merge_item_text", "instrument"), value=None)
@example(target=("load_framework_file", "path"), value=None)
@example(target=("load_instrument_file", "path"), value=None)
@example(target=("load_crosswalk_file", "path"), value=None)
@example(target=("crosswalks_between", "a"), value=[])
@example(target=("search", "frameworks"), value=0)
@example(target=("search", "frameworks"), value="ally-model")
@example(target=("next_step", "tags"), value=[[1]])
@example(target=("plan_session", "kinds"), value=[{}])
@example(target=("render_html_worksheet", "framework"), value=None)
@example(target=("render_markdown_worksheet", "framework"), value=None)
@example(target=("next_step", "seed"), value=10**5000)
@example(target=("to_redcap_dictionary", "na_code"), value=10**5000)
@example(target=("to_reproschema", "na_code"), value=10**400)
@example(target=("to_surveyjs", "question_type"), value=10**5000)
@example(target=("load_framework", "framework_id"), value=10**5000)
@example(target=("map_stage", "stage"), value=10**5000)
@example(target=("search", "limit"), value=10**5000)
@example(target=("score", "invalid"), value=10**5000)
@example(target=("reliability", "missing"), value=10**5000)
@example(target=("html_report", "title"), value=True)
@example(target=("html_report", "omega"), value=10**5000)
@example(target=("translate_profile", "profile"), value=10**5000)
def test_wrong_argument_types(target: tuple[str, str], value: Any) -> None:
    """A wrong value for any one parameter raises an allykit error."""
    name, parameter = target
    arguments = dict(_CALLS[name][1])
    arguments[parameter] = value
    before = _same(value)
    _only_allykit_errors(lambda: _call(name, arguments))
    assert _same(value) == before


@pytest.mark.parametrize(
    "function",
    [allykit.scoring.frames.score_frame, allykit.scoring.frames.reliability_frame],
)
@pytest.mark.parametrize("value", [[], {}, None, 1, "maybe"])
def test_frame_invalid_option(function: Callable[..., Any], value: Any) -> None:
    """An unhashable or unknown invalid= names the value (was a TypeError)."""
    with pytest.raises(allykit.InvalidArgumentError, match="invalid must be"):
        function(_INSTRUMENT, [_GOOD_ROW], invalid=value)


# --- importers: arbitrary CSV and JSON files --------------------------------

_IMPORTERS = {
    "redcap": allykit.surveys.load_redcap_export,
    "qualtrics": allykit.surveys.load_qualtrics_export,
    "surveyjs": allykit.surveys.load_surveyjs_results,
}


def _csv_cell() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", "1", "3", "99", "NaN", "inf", "1e999", "-0", '"', "a,b"]),
        st.text(max_size=6),
    )


@st.composite
def _csv_text(draw: st.DrawFn) -> str:
    header = draw(
        st.lists(
            st.sampled_from(["q1", "q2", "record_id", "", "q1_complete"])
            | st.text(max_size=5),
            max_size=4,
        )
    )
    rows = draw(st.lists(st.lists(_csv_cell(), max_size=5), max_size=4))
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


_import_options = st.fixed_dictionaries(
    {},
    optional={
        "fields": st.sampled_from([{"q1": _ITEM}, {"q1": "no-such-item"}, {}])
        | bad_values(),
        "id_column": st.sampled_from(["record_id", "q2"]) | bad_values(),
        "ignore": bad_values(),
        "strict": st.booleans() | bad_values(),
        "instrument": st.just(_INSTRUMENT) | bad_values(),
        "na_codes": st.sampled_from([[99], ["n/a"], [math.nan]]) | bad_values(),
    },
)


@_FEW
@given(
    importer=st.sampled_from(sorted(_IMPORTERS)),
    text=_csv_text() | json_values().map(_dumps) | st.text(max_size=60),
    options=_import_options,
)
@example(
    importer="redcap",
    text="q1\n1",
    options={"na_codes": [[1]], "instrument": _INSTRUMENT},
)
def test_importers_arbitrary_files(
    tmp_path_factory: pytest.TempPathFactory,
    importer: str,
    text: str,
    options: dict[str, Any],
) -> None:
    """Any file and options to an importer give rows or an allykit error."""
    path = tmp_path_factory.mktemp("export") / "export.txt"
    path.write_text(text, encoding="utf-8", newline="")
    arguments = {"fields": {"q1": _ITEM}, **options}
    before = _same(arguments)
    _only_allykit_errors(lambda: _IMPORTERS[importer](path, **arguments))
    assert _same(arguments) == before


@_FEW
@given(results=json_values() | st.lists(fuzzed_responses(_INSTRUMENT), max_size=3))
def test_surveyjs_arbitrary_results(results: Any) -> None:
    """SurveyJS results given as Python objects are read, not mutated."""
    before = _same(results)
    _only_allykit_errors(
        lambda: allykit.surveys.load_surveyjs_results(
            results, fields={_ITEM: _ITEM}, instrument=_INSTRUMENT, strict=False
        )
    )
    assert _same(results) == before


def test_importer_source_of_wrong_type(tmp_path: Path) -> None:
    """A source that is neither a path nor a file raises an allykit error."""
    for source in (None, 1, b"q1\n1", [1], tmp_path):
        _only_allykit_errors(
            lambda s=source: allykit.surveys.load_redcap_export(s, fields={"q1": _ITEM})  # type: ignore[misc]
        )


# --- regressions: raw errors the fuzz tests found ----------------------------


def test_huge_int_answer_is_a_response_problem() -> None:
    """An answer too large for a float was an OverflowError."""
    item = _INSTRUMENT.items[0].id
    for value in (10**400, -(10**400), 10**5000):
        with pytest.raises(allykit.ResponseError, match="far outside"):
            allykit.score(_INSTRUMENT, {item: value})
        report = allykit.score(_INSTRUMENT, {item: value}, invalid="missing")
        assert report.problems


def test_huge_int_in_instrument_document() -> None:
    """A choice value too large for a float was an OverflowError."""
    document = _INSTRUMENT.to_dict()
    document["response_scale"]["choices"][0]["value"] = 10**5000
    with pytest.raises(allykit.DataFileError):
        allykit.Instrument.from_dict(document)


def test_huge_na_codes_for_importers(tmp_path: Path) -> None:
    """na_codes=[10**5000] was an OverflowError; now an InvalidArgumentError."""
    path = tmp_path / "export.csv"
    path.write_text("q1\n1\n", encoding="utf-8")
    with pytest.raises(allykit.InvalidArgumentError, match="2\\*\\*53"):
        allykit.surveys.load_redcap_export(
            path, fields={"q1": _ITEM}, instrument=_INSTRUMENT, na_codes=[10**5000]
        )


def test_short_repr_never_raises() -> None:
    """Error messages quote any value: a huge int, a failing __repr__."""

    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError

    assert "digits" in allykit.errors.short_repr(10**5000)
    assert allykit.errors.short_repr(Broken()) == "<Broken object>"
    error = allykit.DataFileError(10**5000, [])  # type: ignore[arg-type]
    assert "digits" in str(error)


# Typed Any: these calls pass wrong types on purpose.
def _api(name: str) -> Any:
    """Return the public function *name* from its home module (no deprecations)."""
    import importlib

    for home in _HOMES:
        module = importlib.import_module(home)
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    msg = f"no public function {name!r}"
    raise LookupError(msg)


_HOMES = (
    "allykit",
    "allykit.catalog",
    "allykit.models.framework",
    "allykit.models.instrument",
    "allykit.models.published",
    "allykit.models.crosswalk",
    "allykit.scoring",
    "allykit.scoring.frames",
    "allykit.reflection",
    "allykit.crosswalks",
    "allykit.changes",
    "allykit.surveys",
    "allykit.worksheets",
)


_REGRESSIONS: dict[str, tuple[Callable[[], Any], str]] = {
    "score_columns": (lambda: _api("score_columns")(None), "expected an Instrument"),
    "merge_item_text": (
        lambda: _api("merge_item_text")(None, {}),
        "expected an Instrument",
    ),
    "load_framework_file": (
        lambda: _api("load_framework_file")(None),
        "expected a file path",
    ),
    "load_instrument_file": (
        lambda: _api("load_instrument_file")(3),
        "expected a file path",
    ),
    "load_crosswalk_file": (
        lambda: _api("load_crosswalk_file")([]),
        "expected a file path",
    ),
    "crosswalks_between": (
        lambda: _api("crosswalks_between")([], "ally-model"),
        "a must be",
    ),
    "search": (lambda: _api("search")("x", frameworks=0), "frameworks must be"),
    "search-non-framework": (
        lambda: _api("search")("x", frameworks=["ally-model"]),
        "only Framework",
    ),
    "next_step": (lambda: _api("next_step")(_FRAMEWORK, tags=[[1]]), "only strings"),
    "plan_session": (
        lambda: _api("plan_session")(_FRAMEWORK, kinds=[{}]),
        "only strings",
    ),
    "next_step-huge-seed": (
        lambda: _api("next_step")(_FRAMEWORK, seed=2**5000),
        "4096 bits",
    ),
    "render_html_worksheet": (
        lambda: _api("render_html_worksheet")(None),
        "expected a Framework",
    ),
    "render_markdown_worksheet": (
        lambda: _api("render_markdown_worksheet")({}),
        "expected a Framework",
    ),
    "to_reproschema": (
        lambda: _api("to_reproschema")(_INSTRUMENT, na_code=2**60),
        "2\\*\\*53",
    ),
}


@pytest.mark.parametrize("name", sorted(_REGRESSIONS))
def test_wrong_type_regressions(name: str) -> None:
    """Each of these raised a raw TypeError, AttributeError or ValueError."""
    call, message = _REGRESSIONS[name]
    with pytest.raises(allykit.InvalidArgumentError, match=message):
        call()
