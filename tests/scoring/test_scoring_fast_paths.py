"""The scoring fast paths build exactly what the plain, validated paths build.

``score()`` fills its result objects through a private positional
constructor, and scores fully answered scales without the checks that
missing and N/A answers need. These tests pin both to the public
constructors and the general loop: same fields, equality, hash, repr.
"""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit.scoring import _score as scoring
from allykit.scoring._plan import plan_for, resolve
from allykit.scoring._score import PointCount, ScaleScore, ScoreReport, StageProfile
from allykit.testing import instruments, responses_for

_RESULT_CLASSES = (PointCount, ScaleScore, StageProfile, ScoreReport)


def _objects(report: ScoreReport) -> list[Any]:
    found: list[Any] = [report, *report.scales, *report.profile]
    for entry in report.scales:
        found.extend(entry.distribution)
    return found


def _assert_public_twin(obj: Any) -> None:
    """*obj* equals, hashes and prints like the public constructor's twin."""
    cls = type(obj)
    twin = cls(**attrs.asdict(obj, recurse=False))
    assert obj == twin
    assert hash(obj) == hash(twin)
    assert repr(obj) == repr(twin)
    assert attrs.asdict(obj) == attrs.asdict(twin)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        obj.__setattr__(attrs.fields(cls)[0].name, None)
    assert pickle.loads(pickle.dumps(obj)) == obj  # noqa: S301 -- our own data


class TestPositionalConstructor:
    def test_fields_in_order(self) -> None:
        """Positional arguments land in the slots of the same names."""
        for cls in _RESULT_CLASSES:
            names = [field.name for field in attrs.fields(cls)]
            made = scoring._positional(cls)(*names)
            assert type(made) is cls
            assert [getattr(made, name) for name in names] == names

    def test_bundled_reports(self) -> None:
        """Reports of the bundled instruments match their public twins."""
        for instrument_id in ("ally-model-reflection", "ally-identity-measure"):
            instrument = allykit.load_instrument(instrument_id)
            if instrument.is_metadata_only:
                continue
            for answers in ({}, {item.id: 3 for item in instrument.items}):
                report = allykit.score(instrument, answers)
                for obj in _objects(report):
                    _assert_public_twin(obj)
                assert ScoreReport.from_json(report.to_json()) == report

    @given(data=st.data())
    def test_generated_reports(self, data: st.DataObject) -> None:
        """Reports of generated instruments and answers match their twins."""
        instrument = data.draw(instruments())
        answers = data.draw(responses_for(instrument))
        report = allykit.score(instrument, answers)
        for obj in _objects(report):
            _assert_public_twin(obj)


class TestCompleteFastPath:
    @given(data=st.data())
    def test_same_as_general_loop(self, data: st.DataObject) -> None:
        """With every item answered, the fast loop adds up exactly the same."""
        instrument = data.draw(instruments())
        answers = {}
        for item in instrument.items:
            options = item.response_scale or instrument.response_scale
            assert options is not None
            answers[item.id] = data.draw(
                st.sampled_from([c.value for c in options.choices])
            )
        plan = plan_for(instrument)
        values, _ = resolve(plan, answers, raise_on_problems=True)
        for sp in plan.scales:
            fast = scoring._score_scale(sp, values, True)  # noqa: FBT003
            general = scoring._score_scale(sp, values, False)  # noqa: FBT003
            assert fast == general
            assert repr(fast) == repr(general)
