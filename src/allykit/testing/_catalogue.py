"""Hypothesis strategies for catalogue objects: frameworks, instruments, answers.

Part of :mod:`allykit.testing`, the one strategies module: import from there.
"""

from __future__ import annotations

import itertools
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
from allykit.testing._values import _optional_text, _tags, bad_values, ids, texts

__all__ = [
    "answer_tables",
    "frameworks",
    "fuzzed_responses",
    "instruments",
    "responses_for",
]


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


@st.composite
def answer_tables(
    draw: st.DrawFn,
    instrument: Instrument,
    *,
    bad: bool = False,
    max_rows: int = 8,
    id_column: str = "who",
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
        wrong: list[Any] = (
            ["not-a-label"]
            if labels
            else [int(max(c.value for c in scale.choices)) + 7]
        )
        columns[item.id] = [*good, None, *(wrong if bad else [])]
    if not columns:
        item = instrument.items[0]
        scale = item.response_scale or instrument.response_scale
        assert scale is not None  # noqa: S101 -- a scoreable instrument
        columns[item.id] = [c.value for c in scale.choices]
    count = draw(st.integers(1, max_rows))
    return [
        {id_column: f"p{n}"}
        | {
            item_id: draw(st.sampled_from(options))
            for item_id, options in columns.items()
        }
        for n in range(count)
    ]
