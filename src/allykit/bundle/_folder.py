"""Where a bundle is written: a new or empty folder, or an earlier bundle replaced."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from allykit.bundle._layout import INDEX_FILE, MARKER_FILE, SCHEMA_FILES, TYPE_FILES
from allykit.errors import InvalidArgumentError

__all__ = ["inside", "prepare_folder"]


def _previous_bundle_files(root: Path) -> set[Path]:
    """The files an earlier bundle in *root* wrote, or an error if it is not one."""
    try:
        index = json.loads((root / INDEX_FILE).read_text(encoding="utf-8"))
        package = json.loads((root / MARKER_FILE).read_text(encoding="utf-8"))
        paths = {
            root / INDEX_FILE,
            root / MARKER_FILE,
            root / "README.md",
            root / "LICENCE.md",
        }
        paths.update(root / "schemas" / name for name in SCHEMA_FILES.values())
        paths.update(root / "types" / name for name in TYPE_FILES)
        paths.update(root / str(doc["path"]) for doc in index["documents"])
        package["allykit"]["bundle_format"]  # a bundle says it is one
    except (OSError, ValueError, KeyError, TypeError):
        msg = (
            f"{str(root)!r} is not empty and does not hold an allykit bundle; "
            "name a new or empty folder (nothing was written)"
        )
        raise InvalidArgumentError(msg) from None
    return paths


def inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _keep_read(previous: set[Path], reads: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse, through the output guard, to remove a file the run reads."""
    from allykit.outputs import check_output

    read = list(reads)
    for path in sorted(previous):
        if path.is_file():
            check_output(path, reads=read, force=True)


def prepare_folder(
    directory: Path, *, overwrite: bool, reads: Iterable[str | os.PathLike[str]] = ()
) -> Path:
    """Return the resolved folder to write into, emptied of an earlier bundle.

    No file of the earlier bundle among *reads* (the files the run reads,
    directly or through links) is removed: the output guard refuses it.
    """
    if directory.exists() and not directory.is_dir():
        msg = f"{str(directory)!r} is a file, not a folder; name a folder"
        raise InvalidArgumentError(msg)
    directory.mkdir(parents=True, exist_ok=True)
    root = directory.resolve()
    existing = sorted(root.rglob("*"))
    if not existing:
        return root
    if not overwrite:
        msg = (
            f"{str(directory)!r} is not empty; name a new or empty folder, or "
            "replace an earlier bundle there with overwrite=True (--force)"
        )
        raise InvalidArgumentError(msg)
    previous = _previous_bundle_files(root)
    for path in existing:
        if path.is_symlink() or not inside(root, path):
            msg = (
                f"{str(path)!r} is a link; a bundle is written only inside "
                f"{str(directory)!r}: remove the link or name another folder"
            )
            raise InvalidArgumentError(msg)
    strangers = [p for p in existing if p.is_file() and p not in previous]
    if strangers:
        msg = (
            f"{str(directory)!r} holds files an allykit bundle did not write "
            f"(such as {str(strangers[0].relative_to(root))!r}); "
            "move them or name another folder (nothing was written)"
        )
        raise InvalidArgumentError(msg)
    _keep_read(previous, reads)
    # Only files found inside the folder are removed, whatever the old
    # index lists (a damaged or crafted index may name paths elsewhere).
    for path in existing:
        if path in previous and path.is_file():
            path.unlink()
    return root
