"""Cross-reference checks on plain framework data, run after the schema check.

They read the raw mapping defensively (a value of the wrong type is simply
skipped: the schema check already reported it), so that one run reports
structural and cross-reference problems together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from allykit import errors
from allykit.errors import short_repr

if TYPE_CHECKING:
    from allykit.errors import Problem

__all__ = ["check_framework", "entries", "unique_ids"]


def entries(
    data: Mapping[str, Any], key: str
) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield ``(index, entry)`` for the object entries of the list ``data[key]``."""
    value = data.get(key)
    if not isinstance(value, list):
        return
    for index, entry in enumerate(value):
        if isinstance(entry, Mapping):
            yield index, entry


def unique_ids(data: Mapping[str, Any], key: str) -> tuple[set[str], list[Problem]]:
    """Return the ids in ``data[key]`` and a problem for each repeated one."""
    seen: dict[str, int] = {}
    problems = []
    for index, entry in entries(data, key):
        item_id = entry.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            problems.append(
                errors.Problem(
                    path=f"{key}[{index}].id",
                    message=f"duplicate id, already used by {key}[{seen[item_id]}]",
                    value=short_repr(item_id),
                    hint="give every entry its own id",
                )
            )
        else:
            seen[item_id] = index
    return set(seen), problems


def _reference(path: str, value: Any, known: set[str], what: str) -> list[Problem]:
    if value is None or not isinstance(value, str) or value in known:
        return []
    from allykit._suggest import closest

    near = closest(value, known, limit=1)
    hint = (
        f"did you mean {near[0]!r}?"
        if near
        else f"add {'an' if what[:1] in 'aeiou' else 'a'} {what} with this id"
    )
    return [
        errors.Problem(
            path=path,
            message=f"no {what} has this id",
            value=short_repr(value),
            hint=hint,
        )
    ]


def check_framework(data: Mapping[str, Any]) -> list[Problem]:
    """Return every cross-reference problem in plain framework data."""
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for key in ("stages", "characteristics", "prompts", "principles", "citations"):
        ids[key], repeated = unique_ids(data, key)
        problems.extend(repeated)

    expected = 1
    for index, stage in entries(data, "stages"):
        position = stage.get("position")
        is_number = isinstance(position, int) and not isinstance(position, bool)
        if is_number and position != expected:
            problems.append(
                errors.Problem(
                    path=f"stages[{index}].position",
                    message="positions must run 1, 2, 3 ... in file order; "
                    f"expected {expected}",
                    value=short_repr(position),
                    hint="number the stages in the order they appear",
                )
            )
        expected += 1

    for index, item in entries(data, "characteristics"):
        problems.extend(
            _reference(
                f"characteristics[{index}].stage",
                item.get("stage"),
                ids["stages"],
                "stage",
            )
        )
    for index, item in entries(data, "prompts"):
        problems.extend(
            _reference(
                f"prompts[{index}].stage", item.get("stage"), ids["stages"], "stage"
            )
        )
        refs = item.get("characteristics")
        if isinstance(refs, list):
            for position, ref in enumerate(refs):
                problems.extend(
                    _reference(
                        f"prompts[{index}].characteristics[{position}]",
                        ref,
                        ids["characteristics"],
                        "characteristic",
                    )
                )
    _note_directions(data)
    problems.extend(_check_deprecated(data, ids))
    problems.extend(_check_provenance(data, ids["citations"]))
    citations = data.get("citations")
    if isinstance(citations, list) and not citations:
        problems.append(
            errors.Problem(
                path="citations",
                message="at least one citation is required",
                hint="cite the published source the framework comes from",
            )
        )
    return problems


_NAMED = 5  # stages named in a direction note before "and N more"


def _note_directions(data: Mapping[str, Any]) -> None:
    """Warn when a continuum's stages do not say which way they point.

    Not a problem (files written before the field must keep loading: a stage
    that does not say is read as ``towards``), but a continuum usually holds
    points to move away from, and templates rendered for them as if they
    were practice to take up would ask for harm.
    """
    if data.get("kind") != "continuum":
        return
    silent = [
        f"stages[{index}]"
        for index, stage in entries(data, "stages")
        if stage.get("direction") is None
    ]
    if not silent:
        return
    shown = ", ".join(silent[:_NAMED]) + (
        f" and {len(silent) - _NAMED} more" if len(silent) > _NAMED else ""
    )
    errors.warn(
        f"continuum {short_repr(data.get('id'))}: {shown} do not say which way they "
        'point; they are read as "towards". Add "direction": "towards", "away" '
        '(behaviour to move away from) or "map" (other people on a map) to each stage',
        errors.DataWarning,
    )


def _check_provenance(data: Mapping[str, Any], citations: set[str]) -> list[Problem]:
    """Source locators and modelling notes must name citations of the framework."""
    problems: list[Problem] = []
    for index, note in entries(data, "modelling_notes"):
        problems.extend(
            _reference(
                f"modelling_notes[{index}].citation",
                note.get("citation"),
                citations,
                "citation",
            )
        )
    for key in ("stages", "characteristics", "prompts", "principles"):
        for index, item in entries(data, key):
            source = item.get("source")
            if isinstance(source, Mapping):
                problems.extend(
                    _reference(
                        f"{key}[{index}].source.citation",
                        source.get("citation"),
                        citations,
                        "citation",
                    )
                )
            for position, note in entries(item, "modelling_notes"):
                problems.extend(
                    _reference(
                        f"{key}[{index}].modelling_notes[{position}].citation",
                        note.get("citation"),
                        citations,
                        "citation",
                    )
                )
    return problems


def _check_deprecated(
    data: Mapping[str, Any], ids: Mapping[str, set[str]]
) -> list[Problem]:
    """Retired ids must not be live, and must point at a live replacement."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in entries(data, "deprecated_ids"):
        collection, old, new = (
            entry.get("collection"),
            entry.get("id"),
            entry.get("replaced_by"),
        )
        if not isinstance(collection, str) or collection not in ids:
            continue
        live = ids[collection]
        if isinstance(old, str):
            if old in live:
                problems.append(
                    errors.Problem(
                        path=f"deprecated_ids[{index}].id",
                        message=f"this id is still live in {collection}",
                        value=short_repr(old),
                        hint="retire an id only after renaming the item",
                    )
                )
            if (collection, old) in seen:
                problems.append(
                    errors.Problem(
                        path=f"deprecated_ids[{index}].id",
                        message="this id is already deprecated",
                        value=short_repr(old),
                        hint="list each retired id once",
                    )
                )
            seen.add((collection, old))
        problems.extend(
            _reference(
                f"deprecated_ids[{index}].replaced_by",
                new,
                live,
                collection[:-1],  # "stages" -> "stage"
            )
        )
    return problems
