"""Diagnostics of a scale's reliability, as R psych's ``alpha()`` warns.

Pure Python. :func:`diagnose` returns two lists of plain sentences: every
note for the report (including why a figure is None), and the subset that
deserves a :class:`~allykit.errors.ReliabilityWarning`:

* an item with no variance among the rows used, with alpha without it
  (psych: "Item = ... had no variance and was deleted");
* items that load negatively on the first principal component of the
  pairwise correlations, as psych's ``alpha()`` finds them (its
  ``check.keys`` logic: ``principal(x)$loadings < 0``), each with its
  loading and its corrected item-total correlation (r.drop) beside it;
  an item with a negative r.drop but a positive loading gets a note only;
* a negative alpha;
* an inter-item correlation matrix that is not positive definite
  (a Cholesky pivot at or below ``1e-12``);
* fewer than two complete rows (listwise) or rows with answers (pairwise),
  so no alpha and no interval (zero complete rows while some rows answered
  some items is said as such, with a warning; "no answers" is kept for a
  scale nobody answered).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence

__all__ = ["diagnose", "key_hint"]

_PIVOT = 1e-12
#: The largest scale (in items) whose reverse-key check finds the first
#: principal component (an eigen decomposition, about k**3 steps); a larger
#: scale's check rests on r.drop alone, and its notes say so, so that
#: reliability stays about k**2 in items (the covariances).
COMPONENT_MAX_ITEMS = 60


def _positive_definite(matrix: list[list[float]]) -> bool:
    """Tell whether a symmetric matrix is positive definite (Cholesky)."""
    k = len(matrix)
    lower = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            total = math.fsum(lower[i][m] * lower[j][m] for m in range(j))
            if i == j:
                pivot = matrix[i][i] - total
                if pivot <= _PIVOT:
                    return False
                lower[i][j] = math.sqrt(pivot)
            else:
                lower[i][j] = (matrix[i][j] - total) / lower[j][j]
    return True


def diagnose(  # noqa: PLR0913 -- the figures the notes speak of
    item_ids: Sequence[str],
    columns: Sequence[Sequence[float | None]],
    cov: Sequence[Sequence[float | None]],
    *,
    alpha: float | None,
    std_alpha: float | None,
    n_used: int,
    ci_defined: bool,
    r_drops: Sequence[float | None],
    pairwise: bool,
    alpha_of: Callable[[list[list[float]]], float | None],
    answered: bool | None = None,
    reversed_items: Collection[str] = (),
) -> tuple[list[str], list[str]]:
    """Return ``(notes, warnings)`` for one scale; warnings are among notes.

    *reversed_items* names the items the instrument already reverse-keys:
    for them a negative loading does not mean a missing key, and the note
    says to check the key and the wording instead.

    *answered* tells whether any row answered any item of the scale before
    rows were dropped (listwise); None means "look at *columns*".

    Every r.drop is negative here, yet only ``c`` is keyed the wrong way
    round; the first principal component finds it, as psych does:

    >>> columns = [[1.0, 2, 3, 4, 5], [2.0, 1, 3, 5, 4], [5.0, 4, 3, 1, 2]]
    >>> cov = [[2.5, 2.0, -2.25], [2.0, 2.5, -2.25], [-2.25, -2.25, 2.5]]
    >>> notes, warnings = diagnose(
    ...     ["a", "b", "c"], columns, cov,
    ...     alpha=-3.0, std_alpha=-3.0, n_used=5, ci_defined=True,
    ...     r_drops=[-0.2236, -0.2236, -0.9487], pairwise=False,
    ...     alpha_of=lambda c: None)
    >>> warnings[0]
    'item c loads negatively on the first principal component (loading -0.98; r.drop -0.95): a reverse key may be missing'
    >>> warnings[1]
    'alpha is negative (-3.000): as keyed, the items do not vary together'
    """  # noqa: E501
    notes: list[str] = []
    warnings: list[str] = []
    k = len(item_ids)
    rows = "rows with an answer" if pairwise else "complete rows"
    defined = all(value is not None for row in cov for value in row)
    full: list[list[float]] = [[v or 0.0 for v in row] for row in cov]
    flat = [i for i in range(k) if cov[i][i] is not None and not full[i][i] > 0]
    if answered is None:
        answered = any(v is not None for column in columns for v in column)
    _data(item_ids, cov, n_used if answered else -1, rows, notes, warnings)
    if defined and flat:
        without = (
            alpha_of([[full[a][b] for b in keep] for a in keep])
            if (keep := [i for i in range(k) if i not in flat])
            else None
        )
        _flat(item_ids, columns, without, flat, notes, warnings)
    _signs(item_ids, columns, r_drops, alpha, notes, warnings, reversed_items)
    if defined and k >= 2 and not flat:  # noqa: PLR2004 -- two items
        _matrix(full, std_alpha, alpha, notes, warnings)
    if alpha is not None and not ci_defined:
        notes.append(f"interval: undefined, fewer than 2 {rows}")
    for i, name in enumerate(item_ids):
        count = sum(1 for v in columns[i] if v is not None)
        if count == 0:
            notes.append(f"item {name}: no answers among the rows used")
        elif count == 1:
            notes.append(f"item {name}: one answer, so no standard deviation")
    return notes, warnings


def _data(  # noqa: PLR0913, PLR0917 -- appends to the two lists
    item_ids: Sequence[str],
    cov: Sequence[Sequence[float | None]],
    n_used: int,
    rows: str,
    notes: list[str],
    warnings: list[str],
) -> None:
    k = len(item_ids)
    if k < 2:  # noqa: PLR2004 -- alpha needs two items
        notes.append("alpha: undefined for a scale of one item")
        return
    if n_used < 0:  # no answers to the scale at all: say so, no warning
        notes.append("alpha and its interval: undefined, no answers to this scale")
        return
    if n_used == 0 and rows == "complete rows":
        sentence = (
            "no complete rows: every row that answered this scale left some of "
            "its items unanswered, so no alpha and no interval listwise "
            "(missing='pairwise' uses every answer)"
        )
        notes.append(sentence)
        warnings.append(sentence)
        return
    if n_used < 2:  # noqa: PLR2004
        sentence = f"too few {rows} for alpha and its interval: {n_used} (needs 2)"
        notes.append(sentence)
        warnings.append(sentence)
        return
    pairs = [
        f"{item_ids[i]} and {item_ids[j]}"
        for i in range(k)
        for j in range(i, k)
        if cov[i][j] is None
    ]
    if pairs:
        notes.append(
            "alpha: undefined, fewer than 2 rows answer both of "
            + "; ".join(pairs[:3])
            + (" and more" if len(pairs) > 3 else "")  # noqa: PLR2004
        )


def _flat(  # noqa: PLR0913, PLR0917 -- appends to the two lists
    item_ids: Sequence[str],
    columns: Sequence[Sequence[float | None]],
    without: float | None,
    flat: list[int],
    notes: list[str],
    warnings: list[str],
) -> None:
    shown = "undefined" if without is None else f"{without:.3f}"
    # "them" would have no antecedent in a sentence about one item.
    rest = "it" if len(flat) == 1 else f"the {len(flat)} items with no variance"
    for i in flat:
        answers = {v for v in columns[i] if v is not None}
        value = f"every answer is {min(answers):g}" if answers else "no answers"
        sentence = (
            f"item {item_ids[i]} has no variance ({value}); "
            f"alpha without {rest} is {shown}"
        )
        notes.append(sentence)
        warnings.append(sentence)
    notes.append(
        "standardised alpha, mean inter-item r and the item-rest r of "
        "items without variance: undefined, an item has no variance"
    )


def _signs(  # noqa: PLR0913, PLR0917 -- appends to the two lists
    item_ids: Sequence[str],
    columns: Sequence[Sequence[float | None]],
    r_drops: Sequence[float | None],
    alpha: float | None,
    notes: list[str],
    warnings: list[str],
    reversed_items: Collection[str] = (),
) -> None:
    from allykit.scoring._components import first_component, pairwise_correlations

    k = len(item_ids)
    if k > COMPONENT_MAX_ITEMS:
        _signs_by_r_drop(item_ids, r_drops, notes, warnings, reversed_items)
        return
    correlation = pairwise_correlations(columns) if k >= 2 else None  # noqa: PLR2004
    loadings = first_component(correlation) if correlation is not None else None
    flagged = [] if loadings is None else [i for i, x in enumerate(loadings) if x < 0]
    if flagged and loadings is not None:
        many = len(flagged) > 1
        sentence = (
            ("items " if many else "item ")
            + ", ".join(item_ids[i] for i in flagged)
            + (" load" if many else " loads")
            + " negatively on the first principal component ("
            + "; ".join(
                f"{'' if not many else item_ids[i] + ' '}loading {loadings[i]:.2f}; "
                f"r.drop {_figure(r_drops[i])}"
                for i in flagged
            )
            + "): "
            + key_hint([item_ids[i] for i in flagged], reversed_items)
        )
        notes.append(sentence)
        warnings.append(sentence)
    quiet = [
        i for i, r in enumerate(r_drops) if r is not None and r < 0 and i not in flagged
    ]
    if quiet:
        many = len(quiet) > 1
        notes.append(
            ("items " if many else "item ")
            + ", ".join(f"{item_ids[i]} (r.drop {_figure(r_drops[i])})" for i in quiet)
            + (" correlate" if many else " correlates")
            + " negatively with the rest of the scale but "
            + ("load" if many else "loads")
            + " positively on the first principal component"
        )
    if alpha is not None and alpha < 0:
        sentence = (
            f"alpha is negative ({alpha:.3f}): as keyed, the items do not vary together"
        )
        notes.append(sentence)
        warnings.append(sentence)


def _signs_by_r_drop(
    item_ids: Sequence[str],
    r_drops: Sequence[float | None],
    notes: list[str],
    warnings: list[str],
    reversed_items: Collection[str] = (),
) -> None:
    """The reverse-key hint of a scale too large for the component check."""
    flagged = [i for i, r in enumerate(r_drops) if r is not None and r < 0]
    if not flagged:
        return
    many = len(flagged) > 1
    sentence = (
        ("items " if many else "item ")
        + ", ".join(f"{item_ids[i]} (r.drop {_figure(r_drops[i])})" for i in flagged)
        + (" correlate" if many else " correlates")
        + " negatively with the rest of the scale: "
        + key_hint([item_ids[i] for i in flagged], reversed_items)
        + f" (the first-component check runs on scales of at most "
        f"{COMPONENT_MAX_ITEMS} items; this one has {len(item_ids)})"
    )
    notes.append(sentence)
    warnings.append(sentence)


def key_hint(flagged: Sequence[str], reversed_items: Collection[str]) -> str:
    """What a negative loading or r.drop suggests, true to each item's key.

    An item the instrument does not reverse may be missing a reverse key;
    one it already reverses is keyed, so its key or its wording needs a
    second look (respondents may read it the other way round).

    >>> key_hint(["a"], ())
    'a reverse key may be missing'
    >>> key_hint(["a"], ("a",))
    'it is already reverse-keyed, so check its key and its wording'
    >>> key_hint(["a", "b"], ("a", "b"))
    'they are already reverse-keyed, so check their keys and their wording'
    >>> key_hint(["a", "b", "c"], ("c",))
    'a reverse key may be missing for a and b; c is already reverse-keyed, so check its key and its wording'
    """  # noqa: E501
    keyed = [item for item in flagged if item in reversed_items]
    plain = [item for item in flagged if item not in reversed_items]
    if not keyed:
        return "a reverse key may be missing"
    if not plain:
        if len(keyed) == 1:
            return "it is already reverse-keyed, so check its key and its wording"
        return "they are already reverse-keyed, so check their keys and their wording"
    many = len(keyed) > 1
    return (
        f"a reverse key may be missing for {_and(plain)}; {_and(keyed)} "
        + ("are" if many else "is")
        + " already reverse-keyed, so check "
        + ("their keys and their wording" if many else "its key and its wording")
    )


def _and(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def _matrix(
    full: list[list[float]],
    std_alpha: float | None,
    alpha: float | None,
    notes: list[str],
    warnings: list[str],
) -> None:
    k = len(full)
    scale = [math.sqrt(full[i][i]) for i in range(k)]
    correlation = [
        [full[i][j] / (scale[i] * scale[j]) for j in range(k)] for i in range(k)
    ]
    if not _positive_definite(correlation):
        sentence = (
            "the inter-item correlation matrix is not positive definite "
            "(an item is a linear function of others, or pairwise "
            "correlations do not fit together)"
        )
        notes.append(sentence)
        warnings.append(sentence)
    if alpha is None:
        notes.append("alpha: undefined, the total score has no variance")
    if std_alpha is None:
        notes.append("standardised alpha: undefined, the items cancel out exactly")
