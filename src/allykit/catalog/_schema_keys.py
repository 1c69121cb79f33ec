"""Keys of allykit's own in a core schema's ``metadata``.

Written by :mod:`allykit.catalog._schema` (the validation schemas) and read by
:mod:`allykit.catalog._json_schema` (their JSON Schema); kept apart so that
neither module imports the other at import time.
"""

from __future__ import annotations

__all__ = ["METADATA_DESCRIPTION", "METADATA_TITLE"]

#: A field's description in the JSON Schema.
METADATA_DESCRIPTION = "allykit_description"
#: An object's title in the JSON Schema.
METADATA_TITLE = "allykit_title"
