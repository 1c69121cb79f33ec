"""Write ``tests/released_ids.json``: every id allykit has released.

Run ``python scripts/snapshot_released_ids.py`` when releasing new content.
The snapshot only ever grows: ids already in it are kept, so that a test
fails if a released id disappears without a ``replaced_by`` deprecation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import allykit
from allykit.catalog._store import bundled_ids

SNAPSHOT = Path(__file__).resolve().parent.parent / "tests" / "released_ids.json"
COLLECTIONS = ("stages", "characteristics", "prompts", "principles", "citations")


def current() -> dict[str, Any]:
    """Return the ids shipped by the installed allykit."""
    frameworks: dict[str, dict[str, list[str]]] = {}
    for framework_id in bundled_ids("frameworks"):
        framework = allykit.load_framework(framework_id)
        frameworks[framework_id] = {
            collection: sorted(item.id for item in getattr(framework, collection))
            for collection in COLLECTIONS
        }
    return {
        "frameworks": frameworks,
        "crosswalks": list(allykit.catalog.available_crosswalks()),
        "scales": list(allykit.catalog.available_scales()),
    }


def merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Return *new* plus every id of *old* (released ids are never dropped)."""
    frameworks = {k: dict(v) for k, v in new["frameworks"].items()}
    for framework_id, collections in old.get("frameworks", {}).items():
        target = frameworks.setdefault(framework_id, {c: [] for c in COLLECTIONS})
        for collection, ids in collections.items():
            target[collection] = sorted(set(target.get(collection, [])) | set(ids))
    return {
        "frameworks": dict(sorted(frameworks.items())),
        "crosswalks": sorted(set(new["crosswalks"]) | set(old.get("crosswalks", []))),
        "scales": sorted(set(new["scales"]) | set(old.get("scales", []))),
    }


def main() -> None:
    """Merge the current ids into the committed snapshot."""
    old = json.loads(SNAPSHOT.read_text("utf-8")) if SNAPSHOT.exists() else {}
    data = merged(old, current())
    SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
