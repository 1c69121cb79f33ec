"""Numbers no float can hold give an allykit error, in words for the file's author.

Issue 21, item 7: ``translate_profile`` with ``10**400`` and
``change(..., reliability=10**400)`` raised a raw OverflowError; a 5,000-digit
number in a file said "use sys.set_int_max_str_digits()", advice for a
Python programmer, not for whoever wrote the file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import DataFileError
from allykit.catalog import load_instrument
from allykit.errors import AllykitError, InvalidArgumentError
from allykit.reflection import build_journey, plan_focus
from allykit.scoring import change, score

HUGE = (10**400, -(10**400), 10**5000)
INVENTORY = "ally-model-reflection"


def _rows(value: Any) -> list[dict[str, Any]]:
    inventory = load_instrument(INVENTORY)
    items = [item.id for item in inventory.items]
    rows = [{"id": who, **dict.fromkeys(items, 3)} for who in ("a", "b", "c")]
    rows[0][items[0]] = value
    return rows


def _calls(value: int) -> dict[str, Callable[[], object]]:
    """Every public entry point taking a number, given *value*."""
    inventory = load_instrument(INVENTORY)
    framework = allykit.load_framework("ally-model")
    plain = _rows(3)
    return {
        "translate_profile": lambda: allykit.translate_profile(
            {"action": value}, "ally-model", "ally-development-levels"
        ),
        "change reliability": lambda: change(
            inventory, plain, plain, reliability=value
        ),
        "change reliability map": lambda: change(
            inventory, plain, plain, reliability={"action": value}
        ),
        "change answers": lambda: change(inventory, _rows(value), plain),
        "score": lambda: score(inventory, {inventory.items[0].id: value}),
        "plan_focus developed_at": lambda: plan_focus(
            framework, profile={"action": 3}, developed_at=value
        ),
        "plan_focus profile": lambda: plan_focus(framework, profile={"action": value}),
        "build_journey": lambda: build_journey(framework, value, 1),
        "to_redcap_dictionary na_code": lambda: allykit.surveys.to_redcap_dictionary(
            inventory, na_code=value
        ),
    }


@pytest.mark.parametrize("value", HUGE, ids=["1e400", "-1e400", "5000 digits"])
@pytest.mark.parametrize("name", sorted(_calls(1)))
def test_public_entry_points_refuse_huge_numbers(name: str, value: int) -> None:
    """An allykit error naming the value by its size, never OverflowError."""
    with pytest.raises(AllykitError) as caught:
        _calls(value)[name]()

    message = str(caught.value)
    assert "set_int_max_str_digits" not in message
    assert "digits" in message


@given(st.integers(min_value=2**1024, max_value=10**1000))
def test_reliability_never_overflows(value: int) -> None:
    """Any int past the float range: InvalidArgumentError, for both signs."""
    inventory = load_instrument(INVENTORY)
    plain = _rows(3)
    for number in (value, -value):
        with pytest.raises(InvalidArgumentError, match=r"\[0, 1\)"):
            change(inventory, plain, plain, reliability=number)
        with pytest.raises(InvalidArgumentError, match=r"0\.\.100"):
            allykit.translate_profile(
                {"action": number}, "ally-model", "ally-development-levels"
            )


def _framework_text(position: str) -> str:
    document = allykit.load_framework("ally-model").to_dict()
    document["id"] = "long-number"
    text = json.dumps(document, indent=2)
    return text.replace('"position": 1,', f'"position": {position},', 1)


@pytest.fixture(name="lowered")
def _lowered() -> Iterator[None]:
    """The caller has lowered Python's limit on digits (it is process-wide)."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    yield
    sys.set_int_max_str_digits(before)


class TestFiles:
    @pytest.mark.parametrize("digits", [4301, 5000, 100_000])
    def test_long_number_speaks_to_the_author(
        self, tmp_path: Path, digits: int
    ) -> None:
        """The line and column, the number's length, what to do; no Python advice."""
        path = tmp_path / "framework.json"
        path.write_text(_framework_text("7" * digits), encoding="utf-8")

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework_file(path)

        (problem,) = caught.value.problems
        assert problem.path.startswith("line ")
        assert f"a number of {digits} digits" in problem.message
        assert "set_int_max_str_digits" not in str(caught.value)
        assert len(str(caught.value)) < 600

    @pytest.mark.usefixtures("lowered")
    def test_same_message_whatever_the_callers_limit(self, tmp_path: Path) -> None:
        """With the caller's limit lowered, the author still reads allykit's words."""
        path = tmp_path / "framework.json"
        path.write_text(_framework_text("-" + "7" * 700), encoding="utf-8")

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework_file(path)

        assert "a number of 700 digits" in str(caught.value)
        assert "set_int_max_str_digits" not in str(caught.value)

    def test_long_but_readable_number_reported_at_its_field(
        self, tmp_path: Path
    ) -> None:
        """A 400-digit number is read, and refused at its field, with its size."""
        path = tmp_path / "framework.json"
        path.write_text(_framework_text("7" * 400), encoding="utf-8")

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework_file(path)

        assert "stages[0].position" in str(caught.value)
        assert "400 digits" in str(caught.value)
