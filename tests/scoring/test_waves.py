"""Tests of waves(): three or more administrations, a linear mixed model."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import Instrument, InvalidArgumentError
from allykit.errors import AllykitError

pytest.importorskip("statsmodels", reason="waves() needs the stats extra")

import contextlib

from allykit.scoring import WavesReport, waves
from allykit.testing import bad_values, longitudinal_rows


def _instrument() -> Instrument:
    return allykit.Instrument.from_dict(
        {
            "id": "test-waves",
            "name": "Test",
            "summary": "For tests.",
            "intended_use": "Tests.",
            "licence": {"spdx": None, "note": "Tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": str(v)} for v in range(1, 8)],
                "min": 1,
                "max": 7,
                "not_applicable": ["N/A"],
            },
            "items": [{"id": f"i{n}", "reverse": n == 2} for n in range(3)],
            "scales": [
                {"id": "s", "name": "Sample", "items": ["i0", "i1", "i2"]},
            ],
        }
    )


def generated(
    seed: int, people: int = 40, n_waves: int = 4
) -> list[list[dict[str, Any]]]:
    """Answers with a random intercept and slope per respondent, some gaps."""
    return longitudinal_rows(_instrument(), seed=seed, people=people, waves=n_waves)


def test_figures_and_summary() -> None:
    """People, observations, per-wave means, a slope with its interval."""
    data = generated(1)
    report = waves(_instrument(), data)
    entry = report.scale("s")
    assert isinstance(report, WavesReport)
    assert report.times == (0.0, 1.0, 2.0, 3.0)
    assert entry.n_observations == sum(len(w) for w in data)
    assert entry.n_people == len({r["id"] for w in data for r in w})
    assert [w.n for w in entry.waves] == [len(w) for w in data]
    assert entry.change_per_wave is not None
    assert entry.ci_low is not None
    assert entry.ci_high is not None
    assert entry.ci_low < entry.change_per_wave < entry.ci_high
    assert entry.estimator == "REML"
    assert entry.random_slope
    assert entry.change_per_wave > 0
    assert "the scores rose by" in entry.summary
    for word in ("people improved", "you ", "ally"):
        assert word not in entry.summary


def test_rows_and_frames_agree() -> None:
    """One reader: pandas and polars frames give the rows' figures exactly."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    data = generated(2, people=20, n_waves=3)
    from_rows = waves(_instrument(), data)
    columns = ["id", "i0", "i1", "i2"]
    as_pandas = [pd.DataFrame(w, columns=columns) for w in data]
    as_polars = [pl.DataFrame(w) for w in data]
    assert waves(_instrument(), as_pandas) == from_rows
    assert waves(_instrument(), as_polars) == from_rows


def test_times_scale_the_slope() -> None:
    """Times in weeks 0, 2, 4 halve the change per unit of time."""
    data = generated(3, people=25, n_waves=3)
    per_wave = waves(_instrument(), data).scale("s")
    per_week = waves(_instrument(), data, times=[0, 2, 4]).scale("s")
    assert per_wave.change_per_wave is not None
    assert per_week.change_per_wave == pytest.approx(
        per_wave.change_per_wave / 2, rel=1e-6
    )


def test_singular_slope_falls_back_to_intercept() -> None:
    """Everyone changes alike: no random slope, and a note says why."""
    rows = [
        [
            {
                "id": f"p{n}",
                "i0": 1 + n % 3 + shift,
                "i1": 1 + n % 3 + shift,
                "i2": 7 - (n % 3 + shift),
            }
            for n in range(8)
        ]
        for shift in (0, 1, 1)
    ]
    entry = waves(_instrument(), rows).scale("s")
    assert not entry.random_slope
    assert entry.var_slope is None
    assert any("singular" in note for note in entry.notes)
    assert entry.change_per_wave == pytest.approx(0.5)


def test_a_fit_statsmodels_cannot_start_fits_as_lme4() -> None:
    """Scores that vary within people more than between them: a model, no crash.

    statsmodels' own fit fails on these (a singular matrix); lme4 gives
    ``lmer(score ~ time + (1 | id))``: variances 1/6 and 1/2, slope 1/2
    (the ANOVA estimates of this balanced design).
    """
    scores = {"p0": (1, 1, 3), "p1": (2, 3, 3), "p2": (2, 1, 2)}
    rows = [
        [
            {"id": who, "i0": points[wave], "i1": points[wave], "i2": 8 - points[wave]}
            for who, points in scores.items()
        ]
        for wave in range(3)
    ]
    entry = waves(_instrument(), rows).scale("s")
    assert not entry.random_slope
    assert any("singular" in note for note in entry.notes)
    assert entry.change_per_wave == pytest.approx(0.5)
    assert entry.var_intercept == pytest.approx(1 / 6, rel=1e-5)
    assert entry.var_residual == pytest.approx(0.5, rel=1e-5)


def test_rows_without_any_column_are_rows_without_an_id() -> None:
    """A wave of empty rows (no header at all): rows without an id, counted."""
    row = {"id": "a", "i0": 3, "i1": 4, "i2": 4}
    report = waves(_instrument(), [[{}, {}], [row], [row]])
    assert report.rows_without_id == (2, 0, 0)
    assert report.n_rows == (2, 1, 1)


def test_columns_and_ignore_as_for_every_door() -> None:
    """columns= and ignore= read each wave as read_answers and change() read it."""
    data = generated(5, people=10, n_waves=3)
    renamed = [
        [
            {"who_note": "x", "q0": row.get("i0")}
            | {k: v for k, v in row.items() if k != "i0"}
            for row in wave
        ]
        for wave in data
    ]

    got = waves(_instrument(), renamed, columns={"i0": "q0"}, ignore=["*_note"])

    assert got == waves(_instrument(), data)
    with pytest.raises(AllykitError, match="who_note"):
        waves(_instrument(), renamed, columns={"i0": "q0"})


def test_too_little_data_says_so() -> None:
    """Nobody answered twice: no model, figures None, a note."""
    rows = [[{"id": f"w{w}", "i0": 3, "i1": 4, "i2": 4}] for w in range(3)]
    entry = waves(_instrument(), rows).scale("s")
    assert entry.change_per_wave is None
    assert entry.notes
    assert "too few repeated scores" in entry.summary


@pytest.mark.parametrize(
    ("administrations", "options", "match"),
    [
        ([[], []], {}, "three or more"),
        ([[], [], []], {"times": [0, 1]}, "3 administrations"),
        ([[], [], []], {"times": [0, 2, 1]}, "increasing"),
        ([[], [], []], {"times": ["a", 1, 2]}, "numbers"),
        ([[], [], []], {"times": [0, 1, 10**400]}, "finite"),
        ([[], [], []], {"invalid": "drop"}, "invalid"),
    ],
)
def test_bad_arguments(
    administrations: list[Any], options: dict[str, Any], match: str
) -> None:
    """Bad arguments raise an allykit error saying what to do."""
    with pytest.raises(InvalidArgumentError, match=match):
        waves(_instrument(), administrations, **options)


def test_ids_repeated_or_missing_are_reported() -> None:
    """A repeated id is left out of its wave; rows without an id are counted."""
    data = generated(4, people=10, n_waves=3)
    data[1].append(dict(data[1][0]))
    data[2].append({"i0": 3, "i1": 3, "i2": 3})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = waves(_instrument(), data)
    assert report.duplicate_ids == (str(data[1][0]["id"]),)
    assert report.rows_without_id == (0, 0, 1)


@settings(max_examples=150)
@given(
    parameter=st.sampled_from(
        ["instrument", "administrations", "id_column", "times", "invalid"]
    ),
    value=bad_values(),
)
def test_wrong_argument_types(parameter: str, value: Any) -> None:
    """Any value for any one parameter: a result or an allykit error."""
    arguments: dict[str, Any] = {
        "instrument": _instrument(),
        "administrations": [[{"id": "a", "i0": 2}], [], [{"id": "a"}]],
        "id_column": "id",
        "times": None,
        "invalid": "missing",
    }
    arguments[parameter] = value
    with contextlib.suppress(AllykitError):
        waves(**arguments)


@settings(max_examples=100)
@given(times=st.lists(bad_values(), min_size=3, max_size=3))
def test_times_of_any_values(times: list[Any]) -> None:
    """Three times of any values (10**5000, NaN, text): a report or an allykit error."""
    administrations: list[Any] = [[{"id": "a", "i0": 2}], [], [{"id": "a", "i0": 3}]]
    with contextlib.suppress(AllykitError):
        waves(_instrument(), administrations, times=times)


@pytest.mark.parametrize(
    "administrations",
    [[[1], [], []], [[{"id": "a"}], [None], []], [[], [], [[{"i0": 1}]]]],
)
def test_rows_that_are_not_mappings(administrations: list[Any]) -> None:
    """A row that is not a mapping is named by its place."""
    with pytest.raises(InvalidArgumentError, match=r"administrations\[\d\]\[0\]"):
        waves(_instrument(), administrations)


def test_text_table_and_frame_show_every_figure() -> None:
    """print(), to_table() and to_frame(): every figure and note, never an id."""
    pd = pytest.importorskip("pandas")
    data = generated(2, people=12, n_waves=3)
    for wave in data:
        for row in wave:
            row["id"] = f"secret-{row['id']}"
    report = waves(_instrument(), data)
    entry = report.scale("s")

    text = str(report)
    assert "3 waves at times 0, 1, 2" in text
    assert f"{entry.change_per_wave:.2f}" in text
    assert f"{entry.var_residual:.2f}" in text
    assert entry.summary in text
    assert all(note in text for note in entry.notes)
    assert len([line for line in text.splitlines() if line.startswith("s  ")]) == 4
    assert "secret" not in text

    (record,) = report.to_table()
    assert record["change_per_wave"] == entry.change_per_wave
    assert record["notes"] == "; ".join(entry.notes)
    assert "waves" not in record
    means = report.to_table(waves=True)
    assert [(m["time"], m["n"], m["mean"]) for m in means] == [
        (w.time, w.n, w.mean) for w in entry.waves
    ]
    frame = report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(record)
    assert len(report.to_frame(waves=True)) == 3
    with pytest.raises(InvalidArgumentError, match="backend"):
        report.to_frame(backend="excel")


def test_json_round_trip() -> None:
    """The report survives JSON: to_json, then from_json, gives it back."""
    report = waves(_instrument(), generated(6, people=12, n_waves=3))
    assert WavesReport.from_json(report.to_json()) == report
    assert report.to_dict()["schema_version"] == 1
