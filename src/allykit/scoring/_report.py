"""A self-contained HTML report of a cohort's answers (extra ``report``).

One HTML file, readable offline (no scripts, no fonts, no links to load):
the instrument's citation and validated status, each scale's score
distribution as an inline SVG plot drawn by Matplotlib, the reliability
table (alpha with its Feldt interval, omega when SciPy is installed, and
the diagnostics), item statistics, missing answers per item and, given a
*before* administration, the change per scale. It describes answers, never
people: no respondent id or answer row appears in it.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._change import ChangeReport
    from allykit.scoring._reliability import MissingPolicy, ReliabilityReport
    from allykit.scoring._score import InvalidPolicy

__all__ = ["OMEGA_MAX_ITEMS", "html_report"]

#: The largest scale (in items) for which :func:`html_report` computes omega
#: unless asked to: its one-factor fit grows about with the cube of the items
#: (150 rows: about 3 s at 150 items, 90 s at 600).
OMEGA_MAX_ITEMS = 100

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;
color:#1a1a1a;background:#fff;line-height:1.5;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:bold}
.note{color:#5a3200}
figure{margin:1rem 0}
"""


def _number(value: float | None, digits: int = 3) -> str:
    return "&ndash;" if value is None else f"{value:.{digits}f}"


def _svg_histogram(values: list[float], label: str, low: float, high: float) -> str:
    """Return an inline SVG histogram (Matplotlib, no pyplot state)."""
    try:  # lazy: the optional extra "report"
        from matplotlib.figure import Figure
    except ImportError:
        msg = "the report needs Matplotlib: pip install 'allykit-frameworks[report]'"
        raise InvalidArgumentError(msg) from None
    figure = Figure(figsize=(5, 2.4))
    axes = figure.add_subplot()
    if values:
        axes.hist(
            values,
            bins=min(20, max(5, len(set(values)))),
            range=(low, high),
            color="#1f5f99",
            edgecolor="#ffffff",
        )
    # Every text handed to Matplotlib is plain: "$5 and $10" or a "$\\foo$"
    # in a scale name must not be read as mathtext (it crashed the report).
    axes.set_xlabel(label, parse_math=False, usetex=False)
    axes.set_ylabel("count", parse_math=False, usetex=False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]
    # The RDF metadata block only names vocabularies; leave it out.
    start, end = svg.find("<metadata>"), svg.find("</metadata>")
    if start != -1 and end != -1:
        svg = svg[:start] + svg[end + len("</metadata>") :]
    return svg


def html_report(  # noqa: PLR0913 -- keyword-only options
    instrument: Instrument,
    rows: Iterable[Mapping[Any, Any]] | Any,
    *,
    before: Iterable[Mapping[Any, Any]] | Any | None = None,
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
    from allykit.scoring._reliability import rows_reliability
    from allykit.scoring._score import score
    from allykit.scoring.answers import _read

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
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title or instrument.name)}</title>",
        f"<style>{_STYLE}</style></head><body><main>",
        f"<h1>{html.escape(title or instrument.name)}</h1>",
        _about(instrument, len(answers), len(got.problems)),
        _distributions(instrument, scores),
        _reliability_table(report, omega_note=omega_note),
        _items_table(report),
    ]
    if moved is not None:
        parts.append(_change_table(moved))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _about(instrument: Instrument, n: int, unusable: int = 0) -> str:
    from allykit.scoring._score import instrument_status

    status = instrument_status(instrument)
    # One citation renderer for every output (no doubled marks, no repeats).
    cites = "".join(f"<li>{html.escape(str(c))}</li>" for c in instrument.citations)
    return (
        f"<p>{html.escape(instrument.id)} version {html.escape(instrument.version)}; "
        f"{n} rows of answers; {html.escape(status)}.</p>"
        + (
            f"<p class='note'>{unusable} unusable answer"
            f"{'' if unusable == 1 else 's'} treated as missing.</p>"
            if unusable
            else ""
        )
        + f"<h2>Sources</h2><ul>{cites}</ul>"
    )


def _distributions(instrument: Instrument, scores: list[Any]) -> str:
    out = ["<h2>Scale scores</h2>"]
    for scale in instrument.scales:
        values = [
            s.scale(scale.id).score
            for s in scores
            if s.scale(scale.id).score is not None
        ]
        shown = [float(v) for v in values]
        low = min(shown, default=0.0)
        high = max(shown, default=1.0)
        if high <= low:
            high = low + 1.0
        label = f"{scale.name} score"
        description = f"Histogram of {len(shown)} {scale.name} scores" + (
            f", from {low:.3g} to {high:.3g}" if shown else ""
        )
        svg = _svg_histogram(shown, label, low, high).replace(
            "<svg", f'<svg role="img" aria-label="{html.escape(description)}"', 1
        )
        out.append(
            f"<figure>{svg}<figcaption>{html.escape(description)}</figcaption></figure>"
        )
    return "\n".join(out)


def _omega_choice(instrument: Instrument, omega: object) -> tuple[bool, str]:
    """Whether to compute omega, and what the table says about it."""
    if omega is not None and not isinstance(omega, bool):
        msg = f"omega must be None, True or False, not {omega!r}"
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


def _reliability_table(report: ReliabilityReport, *, omega_note: str) -> str:
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
    return (
        f"<h2>Reliability ({html.escape(report.missing)})</h2><table>"
        "<caption>Cronbach's alpha with its Feldt 95% interval, and omega "
        f"total{omega_note}</caption>"
        "<tr><th scope='col'>Scale</th><th scope='col'>Items</th>"
        "<th scope='col'>Rows used</th><th scope='col'>Alpha</th>"
        "<th scope='col'>95% interval</th><th scope='col'>Omega</th></tr>"
        + "".join(rows)
        + "</table>"
        + (f"<h3>Notes</h3><ul>{''.join(notes)}</ul>" if notes else "")
    )


def _items_table(report: ReliabilityReport) -> str:
    rows = [
        f"<tr><td>{html.escape(i.item)}</td><td>{html.escape(s.scale)}</td>"
        f"<td>{i.n}</td><td>{_number(i.mean, 2)}</td><td>{_number(i.sd, 2)}</td>"
        f"<td>{_number(i.r_drop, 2)}</td><td>{_number(i.alpha_if_deleted)}</td>"
        f"<td>{_number(i.loading, 2)}</td></tr>"
        for s in report.scales
        for i in s.items
    ]
    return (
        "<h2>Items</h2><table><caption>Answers per item (the rest are "
        "missing), mean, SD, corrected item-total r, alpha without the item, "
        "loading</caption><tr><th scope='col'>Item</th><th scope='col'>Scale</th>"
        "<th scope='col'>Answered</th><th scope='col'>Mean</th>"
        "<th scope='col'>SD</th><th scope='col'>r.drop</th>"
        "<th scope='col'>Alpha without</th><th scope='col'>Loading</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _change_table(moved: ChangeReport) -> str:
    rows = [
        f"<tr><td>{html.escape(s.scale)}</td><td>{s.n_pairs}</td>"
        f"<td>{_number(s.mean_change)}</td>"
        f"<td>{_number(s.ci_low)} to {_number(s.ci_high)}</td>"
        f"<td>{_number(s.effect_size, 2)}</td><td>{s.n_rose}</td>"
        f"<td>{s.n_within}</td><td>{s.n_fell}</td></tr>"
        for s in moved.scales
    ]
    return (
        "<h2>Change from before</h2>"
        f"<p>{moved.n_pairs} pairs of answers; {len(moved.only_before)} ids only "
        f"before, {len(moved.only_after)} only after, "
        f"{len(moved.duplicate_ids)} repeated ids left out.</p>"
        "<table><caption>Mean change with its 95% interval, change in "
        "baseline SDs, and pairs of answers that rose, stayed within or fell "
        "beyond measurement error (Jacobson-Truax)</caption>"
        "<tr><th scope='col'>Scale</th><th scope='col'>Pairs</th>"
        "<th scope='col'>Mean change</th><th scope='col'>95% interval</th>"
        "<th scope='col'>Effect size</th><th scope='col'>Rose</th>"
        "<th scope='col'>Within</th><th scope='col'>Fell</th></tr>"
        + "".join(rows)
        + "</table>"
    )
