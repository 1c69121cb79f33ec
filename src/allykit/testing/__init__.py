"""Hypothesis strategies for property-testing code built on allykit.

Install the ``testing`` extra (``pip install "allykit-frameworks[testing]"``)
to use it. allykit's own test suite uses these same strategies. This package
is the one place strategies live (its parts are private modules by concept:
plain values, catalogue objects, results, generated data sets); import them
from here.

>>> from hypothesis import given, settings
>>> from allykit.testing import frameworks
>>> @settings(max_examples=10)  # a quick run; leave it out for the default 100
... @given(frameworks())
... def test_round_trip(framework):
...     assert framework.from_dict(framework.to_dict()) == framework
>>> test_round_trip()

Instruments and answers work the same way:

>>> from hypothesis import strategies as st
>>> from allykit.scoring import score
>>> from allykit.testing import instruments, responses_for
>>> @settings(max_examples=10)
... @given(st.data())
... def test_pomp_in_range(data):
...     instrument = data.draw(instruments())
...     report = score(instrument, data.draw(responses_for(instrument)))
...     assert all(0 <= s.pomp <= 100 for s in report.scales if s.pomp is not None)
>>> test_pomp_in_range()
"""

from __future__ import annotations

from allykit.testing._catalogue import (
    answer_tables,
    frameworks,
    fuzzed_responses,
    instrument_value,
    instruments,
    responses_for,
)
from allykit.testing._data import item_columns, longitudinal_rows
from allykit.testing._results import (
    ally_maps,
    change_reports,
    histories_for,
    journeys,
    placements_for,
    profile_translations,
    profiles_for,
    reliability_reports,
    results,
    score_reports,
    waves_reports,
)
from allykit.testing._values import bad_values, citations, ids, json_values, texts

__all__ = [
    "ally_maps",
    "answer_tables",
    "bad_values",
    "change_reports",
    "citations",
    "frameworks",
    "fuzzed_responses",
    "histories_for",
    "journeys",
    "ids",
    "instrument_value",
    "instruments",
    "item_columns",
    "json_values",
    "longitudinal_rows",
    "placements_for",
    "profile_translations",
    "profiles_for",
    "reliability_reports",
    "responses_for",
    "results",
    "score_reports",
    "texts",
    "waves_reports",
]
