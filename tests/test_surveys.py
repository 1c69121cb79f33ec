"""Tests for the SurveyJS and REDCap exports, and that their scoring equals allykit's.

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
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

import allykit
from allykit import Instrument
from allykit._plan import NA, plan_for, resolve
from allykit.surveys import REDCAP_COLUMNS, to_redcap_dictionary, to_surveyjs
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

    def __init__(self, name: str, ref: str, not_equal: str, condition: str) -> None:
        self.name = name
        self.not_equal = not_equal
        self.condition = condition
        self.token = re.compile(
            r"\s*(?:(?P<number>\d+(?:\.\d+)?)"
            rf"|(?P<ref>{ref})"
            r"|(?P<string>'(?:\\.|[^'\\])*')"
            r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
            r"|(?P<op><=|>=|!=|<>|=|<|>|\+|-|\*|/|\(|\)|,))"
        )


SURVEYJS = Dialect("surveyjs", r"\{[^{}]+\}", "!=", "iif")
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
            value = _arithmetic(op, value, right)
        return value

    def multiplicative(self) -> Value:
        """Parse ``*`` and ``/``, left to right."""
        value = self.unary()
        while self.is_next("*", "/"):
            op = self.take()[1]
            right = self.unary()
            value = _arithmetic(op, value, right)
        return value

    def unary(self) -> Value:
        """Parse a minus sign and SurveyJS's ``notempty``/``empty``."""
        if self.is_next("-"):
            self.take()
            return _arithmetic("-", 0.0, self.unary())
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


def _arithmetic(op: str, left: Value, right: Value) -> Value:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return POISON
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return POISON
    return a / b


def evaluate(text: str, dialect: Dialect, answers: Mapping[str, Any]) -> Value:
    """Evaluate *text* against *answers* (name -> value; absent means blank)."""
    return Evaluator(text, dialect, answers).run()


class TestEvaluator:
    def test_arithmetic_and_precedence(self) -> None:
        """The evaluator follows the usual precedence, left to right."""
        assert evaluate("1 + 2 * 3 - 4 / 2", SURVEYJS, {}) == 5.0
        assert evaluate("(6 - [q]) * 2", REDCAP, {"q": 2}) == 8.0
        assert evaluate("iif({a} notempty, 1, 0)", SURVEYJS, {}) == 0.0

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


class TestSurveyJSScoringEqualsAllykit:
    @given(data=st.data(), instrument=instruments())
    def test_calculated_values_equal_score(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """Every calculated value, evaluated on the answers, equals score()."""
        responses = data.draw(responses_for(instrument))
        form = to_surveyjs(instrument)
        answers = _surveyjs_answers(
            instrument,
            form,
            _resolved(instrument, responses),
            lambda values: data.draw(st.sampled_from(values)),
        )

        report = allykit.score(instrument, responses)

        for calculated, entry in zip(
            form["calculatedValues"], report.scales, strict=True
        ):
            assert calculated["name"] == f"{entry.scale}-score"
            result = evaluate(calculated["expression"], SURVEYJS, answers)
            _record_kind(entry)
            assert _same(result, entry.score), (entry, result)


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
