"""Generate the TypeScript declarations of the bundle from the JSON Schemas.

The declarations in ``src/allykit/data/types/`` are written by
json-schema-to-typescript (npm), never by hand. Install the generator once
into a scratch folder and run this script after changing a schema::

    npm install --prefix /tmp/allykit-node json-schema-to-typescript@16.0.0
    python scripts/generate_types.py --node-modules /tmp/allykit-node/node_modules

``--check`` writes nothing and exits with status 1 when the committed files
differ from what the generator writes (``tests/test_bundle_node.py`` runs
it whenever Node and the generator are present). The folder of
``node_modules`` can also be given in the environment variable
``ALLYKIT_NODE_MODULES``.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: The generator's version the committed files were written with; another
#: version may format them differently.
GENERATOR = "json-schema-to-typescript"
GENERATOR_VERSION = "16.0.0"

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "allykit" / "data" / "schemas"
TYPES = ROOT / "src" / "allykit" / "data" / "types"
SCRIPT = Path(__file__).resolve().with_suffix(".cjs")


class GeneratorMissingError(RuntimeError):
    """Node or the pinned generator cannot be found."""


def installed_version(node_modules: Path) -> str | None:
    """Return the generator's version installed in *node_modules*, if any."""
    import json

    manifest = node_modules / GENERATOR / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def find_tools(node_modules: str | None) -> tuple[str, Path]:
    """Return Node's path and the ``node_modules`` folder holding the generator.

    Raises:
        GeneratorMissingError: If either is missing or the version differs.
    """
    node = shutil.which("node")
    if node is None:
        msg = "node is not on PATH"
        raise GeneratorMissingError(msg)
    folder = node_modules or os.environ.get("ALLYKIT_NODE_MODULES")
    if not folder:
        msg = "name the node_modules folder: --node-modules or ALLYKIT_NODE_MODULES"
        raise GeneratorMissingError(msg)
    path = Path(folder)
    found = installed_version(path)
    if found != GENERATOR_VERSION:
        msg = (
            f"{GENERATOR} {GENERATOR_VERSION} is needed in {path} "
            f"(found {found or 'none'}): npm install {GENERATOR}@{GENERATOR_VERSION}"
        )
        raise GeneratorMissingError(msg)
    return node, path


def generate(node: str, node_modules: Path, out: Path) -> None:
    """Write every declaration file into *out* (an existing folder)."""
    env = {**os.environ, "NODE_PATH": str(node_modules)}
    subprocess.run(  # noqa: S603 -- our own script, run by the Node found on PATH
        [node, str(SCRIPT), str(SCHEMAS), str(out)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )


def differences(node: str, node_modules: Path) -> list[str]:
    """Return the names of the committed files that differ from a fresh run."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        generate(node, node_modules, fresh)
        names = sorted(
            {p.name for p in fresh.glob("*.d.ts")} | {p.name for p in TYPES.glob("*")}
        )
        return [
            name
            for name in names
            if not (fresh / name).is_file()
            or not (TYPES / name).is_file()
            or not filecmp.cmp(fresh / name, TYPES / name, shallow=False)
        ]


def main(argv: list[str] | None = None) -> int:
    """Regenerate (or, with ``--check``, compare) the committed declarations."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node-modules", help="folder holding the generator")
    parser.add_argument("--check", action="store_true", help="compare only")
    args = parser.parse_args(argv)
    try:
        node, node_modules = find_tools(args.node_modules)
    except GeneratorMissingError as error:
        print(f"generate_types: {error}", file=sys.stderr)
        return 2
    if args.check:
        stale = differences(node, node_modules)
        for name in stale:
            print(f"out of date: src/allykit/data/types/{name}", file=sys.stderr)
        return 1 if stale else 0
    TYPES.mkdir(parents=True, exist_ok=True)
    for old in TYPES.glob("*.d.ts"):
        old.unlink()
    generate(node, node_modules, TYPES)
    print(f"wrote {len(list(TYPES.glob('*.d.ts')))} files into {TYPES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
