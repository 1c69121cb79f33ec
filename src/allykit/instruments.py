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

>>> from allykit.instruments import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> inventory.validated, len(inventory.items) >= 18
(False, True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, NewType, TypeVar, overload

import attrs

from allykit.errors import (
    AllykitDeprecationWarning,
    InvalidArgumentError,
    UnknownFrameworkError,
    UnknownIdError,
)
from allykit.models import (
    Citation,
    FrameworkId,
    Licence,
    PromptId,
    StageId,
    _doc,
    _field_repr,
    _Value,
)

# The one model of a published scale lives in allykit.scales; this import
# also keeps ``from allykit.instruments import PublishedScale`` working.
from allykit.scales import PublishedScale as PublishedScale  # noqa: PLC0414 -- re-export

__all__ = [
    "Alias",
    "Band",
    "BandId",
    "Choice",
    "Instrument",
    "InstrumentId",
    "Item",
    "ItemId",
    "ResponseScale",
    "Scale",
    "ScaleId",
    "ScoringMethod",
    "available_instruments",
    "get_instrument",
    "instrument_json_schema",
    "instrument_sources",
    "load_instrument",
    "load_instrument_file",
    "load_instrument_mapping",
    "load_instrument_text",
    "merge_item_text",
]

InstrumentId = NewType("InstrumentId", str)
ItemId = NewType("ItemId", str)
ScaleId = NewType("ScaleId", str)
BandId = NewType("BandId", str)

#: How a scale's headline score is formed from its (reverse-keyed) answers.
ScoringMethod = Literal["sum", "mean", "pomp", "median"]

_INSTRUMENTS = "instruments"
_TITLE = "allykit instrument"
_D = TypeVar("_D")


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Choice(_Value):
    """One answer option: the number it scores as and the label shown.

    Attributes:
        value: The number the option scores as.
        label: The label shown to the person (matched case-insensitively).
        stage: The framework stage (for a continuum, its point) this option
            stands for, or None.
    """

    __repr__ = _field_repr

    value: float = attrs.field(metadata=_doc("The number it scores as."))
    label: str = attrs.field(metadata=_doc("The label shown."))
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Framework stage this option stands for, or null.")
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Alias(_Value):
    """Another label accepted for a choice (``"SA"`` for ``"Strongly agree"``).

    Attributes:
        label: The extra label (matched case-insensitively).
        value: The value of the choice it stands for.
    """

    __repr__ = _field_repr

    label: str = attrs.field(metadata=_doc("The extra label."))
    value: float = attrs.field(metadata=_doc("Value of the choice it stands for."))


@attrs.frozen(kw_only=True, repr=False, eq=False)
class ResponseScale(_Value):
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

    __repr__ = _field_repr

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

        >>> from allykit.instruments import load_instrument
        >>> scale = load_instrument("ally-model-reflection").response_scale
        >>> scale.reverse(2), scale.reverse(scale.reverse(2))
        (4, 2)
        """
        return self.min + self.max - value


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Item(_Value):
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

    __repr__ = _field_repr

    id: ItemId = attrs.field(metadata=_doc("Stable kebab-case id."))
    text: str = attrs.field(default="", metadata=_doc("Wording, or empty."))
    reverse: bool = attrs.field(default=False, metadata=_doc("Reverse-keyed."))
    weight: float = attrs.field(default=1.0, metadata=_doc("Positive weight."))
    response_scale: ResponseScale | None = attrs.field(
        default=None, metadata=_doc("Own answer options, or null.")
    )


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Scale(_Value):
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

    __repr__ = _field_repr

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


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Band(_Value):
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

    __repr__ = _field_repr

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


def _reported_statistic() -> type:
    """Build the deprecated ``ReportedStatistic`` class (on first use only).

    Nothing uses it any more, so building it at import would only cost
    time; once built it is the module's ``_ReportedStatistic``, where
    pickle finds it.
    """
    built: type | None = globals().get("_ReportedStatistic")
    if built is not None:
        return built

    @attrs.frozen(kw_only=True)
    class _ReportedStatistic:
        """A statistic as reported by the authors of a published scale (deprecated).

        No longer used: :class:`~allykit.scales.PublishedScale` gives reported
        figures as text in ``samples`` and ``reliability``. Importing the name
        ``ReportedStatistic`` still works and warns.

        Attributes:
            name: What was measured (``"Cronbach's alpha"``).
            value: The reported value or range, as text (``".76 to .88"``).
            note: Sample and context, or empty.
        """

        name: str
        value: str
        note: str = ""

    _ReportedStatistic.__qualname__ = _ReportedStatistic.__name__
    return globals().setdefault("_ReportedStatistic", _ReportedStatistic)  # type: ignore[no-any-return]


def __getattr__(name: str) -> Any:
    """Resolve deprecated names with a warning."""
    if name == "_ReportedStatistic":  # pickle's way in: no warning
        return _reported_statistic()
    if name != "ReportedStatistic":
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    import warnings

    warnings.warn(
        f"allykit.instruments.{name} is deprecated and no longer used: "
        "PublishedScale (allykit.scales) reports figures as text in "
        "'samples' and 'reliability'",
        AllykitDeprecationWarning,
        stacklevel=2,
    )
    return _reported_statistic()


@attrs.frozen(kw_only=True, repr=False, eq=False)
class Instrument(_Value):
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

    # The scoring plan (allykit.scoring), built on first use; not data,
    # equality, hash or repr. Typed Any: get_type_hints must resolve it.
    _plan: Any = attrs.field(init=False, default=None, eq=False, hash=False, repr=False)

    def __repr__(self) -> str:
        """Return a short summary; ``to_dict()`` shows everything."""
        return (
            f"<Instrument {self.id!r}: {len(self.items)} items, "
            f"{len(self.scales)} scales, {len(self.bands)} bands>"
        )

    @property
    def is_metadata_only(self) -> bool:
        """Whether the wording or keys must still come from the user's own file.

        >>> from allykit.instruments import load_instrument
        >>> load_instrument("ally-identity-measure").is_metadata_only
        True
        """
        return not self.items or not self.scales

    def item(self, item_id: str) -> Item:
        """Return the item with *item_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownIdError.for_id(
            "item",  # noqa: EM101 -- a noun for the message, not the message
            str(item_id),
            [i.id for i in self.items],
            where=self.id,
        )

    def scale(self, scale_id: str) -> Scale:
        """Return the scale with *scale_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.

        >>> from allykit.instruments import load_instrument
        >>> load_instrument("ally-model-reflection").scale("action").stage
        'action'
        """
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message, not the message
            str(scale_id),
            [s.id for s in self.scales],
            where=self.id,
        )

    def bands_for(self, scale_id: str) -> tuple[Band, ...]:
        """Return the bands of one scale, lowest first.

        Raises:
            UnknownIdError: If *scale_id* is not a scale of this instrument.
        """
        scale = self.scale(scale_id)
        return tuple(sorted((b for b in self.bands if b.scale == scale.id), key=_low))

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

    # -- conversion ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the instrument as JSON-ready plain data (the file format).

        >>> from allykit.instruments import Instrument, load_instrument
        >>> inventory = load_instrument("ally-model-reflection")
        >>> Instrument.from_dict(inventory.to_dict()) == inventory
        True
        """
        from allykit._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the instrument as JSON text in the file format."""
        from allykit._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Instrument:
        """Validate plain data in the file format and build an instrument.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        return load_instrument_mapping(data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Instrument:
        """Validate JSON text in the file format and build an instrument.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        return load_instrument_text(text)


def _low(band: Band) -> float:
    return band.min


# -- catalogue -------------------------------------------------------------


def available_instruments() -> tuple[str, ...]:
    """Return the ids of every bundled and plugin instrument, sorted.

    Plugin instruments come from installed packages through the entry-point
    group ``allykit.instruments`` (see :func:`instrument_sources`); the first
    call looks them up.

    >>> "ally-model-reflection" in available_instruments()
    True
    """
    from allykit.catalog import available_ids

    return available_ids(_INSTRUMENTS)


def instrument_sources() -> dict[str, str]:
    """Return where each available instrument comes from, by id (sorted).

    The value is ``"bundled"`` for allykit's own data, or a description of
    the installed package, entry point and file that provides it. Bundled
    data takes precedence over plugins.

    >>> instrument_sources()["ally-model-reflection"]
    'bundled'
    """
    from allykit.catalog import sources_of

    return sources_of(_INSTRUMENTS)


def load_instrument(instrument_id: str) -> Instrument:
    """Return the bundled or plugin instrument *instrument_id* (cached).

    Bundled instruments are trusted; a plugin instrument is validated like a
    user's file (:func:`load_instrument_file`) on its first load.
    Use :func:`get_instrument` to get a default instead of an error.

    Raises:
        UnknownFrameworkError: If no instrument has that id; the message
            suggests the closest ids.
        DataFileError: If a plugin's file does not match the format.

    >>> load_instrument("ally-model-reflection").framework
    'ally-model'
    """
    from allykit.catalog import load_any

    return load_any(_INSTRUMENTS, Instrument, instrument_id, load_instrument_mapping)


@overload
def get_instrument(instrument_id: str) -> Instrument | None: ...
@overload
def get_instrument(instrument_id: str, default: _D) -> Instrument | _D: ...
def get_instrument(instrument_id: str, default: object = None) -> object:
    """Return the instrument *instrument_id*, or *default* if there is none.

    >>> get_instrument("no-such-inventory") is None
    True
    """
    try:
        return load_instrument(instrument_id)
    except UnknownFrameworkError:
        return default


def load_instrument_mapping(
    data: Mapping[str, Any], *, source: str = "<mapping>"
) -> Instrument:
    """Validate plain data in the instrument file format and build an instrument.

    The mapping is only read, never changed.

    Raises:
        DataFileError: Listing every problem, each with its location.
    """
    from allykit._instrument_checks import check_instrument
    from allykit._loading import load_document

    return load_document(
        Instrument, data, source=source, title=_TITLE, checks=check_instrument
    )


def load_instrument_text(text: str | bytes, *, source: str = "<string>") -> Instrument:
    """Validate JSON text in the instrument file format and build an instrument.

    Raises:
        DataFileError: If the text is not UTF-8 JSON within the size limit,
            or does not match the format; lists every problem.
    """
    from allykit._loading import from_text

    return from_text(text, source, load_instrument_mapping)


def load_instrument_file(path: str | os.PathLike[str]) -> Instrument:
    """Read, validate and build an instrument from the user's own JSON file.

    Raises:
        DataFileError: If the file cannot be read or does not match the
            format; lists every problem, each with its location.
    """
    from allykit._loading import from_file

    return from_file(path, load_instrument_mapping)


_MERGEABLE = ("response_scale", "items", "scales", "bands")


def merge_item_text(  # noqa: C901, PLR0912 -- a checklist of the user's input
    instrument: Instrument, supplied: str | os.PathLike[str] | Mapping[str, Any]
) -> Instrument:
    """Return *instrument* completed with wording and keys from the user's own file.

    For published scales allykit ships metadata only. A user who holds a
    licensed copy writes a JSON file (or passes a mapping) with any of the
    keys ``response_scale``, ``items``, ``scales`` and ``bands``, in the
    instrument file format. Items are merged by id (the user's fields win;
    new ids are appended); ``response_scale``, ``scales`` and ``bands``
    replace the instrument's when given. The result is validated like any
    user instrument, so a wrong item count or an unknown key is reported
    with its location. Nothing is written anywhere.

    Raises:
        InvalidArgumentError: If *instrument* is not an Instrument or
            *supplied* is neither a path nor a mapping.
        DataFileError: If the file cannot be read, has other keys, or the
            merged instrument is invalid; lists every problem.

    >>> from allykit.instruments import load_instrument
    >>> base = load_instrument("ally-model-reflection")
    >>> mine = {"items": [{"id": base.items[0].id, "text": "Mine."}]}
    >>> merged = merge_item_text(base, mine)
    >>> merged.items[0].text
    'Mine.'
    """
    from allykit._loading import parse_json, read_file
    from allykit.errors import DataFileError, Problem, short_repr

    if not isinstance(instrument, Instrument):
        msg = (
            f"expected an Instrument (from allykit.load_instrument or "
            f"load_instrument_file), got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    if isinstance(supplied, Mapping):
        source, data = "<mapping>", supplied
    elif isinstance(supplied, (str, os.PathLike)):
        source, raw = read_file(supplied)
        data = parse_json(raw, source)
    else:
        msg = f"expected a path or a mapping, got {short_repr(supplied)}"
        raise InvalidArgumentError(msg)
    if not isinstance(data, Mapping):
        problem = Problem(
            path="", message="expected a JSON object", value=short_repr(data)
        )
        raise DataFileError(source, [problem])
    extra = sorted(str(k) for k in data if k not in (*_MERGEABLE, "$schema"))
    if extra:
        problems = [
            Problem(
                path=key,
                message="this key cannot be merged",
                hint="allowed keys: " + ", ".join(_MERGEABLE),
            )
            for key in extra
        ]
        raise DataFileError(source, problems)
    document = instrument.to_dict()
    for key in ("response_scale", "scales", "bands"):
        if key in data:
            document[key] = data[key]
    supplied_items = data.get("items")
    if supplied_items is not None:
        if not isinstance(supplied_items, list):
            problem = Problem(
                path="items",
                message="expected a list",
                value=short_repr(supplied_items),
            )
            raise DataFileError(source, [problem])
        items = list(document["items"])
        where = {item["id"]: index for index, item in enumerate(items)}
        for entry in supplied_items:
            item_id = entry.get("id") if isinstance(entry, Mapping) else None
            if isinstance(item_id, str) and item_id in where:
                index = where[item_id]
                items[index] = {**items[index], **entry}
            else:
                items.append(entry)
        document["items"] = items
    return load_instrument_mapping(document, source=source)


def instrument_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the instrument file format.

    The same schema is committed as ``allykit/data/schemas/instrument.schema.json``.

    >>> instrument_json_schema()["title"]
    'allykit instrument'
    """
    from allykit import _schema

    return _schema.json_schema(
        Instrument,
        title=_TITLE,
        description="One reflection inventory or published scale: response "
        "scale, items, scoring keys, bands, citations and licence. "
        "See docs/scoring.md.",
    )
