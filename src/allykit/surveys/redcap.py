"""REDCap: a data dictionary whose ``calc`` fields score; record exports read back.

>>> from allykit.catalog import load_instrument
>>> dictionary = to_redcap_dictionary(load_instrument("ally-model-reflection"))
>>> dictionary.splitlines()[0].split(",")[:2]
['Variable / Field Name', 'Form Name']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from allykit.errors import AllykitWarning, InvalidArgumentError, short_repr, warn
from allykit.scoring.answers import REDCAP_HOUSEKEEPING
from allykit.surveys import _expressions as expressions
from allykit.surveys._forms import (
    _WORD_JOINER,
    _calc_note,
    _check_na_code,
    _checked,
    _description,
    _key,
    _label,
    _numeric_na_choices,
    _options,
    _plain,
    formula_like,
    redcap_score_label,
    redcap_score_name,
)
from allykit.surveys._options import _Given, _import_options
from allykit.surveys._reading import Source, _no_header, _open_records
from allykit.surveys._tabular import ImportedResponses, _from_table

if TYPE_CHECKING:
    from allykit.models.instrument import Choice, Instrument, Item, ResponseScale

__all__ = [
    "REDCAP_COLUMNS",
    "REDCAP_METADATA",
    "load_redcap_export",
    "to_redcap_dictionary",
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


_REDCAP_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


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
    the bracket, so it shows as written. A text cell (label, note,
    annotation, section header) that a spreadsheet would read as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
    starts with the same invisible WORD JOINER, so a spreadsheet opening the
    dictionary keeps it as text and REDCap shows it as written; a cell whose
    first character REDCap reads (a calculation, choice codes) is never
    changed: an :class:`~allykit.errors.AllykitWarning` names each such cell
    that starts like a formula instead. Field names longer than REDCap's
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
    _neutralise_formulas(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REDCAP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


#: REDCap recommends field names of at most this many characters.
_REDCAP_RECOMMENDED_LENGTH = 26


#: Columns of free text: a leading WORD JOINER keeps their meaning to REDCap.
_TEXT_COLUMNS = frozenset(
    {"Section Header", "Field Label", "Field Note", "Field Annotation"}
)


# Choices that start with a negative code ("-1, Disagree | ..."): a number's
# sign, and the labels cannot hold the "|" that a command formula needs.
_NEGATIVE_CODE = re.compile(r"-\d+, ")


def _neutralise_formulas(rows: list[dict[str, str]]) -> None:
    """Make text cells that start like a formula inert; warn about the others.

    Every cell is checked (the header is the fixed :data:`REDCAP_COLUMNS`,
    none of which starts like a formula). Choices starting with a negative
    code are left alone and not reported: a number's sign, and the labels
    cannot hold the ``|`` that a command formula needs.
    """
    kept: list[str] = []
    for row in rows:
        for column, cell in row.items():
            if not formula_like(cell) or _NEGATIVE_CODE.match(cell):
                continue
            if column in _TEXT_COLUMNS:
                row[column] = _WORD_JOINER + cell
            else:
                kept.append(f"{column!r} of {row['Variable / Field Name']!r}")
    if kept:
        warn(
            "these cells start like a spreadsheet formula and are kept as they "
            "are, since REDCap reads their first character: "
            + "; ".join(kept)
            + ". Upload the file to REDCap as it is; do not open it in a "
            "spreadsheet that evaluates formulas",
            AllykitWarning,
        )


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


# -- reading exports back --------------------------------------------------


#: Columns of REDCap exports that are not answers (raw and label headers):
#: the one list the reader of answers sets aside too.
REDCAP_METADATA: tuple[str, ...] = REDCAP_HOUSEKEEPING


def load_redcap_export(  # noqa: PLR0913 -- keyword options, each documented
    source: Source,
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
    instrument: Instrument | None = None,
    na_codes: Iterable[float | str] = (),
    skip_score_fields: bool = True,
) -> ImportedResponses:
    r"""Read a REDCap CSV export (raw codes or labels) into response rows.

    A *raw* export has variable names in its header and choice codes as
    values; a *label* export has field labels in its header and choice
    labels as values. Map whichever the header holds: ``{"q1": "item-id"}``
    for raw, ``{"I notice bias": "item-id"}`` for labels. Columns matching
    :data:`REDCAP_METADATA` (``redcap_event_name``, ``*_complete``, ...)
    are ignored unless mapped.

    Args:
        source: A path, or a file opened in text mode.
        fields: Export field (header text) -> item id.
        id_column: Header of the respondent id column (``record_id``), kept
            as text in :attr:`ImportedResponses.respondents`.
        ignore: More field names or :func:`fnmatch.fnmatchcase` patterns
            to skip.
        strict: Raise on unknown or missing fields (default); with False,
            skip them and report them in the result.
        instrument: The instrument the answers belong to (optional). With
            it, *fields* are checked against its items and *na_codes* can be
            read, and the score fields of allykit's own export are skipped.
        na_codes: Values to read as "does not apply" (needs *instrument*), such
            as ``[99]``: the ``na_code`` that
            :func:`allykit.surveys.to_redcap_dictionary` gives the N/A choice of items
            with N/A labels only, which a raw export holds. Each one found
            becomes the item's first N/A code, or else its first N/A label,
            which :func:`allykit.score` reads as N/A. Numbers match by value
            (``99`` matches ``"99"`` and ``99.0``); texts match trimmed and
            ignoring case. A code that is one of an item's answers raises; one
            found for an item without an N/A answer is a problem (kept as
            exported).
        skip_score_fields: With *instrument*, skip the ``calc`` fields that
            :func:`allykit.surveys.to_redcap_dictionary` adds for its scales
            (``<prefix><scale>_score``, the prefix taken from *fields*; in a
            label export, the calc field's label), listing them in
            :attr:`ImportedResponses.score_fields`. Pass False to report
            them as unknown fields instead.

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the file cannot be read or, when strict, has
            unknown fields, lacks mapped ones, has ragged rows, or has N/A
            codes for items without an N/A answer; every problem is listed
            with its row and column.
        InvalidArgumentError: If *fields*, *ignore*, *id_column*,
            *instrument* or *na_codes* are malformed (for example two fields
            for one item, a field mapped to an item the instrument lacks, or
            *na_codes* without *instrument*).

    >>> import io
    >>> labels = io.StringIO(
    ...     "Record ID,I notice bias,Complete?\n"
    ...     "7,Agree,Complete\n"
    ...     "8,Strongly disagree,Incomplete\n"
    ... )
    >>> load_redcap_export(
    ...     labels, fields={"I notice bias": "notices-bias"}, id_column="Record ID"
    ... ).rows
    ({'notices-bias': 'Agree'}, {'notices-bias': 'Strongly disagree'})

    A raw export of a form made by :func:`allykit.surveys.to_redcap_dictionary`,
    with its N/A code (99) and a score field:

    >>> from allykit import load_instrument, score
    >>> inventory = load_instrument("ally-model-reflection")
    >>> raw = io.StringIO(
    ...     "record_id,ac_speak_up,ac_use_influence,action_score\n7,5,99,5\n"
    ... )
    >>> imported = load_redcap_export(
    ...     raw,
    ...     fields={
    ...         "ac_speak_up": "ac-speak-up",
    ...         "ac_use_influence": "ac-use-influence",
    ...     },
    ...     id_column="record_id",
    ...     instrument=inventory,
    ...     na_codes=[99],
    ... )
    >>> imported.rows
    ({'ac-speak-up': 5, 'ac-use-influence': 'Does not apply'},)
    >>> imported.score_fields, imported.not_applicable
    (('action_score',), 1)
    >>> score(inventory, imported.rows[0]).scale("action").not_applicable
    1
    """
    given = _Given(
        fields=fields,
        id_column=id_column,
        ignore=ignore,
        strict=strict,
        instrument=instrument,
        na_codes=na_codes,
        skip_score_fields=skip_score_fields,
    )
    options = _import_options("redcap", given, REDCAP_METADATA)
    with _open_records(source) as (name, records):
        header = next(records, None)
        if header is None:
            raise _no_header(name)
        body = enumerate(records, start=2)
        return _from_table(name, header, [None] * len(header), body, options)
