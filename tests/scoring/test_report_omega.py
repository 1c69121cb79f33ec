"""Omega in the HTML report stays affordable (issue 21, item 9).

The one-factor fit behind omega grows about with the cube of a scale's items
(150 rows: 3, 14 and 93 s at 150, 300 and 600 items). The report computes it
by default only up to ``OMEGA_MAX_ITEMS`` items per scale, on request beyond,
and says in the reliability table which it did.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from allykit import Instrument
from allykit.catalog import load_instrument
from allykit.errors import InvalidArgumentError
from allykit.scoring import OMEGA_MAX_ITEMS, html_report

pytest.importorskip("matplotlib")
pytestmark = pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")


def _instrument(items: int) -> Instrument:
    return Instrument.from_dict(
        {
            "id": "wide",
            "name": "Wide",
            "summary": "Written for the tests.",
            "intended_use": "Tests only; not a measure.",
            "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": f"L{v}"} for v in range(1, 6)],
                "min": 1,
                "max": 5,
            },
            "items": [{"id": f"i{k}", "text": f"Item {k}."} for k in range(items)],
            "scales": [
                {"id": "all", "name": "All", "items": [f"i{k}" for k in range(items)]}
            ],
        }
    )


def _rows(instrument: Instrument, n: int = 12) -> list[dict[str, Any]]:
    chance = random.Random(7)  # noqa: S311 -- test data, not secrets
    rows = []
    for _ in range(n):
        base = chance.randint(1, 5)
        rows.append(
            {
                str(item.id): min(5, max(1, base + chance.choice((-1, 0, 0, 1))))
                for item in instrument.items
            }
        )
    return rows


@pytest.fixture(name="no_fit")
def _no_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if omega's fit is started at all."""
    from allykit.scoring import _alpha as _reliability

    def refuse(*_args: object, **_kwargs: object) -> Any:
        msg = "omega was computed"
        raise AssertionError(msg)

    monkeypatch.setattr(_reliability, "_with_omega", refuse)


@pytest.mark.usefixtures("no_fit")
def test_large_scale_skips_omega_and_says_so() -> None:
    """Over the limit, omega is not fitted; the table says why and how to ask."""
    pytest.importorskip("scipy")
    instrument = _instrument(OMEGA_MAX_ITEMS + 1)

    page = html_report(instrument, _rows(instrument))

    assert f"a scale has {OMEGA_MAX_ITEMS + 1} items" in page
    assert "omega=True" in page


@pytest.mark.usefixtures("no_fit")
def test_omega_false_never_fits() -> None:
    """omega=False leaves it out, and the table says it was not asked for."""
    instrument = load_instrument("ally-model-reflection")

    page = html_report(instrument, _rows(instrument), omega=False)

    assert "omega not asked for" in page


def test_small_scale_gets_omega() -> None:
    """Within the limit, omega is computed by default (with SciPy)."""
    pytest.importorskip("scipy")
    instrument = _instrument(6)

    page = html_report(instrument, _rows(instrument, 40))

    assert "omega not computed" not in page
    assert "omega not asked for" not in page
    omega_cell = page.split("<th scope='col'>Omega</th></tr>")[1].split("</tr>")[0]
    assert "&ndash;</td></tr>" not in omega_cell + "</tr>"


def test_omega_on_request_beyond_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """omega=True fits whatever the size (the fit is stubbed: only the choice)."""
    pytest.importorskip("scipy")
    from allykit.scoring import _alpha as _reliability

    calls: list[int] = []
    real = _reliability._with_omega

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(_reliability, "_with_omega", counted)
    instrument = _instrument(OMEGA_MAX_ITEMS + 1)

    page = html_report(instrument, _rows(instrument), omega=True)

    assert calls
    assert "omega not computed" not in page


@pytest.mark.parametrize("value", ["yes", 1, 0.5])
def test_omega_must_be_a_choice(value: object) -> None:
    """Anything but None, True or False is an allykit error."""
    instrument = load_instrument("ally-model-reflection")
    with pytest.raises(InvalidArgumentError, match="omega must be"):
        html_report(instrument, _rows(instrument), omega=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("flag", "expected"), [("--no-omega", "omega not asked for"), (None, None)]
)
def test_report_command_passes_the_choice(
    tmp_path: Path, flag: str | None, expected: str | None
) -> None:
    """`allykit report --no-omega` leaves omega out; by default, the rule above."""
    pytest.importorskip("typer")
    from typer.testing import CliRunner

    from allykit.cli._app import app

    instrument = load_instrument("ally-model-reflection")
    rows = _rows(instrument)
    answers = tmp_path / "answers.csv"
    header = ["id", *rows[0]]
    lines = [",".join(header)]
    lines.extend(
        ",".join([f"p{n}", *(str(v) for v in row.values())])
        for n, row in enumerate(rows)
    )
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "report.html"
    args = ["report", "ally-model-reflection", str(answers), "-o", str(output)]

    result = CliRunner().invoke(app, [*args, *([flag] if flag else [])])

    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    if expected is not None:
        assert expected in page
    else:
        assert "omega not asked for" not in page
