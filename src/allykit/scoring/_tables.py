"""Table, text and frame forms of a :class:`ReliabilityReport`.

``print(report)`` shows a short fixed-width table (one line per scale, then
one per item); :func:`report_table` gives the same numbers as plain records
(one per scale, or one per item with ``items=True``) for any DataFrame
library; :func:`report_frame` builds that DataFrame with pandas or polars.
The text names the instrument's version and content hash on its first line
and its validated status on the second; a pandas frame carries them in
``frame.attrs["allykit.instrument"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.scoring._reliability import ReliabilityReport

__all__ = ["report_frame", "report_table", "report_text"]

_SCALE_COLUMNS = (
    "scale",
    "n_items",
    "n_complete",
    "n_used",
    "alpha",
    "std_alpha",
    "average_r",
    "ci_low",
    "ci_high",
)
_ITEM_COLUMNS = ("scale", "item", "n", "mean", "sd", "alpha_if_deleted", "r_drop")
_BACKENDS = ("pandas", "polars")


def report_table(
    report: ReliabilityReport, *, items: bool = False
) -> list[dict[str, Any]]:
    """Return one record per scale (or per item, with *items*), in report order."""
    if items:
        return [
            {"scale": entry.scale}
            | {name: getattr(item, name) for name in _ITEM_COLUMNS[1:]}
            for entry in report.scales
            for item in entry.items
        ]
    return [
        {name: getattr(entry, name) for name in _SCALE_COLUMNS}
        for entry in report.scales
    ]


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def provenance(report: ReliabilityReport) -> dict[str, Any]:
    """The instrument the report rests on: id, version, status and hash."""
    from allykit.scoring._score import instrument_status

    return {
        "id": report.instrument,
        "version": report.instrument_version,
        "validated": report.validated,
        "published": report.published,
        "status": instrument_status(
            validated=report.validated, published=report.published
        ),
        "content_hash": report.instrument_hash,
    }


def _header(report: ReliabilityReport) -> tuple[str, str]:
    """Two lines: the instrument (id, version, content hash); rows and status."""
    from allykit.scoring._score import instrument_status

    status = instrument_status(validated=report.validated, published=report.published)
    content = (
        f" (content {report.instrument_hash[:12]})" if report.instrument_hash else ""
    )
    return (
        f"Reliability of {report.instrument} {report.instrument_version}{content}",
        f"{report.n_rows} rows, {report.missing}; {status}.",
    )


def report_text(report: ReliabilityReport) -> str:
    """Return the report as a short fixed-width text table."""
    lines = [*_header(report)]
    width = max([len("scale"), *(len(e.scale) for e in report.scales)])
    lines.append(
        f"{'scale':<{width}}  items  used  alpha  {'95% CI':<14}  std alpha  mean r"
    )
    for entry in report.scales:
        interval = f"{_number(entry.ci_low)} to {_number(entry.ci_high)}"
        lines.append(
            f"{entry.scale:<{width}}  {entry.n_items:>5}  {entry.n_used:>4}  "
            f"{_number(entry.alpha):>5}  {interval:<14}  "
            f"{_number(entry.std_alpha):>9}  {_number(entry.average_r):>6}"
        )
    item_width = max(
        [len("item"), *(len(i.item) for e in report.scales for i in e.items)]
    )
    lines.append("")
    lines.append(
        f"{'item':<{item_width}}  {'scale':<{width}}  n     mean  sd    "
        "alpha if dropped  r drop"
    )
    lines.extend(
        f"{item.item:<{item_width}}  {entry.scale:<{width}}  "
        f"{item.n:<4}  {_number(item.mean):>4}  {_number(item.sd):<4}  "
        f"{_number(item.alpha_if_deleted):>16}  {_number(item.r_drop):>6}"
        for entry in report.scales
        for item in entry.items
    )
    return "\n".join(lines)


def report_frame(
    report: ReliabilityReport, *, backend: str = "pandas", items: bool = False
) -> Any:
    """Return :func:`report_table` as a pandas or polars DataFrame.

    Raises:
        InvalidArgumentError: For another backend, or one not installed.
    """
    if backend not in _BACKENDS:
        msg = f"backend must be 'pandas' or 'polars', not {short_repr(backend)}"
        raise InvalidArgumentError(msg)
    records = report_table(report, items=items)
    names = _ITEM_COLUMNS if items else _SCALE_COLUMNS
    columns = {name: [record[name] for record in records] for name in names}
    try:
        if backend == "polars":
            import polars as pl  # lazy: an optional library

            return pl.DataFrame(columns, strict=False)
        import pandas as pd  # lazy: an optional library
    except ImportError:
        msg = f"to_frame(backend={backend!r}) needs {backend}: pip install {backend}"
        raise InvalidArgumentError(msg) from None
    frame = pd.DataFrame(columns)
    # pandas keeps frame-level metadata in attrs (polars has no such place;
    # the report itself carries the same fields).
    frame.attrs["allykit.instrument"] = provenance(report)
    return frame
