"""Instruments: reflection inventories and published scales, as typed data.

An :class:`Instrument` holds its items, the :class:`ResponseScale` they are
answered on, the :class:`Scale` keys that combine items into scores, and the
:class:`Band` ranges that turn a score into a descriptive label and the
prompts to suggest next. Bundled instruments live in
``allykit/data/instruments/<id>.json`` (format: ``instrument.schema.json``);
user files go through the same validation as user frameworks, with every
problem reported at once.

Published scales whose wording is copyrighted ship as metadata only (item
count, subscale names, reported reliability, citation); the user supplies
item text, keys and the response scale from their own licensed copy with
:func:`merge_item_text`.

>>> from allykit import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> inventory.validated, len(inventory.items) >= 18
(False, True)
"""

# Annotations are not postponed here: attrs keeps each field's type as an
# object, which the converter (models/_convert.py) reads without evaluating
# strings again.

import functools
from typing import Any, Literal, NewType

import attrs

from allykit.errors import (
    InvalidArgumentError,
    UnknownIdError,
    short_repr,
)
from allykit.models._document import Document
from allykit.models.framework import (
    Citation,
    FrameworkId,
    ItemId,
    Licence,
    PromptId,
    StageId,
    _doc,
)

# The one model of a published scale lives in allykit.models.published; this import
# also keeps ``from allykit.models.instrument import PublishedScale`` working.
from allykit.models.published import PublishedScale as PublishedScale  # noqa: PLC0414 -- re-export

__all__ = [
    "Alias",
    "Band",
    "BandId",
    "Choice",
    "Instrument",
    "InstrumentId",
    "Item",
    "ItemId",
    "ReportedStatistic",
    "ResponseScale",
    "Scale",
    "ScaleId",
    "ScoringMethod",
]

InstrumentId = NewType("InstrumentId", str)
ScaleId = NewType("ScaleId", str)
BandId = NewType("BandId", str)

#: How a scale's headline score is formed from its (reverse-keyed) answers.
ScoringMethod = Literal["sum", "mean", "pomp", "median"]

_INSTRUMENTS = "instruments"
_TITLE = "allykit instrument"


@attrs.frozen(kw_only=True)
class Choice:
    """One answer option: the number it scores as and the label shown.

    Attributes:
        value: The number the option scores as.
        label: The label shown to the person (matched case-insensitively).
        stage: The framework stage (for a continuum, its point) this option
            stands for, or None.
    """

    value: float = attrs.field(metadata=_doc("The number it scores as."))
    label: str = attrs.field(metadata=_doc("The label shown."))
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Framework stage this option stands for, or null.")
    )


@attrs.frozen(kw_only=True)
class Alias:
    """Another label accepted for a choice (``"SA"`` for ``"Strongly agree"``).

    Attributes:
        label: The extra label (matched case-insensitively).
        value: The value of the choice it stands for.
    """

    label: str = attrs.field(metadata=_doc("The extra label."))
    value: float = attrs.field(metadata=_doc("Value of the choice it stands for."))


@attrs.frozen(kw_only=True)
class ResponseScale:
    """The answer options of items, with declared bounds and N/A codes.

    Numbers must equal one of the choice values; labels must match a choice
    label or alias after trimming white space and ignoring case. N/A codes
    ("does not apply") are kept apart from missing answers: an N/A item is
    left out of the scale without counting against its minimum of answers.

    Attributes:
        choices: The options, in increasing order of value.
        min: The declared lowest value; equals the first choice's value.
        max: The declared highest value; equals the last choice's value.
        aliases: Extra labels for choices.
        not_applicable: Labels that mean "does not apply".
        not_applicable_values: Numeric codes that mean "does not apply"
            (outside ``min..max``, such as ``-9`` from a survey export).
    """

    choices: tuple[Choice, ...] = attrs.field(
        metadata=_doc("Options in increasing order of value.", min_length=2)
    )
    min: float = attrs.field(metadata=_doc("Declared lowest value."))
    max: float = attrs.field(metadata=_doc("Declared highest value."))
    aliases: tuple[Alias, ...] = attrs.field(
        default=(), metadata=_doc("Extra labels for choices.")
    )
    not_applicable: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Labels meaning 'does not apply'.")
    )
    not_applicable_values: tuple[float, ...] = attrs.field(
        default=(), metadata=_doc("Numeric codes meaning 'does not apply'.")
    )

    def reverse(self, value: float) -> float:
        """Return *value* reverse-keyed with the declared bounds: ``min + max - value``.

        >>> from allykit import load_instrument
        >>> scale = load_instrument("ally-model-reflection").response_scale
        >>> scale.reverse(2), scale.reverse(scale.reverse(2))
        (4, 2)
        """
        return self.min + self.max - value


@attrs.frozen(kw_only=True)
class Item:
    """One statement or scenario that a person answers.

    Attributes:
        id: Stable id, unique within the instrument.
        text: The wording, or empty when the user supplies it from their
            own licensed copy.
        reverse: Whether the item is reverse-keyed (scored ``min + max - value``).
        weight: Weight of the item in sums and means (positive).
        response_scale: The item's own answer options (scenarios), or None
            to use the instrument's.
    """

    id: ItemId = attrs.field(metadata=_doc("Stable kebab-case id."))
    text: str = attrs.field(default="", metadata=_doc("Wording, or empty."))
    reverse: bool = attrs.field(default=False, metadata=_doc("Reverse-keyed."))
    weight: float = attrs.field(default=1.0, metadata=_doc("Positive weight."))
    response_scale: ResponseScale | None = attrs.field(
        default=None, metadata=_doc("Own answer options, or null.")
    )


@attrs.frozen(kw_only=True)
class Scale:
    """A key: which items combine into a score, how, and when it is withheld.

    A score needs at least ``max(min_answered, ceil(min_answered_share * n))``
    answered items, where ``n`` is the number of items that apply (not N/A);
    with fewer it is withheld, and with fewer than all items it is prorated.

    Attributes:
        id: Stable id, unique within the instrument.
        name: Human-readable name.
        items: Ids of the items it combines, in order.
        method: Headline score: ``sum`` (prorated to all items), ``mean``,
            ``pomp`` (0-100) or ``median`` (ordinal position).
        min_answered: Fewest answered items for a score (at least 1).
        min_answered_share: Fewest answered items as a share of the items
            that apply, 0 to 1.
        stage: The framework stage the scale describes, or None.
        description: What it describes, or empty.
    """

    id: ScaleId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Human-readable name."))
    items: tuple[ItemId, ...] = attrs.field(
        metadata=_doc("Item ids it combines.", min_length=1)
    )
    method: ScoringMethod = attrs.field(
        default="mean", metadata=_doc("sum, mean, pomp or median.")
    )
    min_answered: int = attrs.field(
        default=1, metadata=_doc("Fewest answered items for a score.", ge=1)
    )
    min_answered_share: float = attrs.field(
        default=0.5,
        metadata=_doc(
            "Fewest answered items, as a share of those that apply.", ge=0, le=1
        ),
    )
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Framework stage it describes, or null.")
    )
    description: str = attrs.field(default="", metadata=_doc("What it describes."))


@attrs.frozen(kw_only=True)
class Band:
    """A range of a scale's headline score, with a descriptive label.

    A band holds scores from ``min`` up to but not including ``max``; the
    highest band of a scale also holds its ``max``. Bands describe answers,
    never the person.

    Attributes:
        id: Stable id, unique within the instrument.
        scale: The scale it belongs to.
        min: Lowest score in the band.
        max: Upper end of the band.
        label: Description of the answers in this range.
        description: Longer text, or empty.
        stage: The framework stage to work on next, or None.
        prompts: Ids of the framework's prompts to suggest.
    """

    id: BandId = attrs.field(metadata=_doc("Stable kebab-case id."))
    scale: ScaleId = attrs.field(metadata=_doc("Id of its scale."))
    min: float = attrs.field(metadata=_doc("Lowest score in the band."))
    max: float = attrs.field(metadata=_doc("Upper end (exclusive, but for the top)."))
    label: str = attrs.field(metadata=_doc("Description of the answers."))
    description: str = attrs.field(default="", metadata=_doc("Longer text."))
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Stage to work on next, or null.")
    )
    prompts: tuple[PromptId, ...] = attrs.field(
        default=(), metadata=_doc("Framework prompt ids to suggest.")
    )


@attrs.frozen(kw_only=True)
class ReportedStatistic:
    """A statistic as reported by the authors of a published scale.

    The bundled data does not use it:
    :class:`~allykit.models.published.PublishedScale` gives reported figures
    as text in ``samples`` and ``reliability``. Kept for code that records
    figures of its own.

    Attributes:
        name: What was measured (``"Cronbach's alpha"``).
        value: The reported value or range, as text (``".76 to .88"``).
        note: Sample and context, or empty.
    """

    name: str
    value: str
    note: str = ""


@attrs.frozen(kw_only=True)
class Instrument(Document):
    """A reflection inventory or published scale, as typed, cited, immutable data.

    Attributes:
        id: Stable id; bundled files are named after it.
        name: Human-readable title.
        summary: One or two sentences in allykit's own words.
        intended_use: What it is for and what it is not for.
        version: Version of the instrument's content (reported with scores).
        validated: Whether it has been psychometrically validated. allykit's
            own inventories are reflective aids: ``False``.
        language: BCP 47 language tag of the text.
        licence: Licence of this file's text.
        citations: The sources it draws on; at least one.
        framework: The framework its stages come from, or None.
        response_scale: The answer options shared by items, or None when
            every item has its own (or the wording is not shipped).
        items: The items, in presentation order.
        scales: The scoring keys.
        bands: Descriptive ranges of scale scores.
        published: The record of the published scale this instrument
            stands for (metadata-only records), or None.
        tags: Free-form labels for filtering.
    """

    id: InstrumentId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Human-readable title."))
    summary: str = attrs.field(metadata=_doc("One or two sentences."))
    intended_use: str = attrs.field(metadata=_doc("What it is for, and not for."))
    version: str = attrs.field(default="1.0.0", metadata=_doc("Content version."))
    validated: bool = attrs.field(
        default=False, metadata=_doc("Psychometrically validated?")
    )
    language: str = attrs.field(default="en", metadata=_doc("BCP 47 language tag."))
    licence: Licence = attrs.field(metadata=_doc("Licence of this text."))
    citations: tuple[Citation, ...] = attrs.field(
        metadata=_doc("Sources; at least one.")
    )
    framework: FrameworkId | None = attrs.field(
        default=None, metadata=_doc("Id of its framework, or null.")
    )
    response_scale: ResponseScale | None = attrs.field(
        default=None, metadata=_doc("Shared answer options, or null.")
    )
    items: tuple[Item, ...] = attrs.field(default=(), metadata=_doc("Items."))
    scales: tuple[Scale, ...] = attrs.field(default=(), metadata=_doc("Keys."))
    bands: tuple[Band, ...] = attrs.field(default=(), metadata=_doc("Bands."))
    published: PublishedScale | None = attrs.field(
        default=None, metadata=_doc("Published-scale record, or null.")
    )
    tags: tuple[str, ...] = attrs.field(default=(), metadata=_doc("Free-form labels."))

    def __repr__(self) -> str:
        """Return a short summary; ``to_dict()`` shows everything."""
        return (
            f"<Instrument {self.id!r}: {len(self.items)} items, "
            f"{len(self.scales)} scales, {len(self.bands)} bands>"
        )

    @property
    def is_metadata_only(self) -> bool:
        """Whether the wording or keys must still come from the user's own file.

        >>> from allykit import load_instrument
        >>> load_instrument("ally-identity-measure").is_metadata_only
        True
        """
        return not self.items or not self.scales

    @functools.cached_property
    def _indexes(self) -> dict[str, dict[str, Any]]:
        """Items and scales by id, and bands by scale, built on first use (not data)."""
        bands: dict[str, list[Band]] = {}
        for band in self.bands:
            bands.setdefault(band.scale, []).append(band)
        return {
            "items": {item.id: item for item in self.items},
            "scales": {scale.id: scale for scale in self.scales},
            "bands": {
                scale: tuple(sorted(found, key=_low)) for scale, found in bands.items()
            },
        }

    def item(self, item_id: str) -> Item:
        """Return the item with *item_id* (a lookup in an index, not a scan).

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        table = self._indexes["items"]
        try:
            found: Item = table[item_id]
        except (KeyError, TypeError):
            raise UnknownIdError.for_id(
                "item",  # noqa: EM101 -- a noun for the message, not the message
                item_id if isinstance(item_id, str) else short_repr(item_id),  # type: ignore[redundant-expr]
                table,
                where=self.id,
            ) from None
        return found

    def scale(self, scale_id: str) -> Scale:
        """Return the scale with *scale_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.

        >>> from allykit import load_instrument
        >>> load_instrument("ally-model-reflection").scale("action").stage
        'action'
        """
        table = self._indexes["scales"]
        try:
            found: Scale = table[scale_id]
        except (KeyError, TypeError):
            raise UnknownIdError.for_id(
                "scale",  # noqa: EM101 -- a noun for the message, not the message
                scale_id if isinstance(scale_id, str) else short_repr(scale_id),  # type: ignore[redundant-expr]
                table,
                where=self.id,
            ) from None
        return found

    def bands_for(self, scale_id: str) -> tuple[Band, ...]:
        """Return the bands of one scale, lowest first.

        Raises:
            UnknownIdError: If *scale_id* is not a scale of this instrument.
        """
        scale = self.scale(scale_id)
        found: tuple[Band, ...] = self._indexes["bands"].get(scale.id, ())
        return found

    def response_scale_for(self, item_id: str) -> ResponseScale:
        """Return the answer options of one item (its own, or the instrument's).

        Raises:
            UnknownIdError: If *item_id* is not an item of this instrument.
            InvalidArgumentError: If the item has no answer options yet
                (metadata-only instrument).
        """
        item = self.item(item_id)
        found = item.response_scale or self.response_scale
        if found is None:
            msg = (
                f"item {item.id!r} has no response scale; "
                "supply one with merge_item_text"
            )
            raise InvalidArgumentError(msg)
        return found


def _low(band: Band) -> float:
    return band.min
