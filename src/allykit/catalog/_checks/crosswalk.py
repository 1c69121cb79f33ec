"""Cross-reference checks of crosswalk documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["check_crosswalk"]


def check_crosswalk(data: Mapping[str, Any]) -> list[Any]:
    """Return every cross-reference problem in plain crosswalk data."""
    from allykit.catalog import available_frameworks, load_framework
    from allykit.catalog._checks import entries, unique_ids
    from allykit.errors import Problem, short_repr

    citation_ids, problems = unique_ids(data, "citations")
    stage_ids: dict[str, set[str] | None] = {}
    for end in ("source", "target"):
        fid = data.get(end)
        if isinstance(fid, str) and fid in available_frameworks():
            stage_ids[end] = {s.id for s in load_framework(fid).stages}
        else:
            stage_ids[end] = None
    seen: dict[tuple[str, str], int] = {}
    for index, link in entries(data, "links"):
        pair = (link.get("source"), link.get("target"))
        for end, value in zip(("source", "target"), pair, strict=True):
            known = stage_ids[end]
            if known is not None and isinstance(value, str) and value not in known:
                problems.append(
                    Problem(
                        path=f"links[{index}].{end}",
                        message=f"no stage of framework {data.get(end)!r} has this id",
                        value=short_repr(value),
                        hint="use one of: " + ", ".join(sorted(known)),
                    )
                )
        if all(isinstance(v, str) for v in pair):
            key = (str(pair[0]), str(pair[1]))
            if key in seen:
                problems.append(
                    Problem(
                        path=f"links[{index}]",
                        message=f"duplicate link, already given as links[{seen[key]}]",
                        value=short_repr(key),
                        hint="give each pair of stages one link",
                    )
                )
            seen.setdefault(key, index)
        problems.extend(_check_basis(index, link, citation_ids))
    links = data.get("links")
    if isinstance(links, list) and not links:
        problems.append(Problem(path="links", message="at least one link is required"))
    if data.get("source") is not None and data.get("source") == data.get("target"):
        problems.append(
            Problem(
                path="target",
                message="source and target must be different frameworks",
                value=short_repr(data.get("target")),
            )
        )
    return problems


def _check_basis(
    index: int, link: Mapping[str, Any], citation_ids: set[str]
) -> list[Any]:
    """A link's basis and citation must agree, and the citation must exist."""
    from allykit.errors import Problem, short_repr

    problems: list[Problem] = []
    basis, citation = link.get("basis", "editorial"), link.get("citation")
    if basis == "cited" and citation is None:
        problems.append(
            Problem(
                path=f"links[{index}].citation",
                message="a cited link needs a citation id",
                hint="add the id of a citation, or set basis to 'editorial'",
            )
        )
    elif basis == "editorial" and citation is not None:
        problems.append(
            Problem(
                path=f"links[{index}].basis",
                message="a link with a citation must have basis 'cited'",
                value=short_repr(basis),
                hint="set basis to 'cited', or remove the citation",
            )
        )
    if isinstance(citation, str) and citation not in citation_ids:
        problems.append(
            Problem(
                path=f"links[{index}].citation",
                message="no citation of this crosswalk has this id",
                value=short_repr(citation),
                hint="add the citation to 'citations'",
            )
        )
    return problems
