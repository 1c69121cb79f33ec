"""Export an instrument to survey platforms: SurveyJS forms, REDCap dictionaries.

Pure functions: they take an instrument and return plain data or text, with
the standard library only, and write nothing. Both exports carry the
scoring with them (SurveyJS ``calculatedValues``, REDCap ``calc`` fields)
so that the platform computes the same scale scores as
:func:`allykit.score`: reverse keys with the declared bounds, weights, N/A
kept apart from missing, the minimum of answers, and the sum, mean, POMP
or median. The test suite evaluates the exported expressions on generated
instruments and answers and checks them against ``score()``.

What is not exported: bands (a platform expression gives the number; look
the band up with ``Instrument.bands_for``), aliases and extra N/A labels
(a form offers each choice once), and the clamp of a mean to the bounds
(``score()`` removes floating-point noise of about 1e-15 that way).

>>> from allykit.catalog import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> form = to_surveyjs(inventory)
>>> form["pages"][0]["elements"][0]["name"]
'se-check-first-impressions'
>>> dictionary = to_redcap_dictionary(inventory)
>>> dictionary.splitlines()[0].split(",")[:2]
['Variable / Field Name', 'Form Name']
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from allykit.catalog._checks.instrument import scale_range
from allykit.errors import AllykitWarning, InvalidArgumentError, short_repr, warn
from allykit.surveys import _expressions as expressions

if TYPE_CHECKING:
    from allykit.models.instrument import Choice, Instrument, Item, ResponseScale, Scale

__all__ = [
    "REDCAP_COLUMNS",
    "REPROSCHEMA_CONTEXT",
    "QuestionType",
    "redcap_score_label",
    "redcap_score_name",
    "surveyjs_score_name",
    "to_redcap_dictionary",
    "to_reproschema",
    "to_surveyjs",
]

#: The 18 columns of a REDCap data dictionary, in order.
REDCAP_COLUMNS: tuple[str, ...] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)

#: The JSON-LD context of the ReproSchema documents (schema version 1.0.0).
REPROSCHEMA_CONTEXT = (
    "https://raw.githubusercontent.com/ReproNim/reproschema/1.0.0/contexts/reproschema"
)

#: The SurveyJS question type of each item.
QuestionType = Literal["radiogroup", "rating"]

_HONESTY = (
    "This inventory is a reflective aid, not a validated measure: its scores "
    "describe answers on one occasion, not the person."
)
_REDCAP_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
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
        parts.append(_HONESTY)
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


def _surveyjs_string(text: str, where: str) -> str:
    if "\\" in text:
        msg = (
            f"cannot write the N/A label {text!r} of {where} as a SurveyJS "
            "expression string: it contains a backslash; remove it from the label"
        )
        raise InvalidArgumentError(msg)
    return "'" + text.replace("'", "\\'").replace('"', '\\"') + "'"


# -- names of the score fields (shared with allykit.surveys._importers) --------------


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


# -- SurveyJS ---------------------------------------------------------------


def to_surveyjs(
    instrument: Instrument,
    *,
    question_type: QuestionType = "radiogroup",
) -> dict[str, Any]:
    """Return a SurveyJS form (JSON-ready dict) with the scoring as calculated values.

    The form has one page with every item in presentation order, each a
    ``radiogroup`` (or ``rating``) question named by the item id, whose
    choices are the item's values and labels, plus one N/A choice when the
    response scale has N/A codes (the numeric code) or only N/A labels (the
    first label, which ``score()`` reads as N/A). Items without wording get
    a placeholder, never invented text. The title is the instrument's
    name; the description carries its summary, the "reflective aid" note
    when it is not validated, the citations and the licence. Text that
    SurveyJS would pipe (``{name}``) gets an invisible WORD JOINER after
    the brace, so it shows as written.

    Each scale becomes a calculated value named ``<scale id>-score`` (in
    the survey results), whose expression computes the scale's headline
    score as :func:`allykit.score` does, or an empty value when the score
    is withheld. :func:`allykit.surveys.load_surveyjs_results` skips these values
    when given the instrument (or pass ``ignore=["*-score"]``).

    Args:
        instrument: A scoreable instrument.
        question_type: ``"radiogroup"`` (labelled options in a column) or
            ``"rating"`` (the options as a row of buttons).

    Raises:
        InvalidArgumentError: If the instrument is metadata only, an item
            has no response scale, a name is used twice, or
            *question_type* is unknown.

    >>> from allykit.catalog import load_instrument
    >>> form = to_surveyjs(load_instrument("ally-model-reflection"))
    >>> first = form["pages"][0]["elements"][0]
    >>> [c["text"] for c in first["choices"]][-2:]
    ['Strongly agree', 'Does not apply']
    >>> form["calculatedValues"][2]["name"]
    'action-score'
    """
    instrument = _checked(instrument, "SurveyJS")
    if question_type not in ("radiogroup", "rating"):
        msg = (
            "question_type must be 'radiogroup' or 'rating', not "
            f"{short_repr(question_type)}"
        )
        raise InvalidArgumentError(msg)
    choices_key = "choices" if question_type == "radiogroup" else "rateValues"
    elements: list[dict[str, Any]] = []
    na_literals: dict[str, tuple[str, ...]] = {}
    for item in instrument.items:
        options = _options(instrument, item)
        choices: list[dict[str, Any]] = [
            {
                "value": _json_number(c.value),
                "text": _plain(c.label, "SurveyJS"),
            }
            for c in options.choices
        ]
        literals = []
        for value, label in _na_choices(options):
            if isinstance(value, str):
                choices.append({"value": value, "text": _plain(label, "SurveyJS")})
                literals.append(_surveyjs_string(value, f"item {item.id!r}"))
            else:
                choices.append(
                    {"value": _json_number(value), "text": _plain(label, "SurveyJS")}
                )
                literals.append(expressions.number(value))
        na_literals[item.id] = tuple(literals)
        elements.append(
            {
                "type": question_type,
                "name": item.id,
                "title": _plain(_label(instrument, item), "SurveyJS"),
                choices_key: choices,
            }
        )
    names = {item.id for item in instrument.items}
    calculated = []
    for scale in instrument.scales:
        name = surveyjs_score_name(scale.id)
        if name in names:
            msg = (
                f"cannot name the calculated value of scale {scale.id!r} "
                f"{name!r}: an item has that id; rename the item or the scale"
            )
            raise InvalidArgumentError(msg)
        key = _key(instrument, scale.id, lambda item_id: item_id, na_literals)
        calculated.append(
            {
                "name": name,
                "expression": expressions.scale(expressions.SurveyJSSyntax(), key),
                "includeIntoResult": True,
            }
        )
    return {
        "title": _plain(instrument.name, "SurveyJS"),
        "description": _plain(_description(instrument), "SurveyJS"),
        "pages": [{"name": "items", "elements": elements}],
        "calculatedValues": calculated,
    }


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


# -- REDCap -----------------------------------------------------------------


def _redcap_name(name: object, what: str, hint: str) -> str:
    if not isinstance(name, str) or not _REDCAP_NAME.match(name):
        msg = (
            f"{what} {short_repr(name)} is not a valid REDCap name (lowercase letters, "
            f"digits and underscores, starting with a letter); {hint}"
        )
        raise InvalidArgumentError(msg)
    return name


def _code(value: float, where: str) -> str:
    if not float(value).is_integer():
        msg = (
            f"cannot use {value!r} ({where}) as a REDCap choice code: REDCap "
            "codes choices with whole numbers; give the response scale whole-"
            "number values"
        )
        raise InvalidArgumentError(msg)
    return str(int(value))


def _choice_label(text: str, where: str) -> str:
    if "|" in text:
        msg = (
            f"the label {text!r} ({where}) contains '|', which separates REDCap "
            "choices; remove it from the label"
        )
        raise InvalidArgumentError(msg)
    return " ".join(text.split())


def _redcap_choices(
    options: ResponseScale, na_code: int, where: str
) -> tuple[str, tuple[str, ...]]:
    """Return the Choices cell and the N/A codes (as written) of one item."""
    entries: list[tuple[str, str]] = [
        (_code(c.value, where), _choice_label(_plain(c.label, "REDCap"), where))
        for c in options.choices
    ]
    na_codes: list[str] = []
    for value, label in _numeric_na_choices(options, na_code, where):
        entries.append(
            (
                _code(value, f"N/A code of {where}"),
                _choice_label(_plain(label, "REDCap"), where),
            )
        )
        na_codes.append(expressions.number(value))
    return " | ".join(f"{code}, {label}" for code, label in entries), tuple(na_codes)


def _choice_key(choices: tuple[Choice, ...]) -> tuple[tuple[float, str], ...]:
    return tuple((c.value, c.label) for c in choices)


def to_redcap_dictionary(
    instrument: Instrument,
    *,
    form_name: str | None = None,
    prefix: str = "",
    record_id: str | None = "record_id",
    na_code: int = 99,
) -> str:
    """Return a REDCap data dictionary (CSV text) with a ``calc`` field per scale.

    The rows are, in order: the record id field (``text``; leave it out
    with ``record_id=None`` when adding the form to a project that has
    one), a ``descriptive`` field with the instrument's name, summary,
    "reflective aid" note, citations and licence, one ``radio`` field per
    item, and one ``calc`` field per scale named ``<prefix><scale>_score``.

    Field names are the item ids with ``-`` turned into ``_``, after
    *prefix*. Choice codes are the choice values (whole numbers), so the
    raw export scores with :func:`allykit.score` unchanged; N/A codes are
    offered as extra choices: the scale's numeric codes, or *na_code* with
    the first N/A label when it has labels only. (A raw export then holds
    *na_code*: import it with ``load_redcap_export(..., instrument=...,
    na_codes=[na_code])``, which reads it as N/A; a label export scores as
    it is.)
    Consecutive items of the same scale with the same choices form a
    matrix (``Matrix Group Name``). Items without wording get a
    placeholder, never invented text. Label text that REDCap would pipe
    (``[field]``, ``[survey-link]``) gets an invisible WORD JOINER after
    the bracket, so it shows as written. Field names longer than REDCap's
    recommended 26 characters raise an :class:`~allykit.errors.AllykitWarning`
    naming each and how to shorten it.

    Each ``calc`` expression computes the scale's headline score as
    :func:`allykit.score` does, or blank when the score is withheld. It
    does not depend on REDCap's ``sum()``/``mean()`` skipping blanks.
    :func:`allykit.surveys.load_redcap_export` skips these fields when given the
    instrument (or pass ``ignore=["*_score"]``).

    Args:
        instrument: A scoreable instrument.
        form_name: The REDCap instrument (form) name; default: the
            instrument id with ``-`` turned into ``_``.
        prefix: Put before every item and score field name (``"amr_"``);
            needed when an item or scale id starts with a digit.
        record_id: Name of the record id field, or None to leave it out.
        na_code: The code of the N/A choice for scales with N/A labels but
            no numeric N/A codes: a whole number within 2**53.

    Raises:
        InvalidArgumentError: If the instrument is metadata only, a name is
            not a valid REDCap name or is used twice, a choice value is not
            a whole number, a label contains ``|``, or *na_code* is one of
            the values.

    >>> from allykit.catalog import load_instrument
    >>> import csv, io
    >>> text = to_redcap_dictionary(load_instrument("ally-model-reflection"))
    >>> rows = list(csv.DictReader(io.StringIO(text)))
    >>> rows[2]["Choices, Calculations, OR Slider Labels"][:40]
    '1, Strongly disagree | 2, Disagree | 3, '
    >>> rows[-1]["Variable / Field Name"], rows[-1]["Field Type"]
    ('action_score', 'calc')
    """
    instrument = _checked(instrument, "REDCap")
    if not isinstance(prefix, str):
        msg = f"prefix must be text, such as 'amr_', not {short_repr(prefix)}"
        raise InvalidArgumentError(msg)
    form = form_name if form_name is not None else instrument.id.replace("-", "_")
    _redcap_name(form, "form_name", "pass form_name='my_form'")
    _check_na_code(na_code)
    rows: list[dict[str, str]] = []
    seen: dict[str, str] = {}

    def add(name: str, what: str, **cells: str) -> None:
        if name in seen:
            msg = (
                f"the REDCap field name {name!r} of {what} is also the name of "
                f"{seen[name]}; rename one, or pass prefix= or record_id="
            )
            raise InvalidArgumentError(msg)
        seen[name] = what
        row = dict.fromkeys(REDCAP_COLUMNS, "")
        row["Variable / Field Name"] = name
        row["Form Name"] = form
        # One kind of line break, which the writer then quotes.
        row.update(
            {
                _COLUMN_OF[key]: value.replace("\r\n", "\n").replace("\r", "\n")
                for key, value in cells.items()
            }
        )
        rows.append(row)

    if record_id is not None:
        _redcap_name(record_id, "record_id", "pass record_id='record_id'")
        add(record_id, "the record id", type="text", label="Record ID")
    intro = f"{form}_about"
    _redcap_name(intro, "field", "pass another form_name")
    add(
        intro,
        "the introduction",
        type="descriptive",
        label=_plain(f"{instrument.name}. {_description(instrument)}", "REDCap"),
    )
    field_of: dict[str, str] = {}
    na_literals: dict[str, tuple[str, ...]] = {}
    first_scale: dict[str, str] = {}
    for scale in reversed(instrument.scales):
        for item_id in scale.items:
            first_scale[item_id] = scale.id
    groups = _matrix_groups(instrument, first_scale, prefix)
    for item in instrument.items:
        name = _redcap_name(
            prefix + item.id.replace("-", "_"),
            f"the field name of item {item.id!r}",
            "pass prefix='q_'",
        )
        field_of[item.id] = name
        options = _options(instrument, item)
        choices, na_literals[item.id] = _redcap_choices(
            options, na_code, f"item {item.id!r}"
        )
        add(
            name,
            f"item {item.id!r}",
            type="radio",
            label=_plain(_label(instrument, item), "REDCap"),
            choices=choices,
            matrix=groups.get(item.id, ""),
        )
    for scale in instrument.scales:
        key = _key(instrument, scale.id, field_of.__getitem__, na_literals)
        name = _redcap_name(
            redcap_score_name(scale.id, prefix),
            f"the calc field of scale {scale.id!r}",
            "pass prefix='q_'",
        )
        add(
            name,
            f"scale {scale.id!r}",
            type="calc",
            label=_plain(redcap_score_label(scale), "REDCap"),
            choices=expressions.scale(expressions.REDCapSyntax(), key),
            note=_calc_note(scale.min_answered, scale.min_answered_share),
            annotation=(
                f"allykit: scale {scale.id} of {instrument.id} {instrument.version}"
            ),
        )
    _warn_long_names(seen, prefix)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REDCAP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


#: REDCap recommends field names of at most this many characters.
_REDCAP_RECOMMENDED_LENGTH = 26


def _warn_long_names(seen: dict[str, str], prefix: str) -> None:
    """Warn, once per export, about field names longer than REDCap recommends."""
    long = [
        (name, what)
        for name, what in seen.items()
        if len(name) > _REDCAP_RECOMMENDED_LENGTH
    ]
    if not long:
        return
    advice = []
    for name, what in long:
        if what == "the introduction":
            how = "pass a shorter form_name=, such as 'amr'"
        elif what == "the record id":
            how = "pass a shorter record_id="
        else:
            how = "give it a shorter id in your instrument file" + (
                " or pass a shorter prefix=" if prefix else ""
            )
        advice.append(f"{name!r} ({len(name)}, {what}: {how})")
    message = (
        f"REDCap recommends field names of at most {_REDCAP_RECOMMENDED_LENGTH} "
        f"characters (it accepts longer ones); longer here: {'; '.join(advice)}"
    )
    warn(message, AllykitWarning)


_COLUMN_OF = {
    "type": "Field Type",
    "label": "Field Label",
    "choices": "Choices, Calculations, OR Slider Labels",
    "note": "Field Note",
    "matrix": "Matrix Group Name",
    "annotation": "Field Annotation",
}

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


def _matrix_groups(
    instrument: Instrument, first_scale: dict[str, str], prefix: str
) -> dict[str, str]:
    """Return item id -> matrix group for runs of 2+ items of one scale and choices."""
    runs: list[list[Item]] = []
    last: tuple[Any, ...] | None = None
    for item in instrument.items:
        scale_id = first_scale.get(item.id)
        signature = (scale_id, _choice_key(_options(instrument, item).choices))
        if scale_id is not None and signature == last:
            runs[-1].append(item)
        else:
            runs.append([item])
        last = signature if scale_id is not None else None
    groups: dict[str, str] = {}
    used: set[str] = set()
    for run in runs:
        if len(run) < 2:  # noqa: PLR2004 -- a matrix of one field is no matrix
            continue
        base = prefix + first_scale[run[0].id].replace("-", "_")
        name, number = base, 1
        while name in used:
            number += 1
            name = f"{base}_{number}"
        used.add(name)
        groups.update(dict.fromkeys((item.id for item in run), name))
    return groups


# -- ReproSchema ------------------------------------------------------------

_JS_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
# JavaScript's reserved words and literals that a kebab-case id could spell.
_JS_RESERVED = frozenset(
    {
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "implements",
        "import",
        "in",
        "instanceof",
        "interface",
        "let",
        "new",
        "null",
        "package",
        "private",
        "protected",
        "public",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "undefined",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "NaN",
        "Infinity",
        "Math",
    }
)


def _js_name(name: str, what: str) -> str:
    if not _JS_NAME.match(name) or name in _JS_RESERVED:
        msg = (
            f"{what} {name!r} is not a usable JavaScript variable name (letters, "
            "digits and underscores, not starting with a digit, not a reserved "
            "word); pass prefix='q_'"
        )
        raise InvalidArgumentError(msg)
    return name


def _score_bounds(instrument: Instrument, scale_id: str) -> tuple[float, float]:
    scale = instrument.scale(scale_id)
    first = _options(instrument, instrument.item(scale.items[0]))
    total = math.fsum(instrument.item(i).weight for i in scale.items)
    return scale_range(scale.method, first.min, first.max, total)


def _reproschema_options(
    options: ResponseScale, na_code: int, language: str, where: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Return an item's responseOptions and its N/A literals (as written)."""
    choices: list[dict[str, Any]] = [
        {"name": {language: c.label}, "value": _json_number(c.value)}
        for c in options.choices
    ]
    na_literals: list[str] = []
    for value, label in _numeric_na_choices(options, na_code, where):
        choices.append({"name": {language: label}, "value": _json_number(value)})
        na_literals.append(expressions.number(value))
    values = [choice["value"] for choice in choices]
    whole = all(float(value).is_integer() for value in values)
    return (
        {
            "valueType": "xsd:integer" if whole else "xsd:decimal",
            "minValue": _json_number(options.min),
            "maxValue": _json_number(options.max),
            "multipleChoice": False,
            "choices": choices,
        },
        tuple(na_literals),
    )


def _property(file: str, name: str, *, visible: bool) -> dict[str, Any]:
    return {
        "isAbout": file,
        "variableName": name,
        "isVis": visible,
        "valueRequired": False,
    }


def to_reproschema(
    instrument: Instrument, *, prefix: str = "", na_code: int = 99
) -> dict[str, dict[str, Any]]:
    """Return the instrument as ReproSchema JSON-LD: protocol, activity and items.

    The result maps a relative path to each document, laid out as
    ReproSchema repositories are (write each with ``json.dumps``)::

        protocols/<id>_schema            the protocol (one activity)
        activities/<id>/<id>_schema      the activity (the instrument)
        activities/<id>/items/<variable>   one per item
        activities/<id>/items/<scale>_score   one per scale, read-only

    File names have no extension, as in ReproNim's own repositories, and
    each document's ``@id`` is its file name: ``reproschema validate``
    requires that, and ``reproschema2redcap`` finds the protocol by it and
    names each REDCap field after its item's file (the variable name).
    Every document has the ReproSchema 1.0.0 ``@context``
    (:data:`REPROSCHEMA_CONTEXT`), ``@type``, ``@id``,
    ``prefLabel``, ``description``, ``schemaVersion`` and ``version`` (the
    instrument's). Items are ``radio`` fields whose ``responseOptions``
    hold the choices with their values, the declared ``minValue`` and
    ``maxValue``, and N/A choices as in :func:`to_redcap_dictionary` (the
    numeric codes, or *na_code* with the first N/A label). The activity
    lists the items in order (``ui.order``, ``ui.addProperties`` with their
    ``variableName``), carries the summary, the "reflective aid" note, the
    citations and the licence, and has one ``compute`` entry per scale whose
    ``jsExpression`` computes the headline score as :func:`allykit.score`
    does (``null`` when withheld). Variable names are the item ids with
    ``-`` turned into ``_``, after *prefix*.

    Args:
        instrument: A scoreable instrument.
        prefix: Put before every variable name; needed when an id starts
            with a digit or spells a JavaScript reserved word.
        na_code: The value of the N/A choice for scales with N/A labels but
            no numeric N/A codes: a whole number within 2**53.

    Raises:
        InvalidArgumentError: If the instrument is metadata only, an item
            has no response scale, a variable name is not usable in
            JavaScript or is used twice, or *na_code* is one of the values.

    >>> from allykit.catalog import load_instrument
    >>> documents = to_reproschema(load_instrument("ally-model-reflection"))
    >>> folder = "activities/ally-model-reflection"
    >>> activity = documents[f"{folder}/ally-model-reflection_schema"]
    >>> activity["@type"], activity["compute"][2]["variableName"]
    ('reproschema:Activity', 'action_score')
    >>> "(6 - ac_keep_the_peace)" in activity["compute"][2]["jsExpression"]
    True
    """
    instrument = _checked(instrument, "ReproSchema")
    if not isinstance(prefix, str):
        msg = f"prefix must be text, such as 'q_', not {short_repr(prefix)}"
        raise InvalidArgumentError(msg)
    _check_na_code(na_code)
    language = instrument.language
    base = instrument.id
    common = {
        "@context": REPROSCHEMA_CONTEXT,
        "schemaVersion": "1.0.0",
        "version": instrument.version,
    }
    documents: dict[str, dict[str, Any]] = {}
    variables: dict[str, str] = {}
    order: list[str] = []
    properties: list[dict[str, Any]] = []
    na_literals: dict[str, tuple[str, ...]] = {}

    def variable(name: str, what: str) -> str:
        _js_name(name, f"the variable name of {what}")
        if name in variables:
            msg = (
                f"the variable name {name!r} of {what} is also the name of "
                f"{variables[name]}; rename one, or pass prefix="
            )
            raise InvalidArgumentError(msg)
        variables[name] = what
        return name

    for item in instrument.items:
        name = variable(prefix + item.id.replace("-", "_"), f"item {item.id!r}")
        options, na_literals[item.id] = _reproschema_options(
            _options(instrument, item), na_code, language, f"item {item.id!r}"
        )
        file = f"items/{name}"
        documents[f"activities/{base}/{file}"] = {
            **common,
            "@type": "reproschema:Field",
            "@id": name,
            "prefLabel": {language: item.id},
            "description": f"Item {item.id} of {instrument.name}",
            "question": {language: _label(instrument, item)},
            "ui": {"inputType": "radio"},
            "responseOptions": options,
        }
        order.append(file)
        properties.append(_property(file, name, visible=True))
    compute = []
    for scale in instrument.scales:
        name = variable(
            prefix + scale.id.replace("-", "_") + "_score", f"scale {scale.id!r}"
        )
        key = _key(
            instrument,
            scale.id,
            lambda item_id: prefix + item_id.replace("-", "_"),
            na_literals,
        )
        compute.append(
            {
                "variableName": name,
                "jsExpression": expressions.scale(expressions.JavaScriptSyntax(), key),
            }
        )
        low, high = _score_bounds(instrument, scale.id)
        file = f"items/{name}"
        documents[f"activities/{base}/{file}"] = {
            **common,
            "@type": "reproschema:Field",
            "@id": name,
            "prefLabel": {language: redcap_score_label(scale)},
            "description": _calc_note(scale.min_answered, scale.min_answered_share),
            "ui": {"inputType": "number", "readonlyValue": True},
            "responseOptions": {
                "valueType": "xsd:decimal",
                "minValue": _json_number(low),
                "maxValue": _json_number(high),
            },
        }
        order.append(file)
        properties.append(_property(file, name, visible=False))
    activity_file = f"{base}_schema"
    documents[f"activities/{base}/{activity_file}"] = {
        **common,
        "@type": "reproschema:Activity",
        "@id": f"{base}_schema",
        "prefLabel": {language: instrument.name},
        "description": instrument.summary,
        "preamble": {language: _description(instrument)},
        "citation": "; ".join(str(c) for c in instrument.citations),
        "compute": compute,
        "ui": {"order": order, "addProperties": properties, "shuffle": False},
    }
    activity_path = f"../activities/{base}/{activity_file}"
    documents[f"protocols/{base}_schema"] = {
        **common,
        "@type": "reproschema:Protocol",
        "@id": f"{base}_schema",
        "prefLabel": {language: instrument.name},
        "description": _description(instrument),
        "ui": {
            "order": [activity_path],
            "addProperties": [
                {
                    "isAbout": activity_path,
                    "variableName": prefix + base.replace("-", "_"),
                    "prefLabel": {language: instrument.name},
                    "isVis": True,
                }
            ],
            "shuffle": False,
        },
    }
    return documents
