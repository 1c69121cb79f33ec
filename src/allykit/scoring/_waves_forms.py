"""Table, text and frame forms of a :class:`~allykit.scoring.WavesReport`.

The same three forms as the change and reliability reports: ``print(report)``
shows a short fixed-width table (what was read, one line per scale with
every figure of its model, the mean per wave, the summaries and the notes)
and never a line per person; :func:`waves_table` gives plain records, one
per scale (every figure of :class:`~allykit.scoring.ScaleWaves` but the
per-wave means, with the notes joined by ``"; "``) or, with ``waves=True``,
one per scale and wave (its mean); :func:`waves_frame` builds that
DataFrame with pandas or polars.

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring import waves
>>> inventory = load_instrument("ally-model-reflection")
>>> items = [i.id for i in inventory.items if not i.reverse]
>>> def wave(shift):
...     return [{"id": f"p{n}"} | {i: min(5, 1 + n % 3 + shift) for i in items}
...             for n in range(8)]
>>> report = waves(inventory, [wave(0), wave(1), wave(1)])
>>> print(str(report).splitlines()[1])
3 waves at times 0, 1, 2: 8, 8 and 8 rows; 8 respondents.
>>> report.to_table()[0]["scale"], len(report.to_table(waves=True))
('self-examination', 9)
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from allykit.scoring._waves import ScaleWaves, WavesReport

__all__ = ["waves_frame", "waves_table", "waves_text"]

_WAVE_COLUMNS = ("scale", "time", "n", "mean", "sd")


def _scale_columns(report: WavesReport) -> tuple[str, ...]:
    """Every field of a scale's entry but the per-wave means, notes last."""
    entry_type = typing.get_args(typing.get_type_hints(type(report))["scales"])[0]
    names = [f.name for f in attrs.fields(entry_type)]
    return (*(n for n in names if n not in {"waves", "notes"}), "notes")


def _record(entry: ScaleWaves, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: "; ".join(entry.notes) if name == "notes" else getattr(entry, name)
        for name in names
    }


def waves_table(report: WavesReport, *, waves: bool = False) -> list[dict[str, Any]]:
    """Return one record per scale, or per scale and wave with *waves*."""
    if waves:
        return [
            {
                "scale": entry.scale,
                "time": wave.time,
                "n": wave.n,
                "mean": wave.mean,
                "sd": wave.sd,
            }
            for entry in report.scales
            for wave in entry.waves
        ]
    names = _scale_columns(report)
    return [_record(entry, names) for entry in report.scales]


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _listed(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} and {values[-1]}"


def _reading(report: WavesReport) -> str:
    """One sentence on what was read, and what was left out."""
    times = ", ".join(f"{t:g}" for t in report.times)
    rows = _listed([str(n) for n in report.n_rows])
    text = (
        f"{len(report.times)} waves at times {times}: {rows} rows; "
        f"{report.n_people} respondents"
    )
    left = []
    if report.duplicate_ids:
        left.append(f"{len(report.duplicate_ids)} ids repeated within a wave")
    without = sum(report.rows_without_id)
    if without:
        left.append(f"{without} rows without an id")
    return text + (f"; left out: {', '.join(left)}." if left else ".")


def waves_text(report: WavesReport) -> str:
    """Return the report as a short fixed-width text table, then its notes."""
    lines = [f"Change across waves in {report.instrument}", _reading(report)]
    width = max([len("scale"), *(len(e.scale) for e in report.scales)])
    lines.append(
        f"{'scale':<{width}}  people  scores  per wave  {'95% CI':<14}  se    "
        "intercept  var int  var slope  cov    var res  slope"
    )
    for e in report.scales:
        interval = f"{_number(e.ci_low)} to {_number(e.ci_high)}"
        lines.append(
            f"{e.scale:<{width}}  {e.n_people:>6}  {e.n_observations:>6}  "
            f"{_number(e.change_per_wave):>8}  {interval:<14}  {_number(e.se):<4}  "
            f"{_number(e.intercept):>9}  {_number(e.var_intercept):>7}  "
            f"{_number(e.var_slope):>9}  {_number(e.cov_intercept_slope):<5}  "
            f"{_number(e.var_residual):>7}  {'random' if e.random_slope else 'fixed'}"
        )
    estimators = sorted({e.estimator for e in report.scales}) or ["REML"]
    lines.append(
        f"A linear mixed model per scale ({', '.join(estimators)}); slope: "
        "whether the respondents' slopes vary (random) or not (fixed)."
    )
    lines.extend(["", "Mean per wave:"])
    lines.append(f"{'scale':<{width}}  {'time':>6}  {'n':>5}  {'mean':>5}  sd")
    lines.extend(
        f"{e.scale:<{width}}  {w.time:>6g}  {w.n:>5}  {_number(w.mean):>5}  "
        f"{_number(w.sd)}"
        for e in report.scales
        for w in e.waves
    )
    lines.extend(["", "Summary:", *(f"- {e.summary}" for e in report.scales)])
    notes = [f"- {e.scale}: {note}" for e in report.scales for note in e.notes]
    if notes:
        lines.extend(["", "Notes:", *notes])
    return "\n".join(lines)


def waves_frame(
    report: WavesReport, *, backend: str = "pandas", waves: bool = False
) -> Any:
    """Return :func:`waves_table` as a pandas or polars DataFrame.

    Raises:
        InvalidArgumentError: For another backend, or one not installed.
    """
    from allykit.scoring._reliability_report import table_frame

    records = waves_table(report, waves=waves)
    names = _WAVE_COLUMNS if waves else _scale_columns(report)
    return table_frame(records, names, backend)
