"""Hypothesis strategies for results: histories, profiles, ally maps, reports.

Part of :mod:`allykit.testing`, the one strategies module: import from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, get_args

from hypothesis import strategies as st

from allykit.models.framework import (
    Framework,
    PromptId,
)
from allykit.reflection.ally_map import Placement, Position
from allykit.reflection.history import History, HistoryEntry
from allykit.testing._catalogue import frameworks, instruments, responses_for
from allykit.testing._values import ids, texts

__all__ = [
    "ally_maps",
    "change_reports",
    "histories_for",
    "journeys",
    "placements_for",
    "profile_translations",
    "profiles_for",
    "reliability_reports",
    "results",
    "score_reports",
    "waves_reports",
]


@st.composite
def histories_for(
    draw: st.DrawFn, framework: Framework, *, max_size: int = 20
) -> History:
    """Return a strategy for histories of steps through *framework*'s prompts.

    Entries name existing prompts (with their stage) and, now and then, a
    prompt id the framework does not have (as after a content update).
    """
    known = [(p.id, p.stage) for p in framework.prompts]
    entry = st.builds(lambda pid: HistoryEntry(prompt=PromptId(pid)), ids())
    if known:
        entry = st.one_of(
            st.sampled_from(known).map(
                lambda item: HistoryEntry(prompt=item[0], stage=item[1])
            ),
            entry,
        )
    return History(entries=tuple(draw(st.lists(entry, max_size=max_size))))


@st.composite
def profiles_for(draw: st.DrawFn, framework: Framework) -> dict[str, float | None]:
    """Return a strategy for stage profiles: stage id -> 0-100 score or None.

    Some stages may be left out (they then count as unscored).
    """
    score = st.one_of(st.none(), st.floats(0, 100), st.integers(0, 100).map(float))
    return {stage.id: draw(score) for stage in framework.stages if draw(st.booleans())}


def placements_for(
    dimension_ids: Sequence[str], *, max_size: int = 12
) -> st.SearchStrategy[list[Placement]]:
    """Return a strategy for ally-map placements on the given dimension ids."""
    placement = st.builds(
        Placement,
        dimension=st.sampled_from(dimension_ids),
        position=st.sampled_from(get_args(Position)),
        context=st.sampled_from(["general", "work", "community", "family"]),
    )
    return st.lists(placement, max_size=max_size)


# -- results: every type under the one serialisation contract ----------------


@st.composite
def score_reports(draw: st.DrawFn) -> Any:
    """Return a strategy for score reports of generated instruments and answers."""
    from allykit.scoring import score

    instrument = draw(instruments())
    return score(instrument, draw(responses_for(instrument)), invalid="missing")


@st.composite
def reliability_reports(draw: st.DrawFn, *, max_rows: int = 8) -> Any:
    """Return a strategy for reliability reports (omega left out: it needs SciPy)."""
    import warnings

    from allykit.errors import ReliabilityWarning
    from allykit.scoring import MissingPolicy, reliability

    instrument = draw(instruments(max_items=5))
    rows = draw(st.lists(responses_for(instrument), max_size=max_rows))
    missing: MissingPolicy = draw(st.sampled_from(["listwise", "pairwise"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        return reliability(instrument, rows, missing=missing, invalid="missing")


@st.composite
def change_reports(draw: st.DrawFn, *, max_rows: int = 8) -> Any:
    """Return a strategy for change reports: two administrations, paired by id.

    Administrations that share no id give a report with no pairs (and the
    warning that says so, silenced here: the report is what is drawn).
    """
    import warnings

    from allykit.errors import AllykitWarning
    from allykit.scoring import change

    instrument = draw(instruments(max_items=5))
    people = st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"])

    def administration() -> list[dict[str, Any]]:
        rows = draw(st.lists(responses_for(instrument), max_size=max_rows))
        return [{"who": draw(people)} | dict(row) for row in rows]

    before, after = administration(), administration()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AllykitWarning)
        return change(instrument, before, after, id_column="who")


@st.composite
def ally_maps(draw: st.DrawFn) -> Any:
    """Return a strategy for ally maps on the Social GRACES dimensions."""
    from allykit.catalog import load_framework
    from allykit.reflection import build_ally_map, dimensions_of

    dimensions = dimensions_of(load_framework("social-graces"))
    placements = draw(placements_for([d.id for d in dimensions]))
    return build_ally_map(placements, dimensions=dimensions)


@st.composite
def profile_translations(draw: st.DrawFn) -> Any:
    """Return a strategy for profiles translated along a bundled crosswalk."""
    from allykit.catalog import available_crosswalks, load_crosswalk, load_framework
    from allykit.crosswalks import translate_profile

    crosswalk = load_crosswalk(draw(st.sampled_from(available_crosswalks())))
    profile = draw(profiles_for(load_framework(crosswalk.source)))
    return translate_profile(profile, crosswalk.source, crosswalk.target)


@st.composite
def journeys(draw: st.DrawFn) -> Any:
    """Return a strategy for journeys through generated frameworks."""
    from allykit.reflection import build_journey

    framework = draw(frameworks(min_stages=1, max_stages=5))
    return build_journey(
        framework,
        draw(st.integers(1, 6)),
        draw(st.integers(1, 3)),
        steps_per_session=draw(st.integers(1, 8)),
        revisit_every=draw(st.integers(2, 6)),
    )


def _figures() -> st.SearchStrategy[float | None]:
    return st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))


@st.composite
def _scale_waves(draw: st.DrawFn, scale: str, times: tuple[float, ...]) -> Any:
    from allykit.scoring import ScaleWaves, WaveMean

    figure = _figures()
    means = tuple(
        WaveMean(
            time=time,
            n=draw(st.integers(0, 500)),
            mean=draw(figure),
            sd=draw(st.one_of(st.none(), st.floats(0, 1e3))),
        )
        for time in times
    )
    return ScaleWaves(
        scale=scale,
        n_people=draw(st.integers(0, 500)),
        n_observations=draw(st.integers(0, 1500)),
        waves=means,
        intercept=draw(figure),
        change_per_wave=draw(figure),
        se=draw(figure),
        ci_low=draw(figure),
        ci_high=draw(figure),
        var_intercept=draw(figure),
        var_slope=draw(figure),
        cov_intercept_slope=draw(figure),
        var_residual=draw(figure),
        random_slope=draw(st.booleans()),
        estimator="REML",
        summary=draw(texts()),
        notes=tuple(draw(st.lists(texts(), max_size=2))),
    )


@st.composite
def waves_reports(draw: st.DrawFn) -> Any:
    """Return a strategy for waves reports with any figures a report can hold.

    Built field by field rather than by fitting mixed models (that needs
    the ``stats`` extra and seconds per example): the figures are any
    finite numbers or None, as the serialisation must carry them all.
    """
    from allykit.scoring import WavesReport

    count = draw(st.integers(3, 5))
    times = tuple(
        sorted(draw(st.lists(st.floats(0, 100), min_size=count, max_size=count)))
    )
    scales = draw(st.lists(ids(), min_size=1, max_size=3, unique=True))
    return WavesReport(
        instrument=draw(ids()),
        times=times,
        n_rows=tuple(draw(st.integers(0, 500)) for _ in times),
        n_people=draw(st.integers(0, 500)),
        duplicate_ids=tuple(draw(st.lists(ids(), max_size=3))),
        rows_without_id=tuple(draw(st.integers(0, 5)) for _ in times),
        scales=tuple(draw(_scale_waves(scale, times)) for scale in scales),
    )


@st.composite
def _histories(draw: st.DrawFn) -> History:
    return draw(histories_for(draw(frameworks())))


def results() -> st.SearchStrategy[Any]:
    """Return a strategy for any result type of the one serialisation contract.

    Score, reliability, change and waves reports, histories, ally maps,
    profile translations and journeys: each has ``to_dict``/``to_json``/``from_dict``/
    ``from_json``, and each round-trips.
    """
    return st.one_of(
        score_reports(),
        reliability_reports(),
        change_reports(),
        _histories(),
        ally_maps(),
        profile_translations(),
        waves_reports(),
        journeys(),
    )
