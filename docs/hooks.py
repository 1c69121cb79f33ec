"""MkDocs hook: show the ``>>>`` examples of docstrings as code blocks.

allykit's docstrings hold runnable examples as bare ``>>>`` lines (doctest
runs them). Markdown would read ``>`` as a quote, so this hook adds a tiny
Markdown preprocessor that fences each run of example lines (up to the next
blank line) as ``pycon``. Lines already inside a fence are left alone.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class _FenceExamples(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        fenced = in_example = False
        for line in lines:
            stripped = line.strip()
            if in_example and not stripped:
                result.append("```")
                in_example = False
            if stripped.startswith("```") and not in_example:
                fenced = not fenced
            elif not fenced and not in_example and stripped.startswith(">>> "):
                result.append("```pycon")
                in_example = True
            result.append(line)
        if in_example:
            result.append("```")
        return result


class _Examples(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 -- Markdown's API
        # Before fenced code (priority 25) so the new fences are highlighted.
        md.preprocessors.register(_FenceExamples(md), "allykit_examples", 30)


def on_config(config: Any) -> Any:
    """Register the preprocessor with every Markdown conversion of the site."""
    config.markdown_extensions.append(_Examples())
    return config
