"""Text safe to print on a terminal: control characters shown escaped.

A leaf module (no imports of allykit), shared by ``Problem`` and the
command.
"""

from __future__ import annotations

import re

__all__ = ["printable"]


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""Return *text* with control characters (C0, DEL, C1) escaped.

    >>> printable("a\x1b[31mb")
    'a\\x1b[31mb'
    """
    return _CONTROL.sub(_escaped, text)
