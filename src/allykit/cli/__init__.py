"""The ``allykit`` command's entry point: run the CLI, or explain how to get it.

The command itself lives in :mod:`allykit.cli._app` and needs the optional
extra ``cli`` (typer and rich). This module imports neither until it runs,
so ``python -m allykit`` can fall back to the plain tour of
:mod:`allykit.cli._plain` when the extra is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["cli_available", "main"]

_MISSING = (
    "the allykit command needs the optional 'cli' extra: "
    "python -m pip install 'allykit-frameworks[cli]'"
)


def cli_available() -> bool:
    """Return whether typer and rich (the ``cli`` extra) can be imported."""
    from importlib.util import find_spec

    return find_spec("typer") is not None and find_spec("rich") is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``allykit`` command with *argv* (default: ``sys.argv[1:]``).

    Returns the exit status: 0 on success, 1 when the input has problems
    (or an error occurred), 2 for a usage error. Errors are printed as one
    readable message on stderr, never as a traceback.
    """
    if not cli_available():
        print(f"allykit: {_MISSING}", file=sys.stderr)
        return 1
    from allykit.cli._app import run

    return run(list(sys.argv[1:] if argv is None else argv))
