"""The example web app (examples/reflection-webapp): a reflection session on allykit.

Through FastAPI's test client: the next prompt and its reason as allykit
gives them, answers kept per visitor in SQLite, nothing logged; then once in
headless Chromium, with a screenshot and axe-core. Skips with a reason when
the ``webapp`` dependency group (FastAPI) is not installed.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import allykit
from allykit.reflection import History, next_step

pytest.importorskip(
    "fastapi", reason="the web app needs the webapp group: pip install --group webapp"
)
pytest.importorskip(
    "multipart",
    reason="form posts need python-multipart: pip install --group webapp",
)
with warnings.catch_warnings():
    # Starlette's test client announces a move from httpx to httpx2.
    warnings.filterwarnings("ignore", message=".*httpx.*", category=UserWarning)
    from fastapi.testclient import TestClient

_APP = Path(__file__).resolve().parent.parent / "examples" / "reflection-webapp"
ANSWER = "My very own <b>answer</b> & nobody else's 7f3c"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "reflection_app", _APP / "reflection_app.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


webapp = _module()


@pytest.fixture(name="database")
def _database(tmp_path: Path) -> Path:
    return tmp_path / "reflections.sqlite3"


@pytest.fixture(name="client")
def _client(database: Path) -> TestClient:
    return TestClient(webapp.create_app(database))


def _seed(database: Path, client: TestClient) -> int:
    token = client.cookies[webapp.COOKIE]
    digest = hashlib.sha256(token.encode()).hexdigest()
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT seed FROM visitors WHERE id = ?", (digest,)).fetchone()
    return int(row[0])


def _shown(page: str) -> str:
    found = re.search(r'name="prompt" value="([^"]+)"', page)
    assert found, "no prompt on the page"
    return html.unescape(found.group(1))


def _answer(client: TestClient, text: str = ANSWER) -> Any:
    page = client.get("/").text
    return client.post(
        "/answer",
        data={"prompt": _shown(page), "answer": text},
        follow_redirects=False,
    )


class TestSession:
    def test_first_visit_shows_the_next_step(
        self, client: TestClient, database: Path
    ) -> None:
        """The page shows allykit's next step for the visitor: prompt, stage, reason."""
        page = client.get("/")
        model = allykit.load_framework("ally-model")
        step = next_step(model, History(), seed=_seed(database, client))

        assert page.status_code == 200
        assert html.escape(step.prompt.text) in page.text
        assert html.escape(step.reason) in page.text
        assert step.stage is not None
        assert f"Stage: {html.escape(step.stage.name)}" in page.text
        assert '<label for="answer">Your answer</label>' in page.text

    def test_the_cookie_is_private(self, client: TestClient) -> None:
        """HttpOnly and SameSite=Lax; the page is never cached."""
        page = client.get("/")
        cookie = page.headers["set-cookie"].lower()

        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert page.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in page.headers["content-security-policy"]

    def test_an_answer_moves_on_and_is_kept(
        self, client: TestClient, database: Path
    ) -> None:
        """After an answer: the history shows it (escaped), the next step follows."""
        first = _shown(client.get("/").text)
        saved = _answer(client)
        page = client.get("/").text
        model = allykit.load_framework("ally-model")
        history = History.from_dict(
            {"entries": [{"prompt": first, "stage": "self-examination"}]}
        )
        step = next_step(model, history, seed=_seed(database, client))

        assert saved.status_code == 303
        assert html.escape(ANSWER) in page
        assert "<b>answer</b>" not in page
        assert _shown(page) == step.prompt.id != first
        assert "Your reflections so far (1)" in page

    def test_each_visitor_has_their_own_history(self, database: Path) -> None:
        """Two browsers, two histories: one never sees the other's answers."""
        app = webapp.create_app(database)
        alice, bob = TestClient(app), TestClient(app)
        _answer(alice)

        assert html.escape(ANSWER) in alice.get("/").text
        assert html.escape(ANSWER) not in bob.get("/").text
        assert "Your reflections so far" not in bob.get("/").text

    def test_the_database_keeps_no_token(
        self, client: TestClient, database: Path
    ) -> None:
        """Only the SHA-256 of the cookie's token is stored."""
        _answer(client)
        token = client.cookies[webapp.COOKIE]
        raw = database.read_bytes()

        assert token.encode() not in raw
        assert hashlib.sha256(token.encode()).hexdigest().encode() in raw

    def test_a_history_survives_a_restart(
        self, client: TestClient, database: Path
    ) -> None:
        """A new app on the same file picks up where the visitor left off."""
        _answer(client)
        again = TestClient(webapp.create_app(database))
        again.cookies.set(webapp.COOKIE, client.cookies[webapp.COOKIE])

        assert html.escape(ANSWER) in again.get("/").text

    def test_json_next_step(self, client: TestClient, database: Path) -> None:
        """/api/next gives the same step as the page, for a front end of one's own."""
        page = client.get("/").text
        body = client.get("/api/next").json()
        step = next_step(
            allykit.load_framework("ally-model"),
            History(),
            seed=_seed(database, client),
        )

        assert body["prompt"]["id"] == _shown(page) == step.prompt.id
        assert body["reason"] == step.reason
        assert body["answered"] == 0

    def test_json_without_a_visitor(self, client: TestClient) -> None:
        """No cookie, no next step: the visitor must open the page first."""
        assert client.get("/api/next").status_code == 401


class TestRefusals:
    def test_an_empty_answer(self, client: TestClient) -> None:
        """A blank answer is not saved; the page says what to do."""
        result = _answer(client, "   \n ")

        assert result.status_code == 400
        assert "Write an answer before saving." in result.text
        assert "Your reflections so far" not in client.get("/").text

    def test_a_long_answer_keeps_the_draft(self, client: TestClient) -> None:
        """Too long: refused, with the text kept in the box to shorten."""
        text = "x" * (webapp.MAX_ANSWER + 1)
        result = _answer(client, text)

        assert result.status_code == 400
        assert f"up to {webapp.MAX_ANSWER} characters" in result.text
        assert text in result.text

    def test_a_second_submit_is_not_saved_twice(self, client: TestClient) -> None:
        """An old form (double click, a second tab) is not stored again."""
        page = client.get("/").text
        form = {"prompt": _shown(page), "answer": ANSWER}
        client.post("/answer", data=form, follow_redirects=False)
        again = client.post("/answer", data=form, follow_redirects=False)

        assert again.status_code == 409
        assert "already answered" in again.text
        assert "Your reflections so far (1)" in client.get("/").text

    def test_an_unknown_visitor_starts_afresh(self, database: Path) -> None:
        """A forged or stale cookie is a new visitor, never someone else."""
        client = TestClient(webapp.create_app(database))
        client.cookies.set(webapp.COOKIE, "made-up")
        posted = client.post(
            "/answer",
            data={"prompt": "x", "answer": ANSWER},
            follow_redirects=False,
        )

        assert posted.status_code == 303
        assert html.escape(ANSWER) not in client.get("/").text

    def test_forget_me(self, client: TestClient, database: Path) -> None:
        """Forget me deletes the visitor's rows and the cookie."""
        _answer(client)
        done = client.post("/forget", follow_redirects=False)

        assert done.status_code == 303
        with sqlite3.connect(database) as db:
            counts = [
                db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 -- fixed names
                for table in ("visitors", "steps")
            ]
        assert counts == [0, 0]
        assert ANSWER.encode() not in database.read_bytes()


def test_answers_are_never_logged(
    database: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Every logger at DEBUG, stdout and stderr: the answer appears nowhere."""
    caplog.set_level(logging.DEBUG)
    client = TestClient(webapp.create_app(database))
    _answer(client)
    client.get("/")
    client.get("/api/next")
    _answer(client, "x" * (webapp.MAX_ANSWER + 1))
    out, err = capfd.readouterr()

    assert ANSWER not in caplog.text
    assert "nobody else" not in caplog.text
    assert "nobody else" not in out + err


def test_main_runs_uvicorn_on_localhost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's command serves the app on 127.0.0.1:8000 with the named file."""
    uvicorn = pytest.importorskip("uvicorn", reason="pip install --group webapp")
    seen: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        seen.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("ALLYKIT_WEBAPP_DB", str(tmp_path / "db.sqlite3"))
    webapp.main()

    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    assert (tmp_path / "db.sqlite3").is_file()


def test_readme_has_one_command() -> None:
    """The example's README gives one command that installs and runs it."""
    text = (_APP / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)\n```", text, re.DOTALL)

    assert block
    assert block.group(1).count("\n") == 0
    assert "reflection_app.py" in block.group(1)
    assert "--group webapp" in block.group(1)


# -- once in a real browser --------------------------------------------------


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


def _axe() -> str:
    found = os.environ.get("AXE_CORE_JS")
    if found and Path(found).is_file():
        return Path(found).read_text(encoding="utf-8")
    pytest.skip(
        "axe-core not found: .ci/run installs it with npm and sets AXE_CORE_JS "
        "(npm install axe-core@4)"
    )


@pytest.mark.reference
def test_in_headless_chromium(tmp_path: Path, database: Path) -> None:
    """The session page (after one answer) renders, and axe-core finds no violation.

    The page is saved as the server sent it; only the axe-core runner is added
    (the app's own Content-Security-Policy would block it in a live server).
    """
    client = TestClient(webapp.create_app(database))
    _answer(client)
    page = client.get("/").text
    shot = tmp_path / "session.png"
    saved = tmp_path / "session.html"
    saved.write_text(page, encoding="utf-8")
    _run_chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=900,1400", saved.as_uri()
    )
    assert shot.is_file(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 15_000  # text and a form, not a blank page

    runner = (
        f"<script>{_axe()}</script><script>"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
        ".then(r => {const p = document.createElement('pre'); p.id = 'axe-result';"
        "p.textContent = JSON.stringify(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})));"
        "document.body.appendChild(p);});</script>"
    )
    checked = tmp_path / "checked.html"
    checked.write_text(page.replace("</body>", runner + "</body>"), encoding="utf-8")
    done = _run_chromium(
        tmp_path, "--virtual-time-budget=20000", "--dump-dom", checked.as_uri()
    )
    found = re.search(r'<pre id="axe-result">([^<]*)</pre>', done.stdout)
    assert found, "axe-core gave no result"
    violations = json.loads(html.unescape(found.group(1)))

    assert violations == []
