"""Tests for the SurveyJS and REDCap exports, and that their scoring equals allykit's.

(SurveyJS's own engine checks the SurveyJS properties, in
``test_surveyjs_engine.py``; REDCap has no open-source engine, so the
interpreter below is how its calc fields are checked.)

The exported expressions are evaluated by a small, safe interpreter written
here (a tokenizer and a recursive-descent parser for exactly the subset the
exporter emits: no ``eval``). It evaluates *eagerly*, both branches of every
conditional, with JavaScript-like arithmetic in which any sum with a blank
or a division by zero poisons the result: a score must never come out of
such a branch. So the equality holds whether a platform evaluates
conditionals lazily or not.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st
from typer.testing import CliRunner

import allykit
from allykit import Instrument
from allykit.cli._app import app
from allykit.scoring._plan import NA, plan_for, resolve
from allykit.surveys import REDCAP_COLUMNS, to_redcap_dictionary, to_surveyjs
from allykit.surveys import _expressions as expressions
from allykit.testing import instruments, responses_for

# -- a safe evaluator for the emitted expression subset ----------------------


class _Poison:
    """The result of arithmetic on a blank, or of a division by zero."""

    def __repr__(self) -> str:
        return "POISON"


POISON = _Poison()
Value = float | str | bool | None | _Poison


class Dialect:
    """The tokens of one platform's expression syntax."""

    def __init__(
        self,
        name: str,
        ref: str,
        not_equal: str,
        condition: str,
        *,
        corrects: bool = False,
    ) -> None:
        self.name = name
        self.corrects = corrects
        self.not_equal = not_equal
        self.condition = condition
        self.token = re.compile(
            r"\s*(?:(?P<number>\d+(?:\.\d+)?)"
            rf"|(?P<ref>{ref})"
            r"|(?P<string>'(?:\\.|[^'\\])*')"
            r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
            r"|(?P<op><=|>=|!=|<>|=|<|>|\+|-|\*|/|\(|\)|,))"
        )


SURVEYJS = Dialect("surveyjs", r"\{[^{}]+\}", "!=", "iif", corrects=True)
REDCAP = Dialect("redcap", r"\[[a-z0-9_]+\]", "<>", "if")


def _tokens(text: str, dialect: Dialect) -> list[tuple[str, str]]:
    position, found = 0, []
    while position < len(text):
        if not text[position:].strip():
            break
        match = dialect.token.match(text, position)
        assert match is not None, f"{dialect.name}: cannot read {text[position:]!r}"
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def _blank(value: Value) -> bool:
    return value is None or value == ""


def _number(value: Value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _equal(left: Value, right: Value) -> bool:
    if _blank(left) or _blank(right):
        return _blank(left) and _blank(right)
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return a == b
    return left == right


class Evaluator:
    """Parse and evaluate one expression against one set of answers."""

    def __init__(self, text: str, dialect: Dialect, answers: Mapping[str, Any]) -> None:
        self.tokens = _tokens(text, dialect)
        self.dialect = dialect
        self.answers = answers
        self.at = 0

    def run(self) -> Value:
        """Evaluate the whole expression."""
        value = self.logic_or()
        assert self.at == len(self.tokens), f"trailing {self.tokens[self.at :]}"
        return value

    def peek(self) -> tuple[str, str] | None:
        """Return the next token, or None at the end."""
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, text: str | None = None) -> tuple[str, str]:
        """Consume the next token (which must be *text*, if given)."""
        token = self.peek()
        assert token is not None, "unexpected end"
        assert text is None or token[1] == text, f"expected {text!r}, got {token}"
        self.at += 1
        return token

    def is_next(self, *texts: str) -> bool:
        """Return whether the next token is one of *texts*."""
        token = self.peek()
        return token is not None and token[1] in texts

    def logic_or(self) -> Value:
        """Parse ``a or b``."""
        value = self.logic_and()
        while self.is_next("or"):
            self.take()
            right = self.logic_and()
            assert isinstance(value, bool)
            assert isinstance(right, bool)
            value = value or right
        return value

    def logic_and(self) -> Value:
        """Parse ``a and b``."""
        value = self.comparison()
        while self.is_next("and"):
            self.take()
            right = self.comparison()
            assert isinstance(value, bool)
            assert isinstance(right, bool)
            value = value and right
        return value

    def comparison(self) -> Value:
        """Parse one comparison (they do not chain)."""
        left = self.additive()
        ops = {"=", "<", "<=", ">", ">=", self.dialect.not_equal}
        if not self.is_next(*ops):
            return left
        op = self.take()[1]
        right = self.additive()
        if op == "=":
            return _equal(left, right)
        if op == self.dialect.not_equal:
            return not _equal(left, right)
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return False  # as NaN compares in JavaScript
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]

    def additive(self) -> Value:
        """Parse ``+`` and ``-``, left to right."""
        value = self.multiplicative()
        while self.is_next("+", "-"):
            op = self.take()[1]
            right = self.multiplicative()
            value = _arithmetic(op, value, right, correct=self.dialect.corrects)
        return value

    def multiplicative(self) -> Value:
        """Parse ``*`` and ``/``, left to right."""
        value = self.unary()
        while self.is_next("*", "/"):
            op = self.take()[1]
            right = self.unary()
            value = _arithmetic(op, value, right, correct=self.dialect.corrects)
        return value

    def unary(self) -> Value:
        """Parse a minus sign and SurveyJS's ``notempty``/``empty``."""
        if self.is_next("-"):
            self.take()
            return _arithmetic("-", 0.0, self.unary(), correct=self.dialect.corrects)
        value = self.primary()
        if self.dialect is SURVEYJS and self.is_next("notempty", "empty"):
            test = self.take()[1]
            return _blank(value) != (test == "notempty")
        return value

    def primary(self) -> Value:
        """Parse a number, string, reference, call or parentheses."""
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "ref":
            return self.answers.get(text[1:-1])
        if text == "(":
            value = self.logic_or()
            self.take(")")
            return value
        assert kind == "word", f"unexpected {text!r}"
        return self.call(text)

    def call(self, name: str) -> Value:
        """Evaluate the conditional (both branches) or ``max``."""
        self.take("(")
        args = [self.logic_or()]
        while self.is_next(","):
            self.take()
            args.append(self.logic_or())
        self.take(")")
        if name == self.dialect.condition:
            condition, then, otherwise = args
            assert isinstance(condition, bool)
            return then if condition else otherwise
        assert name == "max", f"{self.dialect.name}: unknown function {name!r}"
        numbers = [_number(arg) for arg in args]
        if any(n is None for n in numbers):
            return POISON
        return max(n for n in numbers if n is not None)


def _arithmetic(op: str, left: Value, right: Value, *, correct: bool = False) -> Value:
    """Apply *op*; with *correct*, round sums and products as SurveyJS does."""
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return POISON
    if op == "/":
        return POISON if b == 0 else a / b
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    if not correct:
        return result
    # SurveyJS's Helpers.correctAfterPlusMinis and correctAfterMultiple:
    # round to the decimals of the operands (0.1 + 0.2 gives 0.3).
    if op == "*":
        digits = _js_decimals(a) + _js_decimals(b)
    else:
        digits = max(_js_decimals(a), _js_decimals(b))
    return _js_to_fixed(result, digits) if digits > 0 else result


def _js_string(value: float) -> str:
    """Return JavaScript's ``String(value)`` for a finite number."""
    if value == 0 or 1e-6 <= abs(value) < 1e21:
        text = format(Decimal(repr(value)), "f")
        return text.removesuffix(".0") if "." in text else text
    return repr(value)


def _js_decimals(value: float) -> int:
    """Return SurveyJS's countDecimals: digits after the point of String(value)."""
    if math.floor(value) == value:
        return 0
    parts = _js_string(value).split(".")
    return len(parts[1]) if len(parts) > 1 else 0


def _js_to_fixed(value: float, digits: int) -> float:
    """Return ``parseFloat(value.toFixed(digits))``: exact value, ties away from 0."""
    exact = Decimal(value).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=Context(prec=400)
    )
    return float(exact)


def evaluate(text: str, dialect: Dialect, answers: Mapping[str, Any]) -> Value:
    """Evaluate *text* against *answers* (name -> value; absent means blank)."""
    return Evaluator(text, dialect, answers).run()


class TestNumbers:
    @given(st.floats(allow_nan=False, allow_infinity=False))
    def test_literals_read_back_exactly(self, value: float) -> None:
        """Every finite float is written as a plain literal that reads back equal."""
        text = expressions.number(value)

        assert re.fullmatch(r"\d+(\.\d+)?|\(-\d+(\.\d+)?\)", text), text
        assert float(text.strip("()")) == value

    def test_infinity_is_refused(self) -> None:
        """An infinite number cannot be written."""
        with pytest.raises(allykit.InvalidArgumentError):
            expressions.number(math.inf)


class TestEvaluator:
    def test_arithmetic_and_precedence(self) -> None:
        """The evaluator follows the usual precedence, left to right."""
        assert evaluate("1 + 2 * 3 - 4 / 2", SURVEYJS, {}) == 5.0
        assert evaluate("(6 - [q]) * 2", REDCAP, {"q": 2}) == 8.0
        assert evaluate("iif({a} notempty, 1, 0)", SURVEYJS, {}) == 0.0

    def test_surveyjs_corrects_decimals(self) -> None:
        """SurveyJS sums round to their operands' decimals; REDCap's do not."""
        assert evaluate("0.1 + 0.2", SURVEYJS, {}) == 0.3
        assert evaluate("0.1 + 0.2", REDCAP, {}) == 0.1 + 0.2
        assert evaluate("1.1 * 1.1", SURVEYJS, {}) == 1.21

    def test_blank_arithmetic_poisons(self) -> None:
        """Arithmetic on a blank, or division by zero, gives POISON."""
        assert evaluate("6 - [q]", REDCAP, {}) is POISON
        assert evaluate("1 / 0", REDCAP, {}) is POISON

    def test_dialects_are_kept_apart(self) -> None:
        """SurveyJS syntax is not accepted as REDCap syntax, and back."""
        with pytest.raises(AssertionError):
            evaluate("{q} notempty", REDCAP, {})
        with pytest.raises(AssertionError):
            evaluate("if([q] <> '', 1, 0)", SURVEYJS, {})


# -- answers as each platform stores them ------------------------------------


def _resolved(instrument: Instrument, responses: Mapping[str, Any]) -> dict[str, Any]:
    """Return item id -> value, NA or None, as allykit reads *responses*."""
    values, _ = resolve(plan_for(instrument), responses, raise_on_problems=True)
    return {
        item.id: value for item, value in zip(instrument.items, values, strict=True)
    }


def _surveyjs_answers(
    instrument: Instrument,
    form: Mapping[str, Any],
    resolved: Mapping[str, Any],
    pick: Callable[[list[Any]], Any],
) -> dict[str, Any]:
    """Return the SurveyJS ``survey.data`` for allykit's reading of the answers.

    Unanswered questions are left out, as SurveyJS does; N/A is one of the
    N/A choices, which follow the item's own choices.
    """
    data: dict[str, Any] = {}
    for question in form["pages"][0]["elements"]:
        item = instrument.item(question["name"])
        options = item.response_scale or instrument.response_scale
        assert options is not None
        values = [c["value"] for c in question.get("choices") or question["rateValues"]]
        value = resolved[item.id]
        if value is NA:
            data[item.id] = pick(values[len(options.choices) :])
        elif value is not None:
            assert value in values[: len(options.choices)]
            data[item.id] = value
    return data


def _redcap_fields(dictionary: str) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(dictionary))
    assert tuple(rows.fieldnames or ()) == REDCAP_COLUMNS
    return {row["Variable / Field Name"]: row for row in rows}


def _redcap_choices(cell: str) -> list[tuple[str, str]]:
    return [tuple(part.split(", ", 1)) for part in cell.split(" | ")]  # type: ignore[misc]


def _redcap_record(
    instrument: Instrument,
    fields: Mapping[str, Mapping[str, str]],
    resolved: Mapping[str, Any],
    prefix: str,
    pick: Callable[[list[str]], str],
) -> dict[str, Any]:
    """Return a raw REDCap record (field -> number or blank) for the answers."""
    record: dict[str, Any] = {}
    for item in instrument.items:
        name = prefix + item.id.replace("-", "_")
        value = resolved[item.id]
        choices = _redcap_choices(
            fields[name]["Choices, Calculations, OR Slider Labels"]
        )
        options = item.response_scale or instrument.response_scale
        assert options is not None
        codes = [float(code) for code, _ in choices]
        if value is NA:
            record[name] = float(pick([str(c) for c in codes[len(options.choices) :]]))
        elif value is None:
            record[name] = ""
        else:
            assert float(value) in codes
            record[name] = float(value)
    return record


def _record_kind(entry: Any) -> None:
    """Label the example for ``--hypothesis-show-statistics``."""
    event(f"method {entry.method}")
    event("withheld" if entry.withheld else "scored")
    if entry.not_applicable and not entry.withheld:
        event("scored with N/A answers")
    if entry.reversed_items and not entry.withheld:
        event("scored with reverse keys")
    if entry.prorated and not entry.withheld:
        event("scored with missing answers")


def _same(platform: Value, allykit_score: float | None) -> bool:
    if allykit_score is None:
        return platform == ""
    return isinstance(platform, float) and math.isclose(
        platform, allykit_score, rel_tol=0, abs_tol=1e-9
    )


def _whole_values(instrument: Instrument) -> bool:
    scales = [i.response_scale or instrument.response_scale for i in instrument.items]
    return all(
        float(value).is_integer()
        for scale in scales
        if scale is not None
        for value in (*(c.value for c in scale.choices), *scale.not_applicable_values)
    )


# -- the equality properties -------------------------------------------------


# The SurveyJS properties (generated instruments and answers, and values and
# weights not exact in binary) run SurveyJS's own engine, survey-core, in
# tests/surveys/test_surveyjs_engine.py; the dialect above stays for the round
# trip and the pinned bundled values, which need no Node.


class TestSurveyJSRoundTrip:
    @given(data=st.data(), instrument=instruments())
    def test_imported_results_score_the_same(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """SurveyJS results of the form, imported back, score as the answers do."""
        responses = data.draw(responses_for(instrument))
        form = to_surveyjs(instrument)
        result = _surveyjs_answers(
            instrument,
            form,
            _resolved(instrument, responses),
            lambda values: data.draw(st.sampled_from(values)),
        )
        for calculated in form["calculatedValues"]:
            value = evaluate(calculated["expression"], SURVEYJS, result)
            if value != "":
                result[calculated["name"]] = value

        imported = allykit.surveys.load_surveyjs_results(
            [result],
            fields={item.id: item.id for item in instrument.items},
            ignore=["*-score"],
            strict=False,
        )
        known = allykit.surveys.load_surveyjs_results(
            [result],
            fields={item.id: item.id for item in instrument.items},
            strict=False,
            instrument=instrument,
        )

        again = allykit.score(instrument, imported.rows[0])
        expected = allykit.score(instrument, responses)
        assert [s.score for s in again.scales] == [s.score for s in expected.scales]
        # With the instrument, the score values are skipped without ignore=.
        assert known.rows == imported.rows
        assert not known.unknown_fields
        assert set(known.score_fields) <= {
            calculated["name"] for calculated in form["calculatedValues"]
        }


class TestREDCapScoringEqualsAllykit:
    @given(data=st.data(), instrument=instruments())
    def test_calc_fields_equal_score(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """Every calc field, evaluated on a raw record of the answers, equals score."""
        assume(_whole_values(instrument))
        responses = data.draw(responses_for(instrument))
        fields = _redcap_fields(
            to_redcap_dictionary(instrument, prefix="q_", form_name="f")
        )
        record = _redcap_record(
            instrument,
            fields,
            _resolved(instrument, responses),
            "q_",
            lambda codes: data.draw(st.sampled_from(codes)),
        )

        report = allykit.score(instrument, responses)

        for entry in report.scales:
            calc = fields["q_" + entry.scale.replace("-", "_") + "_score"]
            assert calc["Field Type"] == "calc"
            expression = calc["Choices, Calculations, OR Slider Labels"]
            result = evaluate(expression, REDCAP, record)
            _record_kind(entry)
            assert _same(result, entry.score), (entry, result)


class TestREDCapRoundTrip:
    @given(data=st.data(), instrument=instruments())
    def test_raw_export_scores_the_same(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """A raw REDCap export of the form, imported back, scores as the answers do.

        Scales with N/A labels but no numeric code are left out: their N/A
        choice is na_code (99), which score() reads only from label exports.
        """
        assume(_whole_values(instrument))
        scales = [
            i.response_scale or instrument.response_scale for i in instrument.items
        ]
        assume(
            all(
                s is None or s.not_applicable_values or not s.not_applicable
                for s in scales
            )
        )
        responses = data.draw(responses_for(instrument))
        dictionary = to_redcap_dictionary(instrument, prefix="q_", form_name="f")
        fields = _redcap_fields(dictionary)
        record = _redcap_record(
            instrument,
            fields,
            _resolved(instrument, responses),
            "q_",
            lambda codes: data.draw(st.sampled_from(codes)),
        )
        for name, row in fields.items():
            if row["Field Type"] == "calc":
                value = evaluate(
                    row["Choices, Calculations, OR Slider Labels"], REDCAP, record
                )
                record[name] = value
        names = [
            name
            for name, row in fields.items()
            if row["Field Type"] in {"radio", "calc"}
        ]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["record_id", *names])
        writer.writerow(["1", *(_cell(record[name]) for name in names)])

        imported = allykit.surveys.load_redcap_export(
            io.StringIO(out.getvalue()),
            fields={"q_" + i.id.replace("-", "_"): i.id for i in instrument.items},
            id_column="record_id",
            ignore=["*_score"],
        )

        again = allykit.score(instrument, imported.rows[0])
        expected = allykit.score(instrument, responses)
        assert [s.score for s in again.scales] == [s.score for s in expected.scales]

    @given(data=st.data(), instrument=instruments())
    def test_raw_export_with_na_codes_scores_the_same(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """With the instrument and its na_code, any raw export scores as the answers.

        Unlike the test above, scales with N/A labels only are included: the
        importer reads their na_code as the N/A label. The calc fields are
        skipped without ignore=.
        """
        assume(_whole_values(instrument))
        scales = [
            i.response_scale or instrument.response_scale for i in instrument.items
        ]
        na_code = 1 + int(
            max(
                v
                for s in scales
                if s is not None
                for v in (s.max, *s.not_applicable_values)
            )
        )
        responses = data.draw(responses_for(instrument))
        dictionary = to_redcap_dictionary(
            instrument, prefix="q_", form_name="f", na_code=na_code
        )
        fields = _redcap_fields(dictionary)
        record = _redcap_record(
            instrument,
            fields,
            _resolved(instrument, responses),
            "q_",
            lambda codes: data.draw(st.sampled_from(codes)),
        )
        calcs = [name for name, row in fields.items() if row["Field Type"] == "calc"]
        for name in calcs:
            expression = fields[name]["Choices, Calculations, OR Slider Labels"]
            record[name] = evaluate(expression, REDCAP, record)
        names = [
            n for n, row in fields.items() if row["Field Type"] in {"radio", "calc"}
        ]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["record_id", *names])
        writer.writerow(["1", *(_cell(record[name]) for name in names)])

        imported = allykit.surveys.load_redcap_export(
            io.StringIO(out.getvalue()),
            fields={"q_" + i.id.replace("-", "_"): i.id for i in instrument.items},
            id_column="record_id",
            instrument=instrument,
            na_codes=[na_code],
        )

        again = allykit.score(instrument, imported.rows[0])
        expected = allykit.score(instrument, responses)
        assert [s.score for s in again.scales] == [s.score for s in expected.scales]
        assert [s.not_applicable for s in again.scales] == [
            s.not_applicable for s in expected.scales
        ]
        assert set(imported.score_fields) == set(calcs)
        event(f"answers read as N/A from na_codes: {min(imported.not_applicable, 2)}")


def _cell(value: Value) -> str:
    """Write a value as REDCap writes a raw export cell."""
    if value is None or value == "":
        return ""
    assert isinstance(value, float)
    return str(int(value)) if value.is_integer() else repr(value)


# -- the bundled inventory, pinned -------------------------------------------

_MODEL = "ally-model-reflection"


def _model_answers() -> dict[str, Any]:
    """The answers of docs/scoring.md: one N/A and one missing in Action."""
    return {
        "ac-speak-up": "Strongly agree",
        "ac-keep-the-peace": 2,
        "ac-use-influence": "Does not apply",
        "ac-practical-support": "agree",
        "ac-act-with-others": 3,
    }


class TestBundledSurveyJS:
    def test_form_shape(self) -> None:
        """The form has 20 questions with 6 choices and 3 calculated values."""
        form = to_surveyjs(allykit.load_instrument(_MODEL))

        questions = form["pages"][0]["elements"]
        assert len(questions) == 20
        assert {q["type"] for q in questions} == {"radiogroup"}
        assert [c["value"] for c in questions[0]["choices"]] == [
            1,
            2,
            3,
            4,
            5,
            "Does not apply",
        ]
        assert [c["name"] for c in form["calculatedValues"]] == [
            "self-examination-score",
            "awareness-and-education-score",
            "action-score",
        ]
        assert all(c["includeIntoResult"] for c in form["calculatedValues"])

    def test_description_cites_and_warns(self) -> None:
        """The description carries the citation and the reflective-aid note."""
        form = to_surveyjs(allykit.load_instrument(_MODEL))

        assert "Tulane University School of Social Work (2019)" in form["description"]
        assert "reflective aid, not a validated measure" in form["description"]
        assert form["title"] == "Ally model reflection inventory"

    def test_reverse_key_is_written_with_declared_bounds(self) -> None:
        """A reverse-keyed item scores (1 + 5) - value in the expression."""
        form = to_surveyjs(allykit.load_instrument(_MODEL))

        action = form["calculatedValues"][2]["expression"]
        assert "(6 - {ac-keep-the-peace})" in action
        assert "(6 - {ac-speak-up})" not in action
        assert action.endswith(", '')")

    def test_action_score_pinned(self) -> None:
        """The documented answers give an Action mean of 4.0 in SurveyJS too."""
        form = to_surveyjs(allykit.load_instrument(_MODEL))
        data = {
            "ac-speak-up": 5,
            "ac-keep-the-peace": 2,
            "ac-use-influence": "Does not apply",
            "ac-practical-support": 4,
            "ac-act-with-others": 3,
        }

        results = [
            evaluate(c["expression"], SURVEYJS, data) for c in form["calculatedValues"]
        ]

        assert results == ["", "", 4.0]
        assert (
            allykit.score(allykit.load_instrument(_MODEL), _model_answers())
            .scale("action")
            .score
            == 4.0
        )

    def test_three_answers_withhold_the_score(self) -> None:
        """With three of six Action items answered, the score is withheld."""
        form = to_surveyjs(allykit.load_instrument(_MODEL))
        data = {"ac-speak-up": 5, "ac-keep-the-peace": 2, "ac-act-with-others": 3}

        assert evaluate(form["calculatedValues"][2]["expression"], SURVEYJS, data) == ""

    def test_rating_questions(self) -> None:
        """question_type='rating' gives rating questions with rateValues."""
        form = to_surveyjs(allykit.load_instrument(_MODEL), question_type="rating")

        first = form["pages"][0]["elements"][0]
        assert first["type"] == "rating"
        assert len(first["rateValues"]) == 6

    def test_scenarios_median(self) -> None:
        """The scenarios' median in SurveyJS equals the documented median, 4."""
        scenarios = allykit.load_instrument("action-continuum-scenarios")
        points = dict(
            zip(
                [str(i.id) for i in scenarios.items],
                [2, 3, 4, 4, 5, 4, 2, 6, 4],
                strict=True,
            )
        )
        form = to_surveyjs(scenarios)

        result = evaluate(form["calculatedValues"][0]["expression"], SURVEYJS, points)

        assert result == 4.0
        assert allykit.score(scenarios, points).scale("continuum-position").median == 4

    def test_deterministic_json(self) -> None:
        """Two exports are identical, down to the JSON text."""
        inventory = allykit.load_instrument(_MODEL)

        first = json.dumps(to_surveyjs(inventory))

        assert json.dumps(to_surveyjs(inventory)) == first


def _strict_share() -> Instrument:
    """The inventory with a -9 N/A code, a weight of 2, and Action needing 100%."""
    data = allykit.load_instrument(_MODEL).to_dict()
    data["response_scale"]["not_applicable_values"] = [-9]
    data["items"][14]["weight"] = 2.0  # ac-speak-up
    action = data["scales"][2]
    action.update(method="pomp", min_answered=1, min_answered_share=1.0)
    data["bands"] = [b for b in data["bands"] if b["scale"] != "action"]
    return Instrument.from_dict(data)


_ACTION = (
    "ac-speak-up",
    "ac-practical-support",
    "ac-use-influence",
    "ac-act-with-others",
    "ac-keep-the-peace",
    "ac-leave-it-to-others",
)


class TestNotApplicableAndShare:
    @pytest.mark.parametrize(
        ("answers", "expected"),
        [
            # 4 N/A: 2 items apply, both answered: (2*5 + 1) / 3 -> POMP 66.67.
            ((5, -9, -9, -9, -9, 5), (2 * 5 + 1) / 3 * 25 - 25),
            # 3 N/A, 1 missing: 3 apply, 2 answered: withheld.
            ((5, -9, -9, -9, None, 5), None),
            # No N/A, all answered, reverse keys turned round.
            ((4, 4, 4, 4, 2, 2), 75.0),
        ],
    )
    def test_both_platforms_follow_the_rules(
        self, answers: tuple[int | None, ...], expected: float | None
    ) -> None:
        """N/A lowers the items that apply; 100% of them must be answered."""
        inventory = _strict_share()
        responses = dict(zip(_ACTION, answers, strict=True))
        form = to_surveyjs(inventory)
        fields = _redcap_fields(to_redcap_dictionary(inventory))
        record = {
            k.replace("-", "_"): "" if v is None else v for k, v in responses.items()
        }

        sjs = evaluate(form["calculatedValues"][2]["expression"], SURVEYJS, responses)
        rc = evaluate(
            fields["action_score"]["Choices, Calculations, OR Slider Labels"],
            REDCAP,
            record,
        )

        score = allykit.score(inventory, responses).scale("action").score
        if expected is None:
            assert (score, sjs, rc) == (None, "", "")
        else:
            assert score == pytest.approx(expected)
            assert sjs == pytest.approx(expected)
            assert rc == pytest.approx(expected)

    def test_numeric_na_codes_are_choices(self) -> None:
        """A numeric N/A code is a choice in both exports."""
        inventory = _strict_share()

        question = to_surveyjs(inventory)["pages"][0]["elements"][0]
        fields = _redcap_fields(to_redcap_dictionary(inventory))

        assert question["choices"][-1] == {"value": -9, "text": "Does not apply"}
        choices = fields["ac_speak_up"]["Choices, Calculations, OR Slider Labels"]
        assert choices.endswith("| -9, Does not apply")


class TestBundledREDCap:
    def test_rows_and_columns(self) -> None:
        """Record id, introduction, 20 radio fields and 3 calc fields."""
        fields = _redcap_fields(to_redcap_dictionary(allykit.load_instrument(_MODEL)))

        types = [row["Field Type"] for row in fields.values()]
        assert types == ["text", "descriptive"] + ["radio"] * 20 + ["calc"] * 3
        assert next(iter(fields)) == "record_id"
        assert {row["Form Name"] for row in fields.values()} == {
            "ally_model_reflection"
        }

    def test_choices_include_na(self) -> None:
        """Each item offers its five choices and the N/A code 99."""
        fields = _redcap_fields(to_redcap_dictionary(allykit.load_instrument(_MODEL)))

        assert fields["ac_speak_up"]["Choices, Calculations, OR Slider Labels"] == (
            "1, Strongly disagree | 2, Disagree | 3, Neither agree nor disagree | "
            "4, Agree | 5, Strongly agree | 99, Does not apply"
        )

    def test_matrix_groups_follow_scales(self) -> None:
        """The items of each scale form one matrix, named after the scale."""
        fields = _redcap_fields(to_redcap_dictionary(allykit.load_instrument(_MODEL)))

        assert fields["se_invite_challenge"]["Matrix Group Name"] == "self_examination"
        assert fields["ac_leave_it_to_others"]["Matrix Group Name"] == "action"
        assert fields["action_score"]["Matrix Group Name"] == ""

    def test_calc_pinned(self) -> None:
        """The documented answers give an Action mean of 4.0 in REDCap too."""
        fields = _redcap_fields(to_redcap_dictionary(allykit.load_instrument(_MODEL)))
        record = {
            "ac_speak_up": 5,
            "ac_keep_the_peace": 2,
            "ac_use_influence": 99,
            "ac_practical_support": 4,
            "ac_act_with_others": 3,
        }
        expression = fields["action_score"]["Choices, Calculations, OR Slider Labels"]

        assert evaluate(expression, REDCAP, record) == 4.0
        assert "(6 - [ac_keep_the_peace])" in expression
        assert evaluate(expression, REDCAP, {"ac_speak_up": 5}) == ""

    def test_without_record_id_and_with_prefix(self) -> None:
        """record_id=None leaves the record id out; prefix names every field."""
        fields = _redcap_fields(
            to_redcap_dictionary(
                allykit.load_instrument(_MODEL),
                record_id=None,
                prefix="amr_",
                form_name="amr",
            )
        )

        assert "record_id" not in fields
        assert "amr_ac_speak_up" in fields
        assert "amr_action_score" in fields
        assert (
            "[amr_ac_speak_up]"
            in fields["amr_action_score"]["Choices, Calculations, OR Slider Labels"]
        )

    def test_deterministic(self) -> None:
        """Two exports are identical text."""
        inventory = allykit.load_instrument(_MODEL)

        assert to_redcap_dictionary(inventory) == to_redcap_dictionary(inventory)


# -- errors ------------------------------------------------------------------


class TestErrors:
    def test_metadata_only(self) -> None:
        """A metadata-only instrument is refused, with what to do."""
        aim = allykit.load_instrument("ally-identity-measure")

        for export in (to_surveyjs, to_redcap_dictionary):
            with pytest.raises(allykit.InvalidArgumentError) as caught:
                export(aim)
            message = str(caught.value)
            assert "'ally-identity-measure'" in message
            assert "metadata only" in message
            assert "merge_item_text()" in message

    def test_not_an_instrument(self) -> None:
        """Anything but an instrument is an InvalidArgumentError."""
        with pytest.raises(
            allykit.InvalidArgumentError, match="expected an Instrument"
        ):
            to_surveyjs("ally-model-reflection")  # type: ignore[arg-type]

    def test_unknown_question_type(self) -> None:
        """An unknown question type is named in the error."""
        with pytest.raises(allykit.InvalidArgumentError, match="'dropdown'"):
            to_surveyjs(allykit.load_instrument(_MODEL), question_type="dropdown")  # type: ignore[arg-type]

    def test_bad_redcap_names(self) -> None:
        """Invalid REDCap names are refused with the name and a hint."""
        inventory = allykit.load_instrument(_MODEL)

        with pytest.raises(allykit.InvalidArgumentError, match="'Bad-Form'"):
            to_redcap_dictionary(inventory, form_name="Bad-Form")
        with pytest.raises(allykit.InvalidArgumentError, match="prefix='q_'"):
            to_redcap_dictionary(inventory, prefix="9")

    @pytest.mark.parametrize(
        "options",
        [{"prefix": 5}, {"form_name": 3}, {"record_id": ["x"]}, {"na_code": "99"}],
    )
    def test_wrong_argument_types(self, options: dict[str, Any]) -> None:
        """Arguments of the wrong type are InvalidArgumentError, never TypeError."""
        with pytest.raises(allykit.InvalidArgumentError):
            to_redcap_dictionary(allykit.load_instrument(_MODEL), **options)

    def test_fractional_values_cannot_be_redcap_codes(self) -> None:
        """A choice value of 2.5 cannot be a REDCap code; the error says where."""
        data = allykit.load_instrument(_MODEL).to_dict()
        data["response_scale"]["choices"][1]["value"] = 2.5
        data["response_scale"]["aliases"] = []
        inventory = Instrument.from_dict(data)

        with pytest.raises(allykit.InvalidArgumentError) as caught:
            to_redcap_dictionary(inventory)

        assert "2.5" in str(caught.value)
        assert "whole" in str(caught.value)

    def test_na_code_inside_the_values(self) -> None:
        """An N/A code among the choice values is refused."""
        with pytest.raises(allykit.InvalidArgumentError, match="na_code"):
            to_redcap_dictionary(allykit.load_instrument(_MODEL), na_code=3)

    def test_pipe_in_a_label(self) -> None:
        """A label with '|' would break REDCap's choices and is refused."""
        data = allykit.load_instrument(_MODEL).to_dict()
        data["response_scale"]["choices"][0]["label"] = "Strongly | disagree"
        inventory = Instrument.from_dict(data)

        with pytest.raises(allykit.InvalidArgumentError, match="'\\|'"):
            to_redcap_dictionary(inventory)

    def test_name_clash(self) -> None:
        """An item named like a score field is reported, not overwritten."""
        data = allykit.load_instrument(_MODEL).to_dict()
        data["items"][0]["id"] = "action-score"
        data["scales"][0]["items"][0] = "action-score"
        inventory = Instrument.from_dict(data)

        with pytest.raises(allykit.InvalidArgumentError, match="action-score"):
            to_surveyjs(inventory)
        with pytest.raises(allykit.InvalidArgumentError, match="action_score"):
            to_redcap_dictionary(inventory)

    def test_missing_wording_gets_a_placeholder(self) -> None:
        """An item without wording gets a placeholder, not invented text."""
        data = allykit.load_instrument(_MODEL).to_dict()
        data["items"][0]["text"] = ""
        inventory = Instrument.from_dict(data)

        title = to_surveyjs(inventory)["pages"][0]["elements"][0]["title"]

        assert "licensed copy" in title
        assert title.startswith("[se-check-first-impressions:")


# -- the command -------------------------------------------------------------

runner = CliRunner()


class TestCommand:
    def test_surveyjs_to_stdout(self) -> None:
        """Export surveyjs prints the form as JSON."""
        result = runner.invoke(app, ["export", "surveyjs", _MODEL])

        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == to_surveyjs(allykit.load_instrument(_MODEL))

    def test_redcap_to_file(self, tmp_path: Path) -> None:
        """Export redcap -o writes the dictionary to the file only."""
        target = tmp_path / "dictionary.csv"

        result = runner.invoke(
            app, ["export", "redcap", _MODEL, "-o", str(target), "--prefix", "amr_"]
        )

        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert target.read_text(encoding="utf-8") == to_redcap_dictionary(
            allykit.load_instrument(_MODEL), prefix="amr_"
        )

    def test_redcap_na_code(self) -> None:
        """--na-code sets the code of the N/A choice."""
        result = runner.invoke(
            app, ["export", "redcap", _MODEL, "--na-code=-9", "--form-name", "amr"]
        )

        assert result.exit_code == 0, result.output
        assert "5, Strongly agree | -9, Does not apply" in result.stdout
        assert "[ac_speak_up] <> (-9)" in result.stdout

    def test_own_file(self, tmp_path: Path) -> None:
        """An instrument file path works as well as a bundled id."""
        path = tmp_path / "mine.json"
        path.write_text(allykit.load_instrument(_MODEL).to_json(), encoding="utf-8")

        result = runner.invoke(
            app, ["export", "surveyjs", str(path), "--question-type", "rating"]
        )

        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["pages"][0]["elements"][0]["type"] == "rating"

    def test_metadata_only_is_one_message(self) -> None:
        """A metadata-only instrument gives one error line and status 1."""
        result = runner.invoke(app, ["export", "redcap", "ally-identity-measure"])

        assert result.exit_code == 1
        assert "metadata only" in result.stderr
        assert "Traceback" not in result.output

    def test_unknown_instrument(self) -> None:
        """An unknown id gives status 1 and a suggestion."""
        result = runner.invoke(app, ["export", "surveyjs", "ally-model-reflexion"])

        assert result.exit_code == 1
        assert "ally-model-reflection" in result.stderr


class TestREDCapNameLength:
    def test_long_names_are_named_with_a_way_to_shorten(self) -> None:
        """Names over 26 characters warn, naming each field and what to pass."""
        inventory = allykit.load_instrument("action-continuum-scenarios")
        with pytest.warns(allykit.errors.AllykitWarning) as caught:
            to_redcap_dictionary(inventory)
        (message,) = [str(w.message) for w in caught]
        assert "'action_continuum_scenarios_about' (32" in message
        assert "form_name=" in message

    def test_short_names_do_not_warn(self) -> None:
        """With a short form name every field of this inventory fits."""
        import warnings

        inventory = allykit.load_instrument("action-continuum-scenarios")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            to_redcap_dictionary(inventory, form_name="acs")


class TestTraceableExports:
    def test_every_export_names_the_exact_instrument(self) -> None:
        """Each platform's description names id, version, content hash and status."""
        instrument = allykit.load_instrument("ally-model-reflection")
        trace = (
            f"allykit instrument {instrument.id} {instrument.version}, "
            f"content sha256 {instrument.content_hash}"
        )
        form = to_surveyjs(instrument)
        dictionary = to_redcap_dictionary(instrument)
        documents = allykit.surveys.to_reproschema(instrument)

        assert trace in form["description"].replace("\u2060", "")
        assert "not a validated measure" in form["description"]
        assert trace in dictionary.replace("\u2060", "")
        assert any(trace in json.dumps(doc) for doc in documents.values())
