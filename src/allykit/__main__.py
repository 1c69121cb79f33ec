"""``python -m allykit``: the ``allykit`` command, or the plain tour without it.

With the ``cli`` extra installed this is the same as the ``allykit``
command; without it, it prints the catalogue and the ally model's stages.
"""

from __future__ import annotations

import sys

from allykit.cli import cli_available, main
from allykit.cli._plain import main as tour

if __name__ == "__main__":
    sys.exit(main() if cli_available() else tour())
