"""Fuzz tests: arbitrary input to the loaders raises only allykit errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import DataFileError, Framework
from allykit.testing import frameworks, json_values

_json = json_values()


def _mutations() -> st.SearchStrategy[Any]:
    return _json | st.sampled_from(
        ["", "self-examination", "Not An Id", -1, 0, True, [], {}]
    )


@given(text=st.text())
def test_arbitrary_text(text: str) -> None:
    """Any text either loads or raises DataFileError."""
    try:
        allykit.Framework.from_json(text)
    except DataFileError as error:
        assert error.problems


@given(raw=st.binary())
def test_arbitrary_bytes(raw: bytes) -> None:
    """Any bytes either load or raise DataFileError."""
    try:
        allykit.Framework.from_json(raw)
    except DataFileError as error:
        assert error.problems


@given(value=_json)
def test_arbitrary_json(value: Any) -> None:
    """Any JSON document either loads or raises DataFileError."""
    try:
        allykit.Framework.from_json(json.dumps(value))
    except DataFileError as error:
        assert error.problems


@given(framework=frameworks(), data=st.data())
def test_mutated_valid_document(framework: Framework, data: st.DataObject) -> None:
    """Corrupting one field of a valid document gives DataFileError or a framework."""
    document = framework.to_dict()
    target: Any = document
    keys = data.draw(st.lists(st.integers(0, 10), min_size=1, max_size=3))
    for key in keys[:-1]:
        if isinstance(target, dict) and target:
            name = sorted(target)[key % len(target)]
            if isinstance(target[name], (dict, list)) and target[name]:
                target = target[name]
        elif isinstance(target, list) and target:
            target = target[key % len(target)]
    new_value = data.draw(_mutations())
    if isinstance(target, dict) and target:
        target[sorted(target)[keys[-1] % len(target)]] = new_value
    elif isinstance(target, list) and target:
        target[keys[-1] % len(target)] = new_value

    try:
        result = Framework.from_dict(document)
    except DataFileError as error:
        assert error.problems
    else:
        assert isinstance(result, Framework)


class TestWrongTypes:
    def test_unhashable_instrument_id(self) -> None:
        """An unhashable id gives InvalidArgumentError, not a raw TypeError."""
        with pytest.raises(allykit.InvalidArgumentError, match="must be a string"):
            allykit.load_instrument(["x"])  # type: ignore[arg-type]

    def test_score_needs_an_instrument(self) -> None:
        """Scoring something that is not an instrument names the value."""
        with pytest.raises(
            allykit.InvalidArgumentError, match="expected an Instrument"
        ):
            allykit.score({"not": "an instrument"}, {})  # type: ignore[arg-type]

    def test_diff_needs_frameworks(self) -> None:
        """diff_frameworks refuses a non-framework with the offending value."""
        framework = allykit.load_framework("ally-model")

        with pytest.raises(
            allykit.InvalidArgumentError, match="new must be a Framework"
        ):
            allykit.changes.diff_frameworks(framework, None)  # type: ignore[arg-type]
