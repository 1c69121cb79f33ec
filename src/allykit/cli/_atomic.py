"""Write a file all at once: the old content stays until the new one is whole.

Every file the ``allykit`` command writes for a person (a reflection journal,
a saved report, an export, a scored table) goes through this module. The
content is written to a temporary file in the same folder, flushed to disk,
and then moved over the target with ``Path.replace`` (:func:`os.replace`),
which is atomic on POSIX and Windows. If anything fails on the way (a full
disk, an interrupt, a bad row), the temporary file is removed and the old
file is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["AtomicFile", "discard_pending", "write_text_atomic"]

_ATTEMPTS = 100

# Every temporary file made and not yet committed or discarded. A path joins
# before the file is created and leaves after it is gone, so a signal landing
# anywhere in between (even before the caller holds the AtomicFile) still
# finds it: discard_pending() removes what such an interruption left.
_PENDING: set[Path] = set()


class AtomicFile:
    """A temporary file next to *path* that replaces *path* on :meth:`commit`.

    The temporary file exists (empty) from the start. Write to
    :attr:`temporary` by its path, then call :meth:`commit` to move it over
    the target, or :meth:`discard` to remove it and leave the target alone.

    A symbolic link is followed, so the file it points to is replaced and the
    link kept. An existing file keeps its permission bits; a new one gets
    the ones ``open(path, "w")`` would give (0o666 less the umask). A device
    or pipe (``/dev/stdout``, a FIFO) cannot be replaced: it is written in
    place (:attr:`temporary` is the target, and commit and discard do
    nothing).

    Raises:
        OSError: If no temporary file can be made in the target's folder
            (the error names *path*).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from allykit.cli._atomic import AtomicFile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = Path(folder) / "scores.csv"
        ...     pending = AtomicFile(target)
        ...     _ = pending.temporary.write_text("id,score", "utf-8")
        ...     print(target.exists())
        ...     pending.commit()
        ...     print(target.read_text("utf-8"))
        False
        id,score
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.target = Path(os.path.realpath(path))
        self.direct = False
        try:
            found = self.target.stat().st_mode
        except FileNotFoundError:
            self.mode: int | None = None
        else:
            self.mode = stat.S_IMODE(found)
            if not stat.S_ISREG(found) and not stat.S_ISDIR(found):
                # A device or pipe (/dev/stdout, a FIFO) cannot be replaced:
                # it is written in place, as open(path, "w") would.
                self.direct = True
                self.temporary = self.target
                return
        try:
            descriptor, self.temporary = _open_temporary(self.target)
        except OSError as error:
            raise self.named(error) from None
        os.close(descriptor)

    def named(self, error: OSError) -> OSError:
        """Return *error* naming the file the person asked for, not the temporary."""
        if error.errno is None:
            return error
        return type(error)(error.errno, error.strerror, str(self.path))

    def commit(self) -> None:
        """Flush the temporary file to disk and move it over the target.

        Raises:
            OSError: If it cannot (naming the target); the temporary file is
                then removed.
        """
        if self.direct:
            return
        try:
            with self.temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            if self.mode is not None:
                self.temporary.chmod(self.mode)
            self.temporary.replace(self.target)
            _PENDING.discard(self.temporary)
        except OSError as error:
            self.discard()
            raise self.named(error) from error
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Remove the temporary file; the target is left as it was."""
        if self.direct:
            return
        with contextlib.suppress(OSError):
            self.temporary.unlink()
        _PENDING.discard(self.temporary)


def discard_pending() -> None:
    """Remove every temporary file not yet committed or discarded.

    The command calls this as it ends, so an interrupt (Ctrl-C, SIGTERM)
    that lands between making a temporary file and the code that would
    remove it leaves nothing behind. Targets are never touched.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from allykit.cli._atomic import AtomicFile, discard_pending
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = AtomicFile(Path(folder) / "scores.csv")  # never committed
        ...     discard_pending()
        ...     print(list(Path(folder).iterdir()))
        []
    """
    for temporary in list(_PENDING):
        with contextlib.suppress(OSError):
            temporary.unlink()
        _PENDING.discard(temporary)


def _open_temporary(target: Path) -> tuple[int, Path]:
    """Create a new, empty temporary file next to *target*; return fd and path.

    The file is created with mode 0o666, so the process umask applies as it
    would to a plain ``open(path, "w")``.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        # os.urandom, not secrets: the same bytes, without importing hashlib
        # and hmac (about 3 ms at every start of the command).
        token = os.urandom(4).hex()
        candidate = target.parent / f".{target.name}.{token}.tmp"
        _PENDING.add(candidate)  # before the file exists: see _PENDING
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:  # pragma: no cover -- a 32-bit random clash
            _PENDING.discard(candidate)
            continue
        # Any other failure leaves the name in _PENDING: the file may exist
        # (an interrupt just after os.open), and removing a missing one is a
        # no-op in discard_pending().
    msg = f"cannot create a temporary file next to {target}"  # pragma: no cover
    raise FileExistsError(msg)  # pragma: no cover


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace the file at *path* with *text*, all at once.

    Args:
        path: The file to write; its folder must exist.
        text: The whole new content.
        encoding: The text encoding.

    Raises:
        OSError: If the file cannot be written; the old file is then unchanged
            and no temporary file is left behind.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from allykit.cli._atomic import write_text_atomic
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = Path(folder) / "journal.json"
        ...     write_text_atomic(target, "{}")
        ...     print(target.read_text("utf-8"))
        ...     print(sorted(p.name for p in Path(folder).iterdir()))
        {}
        ['journal.json']
    """
    pending = AtomicFile(path)
    try:
        pending.temporary.write_bytes(text.encode(encoding))
    except OSError as error:
        pending.discard()
        raise pending.named(error) from error
    except BaseException:
        pending.discard()
        raise
    pending.commit()
