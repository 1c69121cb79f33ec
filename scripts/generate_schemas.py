"""Write the JSON Schemas of the file formats into the package data.

Run ``python scripts/generate_schemas.py`` after changing a domain class;
the test suite fails while the committed schema and the code disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

import allykit
from allykit.bundle import index_json_schema
from allykit.catalog import crosswalk_json_schema, scale_json_schema
from allykit.reflection.journeys import journey_json_schema

SCHEMAS = (
    Path(__file__).resolve().parent.parent / "src" / "allykit" / "data" / "schemas"
)


def main() -> None:
    """Regenerate every committed schema file."""
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    outputs = {
        "framework.schema.json": allykit.catalog.framework_json_schema(),
        "instrument.schema.json": allykit.catalog.instrument_json_schema(),
        "history.schema.json": allykit.reflection.history_json_schema(),
        "journey.schema.json": journey_json_schema(),
        "crosswalk.schema.json": crosswalk_json_schema(),
        "scale.schema.json": scale_json_schema(),
        "bundle-index.schema.json": index_json_schema(),
    }
    for name, schema in outputs.items():
        text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
        (SCHEMAS / name).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {SCHEMAS / name}")


if __name__ == "__main__":
    main()
