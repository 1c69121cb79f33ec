"""The importers' arguments, checked: field map, ignore patterns, id column, N/A codes.

:func:`_import_options` turns what a caller passed (:class:`_Given`) into
:class:`_Options`, raising :class:`~allykit.errors.InvalidArgumentError` for
an unusable argument; with an instrument it also finds the answer each N/A
code reads as and the names of allykit's own score fields.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Literal

import attrs

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale

__all__ = ["MAX_NESTING", "Platform"]


#: The survey platform an export came from.
Platform = Literal["redcap", "qualtrics", "surveyjs"]


#: Deepest nesting of objects in a SurveyJS result (matrices nest two or
#: three levels); deeper data is refused with its location.
MAX_NESTING = 64


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


_MAX_EXACT_INT = 2**53  # larger whole numbers are not exact as floats


@attrs.frozen(kw_only=True)
class _Options:
    fields: dict[str, str]
    id_column: str | None
    ignore: tuple[str, ...]
    strict: bool
    platform: Platform
    # The N/A codes, and item id -> the answer they read as (absent: the
    # item has no "does not apply" answer).
    na_codes: tuple[float | str, ...] = ()
    na_answers: dict[str, float | str] = attrs.field(factory=dict)
    score_fields: frozenset[str] = frozenset()

    # The codes as trimmed, case-folded texts and as numbers, for is_na.
    na_texts: frozenset[str] = attrs.field(init=False)
    na_numbers: frozenset[float] = attrs.field(init=False)

    @na_texts.default
    def _na_texts(self) -> frozenset[str]:
        return frozenset(str(c).strip().casefold() for c in self.na_codes)

    @na_numbers.default
    def _na_numbers(self) -> frozenset[float]:
        numbers = (_as_number(c) for c in self.na_codes)
        return frozenset(n for n in numbers if n is not None)

    def is_na(self, value: Any) -> bool:
        """Return whether an exported *value* (cell text or JSON value) is an N/A code.

        Texts compare trimmed and ignoring case; numbers (and texts that are
        numbers) compare by value, so ``99``, ``99.0`` and ``"99"`` match.
        """
        if not self.na_codes or value is None or isinstance(value, bool):
            return False
        if isinstance(value, str):
            text = value.strip()
            return (
                text.casefold() in self.na_texts or _as_number(text) in self.na_numbers
            )
        if isinstance(value, (int, float)):
            return float(value) in self.na_numbers
        return False


def _as_number(value: float | str) -> float | None:
    if isinstance(value, str):
        text = value.strip()
        return float(text) if _NUMBER.fullmatch(text) else None
    return float(value)


@attrs.frozen(kw_only=True)
class _Given:
    """The importers' arguments, as the caller passed them."""

    fields: object
    id_column: object
    ignore: object
    strict: object
    instrument: object = None
    na_codes: object = ()
    skip_score_fields: object = True


def _import_options(
    platform: Platform, given: _Given, metadata: tuple[str, ...]
) -> _Options:
    for name in ("strict", "skip_score_fields"):
        flag = getattr(given, name)
        if not isinstance(flag, bool):
            msg = f"{name} must be True or False, got {short_repr(flag)}"
            raise InvalidArgumentError(msg)
    fields = _checked_fields(given.fields)
    instrument = _checked_instrument(given.instrument, fields)
    codes = _checked_na_codes(given.na_codes)
    if codes and instrument is None:
        msg = (
            f"na_codes={short_repr(list(codes))} needs instrument=: the "
            "instrument says which answer means 'does not apply' for each item; pass "
            "instrument=allykit.load_instrument(...)"
        )
        raise InvalidArgumentError(msg)
    na_answers: dict[str, float | str] = {}
    score_fields: frozenset[str] = frozenset()
    if instrument is not None:
        na_answers = _na_answers(instrument, fields, codes)
        if given.skip_score_fields:
            score_fields = _score_fields(platform, instrument, fields)
    return _Options(
        fields=fields,
        id_column=_checked_id(given.id_column),
        ignore=(*metadata, *_checked_ignore(given.ignore)),
        strict=bool(given.strict),
        platform=platform,
        na_codes=codes,
        na_answers=na_answers,
        score_fields=score_fields,
    )


def _checked_fields(fields: object) -> dict[str, str]:
    if not isinstance(fields, Mapping) or not fields:
        msg = (
            "fields must be a non-empty mapping of export field to item id, "
            f"got {short_repr(fields)}"
        )
        raise InvalidArgumentError(msg)
    checked: dict[str, str] = {}
    owner: dict[str, str] = {}
    for field, item in fields.items():
        if not isinstance(field, str) or not isinstance(item, str) or not item:
            msg = (
                "fields maps export field names (text) to item ids (text), "
                f"got {short_repr(field)}: {short_repr(item)}"
            )
            raise InvalidArgumentError(msg)
        if item in owner:
            msg = f"fields {owner[item]!r} and {field!r} both map to item {item!r}"
            raise InvalidArgumentError(msg)
        owner[item] = field
        checked[field] = item
    return checked


def _checked_ignore(ignore: object) -> tuple[str, ...]:
    if isinstance(ignore, str):
        return (ignore,)
    if not isinstance(ignore, Iterable):
        msg = f"ignore must be field names or patterns, got {short_repr(ignore)}"
        raise InvalidArgumentError(msg)
    patterns = tuple(ignore)
    for pattern in patterns:
        if not isinstance(pattern, str):
            msg = f"ignore must be field names or patterns, got {short_repr(pattern)}"
            raise InvalidArgumentError(msg)
    return patterns


def _checked_id(id_column: object) -> str | None:
    if id_column is not None and not isinstance(id_column, str):
        msg = f"id_column must be a field name or None, got {short_repr(id_column)}"
        raise InvalidArgumentError(msg)
    return id_column


def _ignored(names: Iterable[str], patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, pattern) for name in names for pattern in patterns)


def _checked_instrument(
    instrument: object, fields: dict[str, str]
) -> Instrument | None:
    if instrument is None:
        return None
    from allykit.models.instrument import Instrument  # lazy: keeps imports light

    if not isinstance(instrument, Instrument):
        msg = (
            "instrument must be an Instrument (from allykit.load_instrument), "
            f"got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    known = {item.id for item in instrument.items}
    for field, item in fields.items():
        if item not in known:
            from allykit._suggest import closest

            near = closest(item, known, limit=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            msg = (
                f"fields maps {field!r} to {item!r}, which is not an item of "
                f"instrument {instrument.id!r}{hint}"
            )
            raise InvalidArgumentError(msg)
    return instrument


def _checked_na_codes(na_codes: object) -> tuple[float | str, ...]:
    if isinstance(na_codes, (str, int, float)):
        na_codes = (na_codes,)
    if not isinstance(na_codes, Iterable):
        msg = (
            "na_codes must be numbers or texts, such as [99], got "
            f"{short_repr(na_codes)}"
        )
        raise InvalidArgumentError(msg)
    codes: list[float | str] = []
    for code in na_codes:
        text = isinstance(code, str) and bool(code.strip())
        number = (
            isinstance(code, int)
            and not isinstance(code, bool)
            and abs(code) <= _MAX_EXACT_INT
        ) or (isinstance(code, float) and math.isfinite(code))
        usable = text or number
        if not usable:
            msg = (
                "na_codes must be finite numbers (whole numbers up to 2**53) or "
                f"non-blank texts, such as [99] or ['NA'], got {short_repr(code)}"
            )
            raise InvalidArgumentError(msg)
        codes.append(code)
    return tuple(codes)


def _na_answers(
    instrument: Instrument, fields: dict[str, str], codes: tuple[float | str, ...]
) -> dict[str, float | str]:
    """Return item id -> the answer an N/A code reads as, checking the codes."""
    found: dict[str, float | str] = {}
    if not codes:
        return found
    for item_id in fields.values():
        item = instrument.item(item_id)
        options = item.response_scale or instrument.response_scale
        if options is None:
            continue
        for code in codes:
            if _is_code(code, [c.value for c in options.choices], options):
                msg = (
                    f"na_codes value {code!r} is an answer of item {item_id!r} "
                    f"({options.min:g} to {options.max:g}), so it cannot also "
                    "mean 'does not apply'; remove it from na_codes"
                )
                raise InvalidArgumentError(msg)
        if options.not_applicable_values:
            value = options.not_applicable_values[0]
            found[item_id] = int(value) if float(value).is_integer() else value
        elif options.not_applicable:
            found[item_id] = options.not_applicable[0]
    return found


def _is_code(code: float | str, values: list[float], options: ResponseScale) -> bool:
    """Return whether an N/A *code* is one of the item's own answers."""
    if isinstance(code, str):
        key = code.strip().casefold()
        labels = [c.label for c in options.choices] + [a.label for a in options.aliases]
        return any(label.strip().casefold() == key for label in labels) or (
            bool(_NUMBER.fullmatch(code.strip())) and float(code) in values
        )
    return float(code) in values


def _score_fields(
    platform: Platform, instrument: Instrument, fields: dict[str, str]
) -> frozenset[str]:
    """Return the names allykit's own export gives the instrument's score fields."""
    from allykit.surveys import _forms as surveys  # lazy: not needed to import

    if platform == "surveyjs":
        return frozenset(surveys.surveyjs_score_name(s.id) for s in instrument.scales)
    # A raw export's fields are <prefix><item>; find the prefix from the map.
    prefixes = {""}
    for field, item in fields.items():
        stem = item.replace("-", "_")
        if field.endswith(stem):
            prefixes.add(field.removesuffix(stem))
    names = {
        surveys.redcap_score_name(scale.id, prefix)
        for scale in instrument.scales
        for prefix in prefixes
    }
    # A label export's header holds the calc field's label instead.
    names.update(surveys.redcap_score_label(scale) for scale in instrument.scales)
    return frozenset(names)
