"""The scoring fast path adds up exactly what the general loop adds up.

``score()`` scores fully answered scales without the checks that missing
and N/A answers need; these tests pin that path to the general loop.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from allykit.scoring import _score as scoring
from allykit.scoring._plan import plan_for, resolve
from allykit.testing import instruments


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
