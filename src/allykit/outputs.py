"""One guard for every output, and atomic writes, for every file allykit writes.

Two parts, used by every command that writes (``score``, ``report``,
``export``, ``reflect``'s journal, ``allymap``, ``assess``, worksheets)
and open to any program that writes files for people:

* :func:`check_output` refuses a target before any work is done: a folder;
  an existing file without ``force``; a reflection journal (recognised by
  its content, whatever the order of its keys) unless a journal is being
  written; and, whatever ``force`` says, a target that is, or resolves to,
  a file the same run reads, through symbolic **and** hard links (the
  device and inode are compared). In a sticky world-writable folder (such
  as ``/tmp``) a symbolic link owned by someone else is not followed, as
  Linux's ``protected_symlinks`` does for the kernel.
* :class:`AtomicFile` and :func:`write_text_atomic` write a file all at
  once: the content goes to a temporary file in the same folder, flushed
  to disk, and then moved over the target with :func:`os.replace`, which is
  atomic on POSIX and Windows. If anything fails on the way (a full disk,
  an interrupt, a bad row), the temporary file is removed and the old
  file is left exactly as it was; :func:`signals_as_interrupts` turns
  SIGTERM and SIGHUP into an interrupt meanwhile, so they too leave no
  temporary.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from allykit.errors import AllykitError, InvalidArgumentError, short_repr

_ATTEMPTS = 100

# Every temporary file made and not yet committed or discarded. A path joins
# before the file is created and leaves after it is gone, so a signal landing
# anywhere in between (even before the caller holds the AtomicFile) still
# finds it: discard_pending() removes what such an interruption left.
_PENDING: set[Path] = set()


__all__ = [
    "AtomicFile",
    "OutputError",
    "Stopped",
    "as_path",
    "check_output",
    "discard_pending",
    "is_journal",
    "neutralised",
    "same_file",
    "signals_as_interrupts",
    "sweep_temporaries",
    "write_text_atomic",
]

#: The ``kind`` a reflection journal declares (see ``allykit reflect``).
JOURNAL_KIND = "allykit-journal"
# A journal is small; a bigger file is not read to find out.
_JOURNAL_SNIFF_LIMIT = 64 * 1024 * 1024
_TEMPORARY = r"[0-9a-f]{8}\.tmp"


class OutputError(AllykitError):
    """A file cannot be written where asked; the message says why and what to do."""


def _named(path: Path | str, error: OSError) -> OutputError:
    if error.errno == errno.ELOOP:
        return OutputError(f"cannot use the file {path}: a loop of symbolic links")
    return OutputError(f"cannot use the file {path}: {error.strerror or error}")


# OWASP's advice against CSV injection: a cell a spreadsheet would read as a
# formula starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    """Return *cell* with a leading apostrophe if a spreadsheet would run it.

    Every cell allykit writes to a spreadsheet-bound file (CSV), headers
    included, goes through this (unless the person asks to keep formulas).

    >>> neutralised("=HYPERLINK(1)"), neutralised("ana")
    ("'=HYPERLINK(1)", 'ana')
    """
    if cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (through symbolic or hard links).

    Paths that do not exist (or cannot be looked at) name no file.

    >>> import tempfile, os
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     one = Path(folder) / "a.csv"
    ...     _ = one.write_text("x", "utf-8")
    ...     os.link(one, Path(folder) / "b.csv")
    ...     same_file(one, Path(folder) / "b.csv"), same_file(one, Path(folder) / "c")
    (True, False)
    """
    try:
        a = Path(first).stat()
        b = Path(second).stat()
    except (OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def is_journal(path: str | os.PathLike[str]) -> bool:
    """Whether *path* holds a reflection journal, by content (key order aside)."""
    import json

    try:
        if Path(path).stat().st_size > _JOURNAL_SNIFF_LIMIT:
            return False
        with open(path, "rb") as handle:  # noqa: PTH123 -- any path
            raw = handle.read(_JOURNAL_SNIFF_LIMIT + 1)
        if JOURNAL_KIND.encode() not in raw:
            return False
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("kind") == JOURNAL_KIND


def _foreign_symlink(path: Path) -> bool:
    """A symlink in a sticky world-writable folder, owned by another user.

    Another user: neither us nor the folder's owner (the kernel's rule).
    """
    try:
        link = path.lstat()
    except OSError:
        return False
    if not stat.S_ISLNK(link.st_mode) or not hasattr(os, "geteuid"):
        return False
    try:
        folder = (path.parent if str(path.parent) else Path()).stat()
    except OSError:
        return False
    sticky_public = folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH
    return bool(sticky_public) and link.st_uid not in {os.geteuid(), folder.st_uid}


def as_path(value: object, what: str) -> Path:
    """Return *value* as a path, or say which argument was not one.

    Raises:
        InvalidArgumentError: If *value* is not a ``str`` or path-like.

    >>> as_path("out.csv", "output").name
    'out.csv'
    >>> as_path(5, "output")
    Traceback (most recent call last):
    ...
    allykit.errors.InvalidArgumentError: output must be a file path ..., not 5
    """
    if not isinstance(value, (str, os.PathLike)):
        msg = (
            f"{what} must be a file path (a str or pathlib.Path), "
            f"not {short_repr(value)}"
        )
        raise InvalidArgumentError(msg)
    path = Path(value)
    if "\x00" in str(path):  # no file system takes it; os calls raise ValueError
        msg = f"{what} must be a file path without a NUL, not {short_repr(value)}"
        raise InvalidArgumentError(msg)
    return path


def check_output(
    output: str | os.PathLike[str] | None,
    *,
    reads: Iterable[str | os.PathLike[str] | None] = (),
    force: bool = False,
    journal: bool = False,
) -> None:
    r"""Refuse an output path before any work is done; return if it may be written.

    The rule for every file allykit writes: a new file is fine; an existing
    file is replaced only with *force*; a reflection journal only by a
    journal (*journal* true). Never, whatever *force* says: a file among
    *reads* (the files the same run reads: answers, an earlier
    administration, the instrument, a column map, a record), reached
    directly or through symbolic or hard links; or a symbolic link owned by
    another user in a sticky world-writable folder. Standard output
    (``None`` or ``"-"``), devices and pipes are always fine.

    Raises:
        OutputError: Saying which rule refused the path, naming it.

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     answers = Path(folder) / "answers.csv"
    ...     _ = answers.write_text("id\n", "utf-8")
    ...     check_output(answers, reads=[answers], force=True)
    Traceback (most recent call last):
    ...
    allykit.outputs.OutputError: ... is a file this run reads (answers.csv); ...
    """
    if output is None:
        return
    path = as_path(output, "output")
    if os.fspath(output) == "-":
        return
    if _foreign_symlink(path):
        msg = (
            f"{path} is a symbolic link owned by another user in a shared "
            "folder; allykit does not follow it: name another file"
        )
        raise OutputError(msg)
    try:
        found: os.stat_result | None = path.stat()
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise _named(path, error) from None
    _refuse_reads(path, found, reads)
    if found is None:
        _check_new(path)
    else:
        _check_existing(path, found, force=force, journal=journal)


def _refuse_reads(
    path: Path,
    found: os.stat_result | None,
    reads: Iterable[str | os.PathLike[str] | None],
) -> None:
    for read in reads:
        if read is None or os.fspath(read) == "-":
            continue
        if (found is not None and same_file(path, read)) or (
            found is None and path.absolute() == Path(read).absolute()
        ):
            msg = (
                f"{path} is a file this run reads ({Path(read).name}); "
                "name another file for the output"
            )
            raise OutputError(msg)


def _check_new(path: Path) -> None:
    # A link to a missing file is written where it points (as open() would).
    parent = Path(os.path.realpath(path)).parent
    if not parent.is_dir():
        msg = f"cannot use the file {path}: no such folder {parent}"
        raise OutputError(msg)
    if not os.access(parent, os.W_OK):
        msg = f"cannot use the file {path}: the folder {parent} is not writable"
        raise OutputError(msg)


def _check_existing(
    path: Path, found: os.stat_result, *, force: bool, journal: bool
) -> None:
    if stat.S_ISDIR(found.st_mode):
        msg = f"{path} is a folder; name a file to write"
        raise OutputError(msg)
    if not stat.S_ISREG(found.st_mode):
        return  # /dev/stdout, a FIFO: written in place
    if not journal and is_journal(path):
        msg = (
            f"{path} is a reflection journal; allykit never replaces a journal "
            "with anything else: name another file"
        )
        raise OutputError(msg)
    if not force:
        msg = f"{path} exists; add --force to replace it, or name another file"
        raise OutputError(msg)
    if not os.access(path, os.W_OK):
        msg = f"cannot use the file {path}: it is not writable"
        raise OutputError(msg)


def sweep_temporaries(
    target: str | os.PathLike[str], *, older_than: float = 0.0
) -> int:
    """Remove temporaries of *target* left by a killed run; return how many.

    Only allykit's own (``.<name>.<8 hex digits>.tmp`` next to the resolved
    target, regular files) untouched for *older_than* seconds. Call it only
    where no other writer of *target* can be at work (under the journal's
    lock, or for temporaries old enough that no live run owns them).
    """
    import re
    import time

    resolved = Path(os.path.realpath(target))
    pattern = re.compile(re.escape(f".{resolved.name}.") + _TEMPORARY)
    cutoff = time.time() - older_than
    try:
        candidates = list(resolved.parent.iterdir())
    except OSError:
        return 0
    removed = 0
    for candidate in candidates:
        if not pattern.fullmatch(candidate.name) or candidate in _PENDING:
            continue
        with contextlib.suppress(OSError):
            found = candidate.lstat()
            if stat.S_ISREG(found.st_mode) and found.st_mtime <= cutoff:
                candidate.unlink()
                removed += 1
    return removed


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, removing temporaries."""

    def __init__(self, signum: int) -> None:
        import signal

        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while output is pending.

    The default action of both ends the process at once, leaving a hidden
    temporary output behind; as an exception, they unwind through the code
    that removes it, as Ctrl-C does. Outside the main thread (where no
    handler can be set) it does nothing.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise Stopped(signum)

    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    before = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


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
        >>> from allykit.outputs import AtomicFile
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
        >>> from allykit.outputs import AtomicFile, discard_pending
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
        >>> from allykit.outputs import write_text_atomic
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
