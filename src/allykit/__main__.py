"""``python -m allykit``: the ``allykit`` command, or the plain tour without it.

With the ``cli`` extra installed this is the same as the ``allykit``
command, arguments and all. Without it, ``python -m allykit`` alone prints
the catalogue and the ally model's stages; with arguments it says how to
install the extra (status 1) rather than ignore them.
"""

from __future__ import annotations

import sys

from allykit.cli import cli_available, main


def _run(argv: list[str]) -> int:
    if cli_available() or argv:
        return main(argv)
    # The plain tour loads the catalogue and the sequencing engine: imported
    # only when it runs, so that ``python -m allykit --help`` does not pay
    # for it.
    from allykit.cli._plain import main as tour

    return tour()


if __name__ == "__main__":
    sys.exit(_run(sys.argv[1:]))
