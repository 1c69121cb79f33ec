"""Cronbach's alpha, item statistics and omega of one scale, in pure Python.

The figures of one scale from its (reverse-keyed) answer columns; the
conventions are R psych's and are listed in :mod:`allykit.scoring._reliability`.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import attrs

from allykit.scoring._fdist import feldt_interval
from allykit.scoring._reliability_report import ItemReliability, ScaleReliability

__all__ = ["cronbach_alpha", "scale_reliability"]


def _covariance(columns: list[list[float | None]]) -> list[list[float | None]]:
    """Return the covariance matrix (``n - 1``); None where under 2 rows pair up."""
    k = len(columns)
    matrix: list[list[float | None]] = [[None] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            pairs = [
                (x, y)
                for x, y in zip(columns[i], columns[j], strict=True)
                if x is not None and y is not None
            ]
            n = len(pairs)
            if n < 2:  # noqa: PLR2004 -- a covariance needs two rows
                continue
            mean_x = math.fsum(x for x, _ in pairs) / n
            mean_y = math.fsum(y for _, y in pairs) / n
            value = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs) / (n - 1)
            matrix[i][j] = matrix[j][i] = value
    return matrix


_RELATIVE_TOLERANCE = 1e-9


def cronbach_alpha(cov: list[list[float]]) -> float | None:
    """Return raw alpha ``k/(k-1) * (1 - trace/sum)`` of a covariance matrix.

    None when there are fewer than two items or the total variance is not
    positive.

    >>> cronbach_alpha([[1.0, 0.5], [0.5, 1.0]])
    0.666...
    """
    k = len(cov)
    if k < 2:  # noqa: PLR2004 -- alpha needs two items
        return None
    total = math.fsum(math.fsum(row) for row in cov)
    trace = math.fsum(cov[i][i] for i in range(k))
    return _alpha(k, total, trace)


def _alpha(k: int, total: float, trace: float) -> float | None:
    """Return raw alpha of *k* items from the sum and trace of their covariances."""
    if k < 2:  # noqa: PLR2004 -- alpha needs two items
        return None
    # A total variance that is zero up to rounding (items that cancel out
    # exactly) would give a meaningless alpha of about -1e16.
    if not total > _RELATIVE_TOLERANCE * max(abs(trace), 1.0):
        return None
    return k / (k - 1) * (1 - trace / total)


def scale_reliability(  # noqa: PLR0913 -- the scale, its columns and options
    scale_id: str,
    item_ids: list[str],
    columns: list[list[float | None]],
    *,
    pairwise: bool,
    omega: bool = False,
    reversed_items: Collection[str] = (),
) -> ScaleReliability:
    k = len(columns)
    n_rows = len(columns[0]) if columns else 0
    complete = [
        r for r in range(n_rows) if all(column[r] is not None for column in columns)
    ]
    if pairwise:
        used_columns = columns
        n_used = sum(
            1 for r in range(n_rows) if any(column[r] is not None for column in columns)
        )
    else:
        used_columns = [[column[r] for r in complete] for column in columns]
        n_used = len(complete)
    raw = _covariance(used_columns)
    defined = all(value is not None for row in raw for value in row)
    cov: list[list[float]] = [[v or 0.0 for v in row] for row in raw]
    alpha = std_alpha = average_r = ci_low = ci_high = None
    if defined and k >= 2:  # noqa: PLR2004 -- alpha needs two items
        alpha = cronbach_alpha(cov)
        variances = [cov[i][i] for i in range(k)]
        if all(v > 0 for v in variances):
            correlations = [
                cov[i][j] / math.sqrt(variances[i] * variances[j])
                for i in range(k)
                for j in range(k)
                if i != j
            ]
            average_r = math.fsum(correlations) / len(correlations)
            denominator = 1 + (k - 1) * average_r
            # Undefined when the items cancel out exactly (r = -1/(k-1)).
            std_alpha = k * average_r / denominator if denominator else None
        if alpha is not None and n_used >= 2:  # noqa: PLR2004
            ci_low, ci_high = feldt_interval(alpha, n_used, k)
    # Item-deleted statistics come from the row sums, total and trace, so
    # the whole report costs O(k^2 n) for k items and n rows (the
    # covariances themselves), not O(k^3).
    row_sums = [math.fsum(row) for row in cov]
    total = math.fsum(row_sums)
    trace = math.fsum(cov[i][i] for i in range(k))
    items = []
    for i, item_id in enumerate(item_ids):
        answered = [v for v in used_columns[i] if v is not None]
        n = len(answered)
        mean = math.fsum(answered) / n if n else None
        sd = None
        if n >= 2 and mean is not None:  # noqa: PLR2004
            sd = math.sqrt(math.fsum((v - mean) ** 2 for v in answered) / (n - 1))
        alpha_drop = r_drop = None
        if defined and k >= 2:  # noqa: PLR2004
            # Without item i: its row and column leave the sum once each
            # (its variance, counted in both, comes back once).
            rest_var = math.fsum((total, -2 * row_sums[i], cov[i][i]))
            alpha_drop = _alpha(k - 1, rest_var, trace - cov[i][i])
            if cov[i][i] > 0 and rest_var > 0:
                r_drop = (row_sums[i] - cov[i][i]) / math.sqrt(cov[i][i] * rest_var)
        items.append(
            ItemReliability(
                item=item_id,
                n=n,
                mean=mean,
                sd=sd,
                alpha_if_deleted=alpha_drop,
                r_drop=r_drop,
            )
        )
    notes, omega_total, items = _notes_and_omega(
        scale_id,
        item_ids,
        used_columns,
        raw,
        items,
        alpha=(alpha, std_alpha),
        n_used=n_used,
        ci_defined=ci_low is not None,
        pairwise=pairwise,
        omega=omega,
        answered=any(v is not None for column in columns for v in column),
        reversed_items=reversed_items,
    )
    return ScaleReliability(
        scale=scale_id,
        n_items=k,
        n_complete=len(complete),
        n_used=n_used,
        alpha=alpha,
        std_alpha=std_alpha,
        average_r=average_r,
        ci_low=ci_low,
        ci_high=ci_high,
        items=tuple(items),
        omega_total=omega_total,
        notes=tuple(notes),
    )


def _notes_and_omega(  # noqa: PLR0913 -- the figures the notes speak of
    scale_id: str,
    item_ids: list[str],
    used_columns: list[list[float | None]],
    raw: list[list[float | None]],
    items: list[ItemReliability],
    *,
    alpha: tuple[float | None, float | None],
    n_used: int,
    ci_defined: bool,
    pairwise: bool,
    omega: bool,
    answered: bool | None = None,
    reversed_items: Collection[str] = (),
) -> tuple[list[str], float | None, list[ItemReliability]]:
    """Diagnose a scale (warning as psych would), then add omega if asked."""
    from allykit.scoring._diagnostics import diagnose

    notes, warn_now = diagnose(
        item_ids,
        used_columns,
        raw,
        alpha=alpha[0],
        std_alpha=alpha[1],
        n_used=n_used,
        ci_defined=ci_defined,
        r_drops=[item.r_drop for item in items],
        pairwise=pairwise,
        alpha_of=cronbach_alpha,
        answered=answered,
        reversed_items=reversed_items,
    )
    omega_total = None
    if omega:
        defined = all(value is not None for row in raw for value in row)
        cov = [[v or 0.0 for v in row] for row in raw]
        omega_total, items, more = _with_omega(
            cov, used_columns, items, defined=defined, reversed_items=reversed_items
        )
        notes += more
    if warn_now:
        from allykit.errors import ReliabilityWarning, warn

        warn(f"scale {scale_id!r}: " + "; ".join(warn_now), ReliabilityWarning)
    return notes, omega_total, items


def _pair_correlation(x: list[float | None], y: list[float | None]) -> float:
    pairs = [
        (a, b) for a, b in zip(x, y, strict=True) if a is not None and b is not None
    ]
    n = len(pairs)
    mean_x = math.fsum(a for a, _ in pairs) / n
    mean_y = math.fsum(b for _, b in pairs) / n
    sxy = math.fsum((a - mean_x) * (b - mean_y) for a, b in pairs)
    sxx = math.fsum((a - mean_x) ** 2 for a, _ in pairs)
    syy = math.fsum((b - mean_y) ** 2 for _, b in pairs)
    if not (sxx > 0 and syy > 0):
        return math.nan
    return sxy / math.sqrt(sxx * syy)


def _with_omega(
    cov: list[list[float]],
    columns: list[list[float | None]],
    items: list[ItemReliability],
    *,
    defined: bool,
    reversed_items: Collection[str] = (),
) -> tuple[float | None, list[ItemReliability], list[str]]:
    """Add omega total and loadings (lazy NumPy/SciPy), or say why not."""
    k = len(cov)
    if k < 2:  # noqa: PLR2004 -- a factor needs two items
        return None, items, ["omega: undefined for a scale of one item"]
    if not defined:
        # In words, as the other notes say it ("fewer than 2 rows answer both").
        note = "omega: undefined, some pairs of items share fewer than 2 rows"
        return None, items, [note]
    variances = [cov[i][i] for i in range(k)]
    if not all(v > 0 for v in variances):
        return None, items, ["omega: undefined, an item has no variance"]
    # Each correlation from the rows answering both items, as R's
    # cor(use = "pairwise") behind psych's omega (the same as cov-based
    # correlations for complete rows).
    correlation = [[1.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1, k):
            correlation[i][j] = correlation[j][i] = _pair_correlation(
                columns[i], columns[j]
            )
    from allykit.scoring._omega import one_factor_omega  # lazy: NumPy, SciPy

    if any(math.isnan(r) for row in correlation for r in row):
        return None, items, ["omega: undefined, an item has no variance in a pair"]
    omega_total, loadings = one_factor_omega(correlation)
    notes = []
    negative = [item.item for item, x in zip(items, loadings, strict=True) if x < 0]
    if negative:
        from allykit.scoring._diagnostics import key_hint

        notes.append(
            "omega: negative loadings for " + ", ".join(negative) + " (flipped, "
            f"as psych does; {key_hint(negative, reversed_items)})"
        )
    return (
        omega_total,
        [
            attrs.evolve(item, loading=x)
            for item, x in zip(items, loadings, strict=True)
        ],
        notes,
    )
