"""A self-contained HTML report of a cohort's answers (extra ``report``).

One HTML file, readable offline (no scripts, no fonts, no links to load)
and when printed: the instrument's citation and validated status; per
scale, a diverging stacked bar chart of the answers to each item (the
usual Likert chart) with answered / N/A / missing / unusable counts, and
the score distribution on the scale's own range; the reliability table
and plot (alpha with its Feldt interval, omega when SciPy is installed,
and the diagnostics); item statistics; given a *before* administration,
the change per scale drawn and tabulated (both effect sizes, the reliable
change counts and the reliability used); given three or more *waves*, the
trajectories and the mixed model's change per wave. Plots are inline SVG
drawn by Matplotlib (:mod:`allykit.scoring._figures`), each with a text
alternative saying what it shows and from how many people. It describes
answers, never people: no respondent id or answer row appears in it.
"""

from __future__ import annotations

import collections
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError, short_repr
from allykit.scoring._words import counted

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._change import ChangeReport
    from allykit.scoring._reliability import MissingPolicy, ReliabilityReport
    from allykit.scoring._score import InvalidPolicy
    from allykit.scoring._waves import WavesReport

__all__ = ["OMEGA_MAX_ITEMS", "html_report"]

#: The largest scale (in items) for which :func:`html_report` computes omega
#: unless asked to: its one-factor fit grows about with the cube of the items
#: (150 rows: about 3 s at 150 items, 90 s at 600).
OMEGA_MAX_ITEMS = 100

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;
color:#1a1a1a;background:#fff;line-height:1.5;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}
th,td{border:1px solid #767676;padding:.2rem .35rem;text-align:right}
th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:bold}
.note{color:#5a3200}
figure{margin:1rem 0;break-inside:avoid}
figure svg{max-width:100%;height:auto}
figcaption{font-size:.9rem}
@media print{body{margin:0;max-width:none;font-size:10pt}
table,figure{break-inside:avoid}h2{break-after:avoid}}
"""


def _number(value: float | None, digits: int = 3) -> str:
    return "&ndash;" if value is None else f"{value:.{digits}f}"


def html_report(  # noqa: PLR0913 -- keyword-only options
    instrument: Instrument,
    rows: Iterable[Mapping[Any, Any]] | Any,
    *,
    before: Iterable[Mapping[Any, Any]] | Any | None = None,
    waves: Sequence[Iterable[Mapping[Any, Any]] | Any] | None = None,
    times: Sequence[float] | None = None,
    id_column: str | None = "id",
    missing: MissingPolicy = "listwise",
    title: str | None = None,
    columns: Mapping[str, str] | None = None,
    ignore: Iterable[str] = (),
    invalid: InvalidPolicy = "raise",
    omega: bool | None = None,
) -> str:
    """Return a self-contained HTML report of *rows* (and change from *before*).

    Omega (McDonald's omega total, which needs SciPy: extra ``stats``) costs
    about the cube of a scale's items, so by default it is computed only
    when every scale has at most :data:`OMEGA_MAX_ITEMS` items; the
    reliability table says whether it was, and why not.

    Args:
        instrument: The instrument answered.
        rows: Answers: anything :func:`~allykit.scoring.answers.read_answers`
            reads (rows, a DataFrame, a file path, or ``Answers``);
            *id_column*, when present, is left out of scoring and never
            shown.
        before: An earlier administration, paired with *rows* by
            *id_column*, for the change section.
        waves: Three or more administrations in time order (rows or
            DataFrames), for the trajectories section (extra ``stats``).
        times: The time of each wave, as for :func:`waves`.
        id_column: The respondent id key.
        missing: Missing-data policy of the reliability figures.
        title: The page title; the instrument's name by default.
        columns: Item id -> column, as for ``read_answers``.
        ignore: Columns to set aside, as for ``read_answers``.
        invalid: ``"raise"`` (default) refuses unusable answers, listing
            every one; ``"missing"`` treats them as missing, and the report
            says how many.
        omega: None (default) for omega when SciPy is installed and no
            scale has more than :data:`OMEGA_MAX_ITEMS` items; True to
            compute it whatever the size; False to leave it out.

    Raises:
        DataFileError: For unknown columns or (by default) unusable
            answers, all listed, as ``read_answers`` reports them.
        InvalidArgumentError: Without Matplotlib (extra ``report``), or
            when no row has an answer; with ``omega=True`` without SciPy;
            for an *omega* that is not None, True or False.

    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> rows = [{i.id: 1 + (n + j) % 5 for j, i in enumerate(inventory.items)}
    ...         for n in range(6)]
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     page = html_report(inventory, rows)
    >>> head = page.split("<svg")[0]
    >>> page.startswith("<!DOCTYPE html>"), "<svg" in page, 'src="http' in head
    (True, True, False)
    """
    from allykit.scoring._change import change
    from allykit.scoring._figures import _figure_class, plain_text
    from allykit.scoring._reliability import rows_reliability
    from allykit.scoring._score import score
    from allykit.scoring.answers import _read

    if title is not None and not isinstance(title, str):
        msg = f"title must be text or None, not {short_repr(title)}"
        raise InvalidArgumentError(msg)
    read: dict[str, Any] = {"columns": columns, "ignore": ignore, "invalid": invalid}
    got = _read(
        rows, instrument, id_column=id_column, id_required=before is not None, **read
    )
    answers = list(got.rows)
    if not any(answers):
        msg = (
            f"{got.source}: no row holds an answer to any item, so there is "
            "nothing to report; check the columns and the file"
        )
        raise InvalidArgumentError(msg)
    with_omega, omega_note = _omega_choice(instrument, omega)
    report = rows_reliability(
        instrument, answers, missing=missing, invalid="missing", omega=with_omega
    )
    scores = [score(instrument, row, invalid="missing") for row in answers]
    moved = None
    if before is not None:
        earlier = _read(before, instrument, id_column=id_column, **read)
        moved = change(
            instrument, earlier, got, id_column=id_column or "id", invalid="missing"
        )
    over_time = None
    if waves is not None:
        from allykit.scoring._waves import waves as fit_waves

        over_time = fit_waves(
            instrument,
            waves,
            id_column=id_column or "id",
            times=times,
            invalid="missing",
            columns=columns,
            ignore=ignore,
        )
    name = html.escape(title or instrument.name)
    _figure_class()  # Matplotlib is needed: say so before any work
    # Answers the reader set to missing as unusable, counted per item.
    unusable = collections.Counter(item for _, item in got.unusable)
    counts = _item_counts(instrument, answers, unusable)
    with plain_text():
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{name}</title>",
            f"<style>{_STYLE}</style></head><body><main>",
            f"<h1>{name}</h1>",
            _about(
                instrument, len(answers), len(got.problems), before=moved is not None
            ),
            _answers(instrument, counts),
            _distributions(instrument, scores),
            _reliability_table(report, with_omega=with_omega, omega_note=omega_note),
            _items_table(report, counts),
        ]
        if moved is not None:
            parts.append(_change_table(instrument, moved))
        if over_time is not None:
            parts.append(_trajectories(instrument, over_time))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _about(instrument: Instrument, n: int, unusable: int = 0, *, before: bool) -> str:
    from allykit.scoring._score import instrument_status

    status = instrument_status(instrument)
    # One citation renderer for every output (no doubled marks, no repeats).
    cites = "".join(f"<li>{html.escape(str(c))}</li>" for c in instrument.citations)
    which = (
        " Answers, scores, reliability and items describe the later "
        "administration; the change section pairs it with the earlier one."
        if before
        else ""
    )
    return (
        f"<p>{html.escape(instrument.id)} version {html.escape(instrument.version)}; "
        f"{counted(n, 'row')} of answers; {html.escape(status)}.{which}</p>"
        + (
            f"<p class='note'>{unusable} unusable answer"
            f"{'' if unusable == 1 else 's'} treated as missing.</p>"
            if unusable
            else ""
        )
        + f"<h2>Sources</h2><ul>{cites}</ul>"
    )


def _item_counts(
    instrument: Instrument,
    answers: Sequence[Mapping[Any, Any]],
    unusable: Mapping[str, int] | None = None,
) -> dict[str, tuple[dict[float, int], int, int, int]]:
    """Per item: answers per choice value, and N/A, missing, unusable counts.

    Missing: no value (absent, None, empty or NaN); N/A: an N/A code;
    unusable: a value that is not a choice (counted as missing in scoring
    with ``invalid="missing"``).
    """
    from allykit.scoring._plan import NA, plan_for, resolve

    plan = plan_for(instrument)
    counts: dict[str, tuple[dict[float, int], list[int]]] = {
        item.id: ({}, [0, 0, 0]) for item in plan.items
    }
    for row in answers:
        values, _ = resolve(plan, row, raise_on_problems=False)
        for item, value in zip(plan.items, values, strict=True):
            per_choice, other = counts[item.id]
            raw = row.get(item.id)
            if raw is None or raw == "" or (isinstance(raw, float) and math.isnan(raw)):
                other[1] += 1
            elif value is NA:
                other[0] += 1
            elif value is None:
                other[2] += 1
            else:
                per_choice[float(value)] = per_choice.get(float(value), 0) + 1
    # Answers the reader found unusable reach here as missing: count them
    # as what they were.
    for item_id, count in (unusable or {}).items():
        if item_id in counts:
            other = counts[item_id][1]
            moved = min(count, other[1])
            other[1] -= moved
            other[2] += moved
    return {k: (c, o[0], o[1], o[2]) for k, (c, o) in counts.items()}


def _answers(
    instrument: Instrument,
    counts: Mapping[str, tuple[dict[float, int], int, int, int]],
) -> str:
    from allykit.scoring._figures import likert_figure

    out = [
        "<h2>Answers per item</h2>",
        (
            "<p>Each choice's share among the answered, as answered (before "
            "reverse keying), centred on the middle of the response scale. "
            "Missing: no answer given; N/A: an answer marked not applicable; "
            "unusable: a value that is not one of the choices.</p>"
        ),
    ]
    scale = instrument.response_scale
    choices = (
        [(float(c.value), c.label) for c in scale.choices] if scale is not None else []
    )
    for sc in instrument.scales:
        rows = [(i, *counts[i]) for i in sc.items]
        out.append(f"<h3>{html.escape(sc.name)}</h3>")
        out.append(likert_figure(sc.name, rows, choices))
    return "\n".join(out)


def _score_range(instrument: Instrument, scale_id: str) -> tuple[float, float, float]:
    """Return the lowest and highest attainable score and its step."""
    from allykit.scoring._plan import plan_for

    plan = next(sp for sp in plan_for(instrument).scales if sp.scale.id == scale_id)
    k = len(plan.members)
    low, high = float(plan.low), float(plan.high)
    method = plan.scale.method
    if method == "sum":
        return k * low, k * high, 1.0
    if method == "pomp":
        return 0.0, 100.0, 100.0 / max(k * (high - low), 1.0)
    if method == "median":
        return low, high, 0.5
    return low, high, 1.0 / k


def _distributions(instrument: Instrument, scores: list[Any]) -> str:
    from allykit.scoring._figures import distribution_figure

    out = ["<h2>Scale scores</h2>"]
    for scale in instrument.scales:
        values = [
            float(v) for s in scores if (v := s.scale(scale.id).score) is not None
        ]
        low, high, step = _score_range(instrument, scale.id)
        out.append(
            distribution_figure(
                values,
                name=scale.name,
                low=low,
                high=high,
                step=step,
                n_rows=len(scores),
            )
        )
    return "\n".join(out)


def _omega_choice(instrument: Instrument, omega: object) -> tuple[bool, str]:
    """Whether to compute omega, and what the table says about it."""
    if omega is not None and not isinstance(omega, bool):
        msg = f"omega must be None, True or False, not {short_repr(omega)}"
        raise InvalidArgumentError(msg)
    try:
        import scipy  # noqa: F401 -- only to know whether omega can be given
    except ImportError:
        if omega:
            msg = "omega needs SciPy: pip install 'allykit-frameworks[stats]'"
            raise InvalidArgumentError(msg) from None
        return False, " (omega needs the stats extra)"
    if omega is False:
        return False, " (omega not asked for)"
    largest = max((len(scale.items) for scale in instrument.scales), default=0)
    if omega is None and largest > OMEGA_MAX_ITEMS:
        return False, (
            f" (omega not computed: a scale has {largest} items, more than "
            f"{OMEGA_MAX_ITEMS}; ask for it with omega=True, which takes longer)"
        )
    return True, ""


def _reliability_table(
    report: ReliabilityReport, *, with_omega: bool, omega_note: str
) -> str:
    from allykit.scoring._figures import reliability_figure

    rows: list[str] = []
    notes: list[str] = []
    for s in report.scales:
        interval = (
            f"{_number(s.ci_low)} to {_number(s.ci_high)}"
            if s.ci_low is not None
            else "&ndash;"
        )
        rows.append(
            f"<tr><td>{html.escape(s.scale)}</td><td>{s.n_items}</td>"
            f"<td>{s.n_used}</td><td>{_number(s.alpha)}</td><td>{interval}</td>"
            f"<td>{_number(s.omega_total)}</td></tr>"
        )
        notes.extend(
            f"<li class='note'>{html.escape(s.scale)}: {html.escape(n)}</li>"
            for n in s.notes
        )
    plot = reliability_figure(
        [(s.scale, s.alpha, s.ci_low, s.ci_high, s.n_used) for s in report.scales],
        omega=[s.omega_total for s in report.scales] if with_omega else None,
    )
    return (
        f"<h2>Reliability ({html.escape(report.missing)})</h2>" + plot + "<table>"
        "<caption>Cronbach's alpha with its Feldt 95% interval "
        "(psych::alpha), and omega total (psych::omega, one factor)"
        f"{omega_note}</caption>"
        "<tr><th scope='col'>Scale</th><th scope='col'>Items</th>"
        "<th scope='col'>Rows used</th><th scope='col'>Alpha</th>"
        "<th scope='col'>95% interval</th><th scope='col'>Omega</th></tr>"
        + "".join(rows)
        + "</table>"
        + (f"<h3>Notes</h3><ul>{''.join(notes)}</ul>" if notes else "")
    )


def _items_table(
    report: ReliabilityReport,
    counts: Mapping[str, tuple[dict[float, int], int, int, int]],
) -> str:
    rows = []
    for s in report.scales:
        for i in s.items:
            per_choice, na, missing, unusable = counts[i.item]
            rows.append(
                f"<tr><td>{html.escape(i.item)}</td><td>{html.escape(s.scale)}</td>"
                f"<td>{sum(per_choice.values())}</td><td>{na}</td><td>{missing}</td>"
                f"<td>{unusable}</td><td>{i.n}</td>"
                f"<td>{_number(i.mean, 2)}</td><td>{_number(i.sd, 2)}</td>"
                f"<td>{_number(i.r_drop, 2)}</td><td>{_number(i.alpha_if_deleted)}</td>"
                f"<td>{_number(i.loading, 2)}</td></tr>"
            )
    used = (
        "the complete rows (listwise)"
        if report.missing == "listwise"
        else "every row answering the item (pairwise)"
    )
    return (
        "<h2>Items</h2><table><caption>Per item, over all rows: answered, "
        "N/A, missing and unusable counts; then, over the rows the "
        f"reliability figures use ({used}): rows used, mean, SD, corrected "
        "item-total r (r.drop), alpha without the item, loading</caption>"
        "<tr><th scope='col'>Item</th><th scope='col'>Scale</th>"
        "<th scope='col'>Answered</th><th scope='col'>N/A</th>"
        "<th scope='col'>Missing</th><th scope='col'>Unusable</th>"
        "<th scope='col'>Rows used</th><th scope='col'>Mean</th>"
        "<th scope='col'>SD</th><th scope='col'>r.drop</th>"
        "<th scope='col'>Alpha without</th><th scope='col'>Loading</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _change_table(instrument: Instrument, moved: ChangeReport) -> str:
    from allykit.scoring._change import RCI_THRESHOLD
    from allykit.scoring._figures import change_figure

    names: dict[str, str] = {str(s.id): s.name for s in instrument.scales}
    plot = change_figure(
        [
            (
                names.get(s.scale, s.scale),
                s.mean_before,
                s.mean_after,
                s.ci_low,
                s.ci_high,
                s.n_pairs,
            )
            for s in moved.scales
        ]
    )
    rows = [
        f"<tr><td>{html.escape(s.scale)}</td><td>{s.n_pairs}</td>"
        f"<td>{_number(s.mean_before, 2)}</td><td>{_number(s.mean_after, 2)}</td>"
        f"<td>{_number(s.mean_change)}</td>"
        f"<td>{_number(s.ci_low)} to {_number(s.ci_high)}</td>"
        f"<td>{_number(s.effect_size, 2)}</td><td>{_number(s.d_z, 2)}</td>"
        f"<td>{_number(s.reliability, 3)} ({html.escape(s.reliability_source)})</td>"
        f"<td>{s.n_rose}</td><td>{s.n_within}</td><td>{s.n_fell}</td></tr>"
        for s in moved.scales
    ]
    notes = [
        f"<li class='note'>{html.escape(s.scale)}: {html.escape(n)}</li>"
        for s in moved.scales
        for n in s.notes
    ]
    return (
        "<h2>Change from before</h2>"
        f"<p>{counted(moved.n_pairs, 'pair')} of answers; "
        f"{counted(len(moved.only_before), 'id')} only before, "
        f"{len(moved.only_after)} only after, "
        f"{counted(len(moved.duplicate_ids), 'repeated id')} left out.</p>"
        + plot
        + "<table><caption>Mean change with its 95% t interval; effect sizes: "
        "Becker's (1988) standardised mean change, mean change / SD before, "
        "and Lakens's (2013) d<sub>z</sub>, mean change / SD of the changes; "
        "the reliability behind the reliable change index (Jacobson and "
        "Truax, 1991) and where it came from; pairs of answers whose RCI "
        f"rose above {RCI_THRESHOLD:.6f}, stayed within, or fell below "
        f"&minus;{RCI_THRESHOLD:.6f}</caption>"
        "<tr><th scope='col'>Scale</th><th scope='col'>Pairs</th>"
        "<th scope='col'>Mean before</th><th scope='col'>Mean after</th>"
        "<th scope='col'>Mean change</th><th scope='col'>95% interval</th>"
        "<th scope='col'>Effect size (Becker)</th>"
        "<th scope='col'>d<sub>z</sub> (Lakens)</th>"
        "<th scope='col'>Reliability for the RCI</th>"
        "<th scope='col'>Rose</th>"
        "<th scope='col'>Within</th><th scope='col'>Fell</th></tr>"
        + "".join(rows)
        + "</table>"
        + (f"<h3>Notes on change</h3><ul>{''.join(notes)}</ul>" if notes else "")
    )


def _trajectories(instrument: Instrument, over_time: WavesReport) -> str:
    from allykit.scoring._figures import trajectory_figure

    names: dict[str, str] = {str(s.id): s.name for s in instrument.scales}
    out = [
        "<h2>Change across waves</h2>",
        (
            f"<p>{len(over_time.times)} administrations; {over_time.n_people} "
            f"respondents; {len(over_time.duplicate_ids)} repeated ids left out. "
            "Per scale, a linear mixed model (REML; lme4's "
            "<code>lmer(score ~ time + (time | id))</code>, or "
            "<code>(1 | id)</code> where no random slope is identified).</p>"
        ),
    ]
    rows = []
    for s in over_time.scales:
        name = names.get(s.scale, s.scale)
        low, high, _ = _score_range(instrument, s.scale)
        out.append(f"<h3>{html.escape(name)}</h3>")
        out.append(
            trajectory_figure(
                name,
                [(w.time, w.n, w.mean, w.sd) for w in s.waves],
                intercept=s.intercept,
                slope=s.change_per_wave,
                n_people=s.n_people,
                n_observations=s.n_observations,
                low=low,
                high=high,
            )
        )
        out.append(f"<p>{html.escape(s.summary)}</p>")
        rows.append(
            f"<tr><td>{html.escape(s.scale)}</td><td>{s.n_people}</td>"
            f"<td>{s.n_observations}</td><td>{_number(s.change_per_wave)}</td>"
            f"<td>{_number(s.ci_low)} to {_number(s.ci_high)}</td>"
            f"<td>{_number(s.var_intercept)}</td><td>{_number(s.var_slope)}</td>"
            f"<td>{_number(s.var_residual)}</td>"
            f"<td>{'yes' if s.random_slope else 'no'}</td></tr>"
        )
    out.append(
        "<table><caption>Change per wave (the fixed slope) with its Wald 95% "
        "interval, and the variance components</caption>"
        "<tr><th scope='col'>Scale</th><th scope='col'>People</th>"
        "<th scope='col'>Scores</th><th scope='col'>Change per wave</th>"
        "<th scope='col'>95% interval</th><th scope='col'>Intercept variance</th>"
        "<th scope='col'>Slope variance</th><th scope='col'>Residual variance</th>"
        "<th scope='col'>Random slope</th></tr>" + "".join(rows) + "</table>"
    )
    return "\n".join(out)
