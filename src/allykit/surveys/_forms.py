"""What the survey exports share: checks, labels, N/A choices and score-field names.

Private to :mod:`allykit.surveys`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from allykit.errors import InvalidArgumentError, short_repr
from allykit.surveys import _expressions as expressions

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, Item, ResponseScale, Scale


from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale

__all__ = ["redcap_score_label", "redcap_score_name", "surveyjs_score_name"]


# SurveyJS pipes ``{name}`` in every title, description and choice text (a
# question's value, a calculated value, or a built-in such as {locale} or
# {pageno}); it has no escape for braces. REDCap pipes ``[field]`` and smart
# variables such as ``[survey-link]`` or ``[event-name:label]`` in labels.
# A WORD JOINER (U+2060, invisible, no line break) after the opening brace
# or bracket makes the name one that no question or variable can have, so
# the platform shows the text as written.
_WORD_JOINER = "\u2060"


_SURVEYJS_PIPE = re.compile(r"\{(?=[^{}]*\})")


_REDCAP_PIPE = re.compile(r"\[(?=[A-Za-z][A-Za-z0-9_:()\-]*\])")


def _plain(text: str, platform: Literal["SurveyJS", "REDCap"]) -> str:
    """Return *text* with what *platform* would pipe made inert (see above)."""
    pattern = _SURVEYJS_PIPE if platform == "SurveyJS" else _REDCAP_PIPE
    return pattern.sub(lambda found: found.group() + _WORD_JOINER, text)


_METHOD_NAMES = {
    "sum": "prorated sum",
    "mean": "mean",
    "pomp": "POMP, 0 to 100",
    "median": "median",
}


def _calc_note(min_answered: int, share: float) -> str:
    rule = f"fewer than {min_answered} answers"
    if share > 0:
        rule += f" or under {share:.0%} of the items that apply"
    return f"Scored as allykit does; blank with {rule}. N/A answers do not count."


def _key(
    instrument: Instrument,
    scale_id: str,
    name_of: Callable[[str], str],
    na_literals: dict[str, tuple[str, ...]],
) -> expressions.ScaleKey:
    scale = instrument.scale(scale_id)
    members = []
    for item_id in scale.items:
        item = instrument.item(item_id)
        options = _options(instrument, item)
        members.append(
            expressions.Member(
                name=name_of(item.id),
                weight=float(item.weight),
                reverse=item.reverse,
                values=tuple(c.value for c in options.choices),
                na_codes=na_literals[item.id],
            )
        )
    # The items of a scale share their bounds (checked on load); the first
    # item's are the scale's, as in allykit.score().
    first = _options(instrument, instrument.item(scale.items[0]))
    return expressions.ScaleKey(
        members=tuple(members),
        low=first.min,
        high=first.max,
        method=scale.method,
        min_answered=scale.min_answered,
        share=scale.min_answered_share,
    )


_NA_LABEL = "Not applicable"


_MAX_NA_CODE = 2**53  # larger whole numbers are not exact in a survey expression


def _check_na_code(na_code: object) -> None:
    """Raise InvalidArgumentError unless *na_code* is a usable whole number."""
    if (
        isinstance(na_code, bool)
        or not isinstance(na_code, int)
        or not -_MAX_NA_CODE <= na_code <= _MAX_NA_CODE
    ):
        msg = (
            f"na_code must be a whole number between -2**53 and 2**53, such as "
            f"99, not {short_repr(na_code)}"
        )
        raise InvalidArgumentError(msg)


def _checked(instrument: object, platform: str) -> Instrument:
    """Return *instrument* if it can be exported, else raise a helpful error."""
    from allykit.models.instrument import Instrument

    if not isinstance(instrument, Instrument):
        msg = (
            f"expected an Instrument (from allykit.load_instrument or "
            f"load_instrument_file), got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    if instrument.is_metadata_only:
        msg = (
            f"cannot export instrument {instrument.id!r} to {platform}: it is "
            "metadata only (no items or scoring keys); add the items, keys and "
            "response scale from your own licensed copy with merge_item_text() "
            "first"
        )
        raise InvalidArgumentError(msg)
    for item in instrument.items:
        if (item.response_scale or instrument.response_scale) is None:
            msg = (
                f"cannot export instrument {instrument.id!r} to {platform}: item "
                f"{item.id!r} has no response scale; supply one with "
                "merge_item_text()"
            )
            raise InvalidArgumentError(msg)
    return instrument


def _options(instrument: Instrument, item: Item) -> ResponseScale:
    found = item.response_scale or instrument.response_scale
    # _checked has made sure every item has answer options.
    assert found is not None  # noqa: S101 -- narrows the type for mypy
    return found


def _label(instrument: Instrument, item: Item) -> str:
    """Return the item's wording, or a placeholder that never invents it."""
    if item.text.strip():
        return item.text
    return (
        f"[{item.id}: add the wording of this item from your licensed copy of "
        f"{instrument.name}]"
    )


def _description(instrument: Instrument) -> str:
    parts = [instrument.summary]
    if not instrument.validated:
        from allykit.scoring._score import instrument_status, status_note

        parts.append(status_note(instrument_status(instrument)))
    # The exact data the form's scoring follows, so that results can be traced.
    parts.append(
        f"allykit instrument {instrument.id} {instrument.version}, "
        f"content sha256 {instrument.content_hash}."
    )
    sources = "; ".join(str(citation) for citation in instrument.citations)
    parts.append(f"Source: {sources}")
    licence = instrument.licence
    parts.append(f"Licence: {licence.spdx or 'see note'}: {licence.note}")
    return " ".join(parts)


def _na_choices(options: ResponseScale) -> list[tuple[float | str, str]]:
    """Return (value, label) of the N/A choices: numeric codes, else the first label."""
    labels = list(options.not_applicable)
    if options.not_applicable_values:
        return [
            (code, labels[index] if index < len(labels) else _NA_LABEL)
            for index, code in enumerate(options.not_applicable_values)
        ]
    if labels:
        return [(labels[0], labels[0])]
    return []


def _numeric_na_choices(
    options: ResponseScale, na_code: int, where: str
) -> list[tuple[float, str]]:
    """Return (code, label) of the N/A choices for a form that needs numeric codes.

    The scale's own numeric codes, else *na_code* with the first N/A label.
    """
    if options.not_applicable_values:
        # Every value is one of the scale's numeric codes; the test narrows the type.
        return [
            (v, label) for v, label in _na_choices(options) if not isinstance(v, str)
        ]
    if not options.not_applicable:
        return []
    if options.min <= na_code <= options.max or any(
        c.value == na_code for c in options.choices
    ):
        msg = (
            f"the N/A code {na_code!r} for {where} lies within its values "
            f"({options.min:g} to {options.max:g}); pass another na_code"
        )
        raise InvalidArgumentError(msg)
    return [(na_code, options.not_applicable[0])]


def _json_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def surveyjs_score_name(scale_id: str) -> str:
    """Return the name of a scale's calculated value in a SurveyJS form.

    >>> surveyjs_score_name("action")
    'action-score'
    """
    return f"{scale_id}-score"


def redcap_score_name(scale_id: str, prefix: str = "") -> str:
    """Return the variable name of a scale's ``calc`` field in a REDCap dictionary.

    >>> redcap_score_name("self-examination", "amr_")
    'amr_self_examination_score'
    """
    return prefix + scale_id.replace("-", "_") + "_score"


def redcap_score_label(scale: Scale) -> str:
    """Return the field label of a scale's ``calc`` field (a label export's header).

    >>> from allykit.catalog import load_instrument
    >>> redcap_score_label(load_instrument("ally-model-reflection").scale("action"))
    'Action (mean)'
    """
    return f"{scale.name} ({_METHOD_NAMES[scale.method]})"
