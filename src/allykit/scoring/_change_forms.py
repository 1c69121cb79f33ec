"""Table, text and frame forms of a :class:`~allykit.scoring.ChangeReport`.

The same three forms as the reliability report: ``print(report)`` shows a
short fixed-width table (how the rows paired, one line per scale, then the
notes) and never a line per person; :func:`change_table` gives plain
records, one per scale (every figure of :class:`ScaleChange` but the
per-pair indexes, with the notes joined by ``"; "``) or, with
``pairs=True``, one per pair and scale (its reliable change index);
:func:`change_frame` builds that DataFrame with pandas or polars.

>>> from allykit.catalog import load_instrument
>>> from allykit.scoring import change
>>> inventory = load_instrument("ally-model-reflection")
>>> def row(who, v):
...     return {"id": who} | {item.id: v for item in inventory.items}
>>> report = change(inventory, [row("a", 2), row("b", 3), row("c", 3)],
...                 [row("a", 3), row("b", 3), row("c", 5)], id_column="id")
>>> print(str(report).splitlines()[1])
3 rows before, 3 after, 3 paired; a reflective aid, not a validated measure.
>>> report.to_table()[0]["scale"], len(report.to_table(pairs=True))
('self-examination', 9)
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

import attrs

from allykit.scoring._words import counted

if TYPE_CHECKING:
    from allykit.scoring._change import ChangeReport, ScaleChange

__all__ = ["change_frame", "change_table", "change_text"]

_PAIR_COLUMNS = ("scale", "id", "rci")


def _scale_columns(report: ChangeReport) -> tuple[str, ...]:
    """Every field of a scale's entry but the per-pair indexes, notes last."""
    entry_type = typing.get_args(typing.get_type_hints(type(report))["scales"])[0]
    names = [f.name for f in attrs.fields(entry_type)]
    return (*(n for n in names if n not in {"rci", "notes"}), "notes")


def _record(entry: ScaleChange, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: "; ".join(entry.notes) if name == "notes" else getattr(entry, name)
        for name in names
    }


def change_table(report: ChangeReport, *, pairs: bool = False) -> list[dict[str, Any]]:
    """Return one record per scale, or per pair and scale with *pairs*."""
    if pairs:
        return [
            {"scale": entry.scale, "id": key, "rci": value}
            for entry in report.scales
            for key, value in entry.rci
        ]
    names = _scale_columns(report)
    return [_record(entry, names) for entry in report.scales]


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pairing(report: ChangeReport) -> str:
    """One sentence on how the rows paired, and what was left out."""
    left = []
    if report.only_before:
        left.append(f"{counted(len(report.only_before), 'id')} only before")
    if report.only_after:
        left.append(f"{counted(len(report.only_after), 'id')} only after")
    if report.duplicate_ids:
        left.append(counted(len(report.duplicate_ids), "repeated id"))
    without = sum(report.rows_without_id)
    if without:
        left.append(f"{counted(without, 'row')} without an id")
    from allykit.scoring._provenance import instrument_status

    text = (
        f"{counted(report.n_before, 'row')} before, {report.n_after} after, "
        f"{report.n_pairs} paired"
    )
    if left:
        text += f"; left out: {', '.join(left)}"
    # The means are scores: say what the instrument is, as every output does.
    status = instrument_status(validated=report.validated, published=report.published)
    return f"{text}; {status}."


def _sources(report: ChangeReport) -> str:
    """Where each scale's reliability came from, and what s_diff is."""
    sources = {e.reliability_source for e in report.scales}
    if len(sources) == 1:
        where = f"{next(iter(sources))}, for every scale"
    else:
        where = "; ".join(f"{e.scale}: {e.reliability_source}" for e in report.scales)
    return (
        f"r: the reliability behind the index ({where}); s_diff: the "
        "standard error of a difference (Jacobson and Truax)."
    )


def change_text(report: ChangeReport) -> str:
    """Return the report as a short fixed-width text table, then its notes."""
    lines = [f"Change in {report.instrument}", _pairing(report)]
    width = max([len("scale"), *(len(e.scale) for e in report.scales)])
    lines.append(
        f"{'scale':<{width}}  pairs  before  after  change  {'95% CI':<14}  "
        "effect  d_z    r     s_diff  rose  fell  within"
    )
    for entry in report.scales:
        interval = f"{_number(entry.ci_low)} to {_number(entry.ci_high)}"
        lines.append(
            f"{entry.scale:<{width}}  {entry.n_pairs:>5}  "
            f"{_number(entry.mean_before):>6}  {_number(entry.mean_after):>5}  "
            f"{_number(entry.mean_change):>6}  {interval:<14}  "
            f"{_number(entry.effect_size):>6}  {_number(entry.d_z):<5}  "
            f"{_number(entry.reliability):<4}  {_number(entry.s_diff):>6}  "
            f"{entry.n_rose:>4}  {entry.n_fell:>4}  {entry.n_within:>6}"
        )
    lines.append(
        "rose, fell: pairs of answers that moved by more than measurement "
        "error; the index per pair is in to_table(pairs=True)."
    )
    lines.append(_sources(report))
    notes = [f"- {e.scale}: {note}" for e in report.scales for note in e.notes]
    if notes:
        lines.extend(["", "Notes:", *notes])
    return "\n".join(lines)


def change_frame(
    report: ChangeReport, *, backend: str = "pandas", pairs: bool = False
) -> Any:
    """Return :func:`change_table` as a pandas or polars DataFrame.

    Raises:
        InvalidArgumentError: For another backend, or one not installed.
    """
    from allykit.scoring._reliability_report import table_frame

    records = change_table(report, pairs=pairs)
    names = _PAIR_COLUMNS if pairs else _scale_columns(report)
    return table_frame(records, names, backend)
