"""The bundled-data JSON parser gives exactly what ``json.loads`` gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allykit.catalog import _resources
from allykit.catalog._resources import parse_trusted_json


def _same(text: str) -> None:
    """parse_trusted_json(text) returns or raises what json.loads does."""
    try:
        expected: Any = json.loads(text)
    except json.JSONDecodeError as error:
        with pytest.raises(json.JSONDecodeError) as caught:
            parse_trusted_json(text)
        assert str(caught.value) == str(error)
        return
    got = parse_trusted_json(text)
    # dumps keeps key order and tells 1 from 1.0 and NaN from None.
    assert json.dumps(got) == json.dumps(expected)
    assert type(got) is type(expected)


def test_every_bundled_file() -> None:
    """Every data file of the package parses the same."""
    data_dir = os.path.join(os.path.dirname(_resources.__file__), "data")  # noqa: PTH118, PTH120
    kinds = sorted(os.listdir(data_dir))  # noqa: PTH208
    assert "frameworks" in kinds
    count = 0
    for kind in kinds:
        for item_id in _resources.list_ids(kind):
            text = _resources.read_text(kind, item_id)
            _same(text)
            assert json.dumps(_resources.read_json(kind, item_id)) == json.dumps(
                json.loads(text)
            )
            count += 1
    assert count > 20


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '  \n\t{"a": [1, 2.5, -3e2, true, false, null]}\r\n ',
        "[NaN, Infinity, -Infinity, 1e400, 12345678901234567890]",
        '"\\u00e9\\ud83d\\ude00 caf\u00e9"',
        "0",
        "",
        "   ",
        '{"a": 1} x',
        '{"a": 1}{"b": 2}',
        '{"a": 1,}',
        "[1, 2",
        "\ufeff{}",
        '{"a": "\x01"}',
        "nan",
        '{"a": 1, "a": 2}',
    ],
)
def test_edge_cases(text: str) -> None:
    """Whitespace, constants, errors and odd input agree with json.loads."""
    _same(text)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(value=_JSON, indent=st.sampled_from([None, 0, 2]), pad=st.text(" \t\r\n"))
def test_round_trips(value: Any, indent: int | None, pad: str) -> None:
    """Any JSON text, with any layout, parses the same."""
    _same(pad + json.dumps(value, indent=indent, ensure_ascii=False) + pad)


def test_bundled_load_skips_json_module() -> None:
    """Loading the bundled frameworks does not import json (the point of it)."""
    pytest.importorskip("_json")
    code = (
        "import sys, allykit\n"
        "from allykit.catalog import bundled_ids\n"
        "for f in bundled_ids('frameworks'): allykit.load_framework(f)\n"
        "print('json' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_read_text_is_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading with os.read gives the bytes on disk, as the resources fallback does."""
    data_dir = os.path.join(os.path.dirname(_resources.__file__), "data")  # noqa: PTH118, PTH120
    for kind in ("frameworks", "instruments"):
        for item_id in _resources.list_ids(kind):
            path = os.path.join(data_dir, kind, f"{item_id}.json")  # noqa: PTH118
            with open(path, "rb") as handle:  # noqa: PTH123
                on_disk = handle.read().decode("utf-8")
            assert _resources.read_text(kind, item_id) == on_disk
    monkeypatch.setattr(_resources, "_plain_files", lambda: False)
    assert _resources.read_text("frameworks", "ally-model") == _resources._read_file(
        os.path.join(data_dir, "frameworks", "ally-model.json")  # noqa: PTH118
    ).decode("utf-8")
