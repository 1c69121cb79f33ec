"""Metadata of published allyship scales: counts, subscales, reliability, citation.

These records describe psychometric instruments that are copyrighted. They
carry **no item wording**: only what the publications report about them
(item counts, subscale names, samples, reliability figures), so that a
user who holds a licensed copy knows what to expect. Figures are as
reported by the cited source (or a secondary page, where the record's
``note`` says so); allykit has not validated them.

:class:`PublishedScale` is the one model of these facts. The records live
in ``allykit/data/scales/<id>.json`` (format: ``scale.schema.json``); a
metadata-only :class:`~allykit.models.instrument.Instrument` carries the same
record in its ``published`` field.
"""

# Annotations are not postponed here: attrs keeps each field's type as an
# object, which the converter (models/_convert.py) reads without evaluating
# strings again.

from typing import NewType

import attrs

from allykit.models._document import Document
from allykit.models.framework import Citation, Licence, _doc

__all__ = [
    "PublishedScale",
    "PublishedScaleId",
    "Subscale",
]

PublishedScaleId = NewType("PublishedScaleId", str)
_KIND = "scales"
_TITLE = "allykit published scale"


@attrs.frozen(kw_only=True)
class Subscale:
    """A named part of a scale, and how many items it has.

    Attributes:
        name: The subscale's published name.
        items: Number of items, or None when not reported.
    """

    name: str = attrs.field(metadata=_doc("Published subscale name."))
    items: int | None = attrs.field(
        default=None, metadata=_doc("Number of items, or null.", ge=1)
    )


@attrs.frozen(kw_only=True)
class PublishedScale(Document):
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

    id: PublishedScaleId = attrs.field(metadata=_doc("Stable kebab-case id."))
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

        >>> from allykit.catalog import load_scale
        >>> load_scale("ally-identity-measure").item_count
        19
        """
        return self.items

    @property
    def subscale_names(self) -> tuple[str, ...]:
        """The subscales' names, in published order.

        >>> from allykit.catalog import load_scale
        >>> load_scale("ally-identity-measure").subscale_names[0]
        'Knowledge and Skills'
        """
        return tuple(subscale.name for subscale in self.subscales)
