"""Tests for the all-at-once file writes the command uses (``allykit.outputs``).

A write that fails part-way (simulated by a ``write_bytes`` or ``replace``
that raises) must leave the old file as it was and no temporary file behind.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allykit import outputs as _atomic
from allykit.cli._app import app
from allykit.outputs import AtomicFile, discard_pending, write_text_atomic

runner = CliRunner()
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _disk_full_after(count: int) -> Any:
    """Return a ``Path.write_bytes`` that writes *count* bytes, then fails."""

    def write_bytes(self: Path, data: bytes) -> int:
        with self.open("wb") as handle:
            handle.write(data[:count])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    return write_bytes


class TestWriteTextAtomic:
    def test_new_file(self, tmp_path: Path) -> None:
        """A new file gets the text, and no temporary file is left."""
        target = tmp_path / "out.txt"

        write_text_atomic(target, "héllo\n")

        assert target.read_text("utf-8") == "héllo\n"
        assert _files(tmp_path) == ["out.txt"]

    def test_replaces_existing(self, tmp_path: Path) -> None:
        """An existing file is replaced whole, shorter text included."""
        target = tmp_path / "out.txt"
        target.write_text("a much longer old content\n", "utf-8")

        write_text_atomic(target, "new\n")

        assert target.read_text("utf-8") == "new\n"
        assert _files(tmp_path) == ["out.txt"]

    def test_failed_write_keeps_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write that fails half-way leaves the old file and no temporary."""
        target = tmp_path / "journal.json"
        target.write_text("old and whole\n", "utf-8")
        monkeypatch.setattr(Path, "write_bytes", _disk_full_after(3))

        with pytest.raises(OSError, match="No space left"):
            write_text_atomic(target, "new content that does not fit\n")

        assert target.read_text("utf-8") == "old and whole\n"
        assert _files(tmp_path) == ["journal.json"]

    def test_failed_replace_keeps_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A failure at the final move leaves the old file and no temporary."""
        target = tmp_path / "journal.json"
        target.write_text("old\n", "utf-8")

        def refuse(self: Path, _target: Any) -> Path:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(self))

        monkeypatch.setattr(Path, "replace", refuse)

        with pytest.raises(OSError, match="cross-device"):
            write_text_atomic(target, "new\n")

        assert target.read_text("utf-8") == "old\n"
        assert _files(tmp_path) == ["journal.json"]

    def test_interrupt_cleans_up(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C during the write also removes the temporary file."""
        target = tmp_path / "journal.json"
        target.write_text("old\n", "utf-8")

        def interrupted(_self: Path, _data: bytes) -> int:
            raise KeyboardInterrupt

        monkeypatch.setattr(Path, "write_bytes", interrupted)

        with pytest.raises(KeyboardInterrupt):
            write_text_atomic(target, "new\n")

        assert target.read_text("utf-8") == "old\n"
        assert _files(tmp_path) == ["journal.json"]

    def test_missing_folder_names_the_target(self, tmp_path: Path) -> None:
        """The error names the file asked for, not the temporary file."""
        target = tmp_path / "no-such-folder" / "out.txt"

        with pytest.raises(FileNotFoundError) as caught:
            write_text_atomic(target, "x")

        assert caught.value.filename == str(target)

    @POSIX
    def test_keeps_permissions(self, tmp_path: Path) -> None:
        """A private (0o600) file stays private after it is replaced."""
        target = tmp_path / "journal.json"
        target.write_text("old\n", "utf-8")
        target.chmod(0o600)

        write_text_atomic(target, "new\n")

        assert stat.S_IMODE(target.stat().st_mode) == 0o600

    @POSIX
    def test_new_file_follows_umask(self, tmp_path: Path) -> None:
        """A new file gets what open(path, "w") would give: 0o666 less the umask."""
        old = os.umask(0o077)
        try:
            write_text_atomic(tmp_path / "new.txt", "x")
            (tmp_path / "plain.txt").write_text("x", "utf-8")
        finally:
            os.umask(old)

        mode = stat.S_IMODE((tmp_path / "new.txt").stat().st_mode)
        assert mode == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
        assert mode == 0o600

    @POSIX
    def test_follows_symlink(self, tmp_path: Path) -> None:
        """A link to the journal stays a link; the file it points to is replaced."""
        real = tmp_path / "real.json"
        real.write_text("old\n", "utf-8")
        link = tmp_path / "link.json"
        link.symlink_to(real)

        write_text_atomic(link, "new\n")

        assert link.is_symlink()
        assert real.read_text("utf-8") == "new\n"
        assert _files(tmp_path) == ["link.json", "real.json"]

    @POSIX
    def test_device_is_written_in_place(self) -> None:
        """A device such as /dev/null is written, not replaced by a file."""
        target = Path(os.devnull)

        write_text_atomic(target, "discarded\n")

        assert stat.S_ISCHR(target.stat().st_mode)

    @POSIX
    def test_fifo_is_written_in_place(self, tmp_path: Path) -> None:
        """A named pipe gets the text through the pipe and stays a pipe."""
        import threading

        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()

        write_text_atomic(fifo, "through the pipe\n")
        reader.join(timeout=10)

        assert received == [b"through the pipe\n"]
        assert stat.S_ISFIFO(fifo.stat().st_mode)
        assert _files(tmp_path) == ["pipe"]


class TestAtomicFile:
    def test_discard_leaves_target(self, tmp_path: Path) -> None:
        """Discarding removes the temporary file and leaves the target alone."""
        target = tmp_path / "out.csv"
        target.write_text("old\n", "utf-8")
        pending = AtomicFile(target)
        pending.temporary.write_text("partial", "utf-8")

        pending.discard()

        assert target.read_text("utf-8") == "old\n"
        assert _files(tmp_path) == ["out.csv"]


class TestInterruptWindow:
    """An interrupt anywhere after the temporary exists leaves nothing behind."""

    def test_interrupt_just_after_creation(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The file exists but the caller never got the AtomicFile."""
        real_open = os.open

        def open_then_interrupt(*args: Any, **kwargs: Any) -> int:
            descriptor = real_open(*args, **kwargs)
            os.close(descriptor)
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "open", open_then_interrupt)
        with pytest.raises(KeyboardInterrupt):
            AtomicFile(tmp_path / "out.csv")
        monkeypatch.undo()
        assert [p.name.endswith(".tmp") for p in tmp_path.iterdir()] == [True]

        discard_pending()

        assert _files(tmp_path) == []

    def test_committed_and_discarded_are_not_pending(self, tmp_path: Path) -> None:
        """Only files in flight are pending; targets are never removed."""
        kept = AtomicFile(tmp_path / "kept.csv")
        kept.temporary.write_text("a", "utf-8")
        kept.commit()
        dropped = AtomicFile(tmp_path / "dropped.csv")
        dropped.discard()
        open_one = AtomicFile(tmp_path / "open.csv")

        assert open_one.temporary in _atomic._PENDING
        assert kept.temporary not in _atomic._PENDING
        assert dropped.temporary not in _atomic._PENDING
        discard_pending()

        assert _files(tmp_path) == ["kept.csv"]
        assert not _atomic._PENDING

    def test_command_end_clears_pending(self, tmp_path: Path) -> None:
        """The command's last step removes what an interrupt left in flight."""
        from allykit.cli._app import run

        AtomicFile(tmp_path / "out.csv")  # as if a signal landed right after

        assert run(["--version"]) == 0
        assert _files(tmp_path) == []


class TestJournalWrites:
    def _reflect(self, journal: Path, answers: Path) -> Any:
        return runner.invoke(
            app, ["reflect", "-j", str(journal), "--answers", str(answers), "-n", "2"]
        )

    def test_failed_save_keeps_journal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A journal save that fails part-way keeps every earlier entry."""
        journal = tmp_path / "journal.json"
        answers = tmp_path / "answers.json"
        answers.write_text(json.dumps(["First", "Second"]), "utf-8")
        assert self._reflect(journal, answers).exit_code == 0
        before = journal.read_bytes()
        assert len(json.loads(before)["entries"]) == 2
        monkeypatch.setattr(Path, "write_bytes", _disk_full_after(10))

        result = self._reflect(journal, answers)

        message = " ".join(result.stderr.split())
        assert result.exit_code == 1
        assert f"cannot use the file {journal}: No space left on device" in message
        assert journal.read_bytes() == before
        assert _files(tmp_path) == ["answers.json", "journal.json"]

    def test_failed_save_of_report_keeps_old_report(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The shared writer of assess --save keeps the old report on failure."""
        report = tmp_path / "report.json"
        report.write_text('{"old": true}\n', "utf-8")
        answers = tmp_path / "answers.json"
        answers.write_text("{}", "utf-8")
        monkeypatch.setattr(Path, "write_bytes", _disk_full_after(5))

        result = runner.invoke(
            app,
            [
                "assess",
                "ally-model-reflection",
                "--answers",
                str(answers),
                "--save",
                str(report),
            ],
        )

        assert result.exit_code == 1
        assert report.read_text("utf-8") == '{"old": true}\n'
        assert _files(tmp_path) == ["answers.json", "report.json"]
