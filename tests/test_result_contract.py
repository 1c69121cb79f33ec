"""One serialisation contract for every result type (issue 25, item 5).

Score, reliability and change reports, histories, ally maps and profile
translations all have ``to_dict``, ``to_json(indent=...)``,
``from_dict(data, *, source=...)`` and ``from_json(text, *, source=...)``,
and every one of them round-trips through both.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit.errors import DataFileError
from allykit.models import ProfileTranslation
from allykit.reflection import AllyMap, History
from allykit.scoring import ChangeReport, ReliabilityReport, ScoreReport
from allykit.testing import (
    ally_maps,
    change_reports,
    profile_translations,
    reliability_reports,
    results,
    score_reports,
)

pytestmark = pytest.mark.property

_TYPES = (
    ScoreReport,
    ReliabilityReport,
    ChangeReport,
    History,
    AllyMap,
    ProfileTranslation,
)


@pytest.mark.parametrize("cls", _TYPES, ids=lambda c: c.__name__)
def test_same_signatures(cls: type[Any]) -> None:
    """The four conversions take the same arguments on every result type."""
    assert list(inspect.signature(cls.to_dict).parameters) == ["self"]
    to_json = inspect.signature(cls.to_json).parameters
    assert list(to_json) == ["self", "indent"]
    assert to_json["indent"].kind is inspect.Parameter.KEYWORD_ONLY
    for name in ("from_dict", "from_json"):
        parameters = inspect.signature(getattr(cls, name)).parameters
        assert list(parameters)[1:] == ["source"], (cls, name)
        assert parameters["source"].kind is inspect.Parameter.KEYWORD_ONLY


@settings(max_examples=60, deadline=None)
@given(result=results())
def test_round_trip(result: Any) -> None:
    """Every result comes back equal from its dict and from its JSON text."""
    cls = type(result)
    assert cls.from_dict(result.to_dict()) == result
    assert cls.from_json(result.to_json()) == result
    assert cls.from_json(result.to_json(indent=None)) == result
    assert json.loads(result.to_json(indent=2)) == result.to_dict()


@settings(max_examples=20, deadline=None)
@given(
    result=st.one_of(
        score_reports(),
        reliability_reports(),
        change_reports(),
        ally_maps(),
        profile_translations(),
    ),
)
def test_bad_data_names_its_source(result: Any) -> None:
    """A wrong field is a DataFileError that names the source given."""
    data = result.to_dict()
    data["no_such_field"] = 1
    with pytest.raises(DataFileError, match=r"results\.json"):
        type(result).from_dict(data, source="results.json")
    with pytest.raises(DataFileError, match=r"results\.json"):
        type(result).from_json("[", source="results.json")
