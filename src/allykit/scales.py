"""Metadata of published allyship scales: counts, subscales, reliability, citation.

These records describe psychometric instruments that are copyrighted. They
carry **no item wording**: only what the publications report about them
(item counts, subscale names, samples, reliability figures), so that a
user who holds a licensed copy knows what to expect. Figures are as
reported by the cited source (or a secondary page, where the record's
``note`` says so); allykit has not validated them.

:class:`PublishedScale` is the one model of these facts. The records live
in ``allykit/data/scales/<id>.json`` (format: ``scale.schema.json``); a
metadata-only :class:`~allykit.instruments.Instrument` carries the same
record in its ``published`` field.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NewType

import attrs

from allykit.models import Citation, Licence, _doc, _field_repr, _Value

__all__ = [
    "PublishedScale",
    "ScaleId",
    "Subscale",
    "available_scales",
    "load_scale",
    "load_scale_file",
    "scale_json_schema",
]

ScaleId = NewType("ScaleId", str)
_KIND = "scales"
_TITLE = "allykit published scale"


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Subscale(_Value):
    """A named part of a scale, and how many items it has.

    Attributes:
        name: The subscale's published name.
        items: Number of items, or None when not reported.
    """

    __repr__ = _field_repr

    name: str = attrs.field(metadata=_doc("Published subscale name."))
    items: int | None = attrs.field(
        default=None, metadata=_doc("Number of items, or null.", ge=1)
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class PublishedScale(_Value):
    """Metadata of one published allyship scale (never its items).

    Attributes:
        id: Stable id; bundled files are named after it.
        name: Published name of the scale.
        abbreviation: Its usual abbreviation, or empty.
        items: Number of items in the final scale, or None if not reported.
        subscales: Subscales in published order (empty for one factor or
            when not reported).
        structure: The reported structure, in allykit's own words.
        samples: Reported samples (``"EFA n = 269"``), as given.
        reliability: Reported reliability figures, as given.
        response_format: The response scale, or empty when not verified.
        citation: The publication that reports the scale.
        licence: Licence of this record's text, and the scale's copyright.
        data_version: Version of this record.
        note: Caveats: secondary sources, unverified details.
    """

    __repr__ = _field_repr

    id: ScaleId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Published name."))
    abbreviation: str = attrs.field(default="", metadata=_doc("Abbreviation."))
    items: int | None = attrs.field(
        default=None, metadata=_doc("Item count, or null.", ge=1)
    )
    subscales: tuple[Subscale, ...] = attrs.field(
        default=(), metadata=_doc("Subscales in published order.")
    )
    structure: str = attrs.field(metadata=_doc("Reported structure, own words."))
    samples: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Reported samples.")
    )
    reliability: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Reported reliability figures.")
    )
    response_format: str = attrs.field(
        default="", metadata=_doc("Response scale, or empty when unverified.")
    )
    citation: Citation = attrs.field(metadata=_doc("The reporting publication."))
    licence: Licence = attrs.field(metadata=_doc("Licence and copyright note."))
    data_version: str = attrs.field(
        default="1.0.0", metadata=_doc("Version of this record.")
    )
    note: str = attrs.field(default="", metadata=_doc("Caveats."))

    @property
    def item_count(self) -> int | None:
        """The number of items: another name for :attr:`items`.

        Kept for code written against the instrument's old published-scale
        block, whose count was called ``item_count``.

        >>> load_scale("ally-identity-measure").item_count
        19
        """
        return self.items

    @property
    def subscale_names(self) -> tuple[str, ...]:
        """The subscales' names, in published order.

        >>> load_scale("ally-identity-measure").subscale_names[0]
        'Knowledge and Skills'
        """
        return tuple(subscale.name for subscale in self.subscales)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready plain data (the file format)."""
        from allykit._convert import unstructure

        data: dict[str, Any] = {"schema_version": 1}
        data.update(unstructure(self))
        return data


def available_scales() -> tuple[str, ...]:
    """Return the ids of every bundled scale record, sorted.

    >>> "ally-identity-measure" in available_scales()
    True
    """
    from allykit.catalog import bundled_ids

    return bundled_ids(_KIND)


def load_scale(scale_id: str) -> PublishedScale:
    """Return the bundled scale record *scale_id*.

    Raises:
        UnknownFrameworkError: If no bundled record has that id.

    >>> scale = load_scale("ally-identity-measure")
    >>> scale.items, [s.name for s in scale.subscales]
    (19, ['Knowledge and Skills', 'Openness and Support', 'Oppression Awareness'])
    """
    from allykit.catalog import load_bundled

    return load_bundled(_KIND, PublishedScale, scale_id, available_scales())


def _check_scale(data: Mapping[str, Any]) -> list[Any]:
    from allykit.errors import Problem, short_repr

    items, subscales = data.get("items"), data.get("subscales")
    if not (isinstance(items, int) and isinstance(subscales, list)):
        return []
    raw = [s.get("items") for s in subscales if isinstance(s, Mapping)]
    counts = [c for c in raw if isinstance(c, int)]
    if counts and len(counts) == len(raw) and sum(counts) != items:
        return [
            Problem(
                path="subscales",
                message=f"subscale item counts add up to {sum(counts)}, "
                f"not the scale's {items}",
                value=short_repr(counts),
                hint="check the counts against the publication",
            )
        ]
    return []


def load_scale_file(path: str | os.PathLike[str]) -> PublishedScale:
    """Read, validate and build a scale record from the user's own JSON file.

    Raises:
        DataFileError: Listing every problem, each with its location.
    """
    from allykit._loading import load_document, parse_json, read_file

    source, raw = read_file(path)
    return load_document(
        PublishedScale,
        parse_json(raw, source),
        source=source,
        title=_TITLE,
        checks=_check_scale,
    )


def scale_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the published-scale record format.

    >>> scale_json_schema()["title"]
    'allykit published scale'
    """
    from allykit import _schema

    return _schema.json_schema(
        PublishedScale,
        title=_TITLE,
        description="Metadata of a published allyship scale: counts, "
        "subscales, reliability and citation. Never item wording.",
    )
