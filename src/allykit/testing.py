"""Hypothesis strategies for property-testing code built on allykit.

Install the ``testing`` extra (``pip install "allykit-frameworks[testing]"``)
to use it. allykit's own test suite uses these same strategies.

>>> from hypothesis import given
>>> from allykit.testing import frameworks
>>> @given(frameworks())
... def test_round_trip(framework):
...     assert framework.from_dict(framework.to_dict()) == framework
>>> test_round_trip()

Instruments and answers work the same way:

>>> from allykit.scoring._score import score
>>> from allykit.testing import instruments, responses_for
>>> @given(st.data())
... def test_pomp_in_range(data):
...     instrument = data.draw(instruments())
...     report = score(instrument, data.draw(responses_for(instrument)))
...     assert all(0 <= s.pomp <= 100 for s in report.scales if s.pomp is not None)
>>> test_pomp_in_range()
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, get_args

import attrs
from hypothesis import strategies as st

from allykit.models.framework import (
    Characteristic,
    CharacteristicId,
    Citation,
    CitationId,
    Direction,
    Framework,
    FrameworkId,
    FrameworkKind,
    Level,
    Licence,
    Principle,
    PrincipleId,
    PrincipleKind,
    PromptId,
    PromptKind,
    ReflectivePrompt,
    Stage,
    StageId,
)
from allykit.models.instrument import (
    Alias,
    Band,
    BandId,
    Choice,
    Instrument,
    InstrumentId,
    Item,
    ItemId,
    ResponseScale,
    Scale,
    ScaleId,
)
from allykit.reflection.ally_map import Placement, Position
from allykit.reflection.history import History, HistoryEntry

__all__ = [
    "ally_maps",
    "answer_tables",
    "bad_values",
    "change_reports",
    "citations",
    "frameworks",
    "fuzzed_responses",
    "histories_for",
    "ids",
    "instrument_value",
    "instruments",
    "item_columns",
    "json_values",
    "longitudinal_rows",
    "placements_for",
    "profile_translations",
    "profiles_for",
    "reliability_reports",
    "responses_for",
    "results",
    "score_reports",
    "texts",
]

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


def ids() -> st.SearchStrategy[str]:
    """Return a strategy for kebab-case ids (``"self-examination"``)."""
    return st.lists(_WORD, min_size=1, max_size=3).map("-".join)


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Return a strategy for non-blank text, including non-ASCII letters.

    Text holds no control characters but tab and newline (no C0, DEL or
    C1), nor a bidirectional override or isolate: data files refuse them
    (see ``control_problems`` in the catalogue).
    """
    alphabet = st.characters(
        codec="utf-8",
        exclude_characters=[
            *(chr(c) for c in range(32) if chr(c) not in "\t\n"),
            *(chr(c) for c in range(0x7F, 0xA0)),
            *(chr(c) for c in range(0x202A, 0x202F)),
            *(chr(c) for c in range(0x2066, 0x206A)),
        ],
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(
        lambda t: bool(t.strip())
    )


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    """Return a strategy for citations whose parts may end in their own marks.

    Titles and publishers often end in a question mark, an exclamation mark
    or a full stop ("What Is Allyship?", "Routledge."); authors may be
    missing, and the publisher may be the author, as for a web page.
    """
    ending = st.sampled_from(["", ".", "?", "!", " "])
    title = draw(texts(max_size=20)) + draw(ending)
    authors = tuple(draw(st.lists(texts(max_size=12), max_size=3)))
    own = draw(texts(max_size=12)) + draw(ending)
    publisher = draw(st.sampled_from(["", ", ".join(authors), own]))
    return Citation(
        id=CitationId(draw(ids())),
        authors=authors,
        year=draw(st.one_of(st.none(), st.integers(1900, 2100))),
        title=title,
        publisher=publisher,
        url=draw(st.sampled_from(["", "https://example.org/a"])),
        note=draw(_optional_text()),
    )


def json_values(*, max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Return a strategy for arbitrary JSON values (what ``json.loads`` returns).

    Nulls, booleans, integers of any size, floats (infinities too, which
    ``json.dumps`` writes as ``Infinity``; not NaN), text, and lists and
    objects nesting them: for fuzzing code that reads user documents.
    """
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=5)
        ),
        max_leaves=max_leaves,
    )


def bad_values() -> st.SearchStrategy[Any]:
    """Return a strategy for values of the wrong type or out of range.

    None, booleans, huge and negative integers, NaN and infinities, bytes,
    empty and non-id strings, nested lists, dicts with non-string keys,
    plain objects, and arbitrary JSON: for checking that a function given
    any of them raises a helpful error rather than crashing.
    """
    return st.one_of(
        st.sampled_from(
            [
                None,
                True,
                False,
                0,
                -1,
                10**30,
                -(10**30),
                10**5000,
                float("nan"),
                float("inf"),
                float("-inf"),
                1.5,
                "",
                " ",
                "Not An Id",
                b"bytes",
                [],
                [[1]],
                {},
                {1: 2},
                {None: "x"},
                ("a", ["b"]),
                frozenset({1}),
            ]
        ),
        st.builds(object),
        json_values(max_leaves=8),
    )


def fuzzed_responses(
    instrument: Instrument | None = None,
) -> st.SearchStrategy[dict[Any, Any]]:
    """Return a strategy for arbitrary answer mappings, mostly invalid.

    Keys are the instrument's item ids (when given), unknown ids, or
    non-string keys; values are valid answers now and then and otherwise
    anything from :func:`bad_values`: NaN, infinities, huge integers,
    booleans, nested lists, ...
    """
    item_ids: list[Any] = [item.id for item in instrument.items] if instrument else []
    keys = st.one_of(
        *([st.sampled_from(item_ids)] if item_ids else []),
        ids(),
        st.text(max_size=8),
        st.sampled_from([0, 1, -1, None, True, 1.5, ("a",), b"x"]),
    )
    values = bad_values() | st.integers(-3, 10) | st.floats()
    if instrument is not None:
        values = values | responses_for(instrument).flatmap(
            lambda answers: st.sampled_from([*answers.values(), None])
        )
    return st.dictionaries(keys, values, max_size=12)


def _optional_text() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), texts())


def _tags() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(ids(), max_size=3, unique=True).map(tuple)


@st.composite
def frameworks(
    draw: st.DrawFn, *, min_stages: int = 0, max_stages: int = 8
) -> Framework:
    """Return a strategy for valid frameworks with consistent cross-references.

    Stage ids are unique and positions run 1..n; every characteristic and
    prompt points at an existing stage (or none), and every characteristic
    a prompt names exists.

    Args:
        draw: Supplied by Hypothesis.
        min_stages: Fewest stages to draw.
        max_stages: Most stages to draw (at most 8 keeps examples small).
    """
    stage_ids = draw(
        st.lists(ids(), min_size=min_stages, max_size=max_stages, unique=True)
    )
    kind = draw(st.sampled_from(get_args(FrameworkKind)))
    # A stage may leave its direction unsaid (an older file), except in a
    # continuum, which is loaded with a DataWarning then.
    directions = (
        get_args(Direction) if kind == "continuum" else (*get_args(Direction), None)
    )
    stages = tuple(
        Stage(
            id=StageId(sid),
            name=draw(texts()),
            position=index,
            summary=draw(texts()),
            description=draw(_optional_text()),
            direction=draw(st.sampled_from(directions)),
        )
        for index, sid in enumerate(stage_ids, start=1)
    )
    stage_choice: st.SearchStrategy[Any] = (
        st.one_of(st.none(), st.sampled_from(stage_ids)) if stage_ids else st.none()
    )
    characteristic_ids = draw(st.lists(ids(), max_size=6, unique=True))
    characteristics = tuple(
        Characteristic(
            id=CharacteristicId(cid),
            name=draw(texts()),
            description=draw(texts()),
            stage=draw(stage_choice),
            level=draw(st.one_of(st.none(), st.sampled_from(get_args(Level)))),
            examples=tuple(draw(st.lists(texts(), max_size=2))),
            tags=draw(_tags()),
        )
        for cid in characteristic_ids
    )
    prompt_ids = draw(st.lists(ids(), max_size=10, unique=True))
    prompts = tuple(
        ReflectivePrompt(
            id=PromptId(pid),
            text=draw(texts(max_size=80)),
            stage=draw(stage_choice),
            characteristics=tuple(
                CharacteristicId(c)
                for c in draw(
                    st.lists(
                        st.sampled_from(characteristic_ids), max_size=2, unique=True
                    )
                    if characteristic_ids
                    else st.just([])
                )
            ),
            kind=draw(st.sampled_from(get_args(PromptKind))),
            tags=draw(_tags()),
            fits=tuple(
                draw(st.lists(st.sampled_from(get_args(Direction)), unique=True))
            ),
        )
        for pid in prompt_ids
    )
    principles = tuple(
        Principle(
            id=PrincipleId(pid),
            name=draw(texts()),
            description=draw(texts()),
            kind=draw(st.sampled_from(get_args(PrincipleKind))),
            tags=draw(_tags()),
        )
        for pid in draw(st.lists(ids(), max_size=4, unique=True))
    )
    citations = tuple(
        Citation(
            id=CitationId(cid),
            authors=tuple(draw(st.lists(texts(), min_size=1, max_size=3))),
            year=draw(st.one_of(st.none(), st.integers(1900, 2100))),
            title=draw(texts()),
            publisher=draw(_optional_text()),
            url=draw(_optional_text()),
            note=draw(_optional_text()),
        )
        for cid in draw(st.lists(ids(), min_size=1, max_size=3, unique=True))
    )
    return Framework(
        id=FrameworkId(draw(ids())),
        name=draw(texts()),
        summary=draw(texts()),
        kind=kind,
        cyclic=draw(st.booleans()),
        language=draw(st.sampled_from(["en", "en-GB", "cy", "fr"])),
        data_version=draw(st.sampled_from(["1.0.0", "0.1.0", "2026.11"])),
        licence=Licence(
            spdx=draw(st.sampled_from([None, "CC-BY-4.0", "CC-BY-SA-4.0"])),
            note=draw(texts()),
            url=draw(_optional_text()),
        ),
        citations=citations,
        stages=stages,
        characteristics=characteristics,
        prompts=prompts,
        principles=principles,
        description=draw(_optional_text()),
        tags=draw(_tags()),
    )


_METHODS = ("sum", "mean", "pomp", "median")


def _response_scale(draw: st.DrawFn) -> ResponseScale:
    low = draw(st.integers(-3, 3))
    step = draw(st.sampled_from([1, 1, 0.5, 2]))
    count = draw(st.integers(2, 7))
    values = [low + step * index for index in range(count)]
    choices = tuple(
        Choice(value=value, label=f"choice {index}")
        for index, value in enumerate(values)
    )
    aliases = tuple(
        Alias(label=f"alias {index}", value=value)
        for index, value in enumerate(values)
        if draw(st.booleans())
    )
    return ResponseScale(
        choices=choices,
        min=values[0],
        max=values[-1],
        aliases=aliases,
        not_applicable=("N/A", "Does not apply") if draw(st.booleans()) else (),
        not_applicable_values=(values[0] - 9,) if draw(st.booleans()) else (),
    )


def _bands(
    draw: st.DrawFn, scale: Scale, low: float, high: float, total_weight: float
) -> list[Band]:
    if scale.method == "sum":
        low, high = low * total_weight, high * total_weight
    elif scale.method == "pomp":
        low, high = 0.0, 100.0
    cuts = sorted(set(draw(st.lists(st.floats(0.05, 0.95), max_size=3))))
    edges = [low, *(low + (high - low) * cut for cut in cuts), high]
    return [
        Band(
            id=BandId(f"{scale.id}-band-{index}"),
            scale=scale.id,
            min=start,
            max=end,
            label=f"Band {index}",
        )
        for index, (start, end) in enumerate(itertools.pairwise(edges))
        if end > start
    ]


@st.composite
def instruments(draw: st.DrawFn, *, max_items: int = 8) -> Instrument:
    """Return a strategy for valid, scoreable instruments.

    Items share one response scale (some have their own, with the same
    bounds); some are reverse-keyed or weighted; every scale has items,
    and its bands, if any, cover its range without gaps or overlaps.

    Args:
        draw: Supplied by Hypothesis.
        max_items: Most items to draw.
    """
    shared = _response_scale(draw)
    item_ids = draw(st.lists(ids(), min_size=1, max_size=max_items, unique=True))
    items = []
    for item_id in item_ids:
        own = None
        if draw(st.integers(0, 4)) == 0:
            # Same bounds, other labels: items of one scale share min and max.
            own = attrs.evolve(
                shared,
                choices=tuple(
                    attrs.evolve(c, label=f"{item_id} {c.label}")
                    for c in shared.choices
                ),
                aliases=(),
            )
        items.append(
            Item(
                id=ItemId(item_id),
                text=draw(_optional_text()),
                reverse=draw(st.booleans()),
                weight=draw(st.sampled_from([1.0, 1.0, 0.5, 2.0])),
                response_scale=own,
            )
        )
    weights: dict[str, float] = {item.id: item.weight for item in items}
    stage_ids = [
        StageId(s) for s in draw(st.lists(ids(), min_size=1, max_size=3, unique=True))
    ]
    scales = []
    bands: list[Band] = []
    for scale_id in draw(st.lists(ids(), min_size=1, max_size=3, unique=True)):
        keys = draw(
            st.lists(st.sampled_from(item_ids), min_size=1, max_size=6, unique=True)
        )
        scale = Scale(
            id=ScaleId(scale_id),
            name=draw(texts()),
            items=tuple(ItemId(k) for k in keys),
            method=draw(st.sampled_from(_METHODS)),
            min_answered=draw(st.integers(1, len(keys))),
            min_answered_share=draw(st.sampled_from([0.0, 0.5, 1.0])),
            stage=draw(st.one_of(st.none(), st.sampled_from(stage_ids))),
        )
        scales.append(scale)
        if draw(st.booleans()):
            total = sum(weights[k] for k in keys)
            bands.extend(_bands(draw, scale, shared.min, shared.max, total))
    return Instrument(
        id=InstrumentId(draw(ids())),
        name=draw(texts()),
        summary=draw(texts()),
        intended_use=draw(texts()),
        version=draw(st.sampled_from(["1.0.0", "0.1.0"])),
        validated=draw(st.booleans()),
        licence=Licence(spdx="CC-BY-4.0", note=draw(texts())),
        citations=(
            Citation(
                id=CitationId("source"), authors=("Someone",), year=2026, title="T"
            ),
        ),
        response_scale=shared,
        items=tuple(items),
        scales=tuple(scales),
        bands=tuple(bands),
    )


def responses_for(
    instrument: Instrument, *, missing: bool = True, values_only: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Return a strategy for valid answers to *instrument*.

    Each item is answered with a choice value, a label (in any case, with
    stray spaces), an alias, an N/A label or code, None, or (with
    *missing*) left out.

    Args:
        instrument: A scoreable instrument.
        missing: Whether items may be left out or None.
        values_only: Answer with choice values only (no labels, aliases or
            N/A), for checks that recompute a score from the numbers.
    """
    per_item: dict[str, st.SearchStrategy[Any]] = {}
    for item in instrument.items:
        scale = item.response_scale or instrument.response_scale
        if scale is None:
            continue
        options: list[Any] = [c.value for c in scale.choices]
        if values_only:
            per_item[item.id] = st.sampled_from(
                [*options, None] if missing else options
            )
            continue
        options.extend(c.label for c in scale.choices)
        options.extend(f"  {c.label.upper()} " for c in scale.choices)
        options.extend(a.label for a in scale.aliases)
        options.extend(scale.not_applicable)
        options.extend(scale.not_applicable_values)
        if missing:
            options.append(None)
        per_item[item.id] = st.sampled_from(options)

    @st.composite
    def _answers(draw: st.DrawFn) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for item_id, strategy in per_item.items():
            if missing and draw(st.integers(0, 5)) == 0:
                continue
            answers[item_id] = draw(strategy)
        return answers

    return _answers()


@st.composite
def answer_tables(  # noqa: PLR0913 -- keyword-only options of the table drawn
    draw: st.DrawFn,
    instrument: Instrument,
    *,
    bad: bool = False,
    max_rows: int = 8,
    id_column: str = "who",
    odd: bool = False,
    extra: bool = False,
) -> list[dict[str, Any]]:
    """Return rows of answers that every door can carry alike.

    A table, as a file, a DataFrame or rows would hold it: an id column of
    unique text ids, then some of the instrument's items, each column all
    choice values (numbers) or all choice labels, with blanks (None). With
    *bad*, some cells are unusable (a number that is no choice, a text that
    is no label). Every row has every column, so a CSV file, a pandas or a
    polars frame and the rows hold the same answers.

    Args:
        draw: Hypothesis's draw function (given by ``st.composite``).
        instrument: A scoreable instrument.
        bad: Whether unusable answers may appear.
        max_rows: The most rows drawn.
        id_column: The name of the id column.
        odd: Also draw the harder cells: labels in other case and spacing,
            N/A codes and labels, and (with *bad*) more kinds of unusable
            numbers (0, -1, a fraction such as 3.5) and texts. A column of
            numbers then holds floats where a fraction is drawn, as a frame
            would.
        extra: Also draw columns that are no item: housekeeping columns of
            REDCap and Qualtrics exports (set aside by every door), a
            ``note_<n>`` column (set aside with ``ignore=["note_*"]``, an
            error without), and (with *bad*) an item's id misspelt.
    """
    columns: dict[str, list[Any]] = {}
    for item in instrument.items:
        scale = item.response_scale or instrument.response_scale
        if scale is None or not draw(st.booleans()):
            continue
        labels = draw(st.booleans())
        good: list[Any] = (
            [c.label.strip() for c in scale.choices]
            if labels
            else [c.value for c in scale.choices]
        )
        top = int(max(c.value for c in scale.choices))
        wrong: list[Any] = ["not-a-label"] if labels else [top + 7]
        if odd:
            more, worse = _odd_cells(scale, labels=labels)
            good += more
            wrong += worse
        columns[item.id] = [*good, None, *(wrong if bad else [])]
    if not columns:
        item = instrument.items[0]
        scale = item.response_scale or instrument.response_scale
        assert scale is not None  # noqa: S101 -- a scoreable instrument
        columns[item.id] = [c.value for c in scale.choices]
    if extra:
        columns |= _extra_columns(draw, instrument, bad=bad, taken=set(columns))
    count = draw(st.integers(1, max_rows))
    return [
        {id_column: f"p{n}"}
        | {
            item_id: draw(st.sampled_from(options))
            for item_id, options in columns.items()
        }
        for n in range(count)
    ]


def _odd_cells(scale: ResponseScale, *, labels: bool) -> tuple[list[Any], list[Any]]:
    """Harder usable cells, and more unusable ones, of a column of *scale*."""
    if labels:
        good = [f"  {c.label.strip().upper()} " for c in scale.choices[:1]]
        good += [c.strip() for c in scale.not_applicable]
        return good, ["maybe"]
    values = {float(c.value) for c in scale.choices}
    wrong = [v for v in (0, -1, 3.5) if float(v) not in values]
    return list(scale.not_applicable_values), wrong


def _extra_columns(
    draw: st.DrawFn, instrument: Instrument, *, bad: bool, taken: set[str]
) -> dict[str, list[Any]]:
    """Columns that are no item: housekeeping, a note, a misspelt item id."""
    columns: dict[str, list[Any]] = {}
    if draw(st.booleans()):
        columns["redcap_event_name"] = ["baseline_arm_1", None]
    if draw(st.booleans()):
        columns["ally_reflection_complete"] = [0, 2]
    if draw(st.booleans()):
        columns[f"note_{draw(st.integers(1, 3))}"] = ["late", None]
    if bad and draw(st.booleans()):
        name = str(instrument.items[0].id)
        misspelt = name[:-1] + ("x" if name[-1] != "x" else "y")
        if misspelt not in taken:
            columns[misspelt] = [instrument_value(instrument)]
    return columns


def instrument_value(instrument: Instrument) -> Any:
    """The first choice value of *instrument*'s first item (a usable answer)."""
    item = instrument.items[0]
    scale = item.response_scale or instrument.response_scale
    assert scale is not None  # noqa: S101 -- a scoreable instrument
    return scale.choices[0].value


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
def _histories(draw: st.DrawFn) -> History:
    return draw(histories_for(draw(frameworks())))


def results() -> st.SearchStrategy[Any]:
    """Return a strategy for any result type of the one serialisation contract.

    Score, reliability and change reports, histories, ally maps and
    profile translations: each has ``to_dict``/``to_json``/``from_dict``/
    ``from_json``, and each round-trips.
    """
    return st.one_of(
        score_reports(),
        reliability_reports(),
        change_reports(),
        _histories(),
        ally_maps(),
        profile_translations(),
    )


def longitudinal_rows(  # noqa: PLR0913 -- keyword-only knobs of the generator
    instrument: Instrument,
    *,
    seed: int,
    people: int = 40,
    waves: int = 4,
    slope: float = 0.3,
    missed: float = 0.1,
) -> list[list[dict[str, Any]]]:
    """Return *waves* administrations of generated answers, paired by ``"id"``.

    Each respondent has an intercept and a slope of their own (normal, on
    the instrument's response scale), each answer adds noise and is
    rounded to a choice, reverse-keyed items are answered the other way
    round, and a wave is missed with probability *missed*. Not a Hypothesis
    strategy: a fixed data set per *seed*, for peer tests of ``waves()``.

    >>> from allykit.catalog import load_instrument
    >>> data = longitudinal_rows(
    ...     load_instrument("ally-model-reflection"), seed=1, people=5, waves=3)
    >>> len(data), all(len(wave) <= 5 for wave in data)
    (3, True)
    """
    import random

    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    scale = instrument.response_scale
    if scale is None:
        msg = "longitudinal_rows needs an instrument with one response scale"
        raise ValueError(msg)
    low, high = scale.min, scale.max
    middle, spread = (low + high) / 2, (high - low) / 4
    values = [float(choice.value) for choice in scale.choices]
    out: list[list[dict[str, Any]]] = [[] for _ in range(waves)]
    for person in range(people):
        level = rng.gauss(middle, spread)
        own_slope = rng.gauss(slope, abs(slope) * 0.8 + 0.05)
        for wave in range(waves):
            if rng.random() < missed:
                continue
            row: dict[str, Any] = {"id": f"r{person}"}
            for item in instrument.items:
                target = level + own_slope * wave + rng.gauss(0, spread / 2)
                if item.reverse:
                    target = low + high - target
                row[item.id] = _nearest(values, target)
            out[wave].append(row)
    return out


def _nearest(values: list[float], target: float) -> float | int:
    best = min(values, key=lambda v: abs(v - target))
    return int(best) if best.is_integer() else best


@st.composite
def item_columns(
    draw: st.DrawFn, *, max_items: int = 6, max_rows: int = 12
) -> list[list[float | None]]:
    """Answers to 2 to *max_items* items on 1..5, one list per item, some None.

    For properties of the figures computed from item columns (correlations,
    the first principal component).
    """
    k = draw(st.integers(2, max_items))
    n = draw(st.integers(5, max(5, max_rows)))
    # About one answer in ten missing.
    answer = st.integers(0, 49).map(lambda v: None if v < 5 else float(1 + v % 5))  # noqa: PLR2004
    return [draw(st.lists(answer, min_size=n, max_size=n)) for _ in range(k)]
