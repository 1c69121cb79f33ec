"""Tests of the HTML report: content, self-contained, Chromium, accessibility."""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

from allykit.catalog import load_instrument

pytest.importorskip("matplotlib", reason="the report needs the report extra")

from allykit.scoring._report import html_report


def _cohort() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    inventory = load_instrument("ally-model-reflection")
    rng = random.Random(7)  # noqa: S311 -- test data
    before: list[dict[str, Any]] = []
    for n in range(30):
        level = rng.randint(1, 5)
        before.append(
            {"id": f"person-{n}"}
            | {
                i.id: min(
                    5,
                    max(
                        1, (6 - level if i.reverse else level) + rng.choice((-1, 0, 1))
                    ),
                )
                for i in inventory.items
            }
        )
    after = [
        row
        | {k: min(5, v + 1) for k, v in row.items() if k != "id" and rng.random() < 0.5}
        for row in before
    ]
    return before, after


@functools.cache  # one page per test process: html_report is pure
def _page() -> str:
    before, after = _cohort()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return html_report(
            load_instrument("ally-model-reflection"), after, before=before
        )


def test_content_and_privacy() -> None:
    """Citation, status, plots, tables and change; no respondent id, no loads."""
    page = _page()
    assert page.startswith("<!DOCTYPE html>")
    assert "a reflective aid, not a validated measure" in page
    assert "Tulane University" in page
    # Per scale a Likert chart and a histogram; reliability; change.
    assert page.count("<svg") == 3 + 3 + 1 + 1
    assert page.count('role="img" aria-label="Histogram of') == 3
    assert page.count('role="img" aria-label="Answers to the') == 3
    assert page.count('role="img" aria-label="Cronbach') == 1
    assert page.count('role="img" aria-label="Change in 3 scales') == 1
    for heading in ("Reliability (listwise)", "Items", "Change from before"):
        assert heading in page
    # With --before the page says which administration the rest describes.
    assert "describe the later administration" in page
    assert "person-" not in page  # answers are described, never people
    # Several inline plots, yet every id unique and every reference resolved.
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r"url\(#([^)]+)\)", page)) <= set(ids)
    # Self-contained: nothing to fetch when viewed.
    assert "<script" not in page
    assert "<link" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)


def test_every_plot_says_how_many_people() -> None:
    """Each plot's text alternative says what it shows and from how many."""
    page = _page()
    labels = re.findall(r'<svg role="img" aria-label="([^"]*)"', page)
    assert len(labels) == page.count("<svg")
    for label in labels:
        assert re.search(
            r"\b\d+ (people|rows)\b|rows used: .* \d+|pairs of answers: .* \d+",
            label,
        ), label


def test_item_counts_tell_na_missing_and_unusable_apart() -> None:
    """Answered, N/A, missing and unusable per item, over all rows."""
    inventory = load_instrument("ally-model-reflection")
    _, after = _cohort()
    first, second = inventory.items[0].id, inventory.items[1].id
    rows = [dict(r) for r in after]
    rows[0][first] = "N/A"
    rows[1][first] = 99  # not a choice
    rows[2].pop(first)
    rows[3][first] = None
    rows[4][second] = float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = html_report(inventory, rows, invalid="missing")
    cells = re.findall(
        rf"<tr><td>{first}</td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>"
        r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>",
        page,
    )
    assert cells == [("26", "1", "2", "1", str(30 - 5))]
    # The second item: NaN counts as missing; listwise rows used differ.
    row = re.search(
        rf"<tr><td>{second}</td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td>"
        r"<td>(\d+)</td><td>(\d+)</td>",
        page,
    )
    assert row is not None
    assert row.groups() == ("29", "0", "1", "0")


def test_distribution_axes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scale range on x, whole-number counts on y, one bar per attainable score."""
    from allykit.scoring import _figures

    drawn: list[Any] = []

    def keep(figure: Any, *_args: Any, **_kw: Any) -> str:
        drawn.append(figure)
        return ""

    monkeypatch.setattr(_figures, "_svg", keep)
    values = [1.0, 4 / 3, 4 / 3, 2.0, 2.0, 2.0, 11 / 3]  # means of three items
    _figures.distribution_figure(
        values, name="S", low=1.0, high=5.0, step=1 / 3, n_rows=9
    )
    (axes,) = drawn[0].axes
    low, high = axes.get_xlim()
    assert low < 1.0
    assert high > 5.0
    assert all(float(t).is_integer() for t in axes.get_yticks())
    heights = [patch.get_height() for patch in axes.patches]
    assert len(heights) == 13  # 1, 4/3, ..., 5: no gaps from binning
    assert sum(heights) == len(values)
    assert heights[:4] == [1, 2, 0, 3]


def test_change_table_names_both_effect_sizes() -> None:
    """Becker's d and Lakens's d_z, the RCI's reliability and its source."""
    page = _page()
    section = page[page.index("Change from before") :]
    assert "Effect size (Becker)" in section
    assert "d<sub>z</sub> (Lakens)" in section
    assert "(alpha of the before answers)" in section
    assert "1.959964" in section


@functools.cache  # one page per test process: html_report is pure
def _waves_page() -> str:
    from allykit.testing import longitudinal_rows

    inventory = load_instrument("ally-model-reflection")
    data = longitudinal_rows(inventory, seed=5, people=20, waves=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return html_report(inventory, data[-1], waves=data)


def test_waves_read_with_the_same_columns_and_ignore() -> None:
    """columns= and ignore= apply to the waves as to the rows (every door)."""
    pytest.importorskip("statsmodels", reason="waves need the stats extra")
    from allykit.testing import longitudinal_rows

    inventory = load_instrument("ally-model-reflection")
    data = longitudinal_rows(inventory, seed=5, people=20, waves=3)
    renamed = [
        [
            {"note_x": "x", "q1": row.get("ac-speak-up")}
            | {k: v for k, v in row.items() if k != "ac-speak-up"}
            for row in wave
        ]
        for wave in data
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = html_report(
            inventory,
            renamed[-1],
            waves=renamed,
            columns={"ac-speak-up": "q1"},
            ignore=["note_*"],
        )
    assert page == _waves_page()


def test_trajectories() -> None:
    """Three waves: one trajectory plot and a plain-words summary per scale."""
    pytest.importorskip("statsmodels", reason="waves need the stats extra")
    page = _waves_page()
    assert "Change across waves" in page
    assert page.count('aria-label="Trajectory of') == 3
    assert page.count("per wave on average") == 3
    assert "r0" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)


def test_cli_writes_the_report(tmp_path: Path) -> None:
    """The command: allykit report INSTRUMENT FILE --before FILE -o FILE."""
    pytest.importorskip("typer", reason="the command needs the cli extra")
    from typer.testing import CliRunner

    from allykit.cli._app import app

    before, after = _cohort()
    for name, rows in (("before.csv", before), ("after.csv", after)):
        with (tmp_path / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    out = tmp_path / "report.html"
    args = ["report", "ally-model-reflection", str(tmp_path / "after.csv")]
    args += ["--before", str(tmp_path / "before.csv"), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Change from before" in out.read_text(encoding="utf-8")
    again = CliRunner().invoke(app, args)
    assert again.exit_code != 0  # no silent replacement without --force


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium on PATH; .ci/run installs Debian's chromium with apt")


def _run_chromium(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *extra,
    ]
    try:
        return subprocess.run(  # noqa: S603 -- fixed arguments, local browser
            command, capture_output=True, text=True, timeout=90, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish within 90 s on this machine")


@pytest.mark.reference
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    """The report renders to a non-blank screenshot."""
    page = tmp_path / "report.html"
    page.write_text(_page(), encoding="utf-8")
    shot = tmp_path / "report.png"
    _run_chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1000,1600", page.as_uri()
    )
    assert shot.exists(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # text, tables and plots, not a blank page


@pytest.mark.reference
def test_prints_to_pdf(tmp_path: Path) -> None:
    """Readable when printed: print styles, and Chromium prints it to PDF."""
    text = _page()
    assert "@media print" in text
    assert "break-inside:avoid" in text
    page = tmp_path / "report.html"
    page.write_text(text, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    _run_chromium(
        tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()
    )
    assert pdf.exists(), "chromium wrote no PDF"
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3


def _axe() -> str:
    found = os.environ.get("AXE_CORE_JS")
    if found and Path(found).is_file():
        return Path(found).read_text(encoding="utf-8")
    pytest.skip(
        "axe-core not found: .ci/run installs it with npm and sets AXE_CORE_JS "
        "(npm install axe-core@4)"
    )


def _violations(tmp_path: Path, page: str, name: str) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2 A and AA rules on *page* in headless Chromium."""
    runner = (
        f"<script>{_axe()}</script><script>"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}).then(r => {"
        "const p = document.createElement('pre'); p.id = 'axe-result';"
        "p.textContent = JSON.stringify(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})));"
        "document.body.appendChild(p);});</script>"
    )
    path = tmp_path / name
    path.write_text(page.replace("</body>", runner + "</body>"), encoding="utf-8")
    done = _run_chromium(
        tmp_path, "--virtual-time-budget=20000", "--dump-dom", path.as_uri()
    )
    found = re.search(r'<pre id="axe-result">([^<]*)</pre>', done.stdout)
    assert found, "axe-core gave no result"
    result: list[dict[str, Any]] = json.loads(found.group(1).replace("&quot;", '"'))
    return result


@pytest.mark.reference
def test_accessibility(tmp_path: Path) -> None:
    """axe-core finds no WCAG 2 A/AA violation (alt text, contrast, tables)."""
    control = (
        "<!DOCTYPE html><html lang='en'><head><title>x</title></head><body>"
        "<main><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
        "<p style='color:#bbb;background:#fff'>faint</p></main></body></html>"
    )
    caught = {v["id"] for v in _violations(tmp_path, control, "control.html")}
    assert {"image-alt", "color-contrast"} <= caught  # the checker works
    assert _violations(tmp_path, _page(), "report.html") == []
    if importlib.util.find_spec("statsmodels") is not None:
        assert _violations(tmp_path, _waves_page(), "waves.html") == []


def test_rows_and_frames_give_the_same_page() -> None:
    """One reader: a pandas frame gives the rows' report, byte for byte."""
    pd = pytest.importorskip("pandas")
    before, after = _cohort()
    inventory = load_instrument("ally-model-reflection")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_rows = html_report(inventory, after, before=before)
        from_frames = html_report(
            inventory, pd.DataFrame(after), before=pd.DataFrame(before)
        )
    assert from_frames == from_rows


@pytest.mark.parametrize(
    ("scores", "rows", "expected"),
    [
        ([2.0, 4.5], 2, "scores of both rows"),
        ([1.0, 2.0, 3.0], 3, "scores of all 3 rows"),
        ([3.0], 3, "1 of the 3 rows (2 rows had too few answers to score)"),
        ([3.0, 4.0], 3, "2 of the 3 rows (1 row had too few answers to score)"),
        ([], 4, "none of the 4 rows had enough answers to score"),
        ([], 1, "the 1 row had too few answers to score"),
    ],
)
def test_histogram_description_is_true_for_every_count(
    scores: list[float], rows: int, expected: str
) -> None:
    """The figure's sentence never speaks of "the rest" when there is none."""
    from allykit.scoring._figures import _histogram_text

    text = _histogram_text("Action", scores, rows, 1, 5)
    assert expected in text
    assert "the rest" not in text
    assert "1 rows" not in text
    assert "1 of the 1" not in text
