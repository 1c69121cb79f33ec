"""SurveyJS: a form that scores itself (``calculatedValues``); results read back.

>>> from allykit.catalog import load_instrument
>>> form = to_surveyjs(load_instrument("ally-model-reflection"))
>>> form["pages"][0]["elements"][0]["name"]
'se-check-first-impressions'
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Literal

import attrs

from allykit.errors import InvalidArgumentError, short_repr
from allykit.surveys import _expressions as expressions

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument


from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from allykit.errors import DataFileError, Problem

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
from allykit.surveys._columns import ColumnBuilder, ResponseRows
from allykit.surveys._forms import (
    _checked,
    _description,
    _json_number,
    _key,
    _label,
    _na_choices,
    _options,
    _plain,
    surveyjs_score_name,
)
from allykit.surveys._json_array import open_array
from allykit.surveys._options import (
    MAX_NESTING,
    _Given,
    _ignored,
    _import_options,
    _Options,
)
from allykit.surveys._reading import MAX_EXPORT_CHARS, Source
from allykit.surveys._tabular import ImportedResponses, _missing_problem, _no_na_answer

__all__ = ["QuestionType", "load_surveyjs_results", "to_surveyjs"]


#: The SurveyJS question type of each item.
QuestionType = Literal["radiogroup", "rating"]


def _surveyjs_string(text: str, where: str) -> str:
    if "\\" in text:
        msg = (
            f"cannot write the N/A label {text!r} of {where} as a SurveyJS "
            "expression string: it contains a backslash; remove it from the label"
        )
        raise InvalidArgumentError(msg)
    return "'" + text.replace("'", "\\'").replace('"', '\\"') + "'"


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


# -- reading exports back --------------------------------------------------


def _flatten(result: Mapping[str, Any], *, where: str, name: str) -> dict[str, Any]:
    """Flatten matrix answers: ``{"m": {"r1": 3}}`` -> ``{"m.r1": 3}``.

    Iterative (no recursion), keys in document order; nesting deeper than
    :data:`MAX_NESTING` (or a mapping that contains itself) is refused.

    Raises:
        DataFileError: If the result nests too deeply, located at *where*.
    """
    flat: dict[str, Any] = {}
    stack: list[tuple[Iterator[tuple[Any, Any]], str]] = [(iter(result.items()), "")]
    while stack:
        items, prefix = stack[-1]
        for key, value in items:
            field = f"{prefix}{key}"
            if isinstance(value, Mapping):
                if len(stack) >= MAX_NESTING:
                    problem = Problem(
                        path=f"{where}[{short_repr(field)}]",
                        message=f"objects are nested more than {MAX_NESTING} deep",
                        hint="a result nests matrix answers two or three levels",
                    )
                    raise DataFileError(name, [problem])
                stack.append((iter(value.items()), f"{field}."))
                break
            flat[field] = value
        else:
            stack.pop()
    return flat


def _json_value(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


@contextlib.contextmanager
def _surveyjs_results(source: object) -> Iterator[tuple[str, Iterable[Any]]]:
    """Yield the source's name and its results, read one at a time."""
    if isinstance(source, Sequence) and not isinstance(source, (str, bytes)):
        yield "<results>", source
        return
    with open_array(source, limit=MAX_EXPORT_CHARS) as reader:
        if not reader.is_array:
            # One parser, one set of rules, whatever the size (no NaN, no
            # duplicate keys, nesting refused with its location).
            data = reader.whole()
            problem = Problem(
                path="",
                message="expected a JSON array of survey result objects",
                value=short_repr(data),
                hint="collect each survey.data object into one array; for a "
                "wrapped export, pass the list itself (data['results'])",
            )
            raise DataFileError(reader.name, [problem])
        yield reader.name, reader


def _sort_keys(  # noqa: PLR0913, PLR0917 -- the result's state, updated in place
    flat: dict[str, Any],
    index: int,
    options: _Options,
    unknown: dict[str, None],
    score_fields: dict[str, None],
    problems: list[Problem],
) -> None:
    """Note the score fields and the unknown fields of one result."""
    for key in flat:
        if key in options.fields or key == options.id_column:
            continue
        if key in options.score_fields:
            score_fields[key] = None
        elif key not in unknown and not _ignored([key], options.ignore):
            unknown[key] = None
            problems.append(
                Problem(
                    path=f"results[{index}][{key!r}]",
                    message="result field is neither mapped to an item nor ignored",
                    hint="add it to fields= or ignore=, or pass strict=False",
                )
            )


def load_surveyjs_results(  # noqa: PLR0913 -- keyword options, each documented
    source: Source | Sequence[Mapping[str, Any]],
    *,
    fields: Mapping[str, str],
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    strict: bool = True,
    instrument: Instrument | None = None,
    na_codes: Iterable[float | str] = (),
    skip_score_fields: bool = True,
) -> ImportedResponses:
    """Read SurveyJS results (a JSON array of ``survey.data`` objects) into rows.

    Each result object maps question names to answers; SurveyJS leaves out
    questions that were not answered, so an absent name is a missing
    answer. Matrix questions (``{"bias": {"notice": 4}}``) are flattened to
    dotted names (``"bias.notice"``). Values keep their JSON types.

    Args:
        source: A path or text file holding the JSON array, or the list of
            result mappings itself (for a wrapped export, pass the list).
            A file is read one result at a time, never whole, by the same
            JSON rules as every allykit file (no ``NaN``, no duplicate keys).
        fields: Question name (dotted for matrix rows) -> item id.
        id_column: Name of a value holding the respondent id (one your app
            stores, such as a hidden question), kept as text.
        ignore: More names or :func:`fnmatch.fnmatchcase` patterns to skip.
        strict: Raise on unknown names, on mapped names that no result
            has, and on results without an id (default); with False, skip
            and report them.
        instrument: The instrument the answers belong to (optional). With
            it, *fields* are checked against its items and *na_codes* can be
            read, and the score values of allykit's own form are skipped.
        na_codes: Values to read as "does not apply" (needs *instrument*), such
            as ``[99]``. Each one found becomes the item's first N/A code, or
            else its first N/A label, which :func:`allykit.score` reads as N/A.
            Numbers match by value (``99`` matches ``"99"`` and ``99.0``); texts
            match trimmed and ignoring case. A code that is one of an item's
            answers raises; one found for an item without an N/A answer is a
            problem (kept as exported).
        skip_score_fields: With *instrument*, skip the calculated values
            that :func:`allykit.surveys.to_surveyjs` adds for its scales
            (``<scale>-score``), listing them in
            :attr:`ImportedResponses.score_fields`. Pass False to report
            them as unknown fields instead.

    Returns:
        The rows, respondent ids and any problems allowed by ``strict=False``.

    Raises:
        DataFileError: If the JSON is invalid, not an array of objects or,
            when strict, has unknown or missing fields or N/A codes for
            items without an N/A answer; each problem is located as
            ``results[3]['q7']``.
        InvalidArgumentError: If *fields*, *ignore*, *id_column*,
            *instrument* or *na_codes* are malformed.

    >>> load_surveyjs_results(
    ...     [{"id": "a", "bias": {"notice": 4, "speak": "Agree"}}, {"id": "b"}],
    ...     fields={"bias.notice": "notices", "bias.speak": "speaks"},
    ...     id_column="id",
    ... ).rows
    ({'notices': 4, 'speaks': 'Agree'}, {'notices': None, 'speaks': None})

    Results of a form made by :func:`allykit.surveys.to_surveyjs` carry its score
    values; with the instrument they are skipped:

    >>> from allykit import load_instrument
    >>> imported = load_surveyjs_results(
    ...     [{"ac-speak-up": 5, "action-score": 5}],
    ...     fields={"ac-speak-up": "ac-speak-up"},
    ...     instrument=load_instrument("ally-model-reflection"),
    ... )
    >>> imported.rows, imported.score_fields
    (({'ac-speak-up': 5},), ('action-score',))
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
    options = _import_options("surveyjs", given, ())
    with _surveyjs_results(source) as (name, results):
        read = _read_results(name, results, options)
    missing = [field for field in options.fields if field not in read.seen]
    problems = read.problems
    problems.extend(_missing_problem(field) for field in missing)
    if problems and options.strict:
        raise DataFileError(name, problems)
    return ImportedResponses(
        source=name,
        platform="surveyjs",
        rows=ResponseRows.from_builders(read.columns, read.count),
        respondents=tuple(read.respondents),
        unknown_fields=tuple(read.unknown),
        missing_fields=tuple(missing),
        score_fields=tuple(read.score_fields),
        not_applicable=read.not_applicable,
        problems=tuple(problems),
    )


@attrs.define
class _Read:
    """What the results said, as they are read."""

    columns: dict[str, ColumnBuilder]
    problems: list[Problem] = attrs.field(factory=list)
    unknown: dict[str, None] = attrs.field(factory=dict)
    score_fields: dict[str, None] = attrs.field(factory=dict)
    seen: set[str] = attrs.field(factory=set)
    respondents: list[str | None] = attrs.field(factory=list)
    not_applicable: int = 0
    count: int = 0


def _read_results(name: str, results: Iterable[Any], options: _Options) -> _Read:
    """Read each result into compact columns, one result at a time."""
    read = _Read(columns={item: ColumnBuilder() for item in options.fields.values()})
    problems = read.problems
    for index, result in enumerate(results):
        if not isinstance(result, Mapping):
            problems.append(
                Problem(
                    path=f"results[{index}]",
                    message="expected a result object",
                    value=short_repr(result),
                )
            )
            continue
        flat = _flatten(result, where=f"results[{index}]", name=name)
        read.seen.update(flat)
        _sort_keys(flat, index, options, read.unknown, read.score_fields, problems)
        read.count += 1
        for field, item in options.fields.items():
            value = _json_value(flat.get(field))
            if options.is_na(value):
                answer = options.na_answers.get(item)
                if answer is None:
                    where = f"results[{index}][{field!r}]"
                    problems.append(_no_na_answer(where, value, item, 1))
                else:
                    value = answer
                    read.not_applicable += 1
            read.columns[item].add(value)
        if options.id_column is not None:
            value = _json_value(flat.get(options.id_column))
            if value is None:
                problems.append(
                    Problem(
                        path=f"results[{index}]",
                        message=f"has no respondent id {options.id_column!r}",
                    )
                )
            read.respondents.append(None if value is None else str(value))
    return read
