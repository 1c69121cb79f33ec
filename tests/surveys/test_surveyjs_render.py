"""A bundled inventory rendered by SurveyJS's UI (survey-js-ui) in headless Chromium.

The page loads the exported form with SurveyJS's own UI, answers a few
items by clicking their rendered radio buttons, and shows the live scale
score in an ``expression`` question; Chromium dumps the page (to read the
score) and takes a screenshot. ``.ci/run`` installs survey-js-ui with npm
(``ALLYKIT_SURVEY_JS_UI`` names its ``node_modules``) and Chromium with apt.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import allykit
from allykit.surveys import to_surveyjs

pytestmark = pytest.mark.reference

_ANSWERS = {
    "ac-speak-up": 5,
    "ac-keep-the-peace": 2,
    "ac-use-influence": "Does not apply",
    "ac-practical-support": 4,
    "ac-act-with-others": 3,
}

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="{css}">
<script src="{core}"></script>
<script src="{ui}"></script>
</head><body><div id="survey"></div>
<script>
const model = new Survey.Model({form});
SurveyUI.renderSurvey(model, document.getElementById("survey"));
const answers = {answers};
function click() {{
  for (const [name, value] of Object.entries(answers)) {{
    const root = document.querySelector('[data-name="' + name + '"]');
    const input = Array.from(root.querySelectorAll("input[type=radio]"))
      .find((each) => each.value === String(value));
    input.click();
  }}
  document.body.setAttribute("data-answered", "yes");
}}
setTimeout(click, 200);
</script></body></html>
"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no chromium on PATH; .ci/run installs Debian's chromium with apt "
        "when it can ('apt-get install -y chromium')"
    )


def _run(
    browser: str, profile: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--window-size=1000,2400",
        *arguments,
    ]
    try:
        return subprocess.run(  # noqa: S603 -- fixed arguments, local browser
            command, capture_output=True, text=True, timeout=120, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish within 120 s on this machine")


class TestRenderedForm:
    def test_live_score_in_headless_chromium(self, tmp_path: Path) -> None:
        """Clicking five answers shows the action score that score() gives."""
        browser = _chromium()
        modules = Path(os.environ.get("ALLYKIT_SURVEY_JS_UI", ""))
        if not (modules / "survey-js-ui").is_dir():
            pytest.skip(
                "survey-js-ui is not installed: .ci/run installs it with npm "
                "and sets ALLYKIT_SURVEY_JS_UI to its node_modules folder"
            )
        inventory = allykit.load_instrument("ally-model-reflection")
        form = to_surveyjs(inventory)
        form["pages"][0]["elements"].append(
            {"type": "expression", "name": "live", "expression": "{action-score}"}
        )
        page = tmp_path / "form.html"
        page.write_text(
            _PAGE.format(
                css=(modules / "survey-core" / "survey-core.css").as_uri(),
                core=(modules / "survey-core" / "survey.core.js").as_uri(),
                ui=(modules / "survey-js-ui" / "survey-js-ui.js").as_uri(),
                form=json.dumps(form),
                answers=json.dumps(_ANSWERS),
            ),
            encoding="utf-8",
        )
        expected = allykit.score(inventory, _ANSWERS).scale("action").score
        assert expected is not None

        dumped = _run(browser, tmp_path / "p1", "--dump-dom", page.as_uri())
        shot = tmp_path / "form.png"
        _run(browser, tmp_path / "p2", f"--screenshot={shot}", page.as_uri())

        dom = dumped.stdout
        assert 'data-answered="yes"' in dom, dumped.stderr[-2000:]
        live = re.search(r'data-name="live".*?>([0-9.]+)<', dom, re.DOTALL)
        assert live is not None, "the live score is not on the page"
        assert float(live.group(1)) == pytest.approx(expected, abs=1e-9)
        assert "Does not apply" in dom
        assert shot.exists(), "chromium wrote no screenshot"
        assert shot.stat().st_size > 20_000
