# ruff: noqa: INP001 -- a script of the examples folder, not a package
"""A small reflection web app on allykit: FastAPI, SQLite and server-rendered HTML.

Each visitor gets the next reflective prompt of a framework (the ally model
by default) with the reason allykit gives for choosing it, an answer box,
and their own history of prompts and answers. allykit chooses; this app
stores and shows:

- the history (stable ids of the prompts shown) and the answers live in one
  SQLite file, through the standard library's :mod:`sqlite3`;
- a visitor is a random token in an HTTP-only cookie; the database keeps
  only its SHA-256, so a copy of the database names no cookie;
- answers are never logged, never put in a URL and never sent anywhere;
  "Forget me" deletes a visitor's rows.

Run it (from the repository root)::

    python examples/reflection-webapp/reflection_app.py

and open http://127.0.0.1:8000/. ``ALLYKIT_WEBAPP_DB`` names the database
file (default ``reflections.sqlite3`` beside this script, ignored by git).
"""

from __future__ import annotations

import hashlib
import html
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

import allykit
from allykit.models.framework import Framework
from allykit.reflection import History, Step, next_step

__all__ = ["COOKIE", "MAX_ANSWER", "create_app"]

#: The cookie that names a visitor (a random token, never stored as is).
COOKIE = "allykit_reflection"
#: Longest answer kept, in characters.
MAX_ANSWER = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS visitors (
    id TEXT PRIMARY KEY,        -- SHA-256 of the cookie's token
    seed INTEGER NOT NULL       -- the visitor's own order of prompts
);
CREATE TABLE IF NOT EXISTS steps (
    visitor TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    framework TEXT NOT NULL,
    stage TEXT,
    prompt TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (visitor, position)
);
"""

_HEADERS = {
    # Answers are on the page: never cached, never sent as a referrer.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}

_STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0;
       color: #1a1a1a; background: #fafafa; }
main { max-width: 42rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
.stage { color: #3d3d3d; margin-top: 0; }
.prompt { font-size: 1.2rem; background: #fff; border-left: 0.3rem solid #2b4c9b;
          padding: 0.75rem 1rem; margin: 1rem 0; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem;
           border: 1px solid #555; border-radius: 0.25rem; }
button { font: inherit; padding: 0.5rem 1rem; margin-top: 0.75rem; cursor: pointer;
         border-radius: 0.25rem; border: 1px solid #1f3a7a; }
.primary { background: #2b4c9b; color: #fff; }
.secondary { background: #fff; color: #1f3a7a; }
:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.error { color: #a40000; font-weight: 600; }
.hint { color: #3d3d3d; font-size: 0.95rem; }
ol.history li { margin-bottom: 1rem; }
.answer { white-space: pre-wrap; margin: 0.25rem 0 0; }
"""


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    """The app's SQLite file: visitors, the prompts they were shown, their answers."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One connection per request: sqlite3 connections are not shared
        # between threads, and FastAPI runs plain functions in a pool.
        with closing(sqlite3.connect(self.path)) as db, db:
            db.execute("PRAGMA foreign_keys = ON")
            yield db

    def new_visitor(self) -> str:
        """Create a visitor; return the token for their cookie."""
        token = secrets.token_urlsafe(32)
        with self._connect() as db:
            db.execute(
                "INSERT INTO visitors (id, seed) VALUES (?, ?)",
                (_token_id(token), secrets.randbits(31)),
            )
        return token

    def seed(self, token: str) -> int | None:
        """Return the visitor's seed, or None for an unknown token."""
        with self._connect() as db:
            row = db.execute(
                "SELECT seed FROM visitors WHERE id = ?", (_token_id(token),)
            ).fetchone()
        return None if row is None else int(row[0])

    def steps(self, token: str, framework: str) -> list[tuple[str | None, str, str]]:
        """Return the visitor's (stage, prompt, answer) rows, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT stage, prompt, answer FROM steps "
                "WHERE visitor = ? AND framework = ? ORDER BY position",
                (_token_id(token), framework),
            ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def add(self, token: str, step: Step, answer: str) -> None:
        """Record that *step* was answered with *answer*."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO steps "
                "(visitor, position, framework, stage, prompt, answer) "
                "SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ? "
                "FROM steps WHERE visitor = ?",
                (
                    _token_id(token),
                    step.framework,
                    step.stage.id if step.stage is not None else None,
                    step.prompt.id,
                    answer,
                    _token_id(token),
                ),
            )

    def forget(self, token: str) -> None:
        """Delete the visitor and everything kept about them."""
        with self._connect() as db:
            db.execute("DELETE FROM visitors WHERE id = ?", (_token_id(token),))


def _history(rows: list[tuple[str | None, str, str]], framework: str) -> History:
    """The visitor's history, checked as any stored data is (the ids only)."""
    entries = [
        {"prompt": prompt, "stage": stage, "framework": framework}
        for stage, prompt, _answer in rows
    ]
    return History.from_dict({"entries": entries}, source="the visitor's history")


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _render(
    framework: Framework,
    step: Step,
    rows: list[tuple[str | None, str, str]],
    *,
    error: str = "",
    draft: str = "",
) -> str:
    """The page: the next prompt, its reason, the answer box, the history."""
    stage = step.stage.name if step.stage is not None else "General"
    prompt_id = html.escape(step.prompt.id)
    parts = [
        f"<h1>{html.escape(framework.name)}</h1>",
        f'<p class="stage">Stage: {html.escape(stage)}</p>',
        '<form method="post" action="/answer">',
        '<p class="prompt" id="prompt">' + html.escape(step.prompt.text) + "</p>",
        "<details><summary>Why this prompt?</summary>",
        f"<p>{html.escape(step.reason)}</p></details>",
        f'<input type="hidden" name="prompt" value="{prompt_id}">',
    ]
    if error:
        parts.append(f'<p class="error" id="answer-error">{html.escape(error)}</p>')
    described = "prompt answer-hint" + (" answer-error" if error else "")
    parts += [
        '<label for="answer">Your answer</label>',
        (
            f'<textarea id="answer" name="answer" rows="6" maxlength="{MAX_ANSWER}" '
            f'aria-describedby="{described}" required>{html.escape(draft)}</textarea>'
        ),
        (
            '<p class="hint" id="answer-hint">Kept in this app\'s database for you '
            "only; never logged or sent anywhere.</p>"
        ),
        '<button class="primary" type="submit">Save my answer</button>',
        "</form>",
    ]
    if rows:
        stage_names: dict[str, str] = {s.id: s.name for s in framework.stages}
        prompt_texts: dict[str, str] = {p.id: p.text for p in framework.prompts}
        parts.append(f"<h2>Your reflections so far ({len(rows)})</h2>")
        parts.append('<ol class="history">')
        for stage_id, shown, answer in reversed(rows):
            where = stage_names.get(stage_id or "", "General")
            text = prompt_texts.get(shown, shown)
            parts.append(
                f"<li><strong>{html.escape(where)}</strong>: {html.escape(text)}"
                f'<p class="answer">{html.escape(answer)}</p></li>'
            )
        parts.append("</ol>")
    parts += [
        "<h2>Your data</h2>",
        '<form method="post" action="/forget">',
        '<p class="hint">Delete your history and answers from this app.</p>',
        '<button class="secondary" type="submit">Forget me</button></form>',
    ]
    return _page(f"Reflect: {framework.name}", "\n".join(parts))


def create_app(  # noqa: C901 -- the routes are closures over one store and framework
    database: str | os.PathLike[str], *, framework_id: str = "ally-model"
) -> FastAPI:
    """Return the app, keeping its data in the SQLite file *database*."""
    framework = allykit.load_framework(framework_id)
    store = Store(database)
    app = FastAPI(title=f"Reflect: {framework.name}", docs_url=None, redoc_url=None)

    def visitor(request: Request) -> tuple[str, int] | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        seed = store.seed(token)
        return None if seed is None else (token, seed)

    def respond(content: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(content, status_code=status, headers=_HEADERS)

    def render(token: str, seed: int, *, error: str = "", draft: str = "") -> str:
        rows = store.steps(token, framework.id)
        step = next_step(framework, _history(rows, framework.id), seed=seed)
        return _render(framework, step, rows, error=error, draft=draft)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        known = visitor(request)
        if known is None:
            token = store.new_visitor()
            response = respond(render(token, store.seed(token) or 0))
            response.set_cookie(
                COOKIE,
                token,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
                max_age=60 * 60 * 24 * 365,
            )
            return response
        return respond(render(*known))

    @app.post("/answer")
    def answer(
        request: Request,
        prompt: Annotated[str, Form()] = "",
        answer: Annotated[str, Form()] = "",
    ) -> Response:
        known = visitor(request)
        if known is None:
            return RedirectResponse("/", status_code=303, headers=_HEADERS)
        token, seed = known
        text = answer.replace("\r\n", "\n").strip()
        shown = prompt
        step = next_step(
            framework,
            _history(store.steps(token, framework.id), framework.id),
            seed=seed,
        )
        if shown != step.prompt.id:
            # A second submit of the same form, or an old tab: the answer
            # belongs to a prompt that is no longer the next one.
            return respond(
                render(
                    token,
                    seed,
                    error="That prompt was already answered; here is the next one. "
                    "Your text is kept in the box below.",
                    draft=text,
                ),
                status=409,
            )
        if not text:
            return respond(
                render(token, seed, error="Write an answer before saving."), status=400
            )
        if len(text) > MAX_ANSWER:
            return respond(
                render(
                    token,
                    seed,
                    error=f"Answers are kept up to {MAX_ANSWER} characters; "
                    "shorten it and save again.",
                    draft=text,
                ),
                status=400,
            )
        store.add(token, step, text)
        return RedirectResponse("/", status_code=303, headers=_HEADERS)

    @app.post("/forget")
    def forget(request: Request) -> Response:
        known = visitor(request)
        if known is not None:
            store.forget(known[0])
        response = RedirectResponse("/", status_code=303, headers=_HEADERS)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/api/next")
    def api_next(request: Request) -> Response:
        """The next prompt as JSON, for a front end of your own."""
        known = visitor(request)
        if known is None:
            return JSONResponse(
                {"error": "no visitor: open / first"}, status_code=401, headers=_HEADERS
            )
        token, seed = known
        rows = store.steps(token, framework.id)
        step = next_step(framework, _history(rows, framework.id), seed=seed)
        body: dict[str, Any] = {
            "framework": step.framework,
            "stage": None if step.stage is None else step.stage.id,
            "prompt": {"id": step.prompt.id, "text": step.prompt.text},
            "reason": step.reason,
            "answered": len(rows),
        }
        return JSONResponse(body, headers=_HEADERS)

    return app


def main() -> None:
    """Serve the app on http://127.0.0.1:8000/ (uvicorn)."""
    import uvicorn

    here = Path(__file__).resolve().parent
    database = os.environ.get("ALLYKIT_WEBAPP_DB") or here / "reflections.sqlite3"
    # The access log names method, path and status only; answers travel in
    # POST bodies, which nothing logs.
    uvicorn.run(create_app(database), host="127.0.0.1", port=8000)


if __name__ == "__main__":
    main()
