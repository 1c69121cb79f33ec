"""One reading of a number a caller passes: any real number, never a bool.

Profiles, reliabilities and other figures come from NumPy, pandas,
``fractions`` or plain Python; each public function that takes one checks
it against its own range with :func:`real_number`, so that a value no float
can hold is out of range rather than an ``OverflowError``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["real_number"]


def real_number(value: object) -> float:
    """Return *value* as a float: NaN if it is not a real number (or is a bool).

    Any :class:`numbers.Real` counts (NumPy's ints and floats, ``Fraction``);
    an int too large for a float is infinite, with its sign, so that every
    range check refuses it.

    >>> from fractions import Fraction
    >>> real_number(Fraction(1, 4)), real_number(True), real_number("3")
    (0.25, nan, nan)
    >>> real_number(-(10**400))
    -inf
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return math.nan
    try:
        return float(value)
    except OverflowError:  # a whole number (or Fraction) too large for a float
        huge: Any = value  # numbers.Real declares no ordering with int
        return math.inf if huge > 0 else -math.inf
