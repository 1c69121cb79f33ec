"""Text safe to print on a terminal: control and direction characters escaped.

A leaf module (no imports of allykit), shared by ``Problem``, the catalogue
and the command. The public name is :func:`allykit.errors.printable`.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "C1_CONTROLS", "printable"]

#: Characters that change the direction of the text after them: the
#: embeddings and overrides U+202A-U+202E and the isolates U+2066-U+2069. In
#: a name they can make it read as another name ("Trojan Source").
BIDI_CONTROLS = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
)

#: DEL and the C1 control characters U+0080-U+009F (some terminals act on
#: them as on ESC sequences).
C1_CONTROLS = frozenset(chr(code) for code in range(0x7F, 0xA0))


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x100:  # noqa: PLR2004 -- the Latin-1 range repr writes as \xNN
        return repr(char)[1:-1]
    return f"\\u{code:04x}"


# C0, DEL, C1, the bidi controls, and the line and paragraph separators
# (U+2028/U+2029: a line break to some terminals). Patterns, not compiled
# objects: ``re`` compiles each on first use and keeps it, so importing
# the errors module compiles nothing.
_ALL = r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
_BUT_LINES = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"


def printable(text: str, *, lines: bool = False) -> str:
    r"""Return *text* with the characters that could drive a terminal escaped.

    Escaped: the C0 controls, DEL, the C1 controls (U+0080-U+009F), the
    bidirectional embeddings, overrides and isolates (U+202A-U+202E,
    U+2066-U+2069) and the line and paragraph separators. Use it for every
    name that reaches a terminal (file names, plugin labels, ids); with
    *lines*, tab and newline pass through (for text of several lines).

    Args:
        text: The text to print.
        lines: Keep tabs and newlines as they are.

    Returns:
        The text, each such character written as its Python escape.

    >>> printable("a\x1b[2Jb")
    'a\\x1b[2Jb'
    >>> printable("evil\u202egnp.exe")
    'evil\\u202egnp.exe'
    >>> printable("one\ntwo", lines=True)
    'one\ntwo'
    """
    return re.sub(_BUT_LINES if lines else _ALL, _escaped, text)
