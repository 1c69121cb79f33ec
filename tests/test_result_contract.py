"""One serialisation contract for every result type (issue 25, item 5).

Score, reliability, change and waves reports, histories, ally maps, profile
translations and journeys all have ``to_dict``, ``to_json(indent=...)``,
``from_dict(data, *, source=...)`` and ``from_json(text, *, source=...)``,
and every one of them round-trips through both.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allykit.errors import DataFileError
from allykit.models.crosswalk import ProfileTranslation
from allykit.reflection import AllyMap, History, Journey
from allykit.scoring import ChangeReport, ReliabilityReport, ScoreReport, WavesReport
from allykit.testing import (
    ally_maps,
    change_reports,
    journeys,
    profile_translations,
    reliability_reports,
    results,
    score_reports,
    waves_reports,
)

pytestmark = pytest.mark.property

_TYPES = (
    ScoreReport,
    ReliabilityReport,
    ChangeReport,
    History,
    AllyMap,
    ProfileTranslation,
    WavesReport,
    Journey,
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
        waves_reports(),
        journeys(),
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


def _public_classes_with_json() -> set[type[Any]]:
    """Every public class of a public module that writes itself as JSON."""
    import importlib
    import pkgutil

    import allykit

    names = [
        info.name
        for info in pkgutil.walk_packages(allykit.__path__, prefix="allykit.")
        if not any(part.startswith("_") for part in info.name.split("."))
        and not info.name.startswith(("allykit.cli", "allykit.testing"))
    ]
    found: set[type[Any]] = set()
    for name in names:
        module = importlib.import_module(name)
        for attribute in getattr(module, "__all__", ()):
            value = getattr(module, attribute)
            if isinstance(value, type) and hasattr(value, "to_json"):
                found.add(value)
    return found


def test_every_result_type_is_under_the_contract() -> None:
    """A public type that writes JSON is a document or one of the results above.

    A new result type (with ``to_json``) must join :class:`Result` and
    the round-trip strategy ``allykit.testing.results``.
    """
    from allykit.models._document import Document
    from allykit.models._result import Result

    outside = {
        cls.__qualname__
        for cls in _public_classes_with_json()
        if not issubclass(cls, Document) and cls not in _TYPES
    }
    results = {c for c in _public_classes_with_json() if issubclass(c, Result)}

    assert outside == set()
    assert results <= set(_TYPES)


@pytest.mark.parametrize("cls", _TYPES, ids=lambda c: c.__name__)
def test_not_an_object_names_the_type_s_own_fields(cls: type[Any]) -> None:
    """JSON that is not an object: the hint names fields this type has."""
    import attrs

    with pytest.raises(DataFileError) as caught:
        cls.from_json("[]")

    hint = caught.value.problems[0].hint
    first = attrs.fields(cls)[0].name
    assert re.match(r"an allykit [a-z ]+ file is one object", hint), hint
    assert repr(first) in hint
    if first != "id":
        assert "'id'" not in hint
