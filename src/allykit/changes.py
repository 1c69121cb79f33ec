"""Change control: what changed between two versions of a framework.

:func:`diff_frameworks` compares items by ``(collection, id)``, the key a
user's stored data refers to. An item is:

* *added* or *removed* when its id appears only in the new or old version
  (a removed id that the new version deprecates with ``replaced_by`` is
  listed as *deprecated* instead, because it still resolves);
* *reworded* when its text changed (``name``, ``text``, ``summary`` or
  ``description``);
* *moved* when its place changed (a stage's ``position``, or the
  ``stage`` a characteristic or prompt belongs to).

An item can be both reworded and moved. Lists are in collection order
(stages, characteristics, prompts, principles, citations), then id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.framework import Framework

__all__ = ["FrameworkDiff", "ItemChange", "diff_frameworks"]

_COLLECTIONS = ("stages", "characteristics", "prompts", "principles", "citations")
_TEXT_FIELDS = ("name", "text", "summary", "description", "title")
_PLACE_FIELDS = ("position", "stage")


@attrs.frozen(kw_only=True)
class ItemChange:
    """One item that differs between two versions of a framework.

    Attributes:
        collection: ``"stages"``, ``"characteristics"``, ``"prompts"``,
            ``"principles"`` or ``"citations"``.
        id: The item's id.
        fields: The fields that changed (empty for added/removed items).
        replaced_by: For a deprecated id, the id that replaces it.
    """

    collection: str
    id: str
    fields: tuple[str, ...] = ()
    replaced_by: str = ""


@attrs.frozen(kw_only=True)
class FrameworkDiff:
    """What changed from one version of a framework to another.

    Attributes:
        old_version: ``data_version`` of the old framework.
        new_version: ``data_version`` of the new framework.
        added: Items only in the new version.
        removed: Items only in the old version, not deprecated.
        deprecated: Items only in the old version that the new version
            deprecates, with their replacement.
        reworded: Items whose text changed.
        moved: Items whose stage or position changed.
        framework_fields: Top-level fields that changed (name, licence, ...).
    """

    old_version: str
    new_version: str
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    deprecated: tuple[ItemChange, ...]
    reworded: tuple[ItemChange, ...]
    moved: tuple[ItemChange, ...]
    framework_fields: tuple[str, ...]

    @property
    def breaking(self) -> bool:
        """Return True when an id a user may have stored no longer resolves."""
        return bool(self.removed)

    @property
    def unchanged(self) -> bool:
        """Return True when the two versions have the same content."""
        return not (
            self.added
            or self.removed
            or self.deprecated
            or self.reworded
            or self.moved
            or self.framework_fields
        )


def _items(framework: Framework, collection: str) -> dict[str, Any]:
    return {item.id: item for item in getattr(framework, collection)}


def _changed(old: Any, new: Any, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        name
        for name in names
        if hasattr(old, name) and getattr(old, name) != getattr(new, name)
    )


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Return what was added, removed, deprecated, reworded or moved in *new*.

    >>> import attrs
    >>> from allykit import load_framework
    >>> old = load_framework("ally-development-levels")
    >>> stage = attrs.evolve(old.stages[0], name="Self-awareness")
    >>> new = attrs.evolve(old, stages=(stage, *old.stages[1:]))
    >>> [(c.collection, c.id, c.fields) for c in diff_frameworks(old, new).reworded]
    [('stages', 'awareness', ('name',))]

    Raises:
        InvalidArgumentError: If *old* or *new* is not a Framework.
    """
    from allykit.models.framework import Framework

    for name, value in (("old", old), ("new", new)):
        if not isinstance(value, Framework):
            msg = f"{name} must be a Framework, got {short_repr(value)}"
            raise InvalidArgumentError(msg)
    deprecations: dict[tuple[str, str], str] = {
        (d.collection, d.id): d.replaced_by for d in new.deprecated_ids
    }
    added: list[ItemChange] = []
    removed: list[ItemChange] = []
    deprecated: list[ItemChange] = []
    reworded: list[ItemChange] = []
    moved: list[ItemChange] = []
    for collection in _COLLECTIONS:
        before, after = _items(old, collection), _items(new, collection)
        added.extend(
            ItemChange(collection=collection, id=item_id)
            for item_id in sorted(after.keys() - before.keys())
        )
        for item_id in sorted(before.keys() - after.keys()):
            replacement = deprecations.get((collection, item_id))
            if replacement is None:
                removed.append(ItemChange(collection=collection, id=item_id))
            else:
                deprecated.append(
                    ItemChange(
                        collection=collection, id=item_id, replaced_by=replacement
                    )
                )
        for item_id in sorted(before.keys() & after.keys()):
            a, b = before[item_id], after[item_id]
            text = _changed(a, b, _TEXT_FIELDS)
            if text:
                reworded.append(
                    ItemChange(collection=collection, id=item_id, fields=text)
                )
            place = _changed(a, b, _PLACE_FIELDS)
            if place:
                moved.append(
                    ItemChange(collection=collection, id=item_id, fields=place)
                )
    top = tuple(
        field.name
        for field in attrs.fields(type(old))
        if field.init
        and field.name not in _COLLECTIONS
        and getattr(old, field.name) != getattr(new, field.name)
    )
    return FrameworkDiff(
        old_version=old.data_version,
        new_version=new.data_version,
        added=tuple(added),
        removed=tuple(removed),
        deprecated=tuple(deprecated),
        reworded=tuple(reworded),
        moved=tuple(moved),
        framework_fields=top,
    )
