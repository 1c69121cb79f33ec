"""The reliability report: its classes and their table, text and frame forms.

``print(report)`` shows a short fixed-width table (one line per scale, then
one per item); :meth:`ReliabilityReport.to_table` gives the same numbers as
plain records (one per scale, or one per item with ``items=True``) for any
DataFrame library; :meth:`ReliabilityReport.to_frame` builds that DataFrame
with pandas or polars. The text names the instrument's version and content
hash on its first line and its validated status on the second; a pandas
frame carries them in ``frame.attrs["allykit.instrument"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import attrs

from allykit.errors import InvalidArgumentError, UnknownIdError, short_repr
from allykit.models._result import Result
from allykit.models.framework import _doc
from allykit.scoring._provenance import instrument_status
from allykit.scoring._words import counted

__all__ = [
    "ItemReliability",
    "MissingPolicy",
    "ReliabilityReport",
    "ScaleReliability",
    "provenance",
    "report_frame",
    "report_table",
    "report_text",
]

#: How rows with missing answers are used: complete rows only, or per pair.
MissingPolicy = Literal["listwise", "pairwise"]


@attrs.frozen(kw_only=True)
class ItemReliability:
    """Statistics of one item within its scale.

    Attributes:
        item: Item id.
        n: Rows that answered it (among the rows used).
        mean: Mean of its (reverse-keyed) answers, or None.
        sd: Standard deviation (``n - 1``), or None.
        alpha_if_deleted: Raw alpha of the scale without this item, or None.
        r_drop: Correlation of the item with the sum of the other items
            (corrected item-total correlation), or None.
        loading: Its loading on the one-factor minres model behind omega,
            or None (omega not asked for, or undefined: see the scale's
            notes).
    """

    item: str = attrs.field(metadata=_doc("Item id."))
    n: int = attrs.field(metadata=_doc("Rows answering it.", ge=0))
    mean: float | None = attrs.field(metadata=_doc("Mean, or null."))
    sd: float | None = attrs.field(metadata=_doc("Standard deviation, or null."))
    alpha_if_deleted: float | None = attrs.field(metadata=_doc("Alpha without it."))
    r_drop: float | None = attrs.field(metadata=_doc("Corrected item-total r."))
    loading: float | None = attrs.field(
        default=None, metadata=_doc("One-factor loading, or null.")
    )


@attrs.frozen(kw_only=True)
class ScaleReliability:
    """Cronbach's alpha and item statistics of one scale.

    Attributes:
        scale: Scale id.
        n_items: Items in the scale.
        n_complete: Rows that answered every item.
        n_used: Rows behind the interval: complete rows (listwise), or rows
            with at least one answer in the scale (pairwise).
        alpha: Raw alpha, or None when undefined (fewer than 2 items or 2
            rows, or no variance).
        std_alpha: Standardised alpha, or None.
        average_r: Mean inter-item correlation, or None.
        ci_low: Lower end of the Feldt 95% interval, or None.
        ci_high: Upper end of the Feldt 95% interval, or None.
        items: Per-item statistics, in scale order.
        omega_total: McDonald's omega total from a one-factor model, or
            None (not asked for, or undefined: see *notes*).
        notes: Diagnostics, as R psych would warn (an item without
            variance, items loading negatively on the first component,
            negative alpha, a correlation matrix that is not positive
            definite, too few rows), and the reason for every None in this
            entry.
    """

    scale: str = attrs.field(metadata=_doc("Scale id."))
    n_items: int = attrs.field(metadata=_doc("Items.", ge=0))
    n_complete: int = attrs.field(metadata=_doc("Complete rows.", ge=0))
    n_used: int = attrs.field(metadata=_doc("Rows behind the interval.", ge=0))
    alpha: float | None = attrs.field(metadata=_doc("Raw alpha, or null."))
    std_alpha: float | None = attrs.field(metadata=_doc("Standardised alpha."))
    average_r: float | None = attrs.field(metadata=_doc("Mean inter-item r."))
    ci_low: float | None = attrs.field(metadata=_doc("Feldt 95% lower end."))
    ci_high: float | None = attrs.field(metadata=_doc("Feldt 95% upper end."))
    items: tuple[ItemReliability, ...] = attrs.field(metadata=_doc("Item stats."))
    omega_total: float | None = attrs.field(
        default=None, metadata=_doc("Omega total, or null.")
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Diagnostics; why a figure is null.")
    )


@attrs.frozen(kw_only=True)
class ReliabilityReport(Result):
    """Reliability of every scale of an instrument for one data set.

    Attributes:
        instrument: Instrument id.
        instrument_version: Its content version.
        missing: ``"listwise"`` or ``"pairwise"``.
        n_rows: Rows read.
        scales: One entry per scale, in the instrument's order.
        validated: Whether the instrument is a validated measure. The
            bundled inventories are not: their alphas describe one data set,
            not a validated scale. False in reports stored before it was
            added.
        instrument_hash: The instrument's ``content_hash``, or empty in
            reports stored before it was added.
        published: Whether the instrument is a published scale completed
            with the user's own items; False in reports stored before it
            was added.
    """

    instrument: str = attrs.field(metadata=_doc("Instrument id."))
    instrument_version: str = attrs.field(metadata=_doc("Instrument version."))
    missing: str = attrs.field(metadata=_doc("listwise or pairwise."))
    n_rows: int = attrs.field(metadata=_doc("Rows read.", ge=0))
    scales: tuple[ScaleReliability, ...] = attrs.field(metadata=_doc("Per scale."))
    validated: bool = attrs.field(
        default=False, metadata=_doc("Whether the instrument is a validated measure.")
    )
    instrument_hash: str = attrs.field(
        default="", metadata=_doc("SHA-256 content hash of the instrument, or empty.")
    )
    published: bool = attrs.field(
        default=False,
        metadata=_doc("Published scale completed with the user's own items?"),
    )

    _TITLE: ClassVar[str] = "allykit reliability report"

    def scale(self, scale_id: str) -> ScaleReliability:
        """Return the entry of one scale.

        Raises:
            UnknownIdError: If there is no such scale.
        """
        for found in self.scales:
            if found.scale == scale_id:
                return found
        raise UnknownIdError.for_id(
            "scale",  # noqa: EM101 -- a noun for the message, not the message
            str(scale_id),
            [s.scale for s in self.scales],
            where="report",
        )

    # -- table, text and frame forms (below) ----------------------------------

    def to_table(self, *, items: bool = False) -> list[dict[str, Any]]:
        """Return one record per scale (or per item, with *items*).

        Plain dicts, for ``csv.DictWriter`` or any DataFrame library.
        """
        return report_table(self, items=items)

    def to_frame(self, *, backend: str = "pandas", items: bool = False) -> Any:
        """Return :meth:`to_table` as a ``"pandas"`` or ``"polars"`` DataFrame."""
        return report_frame(self, backend=backend, items=items)

    def __str__(self) -> str:
        """Return a short text table (a line per scale, then per item), then the notes.

        Omega and the loadings have columns when omega was computed.
        """
        return report_text(self)


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


def omega_computed(report: ReliabilityReport) -> bool:
    """Tell whether omega was asked for (every scale then has it or a note why not)."""
    return any(
        entry.omega_total is not None
        or any(note.startswith("omega") for note in entry.notes)
        for entry in report.scales
    )


def _columns(report: ReliabilityReport, *, items: bool) -> tuple[str, ...]:
    """The table's columns: omega (or loadings) only when it was computed."""
    omega = omega_computed(report)
    if items:
        return (*_ITEM_COLUMNS, "loading") if omega else _ITEM_COLUMNS
    return (*_SCALE_COLUMNS, *(("omega_total",) if omega else ()), "notes")


def report_table(
    report: ReliabilityReport, *, items: bool = False
) -> list[dict[str, Any]]:
    """Return one record per scale (or per item, with *items*), in report order.

    Scale records end with ``notes`` (the scale's notes joined by ``"; "``)
    and, when omega was computed, ``omega_total`` before them; item records
    then carry each item's ``loading``.
    """
    names = _columns(report, items=items)
    if items:
        return [
            {"scale": entry.scale} | {name: getattr(item, name) for name in names[1:]}
            for entry in report.scales
            for item in entry.items
        ]
    return [
        {
            name: "; ".join(entry.notes) if name == "notes" else getattr(entry, name)
            for name in names
        }
        for entry in report.scales
    ]


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def provenance(report: ReliabilityReport) -> dict[str, Any]:
    """The instrument the report rests on: id, version, status and hash."""
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
    status = instrument_status(validated=report.validated, published=report.published)
    content = (
        f" (content {report.instrument_hash[:12]})" if report.instrument_hash else ""
    )
    return (
        f"Reliability of {report.instrument} {report.instrument_version}{content}",
        f"{counted(report.n_rows, 'row')}, {report.missing}; {status}.",
    )


def report_text(report: ReliabilityReport) -> str:
    """Return the report as a short fixed-width text table, then its notes.

    Omega (and each item's loading) has a column when it was computed;
    every note of every scale follows the tables, under ``Notes:``.
    """
    omega = omega_computed(report)
    lines = [*_header(report)]
    width = max([len("scale"), *(len(e.scale) for e in report.scales)])
    lines.append(
        f"{'scale':<{width}}  items  complete  used  alpha  {'95% CI':<14}  "
        "std alpha  mean r" + ("  omega" if omega else "")
    )
    for entry in report.scales:
        interval = f"{_number(entry.ci_low)} to {_number(entry.ci_high)}"
        lines.append(
            f"{entry.scale:<{width}}  {entry.n_items:>5}  {entry.n_complete:>8}  "
            f"{entry.n_used:>4}  "
            f"{_number(entry.alpha):>5}  {interval:<14}  "
            f"{_number(entry.std_alpha):>9}  {_number(entry.average_r):>6}"
            + (f"  {_number(entry.omega_total):>5}" if omega else "")
        )
    item_width = max(
        [len("item"), *(len(i.item) for e in report.scales for i in e.items)]
    )
    lines.append("")
    lines.append(
        f"{'item':<{item_width}}  {'scale':<{width}}  n     mean  sd    "
        "alpha if dropped  r drop" + ("  loading" if omega else "")
    )
    lines.extend(
        f"{item.item:<{item_width}}  {entry.scale:<{width}}  "
        f"{item.n:<4}  {_number(item.mean):>4}  {_number(item.sd):<4}  "
        f"{_number(item.alpha_if_deleted):>16}  {_number(item.r_drop):>6}"
        + (f"  {_number(item.loading):>7}" if omega else "")
        for entry in report.scales
        for item in entry.items
    )
    notes = [
        f"- {entry.scale}: {note}" for entry in report.scales for note in entry.notes
    ]
    if notes:
        lines.extend(["", "Notes:", *notes])
    return "\n".join(lines)


def report_frame(
    report: ReliabilityReport, *, backend: str = "pandas", items: bool = False
) -> Any:
    """Return :func:`report_table` as a pandas or polars DataFrame.

    Raises:
        InvalidArgumentError: For another backend, or one not installed.
    """
    records = report_table(report, items=items)
    frame = table_frame(records, _columns(report, items=items), backend)
    if backend == "pandas":
        # pandas keeps frame-level metadata in attrs (polars has no such
        # place; the report itself carries the same fields).
        frame.attrs["allykit.instrument"] = provenance(report)
    return frame


def table_frame(
    records: list[dict[str, Any]], names: Sequence[str], backend: str
) -> Any:
    """Return *records* (one dict a row) as a pandas or polars DataFrame.

    The one way every report's ``to_frame`` builds its frame.

    Raises:
        InvalidArgumentError: For another backend, or one not installed.
    """
    if backend not in _BACKENDS:
        msg = f"backend must be 'pandas' or 'polars', not {short_repr(backend)}"
        raise InvalidArgumentError(msg)
    columns = {name: [record[name] for record in records] for name in names}
    try:
        if backend == "polars":
            import polars as pl  # lazy: an optional library

            return pl.DataFrame(columns, strict=False)
        import pandas as pd  # lazy: an optional library
    except ImportError:
        msg = f"to_frame(backend={backend!r}) needs {backend}: pip install {backend}"
        raise InvalidArgumentError(msg) from None
    return pd.DataFrame(columns)
