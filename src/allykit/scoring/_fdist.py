"""Feldt's interval for alpha and the F distribution it needs, in pure Python."""

from __future__ import annotations

import math

__all__ = ["f_quantile", "feldt_interval"]


def feldt_interval(
    alpha: float, n: int, k: int, level: float = 0.95
) -> tuple[float, float]:
    """Return Feldt's interval for alpha from *n* rows and *k* items."""
    df1 = n - 1
    df2 = (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * f_quantile(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * f_quantile(tail, df1, df2)
    return low, high


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Evaluate the continued fraction of the incomplete beta (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:  # noqa: PLR2004 -- double precision
            break
    return h


def _regularised_beta(a: float, b: float, x: float) -> float:
    """Return the regularised incomplete beta function ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def f_quantile(p: float, df1: float, df2: float) -> float:
    """Return the *p* quantile of the F distribution with *df1* and *df2* df.

    Inverts ``I_y(df1/2, df2/2)`` by bisection on ``y`` in (0, 1), then maps
    ``y`` to ``x = df2*y / (df1*(1-y))``; accurate to about 1e-12.

    >>> round(f_quantile(0.975, 10, 90), 4)
    2.1942
    """
    a, b = df1 / 2.0, df2 / 2.0
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _regularised_beta(a, b, middle) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-16:  # noqa: PLR2004 -- double precision
            break
    y = (low + high) / 2.0
    return df2 * y / (df1 * (1.0 - y))
