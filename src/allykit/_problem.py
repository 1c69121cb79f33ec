"""The one record of a problem in a piece of data: ``allykit.errors.Problem``.

Its own module so that ``import allykit`` (and the command's ``--help``)
imports no attrs: the class is built the first time a problem is made.
"""

from __future__ import annotations

import attrs

from allykit._printable import printable

__all__ = ["Problem"]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a piece of data, and where it is.

    Attributes:
        path: Where the problem is, such as ``stages[2].name``; empty for the
            whole document.
        message: What is wrong.
        value: A short ``repr`` of the offending value, or empty.
        hint: What to do about it, or empty.
    """

    path: str
    message: str
    value: str = ""
    hint: str = ""

    def __str__(self) -> str:
        """Render as ``path: message (got value); hint``, on one printable line.

        Control characters (which untrusted data may put in a path, such as
        a key holding a terminal escape sequence) are shown escaped.
        """
        text = f"{self.path or '<document>'}: {self.message}"
        if self.value:
            text += f" (got {self.value})"
        if self.hint:
            text += f"; {self.hint}"
        return printable(text)
