"""``python -m allykit``: print the catalogue and the ally model's stages."""

from __future__ import annotations

import sys

from allykit._main import main

if __name__ == "__main__":
    sys.exit(main())
