"""Peer tests: allykit's reliability figures against R psych, run live.

Each test runs ``Rscript`` (psych from Debian's ``r-cran-psych``, omega also
needs ``r-cran-gparotation``; ``.ci/run`` installs them) on psych's own
``bfi`` data (2800 people, 25 items on 1..6, with missing answers) and on
small edge cases, and compares with allykit to 1e-10 (alpha and its
companions, closed forms) or 1e-4 (omega, an optimiser's result; the issue's
tolerance). The psych call behind each figure is named in the test and in
``docs/reliability-figures.md``. Skipped, with the reason, when R or a
package is missing.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import Instrument
from allykit.errors import ReliabilityWarning
from allykit.scoring import MissingPolicy, reliability

pytestmark = pytest.mark.reference

pytest.importorskip("scipy", reason="omega needs the stats extra (SciPy)")

RunR = Callable[[str, str, Path], dict[str, float]]  # the run_r fixture
_PRELUDE = "suppressPackageStartupMessages({library(psych); library(GPArotation)})\n"


_BFI_SCALES = {
    "agree": (["a1", "a2", "a3", "a4", "a5"], {"a1"}),
    "consc": (["c1", "c2", "c3", "c4", "c5"], {"c4", "c5"}),
    "extra": (["e1", "e2", "e3", "e4", "e5"], {"e1", "e2"}),
    "neuro": (["n1", "n2", "n3", "n4", "n5"], set()),
    "open": (["o1", "o2", "o3", "o4", "o5"], {"o2", "o5"}),
}


def _instrument(scales: dict[str, tuple[list[str], set[str]]], top: int) -> Instrument:
    reverse = set().union(*(r for _, r in scales.values()))
    items = [i for names, _ in scales.values() for i in names]
    return allykit.Instrument.from_dict(
        {
            "id": "peer-test",
            "name": "Peer test",
            "summary": "For tests.",
            "intended_use": "Tests.",
            "licence": {"spdx": None, "note": "Tests."},
            "citations": [{"id": "r", "authors": ["R"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": str(v)} for v in range(1, top + 1)],
                "min": 1,
                "max": top,
                "not_applicable": ["N/A"],
            },
            "items": [{"id": i, "reverse": i in reverse} for i in items],
            "scales": [
                {"id": s, "name": s, "items": names} for s, (names, _) in scales.items()
            ],
        }
    )


_PSYCH_BFI = """
b <- bfi[, 1:25]
names(b) <- tolower(names(b))
write.csv(b, 'bfi.csv', row.names = FALSE)
scales <- list(agree = 1:5, consc = 6:10, extra = 11:15, neuro = 16:20, open = 21:25)
rev <- c('a1', 'c4', 'c5', 'e1', 'e2', 'o2', 'o5')
for (s in names(scales)) {
  y <- b[, scales[[s]]]
  for (i in intersect(names(y), rev)) y[[i]] <- 7 - y[[i]]
  for (policy in c('listwise', 'pairwise')) {
    x <- if (policy == 'listwise') na.omit(y) else y
    a <- alpha(x, warnings = FALSE, check.keys = FALSE)
    p <- paste(s, policy, sep = '.')
    out(paste0(p, '.alpha'), a$total$raw_alpha)
    out(paste0(p, '.std_alpha'), a$total$std.alpha)
    out(paste0(p, '.average_r'), a$total$average_r)
    out(paste0(p, '.ci_low'), a$feldt$lower.ci)
    out(paste0(p, '.ci_high'), a$feldt$upper.ci)
    for (i in names(x)) {
      out(paste0(p, '.', i, '.alpha_if_deleted'), a$alpha.drop[i, 'raw_alpha'])
      out(paste0(p, '.', i, '.r_drop'), a$item.stats[i, 'r.drop'])
      out(paste0(p, '.', i, '.mean'), a$item.stats[i, 'mean'])
      out(paste0(p, '.', i, '.sd'), a$item.stats[i, 'sd'])
    }
    o <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
    out(paste0(p, '.omega_total'), o$omega.tot)
    for (i in seq_along(names(x))) {
      out(paste0(p, '.', names(x)[i], '.loading'), o$schmid$sl[i, 1])
    }
  }
}
"""


@pytest.fixture(scope="module")
def bfi(
    tmp_path_factory: pytest.TempPathFactory, run_r: RunR
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The bfi data as rows, and psych's figures for it."""
    workdir = tmp_path_factory.mktemp("psych")
    figures = run_r(_PRELUDE, _PSYCH_BFI, workdir)
    with (workdir / "bfi.csv").open(encoding="utf-8") as handle:
        rows = [
            {k: int(v) for k, v in row.items() if v != "NA"}
            for row in csv.DictReader(handle)
        ]
    return rows, figures


_CLOSED_FORM = 1e-10
_OMEGA = 1e-4


@pytest.mark.parametrize("missing", ["listwise", "pairwise"])
def test_bfi_matches_psych(
    bfi: tuple[list[dict[str, Any]], dict[str, float]], missing: MissingPolicy
) -> None:
    """alpha(), its Feldt interval, alpha.drop, item.stats and omega(nfactors=1)."""
    rows, psych = bfi
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        report = reliability(
            _instrument(_BFI_SCALES, 6), rows, missing=missing, omega=True
        )
    checked = 0
    for entry in report.scales:
        p = f"{entry.scale}.{missing}"
        for name in ("alpha", "std_alpha", "average_r", "ci_low", "ci_high"):
            assert getattr(entry, name) == pytest.approx(
                psych[f"{p}.{name}"], abs=_CLOSED_FORM
            ), (p, name)
            checked += 1
        assert entry.omega_total == pytest.approx(psych[f"{p}.omega_total"], abs=_OMEGA)
        for item in entry.items:
            for name in ("alpha_if_deleted", "r_drop", "mean", "sd"):
                assert getattr(item, name) == pytest.approx(
                    psych[f"{p}.{item.item}.{name}"], abs=_CLOSED_FORM
                ), (p, item.item, name)
                checked += 1
            assert item.loading is not None
            # psych flips items that load negatively and reports |loading|.
            assert abs(item.loading) == pytest.approx(
                psych[f"{p}.{item.item}.loading"], abs=_OMEGA
            )
    assert checked == 5 * (5 + 5 * 4)


def test_edge_cases_match_psych(tmp_path: Path, run_r: RunR) -> None:
    """Negative alpha, near-perfect correlation, all-missing and N/A rows."""
    table = [
        [1, 5, 2, 3],
        [2, 4, 2, 4],
        [3, 3, 4, 4],
        [4, 2, 5, 5],
        [5, 1, 4, 2],
        [2, 5, 1, 1],
    ]
    with (tmp_path / "edge.csv").open("w", encoding="utf-8") as handle:
        handle.write("a,b,c,d\n")
        handle.writelines(",".join(map(str, row)) + "\n" for row in table)
    psych = run_r(
        _PRELUDE,
        """
x <- read.csv('edge.csv')
a <- alpha(x, warnings = FALSE, check.keys = FALSE)
out('alpha', a$total$raw_alpha)
out('ci_low', a$feldt$lower.ci)
for (i in names(x)) out(paste0(i, '.r_drop'), a$item.stats[i, 'r.drop'])
o <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
out('omega_total', o$omega.tot)
""",
        tmp_path,
    )
    scales = {"s": (["a", "b", "c", "d"], set[str]())}
    rows: list[dict[str, Any]] = [dict(zip("abcd", row, strict=True)) for row in table]
    # An all-missing row and a row of N/A answers change nothing listwise.
    rows += [{}, dict.fromkeys("abcd", "N/A")]
    with pytest.warns(ReliabilityWarning, match="negatively") as caught:
        entry = reliability(_instrument(scales, 5), rows, omega=True).scale("s")
    assert len(caught) == 1
    assert psych["alpha"] < 0
    assert entry.alpha == pytest.approx(psych["alpha"], abs=_CLOSED_FORM)
    assert entry.ci_low == pytest.approx(psych["ci_low"], abs=_CLOSED_FORM)
    for item in entry.items:
        assert item.r_drop == pytest.approx(psych[f"{item.item}.r_drop"], abs=1e-10)
    assert entry.omega_total == pytest.approx(psych["omega_total"], abs=_OMEGA)
    assert any("alpha is negative" in note for note in entry.notes)
    assert math.isfinite(entry.omega_total or math.nan)


def test_more_edge_cases_match_psych(tmp_path: Path, run_r: RunR) -> None:
    """No variance, perfect correlation and a single item, as psych sees them."""
    varied = [[1, 2, 4], [2, 2, 5], [4, 3, 3], [5, 4, 4], [3, 5, 1], [2, 1, 2]]
    constant = [[*row, 3] for row in varied]  # d never varies
    mirrored = [[*row, row[0]] for row in varied]  # d repeats a exactly
    for name, table in (("constant", constant), ("mirrored", mirrored)):
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8") as handle:
            handle.write("a,b,c,d\n")
            handle.writelines(",".join(map(str, row)) + "\n" for row in table)
    psych = run_r(
        _PRELUDE,
        """
for (name in c('constant', 'mirrored')) {
  x <- read.csv(paste0(name, '.csv'))
  a <- suppressWarnings(alpha(x, warnings = FALSE, check.keys = FALSE))
  out(paste0(name, '.alpha'), a$total$raw_alpha)
  out(paste0(name, '.std_alpha'), a$total$std.alpha)
}
single <- tryCatch({alpha(read.csv('constant.csv')[, 'a', drop = FALSE]); 0},
                   error = function(e) 1)
out('single_refused', single)
""",
        tmp_path,
    )
    instrument = _instrument({"s": (["a", "b", "c", "d"], set[str]())}, 5)
    three = _instrument({"s": (["a", "b", "c"], set[str]())}, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        mirror = reliability(
            instrument, [dict(zip("abcd", row, strict=True)) for row in mirrored]
        ).scale("s")
        flat = reliability(
            instrument, [dict(zip("abcd", row, strict=True)) for row in constant]
        ).scale("s")
        without = reliability(
            three, [dict(zip("abc", row, strict=True)) for row in varied]
        ).scale("s")
    # A perfectly correlated pair: the same alpha and standardised alpha.
    assert mirror.alpha == pytest.approx(psych["mirrored.alpha"], abs=_CLOSED_FORM)
    assert mirror.std_alpha == pytest.approx(
        psych["mirrored.std_alpha"], abs=_CLOSED_FORM
    )
    # An item without variance: psych's alpha is the alpha without that item,
    # which allykit gives in the scale's note (its own alpha keeps the item,
    # as Cronbach's formula does; docs/reliability-figures.md says so).
    assert without.alpha == pytest.approx(psych["constant.alpha"], abs=_CLOSED_FORM)
    assert any(
        f"alpha without it is {psych['constant.alpha']:.3f}" in note
        for note in flat.notes
    )
    # psych refuses a one-item "scale"; allykit gives no alpha and says why.
    assert psych["single_refused"] == 1
    single = _instrument({"one": (["a"], set[str]())}, 5)
    rows = [{"a": row[0]} for row in varied]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        entry = reliability(single, rows).scale("one")
    assert entry.alpha is None
    assert entry.notes


_CULPRIT = {  # negative alpha, one item keyed the wrong way round
    "a": [1, 2, 3, 4, 5, 2, 4, 3],
    "b": [2, 1, 3, 5, 4, 3, 5, 2],
    "c": [5, 4, 3, 1, 2, 4, 1, 3],
}
_NOT_PD: dict[str, list[int | None]] = {  # pairwise matrix not positive definite
    "a": [None, 3, 2, None, 1, 3, 4, 3, 2],
    "b": [1, None, None, 4, 2, 4, 2, None, 1],
    "c": [3, 1, 2, 5, None, None, None, 1, None],
}


@pytest.mark.parametrize(
    ("name", "data", "missing"),
    [("culprit", _CULPRIT, "listwise"), ("not_pd", _NOT_PD, "pairwise")],
)
def test_reverse_key_hint_matches_psych(
    tmp_path: Path,
    run_r: RunR,
    name: str,
    data: dict[str, list[int]] | dict[str, list[int | None]],
    missing: MissingPolicy,
) -> None:
    """The hint names the items psych's alpha() names (check.keys logic).

    psych: ``principal(x, scores = FALSE)$loadings < 0``, the test inside
    ``alpha()`` behind "Some items ( c ) were negatively correlated".
    """
    columns = list(data)
    n = len(data[columns[0]])
    with (tmp_path / f"{name}.csv").open("w", encoding="utf-8") as handle:
        handle.write(",".join(columns) + "\n")
        handle.writelines(
            ",".join("NA" if data[c][r] is None else str(data[c][r]) for c in columns)
            + "\n"
            for r in range(n)
        )
    psych = run_r(
        _PRELUDE,
        f"""
x <- read.csv('{name}.csv')
p <- suppressWarnings(principal(x, scores = FALSE))
for (i in names(x)) out(i, p$loadings[i, 1])
a <- suppressWarnings(alpha(x, warnings = FALSE))
out('alpha', a$total$raw_alpha)
""",
        tmp_path,
    )
    scales = {"s": (columns, set[str]())}
    rows = [
        {c: data[c][r] for c in columns if data[c][r] is not None} for r in range(n)
    ]
    with pytest.warns(ReliabilityWarning, match="first principal component"):
        entry = reliability(_instrument(scales, 5), rows, missing=missing).scale("s")
    flagged_by_psych = [c for c in columns if psych[c] < 0]
    assert len(flagged_by_psych) == 1
    hint = next(note for note in entry.notes if "principal component" in note)
    assert hint.startswith(f"item {flagged_by_psych[0]} loads negatively")
    culprit = columns.index(flagged_by_psych[0])
    assert f"loading {psych[flagged_by_psych[0]]:.2f}" in hint
    assert f"r.drop {entry.items[culprit].r_drop:.2f}" in hint
    # The loadings themselves, from allykit's pure-Python eigen solver.
    from allykit.scoring._components import first_component, pairwise_correlations

    table = [[None if v is None else float(v) for v in data[c]] for c in columns]
    correlation = pairwise_correlations(table)
    assert correlation is not None
    for c, loading in zip(columns, first_component(correlation), strict=True):
        assert loading == pytest.approx(psych[c], abs=1e-10)
    if name == "culprit":
        assert psych["alpha"] < 0
        assert entry.alpha == pytest.approx(psych["alpha"], abs=_CLOSED_FORM)
        # Before: all three items had a negative r.drop and all were named.
        assert all((item.r_drop or 0.0) < 0 for item in entry.items)
    else:
        assert any("not positive definite" in note for note in entry.notes)
        # Before: no r.drop was negative, so no item was named.
        assert all((item.r_drop or 0.0) >= 0 for item in entry.items)


def test_heywood_difference_is_documented(tmp_path: Path, run_r: RunR) -> None:
    """The docs' Heywood example: the measured psych difference is the one stated."""
    table = [
        [2, 2, 3, 2, 1, 2],
        [4, 3, 4, 4, 5, 4],
        [3, 3, 2, 3, 3, 4],
        [5, 4, 5, 5, 4, 5],
        [1, 2, 1, 2, 2, 1],
        [3, 4, 3, 3, 4, 3],
    ]
    with (tmp_path / "heywood.csv").open("w", encoding="utf-8") as handle:
        handle.write("a,b,c,d,e,f\n")
        handle.writelines(",".join(map(str, row)) + "\n" for row in table)
    psych = run_r(
        _PRELUDE,
        """
x <- read.csv('heywood.csv')
o <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
out('omega', o$omega.tot)
for (i in names(x)) out(i, o$schmid$sl[i, 1])
""",
        tmp_path,
    )
    scales = {"s": (list("abcdef"), set[str]())}
    rows = [dict(zip("abcdef", row, strict=True)) for row in table]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        entry = reliability(_instrument(scales, 5), rows, omega=True).scale("s")
    gap = max(abs(abs(i.loading or 0.0) - psych[i.item]) for i in entry.items)
    omega_gap = abs((entry.omega_total or 0.0) - psych["omega"])
    docs = Path(__file__).parents[2] / "docs" / "reliability-figures.md"
    text = " ".join(docs.read_text(encoding="utf-8").split())

    def stated(value: float) -> str:  # 4.7e-4, as the docs write it
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"

    assert f"up to {stated(gap)}" in text
    assert f"({stated(omega_gap)} apart)" in text
