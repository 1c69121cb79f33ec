"""The report's plots, drawn by Matplotlib as inline SVG (extra ``report``).

Each function returns one ``<figure>``: an SVG with ``role="img"`` and a
text alternative (``aria-label``), and a visible caption saying what the
plot shows and from how many people. Colours are a colour-blind-safe
diverging palette with dark text; nothing is conveyed by colour alone
(every plot has its numbers in a table beside it).
"""

from __future__ import annotations

import html
import io
import math
import textwrap
from collections.abc import Sequence
from typing import Any

from allykit.errors import InvalidArgumentError
from allykit.scoring._words import counted

__all__ = [
    "change_figure",
    "distribution_figure",
    "likert_figure",
    "reliability_figure",
    "trajectory_figure",
]

_BLUE = "#1f5f99"
_ORANGE = "#a6611a"
_GREY = "#595959"
# Brown to teal (ColorBrewer BrBG), neutral in the middle.
_DIVERGING = ("#8c510a", "#d8b365", "#f0f0f0", "#5ab4ac", "#01665e")


def _figure_class() -> Any:
    try:  # lazy: the optional extra "report"
        from matplotlib.figure import Figure
    except ImportError:
        msg = "the report needs Matplotlib: pip install 'allykit-frameworks[report]'"
        raise InvalidArgumentError(msg) from None
    return Figure


def plain_text() -> Any:
    r"""Return a context in which every text handed to Matplotlib is plain.

    Scale names and labels are data: ``"$5 and $10"`` or a ``"$\foo$"`` must
    not be read as mathtext (which renders in italics or fails). The setting
    is Matplotlib's own ``text.parse_math``, for this block only.
    """
    import matplotlib as mpl

    return mpl.rc_context({"text.parse_math": False, "text.usetex": False})


def _legend(axes: Any, **options: Any) -> None:
    """Draw the legend of *axes* when something in it has a label."""
    handles, _ = axes.get_legend_handles_labels()
    if handles:
        axes.legend(**options)


def _svg(figure: Any, description: str, caption: str | None = None) -> str:
    """Return ``<figure>`` with the SVG, its text alternative and caption."""
    from matplotlib import rc_context

    figure.tight_layout()
    buffer = io.StringIO()
    # The description as the salt of the SVG's internal ids: the same data
    # give the same file, and two plots on one page never share an id.
    with rc_context({"svg.hashsalt": description}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    start, end = svg.find("<metadata>"), svg.find("</metadata>")
    if start != -1 and end != -1:  # RDF that only names vocabularies
        svg = svg[:start] + svg[end + len("</metadata>") :]
    svg = _own_ids(svg, description)
    label = html.escape(description)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    return (
        f"<figure>{svg}<figcaption>{html.escape(caption or description)}"
        "</figcaption></figure>"
    )


def _own_ids(svg: str, description: str) -> str:
    """Prefix the SVG's ids (``figure_1``, ``patch_2``...) per plot.

    Matplotlib numbers them from 1 in every file, so several plots inline in
    one page would repeat them; HTML ids must be unique.
    """
    import hashlib
    import re

    prefix = "f" + hashlib.sha256(description.encode("utf-8")).hexdigest()[:8]
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)


def _whole_counts(axes: Any, axis: str = "y") -> None:
    from matplotlib.ticker import MaxNLocator

    locator = MaxNLocator(integer=True)
    (axes.yaxis if axis == "y" else axes.xaxis).set_major_locator(locator)


def distribution_figure(  # noqa: PLR0913 -- what the plot shows
    values: Sequence[float],
    *,
    name: str,
    low: float,
    high: float,
    step: float,
    n_rows: int,
) -> str:
    """Histogram of scale scores on the scale's own range, whole-number counts.

    One bar per attainable score (*step* apart), so means of a few items
    show no gaps from binning.
    """
    figure = _figure_class()(figsize=(6, 2.6))
    axes = figure.add_subplot()
    bins = max(1, round((high - low) / step))
    while bins > 40:  # noqa: PLR2004 -- readable bars
        step *= 2
        bins = max(1, round((high - low) / step))
    edges = [low - step / 2 + i * step for i in range(bins + 2)]
    if values:
        axes.hist(values, bins=edges, color=_BLUE, edgecolor="#ffffff")
    axes.set_xlim(low - step, high + step)
    axes.set_xlabel(f"{name} score (scale range {low:g} to {high:g})")
    axes.set_ylabel("number of rows")
    _whole_counts(axes)
    shown = [float(v) for v in values]
    text = _histogram_text(name, shown, n_rows, low, high)
    return _svg(figure, text)


def _histogram_text(
    name: str, shown: Sequence[float], n_rows: int, low: float, high: float
) -> str:
    """The figure's description: true for every count of scored rows.

    >>> print(_histogram_text("Action", [2.0, 4.5], 2, 1, 5))  # doctest: +ELLIPSIS
    Histogram of Action scores of both rows, ...; mean 3.25, lowest 2, highest 4.5.
    >>> print(_histogram_text("Action", [3.0], 3, 1, 5))  # doctest: +ELLIPSIS
    Histogram ... of 1 of the 3 rows (2 rows had too few answers to score), ...
    >>> print(_histogram_text("Action", [], 1, 1, 5))  # doctest: +ELLIPSIS
    No Action scores: the 1 row had too few answers to score (...).
    """
    scale = f"the scale's range {low:g} to {high:g}"
    scored = len(shown)
    if scored == 0:
        if n_rows == 0:
            why = "there are no rows of answers"
        elif n_rows == 1:
            why = "the 1 row had too few answers to score"
        else:
            why = f"none of the {n_rows} rows had enough answers to score"
        return f"No {name} scores: {why} (the scale's range is {low:g} to {high:g})."
    if scored == n_rows:
        whom = {1: "the 1 row", 2: "both rows"}.get(n_rows, f"all {n_rows} rows")
    else:
        left = n_rows - scored
        whom = (
            f"{scored} of the {n_rows} rows ("
            f"{counted(left, 'row')} had too few answers to score)"
        )
    if scored == 1:
        return (
            f"Histogram of {name} scores of {whom}, on {scale}; "
            f"the one score is {round(shown[0], 2):g}."
        )
    mean = math.fsum(shown) / scored
    return (
        f"Histogram of {name} scores of {whom}, on {scale}; mean {mean:.2f}, "
        f"lowest {round(min(shown), 2):g}, highest {round(max(shown), 2):g}."
    )


def likert_figure(
    name: str,
    items: Sequence[tuple[str, dict[float, int], int, int, int]],
    choices: Sequence[tuple[float, str]],
) -> str:
    """Diverging stacked bars of the answers to each item of one scale.

    *items*: ``(item id, answers per choice value, N/A, missing,
    unusable)``. Bars show the share of each choice among the answered,
    centred on the middle of the response scale; the counts of N/A,
    missing and unusable answers are in each bar's label.
    """
    figure = _figure_class()(figsize=(7.5, 0.55 * len(items) + 1.6))
    axes = figure.add_subplot()
    k = len(choices)
    palette = _palette(k)
    labels = []
    for row, (item_id, counts, na, missing, unusable) in enumerate(items):
        answered = sum(counts.values())
        labels.append(
            f"{item_id}\nn={answered}; N/A {na}; missing {missing}; unusable {unusable}"
        )
        if not answered:
            continue
        shares = [100.0 * counts.get(value, 0) / answered for value, _ in choices]
        # Centre: the lower half (and half the middle choice) to the left.
        left = -math.fsum(shares[: k // 2]) - (shares[k // 2] / 2 if k % 2 else 0.0)
        for index, share in enumerate(shares):
            axes.barh(
                row,
                share,
                left=left,
                color=palette[index],
                edgecolor="#ffffff",
                label=choices[index][1] if row == 0 else None,
            )
            left += share
    axes.axvline(0, color=_GREY, linewidth=0.8)
    axes.set_yticks(range(len(items)), labels, fontsize=7)
    axes.invert_yaxis()
    axes.set_xlim(-100, 100)
    axes.set_xlabel("share of answered (%), centred on the middle choice")
    _legend(
        axes,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35 if len(items) < 4 else -0.15),  # noqa: PLR2004
        ncols=min(k, 5),
        fontsize=7,
        frameon=False,
    )
    people = max((sum(c.values()) + na + m + u for _, c, na, m, u in items), default=0)
    text = (
        f"Answers to the {counted(len(items), 'item')} of {name} from "
        f"{counted(people, 'row')}: "
        "diverging stacked bars of each choice's share among the answered, "
        "with answered, N/A, missing and unusable counts per item"
    )
    return _svg(figure, text + ".")


def _palette(k: int) -> list[Any]:
    if k <= len(_DIVERGING):
        start = (len(_DIVERGING) - k) // 2
        picked = list(_DIVERGING[start : start + k])
        if k % 2 == 0 and k < len(_DIVERGING):
            picked = [c for c in _DIVERGING if c != "#f0f0f0"][:k]
        return picked
    from matplotlib import colormaps

    cmap = colormaps["BrBG"]
    return [cmap(0.1 + 0.8 * i / (k - 1)) for i in range(k)]


def reliability_figure(
    rows: Sequence[tuple[str, float | None, float | None, float | None, int]],
    *,
    omega: Sequence[float | None] | None = None,
) -> str:
    """Alpha per scale with its Feldt 95% interval (and omega as a mark).

    *rows*: ``(scale name, alpha, interval low, interval high, rows used)``.
    """
    figure = _figure_class()(figsize=(6, 0.5 * len(rows) + 1.4))
    axes = figure.add_subplot()
    labels = []
    for row, (name, alpha, low, high, n) in enumerate(rows):
        labels.append(f"{name} (n={n})")
        if alpha is None:
            continue
        if low is not None and high is not None:
            axes.plot([low, high], [row, row], color=_BLUE, linewidth=2)
        axes.plot([alpha], [row], "o", color=_BLUE, label="alpha" if row == 0 else None)
        if omega is not None and omega[row] is not None:
            axes.plot(
                [omega[row]],
                [row],
                "D",
                color=_ORANGE,
                label="omega total" if row == 0 else None,
            )
    axes.set_yticks(range(len(rows)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(min(0.0, *(r[2] or 0.0 for r in rows)), 1.0)
    axes.set_xlabel("reliability (alpha, with its Feldt 95% interval)")
    if any(r[1] is not None for r in rows):
        _legend(axes, fontsize=7, loc="lower left", frameon=False)
    # Say only what is drawn: a scale with no alpha (too few rows, say) has
    # neither point nor line, and omega is a diamond only where computed.
    without = [name for name, alpha, *_ in rows if alpha is None]
    diamonds = omega is not None and any(o is not None for o in omega)
    used = "; rows used: " + ", ".join(f"{name} {n}" for name, _, _, _, n in rows)
    if len(without) == len(rows):
        text = (
            f"Cronbach's alpha of {counted(len(rows), 'scale')}: none could be "
            f"computed, so nothing is drawn (see the notes){used}"
        )
        return _svg(figure, text + ".")
    text = (
        f"Cronbach's alpha of {counted(len(rows), 'scale')}, "
        + ("with" if len(rows) == 1 else "each with")
        + " its Feldt 95% interval as a line"
        + (" and omega total as a diamond" if diamonds else "")
        + used
    )
    if without:
        text += f"; no alpha for {', '.join(without)} (see the notes)"
    return _svg(figure, text + ".")


def change_figure(
    rows: Sequence[
        tuple[str, float | None, float | None, float | None, float | None, int]
    ],
) -> str:
    """Paired means before and after per scale, and the mean change with its CI.

    *rows*: ``(scale name, mean before, mean after, CI low, CI high, pairs)``.
    """
    figure = _figure_class()(figsize=(8.5, 0.55 * len(rows) + 1.6))
    left, right = figure.subplots(1, 2, sharey=True)
    labels = []
    for row, (name, before, after, low, high, n) in enumerate(rows):
        pairs = "pair" if n == 1 else "pairs"
        labels.append(f"{textwrap.fill(name, 24)}\n(n={n} {pairs})")
        if before is not None and after is not None:
            left.plot([before, after], [row, row], color=_GREY, linewidth=1)
            left.plot(
                [before],
                [row],
                "o",
                color=_ORANGE,
                label="before" if row == 0 else None,
            )
            left.plot(
                [after], [row], "s", color=_BLUE, label="after" if row == 0 else None
            )
        if (
            low is not None
            and high is not None
            and before is not None
            and after is not None
        ):
            right.plot([low, high], [row, row], color=_BLUE, linewidth=2)
            right.plot([after - before], [row], "o", color=_BLUE)
    left.set_yticks(range(len(rows)), labels, fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("mean score, before and after")
    if any(r[1] is not None for r in rows):
        _legend(left, fontsize=7, frameon=False)
    right.axvline(0, color=_GREY, linewidth=0.8)
    right.set_xlabel("mean change (95% interval)")
    text = (
        f"Change in {counted(len(rows), 'scale')} between two administrations: mean "
        "scores before (circle) and after (square) over the pairs of "
        "answers, and the mean change with its 95% t interval; pairs of "
        "answers: " + ", ".join(f"{name} {n}" for name, *_, n in rows)
    )
    return _svg(figure, text + ".")


def trajectory_figure(  # noqa: PLR0913 -- what the plot shows
    name: str,
    waves: Sequence[tuple[float, int, float | None, float | None]],
    *,
    intercept: float | None,
    slope: float | None,
    n_people: int,
    n_observations: int,
    low: float,
    high: float,
) -> str:
    """Mean score per wave with its 95% t interval, and the fitted line.

    *waves*: ``(time, n, mean, sd)`` per wave.
    """
    from allykit.scoring._reliability import f_quantile

    figure = _figure_class()(figsize=(6, 2.8))
    axes = figure.add_subplot()
    times = [t for t, n, m, _ in waves if m is not None and n]
    means = [m for _, n, m, _ in waves if m is not None and n]
    errors = []
    for _, n, m, sd in waves:
        if m is None or not n:
            continue
        half = (
            math.sqrt(f_quantile(0.95, 1, n - 1)) * sd / math.sqrt(n)
            if sd is not None and n >= 2  # noqa: PLR2004
            else 0.0
        )
        errors.append(half)
    axes.errorbar(
        times, means, yerr=errors, fmt="o", color=_BLUE, capsize=4, label="mean, 95% CI"
    )
    if intercept is not None and slope is not None and times:
        ends = [min(times), max(times)]
        axes.plot(
            ends,
            [intercept + slope * t for t in ends],
            color=_ORANGE,
            linestyle="--",
            label="mixed-model line",
        )
    axes.set_ylim(low, high)
    axes.set_xticks([t for t, *_ in waves])
    axes.set_xlabel("wave")
    axes.set_ylabel("score")
    _legend(axes, fontsize=7, frameon=False)
    text = (
        f"Trajectory of {name} scores over {len(waves)} waves: the mean at "
        f"each wave with its 95% t interval, and the line the mixed model "
        f"fits; {counted(n_people, 'person', 'people')}, "
        f"{counted(n_observations, 'score')}; "
        + ", ".join(f"wave {t:g}: n={n}" for t, n, _, _ in waves)
    )
    return _svg(figure, text + ".")
