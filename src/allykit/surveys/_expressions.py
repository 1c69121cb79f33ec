"""allykit's scoring rules written as survey-platform expressions.

One builder, three syntaxes: SurveyJS expressions (``{q}``, ``iif``,
``notempty``, ``!=``), REDCap calculations (``[q]``, ``if``, ``<> ''``,
``<>``) and JavaScript for ReproSchema (``q``, ``? :``, ``!= null``,
``!==``). The expressions use only arithmetic, comparisons, ``and``/``or``,
the conditional function and ``max``; they never rely on how a platform's
``sum()``/``mean()`` treat blanks, nor on lazy evaluation of the branch not
taken. Each rule of ``docs/scoring.md`` is written out:

* an item counts when it is answered (not blank) and not an N/A code;
* reverse-keyed items score ``(min + max) - value`` with the declared bounds;
* the weighted mean is ``sum(weight * value) / sum(weight)`` over the items
  answered, added up in the scale's item order (the same floating-point
  operations as :func:`allykit.score`);
* the score is withheld (an empty value) with fewer than
  ``max(min_answered, ceil(min_answered_share * applicable))`` answers;
* sum, POMP and median follow from there.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import attrs

from allykit.errors import InvalidArgumentError

__all__ = [
    "JavaScriptSyntax",
    "Member",
    "REDCapSyntax",
    "ScaleKey",
    "SurveyJSSyntax",
    "number",
    "scale",
]

# allykit rounds ``min_answered_share * applicable`` up after taking off
# this much, so that 0.3 * 10 (2.9999999999999996... or 3.0000000000000004)
# needs 3 answers; the expressions compare against the same number.
_EPSILON = 1e-9


def number(value: float) -> str:
    """Return *value* as a plain decimal literal both platforms parse.

    No exponent (SurveyJS's grammar has none), a leading digit, and
    negative numbers in parentheses (``(-3)``).

    Raises:
        InvalidArgumentError: If *value* is not finite.
    """
    if not math.isfinite(value):
        msg = f"cannot write {value!r} in a survey expression"
        raise InvalidArgumentError(msg)
    if float(value).is_integer():
        text = str(int(value))
    else:
        # repr is the shortest text that reads back as the same float.
        text = format(Decimal(repr(float(value))), "f")
    return f"({text})" if text.startswith("-") else text


@attrs.frozen
class Member:
    """One item of a scale, as the expression sees it.

    Attributes:
        name: The question (SurveyJS) or field (REDCap) name.
        weight: The item's weight.
        reverse: Whether it is reverse-keyed.
        values: Its choice values.
        na_codes: The literals (already written) that mean "does not apply".
    """

    name: str
    weight: float
    reverse: bool
    values: tuple[float, ...]
    na_codes: tuple[str, ...]


@attrs.frozen
class ScaleKey:
    """What the expression of one scale needs from the instrument.

    Attributes:
        members: The scale's items, in the scale's order.
        low: The declared lowest value of the scale's items.
        high: The declared highest value.
        method: sum, mean, pomp or median.
        min_answered: Fewest answered items for a score.
        share: Fewest answered items, as a share of those that apply.
    """

    members: tuple[Member, ...]
    low: float
    high: float
    method: str
    min_answered: int
    share: float


class SurveyJSSyntax:
    """SurveyJS expression syntax (``{q} notempty``, ``iif``)."""

    empty = "''"

    def ref(self, name: str) -> str:
        """Return a reference to question *name*."""
        return "{" + name + "}"

    def present(self, ref: str) -> str:
        """Return the test that *ref* holds an answer."""
        return f"{ref} notempty"

    def differs(self, left: str, right: str) -> str:
        """Return the test that two values differ."""
        return f"{left} != {right}"

    def when(self, condition: str, then: str, otherwise: str) -> str:
        """Return the conditional expression."""
        return f"iif({condition}, {then}, {otherwise})"

    def equals(self, left: str, right: str) -> str:
        """Return the test that two values are equal."""
        return f"{left} = {right}"

    def all_of(self, tests: list[str]) -> str:
        """Return the test that every one of *tests* holds."""
        return " and ".join(tests)

    def any_of(self, tests: list[str]) -> str:
        """Return the test that one of *tests* holds."""
        return " or ".join(tests)

    def maximum(self, left: str, right: str) -> str:
        """Return the larger of two numbers."""
        return f"max({left}, {right})"


class REDCapSyntax(SurveyJSSyntax):
    """REDCap calculation syntax (``[q] <> ''``, ``if``)."""

    def ref(self, name: str) -> str:
        """Return a reference to field *name*."""
        return f"[{name}]"

    def present(self, ref: str) -> str:
        """Return the test that *ref* holds an answer."""
        return f"{ref} <> ''"

    def differs(self, left: str, right: str) -> str:
        """Return the test that two values differ."""
        return f"{left} <> {right}"

    def when(self, condition: str, then: str, otherwise: str) -> str:
        """Return the conditional expression."""
        return f"if({condition}, {then}, {otherwise})"


class JavaScriptSyntax(SurveyJSSyntax):
    """JavaScript (ReproSchema ``jsExpression``): ``x != null``, ``? :``, ``&&``.

    Item values are variables; an unanswered item is ``null``, ``undefined``
    or ``''``. A withheld score is ``null``.
    """

    empty = "null"

    def ref(self, name: str) -> str:
        """Return a reference to the variable *name*."""
        return name

    def present(self, ref: str) -> str:
        """Return the test that *ref* holds an answer."""
        return f"({ref} != null && {ref} !== '')"

    def differs(self, left: str, right: str) -> str:
        """Return the test that two values differ."""
        return f"{left} !== {right}"

    def when(self, condition: str, then: str, otherwise: str) -> str:
        """Return the conditional expression."""
        return f"({condition} ? {then} : {otherwise})"

    def equals(self, left: str, right: str) -> str:
        """Return the test that two values are equal."""
        return f"{left} === {right}"

    def all_of(self, tests: list[str]) -> str:
        """Return the test that every one of *tests* holds."""
        return " && ".join(tests)

    def any_of(self, tests: list[str]) -> str:
        """Return the test that one of *tests* holds."""
        return " || ".join(tests)

    def maximum(self, left: str, right: str) -> str:
        """Return the larger of two numbers."""
        return f"Math.max({left}, {right})"


def _total(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " + ".join(terms) + ")"


def _answered(syntax: SurveyJSSyntax, member: Member) -> str:
    ref = syntax.ref(member.name)
    tests = [syntax.present(ref)]
    tests.extend(syntax.differs(ref, code) for code in member.na_codes)
    return "(" + syntax.all_of(tests) + ")" if len(tests) > 1 else tests[0]


def _not_applicable(syntax: SurveyJSSyntax, member: Member) -> str:
    ref = syntax.ref(member.name)
    tests = [syntax.equals(ref, code) for code in member.na_codes]
    return "(" + syntax.any_of(tests) + ")" if len(tests) > 1 else tests[0]


def _keyed(syntax: SurveyJSSyntax, key: ScaleKey, member: Member) -> str:
    ref = syntax.ref(member.name)
    if member.reverse:
        # allykit computes min + max - value as (min + max) - value.
        return f"({number(key.low + key.high)} - {ref})"
    return ref


def scale(syntax: SurveyJSSyntax, key: ScaleKey) -> str:
    """Return the expression of one scale's headline score (empty when withheld)."""
    answered = [_answered(syntax, m) for m in key.members]
    count = _total([syntax.when(a, "1", "0") for a in answered])
    if key.method == "median":
        headline = _median(syntax, key, answered, count)
    else:
        weighted = [
            syntax.when(
                a,
                k if m.weight == 1 else f"{number(m.weight)} * {k}",
                "0",
            )
            for a, m, k in zip(
                answered,
                key.members,
                [_keyed(syntax, key, m) for m in key.members],
                strict=True,
            )
        ]
        if all(m.weight == 1 for m in key.members):
            weights = count
        else:
            weights = _total(
                [
                    syntax.when(a, number(m.weight), "0")
                    for a, m in zip(answered, key.members, strict=True)
                ]
            )
        # max(): never divide by zero, even where both branches are evaluated;
        # with an answer the sum of weights is at least the smallest weight.
        lightest = number(min(m.weight for m in key.members))
        mean = f"{_total(weighted)} / {syntax.maximum(weights, lightest)}"
        headline = _headline(key, mean)
    return syntax.when(_enough(syntax, key, count), headline, syntax.empty)


def _headline(key: ScaleKey, mean: str) -> str:
    if key.method == "sum":
        total = math.fsum(m.weight for m in key.members)
        return f"{mean} * {number(total)}"
    if key.method == "pomp":
        # As allykit: (mean - min), divided by (max - min), times 100.
        shifted = mean if key.low == 0 else f"({mean} - {number(key.low)})"
        return f"{shifted} / {number(key.high - key.low)} * 100"
    return mean


def _enough(syntax: SurveyJSSyntax, key: ScaleKey, count: str) -> str:
    """Return the test for enough answers: ``max(m, ceil(share * applicable))``."""
    n_items = len(key.members)
    all_apply = max(key.min_answered, math.ceil(key.share * n_items - _EPSILON), 1)
    if all_apply <= key.min_answered:
        # The share never asks for more than min_answered, N/A or not.
        return f"{count} >= {key.min_answered}"
    flagged = [m for m in key.members if m.na_codes]
    if not flagged:
        return f"{count} >= {all_apply}"
    not_applicable = _total(
        [syntax.when(_not_applicable(syntax, m), "1", "0") for m in flagged]
    )
    # answered >= ceil(x) is answered >= x for a whole number of answers.
    applicable = f"({n_items} - {not_applicable})"
    share = f"{number(key.share)} * {applicable} - {number(_EPSILON)}"
    enough = [f"{count} >= {key.min_answered}", f"{count} >= {share}"]
    return f"({syntax.all_of(enough)})"


def _median(
    syntax: SurveyJSSyntax, key: ScaleKey, answered: list[str], count: str
) -> str:
    """Return the median of the keyed answers, without sorting.

    With ``C(t)`` answers at or below ``t`` and ``N`` answers, the k-th
    smallest answer passes threshold ``t`` when ``C(t) < k``. Summed over
    the gaps between the possible values ``t1 < t2 < ...``, the mean of the
    two middle answers (ranks ``floor((N+1)/2)`` and ``floor(N/2)+1``) is
    ``t1 + sum(gap * ([2C < N] + [2C <= N]) / 2)``.
    """
    possible: set[float] = set()
    for member in key.members:
        if member.reverse:
            possible.update(key.low + key.high - v for v in member.values)
        else:
            possible.update(member.values)
    points = sorted(possible)
    terms = [number(points[0])]
    for below, above in itertools.pairwise(points):
        # Count against the midpoint, half a gap from any possible answer,
        # so that rounding (SurveyJS corrects 0.1 + 0.2 to 0.3) cannot tip
        # a comparison.
        middle = number((below + above) / 2)
        at_or_below = _total(
            [
                syntax.when(
                    f"({syntax.all_of([a, f'{_keyed(syntax, key, m)} <= {middle}'])})",
                    "1",
                    "0",
                )
                for a, m in zip(answered, key.members, strict=True)
            ]
        )
        twice = f"2 * {at_or_below}"
        passed = (
            f"({syntax.when(f'{twice} < {count}', '1', '0')} + "
            f"{syntax.when(f'{twice} <= {count}', '1', '0')})"
        )
        terms.append(f"{number(above - below)} * {passed} / 2")
    return _total(terms)
