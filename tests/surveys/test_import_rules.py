"""One parser, one set of rules: the meaning of an export never depends on its size.

Deep nesting gives a located DataFileError on every import path, and
flattening SurveyJS results does not recurse.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from allykit.errors import DataFileError
from allykit.surveys import load_qualtrics_export, load_surveyjs_results
from allykit.surveys import surveyjs as _importers
from allykit.surveys._tabular import MAX_NESTING

_BIG = 3 * 1024 * 1024  # past the 2 MiB cap of catalogue documents


def _padded(text: str) -> str:
    """Return *text* (a JSON array) padded with whitespace past 2 MiB."""
    return text[:-1] + " " * _BIG + "]"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"q": 1, "q": 2}]', "duplicate key"),
        ('[{"q": NaN}]', "NaN is not valid JSON"),
        ('[{"q": Infinity}]', "Infinity is not valid JSON"),
    ],
)
@pytest.mark.parametrize("size", ["small", "big"])
def test_same_rules_at_every_size(text: str, message: str, size: str) -> None:
    """Duplicate keys and NaN are refused in a small and in a 3 MiB export alike."""
    source = _padded(text) if size == "big" else text
    with pytest.raises(DataFileError, match=message):
        load_surveyjs_results(io.StringIO(source), fields={"q": "q"})


def test_big_valid_export_reads() -> None:
    """A valid export past 2 MiB reads as it would when small."""
    results = [{"id": str(number), "q": number % 5 + 1} for number in range(100_000)]
    text = json.dumps(results)
    assert len(text) > 2 * 1024 * 1024

    imported = load_surveyjs_results(
        io.StringIO(text), fields={"q": "q"}, id_column="id"
    )

    assert len(imported) == 100_000


_DEEP = 100_000


class TestDeepNesting:
    def test_surveyjs_text(self) -> None:
        """Deeply nested JSON text is a DataFileError naming the source."""
        text = "[" + '{"a":' * _DEEP + "1" + "}" * _DEEP + "]"
        with pytest.raises(DataFileError, match="nested too deeply") as caught:
            load_surveyjs_results(io.StringIO(text), fields={"a": "a"})
        assert caught.value.source == "<stream>"

    @pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5_000])
    def test_surveyjs_objects(self, depth: int) -> None:
        """Deeply nested result objects are refused with the result's location."""
        result: dict[str, Any] = {}
        inner = result
        for _ in range(depth):
            inner["k"] = {}
            inner = inner["k"]
        with pytest.raises(DataFileError, match="nested more than") as caught:
            load_surveyjs_results([result], fields={"a": "a"})
        assert caught.value.problems[0].path.startswith("results[0]")

    def test_surveyjs_object_containing_itself(self) -> None:
        """A result that contains itself is refused, not flattened forever."""
        result: dict[str, Any] = {"q": 1}
        result["again"] = result
        with pytest.raises(DataFileError, match="nested more than"):
            load_surveyjs_results([result], fields={"q": "q"})

    def test_nesting_at_the_limit_flattens(self) -> None:
        """Nesting up to the limit is read, and the keys keep their order."""
        result: dict[str, Any] = {"first": 1}
        inner = result
        for _ in range(MAX_NESTING - 1):
            inner["k"] = {}
            inner = inner["k"]
        inner["leaf"] = 2
        result["last"] = 3
        field = ".".join(["k"] * (MAX_NESTING - 1)) + ".leaf"

        flat = _importers._flatten(result, where="r", name="n")

        assert list(flat) == ["first", field, "last"]

    def test_qualtrics_import_id_row(self) -> None:
        """A deeply nested ImportId cell is a located problem, not a RecursionError."""
        deep = '{"ImportId": ' + "[" * 20_000 + "]" * 20_000 + "}"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["ResponseId", "Q1"])
        writer.writerow(["Response ID", "Question one"])
        writer.writerow(['{"ImportId":"_recordId"}', deep])
        writer.writerow(["R_1", "3"])
        buffer.seek(0)

        with pytest.raises(DataFileError) as caught:
            load_qualtrics_export(buffer, fields={"Q1": "q"})

        assert caught.value.problems[0].path == "row 3, column 2"
