"""Tests of the ReproSchema export: document structure, and scores equal to score().

The ``jsExpression`` of each scale is evaluated by a small, safe evaluator
of the JavaScript subset the exporter writes (no ``eval``): numbers,
strings, variables, ``null``, ``+ - * /``, comparisons, ``=== !== !=``,
``&& ||``, ``? :`` and ``Math.max``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import Instrument
from allykit.scoring._plan import NA, plan_for, resolve
from allykit.surveys import REPROSCHEMA_CONTEXT, to_reproschema
from allykit.testing import instruments, responses_for

# -- a safe evaluator for the emitted JavaScript subset -----------------------


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


class _Poison:
    """Arithmetic on something that is not a number (NaN in JavaScript)."""

    def __repr__(self) -> str:
        return "POISON"


UNDEFINED = _Undefined()
POISON = _Poison()

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<string>'(?:\\.|[^'\\])*')"
    r"|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)?)"
    r"|(?P<op>===|!==|==|!=|<=|>=|&&|\|\||[<>+\-*/(),?:]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        assert match is not None, f"cannot read {text[position:]!r}"
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, float)


def _strict_equal(left: Any, right: Any) -> bool:
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    return left is right


def _loose_null(value: Any) -> bool:
    return value is None or value is UNDEFINED


class JSEvaluator:
    """Parse and evaluate one expression against variables."""

    def __init__(self, text: str, variables: Mapping[str, Any]) -> None:
        self.tokens = _tokens(text)
        self.variables = variables
        self.at = 0

    def run(self) -> Any:
        """Evaluate the whole expression."""
        value = self.ternary()
        assert self.at == len(self.tokens), f"trailing {self.tokens[self.at :]}"
        return value

    def is_next(self, *texts: str) -> bool:
        """Return whether the next token is one of *texts*."""
        return self.at < len(self.tokens) and self.tokens[self.at][1] in texts

    def take(self, text: str | None = None) -> tuple[str, str]:
        """Consume the next token (which must be *text*, if given)."""
        assert self.at < len(self.tokens), "unexpected end"
        token = self.tokens[self.at]
        assert text is None or token[1] == text, f"expected {text!r}, got {token}"
        self.at += 1
        return token

    def ternary(self) -> Any:
        """Parse ``c ? a : b`` (the lowest precedence)."""
        condition = self.logic_or()
        if not self.is_next("?"):
            return condition
        self.take("?")
        then = self.ternary()
        self.take(":")
        otherwise = self.ternary()
        assert isinstance(condition, bool), condition
        return then if condition else otherwise

    def logic_or(self) -> Any:
        """Parse ``a || b``."""
        value = self.logic_and()
        while self.is_next("||"):
            self.take()
            right = self.logic_and()
            assert isinstance(value, bool)
            assert isinstance(right, bool)
            value = value or right
        return value

    def logic_and(self) -> Any:
        """Parse ``a && b``."""
        value = self.equality()
        while self.is_next("&&"):
            self.take()
            right = self.equality()
            assert isinstance(value, bool)
            assert isinstance(right, bool)
            value = value and right
        return value

    def equality(self) -> Any:
        """Parse ``===``, ``!==`` and loose comparison with null."""
        left = self.relational()
        if not self.is_next("===", "!==", "==", "!="):
            return left
        op = self.take()[1]
        right = self.relational()
        if op in {"===", "!=="}:
            same = _strict_equal(left, right)
            return same if op == "===" else not same
        # Loose equality is only written against null.
        assert right is None, f"loose comparison with {right!r}"
        same = _loose_null(left)
        return same if op == "==" else not same

    def relational(self) -> Any:
        """Parse ``<``, ``<=``, ``>`` and ``>=``."""
        left = self.additive()
        if not self.is_next("<", "<=", ">", ">="):
            return left
        op = self.take()[1]
        right = self.additive()
        if not (_is_number(left) and _is_number(right)):
            return False  # as NaN compares
        return {"<": left < right, "<=": left <= right, ">": left > right}.get(
            op, left >= right
        )

    def additive(self) -> Any:
        """Parse ``+`` and ``-``, left to right."""
        value = self.multiplicative()
        while self.is_next("+", "-"):
            op = self.take()[1]
            value = _arithmetic(op, value, self.multiplicative())
        return value

    def multiplicative(self) -> Any:
        """Parse ``*`` and ``/``, left to right."""
        value = self.unary()
        while self.is_next("*", "/"):
            op = self.take()[1]
            value = _arithmetic(op, value, self.unary())
        return value

    def unary(self) -> Any:
        """Parse a minus sign."""
        if self.is_next("-"):
            self.take()
            return _arithmetic("-", 0.0, self.unary())
        return self.primary()

    def primary(self) -> Any:
        """Parse a number, string, name, call or parentheses."""
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if text == "(":
            value = self.ternary()
            self.take(")")
            return value
        assert kind == "name", f"unexpected {text!r}"
        if text in {"null", "undefined"}:
            return None if text == "null" else UNDEFINED
        if text == "Math.max":
            return self.maximum()
        assert "." not in text, f"unknown function {text!r}"
        return self.variables.get(text, UNDEFINED)

    def maximum(self) -> Any:
        """Evaluate the arguments of ``Math.max`` and return the largest."""
        self.take("(")
        args = [self.ternary()]
        while self.is_next(","):
            self.take()
            args.append(self.ternary())
        self.take(")")
        if not all(_is_number(arg) for arg in args):
            return POISON
        return max(args)


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    if not (_is_number(left) and _is_number(right)):
        return POISON
    if op == "/":
        return POISON if right == 0 else left / right
    return {"+": left + right, "-": left - right, "*": left * right}[op]


def evaluate(text: str, variables: Mapping[str, Any]) -> Any:
    """Evaluate *text* with *variables* (absent names are undefined)."""
    return JSEvaluator(text, variables).run()


class TestEvaluator:
    def test_precedence_and_ternary(self) -> None:
        """Arithmetic, comparison, logic and the conditional nest as in JS."""
        assert evaluate("1 + 2 * 3 - 4 / 2", {}) == 5.0
        assert evaluate("(a != null && a !== '') ? 6 - a : null", {"a": 2.0}) == 4.0
        assert evaluate("(a != null && a !== '') ? 6 - a : null", {}) is None
        assert evaluate("Math.max(0, 1) >= 1 || false_ === 1", {}) is True

    def test_unknown_syntax_is_refused(self) -> None:
        """Anything outside the subset (eval, assignment, other calls) fails."""
        for text in ("eval('1')", "a = 1", "Math.min(1, 2)", "a[0]"):
            with pytest.raises(AssertionError):
                evaluate(text, {"a": 1.0})


# -- the export ---------------------------------------------------------------

_MODEL = "ally-model-reflection"
_FOLDER = f"activities/{_MODEL}"


def _activity(documents: Mapping[str, Any], base: str) -> dict[str, Any]:
    found: dict[str, Any] = documents[f"activities/{base}/{base}_schema"]
    return found


class TestStructure:
    def test_layout_and_common_keys(self) -> None:
        """One protocol, one activity, one item per item and per scale."""
        inventory = allykit.load_instrument(_MODEL)
        documents = to_reproschema(inventory)

        expected = {
            f"protocols/{_MODEL}_schema",
            f"{_FOLDER}/{_MODEL}_schema",
            *(
                f"{_FOLDER}/items/{item.id.replace('-', '_')}"
                for item in inventory.items
            ),
            *(
                f"{_FOLDER}/items/{s.id.replace('-', '_')}_score"
                for s in inventory.scales
            ),
        }
        assert set(documents) == expected
        for path, document in documents.items():
            assert document["@context"] == REPROSCHEMA_CONTEXT
            assert document["schemaVersion"] == "1.0.0"
            assert document["version"] == inventory.version
            assert path.rsplit("/", 1)[-1] == document["@id"]
            assert document["prefLabel"]["en"]

    def test_activity_lists_every_item_in_order(self) -> None:
        """ui.order and addProperties name existing documents, items first."""
        inventory = allykit.load_instrument(_MODEL)
        documents = to_reproschema(inventory)
        activity = _activity(documents, _MODEL)

        order = activity["ui"]["order"]
        assert [p["isAbout"] for p in activity["ui"]["addProperties"]] == order
        assert all(f"{_FOLDER}/{file}" in documents for file in order)
        names = [p["variableName"] for p in activity["ui"]["addProperties"]]
        items = [item.id.replace("-", "_") for item in inventory.items]
        assert names[: len(items)] == items
        computed = [c["variableName"] for c in activity["compute"]]
        assert names[len(items) :] == computed
        hidden = [p["isVis"] for p in activity["ui"]["addProperties"]]
        assert hidden == [True] * len(items) + [False] * len(computed)
        assert activity["@type"] == "reproschema:Activity"
        assert "not a validated measure" in activity["preamble"]["en"]
        assert "Tulane" in activity["citation"]

    def test_items_carry_choices_bounds_and_na(self) -> None:
        """An item has its choices, the declared bounds and the N/A choice."""
        documents = to_reproschema(allykit.load_instrument(_MODEL), na_code=-1)

        item = documents[f"{_FOLDER}/items/ac_keep_the_peace"]

        options = item["responseOptions"]
        assert item["@type"] == "reproschema:Field"
        assert item["ui"] == {"inputType": "radio"}
        assert (options["valueType"], options["minValue"], options["maxValue"]) == (
            "xsd:integer",
            1,
            5,
        )
        assert [c["value"] for c in options["choices"]] == [1, 2, 3, 4, 5, -1]
        assert options["choices"][-1]["name"] == {"en": "Does not apply"}
        assert item["question"]["en"].strip()

    def test_score_items_are_read_only(self) -> None:
        """Each scale's score field is a read-only number with the score's range."""
        documents = to_reproschema(allykit.load_instrument(_MODEL))

        score = documents[f"{_FOLDER}/items/action_score"]

        assert score["ui"] == {"inputType": "number", "readonlyValue": True}
        assert score["responseOptions"]["minValue"] == 1
        assert score["responseOptions"]["maxValue"] == 5

    def test_protocol_points_at_the_activity(self) -> None:
        """The protocol's one activity resolves to the activity document."""
        documents = to_reproschema(allykit.load_instrument(_MODEL), prefix="amr_")

        protocol = documents[f"protocols/{_MODEL}_schema"]

        assert protocol["@type"] == "reproschema:Protocol"
        (path,) = protocol["ui"]["order"]
        assert path.removeprefix("../") in documents
        assert protocol["ui"]["addProperties"][0]["variableName"] == (
            "amr_ally_model_reflection"
        )

    def test_refusals(self) -> None:
        """Metadata-only instruments, bad prefixes and clashing N/A codes raise."""
        inventory = allykit.load_instrument(_MODEL)
        with pytest.raises(allykit.InvalidArgumentError, match="metadata only"):
            to_reproschema(allykit.load_instrument("ally-identity-measure"))
        with pytest.raises(allykit.InvalidArgumentError, match="prefix"):
            to_reproschema(inventory, prefix=3)  # type: ignore[arg-type]
        with pytest.raises(allykit.InvalidArgumentError, match="na_code"):
            to_reproschema(inventory, na_code=3)
        with pytest.raises(allykit.InvalidArgumentError, match="JavaScript"):
            to_reproschema(inventory, prefix="1")


# -- scores equal to score() ---------------------------------------------------


def _resolved(instrument: Instrument, responses: Mapping[str, Any]) -> dict[str, Any]:
    values, _ = resolve(plan_for(instrument), responses, raise_on_problems=True)
    return {
        item.id: value for item, value in zip(instrument.items, values, strict=True)
    }


def _na_code(instrument: Instrument) -> int:
    """Return a whole number above every value, usable as the N/A choice."""
    scales = [i.response_scale or instrument.response_scale for i in instrument.items]
    highest = max(
        v for s in scales if s is not None for v in (s.max, *s.not_applicable_values)
    )
    return math.floor(highest) + 1


class TestScoresEqualAllykit:
    @given(data=st.data(), instrument=instruments())
    def test_compute_equals_score(
        self, data: st.DataObject, instrument: Instrument
    ) -> None:
        """Every jsExpression, on the answers as ReproSchema keeps them, is score()."""
        responses = data.draw(responses_for(instrument))
        documents = to_reproschema(
            instrument, prefix="q_", na_code=_na_code(instrument)
        )
        activity = _activity(documents, instrument.id)
        variables: dict[str, Any] = {}
        for item in instrument.items:
            options = item.response_scale or instrument.response_scale
            assert options is not None
            name = "q_" + item.id.replace("-", "_")
            choices = documents[f"activities/{instrument.id}/items/{name}"][
                "responseOptions"
            ]["choices"]
            value = _resolved(instrument, responses)[item.id]
            if value is NA:
                na_values = [c["value"] for c in choices[len(options.choices) :]]
                variables[name] = float(data.draw(st.sampled_from(na_values)))
            elif value is None:
                blank = data.draw(st.sampled_from(["absent", None, ""]))
                if blank != "absent":
                    variables[name] = blank
            else:
                variables[name] = float(value)

        report = allykit.score(instrument, responses)

        for compute, entry in zip(activity["compute"], report.scales, strict=True):
            assert compute["variableName"] == "q_" + entry.scale.replace("-", "_") + (
                "_score"
            )
            result = evaluate(compute["jsExpression"], variables)
            if entry.score is None:
                assert result is None, (entry, result)
            else:
                assert isinstance(result, float), (entry, result)
                assert math.isclose(result, entry.score, rel_tol=0, abs_tol=1e-9)

    def test_bundled_inventory(self) -> None:
        """The bundled inventory's answers of docs/scoring.md score the same."""
        inventory = allykit.load_instrument(_MODEL)
        answers = {
            "ac-speak-up": 5.0,
            "ac-keep-the-peace": 2.0,
            "ac-use-influence": 99.0,
            "ac-practical-support": 4.0,
            "ac-act-with-others": 3.0,
        }
        activity = _activity(to_reproschema(inventory), _MODEL)
        variables = {k.replace("-", "_"): v for k, v in answers.items()}
        expected = allykit.score(
            inventory, {**answers, "ac-use-influence": "Does not apply"}
        ).scale("action")

        (action,) = [
            c for c in activity["compute"] if c["variableName"] == "action_score"
        ]

        assert evaluate(action["jsExpression"], variables) == expected.score


class TestExportCommand:
    def test_folder_holds_every_document(self, tmp_path: Path) -> None:
        """`export reproschema -o DIR` writes each document at its path, as JSON."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        inventory = allykit.load_instrument("ally-model-reflection")
        expected = to_reproschema(inventory)

        result = CliRunner().invoke(
            app, ["export", "reproschema", inventory.id, "-o", str(tmp_path / "rs")]
        )

        assert result.exit_code == 0, result.output
        written = {
            path.relative_to(tmp_path / "rs").as_posix(): json.loads(
                path.read_text("utf-8")
            )
            for path in (tmp_path / "rs").rglob("*")
            if path.is_file()
        }
        assert written == expected

    def test_stdout_and_refusal(self, tmp_path: Path) -> None:
        """Without -o it prints one JSON object; a file as -o is refused cleanly."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        runner = CliRunner()
        printed = runner.invoke(app, ["export", "reproschema", "ally-model-reflection"])
        assert json.loads(printed.stdout) == to_reproschema(
            allykit.load_instrument("ally-model-reflection")
        )

        a_file = tmp_path / "taken.json"
        a_file.write_text("{}", "utf-8")
        refused = runner.invoke(
            app, ["export", "reproschema", "ally-model-reflection", "-o", str(a_file)]
        )
        assert refused.exit_code == 1
        assert "Traceback" not in refused.output
        assert a_file.read_text("utf-8") == "{}"
