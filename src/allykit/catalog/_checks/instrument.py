"""Cross-reference checks on plain instrument data, run after the schema check.

Like :mod:`allykit.catalog._checks`, they read the raw mapping defensively (values
of the wrong type are skipped: the schema check reported them), so one run
reports structural and cross-reference problems together.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from allykit.catalog._checks import entries, unique_ids
from allykit.errors import Problem, short_repr

__all__ = ["check_instrument", "normalise_label", "scale_range"]

_TOLERANCE = 1e-9


def normalise_label(label: str) -> str:
    """Return *label* trimmed, with runs of white space as one space, case-folded."""
    return " ".join(label.split()).casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float: not a usable number
        return None
    return number if math.isfinite(number) else None


def scale_range(
    method: str, low: float, high: float, total_weight: float
) -> tuple[float, float]:
    """Return the lowest and highest possible headline score of a scale."""
    if method == "sum":
        return low * total_weight, high * total_weight
    if method == "pomp":
        return 0.0, 100.0
    return low, high


def _check_response_scale(path: str, scale: Any) -> list[Problem]:  # noqa: C901, PLR0912, PLR0915 -- one rule per branch
    problems: list[Problem] = []
    if not isinstance(scale, Mapping):
        return problems
    choices = scale.get("choices")
    values: list[float] = []
    labels: dict[str, str] = {}
    if isinstance(choices, list):
        previous: float | None = None
        for index, choice in enumerate(choices):
            if not isinstance(choice, Mapping):
                continue
            value = _number(choice.get("value"))
            if value is None:
                problems.append(
                    Problem(
                        path=f"{path}.choices[{index}].value",
                        message="must be a finite number",
                        value=short_repr(choice.get("value")),
                    )
                )
                continue
            if previous is not None and value <= previous:
                problems.append(
                    Problem(
                        path=f"{path}.choices[{index}].value",
                        message="choices must be in strictly increasing order of value",
                        value=short_repr(choice.get("value")),
                        hint="list the options from the lowest value to the highest",
                    )
                )
            previous = value
            values.append(value)
            label = choice.get("label")
            if isinstance(label, str):
                key = normalise_label(label)
                if key in labels:
                    problems.append(
                        Problem(
                            path=f"{path}.choices[{index}].label",
                            message=f"label repeats {labels[key]}",
                            value=short_repr(label),
                            hint="labels are matched ignoring case and spacing",
                        )
                    )
                labels[key] = f"{path}.choices[{index}].label"
    low, high = _number(scale.get("min")), _number(scale.get("max"))
    if values:
        for key, bound, expected in (
            ("min", low, min(values)),
            ("max", high, max(values)),
        ):
            if bound is not None and bound != expected:
                problems.append(
                    Problem(
                        path=f"{path}.{key}",
                        message=f"declared {key} does not agree with the choices "
                        f"(expected {expected:g})",
                        value=short_repr(scale.get(key)),
                        hint="the bounds must be the lowest and highest choice values",
                    )
                )
    problems.extend(
        Problem(
            path=f"{path}.{key}",
            message="must be a finite number",
            value=short_repr(scale.get(key)),
        )
        for key in ("min", "max")
        if key in scale and _number(scale.get(key)) is None
    )
    value_set = set(values)
    for index, alias in entries(scale, "aliases"):
        value = _number(alias.get("value"))
        if value is not None and value not in value_set:
            problems.append(
                Problem(
                    path=f"{path}.aliases[{index}].value",
                    message="no choice has this value",
                    value=short_repr(alias.get("value")),
                )
            )
        label = alias.get("label")
        if isinstance(label, str):
            key = normalise_label(label)
            if key in labels:
                problems.append(
                    Problem(
                        path=f"{path}.aliases[{index}].label",
                        message=f"label repeats {labels[key]}",
                        value=short_repr(label),
                    )
                )
            labels[key] = f"{path}.aliases[{index}].label"
    na_labels = scale.get("not_applicable")
    if isinstance(na_labels, list):
        for index, label in enumerate(na_labels):
            if isinstance(label, str):
                key = normalise_label(label)
                if key in labels:
                    problems.append(
                        Problem(
                            path=f"{path}.not_applicable[{index}]",
                            message=f"label repeats {labels[key]}",
                            value=short_repr(label),
                        )
                    )
                labels[key] = f"{path}.not_applicable[{index}]"
    na_values = scale.get("not_applicable_values")
    if isinstance(na_values, list):
        for index, raw in enumerate(na_values):
            value = _number(raw)
            in_range = (
                value is not None
                and low is not None
                and high is not None
                and low <= value <= high
            )
            if value is None or in_range:
                problems.append(
                    Problem(
                        path=f"{path}.not_applicable_values[{index}]",
                        message="an N/A code must be a finite number outside min..max",
                        value=short_repr(raw),
                    )
                )
    return problems


def _bounds(scale: Any) -> tuple[float, float] | None:
    if not isinstance(scale, Mapping):
        return None
    low, high = _number(scale.get("min")), _number(scale.get("max"))
    if low is None or high is None:
        return None
    return low, high


def _framework_refs(data: Mapping[str, Any]) -> tuple[set[str], set[str]] | None:
    """Return (stage ids, prompt ids) of the instrument's bundled framework, if any."""
    framework_id = data.get("framework")
    if not isinstance(framework_id, str):
        return None
    from allykit.catalog import get_framework

    framework = get_framework(framework_id)
    if framework is None:
        return None
    return {s.id for s in framework.stages}, {p.id for p in framework.prompts}


def _framework_exists(data: Mapping[str, Any]) -> list[Problem]:
    """Refuse a ``framework`` id that no bundled or installed framework has."""
    framework_id = data.get("framework")
    if not isinstance(framework_id, str):
        return []
    from allykit.catalog import available_frameworks

    known = available_frameworks()
    if framework_id in known:
        return []
    from allykit._suggest import closest

    near = closest(framework_id, known, limit=1)
    return [
        Problem(
            path="framework",
            message="no framework has this id",
            value=short_repr(framework_id),
            hint=f"did you mean {near[0]!r}?"
            if near
            else "install the package that provides it, or leave the field out",
        )
    ]


def _ref(path: str, value: Any, known: set[str], what: str) -> list[Problem]:
    if not isinstance(value, str) or value in known:
        return []
    from allykit._suggest import closest

    near = closest(value, known, limit=1)
    return [
        Problem(
            path=path,
            message=f"no {what} has this id",
            value=short_repr(value),
            hint=f"did you mean {near[0]!r}?"
            if near
            else f"add {'an' if what[:1] in 'aeiou' else 'a'} {what} with this id",
        )
    ]


def check_instrument(data: Mapping[str, Any]) -> list[Problem]:  # noqa: C901, PLR0912, PLR0915 -- a checklist
    """Return every cross-reference problem in plain instrument data."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for key in ("items", "scales", "bands", "citations"):
        ids[key], repeated = unique_ids(data, key)
        problems.extend(repeated)
    citations = data.get("citations")
    if isinstance(citations, list) and not citations:
        problems.append(
            Problem(
                path="citations",
                message="at least one citation is required",
                hint="cite the source the instrument comes from",
            )
        )
    refs = _framework_refs(data)
    stages, prompts = refs if refs is not None else (None, None)
    problems.extend(_framework_exists(data))

    shared = data.get("response_scale")
    problems.extend(_check_response_scale("response_scale", shared))
    item_bounds: dict[str, tuple[float, float] | None] = {}
    item_weight: dict[str, float] = {}
    for index, item in entries(data, "items"):
        own = item.get("response_scale")
        if own is not None:
            problems.extend(
                _check_response_scale(f"items[{index}].response_scale", own)
            )
            if stages is not None and isinstance(own, Mapping):
                for position, choice in entries(own, "choices"):
                    problems.extend(
                        _ref(
                            f"items[{index}].response_scale.choices[{position}].stage",
                            choice.get("stage"),
                            stages,
                            "stage",
                        )
                    )
        elif shared is None:
            problems.append(
                Problem(
                    path=f"items[{index}]",
                    message="the item has no response scale",
                    hint="give the instrument a response_scale or the item its own",
                )
            )
        weight = item.get("weight", 1.0)
        if _number(weight) is None or float(weight) <= 0:
            problems.append(
                Problem(
                    path=f"items[{index}].weight",
                    message="must be a positive number",
                    value=short_repr(weight),
                )
            )
        if isinstance(item.get("id"), str):
            item_bounds[item["id"]] = _bounds(own if own is not None else shared)
            item_weight[item["id"]] = float(weight) if _number(weight) else 1.0
    if stages is not None and isinstance(shared, Mapping):
        for position, choice in entries(shared, "choices"):
            problems.extend(
                _ref(
                    f"response_scale.choices[{position}].stage",
                    choice.get("stage"),
                    stages,
                    "stage",
                )
            )

    published = data.get("published")
    items = data.get("items")
    if isinstance(published, Mapping) and isinstance(items, list) and items:
        count = published.get("items")
        if isinstance(count, int) and count != len(items):
            problems.append(
                Problem(
                    path="items",
                    message=f"the published scale has {count} items, "
                    f"but {len(items)} are given",
                    value=f"{len(items)} items",
                    hint="supply every item of your licensed copy",
                )
            )

    ranges: dict[str, tuple[float, float]] = {}
    for index, scale in entries(data, "scales"):
        keys = scale.get("items")
        if isinstance(keys, list):
            if not keys:
                problems.append(
                    Problem(
                        path=f"scales[{index}].items",
                        message="a scale needs at least one item",
                    )
                )
            seen: set[str] = set()
            bounds: set[tuple[float, float]] = set()
            for position, key in enumerate(keys):
                problems.extend(
                    _ref(
                        f"scales[{index}].items[{position}]", key, ids["items"], "item"
                    )
                )
                if isinstance(key, str):
                    if key in seen:
                        problems.append(
                            Problem(
                                path=f"scales[{index}].items[{position}]",
                                message="the item is listed twice",
                                value=short_repr(key),
                            )
                        )
                    seen.add(key)
                    found = item_bounds.get(key)
                    if found is not None:
                        bounds.add(found)
            if len(bounds) > 1:
                problems.append(
                    Problem(
                        path=f"scales[{index}].items",
                        message="the items of a scale must share the same min and max",
                        value=", ".join(f"{lo:g}..{hi:g}" for lo, hi in sorted(bounds)),
                        hint="split the scale, or give the items one response scale",
                    )
                )
            minimum = scale.get("min_answered", 1)
            if (
                isinstance(minimum, int)
                and not isinstance(minimum, bool)
                and minimum > len(keys)
            ):
                problems.append(
                    Problem(
                        path=f"scales[{index}].min_answered",
                        message=f"larger than the number of items ({len(keys)})",
                        value=short_repr(minimum),
                    )
                )
            if len(bounds) == 1 and isinstance(scale.get("id"), str):
                ((low, high),) = bounds
                total = sum(item_weight.get(k, 1.0) for k in seen)
                method = scale.get("method", "mean")
                ranges[scale["id"]] = scale_range(
                    method if isinstance(method, str) else "mean", low, high, total
                )
        if stages is not None:
            problems.extend(
                _ref(f"scales[{index}].stage", scale.get("stage"), stages, "stage")
            )

    by_scale: dict[str, list[tuple[float, float, int]]] = {}
    for index, band in entries(data, "bands"):
        problems.extend(
            _ref(f"bands[{index}].scale", band.get("scale"), ids["scales"], "scale")
        )
        if stages is not None:
            problems.extend(
                _ref(f"bands[{index}].stage", band.get("stage"), stages, "stage")
            )
        if prompts is not None and isinstance(band.get("prompts"), list):
            for position, prompt in enumerate(band["prompts"]):
                problems.extend(
                    _ref(
                        f"bands[{index}].prompts[{position}]", prompt, prompts, "prompt"
                    )
                )
        band_low, band_high = _number(band.get("min")), _number(band.get("max"))
        if band_low is None or band_high is None:
            continue
        if band_low >= band_high:
            problems.append(
                Problem(
                    path=f"bands[{index}].max",
                    message="must be larger than min",
                    value=short_repr(band.get("max")),
                )
            )
            continue
        scale_id = band.get("scale")
        if isinstance(scale_id, str):
            by_scale.setdefault(scale_id, []).append((band_low, band_high, index))
    for scale_id, spans in by_scale.items():
        if scale_id in ranges:
            problems.extend(_check_cover(scale_id, sorted(spans), ranges[scale_id]))
    return problems


def _check_cover(
    scale_id: str, bands: list[tuple[float, float, int]], full: tuple[float, float]
) -> list[Problem]:
    problems: list[Problem] = []
    low, high = full
    first, last = bands[0], bands[-1]
    if abs(first[0] - low) > _TOLERANCE:
        problems.append(
            Problem(
                path=f"bands[{first[2]}].min",
                message=f"the bands of scale {scale_id!r} must start at its lowest "
                f"score, {low:g}",
                value=short_repr(first[0]),
            )
        )
    if abs(last[1] - high) > _TOLERANCE:
        problems.append(
            Problem(
                path=f"bands[{last[2]}].max",
                message=f"the bands of scale {scale_id!r} must end at its highest "
                f"score, {high:g}",
                value=short_repr(last[1]),
            )
        )
    for before, after in itertools.pairwise(bands):
        if after[0] < before[1] - _TOLERANCE:
            problems.append(
                Problem(
                    path=f"bands[{after[2]}].min",
                    message=f"overlaps bands[{before[2]}] "
                    f"(which ends at {before[1]:g})",
                    value=short_repr(after[0]),
                    hint="each band starts where the one below ends",
                )
            )
        elif after[0] > before[1] + _TOLERANCE:
            problems.append(
                Problem(
                    path=f"bands[{after[2]}].min",
                    message=f"leaves a gap after bands[{before[2]}] (which ends at "
                    f"{before[1]:g})",
                    value=short_repr(after[0]),
                    hint="each band starts where the one below ends",
                )
            )
    return problems
