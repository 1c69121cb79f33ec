"""ReproSchema: JSON-LD documents of a protocol, its activity and items, scored."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from allykit.catalog._checks.instrument import scale_range
from allykit.errors import InvalidArgumentError, short_repr
from allykit.surveys import _expressions as expressions

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale


from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument, ResponseScale
from allykit.surveys._forms import (
    _calc_note,
    _check_na_code,
    _checked,
    _description,
    _json_number,
    _key,
    _label,
    _numeric_na_choices,
    _options,
    redcap_score_label,
)

__all__ = ["REPROSCHEMA_CONTEXT", "to_reproschema"]


#: The JSON-LD context of the ReproSchema documents (schema version 1.0.0).
REPROSCHEMA_CONTEXT = (
    "https://raw.githubusercontent.com/ReproNim/reproschema/1.0.0/contexts/reproschema"
)


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
