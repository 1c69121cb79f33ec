"""Run the ``reproschema`` command line offline, with the pinned JSON-LD context.

Usage: ``python offline.py validate PATH`` or
``python offline.py reproschema2redcap DIR OUT.csv`` (any ``reproschema``
command), or ``python offline.py check ROOT...``, which runs both on each
root in one process and prints one JSON line per root. Run it with the
Python of an environment where the PyPI package ``reproschema`` is
installed.

Every fetch of a ReproSchema context URL (by PyLD while expanding a document,
or by ``reproschema`` while compacting one) is answered from
``reproschema-1.0.0.jsonld`` next to this file; the only other documents
loaded are served by ``reproschema``'s own server on localhost. The version
check over the network (etelemetry) is switched off.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ["NO_ET"] = "1"  # no etelemetry version check over the network

_PINNED = Path(__file__).with_name("reproschema-1.0.0.jsonld")
_CONTEXT: Any = json.loads(_PINNED.read_text(encoding="utf-8"))


def _is_context(url: str) -> bool:
    return url.startswith(
        "https://raw.githubusercontent.com/ReproNim/reproschema/"
    ) and url.rstrip("/").endswith("/reproschema")


def main() -> int:
    """Install the offline loaders, then run the ``reproschema`` CLI."""
    jsonld = importlib.import_module("pyld.jsonld")
    default = jsonld.requests_document_loader()

    def loader(url: str, options: Any = None) -> Any:
        if _is_context(url):
            return {
                "contentType": "application/ld+json",
                "contextUrl": None,
                "documentUrl": url,
                "document": _CONTEXT,
            }
        if not url.startswith(("http://localhost:", "http://127.0.0.1:")):
            msg = f"offline: refusing to fetch {url}"
            raise RuntimeError(msg)
        return default(url, options or {})

    jsonld.set_document_loader(loader)
    utils: Any = importlib.import_module("reproschema.jsonldutils")

    def fetch_context(url: str) -> Any:
        if _is_context(url):
            return _CONTEXT
        msg = f"offline: refusing to fetch the context {url}"
        raise RuntimeError(msg)

    utils._fetch_jsonld_context = fetch_context
    if sys.argv[1:2] == ["check"]:
        return _check(sys.argv[2:])
    cli = importlib.import_module("reproschema.cli")
    return int(cli.main(args=sys.argv[1:], standalone_mode=False) or 0)


def _check(roots: list[str]) -> int:
    """Validate and convert each root folder; print one JSON line per root."""
    validate = importlib.import_module("reproschema.validate").validate
    convert = importlib.import_module(
        "reproschema.reproschema2redcap"
    ).reproschema2redcap
    here = Path.cwd()
    for root in roots:
        result: dict[str, Any] = {"root": root}
        os.chdir(root)  # the local server serves the working directory
        try:
            result["valid"] = bool(validate("."))
        except Exception as error:  # noqa: BLE001 -- reported to the test
            result["valid"] = False
            result["error"] = f"{type(error).__name__}: {error}"
        try:
            convert(Path(), "redcap.csv")
            result["csv"] = str(Path(root, "redcap.csv"))
        except Exception as error:  # noqa: BLE001 -- reported to the test
            result["convert_error"] = f"{type(error).__name__}: {error}"
        finally:
            os.chdir(here)
        print(json.dumps(result), flush=True)
    # A failed validation can leave reproschema's local server running, and
    # its thread would keep the process alive: leave at once.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
