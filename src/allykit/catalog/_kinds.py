"""The one registry of document kinds: framework, instrument, crosswalk, scale.

Each :class:`Kind` says where its bundled files live (``data/<folder>/``),
which entry-point group offers plugin files (``allykit.<folder>``), which
class a document becomes, which cross-reference checks run on untrusted
data, and how its JSON Schema is titled. Loading by id, listing, file and
text loading, schema generation and the command's per-kind code all go
through this table; adding a kind is adding a row.

Classes and checks are named by import path and imported on first use, so
that ``import allykit`` builds no attrs class.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.errors import Problem

__all__ = ["KINDS", "Kind", "guess_kind", "kind_named", "kind_of"]

Checker = Callable[[Mapping[str, Any]], "list[Problem]"]
Preparer = Callable[[Mapping[str, Any]], "tuple[Mapping[str, Any], list[Problem]]"]


def _resolve(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class Kind(NamedTuple):
    """One kind of document that allykit reads (a named tuple: cheap at import).

    Attributes:
        name: The kind's name in messages and the command (``"framework"``).
        folder: The bundled data folder, also the last part of the plugin
            entry-point group (``allykit.<folder>``).
        model: ``"module:Class"`` of the frozen class a document becomes.
        checks: ``"module:function"`` of the cross-reference checks, if any.
        title: The JSON Schema's title, also used in validation messages.
        description: The JSON Schema's description.
        plugins: Whether installed packages may offer documents of this kind.
        prepare: ``"module:function"`` that turns file data into document
            data before validation (a framework's shared prompts are filled
            in), returning it with any problems; None for none.
    """

    name: str
    folder: str
    model: str
    checks: str | None
    title: str
    description: str
    plugins: bool = True
    prepare: str | None = None

    @property
    def group(self) -> str:
        """The entry-point group of plugin documents of this kind."""
        return f"allykit.{self.folder}"

    def cls(self) -> type[Any]:
        """Return the class a document of this kind becomes (imported on use)."""
        return _resolve(self.model)  # type: ignore[no-any-return]

    def checker(self) -> Checker | None:
        """Return the cross-reference checks of this kind, if any."""
        return None if self.checks is None else _resolve(self.checks)

    def preparer(self) -> Preparer | None:
        """Return the step that turns file data into document data, if any."""
        return None if self.prepare is None else _resolve(self.prepare)


KINDS: Mapping[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            name="framework",
            folder="frameworks",
            model="allykit.models.framework:Framework",
            checks="allykit.catalog._checks:check_framework",
            title="allykit framework",
            description="One allyship framework: stages, characteristics, "
            "prompts, principles, citations and licence. "
            "See docs/data-format.md.",
            prepare="allykit.catalog._shared:expand",
        ),
        Kind(
            name="instrument",
            folder="instruments",
            model="allykit.models.instrument:Instrument",
            checks="allykit.catalog._checks.instrument:check_instrument",
            title="allykit instrument",
            description="One reflection inventory or published scale: response "
            "scale, items, scoring keys, bands, citations and licence. "
            "See docs/scoring.md.",
        ),
        Kind(
            name="crosswalk",
            folder="crosswalks",
            model="allykit.models.crosswalk:Crosswalk",
            checks="allykit.catalog._checks.crosswalk:check_crosswalk",
            title="allykit crosswalk",
            description="Directed stage-to-stage links between two allykit "
            "frameworks, each with a relation, a rationale and its basis. "
            "See docs/crosswalks.md.",
        ),
        Kind(
            name="scale",
            folder="scales",
            model="allykit.models.published:PublishedScale",
            checks="allykit.catalog._checks.scale:check_scale",
            title="allykit published scale",
            description="Metadata of a published allyship scale: counts, "
            "subscales, reliability and citation. Never item wording.",
            plugins=False,
        ),
    )
}


def kind_named(name: object) -> Kind:
    """Return the kind called *name* (``"framework"``, ``"instrument"``, ...).

    Raises:
        InvalidArgumentError: If there is no such kind.
    """
    found = KINDS.get(name) if isinstance(name, str) else None
    if found is None:
        msg = (
            f"unknown kind of document {short_repr(name)}; "
            f"use one of: {', '.join(KINDS)}"
        )
        raise InvalidArgumentError(msg)
    return found


def kind_of(cls: type[Any]) -> Kind:
    """Return the kind whose documents become *cls*."""
    path = f"{cls.__module__}:{cls.__qualname__}"
    for kind in KINDS.values():
        if kind.model == path:
            return kind
    msg = f"{cls.__qualname__} is not a kind of document allykit reads"
    raise InvalidArgumentError(msg)


def guess_kind(data: object) -> Kind:
    """Tell a document's kind from its keys (a framework when nothing else fits).

    >>> guess_kind({"id": "x", "links": [], "source": "a"}).name
    'crosswalk'
    """
    if isinstance(data, Mapping):
        if isinstance(data.get("items"), int) or "subscales" in data:
            return KINDS["scale"]
        if "items" in data or "response_scale" in data or "intended_use" in data:
            return KINDS["instrument"]
        if "links" in data and ("source" in data or "target" in data):
            return KINDS["crosswalk"]
    return KINDS["framework"]
