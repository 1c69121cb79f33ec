"""Render frameworks as worksheets people can fill in: Markdown and printable HTML.

Pure functions: they take objects and return text, and write nothing. What a
person writes on a worksheet stays on their paper or in their own file.
Every piece of text from the data is escaped, so a framework from any source
(a user file, a plugin) cannot inject markup, and the HTML page is
self-contained: inline CSS, no scripts, no external resources (URLs in
citations are printed as text, never links or loads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allykit.models.framework import Framework, ReflectivePrompt, Stage

__all__ = ["render_html_worksheet", "render_markdown_worksheet"]

_NOTE = (
    "A reflective aid, not a test: there are no right answers, and it does not "
    "describe or label you. What you write here stays with you."
)
_MD_SPECIAL = "\\`*_{}[]#|!"
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md(text: str) -> str:
    """Escape Markdown (and inline HTML) in one line of data text."""
    flat = " ".join(text.split())
    return "".join(
        _MD_ENTITIES.get(char) or ("\\" + char if char in _MD_SPECIAL else char)
        for char in flat
    )


def _checked(framework: object) -> None:
    """Raise InvalidArgumentError unless *framework* is a Framework."""
    from allykit.errors import InvalidArgumentError, short_repr
    from allykit.models.framework import Framework

    if not isinstance(framework, Framework):
        msg = (
            f"expected a Framework (from allykit.load_framework or "
            f"load_framework_file), got {short_repr(framework)}"
        )
        raise InvalidArgumentError(msg)


def _focus(framework: Framework, stage: object) -> tuple[Stage | None, bool]:
    """Return (the stage templates are rendered for, whether it is the framework's own).

    *stage* is None, a stage id of *framework*, or a Stage (of *framework*,
    or of another framework a reflective cycle or tool is applied to).
    """
    from allykit.errors import InvalidArgumentError, short_repr
    from allykit.models.framework import Stage

    if stage is None:
        return None, False
    if isinstance(stage, str):
        return framework.stage(stage), True
    if not isinstance(stage, Stage):
        msg = f"stage must be a Stage, a stage id or None, got {short_repr(stage)}"
        raise InvalidArgumentError(msg)
    own = any(candidate == stage for candidate in framework.stages)
    return stage, own


def _sections(
    framework: Framework, stage: object = None
) -> list[tuple[Stage | None, tuple[str, ...], tuple[ReflectivePrompt, ...]]]:
    """Return (stage or None, characteristic names, prompts) per worksheet section.

    Every prompt comes through the one renderer
    (:func:`allykit.reflection.render_prompt`): for the chosen stage, else
    for the section's own stage (a framework's stage, never a cycle's
    step), else with a neutral phrase. A stage of the framework itself
    keeps only its own section.
    """
    from allykit.reflection import render_prompt

    focus, own = _focus(framework, stage)
    sections: list[
        tuple[Stage | None, tuple[str, ...], tuple[ReflectivePrompt, ...]]
    ] = []
    # One pass over each collection (grouped by stage), not one per stage.
    names_of: dict[str | None, list[str]] = {}
    for characteristic in framework.characteristics:
        names_of.setdefault(characteristic.stage, []).append(characteristic.name)
    prompts_of: dict[str | None, list[ReflectivePrompt]] = {}
    for prompt in framework.prompts:
        prompts_of.setdefault(prompt.stage, []).append(prompt)
    for section in framework.stages:
        if own and section != focus:
            continue
        names = tuple(names_of.get(section.id, ()))
        prompts = tuple(
            render_prompt(p, focus, framework=framework)
            for p in prompts_of.get(section.id, ())
        )
        sections.append((section, names, prompts))
    loose_names = tuple(names_of.get(None, ()))
    loose_prompts = tuple(
        render_prompt(p, focus, framework=framework) for p in prompts_of.get(None, ())
    )
    if not own and (loose_names or loose_prompts or not framework.stages):
        sections.append((None, loose_names, loose_prompts))
    return sections


def _applied_to(framework: Framework, stage: object) -> str | None:
    """Return the "applied to" line of a sheet made for another framework's stage."""
    focus, own = _focus(framework, stage)
    if focus is None or own:
        return None
    # As the prompts below read it, and as a step's reason names it: a stage
    # that points away is moved on from, a map's stage holds people.
    if focus.direction == "away":
        return f"Applied to: moving on from stage '{focus.name}'"
    if focus.direction == "map":
        return f"Applied to: the people your map places at '{focus.name}'"
    return f"Applied to: {focus.name}"


def render_markdown_worksheet(
    framework: Framework, *, stage: Stage | str | None = None
) -> str:
    """Return a Markdown worksheet: each stage, its characteristics and prompts.

    Each prompt is followed by space to write. Citations and the licence
    close the sheet. With *stage* (a stage id or Stage of *framework*) the
    sheet holds that stage only; with a Stage of another framework (a
    reflective cycle applied to it) every template is rendered for it.
    Without it, templates read a neutral phrase (see
    :func:`allykit.reflection.render_prompt`): no slot is left unfilled.

    >>> from allykit import load_framework
    >>> sheet = render_markdown_worksheet(load_framework("ally-model"))
    >>> sheet.splitlines()[0]
    '# Worksheet: The ally model'
    >>> "## 3. Action" in sheet
    True
    >>> only = render_markdown_worksheet(load_framework("ally-model"), stage="action")
    >>> "## 1. " in only, "## 3. Action" in only
    (False, True)

    Raises:
        InvalidArgumentError: If *framework* is not a Framework, or *stage*
            is not a stage, a stage id or None.
        UnknownIdError: If *stage* is an id *framework* does not have.
    """
    _checked(framework)
    lines = [f"# Worksheet: {_md(framework.name)}", "", _md(framework.summary), ""]
    applied = _applied_to(framework, stage)
    if applied is not None:
        lines += [_md(applied), ""]
    lines += [f"*{_md(_NOTE)}*", ""]
    for section, names, prompts in _sections(framework, stage):
        if section is None:
            heading = "Throughout" if framework.stages else "Reflection"
            lines += [f"## {heading}", ""]
        else:
            lines += [f"## {section.position}. {_md(section.name)}", ""]
            lines += [_md(section.summary), ""]
        if names:
            lines += ["What it involves:", ""]
            lines += [f"- {_md(name)}" for name in names]
            lines.append("")
        for number, prompt in enumerate(prompts, start=1):
            lines += [f"**{number}. {_md(prompt.text)}**", ""]
            lines += ["> &nbsp;", ">", "> &nbsp;", ""]
    if framework.principles:
        lines += ["## Principles", ""]
        lines += [
            f"- **{_md(p.name)}**: {_md(p.description)}" for p in framework.principles
        ]
        lines.append("")
    lines += ["---", "", "Sources:", ""]
    lines += [f"- {_md(str(citation))}" for citation in framework.citations]
    licence = framework.licence
    lines += ["", f"Licence: {_md(licence.spdx or 'see note')}: {_md(licence.note)}"]
    return "\n".join(lines) + "\n"


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: Georgia, "Times New Roman", serif; color: #111; background: #fff;
  max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .25rem; border-bottom: 3px solid #234e70; }
h2 { font-size: 1.25rem; color: #234e70; margin-top: 1.8rem; }
.note { font-style: italic; color: #444; }
.stage { break-inside: avoid-page; }
.prompt { break-inside: avoid; margin: 1rem 0; }
.prompt p { font-weight: bold; margin: 0 0 .3rem; }
.lines { height: 6.5rem; border: 1px solid #888; border-radius: 4px;
  background: repeating-linear-gradient(#fff 0 1.55rem, #bbb 1.55rem 1.6rem); }
footer { margin-top: 2rem; border-top: 1px solid #888; font-size: .85rem; }
@page { size: A4; margin: 18mm; }
@media print {
  body { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
}
"""


def render_html_worksheet(
    framework: Framework, *, stage: Stage | str | None = None
) -> str:
    """Return a printable, self-contained HTML worksheet (inline CSS, no scripts).

    *stage* as for :func:`render_markdown_worksheet`.

    >>> from allykit import load_framework
    >>> page = render_html_worksheet(load_framework("ally-model"))
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> "<script" in page
    False

    Raises:
        InvalidArgumentError: If *framework* is not a Framework, or *stage*
            is not a stage, a stage id or None.
        UnknownIdError: If *stage* is an id *framework* does not have.
    """
    _checked(framework)
    from html import escape

    def e(text: str) -> str:
        return escape(text, quote=True)

    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(framework.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Worksheet: {e(framework.name)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Worksheet: {e(framework.name)}</h1>",
        f"<p>{e(framework.summary)}</p>",
    ]
    applied = _applied_to(framework, stage)
    if applied is not None:
        parts.append(f"<p>{e(applied)}</p>")
    parts.append(f'<p class="note">{e(_NOTE)}</p>')
    for section, names, prompts in _sections(framework, stage):
        parts.append('<section class="stage">')
        if section is None:
            heading = "Throughout" if framework.stages else "Reflection"
            parts.append(f"<h2>{heading}</h2>")
        else:
            parts.append(f"<h2>{section.position}. {e(section.name)}</h2>")
            parts.append(f"<p>{e(section.summary)}</p>")
        if names:
            parts.append("<ul>")
            parts.extend(f"<li>{e(name)}</li>" for name in names)
            parts.append("</ul>")
        for number, prompt in enumerate(prompts, start=1):
            parts.append('<div class="prompt">')
            parts.append(f"<p>{number}. {e(prompt.text)}</p>")
            parts.append('<div class="lines"></div>')
            parts.append("</div>")
        parts.append("</section>")
    if framework.principles:
        parts.append('<section class="stage"><h2>Principles</h2><ul>')
        parts.extend(
            f"<li><strong>{e(p.name)}</strong>: {e(p.description)}</li>"
            for p in framework.principles
        )
        parts.append("</ul></section>")
    parts.append("<footer><p>Sources:</p><ul>")
    parts.extend(f"<li>{e(str(citation))}</li>" for citation in framework.citations)
    licence = framework.licence
    parts.append(
        f"</ul><p>Licence: {e(licence.spdx or 'see note')}: {e(licence.note)}</p>"
    )
    parts += ["</footer>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
