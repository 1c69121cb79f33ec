"""The per-instrument scoring plan: lookup tables built once and cached.

Scoring a response set is then a couple of dictionary look-ups per item.
The plan is stored on the frozen :class:`~allykit.models.instrument.Instrument`
itself (a private, non-data field), so it lives exactly as long as the
instrument and needs no global cache.
"""

from __future__ import annotations

import decimal
import math
import numbers
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from allykit.catalog._checks.instrument import normalise_label
from allykit.errors import InvalidArgumentError, Problem, short_repr

if TYPE_CHECKING:
    from allykit.models.instrument import Band, Instrument, ResponseScale, Scale

__all__ = ["NA", "ItemPlan", "Plan", "ScalePlan", "plan_for", "resolve"]


class _NotApplicable:
    """Marker for an answer given as "does not apply" (not the same as missing)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NA"


NA: Any = _NotApplicable()


class ItemPlan:
    """Look-up tables for one item."""

    __slots__ = ("high", "id", "labels", "low", "na_labels", "na_values", "values")

    def __init__(self, item_id: str, scale: ResponseScale) -> None:
        self.id = item_id
        self.values = frozenset(c.value for c in scale.choices)
        labels: dict[str, float] = {}
        for choice in scale.choices:
            labels[choice.label] = choice.value
            labels[normalise_label(choice.label)] = choice.value
        for alias in scale.aliases:
            labels[alias.label] = alias.value
            labels[normalise_label(alias.label)] = alias.value
        self.labels = labels
        na = set(scale.not_applicable)
        na.update(normalise_label(label) for label in scale.not_applicable)
        self.na_labels = frozenset(na)
        self.na_values = frozenset(scale.not_applicable_values)
        self.low = scale.min
        self.high = scale.max


class ScalePlan:
    """Everything needed to score one scale."""

    __slots__ = (
        "band_table",
        "full",
        "high",
        "low",
        "members",
        "method",
        "min_answered",
        "n_items",
        "name",
        "needed_all",
        "ordinal",
        "point_stages",
        "scale",
        "scale_id",
        "share",
        "stage",
        "total_weight",
    )

    def __init__(
        self,
        scale: Scale,
        members: tuple[tuple[int, float, bool, str], ...],
        bounds: tuple[float, float],
        bands: tuple[Band, ...],
        point_stages: dict[float, str | None],
    ) -> None:
        self.scale = scale
        self.members = members
        self.low, self.high = bounds
        self.n_items = len(members)
        self.total_weight = math.fsum(weight for _, weight, _, _ in members)
        self.min_answered = scale.min_answered
        self.share = scale.min_answered_share
        self.point_stages = point_stages
        self.scale_id = scale.id
        self.name = scale.name
        self.stage = scale.stage
        self.method = scale.method
        self.ordinal = scale.method == "median"
        # The minimum of answers when nothing is N/A, worked out once.
        self.needed_all = max(
            scale.min_answered,
            math.ceil(scale.min_answered_share * self.n_items - 1e-9),
            1,
        )
        #: (upper bound, id, label, prompts) of each band, lowest first.
        self.band_table = tuple((b.max, b.id, b.label, b.prompts) for b in bands)
        # What the scoring loop would work out when every item is answered:
        # the weights summed in member order (the same float additions), the
        # reverse-keyed ids, and (index, weight, reverse) to walk.
        weights = 0.0
        for _, weight, _, _ in members:
            weights += weight
        self.full = (
            weights,
            tuple(key for _, _, reverse, key in members if reverse),
            tuple((index, weight, reverse) for index, weight, reverse, _ in members),
            all(weight == 1.0 for _, weight, _, _ in members),
        )


class Plan:
    """The scoring plan of one instrument."""

    __slots__ = ("index", "items", "keys", "scales", "stage_table")

    def __init__(
        self,
        items: tuple[ItemPlan, ...],
        scales: tuple[ScalePlan, ...],
        stages: tuple[tuple[str, str, int, tuple[int, ...]], ...],
    ) -> None:
        self.items = items
        self.index = {item.id: position for position, item in enumerate(items)}
        self.keys = frozenset(self.index)
        self.scales = scales
        #: The stages with the ids of their scales, worked out once.
        self.stage_table = tuple(
            (sid, name, pos, idx, tuple([scales[i].scale_id for i in idx]))
            for sid, name, pos, idx in stages
        )


# Plans by the id of their instrument, outside the frozen objects: an entry
# holds a weak reference that tells a live instrument from a later one that
# reuses its id, and is dropped when its instrument is collected.
_plans: dict[int, tuple[weakref.ref[Instrument], Plan]] = {}


def _forget(key: int) -> None:
    _plans.pop(key, None)


def plan_for(instrument: Instrument) -> Plan:
    """Return the cached plan of *instrument*, building it on first use.

    Raises:
        InvalidArgumentError: If the instrument cannot be scored yet
            (metadata only: no items, scales or response scale).
    """
    key = id(instrument)
    found = _plans.get(key)
    if found is not None and found[0]() is instrument:
        return found[1]
    from allykit.models.instrument import Instrument

    if not isinstance(instrument, Instrument):
        msg = (
            f"expected an Instrument (from allykit.load_instrument or "
            f"load_instrument_file), got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    plan = _build(instrument)
    _plans[key] = (weakref.ref(instrument), plan)
    weakref.finalize(instrument, _forget, key)
    return plan


def _build(instrument: Instrument) -> Plan:
    if instrument.is_metadata_only:
        msg = (
            f"instrument {instrument.id!r} has no items or scoring keys to score; "
            "supply them from your own licensed copy with merge_item_text()"
        )
        raise InvalidArgumentError(msg)
    scales_of: dict[str, ResponseScale] = {}
    items = []
    for item in instrument.items:
        options = item.response_scale or instrument.response_scale
        if options is None:
            msg = f"item {item.id!r} has no response scale"
            raise InvalidArgumentError(msg)
        scales_of[item.id] = options
        items.append(ItemPlan(item.id, options))
    index = {item.id: position for position, item in enumerate(instrument.items)}
    by_id = {item.id: item for item in instrument.items}
    scale_plans = []
    for scale in instrument.scales:
        members = tuple(
            (index[key], float(by_id[key].weight), by_id[key].reverse, key)
            for key in scale.items
        )
        first = scales_of[scale.items[0]]
        point_stages: dict[float, str | None] = {}
        for key in scale.items:
            for choice in scales_of[key].choices:
                point_stages.setdefault(choice.value, choice.stage)
        bands = tuple(
            sorted(
                (b for b in instrument.bands if b.scale == scale.id),
                key=lambda band: band.min,
            )
        )
        scale_plans.append(
            ScalePlan(scale, members, (first.min, first.max), bands, point_stages)
        )
    return Plan(tuple(items), tuple(scale_plans), _stages(instrument))


def _stages(
    instrument: Instrument,
) -> tuple[tuple[str, str, int, tuple[int, ...]], ...]:
    """Return (stage id, name, position, scale indexes) in the framework's order.

    Only stages that some scale describes are listed. Without a bundled
    framework the order is the order of the scales and names are the ids.
    """
    from allykit.models.framework import StageId

    described: dict[str, list[int]] = {}
    for position, scale in enumerate(instrument.scales):
        if scale.stage is not None:
            described.setdefault(scale.stage, []).append(position)
    if not described:
        return ()
    framework = None
    if instrument.framework is not None:
        from allykit.catalog import get_framework

        framework = get_framework(instrument.framework)
    if framework is not None:
        known = {stage.id for stage in framework.stages}
        ordered = [
            (stage.id, stage.name, stage.position)
            for stage in framework.stages
            if stage.id in described
        ]
        extra = [sid for sid in described if sid not in known]
    else:
        ordered, extra = [], list(described)
    start = len(ordered)
    ordered.extend(
        (StageId(sid), sid, start + offset + 1) for offset, sid in enumerate(extra)
    )
    return tuple((sid, name, pos, tuple(described[sid])) for sid, name, pos in ordered)


def _problem(item_id: object, message: str, value: object, hint: str = "") -> Problem:
    return Problem(
        path=f"responses[{item_id!r}]",
        message=message,
        value=short_repr(value),
        hint=hint,
    )


def _numeric_text_hint(item: ItemPlan, value: str) -> str:
    """Why a number written as text ("4", from a web form or CSV) is refused.

    Text is matched against the choice labels only, so that a label that
    looks like a number never changes meaning; the hint says how to pass
    the number itself.
    """
    try:
        number = float(value.strip())
    except ValueError:
        return ""
    if number not in item.values and number not in item.na_values:
        return ""
    return (
        f"text is read as a choice label, and no label is {value.strip()!r}: "
        f"pass the number {number:g} itself (convert the column first, e.g. "
        "with int()), or read the export with an allykit.surveys importer, "
        "which converts numbers"
    )


def _numpy_bool(value: object) -> bool:
    """Tell whether *value* is NumPy's bool (``np.True_``), without NumPy."""
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")


def _as_float(value: numbers.Real | decimal.Decimal) -> float | None:
    """Return *value* as a float: NaN for any Decimal NaN, None past a float's range."""
    if isinstance(value, decimal.Decimal) and value.is_nan():
        return math.nan  # float() refuses a signalling NaN
    try:
        return float(value)
    except (OverflowError, ValueError):
        return None


def _slow_value(item: ItemPlan, value: Any) -> tuple[Any, Problem | None]:  # noqa: PLR0911 -- one return per kind
    """Resolve an answer that is not a plain int, float or exact label."""
    if isinstance(value, str):
        key = normalise_label(value)
        if key in item.na_labels:
            return NA, None
        found = item.labels.get(key)
        if found is not None:
            return found, None
        choices = ", ".join(sorted({k for k in item.labels if k != normalise_label(k)}))
        return None, _problem(
            item.id,
            "not a label of this item's choices",
            value,
            _numeric_text_hint(item, value) or f"use one of: {choices}",
        )
    if isinstance(value, bool) or _numpy_bool(value):
        return None, _problem(item.id, "a bool is not an answer", value)
    if isinstance(value, (numbers.Real, decimal.Decimal)):
        # A Decimal is a number too (a database driver's, a Decimal column).
        number = _as_float(value)
        if number is None:
            return None, _problem(
                item.id,
                f"a number far outside the choice values ({item.low:g} to "
                f"{item.high:g})",
                value,
            )
        if math.isnan(number):
            return None, _problem(
                item.id, "NaN is not an answer", value, "pass None for missing"
            )
        if number in item.values:
            return number, None
        if number in item.na_values:
            return NA, None
        return None, _problem(
            item.id,
            f"not one of the choice values ({item.low:g} to {item.high:g})",
            value,
        )
    return None, _problem(
        item.id,
        "expected a number, a label, an N/A code or None",
        value,
    )


def resolve(
    plan: Plan, responses: Any, *, raise_on_problems: bool
) -> tuple[list[Any], list[Problem]]:
    """Turn one response mapping into a list of values, NA or None, in item order.

    Returns the values and the problems found (empty when all is well).
    When *raise_on_problems* is false, bad answers count as missing.

    Raises:
        ResponseError: If *responses* is not a mapping, or (with
            *raise_on_problems*) any answer is unusable.
    """
    from allykit.errors import ResponseError

    if not isinstance(responses, Mapping):
        problem = Problem(
            path="responses",
            message="expected a mapping of item id to answer",
            value=short_repr(responses),
        )
        raise ResponseError([problem])
    problems: list[Problem] = []
    if not plan.keys.issuperset(responses):
        problems.extend(
            Problem(
                path=f"responses[{key!r}]",
                message="no item has this id",
                value=short_repr(key),
                hint=_near(key, plan.keys),
            )
            for key in responses
            if key not in plan.keys
        )
    get = responses.get
    values: list[Any] = []
    append = values.append
    for item in plan.items:
        value = get(item.id)
        kind = type(value)
        if value is None:
            append(None)
        elif (kind is int or kind is float) and value in item.values:
            append(value)
        elif kind is str and value in item.labels:
            append(item.labels[value])
        elif kind is str and value in item.na_labels:
            append(NA)
        else:
            resolved, trouble = _slow_value(item, value)
            if trouble is not None:
                problems.append(trouble)
            append(resolved)
    if problems and raise_on_problems:
        raise ResponseError(problems)
    return values, problems


def _near(key: object, known: frozenset[str]) -> str:
    if not isinstance(key, str):
        return "item ids are strings"
    from allykit._suggest import closest

    near = closest(key, known, limit=1)
    return f"did you mean {near[0]!r}?" if near else ""
