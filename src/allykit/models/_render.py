"""One renderer for every prompt text: the ``{focus}`` slot, filled by one rule.

Every door that shows a prompt (``next_step``, ``plan_session``, the ally
map, worksheets, ``search``, ``allykit show``, ``reflect``, ``assess``) goes
through :func:`render_prompt` (public as
:func:`allykit.reflection.render_prompt`), so a template reads the same
everywhere and never reaches a reader with its slot unfilled. It lives in
the models layer so that every layer above, the catalogue's search
included, can use it.

The rule for what fills the slot (also in ``docs/sequencing.md``):

* a stage that points ``towards`` (or does not say), or one the template
  ``fits``: the stage's ``phrase`` (its name when it has none);
* a stage that points ``away`` (behaviour to move away from) and that the
  template does not fit: "moving on from <phrase>", so a template that asks
  for action never asks for the behaviour itself;
* a stage that is a ``map`` of other people (the spectrum of allies) and
  that the template does not fit: "the people your map places at <phrase>",
  so other groups are never read as the user's own stage;
* text: the text itself;
* nothing given: the prompt's own stage when its framework is about
  stages (not a reflective cycle, whose steps are not topics); else a
  neutral phrase for the framework's kind ("allyship" for a reflective
  cycle's own templates, "one of these dimensions" for a positionality
  tool), else :data:`NEUTRAL_FOCUS`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs

from allykit.errors import InvalidArgumentError, short_repr
from allykit.models.framework import Framework, ReflectivePrompt, Stage

if TYPE_CHECKING:
    from allykit.models.framework import Direction

__all__ = [
    "FOCUS_PLACEHOLDER",
    "NEUTRAL_FOCUS",
    "focus_phrase",
    "render_prompt",
    "unfilled_slots",
]

#: The placeholder a prompt template uses for the stage being reflected on.
FOCUS_PLACEHOLDER = "{focus}"
#: What fills the slot when nothing says what the prompt is about.
NEUTRAL_FOCUS = "the part of your allyship you choose to reflect on"

# What a framework's own templates are about when no stage is given: a
# reflective cycle's steps are not topics, a positionality tool's prompts
# are about any of its dimensions.
_OWN_FOCUS = {
    "reflective-cycle": "allyship",
    "positionality-tool": "one of these dimensions",
}
_FORMS: dict[Direction, str] = {
    "towards": "{phrase}",
    "away": "moving on from {phrase}",
    "map": "the people your map places at {phrase}",
}
_SLOT = re.compile(r"\\?\{[^{}]*\\?\}|[{}]")


def focus_phrase(prompt: ReflectivePrompt, stage: Stage) -> str:
    """Return what fills *prompt*'s slot for *stage*, by the stage's direction.

    >>> from allykit import load_framework
    >>> kolb = load_framework("kolb-experiential-learning")
    >>> continuum = load_framework("action-continuum")
    >>> template = kolb.prompt("kolb-try-it-out")
    >>> focus_phrase(template, continuum.stage("actively-joins-in"))
    'moving on from joining in harmful behaviour'
    >>> focus_phrase(template, continuum.stage("educate-oneself"))
    'educating yourself'
    """
    phrase = stage.phrase or stage.name
    direction: Direction = stage.direction or "towards"
    fits = prompt.fits or ("towards",)
    if direction in fits:
        return phrase
    return _FORMS[direction].format(phrase=phrase)


def _default_focus(prompt: ReflectivePrompt, framework: object) -> Stage | str:
    """What a prompt is about when no focus is given (see the module rule)."""
    if framework is None:
        return NEUTRAL_FOCUS
    if not isinstance(framework, Framework):
        msg = f"framework must be a Framework or None, got {short_repr(framework)}"
        raise InvalidArgumentError(msg)
    if framework.kind in _OWN_FOCUS:
        return _OWN_FOCUS[framework.kind]
    if prompt.stage is not None:
        # The framework's own id index: one lookup, not a scan per prompt.
        found: Stage | None = framework._table("stages").get(prompt.stage)  # noqa: SLF001
        if found is not None:
            return found
    return NEUTRAL_FOCUS


def render_prompt(
    prompt: ReflectivePrompt,
    focus: Stage | str | None = None,
    *,
    framework: Framework | None = None,
) -> ReflectivePrompt:
    """Return *prompt* with its ``{focus}`` slot filled: the one renderer.

    Prompt templates (prompts whose text holds ``{focus}``, tagged
    ``template``) can be applied to any stage of any framework. *focus* is
    that stage, or any text, or None when nothing is known; see the module
    documentation for the rule (a stage that points away is rendered as
    "moving on from ...", a map of other people as "the people your map
    places at ..."). *framework* is the framework the prompt belongs to,
    used only when *focus* is None (the prompt's own stage, else a neutral
    phrase). Prompts without
    the placeholder come back unchanged; only the exact text ``{focus}`` is
    replaced.

    Raises:
        InvalidArgumentError: If *prompt* is not a ReflectivePrompt, or
            *focus* is not a stage, non-blank text or None.

    >>> from allykit import load_framework
    >>> gibbs = load_framework("gibbs-reflective-cycle")
    >>> stage = load_framework("ally-model").stage("awareness-and-education")
    >>> "{focus}" in gibbs.prompt("gibbs-name-the-feelings").text
    True
    >>> text = render_prompt(gibbs.prompt("gibbs-name-the-feelings"), stage).text
    >>> text.startswith("Looking back at that experience linked to awareness and")
    True
    >>> lesson = gibbs.prompt("gibbs-one-sentence-lesson")
    >>> render_prompt(lesson, framework=gibbs).text[:35]
    'Write the main lesson about allyshi'
    """
    if not isinstance(prompt, ReflectivePrompt):
        msg = f"expected a ReflectivePrompt, got {short_repr(prompt)}"
        raise InvalidArgumentError(msg)
    value: object = focus  # checked at run time: callers may pass anything
    if value is None:
        value = _default_focus(prompt, framework)
    if isinstance(value, Stage):
        name = focus_phrase(prompt, value)
    elif isinstance(value, str) and value.strip():
        name = value
    else:
        msg = f"expected a stage, non-blank text or None, got {short_repr(focus)}"
        raise InvalidArgumentError(msg)
    if FOCUS_PLACEHOLDER not in prompt.text:
        return prompt
    return attrs.evolve(prompt, text=prompt.text.replace(FOCUS_PLACEHOLDER, name))


def unfilled_slots(text: str) -> list[str]:
    r"""Return every brace (or escaped brace) left in *text*: slots not filled.

    >>> unfilled_slots(r"Think about {focus} and \{stage\}.")
    ['{focus}', '\\{stage\\}']
    >>> unfilled_slots("Nothing left to fill.")
    []
    """
    return _SLOT.findall(text)
