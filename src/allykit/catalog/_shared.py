"""Fill a framework's ``shared_prompts`` in from the framework that keeps them.

A framework file may use prompts that another framework keeps, by listing
their ids under ``shared_prompts`` instead of copying them: one copy in the
data, so the two cannot drift apart. Before a framework document is
validated, :func:`expand` appends each listed prompt, exactly as its keeper
has it, to the document's ``prompts``. The caller's mapping is never changed.

A document that already holds a listed prompt (``Framework.to_dict()`` writes
them out, so that a saved framework is self-contained) keeps it, provided it
is the keeper's prompt unchanged; when the keeper is not installed, such a
complete document loads as it is. Problems are reported at the file's own
paths (``shared_prompts[0].prompts[2]``), with the value and what to do.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from allykit import errors
from allykit.catalog._checks import entries
from allykit.errors import AllykitError, short_repr

if TYPE_CHECKING:
    from allykit.errors import Problem

__all__ = ["expand"]

# The ids of the frameworks being expanded on this thread: sharing in a
# circle (a from b, b from a) is reported instead of recursing for ever.
_local = threading.local()


def _active() -> list[str]:
    stack: list[str] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def expand(data: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[Problem]]:
    """Return *data* with its shared prompts filled in, and any problems.

    *data* is returned unchanged when it shares nothing (or its fields have
    the wrong types, which the schema check then reports).
    """
    shared = data.get("shared_prompts")
    prompts = data.get("prompts", [])
    if not isinstance(shared, list) or not shared or not isinstance(prompts, list):
        return data, []
    own_id = data.get("id")
    present = {
        entry.get("id"): index
        for index, entry in enumerate(prompts)
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str)
    }
    filled = list(prompts)
    problems: list[Problem] = []
    listed: dict[str, str] = {}
    stack = _active()
    stack.append(own_id if isinstance(own_id, str) else "")
    try:
        for index, entry in entries(data, "shared_prompts"):
            problems.extend(
                _share(
                    index, entry, data, filled=filled, present=present, listed=listed
                )
            )
    finally:
        stack.pop()
    return {**data, "prompts": filled}, problems


def _share(  # noqa: PLR0913 -- the document's parts, updated in place
    index: int,
    entry: Mapping[str, Any],
    data: Mapping[str, Any],
    *,
    filled: list[Any],
    present: dict[Any, int],
    listed: dict[str, str],
) -> list[Problem]:
    """Fill in the prompts of ``shared_prompts[index]``; return its problems."""
    keeper_id, ids = entry.get("framework"), entry.get("prompts")
    if not isinstance(keeper_id, str) or not isinstance(ids, list):
        return []  # the schema check reports the types
    where = f"shared_prompts[{index}]"
    keeper, problem = _keeper(keeper_id, data, where, ids=ids, present=present)
    if problem is not None:
        return [problem]
    problems: list[Problem] = []
    kept = {} if keeper is None else {p.id: p for p in keeper.prompts}
    for position, prompt_id in enumerate(ids):
        path = f"{where}.prompts[{position}]"
        if not isinstance(prompt_id, str):
            continue
        if prompt_id in listed:
            problems.append(
                errors.Problem(
                    path=path,
                    message=f"this prompt is already shared by {listed[prompt_id]}",
                    value=short_repr(prompt_id),
                    hint="list each shared prompt once",
                )
            )
            continue
        listed[prompt_id] = path
        if keeper is None:
            continue  # not installed: the document's own copy stands
        found = kept.get(prompt_id)
        if found is None:
            problems.append(_unknown_prompt(path, prompt_id, keeper_id, kept))
            continue
        problems.extend(
            _fill(path, found, keeper_id, data, filled=filled, present=present)
        )
    return problems


def _keeper(
    keeper_id: str,
    data: Mapping[str, Any],
    where: str,
    *,
    ids: list[Any],
    present: Mapping[Any, int],
) -> tuple[Any, Problem | None]:
    """Return the framework keeping the prompts, or the problem in the way.

    None and no problem: the keeper is not installed, but the document holds
    every listed prompt itself (a saved, self-contained framework).
    """
    path = f"{where}.framework"
    if keeper_id == data.get("id"):
        return None, errors.Problem(
            path=path,
            message="a framework cannot share prompts with itself",
            value=short_repr(keeper_id),
            hint="list the prompts under prompts instead",
        )
    stack = _active()
    if keeper_id in stack:
        circle = " -> ".join([*stack[stack.index(keeper_id) :], keeper_id])
        return None, errors.Problem(
            path=path,
            message=f"prompts are shared in a circle ({circle})",
            value=short_repr(keeper_id),
            hint="keep each prompt in one framework and share it from there",
        )
    from allykit.catalog import _store

    try:
        return _store.load("framework", keeper_id), None
    except AllykitError as error:
        if all(prompt_id in present for prompt_id in ids):
            return None, None  # a complete, self-contained document
        from allykit.errors import UnknownDocumentError

        if isinstance(error, UnknownDocumentError):
            return None, errors.Problem(
                path=path,
                message="no framework with this id is installed to share prompts from",
                value=short_repr(keeper_id),
                hint="install the package that provides it, or copy the prompts "
                "into prompts",
            )
        return None, errors.Problem(
            path=path,
            message=f"the framework cannot be loaded: {_first_problem(error)}",
            value=short_repr(keeper_id),
            hint="fix that framework first (load it on its own to see every problem)",
        )


def _first_problem(error: AllykitError) -> str:
    """One line naming what is wrong with a keeper that fails to load."""
    problems = getattr(error, "problems", ())
    if not problems:
        return str(error).splitlines()[0]
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    where = f"{first.path}: " if first.path else ""
    return f"{where}{first.message}{more}"


def _unknown_prompt(
    path: str, prompt_id: str, keeper_id: str, kept: Mapping[str, Any]
) -> Problem:
    from allykit._suggest import closest

    near = closest(prompt_id, kept, limit=1)
    return errors.Problem(
        path=path,
        message=f"framework {keeper_id!r} has no prompt with this id",
        value=short_repr(prompt_id),
        hint=f"did you mean {near[0]!r}?" if near else "list one of its prompt ids",
    )


def _fill(  # noqa: PLR0913 -- the prompt, where it goes, and the document
    path: str,
    found: Any,
    keeper_id: str,
    data: Mapping[str, Any],
    *,
    filled: list[Any],
    present: Mapping[Any, int],
) -> list[Problem]:
    """Append the keeper's prompt, or check the document's copy of it."""
    from allykit.models._convert import unstructure

    problems = _fits(path, found, keeper_id, data)
    if problems:
        return problems
    plain = unstructure(found)
    index = present.get(found.id)
    if index is None:
        filled.append(plain)
        return []
    if _same(filled[index], plain):
        return []
    return [
        errors.Problem(
            path=f"prompts[{index}]",
            message=f"this copy of a prompt shared from {keeper_id!r} differs "
            "from the prompt there",
            value=short_repr(found.id),
            hint=f"remove the copy (it is filled in from {keeper_id!r}), or stop "
            f"sharing it in {path}",
        )
    ]


def _fits(
    path: str, found: Any, keeper_id: str, data: Mapping[str, Any]
) -> list[Problem]:
    """Problems of a shared prompt naming what this framework lacks.

    It may refer only to stages, characteristics and citations that this
    framework has too.
    """
    ids = {
        key: {e.get("id") for _, e in entries(data, key)}
        for key in ("stages", "characteristics", "citations")
    }
    wanted = [
        ("stage", "stages", found.stage),
        *(("characteristic", "characteristics", c) for c in found.characteristics),
        *(
            ()
            if found.source is None
            else (("citation", "citations", found.source.citation),)
        ),
        *(
            ("citation", "citations", n.citation)
            for n in found.modelling_notes
            if n.citation
        ),
    ]
    return [
        errors.Problem(
            path=path,
            message=f"the prompt refers to {what} {value!r} of {keeper_id!r}, "
            "which this framework does not have",
            value=short_repr(found.id),
            hint=f"add that {what} here, or share only prompts that do not use it",
        )
        for what, key, value in wanted
        if value is not None and value not in ids[key]
    ]


def _same(copy: Any, plain: Mapping[str, Any]) -> bool:
    """Whether the document's copy is the keeper's prompt (absent = default)."""
    if not isinstance(copy, Mapping) or set(copy) - set(plain):
        return False
    defaults = _defaults()
    return all(
        copy.get(key, defaults.get(key)) == value for key, value in plain.items()
    )


def _defaults() -> dict[str, Any]:
    from allykit.models._convert import unstructure
    from allykit.models.framework import ReflectivePrompt

    return unstructure(ReflectivePrompt(id="x", text="x"))  # type: ignore[arg-type]
